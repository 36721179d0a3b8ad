"""The placement sufficiency page: every figure and chart of the page glued, its results
files written and its summary entry recorded (:func:`show`); the tables shown in later
cells are the other functions here, each taking ``(page, result)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carebook.sufficiency import (
    child_charts, child_disclosure, child_level, child_tables, official, official_charts, official_display, reconcile,
)
from carebook.sufficiency.analysis import Result
from carebook.sufficiency.child_level import ChildLevelSufficiency
from carebook.sufficiency.official import OfficialSufficiency

if TYPE_CHECKING:  # IPython and myst-nb are loaded by the notebooks alone
    from carebook.notebook import Page

CHILD_LEVEL_INPUTS = ("ssda903",)
"""What the child-level figures rest on (``carebook.provenance``): the 903 extract."""


def show(page: Page, result: Result) -> None:
    """Glue every figure and chart of the page, write its results files and record its
    entry in the council's executive summary."""
    numbers = glue_official(page, result.official)
    glue_child_level(page, result.child)
    glue_reconciliation(page, result)
    glue_charts(page, result, numbers)
    save_results(page, result)
    summarise(page, result, numbers)


def glue_official(page: Page, result: OfficialSufficiency) -> dict[str, Any]:
    """Glue every number of the official-statistics narrative and record the landing-page
    headlines; returns the numbers (:func:`carebook.sufficiency.official.figures`)."""
    numbers = official.figures(result)
    headlines = {
        "cla": f"Children looked after at 31 March {numbers['year']}",
        "rate_council": f"Children looked after per 10,000 children (England {numbers['rate_england']:.0f})",
        "within_20_council": f"Placed within 20 miles of home (England {numbers['within_20_england']:.0%})",
        "spend_per_child_council": (
            f"Net spend per child looked after, {numbers['spend_year']} (England £{numbers['spend_per_child_england']:,.0f})"
        ),
    }
    for key, fmt in official_display.key_formats().items():
        page.glue(key, numbers[key], fmt=fmt, headline=headlines.get(key), inputs=official_display.inputs_of(key))
    return numbers


def glue_child_level(page: Page, child: ChildLevelSufficiency) -> dict[str, str]:
    """Glue every figure of the child-level narrative as text (small counts suppressed);
    the hidden cells are recorded in ``page.disclosure`` (when the page has one) for the
    section's tables and charts."""
    params = page.council.sufficiency
    disclosure = child_disclosure.disclosure_of(child, getattr(page, "disclosure", None))
    numbers = (child_tables.figures(child, params, disclosure)
               | {"c903_suppression": child_tables.suppression_sentence(child, disclosure, params)})
    for key, text in numbers.items():
        page.glue(key, text, fmt="{}", inputs=CHILD_LEVEL_INPUTS)
    return numbers


def glue_reconciliation(page: Page, result: Result) -> None:
    """Glue the sentence introducing the council's own tables beside the model's."""
    cells = result.reconciliation
    if cells.empty:
        text = ("The council's file gives no tables of its own for this date, so there is nothing to set the "
                "model's figures against here.")
    else:
        found = reconcile.agreement(cells)
        text = (f"The tables below set the figures the council published for {result.child.on:%-d %B %Y} "
                f"({result.reconciliation_source}) beside the model's for the same date. Of the "
                f"{found['cells']} published cells, the model shows {found['shown']} (the rest are small counts it "
                f"suppresses) and {found['matching']} of those match exactly.")
    page.glue("own_tables_sentence", text, fmt="{}", inputs=CHILD_LEVEL_INPUTS)


def glue_charts(page: Page, result: Result, numbers: dict[str, Any]) -> None:
    """Glue the page's charts (keys as in the notebook's figure directives)."""
    off, child, params = result.official, result.child, page.council.sufficiency
    page.figure("sufficiency_rates", official_charts.rate_trend(off.rates))
    page.figure("sufficiency_rates_neighbours", official_charts.authority_bars(
        off.neighbour_rates, "rate_per_10000", "Children looked after per 10,000 children",
        reference=numbers["rate_england"]))
    page.figure("sufficiency_placements", official_charts.share_bars(
        off.placements, "placement_type", "Share of children looked after", off.year))
    page.figure("sufficiency_providers", official_charts.share_bars(
        off.providers, "provider", "Share of children looked after", off.year))
    page.figure("sufficiency_distance", official_charts.within_20_trend(off.distance, params.target_all_within_20_miles))
    page.figure("sufficiency_distance_mix", official_charts.share_bars(
        off.distance, "measure", "Share of children looked after", off.year))
    page.figure("sufficiency_new_placements", official_charts.share_bars(
        off.new_placements, "location", "Share of new placements", off.year))
    page.figure("sufficiency_stability", official_charts.share_bars(
        off.stability, "measure", "Share of children", off.year))
    page.figure("sufficiency_spend", official_charts.authority_bars(
        off.neighbour_spend, "spend_per_child_gbp", "Net spend per child looked after (£ a year)",
        fmt="£,.0f", reference=numbers["spend_per_child_england"]))
    page.figure("sufficiency_903_age_bands", child_charts.age_band_chart(child))
    page.figure("sufficiency_903_distance_trend", child_charts.within_20_trend_chart(child))
    page.figure("sufficiency_903_forecast", child_charts.forecast_chart(child, page.disclosure, params))


