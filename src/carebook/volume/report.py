"""The whole volume sizing analysis of one council's 903 extract, and its tables as
published (no child identifiers; counts of 1 to 4 children suppressed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from carebook.disclosure import DEFAULT_THRESHOLD, SUPPRESSED, suppress_counts
from carebook.volume.care_days import care_intervals
from carebook.volume.costs import council_unit_costs, journey_cost, spend_per_child_check, official_spend
from carebook.volume.funnel import funnel_counts, funnel_periods
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
    from carebook.params import Council
    from carebook.ssda903 import Extract


@dataclass(frozen=True)
class VolumeSizing:
    """Results of the volume sizing analysis (all tables aggregate: no child rows).

    funnel: step, description, period, children (see :func:`funnel_counts`).
    profile: share of time in care by year since entry (:func:`journey_profile`).
    by_age: expected years in care by age at entry (:func:`length_of_care_by_age`).
    mix: share of care days by placement group (:func:`placement_mix`).
    samples: children behind each figure (:func:`sample_sizes`).
    unit_costs: weekly cost by placement group; spend_year: the financial year of the
    official spend used (None: parameters only); spend_check: spend per child.
    cost: average placement cost of a journey by years since entry (:func:`journey_cost`).
    """

    funnel: pd.DataFrame
    profile: pd.DataFrame
    by_age: pd.DataFrame
    mix: pd.DataFrame
    samples: pd.DataFrame
    unit_costs: pd.DataFrame
    spend_year: str | None
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
    costs, spend_year = council_unit_costs(council, intervals, extract.start, extract.end)
    spend = official_spend(council, spend_year) if spend_year else pd.Series(dtype=float)
    return VolumeSizing(
        funnel=funnel,
        profile=journey_profile(care, params.observation_years),
        by_age=length_of_care_by_age(years, care),
        mix=placement_mix(care),
        samples=sample_sizes(years[years["journey_year"] <= params.observation_years]),
        unit_costs=costs,
        spend_year=spend_year,
        spend_check=spend_per_child_check(council, spend_year, spend, intervals),
        cost=journey_cost(care, costs, params.observation_years),
    )


def hide_small_groups(
    table: pd.DataFrame, count_column: str = "children", threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """A results table with every figure of a row based on 1 to ``threshold - 1``
    children blanked (NaN) and a ``suppressed`` column (bool) saying which rows."""
    small = table[count_column].between(1, threshold - 1)
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])]
    hidden = table.copy()
    hidden[numeric] = hidden[numeric].astype(float).mask(small, np.nan)
    return hidden.assign(suppressed=small.to_numpy())


def funnel_table(funnel: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The funnel laid out as the seed's table: rows #1 to #6, a column per year for
    #1-#2b, then the figures over the years (#3) and a year (#4-#6). Counts of 1 to
    ``threshold - 1`` children show as "c", and so do the figures derived from a
    suppressed #3."""
    counts = funnel[funnel["step"].isin(["1", "2a", "2b", "3"])]
    shown = suppress_counts(counts["children"].astype("int64").reset_index(drop=True), threshold, total=False)
    shown.index = counts.index
    derived = funnel[funnel["step"].isin(["4", "5", "6"])]
    derived_text = derived["children"].map("{:,.0f}".format)
    if (shown[counts["step"] == "3"] == SUPPRESSED).any():
        derived_text = derived_text.str.replace(r".+", SUPPRESSED, regex=True)
    text = pd.concat([shown.astype(str), derived_text])
    cells = funnel.assign(value=text.reindex(funnel.index))
    cells = cells.assign(column=cells["period"].replace({"all years": "Over the years", "a year": "A year"}))
    wide = cells.pivot_table(index=["step", "description"], columns="column", values="value", aggfunc="first", sort=False)
    years = [p for p in funnel["period"].unique() if p not in ("all years", "a year")]
    wide = wide.reindex(columns=[*years, "Over the years", "A year"]).fillna("")
    wide = wide.reset_index().rename(columns={"step": "#", "description": "Filter"})
    wide.columns.name = None
    return wide


def by_age_table(by_age: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Expected years in care by age at entry, all and complete journeys side by side,
    ready to show (figures of ages with 1 to 4 children hidden)."""
    hidden = hide_small_groups(by_age, "children", threshold)
    hidden = hidden.assign(
        age=hidden["age_at_entry"].astype("Int64").astype(str).where(hidden["age_at_entry"] >= 0, "All ages (weighted)")
    )
    return hidden[["journeys", "age", "children", "remaining_childhood_years", "years_in_care", "share_of_remaining_childhood", "suppressed"]]


def placement_names(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a placement_group name column after sf_group."""
    return table.assign(placement_group=table["sf_group"].map(PLACEMENT_GROUP_NAMES))
