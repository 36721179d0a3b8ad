"""Typed parameters of the sufficiency analysis, read from a council file's section.

The national defaults, with their units, sources and evidence ratings, are in
``data/reference/defaults/sufficiency.yml`` (:mod:`carebook.defaults`); this model keeps
types, bounds and meanings. Targets are shares (rate 0-1). A target left out (``None``) means the council has
set none: the page then compares the council with England and its neighbours only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from carebook.defaults import national

#: The file of national defaults (``data/reference/defaults/sufficiency.yml``).
SECTION = "sufficiency"

SHARE = {"ge": 0.0, "le": 1.0}


class SufficiencyParams(BaseModel):
    """Parameters with national defaults; a council file overrides them."""

    model_config = ConfigDict(extra="forbid")
    defaults_section: ClassVar[str] = SECTION

    target_fostering_within_20_miles: float | None = Field(
        default_factory=national(SECTION, "target_fostering_within_20_miles"),
        **SHARE,
        description=(
            "Target share (0-1) of children in foster placements placed within 20 miles "
            "of home; none by default (no national target)."
        ),
    )
    target_residential_within_20_miles: float | None = Field(
        default_factory=national(SECTION, "target_residential_within_20_miles"),
        **SHARE,
        description=(
            "Target share (0-1) of children in residential placements (children's homes, "
            "secure units, hostels) placed within 20 miles of home; none by default."
        ),
    )
    target_all_within_20_miles: float | None = Field(
        default_factory=national(SECTION, "target_all_within_20_miles"),
        **SHARE,
        description=(
            "Target share (0-1) of all children looked after placed within 20 miles of "
            "home; none by default."
        ),
    )
    target_fostering_in_house: float | None = Field(
        default_factory=national(SECTION, "target_fostering_in_house"),
        **SHARE,
        description=(
            "Target share (0-1) of foster placements provided by the council's own "
            "foster carers (in-house) rather than agencies; none by default."
        ),
    )

    # --- child-level (903) analysis: the fostering target's date, capacity, forecast (prices: carebook.prices) ---
    target_fostering_in_house_by: date | None = Field(
        default_factory=national(SECTION, "target_fostering_in_house_by"),
        description=(
            "Date by which the council aims to reach its in-house fostering target share; "
            "none by default (the forecast then applies the target from its start)."
        ),
    )
    capacity_in_house_fostering_places: int | None = Field(
        default_factory=national(SECTION, "capacity_in_house_fostering_places"),
        ge=0,
        description=(
            "Children the council's own foster carers can look after (children); by default "
            "the children in in-house foster placements at the forecast's start (903 data)."
        ),
    )
    capacity_in_house_residential_places: int | None = Field(
        default_factory=national(SECTION, "capacity_in_house_residential_places"),
        ge=0,
        description=(
            "Places in the council's own children's homes (children); by default the "
            "children in in-house residential placements at the forecast's start (903 data)."
        ),
    )
    capacity_in_house_residential_homes: int | None = Field(
        default_factory=national(SECTION, "capacity_in_house_residential_homes"), ge=0, description="Number of the council's own children's homes (homes), for the page.",
    )
    capacity_in_house_semi_independence_places: int | None = Field(
        default_factory=national(SECTION, "capacity_in_house_semi_independence_places"),
        ge=0,
        description=(
            "Places in the council's own semi-independent or supported accommodation "
            "(children); by default the children placed there at the forecast's start (903 data)."
        ),
    )
    capacity_in_house_semi_independence_homes: int | None = Field(
        default_factory=national(SECTION, "capacity_in_house_semi_independence_homes"), ge=0, description="Number of the council's own semi-independent homes (homes), for the page.",
    )
    capacity_block_contract_residential_places: int = Field(
        default_factory=national(SECTION, "capacity_block_contract_residential_places"),
        ge=0,
        description="Residential places secured by block contract with external providers (children).",
    )
    snapshot_date: date | None = Field(
        default_factory=national(SECTION, "snapshot_date"),
        description=(
            "Date of the child-level snapshot tables and the forecast's start, the last day of a "
            "month; by default the last 31 March of the council's 903 extract."
        ),
    )
    forecast_reference_years: int = Field(
        default_factory=national(SECTION, "forecast_reference_years"), ge=1, le=10,
        description="Years of 903 data before the forecast's start from which entry and transition rates are measured.",
    )
    forecast_years: int = Field(
        default_factory=national(SECTION, "forecast_years"), ge=3, le=5,
        description="Years the placement demand forecast runs (3 to 5).",
    )
    forecast_simulations: int = Field(
        default_factory=national(SECTION, "forecast_simulations"), ge=50, le=5000,
        description="Simulations behind the forecast's uncertainty band (count).",
    )
    forecast_band: float = Field(
        default_factory=national(SECTION, "forecast_band"), gt=0.0, lt=1.0,
        description="Share of simulations inside the forecast's uncertainty band (0-1; 0.9 = 5th to 95th percentile).",
    )
    suppression_threshold: int = Field(
        default_factory=national(SECTION, "suppression_threshold"), ge=1, le=20,
        description="Counts of children from 903 data below this are suppressed in published tables (children).",
    )

    @field_validator("snapshot_date")
    @classmethod
    def _month_end(cls, value: date | None) -> date | None:
        """The child-level tables count the children in care at each month's end: a snapshot
        on any other day would find none of them."""
        if value is not None and (value + timedelta(days=1)).day != 1:
            raise ValueError("expected the last day of a month (the child-level tables count the children "
                             "in care at each month's end)")
        return value
