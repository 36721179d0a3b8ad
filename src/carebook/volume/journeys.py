"""Care journeys of the eligible cohort, with the Social Finance adjustable-sample
method (seed 001, appendix).

- The cohort: children whose first start of a period of care within the age range
  (11-16) is eligible (not a short break, category of need N4/N5/N6) and who were
  not in care at any time in the year before that entry. Entries in the first year
  of the data are left out because the year before them is not observed.
- Journey year k runs from the (k-1)-th to the k-th anniversary of entry, cut at the
  child's 18th birthday (ageing out is not an end of care: the child leaves the
  sample for later years).
- Adjustable sample: a child counts towards year k only if the whole of that year
  (to the anniversary or the 18th birthday) lies inside the data.
- A journey is complete when the child's 18th birthday lies inside the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.volume.care_days import ONE_DAY, add_years, care_days_in_windows, care_intervals
from carebook.volume.funnel import care_entries
from carebook.volume.params import VolumeSizingParams
from carebook.units import DAYS_A_YEAR



def journey_cohort(
    header: pd.DataFrame,
    episodes: pd.DataFrame,
    observed_from: pd.Timestamp,
    observed_to: pd.Timestamp,
    params: VolumeSizingParams,
) -> pd.DataFrame:
    """One row per child of the journey cohort.

    Columns CHILD, entry (date of entry), age_at_entry (years), ages_out (date of
    the 18th birthday), complete (bool: aged out inside the data).
    """
    entries = care_entries(header, episodes, params)
    eligible = entries[entries["CIN"].isin(params.need_codes).fillna(False).astype(bool)]
    first = eligible.sort_values(["CHILD", "DECOM"]).drop_duplicates("CHILD")
    lookback_start = pd.Timestamp(observed_from) + pd.Timedelta(days=params.lookback_days)
    first = first[first["DECOM"] >= lookback_start]
    windows = pd.DataFrame(
        {
            "CHILD": first["CHILD"],
            "window_start": first["DECOM"] - pd.Timedelta(days=params.lookback_days),
            "window_end": first["DECOM"],
        }
    )
    intervals = care_intervals(episodes[episodes["CHILD"].isin(first["CHILD"])], observed_to)
    before = care_days_in_windows(intervals, windows, keys=["CHILD"])
    in_care_before = before.loc[before["care_days"] > 0, "CHILD"]
    cohort = first[~first["CHILD"].isin(in_care_before)]
    ages_out = add_years(cohort["DOB"], params.care_leaving_age)
    return pd.DataFrame(
        {
            "CHILD": cohort["CHILD"].to_numpy(),
            "entry": cohort["DECOM"].to_numpy(),
            "age_at_entry": cohort["age_at_entry"].to_numpy(),
            "ages_out": ages_out.to_numpy(),
            "complete": (ages_out <= pd.Timestamp(observed_to) + ONE_DAY).to_numpy(),
        }
    )


def journey_years(
    cohort: pd.DataFrame, observed_to: pd.Timestamp, params: VolumeSizingParams
) -> pd.DataFrame:
    """Each cohort child's journey years 1 to (care leaving age - youngest age).

    Columns CHILD, age_at_entry, complete, journey_year (1, 2, ...), window_start,
    window_end (exclusive; cut at the 18th birthday), childhood_days (days of the year
    before the 18th birthday, 0 once aged out), in_sample (bool: the year is within
    childhood and wholly inside the data).
    """
    max_years = params.care_leaving_age - params.age_min
    years = np.arange(1, max_years + 1)
    child_years = cohort.loc[cohort.index.repeat(max_years)].reset_index(drop=True)
    child_years["journey_year"] = np.tile(years, len(cohort))
    start = add_years(child_years["entry"], child_years["journey_year"] - 1)
    anniversary = add_years(child_years["entry"], child_years["journey_year"])
    end = anniversary.where(anniversary < child_years["ages_out"], child_years["ages_out"])
    start = start.where(start < end, end)
    childhood_days = (end - start).dt.days.astype("int64")
    in_sample = (childhood_days > 0) & (end <= pd.Timestamp(observed_to) + ONE_DAY)
    return child_years.assign(
        window_start=start, window_end=end, childhood_days=childhood_days, in_sample=in_sample
    )[["CHILD", "age_at_entry", "complete", "journey_year", "window_start", "window_end", "childhood_days", "in_sample"]]


def journey_care_days(
    years: pd.DataFrame, episodes: pd.DataFrame, observed_to: pd.Timestamp
) -> pd.DataFrame:
    """Days in care by placement group in each sampled journey year.

    Returns the in-sample rows of ``years`` (CHILD, age_at_entry, complete,
    journey_year, childhood_days) once per placement group F/A/R/I/U with care_days
    (days; 0 where the child had no care of that group).
    """
    sample = years[years["in_sample"]]
    intervals = care_intervals(episodes[episodes["CHILD"].isin(sample["CHILD"].unique())], observed_to)
    days = care_days_in_windows(intervals, sample, keys=["CHILD", "journey_year"], by_group=True)
    days = days.dropna(subset=["sf_group"])
    wide = days.pivot_table(
        index=["CHILD", "journey_year"], columns="sf_group", values="care_days", aggfunc="sum", fill_value=0
    ).reindex(columns=["F", "A", "R", "I", "U"], fill_value=0)
    base = sample[["CHILD", "age_at_entry", "complete", "journey_year", "childhood_days"]]
    merged = base.merge(wide.reset_index(), on=["CHILD", "journey_year"], how="left")
    long = merged.melt(
        id_vars=list(base.columns), value_vars=["F", "A", "R", "I", "U"], var_name="sf_group", value_name="care_days"
    )
    return long.assign(care_days=long["care_days"].fillna(0).astype("int64"))


def _totals_by_year(care: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Children, childhood days and care days summed over children for each journey year."""
    per_child = care.groupby([*by, "CHILD", "journey_year"], as_index=False).agg(
        childhood_days=("childhood_days", "first"), care_days=("care_days", "sum")
    )
    return per_child.groupby([*by, "journey_year"], as_index=False).agg(
        children=("CHILD", "nunique"),
        childhood_days=("childhood_days", "sum"),
        care_days=("care_days", "sum"),
    )


