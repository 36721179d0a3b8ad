"""Days in care: episodes as half-open intervals of days and their overlap with windows.

Conventions used throughout the volume analysis:
- an episode covers the days from DECOM up to, not including, DEC (the day an
  episode ceases is the first day of the next episode or the first day out of
  care), so consecutive episodes never count a day twice;
- an open episode (DEC blank) runs to the last day the extract covers, inclusive;
- a window is ``[window_start, window_end)``, so its length in days is
  ``window_end - window_start``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from carebook.ssda903.codes import placement_group

ONE_DAY = pd.Timedelta(days=1)


def age_on(dob: pd.Series, day: pd.Series) -> pd.Series:
    """Age in whole years (int) on ``day`` of children born on ``dob`` (aligned Series)."""
    dob = pd.to_datetime(dob)
    day = pd.to_datetime(day)
    before_birthday = (day.dt.month < dob.dt.month) | (
        (day.dt.month == dob.dt.month) & (day.dt.day < dob.dt.day)
    )
    return (day.dt.year - dob.dt.year - before_birthday.astype("int64")).astype("int64")


def add_years(dates: pd.Series, years: int | pd.Series) -> pd.Series:
    """The anniversary ``years`` years after each date (29 February -> 28 February).

    ``years`` is one whole number or a Series of them aligned with ``dates``.
    """
    dates = pd.to_datetime(dates)
    months = (np.asarray(years, dtype="int64") * 12).astype("timedelta64[M]")
    month_start = dates.to_numpy().astype("datetime64[M]") + months
    next_month = month_start + np.timedelta64(1, "M")
    last_day = (next_month.astype("datetime64[D]") - month_start.astype("datetime64[D]")).astype("int64")
    day = np.minimum(dates.dt.day.to_numpy(), last_day)
    shifted = month_start.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    return pd.Series(shifted.astype("datetime64[ns]"), index=dates.index)


def care_intervals(episodes: pd.DataFrame, observed_to: pd.Timestamp) -> pd.DataFrame:
    """Episodes as intervals of days in care, each with its placement group.

    Returns columns CHILD, start (DECOM), end (DEC, or the day after ``observed_to``
    for an open episode; exclusive), sf_group (F/A/R/I/U; "U" for a code outside the
    list). Episodes ending after ``observed_to`` are cut at the day after it.
    """
    end_of_data = pd.Timestamp(observed_to) + ONE_DAY
    end = episodes["DEC"].fillna(end_of_data).clip(upper=end_of_data)
    group = placement_group(episodes["PLACE"]).fillna("U").astype(str)
    return pd.DataFrame(
        {
            "CHILD": episodes["CHILD"].to_numpy(),
            "start": episodes["DECOM"].to_numpy(),
            "end": end.to_numpy(),
            "sf_group": group.to_numpy(),
        }
    )


def care_days_in_windows(
    intervals: pd.DataFrame,
    windows: pd.DataFrame,
    keys: Sequence[str],
    by_group: bool = False,
) -> pd.DataFrame:
    """Days in care (days) of each child inside each of its windows.

    ``windows`` has CHILD, window_start, window_end (exclusive) and the columns
    ``keys`` that identify a window (e.g. CHILD and journey_year). Returns one row per
    window (and per placement group with ``by_group``) with ``care_days``; windows
    with no care have 0 (and sf_group NA when ``by_group``).
    """
    keys = list(keys)
    pairs = windows[[*keys, "window_start", "window_end"]].merge(
        intervals, on="CHILD", how="inner"
    )
    overlap_end = np.minimum(pairs["end"].to_numpy(), pairs["window_end"].to_numpy())
    overlap_start = np.maximum(pairs["start"].to_numpy(), pairs["window_start"].to_numpy())
    days = ((overlap_end - overlap_start) // np.timedelta64(1, "D")).clip(min=0)
    pairs = pairs.assign(care_days=days.astype("int64"))
    group_keys = [*keys, "sf_group"] if by_group else keys
    summed = pairs[pairs["care_days"] > 0].groupby(group_keys, as_index=False)["care_days"].sum()
    result = windows[keys].merge(summed, on=keys, how="left")
    return result.assign(care_days=result["care_days"].fillna(0).astype("int64"))


def placement_days(
    intervals: pd.DataFrame, start: pd.Timestamp, end_exclusive: pd.Timestamp
) -> pd.Series:
    """Days in care (days) of all children between two dates, by placement group F/A/R/I/U."""
    overlap_end = np.minimum(intervals["end"].to_numpy(), np.datetime64(end_exclusive, "ns"))
    overlap_start = np.maximum(intervals["start"].to_numpy(), np.datetime64(start, "ns"))
    days = ((overlap_end - overlap_start) // np.timedelta64(1, "D")).clip(min=0)
    totals = pd.Series(days, index=intervals["sf_group"].to_numpy()).groupby(level=0).sum()
    return totals.reindex(["F", "A", "R", "I", "U"], fill_value=0).astype("int64").rename("placement_days")
