"""The flow model page: run the model for the page's council, glue its numbers, show its
tables and charts, and save its results (the notebook only calls these)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from carebook import comparator, formats
from carebook.provenance import parameter
from carebook.flow import calibrate, charts
from carebook.flow.analysis import FlowRun, assumptions_table, run_flow_model
from carebook.flow.model import projection_display, projection_table, stage_balance
from carebook.flow.savings import (
    check_funding_ties,
    funding_lines,
    funding_request_table,
    full_effect_reductions,
    savings_display,
    variance_summary,
)
from carebook.flow.sensitivity import sensitivity_curves, sensitivity_grid

if TYPE_CHECKING:  # IPython and myst-nb are loaded by the notebooks alone
    from carebook.notebook import Page


PRACTICE_INPUTS = ("flow_model.base", "flow_model.re_referral_reduction", "flow_model.direct_entry_reduction",
                   "flow_model.plan_to_care_reduction", "flow_model.phasing", "flow_model.repeat_referral_weight",
                   calibrate.C1, calibrate.C4, calibrate.D3, calibrate.CLA)
"""What the projected flows rest on (``carebook.provenance``): the base year (the council file's or
the official statistics), the changes in practice and their phasing."""
SAVING_INPUTS = PRACTICE_INPUTS + ("flow_model.cost_per_care_episode_gbp", "flow_model.placement_savings_phasing",
                                   "flow_model.staff_saving_per_avoided_referral_gbp", "flow_model.staff_savings_phasing",
                                   calibrate.RO3)
"""What the savings rest on: the flows, the cost of a care episode and the staff saving."""


@dataclass(frozen=True)
class FlowPage:
    """The model run and the sensitivity tables the page shows."""

    flow: FlowRun
    curves: pd.DataFrame  #: Annex 2 curves (see sensitivity.sensitivity_curves)
    grid: pd.DataFrame  #: two-way grid of the care-entry rates


def run(page: Page) -> FlowPage:
    """Run the model for the page's council, glue the narrative numbers and save the results."""
    flow = run_flow_model(page.council)
    if flow.params.funding_request is not None:
        check_funding_ties(flow.params.funding_request)
    result = FlowPage(
        flow=flow,
        curves=sensitivity_curves(flow.base, flow.rates, flow.scenario),
        grid=sensitivity_grid(flow.base, flow.rates, flow.scenario),
    )
    glue_numbers(page, flow)
    summarise(page, flow)
    save_results(page, result)
    glue_figures(page, result)
    return result


def glue_numbers(page: Page, flow: FlowRun) -> None:
    """Glue every number the page's prose quotes."""
    projection, rates, params = flow.projection, flow.rates, flow.params
    first, last = projection.iloc[0], projection.iloc[-1]
    fewer = full_effect_reductions(projection)
    estimated = bool(flow.official and flow.official.comparators)
    totals = flow.savings[flow.savings["saving"] == "total"].set_index("year")["saving_gbp"]
    page.glue("base_year", projection.index[0], fmt="{}")
    page.glue("final_year", projection.index[-1], fmt="{}")
    page.glue("first_saving_year", totals.index[0], fmt="{}")
    page.glue("full_saving_year", totals[totals >= totals.iloc[-1] - 0.5].index[0], fmt="{}")
    page.glue("base_source", flow.base.source, fmt="{}")
    for stage in ("referrals", "assessments", "conferences", "plans", "entries_into_care", "repeat_referrals",
                  "direct_entries", "entries_via_plan"):
        page.glue(f"{stage}_base", first[stage])
        page.glue(f"{stage}_final", last[stage])
    page.glue("fewer_referrals", fewer["referrals"], headline=comparator.marked("Fewer referrals a year once the change is in full effect", estimated),
              inputs=PRACTICE_INPUTS)
    page.glue("fewer_entries", fewer["entries_into_care"],
              headline=comparator.marked("Fewer children entering care a year once the change is in full effect", estimated), inputs=PRACTICE_INPUTS)
    page.glue("fewer_entries_share", fewer["entries_into_care"] / first["entries_into_care"], fmt="{:.0%}")
    page.glue("recurring_saving", totals.iloc[-1] / 1e6, fmt="£{:,.2f}m",
              headline=comparator.marked("Recurring saving at full effect, £ millions a year (placements and staff)", estimated), inputs=SAVING_INPUTS)
    page.glue("re_referral_base", rates.repeat_referral_rate, fmt="{:.0%}")
    page.glue("re_referral_target", rates.repeat_referral_rate * (1 - params.re_referral_reduction), fmt="{:.0%}")
    page.glue("direct_base", rates.direct_entry_rate, fmt="{:.1%}")
    page.glue("direct_target", rates.direct_entry_rate * (1 - params.direct_entry_reduction), fmt="{:.1%}")
    page.glue("plan_base", rates.plan_to_care_rate, fmt="{:.0%}")
    page.glue("plan_target", rates.plan_to_care_rate * (1 - params.plan_to_care_reduction), fmt="{:.0%}")
    page.glue("repeat_weight", params.repeat_referral_weight, fmt="{:.2f}")
    page.glue("assessments_per_referral", flow.base.assessments / flow.base.referrals, fmt="{:.3f}")
    page.glue("cost_per_episode", flow.cost_per_care_episode_gbp, fmt=formats.money)
    page.glue("conference_change", last["conferences"] - first["conferences"], fmt="{:+,.0f}")


