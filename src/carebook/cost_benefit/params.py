"""Typed parameters of the cost_benefit analysis, read from a council file's section.

Money is in £ at the prices of ``price_year`` unless a field says otherwise; rates are
0-1; dates are ISO dates. The national defaults, with their units, sources and evidence
ratings, are in ``data/reference/defaults/cost_benefit.yml`` (:mod:`carebook.defaults`): no
council's programme is a default. A council's file states its own programme, and the
illustrative appraisal (:mod:`carebook.cost_benefit.illustrative`) reads Rotherham's from
data/councils/rotherham.yml.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from carebook.defaults import default_source, national, national_default
from carebook.errors import InputError
from carebook.prices import PricesParams, weekly_price
from carebook.units import FINANCE_WEEKS_A_YEAR
from carebook.validation import describe_validation_error, error_location

SECTION = "cost_benefit"
"""The file of national defaults (``data/reference/defaults/cost_benefit.yml``)."""

UncertainName = Literal[
    "success_rate", "counterfactual_cost_gbp_a_year", "service_cost_factor", "savings_factor", "investor_return"
]


class Section(BaseModel):
    """A strict parameter block: unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid")


class CostLine(Section):
    """One service cost line of the programme, paid month by month while it runs."""

    label: str = Field(description="Name of the line as in the financial plan, e.g. 'Residential (ITM)'")
    annual_cost_gbp: float = Field(ge=0, description="Running cost, £ a year at full operation")
    start: dt.date = Field(description="First day the line is paid")
    end: dt.date = Field(description="Last day the line is paid")
    set_up_gbp: float = Field(0.0, ge=0, description="One-off set-up cost charged to this line in its first year, £")
    bond_financed_in_hybrid: bool = Field(
        False, description="Under the hybrid option (3) this line is financed by the social investor"
    )

    @model_validator(mode="after")
    def _ends_after_start(self) -> CostLine:
        if self.end < self.start:
            raise ValueError(f"expected the end ({self.end}) on or after the start ({self.start})")
        return self


def _exact(value: float | str) -> Fraction:
    """A number or a fraction written as text ("17/15", "0.9") as an exact fraction."""
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"expected a number or a fraction such as 17/15, got {value!r}") from None


def _checked(value: float | str) -> float | str:
    _exact(value)
    return value


Number = Annotated[float | str, AfterValidator(_checked)]
"""A number, or (for a factor) an exact fraction written as text, e.g. "17/15"."""


class Distribution(Section):
    """A probability distribution for one uncertain parameter (Monte Carlo and tornado).

    With ``relative: true`` low, mode and high are factors of the parameter's base value
    (exact fractions such as "17/15" allowed), so the range moves with the parameter.
    """

    kind: Literal["triangular", "uniform", "normal"] = Field(description="Shape of the distribution")
    low: Number = Field(description="Lowest value (normal: 10th percentile)")
    high: Number = Field(description="Highest value (normal: 90th percentile)")
    mode: Number | None = Field(None, description="Most likely value (triangular only)")
    relative: bool = Field(False, description="True when low, mode and high are factors of the base value")

    @model_validator(mode="after")
    def _ordered(self) -> Distribution:
        low, high = _exact(self.low), _exact(self.high)
        if high < low:
            raise ValueError(f"expected high ({self.high}) at least low ({self.low})")
        if self.kind == "triangular" and (self.mode is None or not low <= _exact(self.mode) <= high):
            raise ValueError("expected a triangular distribution with low <= mode <= high")
        return self

    def at(self, base: float) -> Distribution:
        """The distribution in the parameter's own units: factors times ``base`` (exactly, then
        rounded once to a float) when relative, else the values as written."""
        scale = Fraction(base) if self.relative else Fraction(1)

        def value(x: float | str | None) -> float | None:
            return None if x is None else float(scale * _exact(x))

        return Distribution(kind=self.kind, low=value(self.low), mode=value(self.mode), high=value(self.high))


