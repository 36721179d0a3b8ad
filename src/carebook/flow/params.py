"""Typed parameters of the flow model (council section ``flow_model:``).

The national defaults, with their units, sources and evidence ratings, are in
``data/reference/defaults/flow_model.yml`` (:mod:`carebook.defaults`); these models keep
types, bounds and meanings.

The model follows children from referral to care (the Tri-borough Innovation Programme
bid, July 2014): referrals (new + repeat), assessments, initial child
protection conferences, child protection plans, entries into care directly and via a
plan, and step-down. Three practice changes (fewer repeat referrals, fewer direct entries
into care, fewer plans ending in care) are phased in year by year.

A council file may give the base-year volumes (``base:``); without them the model is
calibrated from the council's own official statistics.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carebook.defaults import national

#: The file of national defaults (``data/reference/defaults/flow_model.yml``).
SECTION = "flow_model"

SEED = "Tri-borough Innovation Programme bid (Tri-borough local authorities and the Spring Consortium, July 2014)"
PHASE_FULL_EFFECT = 1.0
YEAR_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


def check_profile(values: list[float]) -> list[float]:
    """A phasing profile: shares (0-1) of full effect per year, ending at full effect (1)."""
    if not values:
        raise ValueError("expected a list of shares of full effect per year, e.g. [0.5, 1, 1], got an empty list")
    for value in values:
        if not 0 <= value <= 1:
            raise ValueError(f"expected shares of full effect between 0 and 1 per year, got {value!r} in {values}")
    if values[-1] != PHASE_FULL_EFFECT:
        raise ValueError(f"expected the profile to end at full effect (1), got {values[-1]!r} as its last value in {values}")
    return values


def phasing_default(change: str) -> Callable[[], list[float]]:
    """A ``default_factory`` for one change's phasing profile: its part of the national default
    of ``phasing``."""
    return lambda: national(SECTION, "phasing")()[change]


class ChangePhasing(BaseModel):
    """Share (0-1) of each change's full effect in each year after the base year."""

    model_config = ConfigDict(extra="forbid")

    re_referral: list[float] = Field(
        default_factory=phasing_default("re_referral"),
        description="Phasing of the lower re-referral rate (cases closed in a year are re-referred "
        "the next year, so referrals move one year later)",
    )
    direct_entry: list[float] = Field(
        default_factory=phasing_default("direct_entry"),
        description="Phasing of the lower rate of direct entry into care from assessment",
    )
    plan_to_care: list[float] = Field(
        default_factory=phasing_default("plan_to_care"),
        description="Phasing of the lower rate of child protection plans ending in care",
    )

    @field_validator("re_referral", "direct_entry", "plan_to_care")
    @classmethod
    def _profile(cls, values: list[float]) -> list[float]:
        return check_profile(values)

    @model_validator(mode="after")
    def _same_length(self) -> ChangePhasing:
        lengths = {len(self.re_referral), len(self.direct_entry), len(self.plan_to_care)}
        if len(lengths) > 1:
            raise ValueError(
                "expected the three phasing profiles (re_referral, direct_entry, plan_to_care) to cover "
                f"the same number of years, got lengths {sorted(lengths)}"
            )
        return self

    @property
    def years(self) -> int:
        """Number of projected years after the base year."""
        return len(self.re_referral)


class BaseYearFlows(BaseModel):
    """Children through each stage in the base year (counts of children a year)."""

    model_config = ConfigDict(extra="forbid")

    year: str = Field(description="Base year as 'YYYY/YY', e.g. '2014/15'")
    referrals: float = Field(gt=0, description="Referrals to children's social care in the year (children)")
    repeat_referral_rate: float = Field(
        ge=0, lt=1, description="Share (0-1) of referrals that are repeat referrals within 12 months of a closed case"
    )
    assessments: float = Field(ge=0, description="Statutory assessments in the year (children)")
    conferences: float = Field(ge=0, description="Initial child protection conferences in the year (children)")
    plans: float = Field(ge=0, description="Child protection plans started in the year (children)")
    entries_into_care: float = Field(ge=0, description="Children starting to be looked after in the year")
    entries_via_plan: float = Field(
        ge=0, description="Of the entries into care, children who had a child protection plan (children)"
    )
    source: str = Field(SEED, description="Where the base-year figures come from")

    @field_validator("year")
    @classmethod
    def _year_label(cls, value: str) -> str:
        match = YEAR_LABEL.match(value)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"expected a financial year like '2014/15', got {value!r}")
        return value

    @model_validator(mode="after")
    def _stages_nest(self) -> BaseYearFlows:
        direct = self.entries_into_care - self.entries_via_plan
        checks = [
            (self.assessments <= self.referrals, "assessments", "at most the referrals"),
            (self.conferences + direct <= self.assessments, "conferences plus direct entries into care", "at most the assessments"),
            (self.plans <= self.conferences, "plans", "at most the conferences"),
            (self.entries_via_plan <= self.plans, "entries_via_plan", "at most the plans"),
            (direct >= 0, "entries_via_plan", "at most the entries into care"),
        ]
        for holds, what, expected in checks:
            if not holds:
                raise ValueError(f"expected {what} to be {expected} (children flow from one stage to the next)")
        return self