def journey_profile(care: pd.DataFrame, observation_years: int) -> pd.DataFrame:
    """Share of elapsed time in care in each year since entry, all journeys beside
    complete journeys.

    Returns columns journeys ("all" / "complete"), journey_year, children (sample),
    share_in_care (rate 0-1: care days / days of childhood in that year),
    mean_care_days (days a child in the sample spent in care that year),
    cumulative_care_days (days, sum of mean_care_days to that year) and
    cumulative_share_in_care (rate 0-1 of elapsed time since entry).
    """
    all_years = _totals_by_year(care, []).assign(journeys="all")
    complete = _totals_by_year(care[care["complete"]], []).assign(journeys="complete")
    table = pd.concat([all_years, complete], ignore_index=True)
    table = table[table["journey_year"] <= observation_years]
    table = table.assign(
        share_in_care=table["care_days"] / table["childhood_days"],
        mean_care_days=table["care_days"] / table["children"],
        mean_childhood_days=table["childhood_days"] / table["children"],
    ).sort_values(["journeys", "journey_year"])
    grouped = table.groupby("journeys")
    table = table.assign(
        cumulative_care_days=grouped["mean_care_days"].cumsum(),
        cumulative_share_in_care=grouped["mean_care_days"].cumsum() / grouped["mean_childhood_days"].cumsum(),
    )
    return table[
        ["journeys", "journey_year", "children", "share_in_care", "mean_care_days", "cumulative_care_days", "cumulative_share_in_care"]
    ].reset_index(drop=True)


def length_of_care_by_age(years: pd.DataFrame, care: pd.DataFrame) -> pd.DataFrame:
    """Expected years in care over the rest of childhood, by age at entry, for all
    journeys and for complete journeys.

    For each age a and journey year k the share of time in care is taken from the
    children of that age observed in year k; where none is observed yet, the share of
    the latest observed year carries forward. Expected years in care = sum over k of
    share(a, k) x mean days of childhood in year k over all cohort children of age a
    / 365.25. Returns columns journeys, age_at_entry, children (cohort), remaining_childhood_years,
    years_in_care, share_of_remaining_childhood (rate 0-1), plus rows age_at_entry = -1
    ("all ages", weighted by the number of children of each age).
    """
    results = []
    for journeys, subset_years, subset_care in (
        ("all", years, care),
        ("complete", years[years["complete"]], care[care["complete"]]),
    ):
        results.append(_expected_years(subset_years, subset_care).assign(journeys=journeys))
    return pd.concat(results, ignore_index=True)[
        ["journeys", "age_at_entry", "children", "remaining_childhood_years", "years_in_care", "share_of_remaining_childhood"]
    ]


