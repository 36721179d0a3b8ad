"""Shared pieces of the synthetic extract: the cells of a placement (group, provider,
location), dates as day numbers and vectorised random draws."""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUPS: tuple[str, ...] = ("fostering", "residential", "semi_independence", "other")
F, R, S, O = range(4)
PROVIDERS: tuple[str, ...] = ("in_house", "external")
LOCATIONS: tuple[str, ...] = ("inside", "outside")
N_CELLS = 16  # group x provider x location: cell = group * 4 + provider * 2 + location
WARM_UP_YEARS = 18
UNSET = -1
OPEN_END = np.iinfo("int64").max // 4


# --------------------------------------------------------------------------- dates
def day_number(value) -> int:
    """Days since 1 January 1970 of a date."""
    return int(pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype("int64"))


def as_dates(days: np.ndarray) -> pd.Series:
    """datetime64 from days since 1970 (OPEN_END and beyond -> NaT)."""
    values = np.where(days >= OPEN_END, np.datetime64("NaT"), days.astype("datetime64[D]"))
    return pd.Series(pd.to_datetime(values.astype("datetime64[ns]")))


def choose(rng: np.random.Generator, labels: list, probabilities: np.ndarray) -> np.ndarray:
    """Row-wise draw of ``labels`` with probabilities (n x k); a row of zeros draws evenly."""
    totals = probabilities.sum(axis=1, keepdims=True)
    even = np.full(probabilities.shape, 1 / probabilities.shape[1])
    cumulative = np.cumsum(np.divide(probabilities, totals, out=even, where=totals > 0), axis=1)
    picks = (rng.random(len(probabilities))[:, None] > cumulative).sum(axis=1)
    return np.asarray(labels, dtype=object)[np.minimum(picks, len(labels) - 1)]


def draw(rng: np.random.Generator, labels: list, shares: list[float], n: int) -> np.ndarray:
    """``n`` draws of ``labels`` with the same probabilities."""
    p = np.asarray(shares, dtype=float)
    return np.asarray(labels, dtype=object)[rng.choice(len(labels), size=n, p=p / p.sum())]


def nth_birthday(dob: np.ndarray, years: int) -> np.ndarray:
    """Day of the birthday at ``years`` (days since 1970) for each date of birth (days); a
    29 February birth's is 28 February in a common year, as pandas' DateOffset."""
    born = dob.astype("datetime64[D]")
    month = born.astype("datetime64[M]")
    day_in_month = born - month.astype("datetime64[D]")
    target = month + years * 12
    birthday = target.astype("datetime64[D]") + day_in_month
    rolled = birthday.astype("datetime64[M]") != target
    return birthday.astype("int64") - rolled.astype("int64")


def eighteenth_birthday(dob: np.ndarray) -> np.ndarray:
    """Day of the 18th birthday (days since 1970) for each date of birth (days)."""
    return nth_birthday(dob, 18)

