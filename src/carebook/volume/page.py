"""The volume sizing page: glue the figures of a :class:`~carebook.volume.analysis.Result`,
its charts and its summary entry, save its results, and show its tables (no child
identifiers; counts of 1 to 4 children suppressed), in readers' words."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from carebook import formats
from carebook.care_entry import CareEntryCost
from carebook.disclosure import DEFAULT_THRESHOLD, SUPPRESSED, hidden_with_total, suppress_counts
from carebook.formats import parameters_table
from carebook.ssda903 import quality
from carebook.volume import charts
from carebook.volume.analysis import Result
from carebook.volume.funnel import NOTES, step_descriptions
from carebook.volume.params import PLACEMENT_GROUP_NAMES, VolumeSizingParams

if TYPE_CHECKING:  # IPython and myst-nb are loaded by the notebooks alone
    from carebook.notebook import Page

NEED_NAMES = {"N4": "family in acute stress", "N5": "family dysfunction", "N6": "socially unacceptable behaviour"}
"""Readers' names of the categories of need the cohort may be drawn from."""
YEAR_TYPES = {"calendar": "calendar years (1 January to 31 December)",
              "financial": "financial years (1 April to 31 March)"}


def hidden_groups(table: pd.DataFrame, count_column: str = "children", threshold: int = DEFAULT_THRESHOLD) -> pd.Series:
    """Which rows of a table of figures by group of children to hide: groups of 1 to
    ``threshold - 1`` children and, in a table by age at entry whose "all ages" row
    (``age_at_entry`` -1) counts every child of the ages (per ``journeys`` where given),
    the further ages that total would reveal (secondary suppression)."""
    small = table[count_column].between(1, threshold - 1)
    if "age_at_entry" not in table:
        return small
    keys = [k for k in ["journeys"] if k in table]
    ages = table.drop_duplicates([*keys, "age_at_entry"])[[*keys, "age_at_entry", count_column]]
    hidden = hidden_with_total(ages[count_column], ages["age_at_entry"] == -1,
                               ages[keys[0]] if keys else None, threshold)
    flags = ages.assign(hidden=hidden.to_numpy())[[*keys, "age_at_entry", "hidden"]]
    merged = table[[*keys, "age_at_entry"]].merge(flags, on=[*keys, "age_at_entry"], how="left")
    return small | pd.Series(merged["hidden"].fillna(False).to_numpy(dtype=bool), index=table.index)


ELIGIBLE_INPUTS = ("volume_sizing.age_min", "volume_sizing.age_max", "volume_sizing.need_codes",
                   "volume_sizing.excluded_legal_statuses", "volume_sizing.funnel_years", "volume_sizing.year_type",
                   "volume_sizing.lookback_days", "ssda903")
"""What the eligible cases a year rest on (``carebook.provenance``): the funnel's rules and the extract."""
COST_INPUTS = ("volume_sizing.unit_cost_basis", "volume_sizing.observation_years", "ssda903")
"""What the costs of a journey and of a care entry rest on: the unit costs and the extract."""
KEY_COLUMNS = ("age_at_entry", "journey_year")
"""Columns that name a row (kept when its figures are blanked)."""


def hide_small_groups(
    table: pd.DataFrame, count_column: str = "children", threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """A results table with every figure of a row hidden by :func:`hidden_groups` blanked
    (NaN) and a ``suppressed`` column (bool) saying which rows."""
    small = hidden_groups(table, count_column, threshold)
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])
               and not pd.api.types.is_bool_dtype(table[c]) and c not in KEY_COLUMNS]
    hidden = table.copy()
    hidden[numeric] = hidden[numeric].astype(float).mask(small, np.nan)
    return hidden.assign(suppressed=small.to_numpy())