class FundingVariance(BaseModel):
    """One kind of change from the previous funding proposal."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="Column heading of the variance in the detailed table")
    summary: str = Field(description="Row of the variance summary it is added to (variances may share a row)")


class FundingLine(BaseModel):
    """One line item of the funding request (£ thousands a year)."""

    model_config = ConfigDict(extra="forbid")

    item: str = Field(description="What the money pays for")
    previous_gbp_thousands: list[float] = Field(description="Previous proposal, £ thousands per year")
    variances_gbp_thousands: dict[str, list[float]] = Field(
        default_factory=dict, description="Change from the previous proposal by variance id, £ thousands per year"
    )


class FundingRequest(BaseModel):
    """A funding request built from line items, with the variance to a previous proposal."""

    model_config = ConfigDict(extra="forbid")

    funder: str = Field(description="Who the request is made to")
    years: list[str] = Field(min_length=1, description="Financial years of the request")
    variances: dict[str, FundingVariance] = Field(description="Kinds of variance by id, in table order")
    lines: list[FundingLine] = Field(min_length=1, description="Line items")
    stated_previous_gbp_thousands: list[float] | None = Field(
        None, description="Previous proposal total as published, £ thousands per year (checked against the lines)"
    )
    stated_request_gbp_thousands: list[float] | None = Field(
        None, description="Request total as published, £ thousands per year (checked against the lines)"
    )
    source: str = Field(SEED + ", Annex 3", description="Where the figures come from")

    @model_validator(mode="after")
    def _shapes(self) -> FundingRequest:
        n = len(self.years)
        for line in self.lines:
            if len(line.previous_gbp_thousands) != n:
                raise ValueError(f"expected {n} yearly amounts for {line.item!r}, got {line.previous_gbp_thousands}")
            for key, amounts in line.variances_gbp_thousands.items():
                if key not in self.variances:
                    raise ValueError(f"unknown variance {key!r} on {line.item!r}; expected one of {list(self.variances)}")
                if len(amounts) != n:
                    raise ValueError(f"expected {n} yearly amounts for variance {key!r} of {line.item!r}, got {amounts}")
        for stated in (self.stated_previous_gbp_thousands, self.stated_request_gbp_thousands):
            if stated is not None and len(stated) != n:
                raise ValueError(f"expected {n} yearly totals, got {stated}")
        return self


CareGroup = Literal["fostering", "residential", "semi_independence", "adoption", "with_parents", "other"]
"""Placement groups of a care entry's cost (:data:`carebook.care_entry.PRICED_GROUPS`)."""


def _one_a_year(table: Any, rows: tuple[str, ...]) -> Any:
    """``table`` when each of its ``rows`` has one figure for each of its ``years``."""
    for row in rows:
        if len(getattr(table, row)) != len(table.years):
            raise ValueError(f"expected {len(table.years)} figures of {row}, one a year, got {getattr(table, row)}")
    return table


class PublishedProjection(BaseModel):
    """A paper's projection table: children a year at each stage, from the base year."""

    model_config = ConfigDict(extra="forbid")

    years: list[str] = Field(min_length=1, description="Years of the table, the base year first")
    referrals: list[float]
    assessments: list[float]
    conferences: list[float]
    plans: list[float]
    entries_into_care: list[float]

    @model_validator(mode="after")
    def _lengths(self) -> PublishedProjection:
        return _one_a_year(self, ("referrals", "assessments", "conferences", "plans", "entries_into_care"))


class PublishedSavings(BaseModel):
    """A paper's recurring savings table, £ millions a year."""

    model_config = ConfigDict(extra="forbid")

    years: list[str] = Field(min_length=1, description="Years of the table")
    placements: list[float]
    staff: list[float]
    total: list[float]

    @model_validator(mode="after")
    def _lengths(self) -> PublishedSavings:
        return _one_a_year(self, ("placements", "staff", "total"))


