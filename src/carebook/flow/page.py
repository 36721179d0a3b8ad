"""The flow model page: glue the figures of a :class:`~carebook.flow.analysis.Result`, its
charts and its summary entry, save its results, and show its tables (the notebook only calls
these, in readers' words)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carebook import comparator, formats
from carebook.care_entry import CHARACTERISTICS_FILE, NUMBERS_FILE
from carebook.flow import calibrate, charts
from carebook.flow.analysis import Result, assumptions_table
from carebook.flow.model import projection_display, projection_table, stage_balance
from carebook.flow.published import comparison_display, projection_reasons, reasons_text, savings_reasons
from carebook.text import markdown_literal
from carebook.flow.savings import (
    funding_lines,
    funding_request_table,
    full_effect_reductions,
    savings_display,
    variance_summary,
)

if TYPE_CHECKING:  # IPython and myst-nb are loaded by the notebooks alone
    from carebook.notebook import Page

PRACTICE_INPUTS = ("flow_model.base", "flow_model.re_referral_reduction", "flow_model.direct_entry_reduction",
                   "flow_model.plan_to_care_reduction", "flow_model.phasing", "flow_model.repeat_referral_weight",
                   calibrate.C1, calibrate.C4, calibrate.D3, calibrate.CLA)
"""What the projected flows rest on (``carebook.provenance``): the base year (the council file's or
the official statistics), the changes in practice and their phasing."""
CARE_ENTRY_INPUTS = ("flow_model.placement_mix", "flow_model.care_episode_weeks", CHARACTERISTICS_FILE, NUMBERS_FILE)
"""What the cost of a care entry rests on: the placement mix, the length of care and the prices."""
SAVING_INPUTS = PRACTICE_INPUTS + CARE_ENTRY_INPUTS + (
    "flow_model.placement_savings_phasing", "flow_model.staff_saving_per_avoided_referral_gbp",
    "flow_model.staff_savings_phasing")
"""What the savings rest on: the flows, the cost of a care entry and the staff saving."""
CHANGES = ("re_referral_reduction", "direct_entry_reduction", "plan_to_care_reduction")


def show(page: Page, result: Result) -> None:
    """Glue every figure and chart of the page, save its results and record its summary entry."""
    glue_numbers(page, result)
    glue_figures(page, result)
    save_results(page, result)
    summarise(page, result)


def glue_numbers(page: Page, result: Result) -> None:
    """Glue every number the page's prose quotes."""
    projection, rates, params, entry = result.projection, result.rates, result.params, result.care_entry
    first, last = projection.iloc[0], projection.iloc[-1]
    fewer = full_effect_reductions(projection)
    estimated = estimated_base(result)
    totals = result.savings[result.savings["saving"] == "total"].set_index("year")["saving_gbp"]
    page.glue("base_year", projection.index[0], fmt="{}")
    page.glue("final_year", projection.index[-1], fmt="{}")
    page.glue("first_saving_year", totals.index[0], fmt="{}")
    page.glue("full_saving_year", totals[totals >= totals.iloc[-1] - 0.5].index[0], fmt="{}")
    page.glue("base_source", result.base.source, fmt="{}")
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
    page.glue("assessments_per_referral", result.base.assessments / result.base.referrals, fmt="{:.3f}")
    page.glue("cost_per_entry", entry.cost_gbp, fmt=formats.money, inputs=CARE_ENTRY_INPUTS,
              headline="Placement cost of a care entry avoided (placement prices x length of a care episode)")
    page.glue("weekly_placement_cost", entry.weekly_cost_gbp, fmt=formats.money, inputs=CARE_ENTRY_INPUTS,
              label="Weekly cost of a placement, weighted by the placement mix")
    page.glue("care_episode_weeks", entry.episode_weeks, inputs=("flow_model.care_episode_weeks", NUMBERS_FILE),
              label="Mean length of a care episode, weeks")
    page.glue("conference_change", last["conferences"] - first["conferences"], fmt="{:+,.0f}")


def glue_figures(page: Page, result: Result) -> None:
    """Glue the flow diagram, the Annex 2 charts and the savings chart."""
    page.figure("flow_diagram", charts.flow_diagram(result.projection))
    page.figure("sensitivity_curves", charts.sensitivity_chart(result.curves))
    page.figure("sensitivity_grid", charts.sensitivity_grid_chart(result.grid))
    page.figure("savings_chart", charts.savings_chart(result.savings))


