"""Typed parameters of the volume sizing and care journey analysis (council section
``volume_sizing:``); the national defaults, with their units, sources and evidence ratings, are
in ``data/reference/defaults/volume_sizing.yml`` (:mod:`carebook.defaults`).

The defaults reproduce the Social Finance care journey cost analysis and volume
sizing method (seed 001): adolescents entering care with a category of need of family
in acute stress, family dysfunction or socially unacceptable behaviour, excluding short
breaks, scaled by the shares suitable for intervention and likely to enter care.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from carebook.defaults import national

#: The file of national defaults (``data/reference/defaults/volume_sizing.yml``).
SECTION = "volume_sizing"

NeedCode = Literal["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]
LegalStatus = Literal["C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"]
PlacementGroup = Literal["F", "A", "R", "I", "U"]

#: Names of the Social Finance placement groups (903 grouping, seed 001 appendix).
PLACEMENT_GROUP_NAMES: dict[str, str] = {
    "F": "Fostering",
    "A": "Adoption",
    "R": "Residential",
    "I": "Other",
    "U": "Unknown",
}


class VolumeSizingParams(BaseModel):
    """Parameters with national defaults; a council file overrides them."""

    model_config = ConfigDict(extra="forbid")
    defaults_section: ClassVar[str] = SECTION

    age_min: int = Field(
        default_factory=national(SECTION, "age_min"), ge=0, le=17,
        description="Youngest age (whole years at the start of the period of care) of the edge-of-care cohort",
    )  # fmt: skip
    age_max: int = Field(
        default_factory=national(SECTION, "age_max"), ge=0, le=17,
        description="Oldest age (whole years at the start of the period of care) of the edge-of-care cohort",
    )  # fmt: skip
    need_codes: list[NeedCode] = Field(
        default_factory=national(SECTION, "need_codes"), min_length=1,
        description="Categories of need (CIN) of children who could have been suitable for MST: "
        "family in acute stress, family dysfunction, socially unacceptable behaviour",
    )  # fmt: skip
    excluded_legal_statuses: list[LegalStatus] = Field(
        default_factory=national(SECTION, "excluded_legal_statuses"),
        description="Legal statuses excluded from the cohort (short breaks: not appropriate for MST)",
    )  # fmt: skip
    section_20_code: LegalStatus = Field(
        default_factory=national(SECTION, "section_20_code"),
        description="Legal status of a single period of accommodation under section 20 (funnel row 2b, for reference)",
    )  # fmt: skip
    suitable_share: float = Field(
        default_factory=national(SECTION, "suitable_share"), ge=0, le=1,
        description="Share (0-1) of eligible care entrants suitable for intervention "
        "(excludes e.g. autism, lack of parental engagement)",
    )  # fmt: skip
    likelihood_of_entering_care: float = Field(
        default_factory=national(SECTION, "likelihood_of_entering_care"), ge=0, le=1,
        description="Likelihood (0-1) that an edge-of-care case referred would enter care within 12 months "
        "(scales suitable entrants to referrals a year)",
    )  # fmt: skip
    funnel_years: int = Field(
        default_factory=national(SECTION, "funnel_years"), ge=1, le=10,
        description="Number of most recent complete years of 903 data in the funnel",
    )  # fmt: skip
    year_type: Literal["calendar", "financial"] = Field(
        default_factory=national(SECTION, "year_type"),
        description="Years of the funnel: calendar (1 January to 31 December, as the seed's table) "
        "or financial (1 April to 31 March, the 903 collection year)",
    )  # fmt: skip
    observation_years: int = Field(
        default_factory=national(SECTION, "observation_years"), ge=1, le=7,
        description="Years since care entry over which journeys and their cost are shown",
    )  # fmt: skip
    lookback_days: int = Field(
        default_factory=national(SECTION, "lookback_days"), ge=0, le=3653,
        description="Children in care at any time in this many days before entry are excluded from "
        "the journey cohort (already recently known to care)",
    )  # fmt: skip
    care_leaving_age: int = Field(
        default_factory=national(SECTION, "care_leaving_age"), ge=16, le=25,
        description="Age (years) at which a child ages out of care: later years drop the child from the sample",
    )  # fmt: skip
    unit_cost_basis: Literal["official_spend", "parameters"] = Field(
        default_factory=national(SECTION, "unit_cost_basis"),
        description="Where weekly placement costs come from: official spend (the council's published spend "
        "on each kind of placement divided by its placement days in the extract, as Social Finance maps "
        "SSDA903 placements to spending lines, where both exist, else the catalogue of placement prices) or "
        "parameters (the catalogue of placement prices only)",
    )  # fmt: skip
    @model_validator(mode="after")
    def _age_range_in_order(self) -> VolumeSizingParams:
        if self.age_min > self.age_max:
            raise ValueError(f"expected age_min ({self.age_min}) not above age_max ({self.age_max})")
        if self.age_max >= self.care_leaving_age:
            raise ValueError(
                f"expected age_max ({self.age_max}) below the care leaving age ({self.care_leaving_age})"
            )
        return self