class LifeChancesFund(Section):
    """The Life Chances Fund top-up of outcome payments (social impact bond options only)."""

    annual_gbp: float = Field(0.0, ge=0, description="Fixed grant towards outcome payments, £ a year")
    years: int = Field(0, ge=0, description="Number of financial years the fixed grant is paid")
    first_year: int | None = Field(None, ge=1990, le=2100, description="Financial year the fixed grant starts (2019 = 2019/20)")
    share_of_payments: float = Field(0.0, ge=0, le=1, description="Share of each outcome payment the fund pays, 0-1")
    cap_gbp: float | None = Field(None, ge=0, description="Most the fund pays over the programme, £")
    source: str = ""


class QualityMeasure(Section):
    """One weighted measure of a quality-bonus contract, with its quarterly results."""

    name: str
    weight: float = Field(ge=0, le=1, description="Weight in the total, 0-1")
    scores: list[float | None] = Field(description="Quarterly scores out of 5 (None where the measure is a percentage)")
    percentages: list[float | None] = Field(
        default_factory=list, description="Quarterly percentages used where there is no score, 0-100"
    )


class QualityBonus(Section):
    """Weighted quarterly quality scores converted into an outcome bonus (Buckinghamshire)."""

    measures: list[QualityMeasure]
    thresholds: dict[float, float] = Field(
        default={80.0: 0.01, 90.0: 0.02},
        description="Weighted total (%) from which each bonus rate of the quarter's contract value applies",
    )
    annual_cap: float = Field(0.02, ge=0, le=1, description="Most bonus in a year, share of contract value")
    annual_contract_value_gbp: float = Field(ge=0, description="Contract value, £ a year")
    source: str = ""

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> QualityBonus:
        total = sum(m.weight for m in self.measures)
        if abs(total - 1) > 1e-6:
            raise ValueError(f"expected measure weights adding up to 1, got {total:g}")
        return self


class BlockContract(Section):
    """A block contract of places against spot purchase of the same placements."""

    places: float = Field(gt=0, description="Places in the block, children")
    block_weekly_price_gbp: float = Field(ge=0, description="Block price, £ a place a week, paid whether used or not")
    spot_weekly_price_gbp: float | None = Field(
        None, ge=0, description="Spot price of a comparable placement, £ a week (default: the council's external "
        "residential price, carebook.prices)")
    occupancy: float = Field(0.9, ge=0, le=1, description="Share of block places used, 0-1")
    start: dt.date
    end: dt.date
    ramp_up_months: int = Field(0, ge=0, description="Months to reach full occupancy (linear)")

    @model_validator(mode="after")
    def _ends_after_start(self) -> BlockContract:
        if self.end < self.start:
            raise ValueError(f"expected the end ({self.end}) on or after the start ({self.start})")
        return self


class SourceHeadline(Section):
    """The headline figure of the council's own paper, typed from it with its citation, so the
    page can set it beside the model's and reconcile the two."""

    label: str = Field(description="What the paper's headline measures, in the paper's words")
    value_gbp: float = Field(description="The headline as the paper states it, £ (a saving positive)")
    stated_as: str = Field(description="The figure as the paper writes it, e.g. '£4.2m'")
    measure: Literal["final_year_reduction"] = Field(
        description="final_year_reduction: the reduction in the year's placement spending in the plan's last year")
    source: str = Field(description="Document, page or paragraph the headline is quoted from")


class SourceRow(Section):
    """One line of the council's own financial plan and the line of the model it corresponds to."""

    label: str = Field(description="The line as the paper names it")
    line: str | None = Field(None, description="The model's line it corresponds to (None: the model has none)")
    values_gbp: list[float | None] = Field(description="The paper's figures by plan year, £ (None where blank)")
    reason: str | None = Field(None, description="Why the model departs from the paper on this line, where it does")


