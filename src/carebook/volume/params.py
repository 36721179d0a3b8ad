"""Typed parameters of the volume sizing and care journey analysis (council section
``volume_sizing:``), with national defaults and their sources.

The defaults reproduce the Social Finance care journey cost analysis and volume
sizing method (seed 001): adolescents aged 11-16 entering care with a category of
need of family in acute stress, family dysfunction or socially unacceptable
behaviour, excluding short breaks; 70% suitable for intervention; 65% likelihood of
entering care within 12 months; the three most recent years of data.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SEED = "Social Finance, care journey cost analysis and volume sizing (seed 001)"
RO3_NATIONAL = (
    "MHCLG revenue outturn RO3 2024-25, England total expenditure (C3) on {line}, "
    "divided by DfE children looked after at 31 March 2025 in {placements} x 365 days, x 7"
)

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

    age_min: int = Field(
        11, ge=0, le=17,
        description="Youngest age (whole years at the start of the period of care) of the edge-of-care cohort",
        json_schema_extra={"source": SEED},
    )  # fmt: skip
    age_max: int = Field(
        16, ge=0, le=17,
        description="Oldest age (whole years at the start of the period of care) of the edge-of-care cohort",
        json_schema_extra={"source": SEED},
    )  # fmt: skip
    need_codes: list[NeedCode] = Field(
        ["N4", "N5", "N6"], min_length=1,
        description="Categories of need (CIN) of children who could have been suitable for MST: "
        "family in acute stress, family dysfunction, socially unacceptable behaviour",
        json_schema_extra={"source": SEED},
    )  # fmt: skip
    excluded_legal_statuses: list[LegalStatus] = Field(
        ["V3", "V4"],
        description="Legal statuses excluded from the cohort (short breaks: not appropriate for MST)",
        json_schema_extra={"source": SEED},
    )  # fmt: skip
    section_20_code: LegalStatus = Field(
        "V2",
        description="Legal status of a single period of accommodation under section 20 (funnel row 2b, for reference)",
        json_schema_extra={"source": "SSDA903 legal status codes; " + SEED},
    )  # fmt: skip
    suitable_share: float = Field(
        0.70, ge=0, le=1,
        description="Share (0-1) of eligible care entrants suitable for intervention "
        "(excludes e.g. autism, lack of parental engagement)",
        json_schema_extra={"source": SEED + ", funnel row 5"},
    )  # fmt: skip
    likelihood_of_entering_care: float = Field(
        0.65, ge=0, le=1,
        description="Likelihood (0-1) that an edge-of-care case referred would enter care within 12 months "
        "(scales suitable entrants to referrals a year)",
        json_schema_extra={"source": SEED + ", funnel row 6 (case file analysis in other authorities)"},
    )  # fmt: skip
    funnel_years: int = Field(
        3, ge=1, le=10,
        description="Number of most recent complete years of 903 data in the funnel",
        json_schema_extra={"source": SEED},
    )  # fmt: skip
    year_type: Literal["calendar", "financial"] = Field(
        "calendar",
        description="Years of the funnel: calendar (1 January to 31 December, as the seed's table) "
        "or financial (1 April to 31 March, the 903 collection year)",
        json_schema_extra={"source": SEED + " ('Started new placement in given year (01/01-31/12)')"},
    )  # fmt: skip
    observation_years: int = Field(
        5, ge=1, le=7,
        description="Years since care entry over which journeys and their cost are shown",
        json_schema_extra={"source": SEED + " ('model currently looks across up to 5 years')"},
    )  # fmt: skip
    lookback_days: int = Field(
        365, ge=0, le=3653,
        description="Children in care at any time in this many days before entry are excluded from "
        "the journey cohort (already recently known to care)",
        json_schema_extra={"source": SEED + " ('children who have been in care in the previous year are excluded')"},
    )  # fmt: skip
    care_leaving_age: int = Field(
        18, ge=16, le=25,
        description="Age (years) at which a child ages out of care: later years drop the child from the sample",
        json_schema_extra={"source": "Children Act 1989; " + SEED},
    )  # fmt: skip
    unit_cost_basis: Literal["official_spend", "parameters"] = Field(
        "official_spend",
        description="Weekly costs from the council's official spend divided by placement days in the "
        "extract where both exist ('official_spend', the seed's 903 x 251 mapping), else the weekly "
        "costs of the catalogue of placement prices (provider 'all', carebook.prices); 'parameters' uses those only",
        json_schema_extra={"source": SEED + ", unit costing methodology"},
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