class PublishedFigures(BaseModel):
    """The tables of a council's own paper that the model reproduces, with their source."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="The paper: title, publisher and date, and where in it the tables are")
    projection: PublishedProjection | None = None
    savings_gbp_millions: PublishedSavings | None = None


class FlowParams(BaseModel):
    """Parameters with national defaults; a council file overrides them."""

    model_config = ConfigDict(extra="forbid")
    defaults_section: ClassVar[str] = SECTION

    base: BaseYearFlows | None = Field(
        default_factory=national(SECTION, "base"),
        description="Base-year volumes; when absent they come from the council's official statistics "
        "(DfE children in need and looked-after children tables, latest year published for every stage)",
    )
    assessments_per_referral: float = Field(
        default_factory=national(SECTION, "assessments_per_referral"), ge=0, le=1,
        description="Assessments per referral (0-1), used where assessment counts are not published",
    )  # fmt: skip
    entries_via_plan_share: float = Field(
        default_factory=national(SECTION, "entries_via_plan_share"), ge=0, le=1,
        description="Share (0-1) of entries into care that follow a child protection plan, used where not published",
    )  # fmt: skip
    repeat_referral_weight: float = Field(
        default_factory=national(SECTION, "repeat_referral_weight"), ge=0, le=3,
        description="Likelihood that an assessment of a repeat referral leads to a conference or a direct entry "
        "into care, relative to one of a new referral (1 = the same)",
    )  # fmt: skip
    re_referral_reduction: float = Field(
        default_factory=national(SECTION, "re_referral_reduction"), ge=0, le=1,
        description="Relative reduction (0-1) in the repeat referral rate at full effect (20% to 10% = 0.5)",
    )  # fmt: skip
    direct_entry_reduction: float = Field(
        default_factory=national(SECTION, "direct_entry_reduction"), ge=0, le=1,
        description="Relative reduction (0-1) in the rate of direct entry into care from assessment at full effect "
        "(4.8% to 4.3% of assessments, 'a 10% reduction')",
    )  # fmt: skip
    plan_to_care_reduction: float = Field(
        default_factory=national(SECTION, "plan_to_care_reduction"), ge=0, le=1,
        description="Relative reduction (0-1) in the share of child protection plans ending in care at full effect "
        "(32% to 24% = 0.25)",
    )  # fmt: skip
    phasing: ChangePhasing = Field(default_factory=ChangePhasing, description="Phasing of each change by year")
    placement_mix: dict[CareGroup, float] | None = Field(
        default_factory=national(SECTION, "placement_mix"),
        description="Share (0-1) of care in each placement group, adding up to 1, that weights the weekly prices "
        "of an avoided care entry; when absent: the council's children looked after at 31 March by placement",
    )
    care_episode_weeks: float | None = Field(
        default_factory=national(SECTION, "care_episode_weeks"), gt=0, le=1000,
        description="Mean length of a care episode, weeks; when absent: the council's children looked after at "
        "31 March / children starting care in the year x weeks a year",
    )  # fmt: skip
    placement_savings_phasing: list[float] = Field(
        default_factory=national(SECTION, "placement_savings_phasing"),
        description="Share (0-1) of the full recurring placement saving reached in each year after the base year",
    )
    staff_saving_per_avoided_referral_gbp: float = Field(
        default_factory=national(SECTION, "staff_saving_per_avoided_referral_gbp"), ge=0,
        description="Staff cost saved a year per referral avoided at full effect, £ a year",
    )  # fmt: skip
    staff_savings_phasing: list[float] = Field(
        default_factory=national(SECTION, "staff_savings_phasing"),
        description="Share (0-1) of the full recurring staff saving reached in each year after the base year",
    )
    funding_request: FundingRequest | None = Field(
        default_factory=national(SECTION, "funding_request"),
        description="An Innovation Programme style funding request with its line items (optional)",
    )
    published: PublishedFigures | None = Field(
        default_factory=national(SECTION, "published"),
        description="The projection and savings tables of the council's own paper, shown beside the model's (optional)",
    )

    @field_validator("placement_savings_phasing", "staff_savings_phasing")
    @classmethod
    def _profile(cls, values: list[float]) -> list[float]:
        return check_profile(values)

    @model_validator(mode="after")
    def _savings_years(self) -> FlowParams:
        if len(self.placement_savings_phasing) != len(self.staff_savings_phasing):
            raise ValueError(
                "expected placement_savings_phasing and staff_savings_phasing to cover the same years, got "
                f"{len(self.placement_savings_phasing)} and {len(self.staff_savings_phasing)} values"
            )
        return self
