"""Typed parameters of the sufficiency analysis, read from a council file's section.

Targets are shares (rate 0-1). A target left out (``None``) means the council has
set none: the page then compares the council with England and its neighbours only.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

SHARE = {"ge": 0.0, "le": 1.0}


class SufficiencyParams(BaseModel):
    """Parameters with national defaults; a council file overrides them."""

    model_config = ConfigDict(extra="forbid")

    target_fostering_within_20_miles: float | None = Field(
        None,
        **SHARE,
        description=(
            "Target share (0-1) of children in foster placements placed within 20 miles "
            "of home; none by default (no national target)."
        ),
        json_schema_extra={"source": "Council's sufficiency strategy; no national target"},
    )
    target_residential_within_20_miles: float | None = Field(
        None,
        **SHARE,
        description=(
            "Target share (0-1) of children in residential placements (children's homes, "
            "secure units, hostels) placed within 20 miles of home; none by default."
        ),
        json_schema_extra={"source": "Council's sufficiency strategy; no national target"},
    )
    target_all_within_20_miles: float | None = Field(
        None,
        **SHARE,
        description=(
            "Target share (0-1) of all children looked after placed within 20 miles of "
            "home; none by default."
        ),
        json_schema_extra={"source": "Council's sufficiency strategy; no national target"},
    )
    target_fostering_in_house: float | None = Field(
        None,
        **SHARE,
        description=(
            "Target share (0-1) of foster placements provided by the council's own "
            "foster carers (in-house) rather than agencies; none by default."
        ),
        json_schema_extra={"source": "Council's sufficiency strategy; no national target"},
    )

    # --- child-level (903) analysis: the fostering target's date, capacity, forecast (prices: carebook.prices) ---
    target_fostering_in_house_by: date | None = Field(
        None,
        description=(
            "Date by which the council aims to reach its in-house fostering target share; "
            "none by default (the forecast then applies the target from its start)."
        ),
        json_schema_extra={"source": "Council's sufficiency strategy; no national target"},
    )
    capacity_in_house_fostering_places: int | None = Field(
        None,
        ge=0,
        description=(
            "Children the council's own foster carers can look after (children); by default "
            "the children in in-house foster placements at the forecast's start (903 data)."
        ),
        json_schema_extra={"source": "Council's fostering service; default from its 903 data"},
    )
    capacity_in_house_residential_places: int | None = Field(
        None,
        ge=0,
        description=(
            "Places in the council's own children's homes (children); by default the "
            "children in in-house residential placements at the forecast's start (903 data)."
        ),
        json_schema_extra={"source": "Council's sufficiency strategy; default from its 903 data"},
    )
    capacity_in_house_residential_homes: int | None = Field(
        None, ge=0, description="Number of the council's own children's homes (homes), for the page.",
        json_schema_extra={"source": "Council's sufficiency strategy"},
    )
    capacity_in_house_semi_independence_places: int | None = Field(
        None,
        ge=0,
        description=(
            "Places in the council's own semi-independent or supported accommodation "
            "(children); by default the children placed there at the forecast's start (903 data)."
        ),
        json_schema_extra={"source": "Council's sufficiency strategy; default from its 903 data"},
    )
    capacity_in_house_semi_independence_homes: int | None = Field(
        None, ge=0, description="Number of the council's own semi-independent homes (homes), for the page.",
        json_schema_extra={"source": "Council's sufficiency strategy"},
    )
    capacity_block_contract_residential_places: int = Field(
        0,
        ge=0,
        description="Residential places secured by block contract with external providers (children).",
        json_schema_extra={"source": "Council's contracts; none by default"},
    )
    snapshot_date: date | None = Field(
        None,
        description=(
            "Date of the child-level snapshot tables and the forecast's start; by default "
            "the last 31 March of the council's 903 extract."
        ),
        json_schema_extra={"source": "Analyst's choice (Nottingham: 31 March 2015, the date of its strategy's tables)"},
    )
    forecast_reference_years: int = Field(
        3, ge=1, le=10,
        description="Years of 903 data before the forecast's start from which entry and transition rates are measured.",
        json_schema_extra={"source": "Analyst's choice: long enough to be stable, recent enough to be current"},
    )
    forecast_years: int = Field(
        5, ge=3, le=5,
        description="Years the placement demand forecast runs (3 to 5).",
        json_schema_extra={"source": "Sufficiency strategies plan three to five years ahead"},
    )
    forecast_simulations: int = Field(
        300, ge=50, le=5000,
        description="Simulations behind the forecast's uncertainty band (count).",
        json_schema_extra={"source": "Enough for stable 5th and 95th percentiles"},
    )
    forecast_band: float = Field(
        0.9, gt=0.0, lt=1.0,
        description="Share of simulations inside the forecast's uncertainty band (0-1; 0.9 = 5th to 95th percentile).",
        json_schema_extra={"source": "Convention"},
    )
    suppression_threshold: int = Field(
        5, ge=1, le=20,
        description="Counts of children from 903 data below this are suppressed in published tables (children).",
        json_schema_extra={"source": "DfE statistics publications suppress counts under 5"},
    )