def save_results(page: Page, result: Result) -> None:
    """Tidy results: projection, stage balance, sensitivity, savings, the cost of a care entry,
    the funding request and the comparison with the council's own paper."""
    page.save("flow_projection", projection_table(result.projection))
    page.save("flow_stage_balance", stage_balance(result.projection))
    page.save("flow_sensitivity", result.curves)
    page.save("flow_sensitivity_grid", result.grid)
    page.save("flow_savings", result.savings)
    page.save("flow_care_entry_cost", result.care_entry.table().assign(episode_weeks=result.care_entry.episode_weeks,
                                                                      cost_per_entry_gbp=result.care_entry.cost_gbp))
    if result.params.funding_request is not None:
        page.save("flow_funding_request", funding_lines(result.params.funding_request))
    if result.projection_vs_paper is not None:
        page.save("flow_projection_vs_paper", result.projection_vs_paper)
    if result.savings_vs_paper is not None:
        page.save("flow_savings_vs_paper", result.savings_vs_paper)


def estimated_base(result: Result) -> bool:
    """Whether some base-year figures are a comparator's estimates (the council does not publish them)."""
    return bool(result.official and result.official.comparators)


def own_changes(page: Page) -> bool:
    """Whether the council file states its own sizes of the three changes in practice."""
    return page.council.source_file is not None and set(CHANGES) <= page.council.flow_model.model_fields_set


def summarise(page: Page, result: Result) -> None:
    """The page's entry in the council's executive summary."""
    name = page.council.name
    saving = formats.money_millions(result.full_saving_gbp)
    entry = result.care_entry
    changes = ("the sizes of the three changes are the council's own assumptions" if own_changes(page) else
               "the sizes of the three changes are those the Tri-borough assumed in its 2014 bid, not measured "
               f"for {name}")
    page.summary(
        answer=(f"For {name}: if social work practice changed as modelled, {formats.children(result.fewer_entries)} "
                f"fewer a year would enter care once the change is in full effect, saving about {saving} a year "
                f"in placements and staff; each entry avoided saves {formats.money(entry.cost_gbp)} of placements."),
        decision=("Whether to invest in changing social work practice (fewer repeat referrals, fewer children "
                  "entering care from assessment or a child protection plan), and how much saving to plan for."),
        certainty=(f"Amber: {changes}; there is no range. An avoided entry is costed the same way for every "
                   f"council: {formats.money(entry.weekly_cost_gbp)} a week (placement prices weighted by the "
                   f"placement mix) for {formats.count(entry.episode_weeks)} weeks, the mean length of a care episode."
                   + (" Some base-year figures are estimated from comparator councils, as the council does not "
                      "publish them." if estimated_base(result) else "")),
        basis=(() if own_changes(page) else ("illustrative",)) + (("comparator",) if estimated_base(result) else ()),
        figure="recurring_saving",
    )


def show_source(page: Page, result: Result) -> None:
    """Say where the base year comes from; for official statistics, show the figures read."""
    if result.official is None:
        page.notice(f"Base-year flows from the {markdown_literal(result.base.source)}.", kind="note")
        return
    params = result.params
    page.notice(
        f"Base-year flows from {page.council.name}'s own official statistics ({result.base.year})"
        f"{', with the figures it does not publish estimated from a comparator (below)' if estimated_base(result) else ''}. "
        f"Assessment counts are not in these tables: assessments are taken as "
        f"{params.assessments_per_referral:.3f} per referral, and {formats.share(params.entries_via_plan_share)} "
        "of children entering care are taken to have had a child protection plan, as in the Tri-borough's bid "
        "(see the assumptions below).",
        kind="important",
    )
    if result.official.comparators:
        page.notice(comparator.note(page.council.name, [label.lower() for label in result.official.estimated],
                                    result.official.comparators), kind="important")
    evidence = result.official.evidence.assign(year=result.base.year, basis=result.official.evidence["basis"].map(
        {comparator.OWN: "published", comparator.COMPARATOR: comparator.LABEL}))
    page.table(
        evidence[["label", "year", "children", "basis", "source"]].rename(columns={
            "label": "Published figure", "year": "Year", "children": "Children", "basis": "Basis",
            "source": "Publication"}),
        caption=f"Official figures for {page.council.name} used as the base year",
    )  # fmt: skip


