"""The catalogue of official statistics, ``data/reference/public_sources.yml``: every file
carebook reads from the official statistics folder, where it is published and what the
loader (:mod:`carebook.public`) checks in it. Read by the loader and by ``carebook fetch``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from carebook.errors import InputError
from carebook.paths import REFERENCE, relative
from carebook.validation import describe_validation_error, error_location

CATALOGUE = REFERENCE / "public_sources.yml"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""YAML's safe loader, in C where PyYAML was built with libyaml (ten times faster on the catalogue)."""
TIME_PERIOD = "time_period"


class CouncilColumn(BaseModel):
    """A column that must hold every council of the registry (``local_authorities.csv``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str = Field(description="Column of the table, e.g. old_la_code or 'ONS Code'")
    registry: str = Field("new_la_code", description="Registry column it matches: new_la_code or old_la_code")


class TableChecks(BaseModel):
    """What the loader checks in one official table, declared in the catalogue under ``checks``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: tuple[str, ...] = Field((), description="Columns the analyses read; each must be in the header")
    keys: tuple[str, ...] = Field((), description="Columns that identify a row; no two rows may share them")
    counts: tuple[str, ...] = Field((), description="Counts, rates and shares: 0 or more (or a suppression code)")
    periods: tuple[int, int] | None = Field(None, description="First and last time_period; each year must be present")
    same_rows_each_period: bool = Field(False, description="Every time_period has the same number of rows")
    min_local_authorities: int | None = Field(None, ge=1, description="Least local-authority rows in any time_period")
    every_council: CouncilColumn | None = Field(None, description="A column that must list every council")

    def required(self) -> list[str]:
        """Every column a check reads, in the order declared."""
        named = [*self.columns, *self.keys, *self.counts]
        named += [TIME_PERIOD] if self.periods or self.same_rows_each_period or self.min_local_authorities else []
        named += ["geographic_level"] if self.min_local_authorities else []
        named += [self.every_council.column] if self.every_council else []
        return list(dict.fromkeys(named))


class PublicSource(BaseModel):
    """One official statistics file, as documented in the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="File under the public-data directory, e.g. dfe/sn_model_2025_wide.csv")
    title: str = Field(description="What the table is")
    publisher: str = Field(description="Body that publishes the figures")
    licence: Literal["OGL-3.0", "MIT"] = Field(description="Licence of the file")
    licence_note: str | None = Field(None, description="Licence of the figures where it differs")
    holds: str = Field(description="What the file contains")
    years: str = Field(description="Years (time periods) covered")
    publication: str | None = Field(None, description="Publisher's page for the statistics")
    url: str | None = Field(None, description="Download address; None for a derived file")
    url_checked: bool | None = Field(None, description="Whether the address was confirmed in its repository")
    derived_from: str | None = Field(None, description="Published file a derived file was made from")
    how_made: str | None = Field(None, description="How a derived file was made")
    size_bytes: int | None = Field(None, ge=0, description="Size of the reference copy, bytes")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="sha256 of the reference copy")
    checks: TableChecks | None = Field(None, description="What the loader checks in the file (carebook.public)")


class _Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: list[PublicSource]


def load_sources(catalogue: Path = CATALOGUE) -> list[PublicSource]:
    """Read and validate the catalogue of official statistics files."""
    try:
        raw = yaml.load(catalogue.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        raise InputError("the catalogue of official statistics is missing", file=relative(catalogue)) from None
    except yaml.YAMLError as error:
        raise InputError(f"expected valid YAML ({error.__class__.__name__})", file=relative(catalogue)) from None
    try:
        sources = _Catalogue.model_validate(raw).files
    except ValidationError as error:
        raise InputError(describe_validation_error(error, _Catalogue), file=relative(catalogue), where=error_location(error)) from None
    paths = [source.path for source in sources]
    duplicates = sorted({path for path in paths if paths.count(path) > 1})
    if duplicates:
        raise InputError(f"expected each path listed once; repeated: {', '.join(duplicates)}", file=relative(catalogue))
    return sources
