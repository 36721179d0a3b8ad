"""The eligible-cohort funnel: how many edge-of-care cases a year could be referred
(Social Finance volume sizing, seed 001, table #1 to #6).

#1  new care entrants aged 11-16 (RNE = S in the year, legal status not V3/V4),
    unique children each year;
#2a of #1, category of need N4/N5/N6;
#2b of #2a, accommodated under section 20 (V2), for reference;
#3  unique children of #2a over the years (a child entering in two years counts once);
#4  a year: #3 / number of years;
#5  suitable for intervention: #4 x suitable share (70%);
#6  edge-of-care cases to refer a year: #5 x likelihood of entering care (65%).
"""

from __future__ import annotations

import pandas as pd

from carebook.errors import InputError
from carebook.volume.care_days import age_on
from carebook.volume.params import VolumeSizingParams

STEPS: dict[str, str] = {
    "1": "New care entrants aged {ages} (new period of care in the year; not short breaks {excluded})",
    "2a": "of whom with a category of need {needs}",
    "2b": "of whom accommodated under section 20 ({s20}), for reference",
    "3": "Unique children in 2a over the {n} years",
    "4": "Unique children a year (3 / {n})",
    "5": "Suitable for intervention (4 x {suitable:.0%})",
    "6": "Edge-of-care cases to refer each year (5 x {likelihood:.0%})",
}


NOTES: dict[str, str] = {
    "1": "Started a period of care in the year: DECOM in the year, RNE = S; aged {ages} at the start; legal status not {excluded}",
    "2a": "#1 with category of need {needs}",
    "2b": "#2a with legal status {s20}",
    "3": "Children of #2a counted once over the years",
    "4": "#3 / {n}",
    "5": "#4 x {suitable:.0%}",
    "6": "#5 x {likelihood:.0%}",
}


def funnel_periods(
    observed_from: pd.Timestamp, observed_to: pd.Timestamp, params: VolumeSizingParams
) -> pd.DataFrame:
    """The most recent complete years inside the data, oldest first.

    Returns columns period (label: "2024" for a calendar year, "2024-25" for a
    financial year), period_start, period_end (exclusive). Calendar years run
    1 January to 31 December; financial years 1 April to 31 March. Raises
    InputError when the data cover no complete year.
    """
    observed_from, observed_to = pd.Timestamp(observed_from), pd.Timestamp(observed_to)
    month = 1 if params.year_type == "calendar" else 4
    last_start_year = (observed_to + pd.Timedelta(days=1)).year - 1
    if pd.Timestamp(last_start_year + 1, month, 1) > observed_to + pd.Timedelta(days=1):
        last_start_year -= 1
    first_start_year = last_start_year - params.funnel_years + 1
    starts = pd.Series(
        [pd.Timestamp(year, month, 1) for year in range(first_start_year, last_start_year + 1)]
    )
    starts = starts[starts >= observed_from].reset_index(drop=True)
    if starts.empty:
        raise InputError(
            f"expected the 903 data to cover at least one complete {params.year_type} year, "
            f"got {observed_from:%d/%m/%Y} to {observed_to:%d/%m/%Y}",
            where="volume_sizing.year_type",
        )
    labels = (
        starts.dt.year.astype(str)
        if params.year_type == "calendar"
        else starts.dt.year.astype(str) + "-" + ((starts.dt.year + 1) % 100).astype(str).str.zfill(2)
    )
    return pd.DataFrame(
        {"period": labels, "period_start": starts, "period_end": starts + pd.DateOffset(years=1)}
    )


def care_entries(
    header: pd.DataFrame, episodes: pd.DataFrame, params: VolumeSizingParams
) -> pd.DataFrame:
    """Starts of periods of care (RNE = S) of children in the cohort's age range, not
    on short breaks.

    Returns columns CHILD, DECOM, LS, CIN, age_at_entry (whole years), DOB. Children
    without a date of birth have no age and are left out.
    """
    starts = episodes.loc[episodes["RNE"] == "S", ["CHILD", "DECOM", "LS", "CIN"]]
    starts = starts.merge(header.loc[header["DOB"].notna(), ["CHILD", "DOB"]], on="CHILD", how="inner")
    starts = starts.assign(age_at_entry=age_on(starts["DOB"], starts["DECOM"]))
    keep = (
        starts["age_at_entry"].between(params.age_min, params.age_max)
        & ~starts["LS"].isin(params.excluded_legal_statuses).fillna(False).astype(bool)
    )
    return starts[keep].reset_index(drop=True)


def funnel_counts(
    header: pd.DataFrame,
    episodes: pd.DataFrame,
    periods: pd.DataFrame,
    params: VolumeSizingParams,
) -> pd.DataFrame:
    """The funnel #1 to #6 as a tidy table.

    Returns columns step ("1", "2a", "2b", "3", "4", "5", "6"), description, period
    (a year's label for #1-#2b; "all years" for #3; "a year" for #4-#6) and children
    (children; #4-#6 are averages a year and not whole numbers).
    """
    entries = care_entries(header, episodes, params)
    entries = entries.assign(DECOM=entries["DECOM"].astype("datetime64[ns]"))
    periods = periods.assign(
        period_start=periods["period_start"].astype("datetime64[ns]"),
        period_end=periods["period_end"].astype("datetime64[ns]"),
    )
    in_period = pd.merge_asof(
        entries.sort_values("DECOM"),
        periods.sort_values("period_start"),
        left_on="DECOM",
        right_on="period_start",
    )
    in_period = in_period[in_period["DECOM"] < in_period["period_end"]]
    need = in_period[in_period["CIN"].isin(params.need_codes).fillna(False).astype(bool)]
    section_20 = need[need["LS"] == params.section_20_code]

    def unique_children(rows: pd.DataFrame, step: str) -> pd.DataFrame:
        counts = rows.groupby("period")["CHILD"].nunique().reindex(periods["period"], fill_value=0)
        return pd.DataFrame({"step": step, "period": counts.index, "children": counts.to_numpy(dtype=float)})

    n_years = len(periods)
    unique_over_years = float(need["CHILD"].nunique())
    per_year = unique_over_years / n_years
    suitable = per_year * params.suitable_share
    referrals = suitable * params.likelihood_of_entering_care
    derived = pd.DataFrame(
        {
            "step": ["3", "4", "5", "6"],
            "period": ["all years", "a year", "a year", "a year"],
            "children": [unique_over_years, per_year, suitable, referrals],
        }
    )
    table = pd.concat(
        [unique_children(in_period, "1"), unique_children(need, "2a"), unique_children(section_20, "2b"), derived],
        ignore_index=True,
    )
    return table.assign(description=table["step"].map(step_descriptions(params, n_years)))[
        ["step", "description", "period", "children"]
    ]


def step_descriptions(
    params: VolumeSizingParams, n_years: int, texts: dict[str, str] = STEPS
) -> dict[str, str]:
    """The funnel's row labels (or, with ``texts=NOTES``, its notes) with the parameters written in."""
    values = {
        "ages": f"{params.age_min}-{params.age_max}",
        "excluded": "/".join(params.excluded_legal_statuses) or "(none excluded)",
        "needs": "/".join(params.need_codes),
        "s20": params.section_20_code,
        "n": n_years,
        "suitable": params.suitable_share,
        "likelihood": params.likelihood_of_entering_care,
    }
    return {step: text.format(**values) for step, text in texts.items()}


def eligible_a_year(funnel: pd.DataFrame) -> float:
    """Edge-of-care cases to refer each year (children a year): funnel row #6."""
    return float(funnel.loc[funnel["step"] == "6", "children"].iloc[0])
