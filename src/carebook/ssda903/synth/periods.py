"""Periods of care of the synthetic extract: starts calibrated to the published figures,
ages at entry and lengths of stay, the stock matched at each snapshot date and children
who return to care."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.ssda903.calibration import NATIONAL_STARTS_PER_CHILD, Targets
from carebook.ssda903.synth.common import day_number, eighteenth_birthday
from carebook.units import DAYS_A_YEAR

#: Share (0-1) of children starting to be looked after by age band (years [from, to)).
ENTRY_AGE_SHARES: dict[tuple[int, int], float] = {
    (0, 1): 0.19, (1, 5): 0.15, (5, 10): 0.15, (10, 16): 0.33, (16, 18): 0.18,
}  # fmt: skip
LONG_STAY_FACTOR = (0.45, 0.6, 1.0, 1.0, 1.0)
"""Long stays of children entering under 1 and aged 1-4 are shorter (adoption, special
guardianship): factor on the mean long stay, by ENTRY_AGE_SHARES band."""
SHORT_STAY_SHARE = 0.35
"""Share (0-1) of periods of care that are short stays."""
SHORT_STAY_MEAN_DAYS = 90.0
"""Mean length of a short stay (days)."""
RE_ENTRY_SHARE = 0.25
"""Share (0-1) of starts tried as a return to care of an earlier child; about half find one that fits."""


# --------------------------------------------------------------------------- periods
def _entry_ages(rng: np.random.Generator, n: int, shares: np.ndarray) -> np.ndarray:
    """Age at entry (days): band by ``shares`` (one per ENTRY_AGE_SHARES band),
    uniform within the band."""
    bands = list(ENTRY_AGE_SHARES)
    pick = rng.choice(len(bands), size=n, p=shares / shares.sum())
    low = np.array([b[0] for b in bands])[pick] * DAYS_A_YEAR
    high = np.array([b[1] for b in bands])[pick] * DAYS_A_YEAR - 2
    return (low + rng.random(n) * (high - low)).astype("int64")


def _long_factor(ages: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """The factor (one per ENTRY_AGE_SHARES band) of each entry age (days)."""
    edges = np.array([b[0] for b in ENTRY_AGE_SHARES]) * DAYS_A_YEAR
    return factors[np.searchsorted(edges, ages, side="right") - 1]


def _stay_lengths(rng: np.random.Generator, ages: np.ndarray, long_mean: float, factors: np.ndarray) -> np.ndarray:
    """Lengths of stay (days) for entries at these ages (days): short stays with
    probability SHORT_STAY_SHARE, else long (mean ``long_mean`` x the band's factor)."""
    short = rng.random(len(ages)) < SHORT_STAY_SHARE
    mean = np.where(short, SHORT_STAY_MEAN_DAYS, long_mean * _long_factor(ages, factors))
    return 1 + rng.exponential(mean).astype("int64")


def _long_stay_mean(rng: np.random.Generator, days_per_start: float, shares: np.ndarray,
                    factors: np.ndarray) -> float:
    """Mean long stay (days) so that the average stay, capped at 18, is ``days_per_start``."""
    ages = _entry_ages(rng, 20_000, shares)
    room = (18 * DAYS_A_YEAR - ages).astype(float)
    candidates = np.linspace(200, 6000, 59)
    base = rng.exponential(1.0, size=20_000)
    short = rng.random(20_000) < SHORT_STAY_SHARE
    factor = _long_factor(ages, factors)
    means = [np.minimum(np.where(short, SHORT_STAY_MEAN_DAYS * base, m * factor * base), room).mean()
             for m in candidates]
    return float(np.interp(days_per_start, means, candidates))


def calibrate_entry(age_mix: pd.Series, days_per_start: float, rng: np.random.Generator,
                    rounds: int = 6) -> tuple[np.ndarray, float, np.ndarray]:
    """Entry-age shares and long-stay factors (one per ENTRY_AGE_SHARES band) and
    the mean long stay (days) such that a steady population has the published age
    mix at 31 March (``age_mix``: share by DfE age group) and the published ratio
    of stock to starts. Starts from ENTRY_AGE_SHARES and LONG_STAY_FACTOR; each
    round rescales a band's entry share by target / simulated share, and the
    long-stay factor of the band below it (whose children age into it) by the
    square root of that ratio (children under 1 and 1-4 only)."""
    shares = np.array(list(ENTRY_AGE_SHARES.values()))
    factors = np.array(LONG_STAY_FACTOR, dtype=float)
    target = age_mix.to_numpy(dtype=float) if len(age_mix) == len(shares) else None
    n = 40_000
    edges = [b[0] for b in ENTRY_AGE_SHARES] + [18]
    for _ in range(rounds if target is not None and not np.isnan(target).any() else 0):
        long_mean = _long_stay_mean(rng, days_per_start, shares, factors)
        start = rng.random(n) * 18 * DAYS_A_YEAR
        age = _entry_ages(rng, n, shares)
        end = np.minimum(start + _stay_lengths(rng, age, long_mean, factors), start - age + 18 * DAYS_A_YEAR)
        census = 18 * DAYS_A_YEAR
        open_age = (census - start + age)[(start <= census) & (end > census)] / DAYS_A_YEAR
        simulated = np.histogram(open_age, bins=edges)[0] / max(len(open_age), 1)
        ratio = np.clip(target / np.maximum(simulated, 1e-6), 0.2, 5.0)
        shares = shares * ratio
        shares = shares / shares.sum()
        factors[:2] = np.clip(factors[:2] * np.sqrt(ratio[1:3]), 0.05, 2.0)
    return shares, _long_stay_mean(rng, days_per_start, shares, factors), factors


def make_periods(targets: Targets, first_year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Periods of care (start, end, dob as days) for every simulated collection year."""
    starts = targets.starts
    per_year = starts.to_numpy()
    years = starts.index.to_numpy()
    year_of = np.repeat(years, per_year)
    year_start = np.array([day_number(pd.Timestamp(y - 1, 4, 1)) for y in years])  # one per year
    year_days = np.array([day_number(pd.Timestamp(y, 3, 31)) for y in years]) - year_start + 1
    index = np.searchsorted(years, year_of)
    start = year_start[index] + (rng.random(len(year_of)) * year_days[index]).astype("int64")
    published = targets.stock[targets.stock.index >= first_year]
    mean_starts = float(starts[starts.index >= first_year].mean())
    days_per_start = float(published.mean() / mean_starts * DAYS_A_YEAR) if mean_starts > 0 else (
        DAYS_A_YEAR / NATIONAL_STARTS_PER_CHILD)
    shares, long_mean, factors = calibrate_entry(targets.age_mix, days_per_start, rng)
    ages = _entry_ages(rng, len(start), shares)
    dob = start - ages
    end = start + _stay_lengths(rng, ages, long_mean, factors)
    eighteenth = eighteenth_birthday(dob)
    return pd.DataFrame({"start": start, "end": np.minimum(end, eighteenth), "dob": dob,
                         "eighteenth": eighteenth}).sort_values("start", kind="stable").reset_index(drop=True)



def match_stock(periods: pd.DataFrame, dates: list[int], totals: list[int], rng: np.random.Generator) -> pd.DataFrame:
    """Shorten or extend periods so exactly ``totals[i]`` are open on ``dates[i]``
    (open: start <= date < end). Dates are taken in order and a change never moves a
    period's end to or before an earlier date, so earlier dates keep their counts.

    To add children the periods that ended since the previous date are extended; if
    there are too few (a very small council), periods starting in the next year are
    brought forward to start before the date (moving a few starts a year earlier),
    and failing that new periods are added (a few more starts than published)."""
    start = periods["start"].to_numpy().copy()
    end = periods["end"].to_numpy().copy()
    dob = periods["dob"].to_numpy().copy()
    eighteenth = periods["eighteenth"].to_numpy().copy()
    previous = np.iinfo("int64").min // 4
    for day, total in zip(dates, totals):  # one pass per snapshot date
        is_open = (start <= day) & (end > day)
        count = int(is_open.sum())
        if count > total:
            low = np.maximum(start + 1, previous + 1)
            candidates = np.flatnonzero(is_open & (low <= day))
            pick = rng.choice(candidates, count - total, replace=False)
            end[pick] = low[pick] + (rng.random(len(pick)) * (day - low[pick] + 1)).astype("int64")
        elif count < total:
            candidates = np.flatnonzero(~is_open & (end > previous) & (end <= day) & (start <= day)
                                        & (eighteenth > day + 1))
            pick = rng.choice(candidates, min(total - count, len(candidates)), replace=False)
            stay = 1 + rng.exponential(DAYS_A_YEAR, len(pick)).astype("int64")
            end[pick] = np.minimum(day + stay, eighteenth[pick])
            missing = total - count - len(pick)
            if missing > 0:
                shift = np.minimum(day - np.maximum(previous, day - 181), start - day + 180)
                furthest = (start - day) + np.maximum(shift - 1, 0)  # the most a start can move back (days)
                soon = np.flatnonzero((start > day) & (start <= day + 365) & (eighteenth - furthest > day + 1))
                moved = rng.choice(soon, min(missing, len(soon)), replace=False)
                back = (start[moved] - day) + (rng.random(len(moved)) * np.maximum(shift[moved] - 1, 0)).astype("int64")
                start[moved] -= back
                dob[moved] -= back
                eighteenth[moved] = eighteenth_birthday(dob[moved])
                end[moved] = np.maximum(np.minimum(end[moved], eighteenth[moved]), day + 1)
                missing -= len(moved)
            if missing > 0:  # a very small council: add periods (a few more starts than published)
                first = max(previous + 1, day - 364)
                new_start = first + (rng.random(missing) * (day - first + 1)).astype("int64")
                age = (rng.random(missing) * 15 * DAYS_A_YEAR).astype("int64")
                new_dob = new_start - age
                new_18 = eighteenth_birthday(new_dob)
                new_end = np.minimum(day + 1 + rng.exponential(DAYS_A_YEAR, missing).astype("int64"), new_18)
                start, end = np.r_[start, new_start], np.r_[end, new_end]
                dob, eighteenth = np.r_[dob, new_dob], np.r_[eighteenth, new_18]
        previous = day
    return pd.DataFrame({"start": start, "end": end, "dob": dob, "eighteenth": eighteenth})


def link_re_entries(periods: pd.DataFrame, rng: np.random.Generator, reach: int = 25) -> pd.DataFrame:
    """Give about RE_ENTRY_SHARE of periods to a child who left care at least 30
    days before: among the ``reach`` periods nearest in date of birth on either side,
    the first that fits (the returning period takes over that child's date of birth
    and must still end by their 18th birthday). Adds ``child`` (0, 1, ...)."""
    n = len(periods)
    child = np.arange(n)
    dob = periods["dob"].to_numpy().copy()
    start, end = periods["start"].to_numpy(), periods["end"].to_numpy()
    later = np.flatnonzero(rng.random(n) < RE_ENTRY_SHARE)
    pool = np.setdiff1d(np.arange(n), later)
    order = pool[np.argsort(dob[pool], kind="stable")]
    slot = np.searchsorted(dob[order], dob[later])
    used = np.zeros(n, dtype=bool)
    waiting = np.ones(len(later), dtype=bool)
    for offset in [o for k in range(reach) for o in (k, -k - 1)]:  # a few dozen neighbours, each over all rows
        rows = np.flatnonzero(waiting)
        position = slot[rows] + offset
        inside = (position >= 0) & (position < len(order))
        rows, earlier = rows[inside], order[position[inside]]
        new_dob = dob[earlier]
        fits = ((end[earlier] + 30 <= start[later[rows]]) & (new_dob <= start[later[rows]])
                & (end[later[rows]] <= eighteenth_birthday(new_dob)) & ~used[earlier])
        rows, earlier = rows[fits], earlier[fits]
        first = pd.Series(rows).groupby(earlier).first().to_numpy()  # one return per earlier period
        chosen = earlier[np.isin(rows, first)]
        rows = rows[np.isin(rows, first)]
        used[chosen] = True
        waiting[rows] = False
        child[later[rows]] = chosen
    dob = dob[child]
    relabel = pd.factorize(child)[0]
    return periods.assign(child=relabel, dob=dob, eighteenth=eighteenth_birthday(dob))



def stock_dates(targets: Targets, start_year: int, end_year: int) -> tuple[list[int], list[int]]:
    """Dates (days) and totals the stock is matched to: every 31 March of the extract
    (published or interpolated) and every snapshot date with a total."""
    totals = {day_number(pd.Timestamp(y, 3, 31)): int(targets.stock[y]) for y in range(start_year, end_year + 1)}
    first, last = day_number(pd.Timestamp(start_year - 1, 4, 1)), day_number(pd.Timestamp(end_year, 3, 31))
    for snap in targets.snapshots:
        if snap.total is not None and first <= day_number(snap.date) <= last:
            totals[day_number(snap.date)] = snap.total
    ordered = sorted(totals)
    return ordered, [totals[d] for d in ordered]

