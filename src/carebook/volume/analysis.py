"""Volume sizing and care journeys for one council, as data: the eligible-cohort funnel,
journeys, placement mix, unit costs, the cost of a care journey and of a care entry avoided
(no display: :mod:`carebook.volume.page` shows it; no child rows leave the extract)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook.care_entry import CareEntryCost
from carebook.council import Council
from carebook.ssda903 import load_for_council
from carebook.ssda903.extract import Extract
from carebook.units import WEEKS_A_YEAR
from carebook.volume.care_days import care_intervals
from carebook.volume.costs import (
    council_unit_costs,
    journey_cost,
    latest_spend_year,
    official_spend,
    spend_per_child_check,
)
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

JOURNEY_COST_YEARS = 4
"""Years from entry over which the page quotes the cost of a care journey (as the method's table)."""


@dataclass(frozen=True)
class Inputs:
    """What volume sizing reads: the council's SSDA903 extract (its own, or the synthetic one)."""

    extract: Extract


@dataclass(frozen=True)
class Result:
    """Results of the volume sizing analysis (all tables aggregate: no child rows).

    funnel: step, description, period, children (see :func:`funnel_counts`).
    profile: share of time in care by year since entry (:func:`journey_profile`).
    by_age: expected years in care by age at entry (:func:`length_of_care_by_age`).
    mix: share of care days by placement group (:func:`placement_mix`).
    samples: children behind each figure (:func:`sample_sizes`).
    unit_costs: weekly cost by placement group; spend_year: the financial year of the
    official spend used (None: prices only); unit_cost_basis: a sentence saying which
    basis was used and why; spend_check: spend per child.
    cost: average placement cost of a journey by years since entry (:func:`journey_cost`).
    journey_cost_gbp, journey_cost_years: the cost over the first years from entry.
    years_in_care: weighted expected years in care of the cohort (NaN without journeys).
    care_entry: the cost of a care entry avoided (whole time in care x the cohort's mix).
    extract: the extract read (for the page's statement of the data and its quality section).
    """

    params: VolumeSizingParams
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
    journey_cost_gbp: float
    journey_cost_years: int
    years_in_care: float
    share_of_remaining_childhood: float
    care_entry: CareEntryCost
    extract: Extract

    @property
    def synthetic(self) -> bool:
        """True when the figures rest on a synthetic extract."""
        return bool(self.extract.is_synthetic)


def load_inputs(council: Council) -> Inputs:
    """The council's SSDA903 extract (its own where its file names one, else the synthetic one)."""
    return Inputs(extract=load_for_council(council))


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


def cost_over_years(cost: pd.DataFrame, years: int = JOURNEY_COST_YEARS) -> tuple[float, int]:
    """Average placement cost (£) of all journeys over ``years`` years from entry, or over
    the most years observed when fewer; returns (cost, years used)."""
    all_journeys = cost[cost["journeys"] == "all"].set_index("journey_year")["cumulative_cost_gbp"]
    if all_journeys.empty:
        return float("nan"), 0
    used = min(years, int(all_journeys.index.max()))
    return float(all_journeys.loc[used]), used


def care_entry_of_cohort(by_age: pd.DataFrame, mix: pd.DataFrame, unit_costs: pd.DataFrame) -> CareEntryCost:
    """The cost of a care entry avoided for the edge-of-care cohort, costed as every care entry
    is (:mod:`carebook.care_entry`): the cohort's weighted years in care in weeks x the weekly
    costs weighted by its mix of care days (all ages)."""
    overall = by_age[(by_age["journeys"] == "all") & (by_age["age_at_entry"] == -1)]["years_in_care"]
    years = float(overall.iloc[0]) if len(overall) else float("nan")
    shares = mix[mix["age_at_entry"] == -1].set_index("sf_group")["share"].astype(float)
    costs = unit_costs.set_index("sf_group")
    return CareEntryCost(
        mix=shares.reindex(costs.index).fillna(0.0),
        weekly_gbp=costs["weekly_cost_gbp"].astype(float),
        price_sources=costs["source"],
        episode_weeks=years * WEEKS_A_YEAR,
        mix_source="Care days of the journey cohort in the SSDA903 data, by placement group",
        weeks_source="Weighted expected years in care of the journey cohort in the SSDA903 data",
        labels=PLACEMENT_GROUP_NAMES,
    )


def analyse(council: Council, inputs: Inputs | None = None) -> Result:
    """Run the funnel, journeys, placement mix, unit costs, journey cost and the cost of a care
    entry for a council."""
    extract = (inputs if inputs is not None else load_inputs(council)).extract
    params: VolumeSizingParams = council.volume_sizing
    periods = funnel_periods(extract.start, extract.end, params)
    funnel = funnel_counts(extract.header, extract.episodes, periods, params)
    years, care = journeys_of(extract.header, extract.episodes, extract.start, extract.end, params)
    intervals = care_intervals(extract.episodes, extract.end)
    costs, spend_year, basis = council_unit_costs(council, intervals, extract.start, extract.end)
    check_year = latest_spend_year(extract.start, extract.end) if params.unit_cost_basis == "official_spend" else None
    spend = official_spend(council, check_year) if check_year else pd.Series(dtype=float)
    by_age = length_of_care_by_age(years, care)
    mix = placement_mix(care)
    cost = journey_cost(care, costs, params.observation_years)
    journey_gbp, journey_years_used = cost_over_years(cost)
    care_entry = care_entry_of_cohort(by_age, mix, costs)
    overall = by_age[(by_age["journeys"] == "all") & (by_age["age_at_entry"] == -1)]
    return Result(
        params=params,
        funnel=funnel,
        profile=journey_profile(care, params.observation_years),
        by_age=by_age,
        mix=mix,
        samples=sample_sizes(years[years["journey_year"] <= params.observation_years]),
        unit_costs=costs,
        spend_year=spend_year,
        unit_cost_basis=basis,
        spend_check=spend_per_child_check(council, check_year, spend, intervals),
        cost=cost,
        journey_cost_gbp=journey_gbp,
        journey_cost_years=journey_years_used,
        years_in_care=care_entry.episode_weeks / WEEKS_A_YEAR,
        share_of_remaining_childhood=(float(overall["share_of_remaining_childhood"].iloc[0]) if len(overall)
                                      else float("nan")),
        care_entry=care_entry,
        extract=extract,
    )