def funnel_table(
    funnel: pd.DataFrame, params: VolumeSizingParams | None = None, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """The funnel laid out as the seed's table: rows #1 to #6, a column per year for
    #1-#2b, then the figures over the years (#3) and a year (#4-#6). Counts of 1 to
    ``threshold - 1`` children show as "c", and so do the figures derived from a
    suppressed #3. With ``params``, a last column gives each row's definition (Notes)."""
    counts = funnel[funnel["step"].isin(["1", "2a", "2b", "3"])]
    shown = suppress_counts(counts["children"].astype("int64").reset_index(drop=True), threshold, total=False)
    shown.index = counts.index
    derived = funnel[funnel["step"].isin(["4", "5", "6"])]
    derived_text = derived["children"].map("{:,.0f}".format)
    if (shown[counts["step"] == "3"] == SUPPRESSED).any():
        derived_text = pd.Series(SUPPRESSED, index=derived.index)
    text = pd.concat([shown.astype(str), derived_text])
    cells = funnel.assign(value=text.reindex(funnel.index))
    cells = cells.assign(column=cells["period"].replace({"all years": "Over the years", "a year": "A year"}))
    wide = cells.pivot_table(index=["step", "description"], columns="column", values="value", aggfunc="first", sort=False)
    years = [p for p in funnel["period"].unique() if p not in ("all years", "a year")]
    wide = wide.reindex(columns=[*years, "Over the years", "A year"]).fillna("")
    wide = wide.reset_index().rename(columns={"step": "#", "description": "Filter"})
    wide.columns.name = None
    if params is not None:
        notes = step_descriptions(params, len(years), NOTES)
        wide["Notes"] = wide["#"].map(notes)
    return wide


def display_table(
    table: pd.DataFrame,
    columns: dict[str, tuple[str, str]],
    count_column: str | None = "children",
    threshold: int = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """A table ready to show: ``columns`` maps a column to (heading, format), e.g.
    ``{"share": ("Share", "{:.0%}")}``; text columns take format "{}". Rows hidden by
    :func:`hidden_groups` (1 to ``threshold - 1`` children, or an age a total would reveal)
    show "c" in every numeric column (the count and the figures based on it);
    ``count_column`` None: no counts."""
    small = hidden_groups(table, count_column, threshold) if count_column else pd.Series(False, index=table.index)
    shown = pd.DataFrame(index=table.index)
    for name, (heading, fmt) in columns.items():  # one iteration per column shown
        text = table[name].map(lambda value, f=fmt: "" if pd.isna(value) else f.format(value))
        is_figure = pd.api.types.is_numeric_dtype(table[name]) and not pd.api.types.is_bool_dtype(table[name])
        shown[heading] = text.mask(small, SUPPRESSED) if is_figure else text
    return shown.reset_index(drop=True)


JOURNEY_LABELS = {"all": "All journeys", "complete": "Complete journeys"}


def by_age_table(by_age: pd.DataFrame) -> pd.DataFrame:
    """Expected years in care by age at entry (all and complete journeys), ready to show."""
    table = by_age.assign(
        journeys=by_age["journeys"].map(JOURNEY_LABELS),
        age=by_age["age_at_entry"].astype("int64").astype(str).where(by_age["age_at_entry"] >= 0, "All ages (weighted)"),
    )
    return display_table(
        table,
        {
            "journeys": ("Journeys", "{}"),
            "age": ("Age at entry", "{}"),
            "children": ("Children", "{:,.0f}"),
            "remaining_childhood_years": ("Remaining childhood (years)", "{:.1f}"),
            "years_in_care": ("Years in care", "{:.1f}"),
            "share_of_remaining_childhood": ("Share of remaining childhood", "{:.0%}"),
        },
    )


def profile_table(profile: pd.DataFrame) -> pd.DataFrame:
    """Share of time in care by year since entry, ready to show."""
    return display_table(
        profile.assign(journeys=profile["journeys"].map(JOURNEY_LABELS)),
        {
            "journeys": ("Journeys", "{}"),
            "journey_year": ("Year since entry", "{}"),
            "children": ("Children in the sample", "{:,.0f}"),
            "share_in_care": ("Time in care that year", "{:.0%}"),
            "cumulative_share_in_care": ("Time in care since entry", "{:.0%}"),
        },
    )


def cost_table(cost: pd.DataFrame) -> pd.DataFrame:
    """Average placement cost of a care journey by year since entry, ready to show."""
    return display_table(
        cost.assign(journeys=cost["journeys"].map(JOURNEY_LABELS)),
        {
            "journeys": ("Journeys", "{}"),
            "journey_year": ("Years since entry", "{}"),
            "children": ("Children in the sample", "{:,.0f}"),
            "mean_cost_gbp": ("Cost in that year (£)", "{:,.0f}"),
            "cumulative_cost_gbp": ("Cost since entry (£)", "{:,.0f}"),
        },
    )


def published_funnel(funnel: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The funnel as it may be shown anywhere (table, chart, sentence, results): counts of 1
    to ``threshold - 1`` children blanked (NaN), and so are #4-#6 when #3 is (they are #3
    divided by the years and scaled); a ``suppressed`` column says which rows."""
    counts = funnel["step"].isin(["1", "2a", "2b", "3"])
    small_three = funnel.loc[funnel["step"] == "3", "children"].between(1, threshold - 1).any()
    hidden = (counts & funnel["children"].between(1, threshold - 1)) | (~counts & small_three)
    return funnel.assign(children=funnel["children"].mask(hidden), suppressed=hidden)


def results_tables(result: Result) -> dict[str, pd.DataFrame]:
    """Tidy results to save (no child rows; figures of groups of 1 to 4 children, and those a
    total would reveal, blanked, with a ``suppressed`` column). The charts are drawn from
    these tables too."""
    return {
        "volume_funnel": published_funnel(result.funnel),
        "volume_journey_profile": hide_small_groups(result.profile),
        "volume_length_of_care_by_age": hide_small_groups(result.by_age),
        "volume_placement_mix": hide_small_groups(placement_names(result.mix)),
        "volume_sample_sizes": hide_small_groups(result.samples),
        "volume_unit_costs": result.unit_costs.assign(spend_year=result.spend_year),
        "volume_journey_cost": hide_small_groups(result.cost),
    }


def placement_names(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a placement_group name column after sf_group."""
    return table.assign(placement_group=table["sf_group"].map(PLACEMENT_GROUP_NAMES))


def assumptions_table(params: VolumeSizingParams) -> pd.DataFrame:
    """The council's volume sizing parameters: parameter, value, meaning and source
    (:func:`carebook.formats.parameters_table`)."""
    return parameters_table(params)


def published_counts(table: pd.DataFrame, count_column: str = "children", threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """A table to show with its counts of children as text, 1 to ``threshold - 1`` as "c"."""
    counts = table[count_column].astype("int64").reset_index(drop=True)
    shown = suppress_counts(counts, threshold, total=False)
    return table.assign(**{count_column: shown.to_numpy()})


def _number(value: float) -> float | None:
    """A figure for the results: None when it is withheld (NaN)."""
    return None if pd.isna(value) else float(value)


def _published_count(children: float, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """A count of children as published: None for 1 to ``threshold - 1``."""
    return None if 1 <= children < threshold else int(children)


def headline_figures(result: Result) -> dict[str, object]:
    """Headline figures of the page (children a year, years, £) and where the data come from."""
    step = published_funnel(result.funnel).set_index("step")["children"]
    return {
        "eligible_cases_a_year": _number(step["6"]),
        "unique_children_a_year": _number(step["4"]),
        "suitable_a_year": _number(step["5"]),
        "funnel_periods": funnel_years(result),
        "journey_cohort_children": _published_count(result.samples["children"].iloc[0]),
        "complete_journeys_children": _published_count(result.samples["children"].iloc[1]),
        "weighted_years_in_care": result.years_in_care,
        "share_of_remaining_childhood": result.share_of_remaining_childhood,
        "journey_cost_gbp": result.journey_cost_gbp,
        "journey_cost_years": result.journey_cost_years,
        "care_entry_cost_gbp": result.care_entry.cost_gbp,
        "unit_cost_spend_year": result.spend_year,
        "synthetic_data": result.synthetic,
        "data_source": result.extract.source,
    }


def funnel_years(result: Result) -> list[str]:
    """The years of the funnel, in order."""
    return [p for p in result.funnel["period"].unique() if p not in ("all years", "a year")]


def save_results(page: Page, result: Result) -> None:
    """Save every results table and the headline figures with ``page.save`` (tidy CSV / JSON)."""
    for name, table in results_tables(result).items():  # one iteration per results table
        page.save(name, table)
    page.save("volume_care_entry_cost", result.care_entry.table().assign(episode_weeks=result.care_entry.episode_weeks,
                                                                        cost_per_entry_gbp=result.care_entry.cost_gbp))
    page.save("volume_summary", headline_figures(result))


def marked(label: str, result: Result) -> str:
    """A key figure's label, marked when the figure rests on a synthetic extract."""
    return f"{label} (synthetic data)" if result.synthetic else label


def show(page: Page, result: Result) -> None:
    """Glue every figure and chart of the page, save its results and record its summary entry."""
    glue_numbers(page, result)
    glue_figures(page, result)
    save_results(page, result)
    summarise(page, result)


def glue_numbers(page: Page, result: Result) -> None:
    """Glue every number the page's prose quotes."""
    params = result.params
    headline = headline_figures(result)
    years = funnel_years(result)
    mix = result.mix[result.mix["age_at_entry"] == -1].set_index("sf_group")["share"].reindex(list("FARIU"))
    other = mix[["A", "I", "U"]].sum(min_count=1)
    counts = published_counts(result.samples)["children"]
    page.glue("vs-eligible-a-year", headline["eligible_cases_a_year"],
              headline=marked("Edge-of-care cases a year (eligible children)", result), inputs=ELIGIBLE_INPUTS)
    page.glue("vs-unique-a-year", headline["unique_children_a_year"])
    page.glue("vs-suitable-a-year", headline["suitable_a_year"])
    page.glue("vs-n-years", len(years), fmt="{}")
    page.glue("vs-periods", " to ".join([years[0], years[-1]]), fmt="{}")
    page.glue("vs-year-type", YEAR_TYPES[params.year_type], fmt="{}")
    page.glue("vs-ages", f"{params.age_min} to {params.age_max}", fmt="{}")
    page.glue("vs-needs", ", ".join(NEED_NAMES.get(code, code) for code in params.need_codes), fmt="{}")
    page.glue("vs-suitable-share", params.suitable_share, fmt="{:.0%}")
    page.glue("vs-likelihood", params.likelihood_of_entering_care, fmt="{:.0%}")
    page.glue("vs-cohort", counts.iloc[0], fmt="{}")
    page.glue("vs-complete", counts.iloc[1], fmt="{}")
    page.glue("vs-years-in-care", result.years_in_care, fmt="{:.1f}")
    page.glue("vs-share-childhood", result.share_of_remaining_childhood, fmt="{:.0%}")
    page.glue("vs-residential", mix["R"], fmt="{:.0%}")
    page.glue("vs-fostering", mix["F"], fmt="{:.0%}")
    page.glue("vs-other", other, fmt="{:.0%}")
    page.glue("vs-years-fostering", result.years_in_care * mix["F"], fmt="{:.1f}")
    page.glue("vs-years-residential", result.years_in_care * mix["R"], fmt="{:.1f}")
    page.glue("vs-years-other", result.years_in_care * other, fmt="{:.1f}")
    page.glue("vs-cost-years", result.journey_cost_years, fmt="{}")
    page.glue("vs-journey-cost", result.journey_cost_gbp, fmt=formats.money, inputs=COST_INPUTS,
              headline=marked("Placement cost of a care journey (average, from entry)", result))
    page.glue("vs-entry-weekly-cost", result.care_entry.weekly_cost_gbp, fmt=formats.money, inputs=COST_INPUTS,
              label="Weekly placement cost of the cohort, weighted by its mix of care days")
    page.glue("vs-entry-cost", result.care_entry.cost_gbp, fmt=formats.money, inputs=COST_INPUTS,
              headline=marked("Placement cost of a care entry avoided (whole time in care)", result))
    page.glue("vs-observation-years", params.observation_years, fmt="{}")
    page.glue("vs-unit-cost-basis", result.unit_cost_basis, fmt="{}")


def glue_figures(page: Page, result: Result) -> None:
    """Glue the funnel, journey profile, placement mix and cost charts."""
    page.figure("vs-funnel", charts.funnel_chart(published_funnel(result.funnel)))
    page.figure("vs-profile", charts.journey_profile_chart(result.profile))
    page.figure("vs-mix", charts.placement_mix_chart(hide_small_groups(result.mix)))
    page.figure("vs-cost", charts.cost_curve_chart(result.cost))


def summarise(page: Page, result: Result) -> None:
    """The page's entry in the council's executive summary."""
    figures = headline_figures(result)
    eligible = figures["eligible_cases_a_year"]
    cases = ("fewer than 5 children a year (the number is withheld)" if eligible is None
             else f"about {formats.count(eligible)} children a year")
    data = ("a synthetic SSDA903 extract calibrated to the council's published figures, so they show the method, "
            "not the council's own children" if result.synthetic else "the council's own SSDA903 data")
    page.summary(
        answer=(f"For {page.council.name}: an edge-of-care service such as Multisystemic Therapy could work with "
                f"{cases}; each entry into care it avoids would save about "
                f"{formats.money(result.care_entry.cost_gbp)} of placements over the time in care, costed from "
                f"the care journeys of children like those the service works with (aged {result.params.age_min} to "
                f"{result.params.age_max} on entering care, who leave care sooner than the average child)."),
        decision=("How large an edge-of-care service to commission: how many families a year to plan for, and "
                  "what placements each entry into care avoided would save."),
        certainty=(f"Amber: the figures rest on {data}; {formats.share(result.params.suitable_share)} of eligible "
                   f"children are taken to be suitable and {formats.share(result.params.likelihood_of_entering_care)} "
                   "of those referred to enter care without the service (Social Finance's judgement)."),
        basis=("synthetic",) if result.synthetic else (),
        figure="vs-eligible-a-year",
    )


def show_data(page: Page, result: Result) -> None:
    """Where the data come from and the notices of their quality."""
    quality.show_notices(page, result.extract, result.extract.end, where="on this page")


def show_funnel(page: Page, result: Result) -> None:
    """The eligible-cohort funnel as a table."""
    page.table(funnel_table(result.funnel, result.params),
               caption="The eligible-cohort funnel: children (c: 1 to 4 children, suppressed)")


def show_journeys(page: Page, result: Result) -> None:
    """The sample behind the journeys and the share of time in care by year since entry."""
    page.table(published_counts(result.samples).rename(columns={"measure": "Sample", "children": "Children"}),
               caption="Children behind the journey figures (c: 1 to 4 children, suppressed)")
    page.table(profile_table(result.profile), caption="Share of time in care by year since entering care")


def show_by_age(page: Page, result: Result) -> None:
    """Expected years in care by age at entry."""
    page.table(by_age_table(result.by_age), caption="Expected years in care by age at entering care (c: fewer than 5 children)")


def show_unit_costs(page: Page, result: Result) -> None:
    """Weekly costs by placement group and the sense check of spend per child."""
    page.table(display_table(result.unit_costs, {
        "placement_group": ("Placement group", "{}"), "weekly_cost_gbp": ("Weekly cost (£)", "{:,.0f}"),
        "basis": ("Basis", "{}"), "source": ("Source", "{}")}, count_column=None), caption="Weekly cost of a placement by group")
    page.table(display_table(result.spend_check, {
        "measure": ("Measure", "{}"), "value_gbp": ("£ a year", "{:,.0f}"), "source": ("Source", "{}")}, count_column=None),
        caption="Sense check: official spend per child looked after")


def show_costs(page: Page, result: Result) -> None:
    """The cost of a care journey by year since entry, and of a care entry avoided."""
    page.table(cost_table(result.cost), caption="Average placement cost of a care journey (c: fewer than 5 children)")
    page.table(care_entry_table(result.care_entry),
               caption="The weekly cost of a placement of the cohort, weighted by its mix of care days")


def care_entry_table(entry: CareEntryCost) -> pd.DataFrame:
    """The cost of a care entry's weekly cost, group by group, ready to show."""
    table = entry.table()
    return pd.DataFrame({
        "Placement group": table["group"],
        "Share of care days": table["share"].map("{:.0%}".format),
        "Weekly cost": table["weekly_gbp"].map(formats.money),
        "Share x cost": table["weekly_share_gbp"].map(formats.money),
    })  # fmt: skip


def show_assumptions(page: Page, result: Result) -> None:
    """The council's volume sizing parameters with their sources."""
    page.table(assumptions_table(result.params), caption="Volume sizing parameters")


def show_quality(page: Page, result: Result) -> None:
    """The data-quality section: repairs by rule and DfE's validation rules by year."""
    quality.show_section(page, result.extract)