def save_results(page: Page, result: Result) -> None:
    """Write the page's tidy results: the official tables, the child-level counts (suppressed
    as on the page) and the council's own tables beside the model's."""
    for name, frame in result.official.results().items():
        page.save(name, frame)
    child_disclosure.save_results(result.child, page.save, page.council.sufficiency, page.disclosure)
    if not result.reconciliation.empty:
        page.save("sufficiency_903_reconciliation", result.reconciliation)


def summarise(page: Page, result: Result, numbers: dict[str, Any]) -> None:
    """The page's entry in the council's executive summary."""
    within, england = numbers["within_20_council"], numbers["within_20_england"]
    placed = ("The share of its children placed within 20 miles of home is not published"
              if within != within else f"{within:.0%} of its children were placed within 20 miles of home")
    answer = (f"At 31 March {numbers['year']}, {page.council.name} looked after {numbers['cla']:,.0f} children; "
              f"{placed} (England {england:.0%}). {numbers['target_sentence']}")
    child = result.child
    gap = child_tables.figures(child, page.council.sufficiency, child_disclosure.disclosure_of(child, page.disclosure))
    data = "a synthetic extract calibrated to its published figures" if child.is_synthetic else "its own SSDA903 data"
    certainty = (f"The official figures are DfE's and MHCLG's published statistics. The forecast of placements to "
                 f"buy ({gap['c903_gap']} by {gap['c903_horizon']}) rests on {data}, with a {gap['c903_band']} band "
                 f"of {gap['c903_forecast_lower']} to {gap['c903_forecast_upper']} children in care.")
    page.summary(answer=answer,
                 decision="How many placements of each kind to commission, and how many of them close to home.",
                 certainty=certainty, basis=("synthetic",) if child.is_synthetic else (), figure="within_20_council")


# --- tables and notices shown in later cells ---------------------------------------------


def scope_note(page: Page, result: Result) -> None:
    """Which authorities the official figures cover and how a group's figures are made."""
    page.notice(official_display.scope_note(result.official), kind="note")


def targets_table(page: Page, result: Result) -> None:
    page.table(official_display.targets_for_display(result.official.targets),
               caption="The council's placement targets against the published shares",
               formats=official_display.TARGET_FORMATS)


def spend_parts_table(page: Page, result: Result) -> None:
    page.table(official_display.spend_parts_for_display(result.official.spend_parts),
               caption="The council's net spend on children looked after by line of the revenue outturn",
               formats=official_display.SPEND_FORMATS)


def suppressed_table(page: Page, result: Result) -> None:
    page.table(official.suppressed_summary(result.official.suppressed, result.official.year),
               caption="Values withheld in the source tables, latest year")


def assumptions_table(page: Page, result: Result) -> None:
    page.table(official.assumptions_table(page.council.sufficiency), caption="Sufficiency parameters of this council")


def data_notices(page: Page, result: Result) -> None:
    """Where the 903 data come from (synthetic or the council's own) and any warning."""
    from carebook.ssda903 import quality  # noqa: PLC0415

    quality.show_notices(page, result.extract, result.child.on)


def provision_tables(page: Page, result: Result) -> None:
    """In-house and external providers by placement group, then gender and legal status."""
    child = result.child
    page.table(child_tables.provision_display(child, page.disclosure),
               caption="Children in each placement group with in-house (the council's own) and external providers")
    page.table(child_tables.crosstab_display(child.gender, "sex", child_level.SEX_LABELS, child.threshold),
               caption="Gender of the children in each provision")
    page.table(child_tables.crosstab_display(child.legal_status, "legal_status", child_level.LEGAL_LABELS,
                                             child.threshold),
               caption="Legal status of the children in each provision")


def reconciliation_tables(page: Page, result: Result) -> None:
    """The council's own published tables beside the model's (none without them)."""
    for table, title in reconcile.TABLES.items():
        shown = reconcile.display(result.reconciliation, table)
        if len(shown):
            page.table(shown, caption=f"{title}: the council's published figures and the model's")


def age_at_placement_table(page: Page, result: Result) -> None:
    child = result.child
    page.table(child_tables.crosstab_display(child.age_at_placement.rename(columns={"placements": "children"}),
                                             "age_band", {}, child.threshold),
               caption="Age at the start of placements made in the reference period, by provision")


def distance_table(page: Page, result: Result) -> None:
    page.table(child_tables.within_20_display(result.child, page.disclosure),
               caption="Children placed within and over 20 miles of home, by placement group, against the council's targets")


def forecast_tables(page: Page, result: Result) -> None:
    """The forecast by age band, own places, the gap to buy and the in-house scenario."""
    child, params = result.child, page.council.sufficiency
    page.table(child_tables.forecast_age_display(child),
               caption="Projected children in care by placement group and age band at the last 31 March of the forecast")
    page.table(child_tables.capacity_display(params, child.capacity, page.disclosure),
               caption="The council's own places by placement group")
    page.table(child_tables.gap_display(child, "current", page.disclosure, params),
               caption="Projected demand at 31 March against own places: placements to buy and their cost at external prices")
    if params.target_fostering_in_house is not None:
        page.table(child_tables.gap_display(child, "in_house_target", page.disclosure, params),
                   caption="The same with in-house fostering growing to the council's target share")


def quality_section(page: Page, result: Result) -> None:
    from carebook.ssda903 import quality  # noqa: PLC0415

    quality.show_section(page, result.extract)


def child_assumptions_tables(page: Page, result: Result) -> None:
    page.table(child_level.assumptions_log(), caption="Assumptions of the child-level analysis")
    page.table(child_level.parameters_table(page.council.sufficiency, page.council.prices),
               caption="Child-level parameters of this council: capacity, prices and forecast settings")
