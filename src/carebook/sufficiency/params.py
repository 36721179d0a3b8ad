"""Typed parameters of the sufficiency analysis, read from a council file's section.

Targets are shares (rate 0-1). A target left out (``None``) means the council has
set none: the page then compares the council with England and its neighbours only.
"""

from __future__ import annotations

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
