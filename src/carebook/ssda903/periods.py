"""Periods of care, episodes open on a date, merged episodes and placement groups.

A *period of care* is a run of a child's episodes from an RNE = S episode until
the child leaves care: an episode continues the period when the previous episode
ceased with REC = X1 on the day it starts (DECOM = previous DEC); any other
episode (the child's first, or one after the child left care) starts a new period. An episode is *open on a date*
when DECOM <= date and it has not ceased by then (DEC blank or DEC > date): a
child whose episode ceases on 31 March is not looked after at 31 March.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from carebook.ssda903 import codes

#: Fields whose change makes an episode matter for placement analysis.
DEFAULT_RELEVANT: tuple[str, ...] = ("PLACE", "PLACE_PROVIDER", "LS")


def open_on(episodes: pd.DataFrame, date: pd.Timestamp | str) -> pd.Series:
    """True for episodes open on ``date`` (DECOM <= date and DEC blank or after it)."""
    day = pd.Timestamp(date)
    return (episodes["DECOM"] <= day) & (episodes["DEC"].isna() | (episodes["DEC"] > day))


def number_periods(episodes: pd.DataFrame) -> pd.DataFrame:
    """Episodes sorted by CHILD and DECOM with ``period`` (1, 2, ... within the child)
    and ``period_id`` (0, 1, ... over the extract) added."""
    ordered = episodes.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    same_child = ordered["CHILD"].eq(ordered["CHILD"].shift())
    continues = (same_child & ordered["REC"].shift().eq("X1").fillna(False)
                 & ordered["DECOM"].eq(ordered["DEC"].shift()).fillna(False))
    starts = ~continues
    period_id = starts.cumsum() - 1
    first_id_of_child = period_id.groupby(ordered["CHILD"]).transform("min")
    return ordered.assign(period=(period_id - first_id_of_child + 1).astype("int64"),
                          period_id=period_id.astype("int64"))


def periods_of_care(episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per period of care: CHILD, period (1, 2, ... within the child), start
    (first DECOM), end (last DEC, NaT while open), episodes (count), first_rne,
    first_ls, first_cin, first_place, last_rec (reason the period ended, NA while open)."""
    numbered = number_periods(episodes)
    grouped = numbered.groupby("period_id", sort=True)
    first = grouped.head(1).set_index("period_id")
    last = grouped.tail(1).set_index("period_id")
    return pd.DataFrame({
        "CHILD": first["CHILD"], "period": first["period"], "start": first["DECOM"], "end": last["DEC"],
        "episodes": grouped.size(), "first_rne": first["RNE"], "first_ls": first["LS"],
        "first_cin": first["CIN"], "first_place": first["PLACE"], "last_rec": last["REC"],
    }).reset_index(drop=True)  # fmt: skip


def merge_unchanged(episodes: pd.DataFrame, relevant: Sequence[str] = DEFAULT_RELEVANT) -> pd.DataFrame:
    """Merge consecutive episodes of a period whose ``relevant`` fields do not change
    (e.g. only the carer changed): the merged row keeps the first episode's values,
    the last episode's DEC and REC, and counts the episodes it holds (``episodes``).
    Also returns ``period`` / ``period_id`` as :func:`number_periods`."""
    numbered = number_periods(episodes)
    same_period = numbered["period_id"].eq(numbered["period_id"].shift())
    unchanged = same_period.copy()
    for field in relevant:  # a few named fields, each compared over all rows at once
        current, previous = numbered[field], numbered[field].shift()
        unchanged &= current.eq(previous).fillna(False) | (current.isna() & previous.isna())
    block = (~unchanged).cumsum()
    grouped = numbered.groupby(block, sort=True)
    merged = grouped.head(1).set_index(block[grouped.head(1).index])
    last = grouped.tail(1).set_index(block[grouped.tail(1).index])
    return merged.assign(DEC=last["DEC"], REC=last["REC"], episodes=grouped.size()).reset_index(drop=True)


def with_groups(episodes: pd.DataFrame) -> pd.DataFrame:
    """Episodes with the placement groupings of their PLACE code added: ``sf_group``
    (F fostering, A adoption, R residential, I other, U unknown), ``s251_line``
    (Section 251 outturn line) and ``sufficiency_group`` (fostering, residential,
    semi_independence, other)."""
    table = codes.placement_codes().set_index("code")
    return episodes.assign(
        sf_group=episodes["PLACE"].map(table["sf_group"]),
        s251_line=episodes["PLACE"].map(table["s251_line"]),
        sufficiency_group=episodes["PLACE"].map(table["sufficiency_group"]),
    )


def days_in_care(episodes: pd.DataFrame, start: pd.Timestamp | str, end: pd.Timestamp | str) -> pd.Series:
    """Days (count) each episode falls within [start, end) — e.g. a collection year
    is [1 April, next 1 April). Open episodes run to ``end``."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    first = episodes["DECOM"].clip(lower=lo)
    last = episodes["DEC"].fillna(hi).clip(upper=hi)
    return (last - first).dt.days.clip(lower=0).astype("int64")
