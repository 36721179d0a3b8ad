"""The flow model for one council: inputs resolved, projection, savings, assumptions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook.council import Council
from carebook.defaults import default_source
from carebook.flow.calibrate import OfficialBase, base_from_official, cost_per_care_episode_from_official
from carebook.flow.model import FlowRates, base_rates, project
from carebook.flow.params import BaseYearFlows, FlowParams
from carebook.flow.savings import savings_by_year
from carebook.flow.scenarios import Scenario, scenario_from_params
from carebook.formats import count, money, share


@dataclass(frozen=True)
class FlowRun:
    """Everything the flow model page shows for one council."""

    params: FlowParams
    base: BaseYearFlows
    official: OfficialBase | None  #: set when the base year comes from official statistics
    rates: FlowRates
    scenario: Scenario
    projection: pd.DataFrame  #: with the changes
    counterfactual: pd.DataFrame  #: rates held at the base year
    cost_per_care_episode_gbp: float
    cost_source: str
    savings: pd.DataFrame


def run_flow_model(council: Council) -> FlowRun:
    """Resolve a council's inputs (its file, else official statistics) and run the model."""
    params: FlowParams = council.flow_model
    official = None if params.base is not None else base_from_official(council, params)
    base = params.base if official is None else official.base
    if params.cost_per_care_episode_gbp is not None:
        cost = params.cost_per_care_episode_gbp
        cost_source = f"{council.source_file} (flow_model.cost_per_care_episode_gbp)"
    else:
        cost, cost_source = cost_per_care_episode_from_official(council)
    rates = base_rates(base, params.repeat_referral_weight)
    scenario = scenario_from_params(params)
    projection = project(base, rates, scenario)
    return FlowRun(
        params=params,
        base=base,
        official=official,
        rates=rates,
        scenario=scenario,
        projection=projection,
        counterfactual=project(base, rates, scenario.without_changes()),
        cost_per_care_episode_gbp=cost,
        cost_source=cost_source,
        savings=savings_by_year(projection, params, cost),
    )


def assumptions_table(run: FlowRun, council_file: str | None) -> pd.DataFrame:
    """Each assumption with its value and source: assumption, value, source."""
    params = run.params
    own = params.model_fields_set

    def source(field: str) -> str:
        if council_file and field in own:
            return f"{council_file} (flow_model.{field})"
        return default_source(FlowParams, field)

    rows = [
        ("Base-year flows", f"{run.base.year}: {count(run.base.referrals)} referrals", run.base.source),
        ("Assessments per referral", f"{run.base.assessments / run.base.referrals:.3f}",
         source("assessments_per_referral") if run.official else run.base.source),
        ("Share of entries into care that follow a plan", share(run.base.entries_via_plan / run.base.entries_into_care),
         source("entries_via_plan_share") if run.official else run.base.source),
        ("Weight of a repeat referral's assessment (new = 1)", f"{params.repeat_referral_weight:.2f}", source("repeat_referral_weight")),
        ("Reduction in the re-referral rate", share(params.re_referral_reduction), source("re_referral_reduction")),
        ("Reduction in direct entry into care", share(params.direct_entry_reduction), source("direct_entry_reduction")),
        ("Reduction in plans ending in care", share(params.plan_to_care_reduction), source("plan_to_care_reduction")),
        ("Phasing (share of full effect by year)", ", ".join(map(share, params.phasing.direct_entry)),
         source("phasing")),
        ("Average cost of a care episode", money(run.cost_per_care_episode_gbp), run.cost_source),
        ("Placement savings ramp", ", ".join(map(share, params.placement_savings_phasing)), source("placement_savings_phasing")),
        ("Staff saving per referral avoided", f"{money(params.staff_saving_per_avoided_referral_gbp)} a year",
         source("staff_saving_per_avoided_referral_gbp")),
        ("Staff savings ramp", ", ".join(map(share, params.staff_savings_phasing)), source("staff_savings_phasing")),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["assumption", "value", "source"])
