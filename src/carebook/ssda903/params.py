"""Typed parameters of the ssda903 analysis, read from a council file's section.

``path`` points at a council's own extract; without it the pages use the
synthetic extract, generated with ``seed`` over ``synth_start_year`` to
``synth_end_year`` and calibrated to ``targets``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Sufficiency groups of placements (see data/reference/placement_codes.csv).
Group = Literal["fostering", "residential", "semi_independence", "other"]
#: Legal statuses that snapshot targets may break down by, and their LS codes.
LEGAL_STATUS_CODES: dict[str, str] = {
    "section_20": "V2",
    "full_care_order": "C2",
    "interim_care_order": "C1",
    "placement_order": "E1",
}


class SexCounts(BaseModel):
    """Children (count) by sex within a snapshot row."""

    model_config = ConfigDict(extra="forbid")
    male: int = Field(..., ge=0, description="Boys (SEX 1), children.")
    female: int = Field(..., ge=0, description="Girls (SEX 2), children.")


class LegalStatusCounts(BaseModel):
    """Children (count) by legal status within a snapshot row; statuses not listed
    (police protection, remand, ...) make up any remainder of the row."""

    model_config = ConfigDict(extra="forbid")
    section_20: int = Field(0, ge=0, description="Accommodated under section 20 (LS V2), children.")
    full_care_order: int = Field(0, ge=0, description="Full care order (LS C2), children.")
    interim_care_order: int = Field(0, ge=0, description="Interim care order (LS C1), children.")
    placement_order: int = Field(0, ge=0, description="Placement order (LS E1), children.")


class SnapshotRow(BaseModel):
    """Children open on the snapshot date in one placement group, optionally
    restricted to a provider (in-house PR1 / external PR2-PR5) and to placements
    inside or outside the council's area, with optional sex and legal status splits."""

    model_config = ConfigDict(extra="forbid")
    group: Group = Field(..., description="Sufficiency placement group.")
    provider: Literal["in_house", "external"] | None = Field(
        None, description="in_house = PLACE_PROVIDER PR1; external = PR2-PR5; none = any."
    )
    location: Literal["inside", "outside"] | None = Field(
        None, description="Placement (PL_POST) inside or outside the council's area; none = any."
    )
    count: int = Field(..., ge=0, description="Children in the row on the date.")
    sex: SexCounts | None = Field(None, description="Split of the row by sex (sums to count).")
    legal_status: LegalStatusCounts | None = Field(
        None, description="Split of the row by legal status (sums to at most count)."
    )

    @model_validator(mode="after")
    def _splits_add_up(self) -> "SnapshotRow":
        if self.sex is not None and self.sex.male + self.sex.female != self.count:
            raise ValueError(
                f"expected male + female = count ({self.count}), got "
                f"{self.sex.male} + {self.sex.female}"
            )
        if self.legal_status is not None:
            listed = sum(self.legal_status.model_dump().values())
            if listed > self.count:
                raise ValueError(f"expected legal statuses to sum to at most {self.count}, got {listed}")
        return self


class Snapshot(BaseModel):
    """Counts of children looked after on one date that the synthetic extract reproduces."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date = Field(..., description="Snapshot date (episodes open on that day).")
    source: str = Field(..., description="Where the figures come from.")
    total: int | None = Field(None, ge=0, description="All children looked after on the date.")
    rows: list[SnapshotRow] = Field(default_factory=list, description="Disjoint sub-populations.")

    @model_validator(mode="after")
    def _rows_within_total(self) -> "Snapshot":
        if self.total is not None and sum(r.count for r in self.rows) > self.total:
            raise ValueError(f"expected rows to sum to at most the total {self.total}")
        return self


class Ssda903Params(BaseModel):
    """Parameters with national defaults; a council file overrides them."""

    model_config = ConfigDict(extra="forbid")

    path: str | None = Field(
        None,
        description=(
            "Folder holding the council's own 903 extract, in any layout councils hold: "
            "one sub-folder per collection year (e.g. 2015 or 2014-15 for 1 April 2014 - "
            "31 March 2015) with header.csv and episodes.csv; files named by year (e.g. "
            "SSDA903_2015_header.csv); or DfE XML returns (or the path of one .xml). "
            "Relative paths are taken from the project root. None = use the synthetic extract."
        ),
    )
    mode: Literal["strict", "lenient"] = Field(
        "lenient",
        description=(
            "lenient (the default): repair what a stated rule can repair, drop only rows that "
            "cannot be used, count every repair and drop and show them on the page; strict: "
            "stop with a clear error listing the first problems found."
        ),
    )
    convention: Literal["auto", "end", "start"] = Field(
        "auto",
        description=(
            "How a bare year in the extract's folder or file names is read: end = the year "
            "the collection ends (DfE's way: 2015 holds 1 April 2014 - 31 March 2015); "
            "start = the year it starts (2014 holds 2014-15); auto = decided from the "
            "dates inside the files."
        ),
    )
    seed: int = Field(1, ge=0, description="Random seed of the synthetic extract.")
    synth_start_year: int = Field(
        2008, ge=1990, le=2100,
        description="First collection year of the synthetic extract (year ending 31 March).",
    )
    synth_end_year: int = Field(
        2025, ge=1990, le=2100,
        description="Last collection year of the synthetic extract (year ending 31 March).",
    )
    snapshots: list[Snapshot] = Field(
        default_factory=list,
        description=(
            "Published counts (e.g. from a council's sufficiency strategy) that the "
            "synthetic extract reproduces exactly on their dates; official DfE figures "
            "at 31 March are added automatically."
        ),
        json_schema_extra={"source": "Council's published documents (seeds)"},
    )

    @model_validator(mode="after")
    def _years_in_order(self) -> "Ssda903Params":
        if self.synth_end_year < self.synth_start_year:
            raise ValueError(
                f"expected synth_end_year >= synth_start_year ({self.synth_start_year}), "
                f"got {self.synth_end_year}"
            )
        return self