def show_projection(page: Page, result: Result) -> None:
    """The projection table (children a year, change against the base year)."""
    table = projection_display(result.projection).rename_axis("Stage")
    page.table(table, caption="Projected children at each stage, with the change against the base year",
               index=True, formats={c: "{:,.0f}" for c in table.columns})


def show_rates(page: Page, result: Result) -> None:
    """Rates in force each year (shown as %)."""
    rates = result.projection[["re_referral_rate", "direct_entry_rate", "plan_to_care_rate"]].T
    rates.index = [
        "Re-referral rate of cases closed in the year",
        "Direct entry into care, share of all assessments",
        "Plans ending in care",
    ]
    rates.columns.name = None
    rates.index.name = "Rate"
    page.table(rates, caption="Rates in force each year", index=True, formats={c: "{:.1%}" for c in rates.columns})


def show_care_entry(page: Page, result: Result) -> None:
    """How a care entry avoided is costed: the placement mix and weekly prices, then the length."""
    table = result.care_entry.table().rename(columns={
        "group": "Placement", "share": "Share of care", "weekly_gbp": "Weekly price",
        "weekly_share_gbp": "Share x price", "source": "Source"})  # fmt: skip
    page.table(table, caption="The weekly cost of a placement, weighted by the placement mix",
               formats={"Share of care": "{:.0%}", "Weekly price": formats.money, "Share x price": formats.money})


def show_savings(page: Page, result: Result) -> None:
    """Savings by year in £ millions."""
    table = savings_display(result.savings).rename_axis("Saving")
    page.table(table, caption="Projected recurring cost savings, £ millions a year", index=True,
               formats={c: "£{:,.2f}m" for c in table.columns})


def show_paper(page: Page, result: Result) -> None:
    """The council's own paper beside the model: projection and savings, the differences and
    the reasons; or a sentence when the council file gives no paper."""
    published = result.params.published
    if published is None or (result.projection_vs_paper is None and result.savings_vs_paper is None):
        page.notice(f"{page.council.name} has no projection or savings table of its own in this book to set "
                    "beside the model: the figures above are the model's alone.", kind="note")
        return
    page.notice(f"Source: {markdown_literal(published.source)}.", kind="note")
    if result.projection_vs_paper is not None:
        comparison = result.projection_vs_paper
        page.table(comparison_display(comparison), caption="Projected children a year: the paper, the model and the difference",
                   formats=dict.fromkeys(comparison["year"].unique(), lambda v: f"{round(v) + 0:,.0f}"))
        page.notice(reasons_text(projection_reasons(comparison)), kind="note")
    if result.savings_vs_paper is not None:
        comparison = result.savings_vs_paper
        entry = result.care_entry
        reasons = savings_reasons(comparison, published.projection, entry.cost_gbp, entry.weekly_cost_gbp,
                                  entry.episode_weeks)
        page.table(comparison_display(comparison),
                   caption="Recurring savings, £ millions a year: the paper, the model and the difference",
                   formats=dict.fromkeys(comparison["year"].unique(), lambda v: f"{round(v, 2) + 0:,.2f}"))
        page.notice(reasons_text(reasons), kind="note")


def show_funding_request(page: Page, result: Result) -> None:
    """The funding request and its variance to the previous proposal, or a note that there is none."""
    request = result.params.funding_request
    if request is None:
        page.notice(f"No funding request is recorded for {page.council.name}: this section applies to a council "
                    "bidding for a programme's funding, as the Tri-borough did to the Innovation Programme.", kind="note")
        return
    table = funding_request_table(request).rename_axis("Line item")
    page.table(table, caption=f"Funding request to the {request.funder}, £ thousands", index=True,
               formats=dict.fromkeys(table.columns, formats.amount))
    summary = variance_summary(request).rename_axis("Change")
    page.table(summary, caption="Variances to the previous proposal, £ thousands", index=True,
               formats=dict.fromkeys(summary.columns, formats.amount))


def show_assumptions(page: Page, result: Result) -> None:
    """Each assumption with its value and source."""
    table = assumptions_table(result, page.council)
    page.table(table.rename(columns=str.capitalize), caption="Assumptions of the flow model")
