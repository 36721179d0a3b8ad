"""HM Treasury Green Book appraisal: real terms, STPR discounting, NPV, BCR, payback, break-even.

Inputs read from the official-statistics folder: ``greenbook/stpr_schedule.csv`` (rates by
year band) and ``greenbook/gdp_deflator_2024eq100.csv``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from carebook.errors import InputError

STPR_FILE = "greenbook/stpr_schedule.csv"
DEFLATOR_FILE = "greenbook/gdp_deflator_2024eq100.csv"


def stpr_schedule(kind: str = "standard") -> pd.DataFrame:
    """The STPR schedule: year_from, year_to, rate (0-1) for ``kind`` (standard / health)."""
    from carebook import public

    frame = public.read(STPR_FILE, numeric=("year_from", "year_to", kind))
    return frame[["year_from", "year_to", kind]].rename(columns={kind: "rate"})


def discount_factors(years: int, schedule: pd.DataFrame) -> np.ndarray:
    """Discount factor of each year 0..years-1: DF_0 = 1, DF_t = DF_{t-1} / (1 + rate of year t).

    With the standard schedule this is 1 / 1.035^t up to year 30, then 3.0% a year, and so on.
    """
    t = np.arange(1, years)
    rates = np.zeros(len(t))
    for row in schedule.itertuples():
        rates = np.where((t >= row.year_from) & (t <= row.year_to), row.rate, rates)
    return np.concatenate([[1.0], np.cumprod(1 / (1 + rates))])


def gdp_deflator() -> pd.Series:
    """GDP deflator index by year (2024 = 100)."""
    from carebook import public

    frame = public.read(DEFLATOR_FILE, numeric=("value",))
    return pd.Series(frame["value"].to_numpy(), index=frame["year"].astype(int), name="gdp_deflator")


def to_real(values: np.ndarray, price_year: int, base_year: int, deflator: pd.Series) -> np.ndarray:
    """Convert £ at ``price_year`` prices into £ at ``base_year`` prices with the GDP deflator."""
    for year in (price_year, base_year):
        if year not in deflator.index:
            raise InputError(f"expected a year covered by the GDP deflator ({deflator.index.min()}-{deflator.index.max()}), got {year}",
                             file=DEFLATOR_FILE, where="cost_benefit.price_year")
    return values * deflator[base_year] / deflator[price_year]


def npv(net: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Net present value, £: sum over years (last axis) of net x discount factor."""
    return np.sum(net * factors, axis=-1)


def benefit_cost_ratio(benefits: np.ndarray, costs: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Present value of benefits / present value of costs (ratio)."""
    return npv(benefits, factors) / npv(costs, factors)


def payback_index(net: np.ndarray) -> int | None:
    """Index of the first year in which the cumulative net position (£) is zero or better and stays so; None if never."""
    cumulative = np.cumsum(net)
    if cumulative[-1] < 0:
        return None
    negative = np.flatnonzero(cumulative < 0)
    return 0 if len(negative) == 0 else int(negative[-1] + 1)


def with_optimism_bias(costs: np.ndarray, uplift: float) -> np.ndarray:
    """Costs raised by the optimism-bias uplift (rate), £."""
    return costs * (1 + uplift)


def solve_switching_value(objective: Callable[[float], float], low: float, high: float) -> float | None:
    """The value in [low, high] at which ``objective`` (e.g. NPV, £) is zero, by Brent's method.

    None when the objective has the same sign at both ends (no switch in the range).
    """
    f_low, f_high = objective(low), objective(high)
    if f_low == 0:
        return low
    if np.sign(f_low) == np.sign(f_high):
        return None
    return float(brentq(objective, low, high, xtol=1e-10))