class SourceSummaryLine(Section):
    """One of the summary lines the paper prints above its plan."""

    label: str
    value_gbp: float = Field(description="The figure as the paper states it, £")
    stated_as: str = Field(description="As the paper writes it, e.g. '£10.5m'")
    measure: Literal["baseline_budget", "final_year_budget", "final_year_reduction"] = Field(
        description="baseline_budget: the original placement forecast for a full year; final_year_budget: the "
        "combined budget in the plan's last year; final_year_reduction: the original less the combined budget then")
    reason: str | None = None


class SourceTable(Section):
    """The council's own financial plan, typed from its paper, to show beside the model's."""

    title: str = Field(description="The table's title in the paper")
    source: str = Field(description="Document and page the table is typed from")
    rounding_gbp: float = Field(1.0, gt=0, description="The precision of the summary lines, £ (1000 for £0.001m)")
    summary_lines: list[SourceSummaryLine] = Field(default_factory=list)
    rows: list[SourceRow]


def _counterfactual_cost() -> float:
    """The national default cost of the placement a programme avoids: the catalogue's weekly
    price of an external residential placement x the 52 weeks of a budget year."""
    national_default(SECTION, "counterfactual_cost_gbp_a_year")  # the entry that cites this rule
    return weekly_price(None, "residential", "external") * FINANCE_WEEKS_A_YEAR


def _distributions() -> dict[str, Distribution]:
    return {name: Distribution.model_validate(d) for name, d in national(SECTION, "uncertainty")().items()}


def _fund() -> LifeChancesFund:
    return LifeChancesFund.model_validate(national(SECTION, "life_chances_fund")())


