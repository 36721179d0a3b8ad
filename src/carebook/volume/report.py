"""The whole volume sizing analysis of one council's 903 extract, and its tables as
published (no child identifiers; counts of 1 to 4 children suppressed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from carebook.council import Council
from carebook.formats import parameters_table
from carebook.disclosure import DEFAULT_THRESHOLD, SUPPRESSED, hidden_with_total, suppress_counts
from carebook.ssda903.extract import Extract
from carebook.volume.care_days import care_intervals
from carebook.volume.costs import (
    council_unit_costs,
    journey_cost,
    latest_spend_year,
    official_spend,
    spend_per_child_check,
)
from carebook.volume.funnel import NOTES, funnel_counts, funnel_periods, step_descriptions
from carebook.volume.journeys import (
    journey_care_days,
    journey_cohort,
    journey_profile,
    journey_years,
    length_of_care_by_age,
    placement_mix,
    sample_sizes,
)
from carebook.volume.params import PLACEMENT_GROUP_NAMES, VolumeSizingParams

if TYPE_CHECKING:
    from carebook.notebook import Page  # IPython and myst-nb are loaded by the notebooks alone


@dataclass(frozen=True)
class VolumeSizing:
    """Results of the volume sizing analysis (all tables aggregate: no child rows).

    funnel: step, description, period, children (see :func:`funnel_counts`).
    profile: share of time in care by year since entry (:func:`journey_profile`).
    by_age: expected years in care by age at entry (:func:`length_of_care_by_age`).
    mix: share of care days by placement group (:func:`placement_mix`).
    samples: children behind each figure (:func:`sample_sizes`).
    unit_costs: weekly cost by placement group; spend_year: the financial year of the
    official spend used (None: parameters only); unit_cost_basis: a sentence saying
    which basis was used and why; spend_check: spend per child.
    cost: average placement cost of a journey by years since entry (:func:`journey_cost`).
    """

    funnel: pd.DataFrame
    profile: pd.DataFrame
    by_age: pd.DataFrame
    mix: pd.DataFrame
    samples: pd.DataFrame
    unit_costs: pd.DataFrame
    spend_year: str | None
    unit_cost_basis: str
    spend_check: pd.DataFrame
    cost: pd.DataFrame


def journeys_of(
    header: pd.DataFrame,
    episodes: pd.DataFrame,
    observed_from: pd.Timestamp,
    observed_to: pd.Timestamp,
    params: VolumeSizingParams,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Journey years of the cohort and their care days by placement group
    (:func:`journey_years`, :func:`journey_care_days`)."""
    cohort = journey_cohort(header, episodes, observed_from, observed_to, params)
    years = journey_years(cohort, observed_to, params)
    return years, journey_care_days(years, episodes, observed_to)


def analyse(extract: Extract, council: Council) -> VolumeSizing:
    """Run the funnel, journeys, placement mix, unit costs and journey cost for a council."""
    params = council.volume_sizing
    periods = funnel_periods(extract.start, extract.end, params)
    funnel = funnel_counts(extract.header, extract.episodes, periods, params)
    years, care = journeys_of(extract.header, extract.episodes, extract.start, extract.end, params)
    intervals = care_intervals(extract.episodes, extract.end)
    costs, spend_year, basis = council_unit_costs(council, intervals, extract.start, extract.end)
    check_year = latest_spend_year(extract.start, extract.end) if params.unit_cost_basis == "official_spend" else None
    spend = official_spend(council, check_year) if check_year else pd.Series(dtype=float)
    return VolumeSizing(
        funnel=funnel,
        profile=journey_profile(care, params.observation_years),
        by_age=length_of_care_by_age(years, care),
        mix=placement_mix(care),
        samples=sample_sizes(years[years["journey_year"] <= params.observation_years]),
        unit_costs=costs,
        spend_year=spend_year,
        unit_cost_basis=basis,
        spend_check=spend_per_child_check(council, check_year, spend, intervals),
        cost=journey_cost(care, costs, params.observation_years),
    )


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


def cost_over_years(cost: pd.DataFrame, years: int = 4) -> tuple[float, int]:
    """Average placement cost (£) of all journeys over ``years`` years from entry, or over
    the most years observed when fewer; returns (cost, years used)."""
    all_journeys = cost[cost["journeys"] == "all"].set_index("journey_year")["cumulative_cost_gbp"]
    if all_journeys.empty:
        return float("nan"), 0
    used = min(years, int(all_journeys.index.max()))
    return float(all_journeys.loc[used]), used


def published_funnel(funnel: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The funnel as it may be shown anywhere (table, chart, sentence, results): counts of 1
    to ``threshold - 1`` children blanked (NaN), and so are #4-#6 when #3 is (they are #3
    divided by the years and scaled); a ``suppressed`` column says which rows."""
    counts = funnel["step"].isin(["1", "2a", "2b", "3"])
    small_three = funnel.loc[funnel["step"] == "3", "children"].between(1, threshold - 1).any()
    hidden = (counts & funnel["children"].between(1, threshold - 1)) | (~counts & small_three)
    return funnel.assign(children=funnel["children"].mask(hidden), suppressed=hidden)


def _number(value: float) -> float | None:
    """A figure for the summary: None when it is withheld (NaN)."""
    return None if pd.isna(value) else float(value)


def results_tables(result: VolumeSizing) -> dict[str, pd.DataFrame]:
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


def _published_count(children: float, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """A count of children as published: None for 1 to ``threshold - 1``."""
    return None if 1 <= children < threshold else int(children)


def summary(result: VolumeSizing, extract: Extract) -> dict[str, object]:
    """Headline figures of the page (children a year, years, £) and where the data come from."""
    cost, cost_years = cost_over_years(result.cost)
    overall = result.by_age[(result.by_age["journeys"] == "all") & (result.by_age["age_at_entry"] == -1)]
    step = published_funnel(result.funnel).set_index("step")["children"]
    return {
        "eligible_cases_a_year": _number(step["6"]),
        "unique_children_a_year": _number(step["4"]),
        "suitable_a_year": _number(step["5"]),
        "funnel_periods": [p for p in result.funnel["period"].unique() if p not in ("all years", "a year")],
        "journey_cohort_children": _published_count(result.samples["children"].iloc[0]),
        "complete_journeys_children": _published_count(result.samples["children"].iloc[1]),
        "weighted_years_in_care": float(overall["years_in_care"].iloc[0]) if len(overall) else float("nan"),
        "share_of_remaining_childhood": float(overall["share_of_remaining_childhood"].iloc[0]) if len(overall) else float("nan"),
        "journey_cost_gbp": cost,
        "journey_cost_years": cost_years,
        "unit_cost_spend_year": result.spend_year,
        "synthetic_data": bool(extract.is_synthetic),
        "data_source": extract.source,
    }


def save_results(page: Page, result: VolumeSizing, extract: Extract) -> None:
    """Save every results table and the summary with ``page.save`` (tidy CSV / JSON)."""
    for name, table in results_tables(result).items():  # one iteration per results table
        page.save(name, table)
    page.save("volume_summary", summary(result, extract))
