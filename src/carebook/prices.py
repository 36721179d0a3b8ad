"""Weekly prices and unit costs of placements: one catalogue, one function to read it.

The national catalogue is ``data/reference/defaults/placement_prices.yml`` (by placement
group and provider: weekly price in £, price year, source and evidence rating). A council
file overrides any entry in its top-level ``prices:`` section (:class:`PricesParams`,
registered in ``data/reference/analyses.yml``). Sufficiency (external and in-house prices),
cost-benefit (the spot price a block contract is compared with) and volume sizing (the
weekly cost of a placement group where the council's spend cannot be used) all read
:func:`weekly_price`, so changing a price in one place moves every figure made from it.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from carebook.errors import InputError
from carebook.paths import REFERENCE, relative
from carebook.validation import describe_validation_error, error_location

if TYPE_CHECKING:
    from carebook.council import Council

CATALOGUE = REFERENCE / "defaults" / "placement_prices.yml"

Group = Literal["fostering", "adoption", "residential", "semi_independence", "other", "unknown"]
Provider = Literal["external", "in_house", "all"]


class Source(BaseModel):
    """Where a national price comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    publisher: str
    date: dt.date


class Price(BaseModel):
    """One weekly price of the catalogue, or a council's own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weekly_gbp: float = Field(ge=0, description="Price of a placement, £ a week at the prices of price_year")
    price_year: int | None = Field(None, ge=1990, le=2100, description="Year whose prices weekly_gbp is in")
    source: Source | str | None = Field(None, description="Where the price comes from")
    note: str | None = Field(None, description="How the price was made")
    evidence: Literal["red", "amber", "green"] | None = Field(None, description="RAG rating of the evidence")

    @property
    def source_text(self) -> str:
        """The source in one line, as the assumptions and figure records cite it."""
        if isinstance(self.source, Source):
            cited = f"{self.source.publisher}, {self.source.title} ({self.source.date:%Y})"
        else:
            cited = self.source or "Council file"
        return cited + (f": {self.note}" if self.note else "")


class PricesParams(BaseModel):
    """A council file's ``prices:`` section: its own weekly prices, by group and provider.

    Every entry left out keeps the national price of the catalogue.
    """

    model_config = ConfigDict(extra="forbid")

    fostering: dict[Provider, Price] = Field(default_factory=dict)
    adoption: dict[Provider, Price] = Field(default_factory=dict)
    residential: dict[Provider, Price] = Field(default_factory=dict)
    semi_independence: dict[Provider, Price] = Field(default_factory=dict)
    other: dict[Provider, Price] = Field(default_factory=dict)
    unknown: dict[Provider, Price] = Field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def catalogue() -> PricesParams:
    """The national catalogue of weekly prices (InputError naming the entry when it is malformed)."""
    try:
        content = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"the catalogue of placement prices cannot be read ({error})", file=relative(CATALOGUE)) from None
    try:
        return PricesParams.model_validate(content or {})
    except ValidationError as error:
        raise InputError(describe_validation_error(error, PricesParams), file=relative(CATALOGUE),
                         where=error_location(error)) from None


def price(prices: PricesParams | None, group: Group, provider: Provider) -> Price:
    """The weekly price of ``group`` from ``provider``: the council's own (``prices``) where it
    sets one, else the national catalogue's. InputError when neither has it."""
    own = getattr(prices, group, {}) if prices is not None else {}
    if provider in own:
        return own[provider]
    national = getattr(catalogue(), group)
    if provider not in national:
        raise InputError(f"no weekly price of {group} ({provider}): expected an entry in the council file's "
                         "prices: section or in the catalogue", file=relative(CATALOGUE), where=f"{group}.{provider}")
    return national[provider]


def weekly_price(council: Council | PricesParams | None, group: Group, provider: Provider) -> float:
    """Weekly price (£ a week) of a placement of ``group`` from ``provider`` for ``council``
    (its ``prices:`` section, else the national catalogue)."""
    prices = council if isinstance(council, PricesParams) or council is None else getattr(council, "prices", None)
    return price(prices, group, provider).weekly_gbp


def price_source(council: Council | PricesParams | None, group: Group, provider: Provider) -> str:
    """Where the weekly price of ``group`` from ``provider`` comes from, in one line."""
    prices = council if isinstance(council, PricesParams) or council is None else getattr(council, "prices", None)
    own = prices is not None and provider in getattr(prices, group)
    found = price(prices, group, provider)
    return ("Council file prices: section; " if own else "") + found.source_text
