"""The flow model for one council, as data: inputs, projection, savings, sensitivity and the
council's own paper beside the model (no display: :mod:`carebook.flow.page` shows it)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook.care_entry import CareEntryCost, council_care_entry_cost
from carebook.council import Council
from carebook.defaults import default_source
from carebook.flow.calibrate import OfficialBase, base_from_official
from carebook.flow.model import FlowRates, base_rates, project
from carebook.flow.params import BaseYearFlows, FlowParams
from carebook.flow.published import projection_comparison, savings_comparison
from carebook.flow.savings import check_funding_ties, savings_by_year
from carebook.flow.scenarios import Scenario, scenario_from_params
from carebook.flow.sensitivity import sensitivity_curves, sensitivity_grid
from carebook.formats import count, money, share


@dataclass(frozen=True)
class Inputs:
    """What the flow model reads besides the council file."""

    official: OfficialBase | None  #: base-year flows from official statistics (None: the council file gives them)
    care_entry: CareEntryCost  #: the placement cost of a care entry avoided


@dataclass(frozen=True)
class Result:
    """Everything the flow model page shows for one council."""

    params: FlowParams
    base: BaseYearFlows
    official: OfficialBase | None  #: set when the base year comes from official statistics
    rates: FlowRates
    scenario: Scenario
    projection: pd.DataFrame  #: with the changes, one row a year
    counterfactual: pd.DataFrame  #: rates held at the base year
    care_entry: CareEntryCost
    savings: pd.DataFrame  #: year, saving (placements/staff/total), saving_gbp
    curves: pd.DataFrame  #: Annex 2 curves (:func:`sensitivity_curves`)
    grid: pd.DataFrame  #: two-way grid of the care-entry rates (:func:`sensitivity_grid`)
    projection_vs_paper: pd.DataFrame | None  #: :func:`projection_comparison`, when the council file gives its paper's table
    savings_vs_paper: pd.DataFrame | None  #: :func:`savings_comparison`, likewise

    @property
    def fewer_entries(self) -> float:
        """Children a year fewer entering care once the changes are in full effect."""
        return float(self.projection["entries_into_care"].iloc[0] - self.projection["entries_into_care"].iloc[-1])

    @property
    def full_saving_gbp(self) -> float:
        """Recurring saving a year at full effect (placements and staff), £."""
        totals = self.savings[self.savings["saving"] == "total"]["saving_gbp"]
        return float(totals.iloc[-1])


def load_inputs(council: Council) -> Inputs:
    """The official statistics the flow model reads for ``council``: the base year (unless its
    file gives one) and the placement mix and length of care that cost a care entry."""
    params: FlowParams = council.flow_model
    _, mix_source = _own_source(council, "placement_mix")
    _, weeks_source = _own_source(council, "care_episode_weeks")
    return Inputs(
        official=None if params.base is not None else base_from_official(council, params),
        care_entry=council_care_entry_cost(council, params.placement_mix, mix_source,
                                           params.care_episode_weeks, weeks_source),
    )


def _own_source(council: Council, field: str) -> tuple[bool, str | None]:
    """Whether the council file sets ``flow_model.<field>``, and the file as its source."""
    own = field in council.flow_model.model_fields_set and council.source_file is not None
    return own, (f"{council.name}'s council file" if own else None)


def analyse(council: Council, inputs: Inputs | None = None) -> Result:
    """Project a council's flows with the changes in practice, cost the savings and set the
    council's own paper (where its file gives one) beside the model."""
    inputs = inputs if inputs is not None else load_inputs(council)
    params: FlowParams = council.flow_model
    if params.funding_request is not None:
        check_funding_ties(params.funding_request)
    base = params.base if inputs.official is None else inputs.official.base
    rates = base_rates(base, params.repeat_referral_weight)
    scenario = scenario_from_params(params)
    projection = project(base, rates, scenario)
    savings = savings_by_year(projection, params, inputs.care_entry.cost_gbp)
    published = params.published
    return Result(
        params=params,
        base=base,
        official=inputs.official,
        rates=rates,
        scenario=scenario,
        projection=projection,
        counterfactual=project(base, rates, scenario.without_changes()),
        care_entry=inputs.care_entry,
        savings=savings,
        curves=sensitivity_curves(base, rates, scenario),
        grid=sensitivity_grid(base, rates, scenario),
        projection_vs_paper=(projection_comparison(projection, published.projection)
                             if published and published.projection else None),
        savings_vs_paper=(savings_comparison(savings, published.savings_gbp_millions)
                          if published and published.savings_gbp_millions else None),
    )


def assumptions_table(result: Result, council: Council) -> pd.DataFrame:
    """Each assumption with its value and source: assumption, value, source (readers' words)."""
    params = result.params
    own = params.model_fields_set if council.source_file else set()

    def source(field: str) -> str:
        if field in own:
            return f"{council.name}'s council file"
        return default_source(FlowParams, field)

    entry = result.care_entry
    rows = [
        ("Base-year flows", f"{result.base.year}: {count(result.base.referrals)} referrals", result.base.source),
        ("Assessments per referral", f"{result.base.assessments / result.base.referrals:.3f}",
         source("assessments_per_referral") if result.official else result.base.source),
        ("Share of entries into care that follow a plan",
         share(result.base.entries_via_plan / result.base.entries_into_care),
         source("entries_via_plan_share") if result.official else result.base.source),
        ("Weight of a repeat referral's assessment (new = 1)", f"{params.repeat_referral_weight:.2f}",
         source("repeat_referral_weight")),
        ("Reduction in the re-referral rate", share(params.re_referral_reduction), source("re_referral_reduction")),
        ("Reduction in direct entry into care", share(params.direct_entry_reduction), source("direct_entry_reduction")),
        ("Reduction in plans ending in care", share(params.plan_to_care_reduction), source("plan_to_care_reduction")),
        ("Phasing (share of full effect by year)", ", ".join(map(share, params.phasing.direct_entry)), source("phasing")),
        ("Weekly cost of a placement, weighted by the placement mix", money(entry.weekly_cost_gbp), entry.mix_source),
        ("Mean length of a care episode", f"{count(entry.episode_weeks)} weeks", entry.weeks_source),
        ("Placement cost of a care entry avoided", money(entry.cost_gbp),
         "Weekly cost x mean length of a care episode (the same for every council)"),
        ("Placement savings ramp", ", ".join(map(share, params.placement_savings_phasing)),
         source("placement_savings_phasing")),
        ("Staff saving per referral avoided", f"{money(params.staff_saving_per_avoided_referral_gbp)} a year",
         source("staff_saving_per_avoided_referral_gbp")),
        ("Staff savings ramp", ", ".join(map(share, params.staff_savings_phasing)), source("staff_savings_phasing")),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["assumption", "value", "source"])