class CostBenefitParams(Section):
    """Parameters of a council's programme; the national defaults (conventions and neutral
    placeholders) are in ``data/reference/defaults/cost_benefit.yml``."""

    defaults_section: ClassVar[str] = SECTION

    programme: str = Field(default_factory=national(SECTION, "programme"), description="Name of the programme appraised")
    summary: str = Field(default_factory=national(SECTION, "summary"), description="One or two sentences describing the programme")
    illustrative: bool = Field(
        default_factory=national(SECTION, "illustrative"),
        description="True when the appraisal is an illustration, not the council's own plan")
    source: str = Field(default_factory=national(SECTION, "source"), description="Where the programme's figures come from")
    sources: dict[str, str] = Field(
        default_factory=national(SECTION, "sources"), description="Source of each value a council file sets, by parameter name"
    )
    source_headline: SourceHeadline | None = Field(
        default_factory=national(SECTION, "source_headline"), description="The headline of the council's own paper")
    source_table: SourceTable | None = Field(
        default_factory=national(SECTION, "source_table"), description="The financial plan of the council's own paper")

    benefit_model: Literal["cohort", "stated", "block_contract"] = Field(
        default_factory=national(SECTION, "benefit_model"),
        description="How the savings arise: children through an intervention, savings stated by year, or block "
        "places against spot purchase",
    )
    first_financial_year: int = Field(
        default_factory=national(SECTION, "first_financial_year"), ge=1990, le=2100,
        description="First financial year of the plan (2018 = 2018/19)")
    plan_years: int = Field(default_factory=national(SECTION, "plan_years"), ge=1, le=30, description="Financial years shown in the plan")
    price_year: int = Field(default_factory=national(SECTION, "price_year"), ge=1990, le=2100, description="Year whose prices the £ figures are in")

    # --- cohort model -------------------------------------------------------------------
    intake_start: dt.date = Field(default_factory=national(SECTION, "intake_start"), description="First children start the programme")
    intake_end: dt.date = Field(default_factory=national(SECTION, "intake_end"), description="Last day a programme placement can run")
    children_a_year: float = Field(default_factory=national(SECTION, "children_a_year"), ge=0, description="Capacity, children a year")
    programme_quarters: int = Field(
        default_factory=national(SECTION, "programme_quarters"), ge=0, le=8,
        description="Quarters a child spends in the programme placement whose cost the budget transfer covers "
        "(0 for a service delivered at home)",
    )
    success_rate: float = Field(
        default_factory=national(SECTION, "success_rate"), ge=0, le=1,
        description="Share of children for whom the programme succeeds (reunified or kept out of care)",
    )
    counterfactual_in_care_share: float = Field(
        default_factory=national(SECTION, "counterfactual_in_care_share"), ge=0, le=1,
        description="Share of children who would be in the counterfactual placement without the programme",
    )
    counterfactual_cost_gbp_a_year: float = Field(
        default_factory=_counterfactual_cost, ge=0, description="Cost of the counterfactual placement, £ a year")
    failure_cost_gbp_a_year: float | None = Field(
        default_factory=national(SECTION, "failure_cost_gbp_a_year"), ge=0,
        description="Cost of the placement a child moves to when the programme fails, £ a year "
        "(default: the counterfactual placement, so no saving)",
    )
    success_cost_gbp_a_year: float = Field(
        default_factory=national(SECTION, "success_cost_gbp_a_year"), ge=0,
        description="Cost of where a child lives after a successful programme, £ a year (0 at home with family)"
    )
    counterfactual_exits: dict[int, float] = Field(
        default_factory=national(SECTION, "counterfactual_exits"),
        description="Share of children whose counterfactual placement would have ended anyway (e.g. at 18), "
        "by quarter after entry; the rest stay beyond the horizon",
    )
    baseline_placement_budget_gbp_a_year: float | None = Field(
        default_factory=national(SECTION, "baseline_placement_budget_gbp_a_year"), ge=0,
        description="Original placement budget forecast the savings come out of, £ a year",
    )
    cost_lines: list[CostLine] = Field(
        default_factory=national(SECTION, "cost_lines"), description="Service cost lines of the programme"
    )

    # --- stated and block-contract models --------------------------------------------------
    stated_savings_gbp: list[float] = Field(
        default_factory=national(SECTION, "stated_savings_gbp"), description="Savings by plan year, £ (stated model)")
    block_contract: BlockContract | None = Field(default_factory=national(SECTION, "block_contract"))

    # --- financing ---------------------------------------------------------------------------
    investor_return: float = Field(
        default_factory=national(SECTION, "investor_return"), ge=0, le=0.10,
        description="Return the social investor is paid on the capital at base-case outcomes, 0-0.10",
    )
    outcome_payment_basis: Literal["per_success", "per_care_day"] = Field(
        default_factory=national(SECTION, "outcome_payment_basis"),
        description="What an outcome payment pays for: each child achieving the outcome, or each day of care saved"
    )
    payment_lag_years: int = Field(
        default_factory=national(SECTION, "payment_lag_years"), ge=0, le=5,
        description="Years between an outcome and its payment (verification)")
    life_chances_fund: LifeChancesFund = Field(
        default_factory=_fund, description="Life Chances Fund top-up of outcome payments")
    quality_bonus: QualityBonus | None = Field(default_factory=national(SECTION, "quality_bonus"))

    # --- Green Book appraisal ------------------------------------------------------------------
    discount_schedule: Literal["standard", "health"] = Field(
        default_factory=national(SECTION, "discount_schedule"), description="STPR schedule used")
    optimism_bias: float = Field(
        default_factory=national(SECTION, "optimism_bias"), ge=0, le=2, description="Uplift to costs for optimism bias, 0-2")

    # --- uncertainty --------------------------------------------------------------------------
    uncertainty: dict[UncertainName, Distribution] = Field(
        default_factory=_distributions, description="Distributions of the uncertain parameters")
    monte_carlo_draws: int = Field(
        default_factory=national(SECTION, "monte_carlo_draws"), ge=1_000, le=1_000_000, description="Monte Carlo draws")
    seed: int = Field(default_factory=national(SECTION, "seed"), description="Random seed of the Monte Carlo")

    @model_validator(mode="after")
    def _consistent(self) -> CostBenefitParams:
        if self.intake_end < self.intake_start:
            raise ValueError(f"expected intake_end ({self.intake_end}) on or after intake_start ({self.intake_start})")
        if any(q < 0 for q in self.counterfactual_exits) or any(not 0 <= s <= 1 for s in self.counterfactual_exits.values()):
            raise ValueError("expected counterfactual_exits as quarter (>= 0): share (0-1)")
        if sum(self.counterfactual_exits.values()) > 1 + 1e-9:
            raise ValueError("expected counterfactual_exits shares adding up to at most 1")
        if self.benefit_model == "stated" and len(self.stated_savings_gbp) != self.plan_years:
            raise ValueError(f"expected {self.plan_years} stated_savings_gbp values, one a plan year")
        if self.benefit_model == "block_contract" and self.block_contract is None:
            raise ValueError("expected a block_contract section for benefit_model block_contract")
        return self

    def with_prices(self, prices: PricesParams | None) -> CostBenefitParams:
        """These parameters with a block contract's spot price taken from the council's
        external residential price (its ``prices:`` section, else the national catalogue)
        where the section sets none."""
        contract = self.block_contract
        if contract is None or contract.spot_weekly_price_gbp is not None:
            return self
        spot = weekly_price(prices, "residential", "external")
        return self.model_copy(update={"block_contract": contract.model_copy(update={"spot_weekly_price_gbp": spot})})

    @property
    def failure_cost(self) -> float:
        """Cost of the placement after a failed programme, £ a year."""
        return self.counterfactual_cost_gbp_a_year if self.failure_cost_gbp_a_year is None else self.failure_cost_gbp_a_year