def _expected_years(years: pd.DataFrame, care: pd.DataFrame) -> pd.DataFrame:
    """Expected years in care by age at entry for one set of journeys (see length_of_care_by_age)."""
    if years.empty:
        return pd.DataFrame(columns=["age_at_entry", "children", "remaining_childhood_years", "years_in_care", "share_of_remaining_childhood"])
    childhood = years.groupby(["age_at_entry", "journey_year"]).agg(
        children=("CHILD", "nunique"), mean_childhood_days=("childhood_days", "mean")
    )
    observed = _totals_by_year(care, ["age_at_entry"]).set_index(["age_at_entry", "journey_year"])
    share = (observed["care_days"] / observed["childhood_days"]).reindex(childhood.index)
    share = share.groupby(level="age_at_entry").ffill().fillna(0.0)
    expected = (share * childhood["mean_childhood_days"]).groupby(level="age_at_entry").sum() / DAYS_A_YEAR
    remaining = childhood["mean_childhood_days"].groupby(level="age_at_entry").sum() / DAYS_A_YEAR
    children = childhood["children"].groupby(level="age_at_entry").first()
    by_age = pd.DataFrame(
        {"children": children, "remaining_childhood_years": remaining, "years_in_care": expected}
    ).reset_index()
    weights = by_age["children"] / by_age["children"].sum()
    overall = pd.DataFrame(
        {
            "age_at_entry": [-1],
            "children": [by_age["children"].sum()],
            "remaining_childhood_years": [(weights * by_age["remaining_childhood_years"]).sum()],
            "years_in_care": [(weights * by_age["years_in_care"]).sum()],
        }
    )
    table = pd.concat([by_age, overall], ignore_index=True)
    return table.assign(share_of_remaining_childhood=table["years_in_care"] / table["remaining_childhood_years"])


def sample_sizes(years: pd.DataFrame) -> pd.DataFrame:
    """Children behind each figure: the cohort, those with complete journeys and those
    tracked over more than 1, 2, ... years.

    Returns columns measure (text), children.
    """
    cohort = years.drop_duplicates("CHILD")
    tracked = years[years["in_sample"]].groupby("journey_year")["CHILD"].nunique()
    rows = [("Qualifying children", len(cohort)), ("with complete care journeys (aged 18 within the data)", int(cohort["complete"].sum()))]
    rows += [
        (f"tracked over more than {k} year{'s' if k > 1 else ''}", int(tracked.get(k + 1, 0)))
        for k in range(1, int(years["journey_year"].max()) if len(years) else 1)  # none without a cohort
    ]
    return pd.DataFrame(rows, columns=["measure", "children"])


def placement_mix(care: pd.DataFrame) -> pd.DataFrame:
    """Share of care days by placement group, by age at entry and for all ages.

    Returns columns age_at_entry (-1 for all ages), children (in the sample), sf_group,
    care_days (days), share (rate 0-1).
    """
    by_age = care.groupby(["age_at_entry", "sf_group"], as_index=False)["care_days"].sum()
    overall = care.groupby("sf_group", as_index=False)["care_days"].sum().assign(age_at_entry=-1)
    children = pd.concat(
        [care.groupby("age_at_entry")["CHILD"].nunique(), pd.Series({-1: care["CHILD"].nunique()})]
    ).rename("children")
    table = pd.concat([by_age, overall], ignore_index=True)
    totals = table.groupby("age_at_entry")["care_days"].transform("sum")
    table = table.assign(share=(table["care_days"] / totals).fillna(0.0))
    table = table.merge(children, left_on="age_at_entry", right_index=True, how="left")
    return table[["age_at_entry", "children", "sf_group", "care_days", "share"]]