def summarise(page: Page, flow: FlowRun) -> None:
    """The flow model's entry in the council's executive summary; marked ``comparator`` when
    some base-year figures are a comparator's estimates."""
    estimated = bool(flow.official and flow.official.comparators)
    fewer = full_effect_reductions(flow.projection)
    totals = flow.savings[flow.savings["saving"] == "total"]["saving_gbp"]
    page.summary(
        answer=f"If practice changes as assumed, entries into care fall by {_children(fewer['entries_into_care'])} a year "
               f"once the change is in full effect, a recurring saving of {formats.money(totals.iloc[-1])} a year.",
        decision="Whether to invest in changing social work practice from referral to child protection.",
        certainty="Illustrative: the changes in practice are assumed sizes, not measured effects"
                  + ("; some base-year figures are estimated from comparator councils." if estimated else "."),
        basis=("comparator",) if estimated else (),
        figure="fewer_entries",
    )


def _children(number: float) -> str:
    """``3.2`` -> "3 children", ``1`` -> "1 child", ``0.1`` -> "less than one child"."""
    if number < 0.5:
        return "less than one child"
    shown = formats.count(number)
    return f"{shown} child" if shown == "1" else f"{shown} children"


def save_results(page: Page, result: FlowPage) -> None:
    """Tidy results: projection, stage balance, sensitivity curves and grid, savings, funding request."""
    flow = result.flow
    page.save("flow_projection", projection_table(flow.projection))
    page.save("flow_stage_balance", stage_balance(flow.projection))
    page.save("flow_sensitivity", result.curves)
    page.save("flow_sensitivity_grid", result.grid)
    page.save("flow_savings", flow.savings)
    if flow.params.funding_request is not None:
        page.save("flow_funding_request", funding_lines(flow.params.funding_request))


def show_source(page: Page, flow: FlowRun) -> None:
    """Say where the base year comes from; for official statistics, show the figures read."""
    if flow.official is None:
        page.notice(f"Base-year flows from {flow.base.source}.", kind="note")
        return
    _, assessments_source = parameter(page.council, "flow_model.assessments_per_referral")
    _, via_plan_source = parameter(page.council, "flow_model.entries_via_plan_share")
    page.notice(
        f"Base-year flows from {page.council.name}'s own official statistics ({flow.base.year})"
        f"{', with the figures it does not publish estimated from a comparator (below)' if flow.official.comparators else ''}. "
        f"Assessment counts are not in these tables: assessments are taken as "
        f"{flow.params.assessments_per_referral:.3f} per referral ({assessments_source}), and "
        f"{formats.share(flow.params.entries_via_plan_share)} of children entering care are taken to have had a "
        f"child protection plan ({via_plan_source}).",
        kind="important",
    )
    if flow.official.comparators:
        page.notice(comparator.note(page.council.name, [label.lower() for label in flow.official.estimated],
                                    flow.official.comparators), kind="important")
    evidence = flow.official.evidence.assign(year=flow.base.year, basis=flow.official.evidence["basis"].map(
        {comparator.OWN: "published", comparator.COMPARATOR: comparator.LABEL}))
    page.table(
        evidence[["label", "year", "children", "basis", "file", "column"]].rename(columns={
            "label": "Published figure", "year": "Year", "children": "Children", "basis": "Basis", "file": "File",
            "column": "Column"}),
        caption=f"Official figures for {page.council.name} used as the base year",
    )  # fmt: skip


def show_projection(page: Page, flow: FlowRun) -> None:
    """The projection table in the seed's layout (children a year, change against the base year)."""
    table = projection_display(flow.projection).rename_axis("Stage")
    page.table(table, caption="Projected children at each stage, with the change against the base year",
               index=True, formats={c: "{:,.0f}" for c in table.columns})


def show_rates(page: Page, flow: FlowRun) -> None:
    """Rates in force each year (0-1 shown as %)."""
    rates = flow.projection[["re_referral_rate", "direct_entry_rate", "plan_to_care_rate"]].T
    rates.index = [
        "Re-referral rate of cases closed in the year",
        "Direct entry into care, share of all assessments",
        "Plans ending in care",
    ]
    rates.columns.name = None
    rates.index.name = "Rate"
    page.table(rates, caption="Rates in force each year", index=True, formats={c: "{:.1%}" for c in rates.columns})


def show_savings(page: Page, flow: FlowRun) -> None:
    """Savings by year in £ millions."""
    table = savings_display(flow.savings).rename_axis("Saving")
    page.table(table, caption="Projected recurring cost savings, £ millions a year", index=True,
               formats={c: "£{:,.2f}m" for c in table.columns})


def show_funding_request(page: Page, flow: FlowRun) -> None:
    """The funding request and its variance to the previous proposal, or a note that there is none."""
    request = flow.params.funding_request
    if request is None:
        page.notice(f"{page.council.name}'s file records no funding request (flow_model.funding_request).", kind="note")
        return
    table = funding_request_table(request).rename_axis("Line item")
    page.table(table, caption=f"Funding request to the {request.funder}, £ thousands", index=True,
               formats=dict.fromkeys(table.columns, formats.amount))
    summary = variance_summary(request).rename_axis("Change")
    page.table(summary, caption="Variances to the previous proposal, £ thousands", index=True,
               formats=dict.fromkeys(summary.columns, formats.amount))


def show_assumptions(page: Page, flow: FlowRun) -> None:
    """Each assumption with its value and source."""
    table = assumptions_table(flow, page.council.source_file)
    page.table(table.rename(columns=str.capitalize), caption="Assumptions of the flow model")


def glue_figures(page: Page, result: FlowPage) -> None:
    """Glue the flow diagram, the Annex 2 charts and the savings chart."""
    page.figure("flow_diagram", charts.flow_diagram(result.flow.projection))
    page.figure("sensitivity_curves", charts.sensitivity_chart(result.curves))
    page.figure("sensitivity_grid", charts.sensitivity_grid_chart(result.grid))
    page.figure("savings_chart", charts.savings_chart(result.flow.savings))