def parse_section(section: dict[str, Any] | None, file: str | None = None) -> CostBenefitParams:
    """Validate a council file's ``cost_benefit:`` section into parameters.

    Raises one InputError naming the field and saying what was expected.
    """
    try:
        return CostBenefitParams.model_validate(section or {})
    except ValidationError as error:
        loc = error_location(error)
        where = "cost_benefit" + (f".{loc}" if loc else "")
        raise InputError(describe_validation_error(error, CostBenefitParams), file=file, where=where) from None


COHORT_ONLY = {
    "intake_start", "intake_end", "children_a_year", "programme_quarters", "success_rate", "counterfactual_in_care_share",
    "counterfactual_cost_gbp_a_year", "failure_cost_gbp_a_year", "success_cost_gbp_a_year", "counterfactual_exits",
    "investor_return", "outcome_payment_basis", "payment_lag_years",
}
"""Parameters that only the cohort model (a programme working with children) uses."""


DESCRIPTIVE = frozenset({"programme", "summary", "source", "sources", "illustrative", "uncertainty",
                         "source_headline", "source_table"})
"""Fields of the cost_benefit section that describe the programme rather than enter the sums."""


SECTIONS = frozenset({"block_contract", "quality_bonus", "life_chances_fund", "cost_lines", "stated_savings_gbp"})
"""Parts of the section the assumptions table shows in rows of their own."""


def assumptions_table(params: CostBenefitParams) -> list[dict[str, Any]]:
    """Every scalar parameter the appraisal uses, with its value, description and source (for the book)."""
    rows = []
    for name, field in CostBenefitParams.model_fields.items():
        value = getattr(params, name)
        if params.benefit_model != "cohort" and name in COHORT_ONLY:
            continue
        if name in DESCRIPTIVE or name in SECTIONS or isinstance(value, BaseModel | list):
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v:g}" for k, v in value.items())
        if name in params.sources:
            source = params.sources[name]
        elif name in params.model_fields_set:
            source = params.source
        else:
            source = default_source(CostBenefitParams, name)
        rows.append({"parameter": name, "value": value, "description": field.description or "", "source": source})
    return rows
