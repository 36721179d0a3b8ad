"""A synthetic SSDA903 extract calibrated to a council's published figures.

How it is built (all steps vectorised with numpy; loops run over snapshot dates
or over a handful of categories, never over children):

1. **Periods of care.** Each simulated collection year has its calibrated number
   of starts (:mod:`carebook.ssda903.calibration`), spread evenly over the year;
   ages at entry start from national shares and are rescaled until a steady
   population has the council's published age mix; lengths of stay are a mix of
   short stays and long stays whose mean is set so the stock matches starts. A period ends at
   the latest on the child's 18th birthday. Simulation begins 18 years before the
   extract so children in care at its start have their history.
2. **Stock at each snapshot date.** Dates are taken in order; at each, periods
   are shortened (to end after the previous date) or extended (those that ended
   since the previous date) so that exactly the target number is open. Earlier
   dates are never disturbed, so every published 31 March figure is met exactly.
3. **Re-entries.** About one start in eight is given to a child who left care
   earlier (their date of birth is taken over), as in real returns.
4. **Episodes.** Placement changes and legal-status changes (along the path of
   ``LEGAL_PATH``: emergency orders -> interim care order -> full care order ->
   placement order) split each period into episodes; a *spell* is a run of
   episodes in one placement.
5. **Placements at each snapshot date.** Each spell gets a cell: placement group
   (fostering, residential, semi-independence, other), provider (in-house PR1 or
   external) and location (inside or outside the council). At every snapshot date,
   in order, the spells open that day are allocated so each target row (e.g.
   "in-house fostering: 190, of whom 90 boys; 41 section 20 ...") is met exactly;
   spells fixed at an earlier date keep their cell, and where they exceed a row
   some of them move placement between the two dates (a new episode, RNE = P).
   Allocation favours plausible ages (semi-independence only from 16,
   residential mostly teenagers). Spells open on no snapshot date get cells from
   age-based shares.
6. **Codes.** PLACE codes follow the code list in force on each episode's DECOM
   (Q1/Q2 before 1 April 2015, U1-U6 after; P2 to 27 October 2023, K3 from 28
   October 2023; H5 to 31 March 2025); an episode open when its code goes out of
   use is split there (same carer, RNE T). Provider, reason ceased, category of
   need, ethnicity, URN, UPN, MOTHER and real full postcodes (from
   :func:`carebook.geo.sample_postcodes`) are drawn to match, and RNE and
   REASON_PLACE_CHANGE follow from what changes between episodes.
7. **DfE's rules.** The written returns of 2022-23 to 2024-25 pass DfE's validation
   rules (data-to-insight's ``csc-validator-be-903``) apart from its listed exceptions
   (``data/reference/dfe_rule_exceptions.yml``): e.g. in-house placements other than
   fostering inside the council, semi-independence and supported accommodation from 16,
   police protection at most 72 hours, placed for adoption only under a placement
   order, adopted children never return, SEX written as M/F from 2024-25.

The generator's assumptions are listed in ``data/reference/assumptions/ssda903.yml``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from carebook.council import Council
from carebook.errors import InputError
from carebook.ssda903 import codes
from carebook.ssda903.calibration import NATIONAL_STARTS_PER_CHILD, Targets, calibration_targets
from carebook.ssda903.extract import Extract
from carebook.ssda903.params import LEGAL_STATUS_CODES, Snapshot
from carebook.units import DAYS_A_YEAR

GROUPS: tuple[str, ...] = ("fostering", "residential", "semi_independence", "other")
F, R, S, O = range(4)
PROVIDERS: tuple[str, ...] = ("in_house", "external")
LOCATIONS: tuple[str, ...] = ("inside", "outside")
N_CELLS = 16  # group x provider x location: cell = group * 4 + provider * 2 + location
WARM_UP_YEARS = 18
UNSET = -1
OPEN_END = np.iinfo("int64").max // 4

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
MALE_SHARE = 0.55
"""Share (0-1) of children who are boys (England at 31 March 2014: 38,040 of 68,840, SFR36/2014)."""
PLACEMENT_MOVES_PER_YEAR = (0.30, 0.55)
"""Placement changes a year (count) for children under 11 and aged 11 and over."""
#: Default group shares (0-1) by age at spell start: rows = age bands of AGE_EDGES.
AGE_EDGES = np.array([0, 1, 5, 10, 13, 16, 18])
GROUP_BY_AGE = np.array([
    # fostering residential semi other
    [0.80, 0.00, 0.00, 0.20],  # under 1
    [0.84, 0.00, 0.00, 0.16],  # 1-4
    [0.90, 0.03, 0.00, 0.07],  # 5-9
    [0.80, 0.12, 0.00, 0.08],  # 10-12
    [0.68, 0.22, 0.00, 0.10],  # 13-15
    [0.42, 0.18, 0.32, 0.08],  # 16-17
])
IN_HOUSE_SHARE = np.array([0.55, 0.20, 0.25, 0.50])
"""Share (0-1) of each group's spells provided in-house (PR1), by default."""
#: Cells never used: in-house (PR1) placements other than fostering lie inside the council
#: (DfE rule 1015: own provision is in the council's own area, fostering and adoption apart).
FORBIDDEN_CELLS = np.array([(c // 4) != F and (c // 2) % 2 == 0 and c % 2 == 1 for c in range(16)])
#: Rows of a snapshot are allocated group by group in this order (most age-bound first).
ALLOCATION_ORDER = (S, R, O, F)
#: Codes that replace a code no longer in use, for later episodes of the same placement.
SUCCESSOR = {"Q1": "U3", "Q2": "U6", "P2": "K3", "H5": "K3"}
REASON_PLACE_CHANGE_FROM = pd.Timestamp("2015-04-01")
SGO_NEW_CODES_FROM = pd.Timestamp("2016-04-01")
STAYING_PUT_FROM = pd.Timestamp("2016-04-01")
#: Illustrative shares (0-1) of the 903 ethnicity codes (White British about two thirds).
ETHNIC_SHARES: dict[str, float] = {
    "WBRI": 0.66, "WIRI": 0.005, "WIRT": 0.005, "WOTH": 0.05, "MWBC": 0.04, "MWBA": 0.01,
    "MWAS": 0.01, "MOTH": 0.04, "AIND": 0.01, "APKN": 0.015, "ABAN": 0.005, "AOTH": 0.02,
    "BCRB": 0.02, "BAFR": 0.04, "BOTH": 0.01, "CHNE": 0.002, "OOTH": 0.038, "REFU": 0.01,
}  # fmt: skip


# --------------------------------------------------------------------------- dates
def _day(value) -> int:
    """Days since 1 January 1970 of a date."""
    return int(pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype("int64"))


def _dates(days: np.ndarray) -> pd.Series:
    """datetime64 from days since 1970 (OPEN_END and beyond -> NaT)."""
    values = np.where(days >= OPEN_END, np.datetime64("NaT"), days.astype("datetime64[D]"))
    return pd.Series(pd.to_datetime(values.astype("datetime64[ns]")))


def _choice(rng: np.random.Generator, labels: list, probabilities: np.ndarray) -> np.ndarray:
    """Row-wise draw of ``labels`` with probabilities (n x k); a row of zeros draws evenly."""
    totals = probabilities.sum(axis=1, keepdims=True)
    even = np.full(probabilities.shape, 1 / probabilities.shape[1])
    cumulative = np.cumsum(np.divide(probabilities, totals, out=even, where=totals > 0), axis=1)
    picks = (rng.random(len(probabilities))[:, None] > cumulative).sum(axis=1)
    return np.asarray(labels, dtype=object)[np.minimum(picks, len(labels) - 1)]


def _draw(rng: np.random.Generator, labels: list, shares: list[float], n: int) -> np.ndarray:
    """``n`` draws of ``labels`` with the same probabilities."""
    p = np.asarray(shares, dtype=float)
    return np.asarray(labels, dtype=object)[rng.choice(len(labels), size=n, p=p / p.sum())]


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


def _periods(targets: Targets, first_year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Periods of care (start, end, dob as days) for every simulated collection year."""
    starts = targets.starts
    per_year = starts.to_numpy()
    years = starts.index.to_numpy()
    year_of = np.repeat(years, per_year)
    year_start = np.array([_day(pd.Timestamp(y - 1, 4, 1)) for y in years])  # one per year
    year_days = np.array([_day(pd.Timestamp(y, 3, 31)) for y in years]) - year_start + 1
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
    eighteenth = _eighteenth(dob)
    return pd.DataFrame({"start": start, "end": np.minimum(end, eighteenth), "dob": dob,
                         "eighteenth": eighteenth}).sort_values("start", kind="stable").reset_index(drop=True)


def _birthday(dob: np.ndarray, years: int) -> np.ndarray:
    """Day of the birthday at ``years`` (days since 1970) for each date of birth (days); a
    29 February birth's is 28 February in a common year, as pandas' DateOffset."""
    born = dob.astype("datetime64[D]")
    month = born.astype("datetime64[M]")
    day_in_month = born - month.astype("datetime64[D]")
    target = month + years * 12
    birthday = target.astype("datetime64[D]") + day_in_month
    rolled = birthday.astype("datetime64[M]") != target
    return birthday.astype("int64") - rolled.astype("int64")


def _eighteenth(dob: np.ndarray) -> np.ndarray:
    """Day of the 18th birthday (days since 1970) for each date of birth (days)."""
    return _birthday(dob, 18)


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
                eighteenth[moved] = _eighteenth(dob[moved])
                end[moved] = np.maximum(np.minimum(end[moved], eighteenth[moved]), day + 1)
                missing -= len(moved)
            if missing > 0:  # a very small council: add periods (a few more starts than published)
                first = max(previous + 1, day - 364)
                new_start = first + (rng.random(missing) * (day - first + 1)).astype("int64")
                age = (rng.random(missing) * 15 * DAYS_A_YEAR).astype("int64")
                new_dob = new_start - age
                new_18 = _eighteenth(new_dob)
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
                & (end[later[rows]] <= _eighteenth(new_dob)) & ~used[earlier])
        rows, earlier = rows[fits], earlier[fits]
        first = pd.Series(rows).groupby(earlier).first().to_numpy()  # one return per earlier period
        chosen = earlier[np.isin(rows, first)]
        rows = rows[np.isin(rows, first)]
        used[chosen] = True
        waiting[rows] = False
        child[later[rows]] = chosen
    dob = dob[child]
    relabel = pd.factorize(child)[0]
    return periods.assign(child=relabel, dob=dob, eighteenth=_eighteenth(dob))


# --------------------------------------------------------------------------- episodes
#: Legal-status path: (from, to, probability it happens, earliest and latest day after
#: the previous status began, entry ages [from, to) in years it applies to).
LEGAL_PATH: tuple[tuple[str, str, float, int, int, float, float], ...] = (
    ("L1", "C1", 0.70, 1, 4, 0, 18), ("L1", "V2", 1.00, 1, 4, 0, 18),
    ("L2", "C1", 0.85, 3, 10, 0, 18), ("L2", "V2", 1.00, 3, 10, 0, 18),
    ("V2", "C1", 0.30, 60, 300, 0, 16),
    ("C1", "C2", 0.90, 150, 400, 0, 18),
    ("C2", "E1", 0.30, 90, 400, 0, 5),
)
"""Police protection gives way within 72 hours and emergency protection orders within
21 days (Children Act 1989; DfE rules 361, 362); some section 20
accommodations become care proceedings; interim care orders mostly become full care
orders within about 5-13 months; young children on a care order may get a placement order."""


def _first_legal_status(start_age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Legal status at entry by age (years): V2, C1, L1, L2 or J1."""
    shares = np.select(
        [start_age[:, None] < 1, start_age[:, None] < 10.1, start_age[:, None] < 16],  # remand from 10
        [np.array([[0.25, 0.50, 0.10, 0.15, 0.00]]), np.array([[0.40, 0.45, 0.05, 0.10, 0.00]]),
         np.array([[0.62, 0.28, 0.03, 0.03, 0.04]])],
        np.array([[0.82, 0.10, 0.00, 0.02, 0.06]]),
    )
    return _choice(rng, ["V2", "C1", "L1", "L2", "J1"], shares)


def _legal_changes(periods: pd.DataFrame, first: np.ndarray, stop: np.ndarray,
                   rng: np.random.Generator) -> pd.DataFrame:
    """Legal-status changes (period, decom, ls) following LEGAL_PATH from each
    period's first status, while the period lasts."""
    start = periods["start"].to_numpy()
    start_age = (start - periods["dob"].to_numpy()) / DAYS_A_YEAR
    status, since = first.copy(), start.copy()
    changes = []
    for _ in range(4):  # at most four changes along the path, each step over all periods
        moved = np.zeros(len(status), dtype=bool)
        next_status = status.copy()
        when = since.copy()
        for source, target, chance, low, high, age_from, age_to in LEGAL_PATH:  # a handful of transitions
            eligible = (status == source) & ~moved & (start_age >= age_from) & (start_age < age_to)
            happens = eligible & (rng.random(len(status)) < chance)
            delay = low + (rng.random(len(status)) * (high - low)).astype("int64")
            next_status = np.where(happens, target, next_status)
            when = np.where(happens, since + delay, when)
            moved |= happens
        inside = moved & (when < stop)
        changes.append(pd.DataFrame({"period": np.flatnonzero(inside), "decom": when[inside],
                                     "kind": "L", "ls": next_status[inside]}))
        status, since = np.where(inside, next_status, status), np.where(inside, when, since)
        if not inside.any():
            break
    return pd.concat(changes, ignore_index=True)


def _breaks(periods: pd.DataFrame, horizon: int, rng: np.random.Generator) -> pd.DataFrame:
    """Episode starts: one S per period (with its first legal status), placement
    changes (P) and legal-status changes (L, with the new status)."""
    start = periods["start"].to_numpy()
    stop = np.minimum(periods["end"].to_numpy(), horizon)
    span = np.maximum(stop - start, 0)
    age = (start - periods["dob"].to_numpy()) / DAYS_A_YEAR
    move_rate = np.where(age >= 11, PLACEMENT_MOVES_PER_YEAR[1], PLACEMENT_MOVES_PER_YEAR[0])
    moves = rng.poisson(move_rate * span / DAYS_A_YEAR)
    owner = np.repeat(np.arange(len(start)), moves)
    day = start[owner] + 1 + (rng.random(len(owner)) * np.maximum(span[owner] - 1, 0)).astype("int64")
    placement = pd.DataFrame({"period": owner, "decom": day, "kind": "P", "ls": None})
    first_status = _first_legal_status(age, rng)
    # a return to care starts on an interim care order rather than under police protection or an
    # emergency order: the validator's rules 361/362 join a child's separate emergency spells in a year
    returning = periods["child"].duplicated().to_numpy()
    first_status = np.where(returning & np.isin(first_status, ["L1", "L2"]), "C1", first_status).astype(object)
    legal = _legal_changes(periods, first_status, stop, rng)
    first = pd.DataFrame({"period": np.arange(len(start)), "decom": start, "kind": "S", "ls": first_status})
    changes = pd.concat([placement, legal], ignore_index=True)
    changes = changes[changes["decom"] < stop[changes["period"].to_numpy()]]
    every = pd.concat([first, changes], ignore_index=True)
    every = every.sort_values(["period", "decom", "kind"], kind="stable")  # "L" < "P" < "S"
    # on a shared day the S, then the P, row stands, carrying any legal change of that day
    every["ls"] = every.groupby(["period", "decom"])["ls"].transform("first")
    every = every.drop_duplicates(["period", "decom"], keep="last").reset_index(drop=True)
    every["ls"] = every.groupby("period")["ls"].ffill()
    return every


def build_episodes(periods: pd.DataFrame, horizon: int, rng: np.random.Generator) -> pd.DataFrame:
    """Episodes (period, decom, dec, kind, spell, ls) with DEC the next episode's
    DECOM or the period's end, and spells numbered over the whole extract."""
    episodes = _breaks(periods, horizon, rng)
    period = episodes["period"].to_numpy()
    decom = episodes["decom"].to_numpy()
    last = np.r_[period[1:] != period[:-1], True]
    dec = np.where(last, periods["end"].to_numpy()[period], np.r_[decom[1:], 0])
    spell = np.cumsum(episodes["kind"].to_numpy() != "L") - 1
    return episodes.assign(dec=dec, spell=spell)


# --------------------------------------------------------------------------- cells
def _age_band(age_years: np.ndarray) -> np.ndarray:
    return np.clip(np.searchsorted(AGE_EDGES, age_years, side="right") - 1, 0, len(GROUP_BY_AGE) - 1)


def cell_probabilities(age_years: np.ndarray, inside: tuple[float, float]) -> np.ndarray:
    """Default probability (n x 16) of each cell for spells starting at these ages:
    group by age, provider by group, location by provider (``inside`` = share placed
    inside the council for in-house and for external placements)."""
    group = GROUP_BY_AGE[_age_band(age_years)]
    provider = np.stack([IN_HOUSE_SHARE, 1 - IN_HOUSE_SHARE], axis=1)  # group x provider
    location = np.array([[inside[0], 1 - inside[0]], [inside[1], 1 - inside[1]]])  # provider x location
    cells = group[:, :, None, None] * provider[None, :, :, None] * location[None, None, :, :]
    return cells.reshape(len(age_years), N_CELLS)


def _pick_cells(probabilities: np.ndarray, allowed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a cell per row among ``allowed`` cells other than FORBIDDEN_CELLS (unless only
    those are allowed), falling back to any allowed cell."""
    allowed = allowed & ~FORBIDDEN_CELLS if (allowed & ~FORBIDDEN_CELLS).any() else allowed
    weights = probabilities * allowed[None, :]
    empty = weights.sum(axis=1) == 0
    weights[empty] = allowed.astype(float)
    return _choice(rng, list(range(N_CELLS)), weights).astype("int64")


def _row_cells(row) -> np.ndarray:
    """Boolean mask (16) of the cells a snapshot row covers."""
    cell = np.arange(N_CELLS)
    mask = (cell // 4) == GROUPS.index(row.group)
    if row.provider is not None:
        mask &= ((cell // 2) % 2) == PROVIDERS.index(row.provider)
    if row.location is not None:
        mask &= (cell % 2) == LOCATIONS.index(row.location)
    return mask


def _age_weight(group: int, age: np.ndarray, provider: str | None, start_age: np.ndarray) -> np.ndarray:
    """How readily a child of this age (years; ``start_age`` when the placement began) is
    allocated to a group at a snapshot."""
    if group == S:  # semi-independence and supported accommodation from 16 (DfE rules 370, 371)
        weight = np.select([start_age >= 16, age >= 16], [1.0, 1e-3], 1e-9)
    elif group == R:
        weight = np.select([age < 8, age < 12], [0.02, 0.3], 1.0)
    elif group == O:
        weight = np.where(age < 5, 1.0, 0.4)
    else:
        weight = np.where(age >= 16, 0.6, 1.0)
    if provider == "in_house":
        weight = weight / (1 + age / 6)  # in-house carers look after more of the youngest
    return weight


class _State:
    """Mutable generation state: episodes and spell cells, updated snapshot by snapshot."""

    def __init__(self, episodes: pd.DataFrame, periods: pd.DataFrame):
        self.period = np.array(episodes["period"], dtype="int64")
        self.decom = np.array(episodes["decom"], dtype="int64")
        self.dec = np.array(episodes["dec"], dtype="int64")
        self.kind = np.array(episodes["kind"], dtype=object)
        self.spell = np.array(episodes["spell"], dtype="int64")
        self.ls = np.array(episodes["ls"], dtype=object)
        n_spells = int(self.spell.max()) + 1
        self.cell = np.full(n_spells, UNSET)
        self.locked = np.full(n_spells, UNSET)
        self.dob = np.array(periods["dob"], dtype="int64")
        self.child = np.array(periods["child"], dtype="int64")
        self.sex = np.full(int(self.child.max()) + 1, "")

    def open_on(self, day: int) -> np.ndarray:
        return np.flatnonzero((self.decom <= day) & (self.dec > day))

    def split(self, episodes: np.ndarray, day: int, rng: np.random.Generator) -> None:
        """Start a new placement (new spell, RNE P) within each of these open episodes,
        between the date its spell was fixed and ``day``; later episodes follow."""
        if len(episodes) == 0:
            return
        spells = self.spell[episodes]
        low = np.maximum(self.decom[episodes], self.locked[spells])
        inside = low < day
        cut = np.where(inside, low + 1 + (rng.random(len(episodes)) * (day - low)).astype("int64"),
                       self.decom[episodes])
        self.cut(episodes, np.minimum(cut, day))

    def cut(self, episodes: np.ndarray, cut: np.ndarray) -> np.ndarray:
        """Start a new placement (a new spell, cell unset, RNE P) on day ``cut`` (decom <=
        cut < dec) of each of these episodes (one per spell); the spell's later episodes
        follow it. Returns the new spells' ids, in the order of ``episodes``."""
        spells = self.spell[episodes]
        new_ids = np.arange(len(self.cell), len(self.cell) + len(episodes))
        self.cell = np.r_[self.cell, np.full(len(episodes), UNSET)]
        self.locked = np.r_[self.locked, np.full(len(episodes), UNSET)]
        new_of = np.full(len(self.cell), UNSET)
        new_of[spells] = new_ids
        cut_of = np.full(len(self.cell), OPEN_END)
        cut_of[spells] = self.decom[episodes]
        later = (new_of[self.spell] >= 0) & (self.decom > cut_of[self.spell])
        self.spell[later] = new_of[self.spell[later]]
        whole = episodes[cut == self.decom[episodes]]  # the placement changes where the episode starts
        self.kind[whole] = "P"
        self.spell[whole] = new_of[spells[cut == self.decom[episodes]]]
        part = episodes[cut > self.decom[episodes]]
        part_cut = cut[cut > self.decom[episodes]]
        added = {
            "period": self.period[part], "decom": part_cut, "dec": self.dec[part], "kind": np.full(len(part), "P", object),
            "spell": new_of[self.spell[part]], "ls": self.ls[part],
        }  # fmt: skip
        self.dec[part] = part_cut
        for name, values in added.items():
            setattr(self, name, np.r_[getattr(self, name), values])
        order = np.lexsort((self.decom, self.period))
        for name in ("period", "decom", "dec", "kind", "spell", "ls"):
            setattr(self, name, getattr(self, name)[order])
        return new_ids


def allocate_snapshot(state: _State, snapshot: Snapshot, inside: tuple[float, float],
                      rng: np.random.Generator) -> None:
    """Make the spells open on the snapshot date match its rows exactly (and its
    total's remainder fall outside the rows); fix their cells from then on."""
    day = _day(snapshot.date)
    rows = snapshot.rows
    masks = [_row_cells(row) for row in rows]
    covered = np.any(masks, axis=0) if masks else np.zeros(N_CELLS, bool)
    open_eps = state.open_on(day)
    if snapshot.total is not None and len(open_eps) != snapshot.total:
        raise InputError(f"expected {snapshot.total} children open on {snapshot.date}, the stock has "
                         f"{len(open_eps)}", where="ssda903.snapshots")
    spells = state.spell[open_eps]
    cells = state.cell[spells]
    locked = (state.locked[spells] != UNSET) & (cells >= 0)
    locked_rows = [np.flatnonzero(locked & mask[np.maximum(cells, 0)]) for mask in masks]
    free_locked = np.flatnonzero(locked & ~covered[np.maximum(cells, 0)])
    # spells fixed earlier beyond a row's count move placement between the two dates
    to_split = [rng.permutation(held)[: max(len(held) - row.count, 0)] for held, row in zip(locked_rows, rows)]
    free_target = None if snapshot.total is None else snapshot.total - sum(row.count for row in rows)
    if free_target is not None and len(free_locked) > free_target:
        to_split.append(rng.permutation(free_locked)[: len(free_locked) - free_target])
    chosen = np.concatenate(to_split) if to_split else np.array([], dtype="int64")
    if free_target is None:  # without a total, free spells fixed earlier may have to move too
        still_needed = sum(row.count - min(len(held), row.count) for held, row in zip(locked_rows, rows))
        unlocked = len(open_eps) - int(locked.sum()) + len(chosen)
        short = still_needed - unlocked
        if short > 0:
            chosen = np.r_[chosen, rng.permutation(np.setdiff1d(free_locked, chosen))[:short]]
    chosen = np.r_[chosen, _sixteen_to_move(state, rows, open_eps, locked, cells, chosen, day, rng)]
    state.split(open_eps[chosen], day, rng)

    open_eps = state.open_on(day)
    spells = state.spell[open_eps]
    age = (day - state.dob[state.period[open_eps]]) / DAYS_A_YEAR
    spell_start = np.full(len(state.cell), OPEN_END)
    np.minimum.at(spell_start, state.spell, state.decom)
    start_age = (spell_start[spells] - state.dob[state.period[open_eps]]) / DAYS_A_YEAR
    is_locked = state.locked[spells] != UNSET
    available = ~is_locked
    members: list[np.ndarray] = [np.array([], dtype="int64")] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: (ALLOCATION_ORDER.index(GROUPS.index(rows[i].group)),
                                                     rows[i].provider != "in_house"))
    for i in order:  # one pass per row of the snapshot (a handful)
        row, mask = rows[i], masks[i]
        already = np.flatnonzero(is_locked & mask[np.maximum(state.cell[spells], 0)])
        need = row.count - len(already)
        pool = np.flatnonzero(available)
        if need > len(pool):
            raise InputError(f"expected the snapshot rows of {snapshot.date} to fit the children in care; "
                             f"row {row.group} needs {need} more than the {len(pool)} available",
                             where="ssda903.snapshots")
        weight = _age_weight(GROUPS.index(row.group), age[pool], row.provider, start_age[pool])
        keys = np.log(weight) + rng.gumbel(size=len(pool))
        taken = pool[np.argsort(-keys, kind="stable")[:need]]
        available[taken] = False
        allowed = mask
        chosen_cells = _pick_cells(cell_probabilities(age[taken], inside), allowed, rng)
        state.cell[spells[taken]] = chosen_cells
        members[i] = np.r_[already, taken]
    rest = np.flatnonzero(available)
    if len(rest):
        current = state.cell[spells[rest]]
        keep = (current >= 0) & ~covered[np.maximum(current, 0)]
        redraw = rest[~keep]
        state.cell[spells[redraw]] = _pick_cells(cell_probabilities(age[redraw], inside), ~covered, rng)
    state.locked[spells] = day  # the last date the cell was fixed: later changes must come after it
    for row, chosen_members in zip(rows, members):  # exact splits within each row
        _split_row(state, row, open_eps[chosen_members], age[chosen_members], rng)


def _sixteen_to_move(state: _State, rows, open_eps: np.ndarray, locked: np.ndarray, cells: np.ndarray,
                     chosen: np.ndarray, day: int, rng: np.random.Generator) -> np.ndarray:
    """Positions (in ``open_eps``) of children aged 16 or over whose placement, fixed at an
    earlier date in another group, changes before ``day`` so that the snapshot's
    semi-independence rows can be filled with children of 16 and over (DfE rules 370,
    371): as many as the rows lack, at random."""
    semi = np.arange(N_CELLS) // 4 == S
    need = sum(row.count for row in rows if row.group == GROUPS[S])
    if need == 0:
        return np.array([], dtype="int64")
    age = (day - state.dob[state.period[open_eps]]) / DAYS_A_YEAR
    moving = np.zeros(len(open_eps), dtype=bool)
    moving[chosen] = True
    held = locked & ~moving & semi[np.maximum(cells, 0)]
    free = (~locked | moving) & (age >= 16)
    short = need - int(held.sum()) - int(free.sum())
    candidates = np.flatnonzero(locked & ~moving & ~semi[np.maximum(cells, 0)] & (age >= 16))
    return rng.permutation(candidates)[: max(short, 0)]


def _split_row(state: _State, row, episodes: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> None:
    """Set the sex of the row's children and the legal status of its open episodes
    to the row's splits: boys and girls at random; placement orders to the youngest,
    then interim and full care orders, section 20 to the oldest (with noise)."""
    if row.sex is not None:
        children = state.child[state.period[episodes]][rng.permutation(len(episodes))]
        state.sex[children] = np.where(np.arange(len(children)) < row.sex.male, "1", "2")
    if row.legal_status is not None:
        counts = row.legal_status.model_dump()
        order = np.argsort(age + rng.normal(0, 3, len(age)), kind="stable")
        sequence = ["placement_order", "interim_care_order", "full_care_order", "section_20"]
        labels = np.concatenate([np.full(counts[k], LEGAL_STATUS_CODES[k], dtype=object) for k in sequence])
        rest = len(episodes) - len(labels)
        status = np.r_[labels, np.where(age[order][len(labels):] >= 10, "J1", "L2")[:rest]].astype(object)
        state.ls[episodes[order]] = status


# --------------------------------------------------------------------------- codes
def _place_codes(group: np.ndarray, age: np.ndarray, start: np.ndarray, first_spell: np.ndarray,
                 start_status: np.ndarray, after_fostering: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """PLACE code of each spell from its group, age (years), start (days), legal status at
    its start and whether the spell before it was a foster placement.

    Placed for adoption only under a placement order (E1; A5 with the current foster
    carer, else A6; DfE rule 408); semi-independence K3 from 28 October 2023, else H5 or
    P2; no temporary (T) placements."""
    n = len(group)
    when = _dates(start)
    new_foster = (when >= pd.Timestamp("2015-04-01")).to_numpy()
    k3_era = (when >= pd.Timestamp("2023-10-28")).to_numpy()
    h5_over = (when > pd.Timestamp("2025-03-31")).to_numpy()
    relative = rng.random(n) < 0.15
    u = rng.random(n)
    foster_new = np.where(relative, np.select([u < 0.45, u < 0.5], ["U1", "U2"], "U3"),
                          np.select([u < 0.40, u < 0.45], ["U4", "U5"], "U6"))
    foster = np.where(new_foster, foster_new, np.where(relative, "Q1", "Q2"))
    residential = _draw(rng, ["K2", "K1", "R1", "S1"], [0.88, 0.04, 0.04, 0.04], n)
    residential = np.where((residential == "S1") & (age < 4), "K2", residential)  # schools from 4 (rule 373)
    semi = np.where(h5_over, "K3", np.where(k3_era, np.where(rng.random(n) < 0.6, "K3", "H5"),
                                            np.where(rng.random(n) < 0.75, "H5", "P2")))
    adoption = (age < 5) & ~first_spell & (start_status == "E1") & (rng.random(n) < 0.8)
    other = np.where(adoption, np.where(after_fostering & (rng.random(n) < 0.7), "A5", "A6"), "P1")
    special = rng.random(n)
    other = np.where(~adoption & (age < 1) & (special < 0.25), "R3", other)
    other = np.where(~adoption & (age >= 12) & (special > 0.90), "R5", other)
    other = np.where(~adoption & (special > 0.80) & (special <= 0.85), "R2", other)
    other = np.where(~adoption & (special > 0.85) & (special <= 0.90), "Z1", other)
    other = np.where(~adoption & (age >= 16) & (special > 0.75) & (special <= 0.80), "P3", other)
    return np.select([group == F, group == R, group == S], [foster, residential, semi], other).astype(object)


def _provider_codes(place: np.ndarray, in_house: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """PLACE_PROVIDER of each spell (NA for T0-T4 and Z1)."""
    n = len(place)
    group = pd.Series(place).map(codes.placement_codes().set_index("code")["sufficiency_group"]).to_numpy()
    external = np.select(
        [group == "fostering", group == "residential"],
        [_draw(rng, ["PR4", "PR5", "PR2"], [0.55, 0.35, 0.10], n), _draw(rng, ["PR4", "PR5", "PR2"], [0.85, 0.10, 0.05], n)],
        _draw(rng, ["PR4", "PR5"], [0.8, 0.2], n),
    )
    provider = np.where(in_house, "PR1", external).astype(object)
    adoption = np.isin(place, ["A3", "A4", "A5", "A6"])
    provider = np.where(adoption, np.where(in_house, "PR1", "PR5"), provider)
    provider = np.where(place == "P1", "PR0", provider)
    provider = np.where(np.isin(place, ["R2", "R5"]), "PR3", provider)
    provider = np.where(np.isin(place, list(codes.NO_PROVIDER_PLACEMENTS)), None, provider)
    return provider


def _in_use(place: np.ndarray, decom: np.ndarray) -> np.ndarray:
    """Replace codes no longer in use on each episode's DECOM by their successor."""
    table = codes.placement_codes().set_index("code")
    valid_to = pd.Series(place).map(table["valid_to"]).to_numpy(dtype="datetime64[ns]")
    when = _dates(decom).to_numpy()
    ended = ~np.isnat(valid_to) & (when > valid_to)
    return np.where(ended, pd.Series(place).map(SUCCESSOR).fillna(pd.Series(place)).to_numpy(), place)


def _reasons_ceased(last: np.ndarray, aged_out: np.ndarray, age: np.ndarray, place: np.ndarray,
                    when: pd.Series, final: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """REC of each episode: X1 within a period; for a period's last episode a reason
    by age, placement and year. Adopted (E11/E12) only from a placement for adoption
    and never before a return to care (``final``: the child's last period; DfE rules 199,
    390); special guardianship to former foster carers (E45/E46) only from a foster
    placement (rule 516)."""
    n = len(last)
    recent = (when >= SGO_NEW_CODES_FROM).to_numpy()
    fostered = np.isin(place, ["U1", "U2", "U3", "U4", "U5", "U6"])
    sgo = np.where(recent, np.where(fostered, _draw(rng, ["E45", "E46", "E47", "E48"], [0.3, 0.1, 0.2, 0.4], n),
                                    _draw(rng, ["E47", "E48"], [0.3, 0.7], n)),
                   _draw(rng, ["E43", "E44"], [0.4, 0.6], n))
    young = _draw(rng, ["E4A", "E41", "SGO", "E13", "E8", "E3", "E4B"], [0.5, 0.08, 0.17, 0.05, 0.1, 0.05, 0.05], n)
    young = np.where(young == "SGO", sgo, young)
    older = _draw(rng, ["E4A", "E5", "E6", "E8", "E9", "E4B", "E13"], [0.35, 0.15, 0.05, 0.25, 0.05, 0.1, 0.05], n)
    out = _draw(rng, ["E5", "E6", "E8", "E17"], [0.35, 0.1, 0.35, 0.2], n)
    out = np.where((out == "E17") & ~(when >= STAYING_PUT_FROM).to_numpy(), "E8", out)
    adopted = np.isin(place, ["A3", "A4", "A5", "A6"]) & final
    reason = np.select([aged_out, adopted, age < 16], [out, np.where(rng.random(n) < 0.5, "E11", "E12"), young],
                       older)
    return np.where(last, reason, "X1").astype(object)


def _child_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct CHILD identifiers (7-digit numbers as text)."""
    draws = rng.integers(1_000_000, 10_000_000, size=int(n * 1.3) + 100)
    _, first = np.unique(draws, return_index=True)
    unique = draws[np.sort(first)]
    if len(unique) < n:
        unique = np.r_[unique, np.setdiff1d(np.arange(1_000_000, 1_000_000 + 2 * n), unique)[: n - len(unique)]]
    return unique[:n].astype(str)


def assign_postcodes(council_codes: list[str], n_periods: int, spell_period: np.ndarray,
                     spell_location: np.ndarray, spell_place: np.ndarray, far_share: float,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """HOME_POST per period and PL_POST per spell: real full postcodes from
    :func:`carebook.geo.sample_postcodes` — homes inside the council; placements
    inside it (within 20 miles) or outside it (over 20 miles with probability
    ``far_share``), as each spell's location says; placed with parents = home."""
    from carebook import geo

    homes = geo.sample_postcodes(council_codes, n_periods, rng).to_numpy().astype(object)
    spell_home = pd.Series(homes[spell_period], dtype="string")
    outside = spell_location == 1
    placed = geo.sample_postcodes(council_codes, len(spell_period), rng, homes=spell_home,
                                  over_20_miles=np.where(outside, far_share, 0.0),
                                  inside_council=np.where(outside, 0.0, 1.0)).to_numpy().astype(object)
    home_of_spell = spell_home.to_numpy(dtype=object)
    wrong = np.arange(len(placed))
    for attempt in range(4):  # a few redraws of placements on the wrong side of the boundary or at home
        is_inside = geo.in_council(pd.Series(placed[wrong], dtype="string"), council_codes)
        wrong = wrong[(is_inside.fillna(False).to_numpy(dtype=bool) == outside[wrong])
                      | (placed[wrong] == home_of_spell[wrong])]
        if len(wrong) == 0 or attempt == 3:
            break
        far = np.where(outside[wrong], 1.0 if attempt % 2 else 0.0, 0.0)
        placed[wrong] = geo.sample_postcodes(council_codes, len(wrong), rng, homes=spell_home.iloc[wrong],
                                             over_20_miles=far,
                                             inside_council=np.where(outside[wrong], 0.0, 1.0)).to_numpy()
    placed = np.where(spell_place == "P1", homes[spell_period], placed)
    return homes, placed


def semi_independence_from_sixteen(state: _State, inside: tuple[float, float], rng: np.random.Generator) -> None:
    """Semi-independent living, independent living and supported accommodation only from
    16 (DfE rules 370, 371): a semi-independence spell that began before the child's 16th
    birthday keeps that cell from the birthday on (a new placement then) and before it
    gets another cell by age (any but semi-independence)."""
    first = pd.Series(np.arange(len(state.spell))).groupby(state.spell).first().to_numpy()
    spell_ids = np.unique(state.spell)
    group = state.cell[spell_ids] // 4
    sixteenth = _birthday(state.dob[state.period[first]], 16)
    young = spell_ids[(group == S) & (state.decom[first] < sixteenth)]
    if len(young) == 0:
        return
    birthday = np.full(len(state.cell), OPEN_END)
    birthday[young] = sixteenth[np.searchsorted(spell_ids, young)]
    day = birthday[state.spell]
    crossing = np.flatnonzero((state.decom <= day) & (state.dec > day))
    semi_cells = state.cell[state.spell[crossing]]
    later = state.cut(crossing, day[crossing])
    state.cell[later] = semi_cells
    ages = (birthday[young] - 1 - state.dob[state.period[first[np.searchsorted(spell_ids, young)]]]) / DAYS_A_YEAR
    not_semi = np.arange(N_CELLS) // 4 != S
    state.cell[young] = _pick_cells(cell_probabilities(ages, inside), not_semi, rng)


# --------------------------------------------------------------------------- generate
def inside_shares(overall: float, in_house_share: float = 0.45) -> tuple[float, float]:
    """Shares (0-1) of in-house and of external placements inside the council such
    that, with ``in_house_share`` of placements in-house, ``overall`` are inside:
    in-house placements are 35 points more often inside (at most 95%)."""
    in_house = min(0.95, overall + 0.35)
    external = float(np.clip((overall - in_house_share * in_house) / (1 - in_house_share), 0.03, 0.9))
    return in_house, external


def _resolve(council: Council | str) -> Council:
    if isinstance(council, str):
        from carebook.params import load_council

        return load_council(council)
    return council


def _stock_dates(targets: Targets, start_year: int, end_year: int) -> tuple[list[int], list[int]]:
    """Dates (days) and totals the stock is matched to: every 31 March of the extract
    (published or interpolated) and every snapshot date with a total."""
    totals = {_day(pd.Timestamp(y, 3, 31)): int(targets.stock[y]) for y in range(start_year, end_year + 1)}
    first, last = _day(pd.Timestamp(start_year - 1, 4, 1)), _day(pd.Timestamp(end_year, 3, 31))
    for snap in targets.snapshots:
        if snap.total is not None and first <= _day(snap.date) <= last:
            totals[_day(snap.date)] = snap.total
    ordered = sorted(totals)
    return ordered, [totals[d] for d in ordered]


def generate(council: Council | str, start_year: int | None = None, end_year: int | None = None,
             seed: int | None = None) -> Extract:
    """A synthetic 903 extract for ``council`` (a Council or a name/slug/code) over
    collection years ``start_year`` to ``end_year`` (years ending 31 March; defaults
    from the council's ``ssda903`` section), deterministic under ``seed``.

    At every 31 March of the span the children looked after equal the published
    DfE figure (interpolated in unpublished years) and, where published, the
    placement groups; the council's own snapshots are reproduced exactly.
    """
    council = _resolve(council)
    params = council.ssda903
    start_year = params.synth_start_year if start_year is None else start_year
    end_year = params.synth_end_year if end_year is None else end_year
    seed = params.seed if seed is None else seed
    if end_year < start_year:
        raise InputError(f"expected the last year {end_year} not before the first {start_year}", where="years")
    rng = np.random.default_rng(seed)
    first_sim = start_year - WARM_UP_YEARS
    targets = calibration_targets(council, first_sim, end_year)
    window_start, window_end = codes.year_span(start_year)[0], codes.year_span(end_year)[1]
    horizon = _day(window_end) + 1

    periods = _periods(targets, start_year, rng)
    dates, totals = _stock_dates(targets, start_year, end_year)
    periods = match_stock(periods, dates, totals, rng)
    periods = link_re_entries(periods, rng)
    state = _State(build_episodes(periods, horizon, rng), periods)
    state.sex = np.where(rng.random(len(state.sex)) < MALE_SHARE, "1", "2").astype(object)
    inside = inside_shares(targets.inside_share)
    in_window = [s for s in targets.snapshots if window_start.date() <= s.date <= window_end.date()]
    for snapshot in in_window:  # in date order; each fixes the spells open that day
        allocate_snapshot(state, snapshot, inside, rng)

    spell_ids = np.arange(len(state.cell))
    first_row = pd.Series(np.arange(len(state.spell))).groupby(state.spell).first().reindex(spell_ids).to_numpy()
    spell_start = state.decom[first_row]
    spell_period = state.period[first_row]
    spell_age = (spell_start - state.dob[spell_period]) / DAYS_A_YEAR
    unset = state.cell == UNSET
    state.cell[unset] = _pick_cells(cell_probabilities(spell_age[unset], inside), np.ones(N_CELLS, bool), rng)
    semi_independence_from_sixteen(state, inside, rng)
    spell_ids = np.arange(len(state.cell))
    first_row = pd.Series(np.arange(len(state.spell))).groupby(state.spell).first().reindex(spell_ids).to_numpy()
    spell_start = state.decom[first_row]
    spell_period = state.period[first_row]
    spell_age = (spell_start - state.dob[spell_period]) / DAYS_A_YEAR
    group, in_house = state.cell // 4, (state.cell // 2) % 2 == 0
    location = state.cell % 2
    first_spell = state.kind[first_row] == "S"
    before = np.where(first_spell, first_row, first_row - 1)  # the episode before each spell's first
    after_fostering = ~first_spell & (group[state.spell[before]] == F)
    place = _place_codes(group, spell_age, spell_start, first_spell, state.ls[first_row], after_fostering, rng)
    provider = _provider_codes(place, in_house, rng)
    far_share = float(min(0.95, targets.over_20_share / max(1 - targets.inside_share, 0.05)))
    homes, placed = assign_postcodes(council.codes, len(periods), spell_period, location, place,
                                     far_share, rng)
    same_carer = place == "A5"  # placed for adoption with the current foster carer: the carer's address
    placed[same_carer] = placed[state.spell[before[same_carer]]]
    urn = np.char.add("SC", rng.integers(100_000, 1_000_000, len(place)).astype(str)).astype(object)

    return _assemble(council, state, periods, place, provider, homes, placed, urn, window_start, window_end,
                     seed, targets, rng)


#: Placements recorded without an Ofsted URN, and those registered with Ofsted (a URN).
NO_URN_PLACEMENTS = ("P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1")
REGISTERED_PLACEMENTS = ("K1", "K2", "K3", "S1")
H5_REGISTERED_FROM = pd.Timestamp("2023-10-29")
"""H5 placements open on or after this day carry the provider's URN (DfE rule 230)."""
PLACEMENT_CHANGE_RNE = ("P", "B", "T", "U")


def _expiry_splits(state: _State, place: np.ndarray) -> dict[str, np.ndarray]:
    """Episode rows (period, decom, dec, kind, spell, ls) with every episode whose PLACE
    code goes out of use while it is open (Q1/Q2 after 31 March 2015, P2 after 27
    October 2023, H5 after 31 March 2025) split on the first day of its successor: the
    new episode (kind "R") keeps the placement and carer under the new code."""
    table = codes.placement_codes().set_index("code")
    valid_to = pd.Series(place[state.spell]).map(table["valid_to"]).to_numpy(dtype="datetime64[D]")
    cut = np.where(np.isnat(valid_to), OPEN_END, valid_to.astype("int64") + 1)
    split = (cut > state.decom) & (cut < state.dec)
    rows = {"period": state.period, "decom": state.decom, "dec": np.where(split, cut, state.dec),
            "kind": state.kind, "spell": state.spell, "ls": state.ls}
    added = {"period": state.period[split], "decom": cut[split], "dec": state.dec[split],
             "kind": np.full(int(split.sum()), "R", object), "spell": state.spell[split], "ls": state.ls[split]}
    rows = {k: np.r_[rows[k], added[k]] for k in rows}
    order = np.lexsort((rows["decom"], rows["period"]))
    return {k: v[order] for k, v in rows.items()}


def _coded_episodes(state: _State, place: np.ndarray) -> dict[str, np.ndarray]:
    """Episode rows with PLACE (the code in force on each DECOM) and LS made consistent:
    placed with parents under a care order, not section 20 (DfE rule 378); a boundary
    where neither the legal status nor the placement changes is removed (the episodes
    merge); RNE from what changes: S first, L legal status only, P placement and carer,
    T placement with the same carer (a code change, or A5 with the foster carer),
    B / U both (rules 434-436)."""
    rows = _expiry_splits(state, place)
    rows["place"] = _in_use(place[rows["spell"]], rows["decom"])
    rows["ls"] = np.where((rows["place"] == "P1") & (rows["ls"] == "V2"), "C2", rows["ls"]).astype(object)
    period = rows["period"]
    first = np.r_[True, period[1:] != period[:-1]]
    previous = {k: np.r_[v[:1], v[:-1]] for k, v in rows.items()}
    ls_changed = rows["ls"] != previous["ls"]
    place_changed = (rows["spell"] != previous["spell"]) | (rows["place"] != previous["place"])
    keep = first | ls_changed | place_changed
    period_end = pd.Series(rows["dec"]).groupby(period).transform("last").to_numpy()
    rows = {k: v[keep] for k, v in rows.items()}
    first, ls_changed, place_changed = first[keep], ls_changed[keep], place_changed[keep]
    last = np.r_[rows["period"][1:] != rows["period"][:-1], True]
    rows["dec"] = np.where(last, period_end[keep], np.r_[rows["decom"][1:], 0])
    previous_spell = np.r_[rows["spell"][:1], rows["spell"][:-1]]
    same_carer = (rows["spell"] == previous_spell) | (rows["place"] == "A5")
    rows["rne"] = np.select([first, ~place_changed, ~ls_changed & same_carer, ~ls_changed, same_carer],
                            ["S", "L", "T", "P", "U"], "B").astype(object)
    return rows


def _urns(place: np.ndarray, spell: np.ndarray, dec_days: np.ndarray, registered: np.ndarray) -> np.ndarray:
    """URN of each episode: the provider's (``registered``) for children's homes, secure
    homes, supported accommodation and residential schools, and for H5 placements open
    on or after 29 October 2023 (on their episodes in the returns from 2023-24); "XXXXXXX"
    (not known) for other placements DfE wants one for; blank for placements recorded
    without one (DfE rules 218, 222, 230; :func:`write_extract` writes "XXXXXXX" for H5
    in earlier returns)."""
    spell_end = pd.Series(dec_days).groupby(spell).transform("max").to_numpy()
    h5_registered = ((place == "H5") & (spell_end >= _day(H5_REGISTERED_FROM))
                     & (dec_days >= _day(codes.year_span(H5_REGISTERED_FROM.year + 1)[0])))
    return np.select([np.isin(place, NO_URN_PLACEMENTS), np.isin(place, REGISTERED_PLACEMENTS) | h5_registered],
                     [None, registered], "XXXXXXX").astype(object)


UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
"""DfE's check letters of a unique pupil number, by remainder 0-22."""


def upn_check_letter(digits: np.ndarray) -> np.ndarray:
    """DfE's check letter of UPNs from their 12 digits (n x 12 integers, characters 2-13):
    the digits weighted 2 to 13, summed, the remainder after dividing by 23 indexes
    UPN_CHECK_LETTERS."""
    remainder = (digits * np.arange(2, 14)).sum(axis=1) % 23
    return np.asarray(list(UPN_CHECK_LETTERS))[remainder]


def _upns(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` made-up UPNs: a valid check letter then 12 digits (a made-up LA number of 3
    digits, a school number of 4, the year of allocation and a serial of 3)."""
    digits = rng.integers(0, 10, size=(n, 12))
    number = digits @ (10 ** np.arange(11, -1, -1, dtype="int64"))
    return np.char.add(upn_check_letter(digits).astype("U1"), np.char.zfill(number.astype("U12"), 12)).astype(object)


def _header_identity(state: _State, periods: pd.DataFrame, dob: np.ndarray, last_day: np.ndarray,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UPN, MOTHER and MC_DOB (days, or OPEN_END) of each child.

    UPN: UN1 ("not yet of school age") where the child is under 4 on 31 August before
    the collection year of ``last_day`` (days: the child's last day in the extract) began,
    else a UPN (DfE rules 168, 209). MOTHER: blank for boys; "0" for girls, "1" for about
    one in twenty girls who first came into care aged 14 or over, whose child was born
    before then, when they were at least 13 (rules 393, 607, 611, 620, 621, 625)."""
    n = len(dob)
    year = codes.collection_year(_dates(last_day)).to_numpy()
    school_from = np.array([_day(pd.Timestamp(int(y) - 2, 8, 31)) for y in np.unique(year)])  # a few years
    reference = school_from[np.searchsorted(np.unique(year), year)]
    upn = np.where(_birthday(dob, 4) > reference, "UN1", _upns(rng, n)).astype(object)
    first_start = pd.Series(periods["start"].to_numpy()).groupby(periods["child"].to_numpy()).min()
    first_start = first_start.reindex(np.arange(n)).to_numpy()
    girl = state.sex == "2"
    entry_age = (first_start - dob) / DAYS_A_YEAR
    mother = girl & (entry_age >= 14) & (rng.random(n) < 0.05)
    earliest = dob + int(13 * DAYS_A_YEAR)
    mc_dob = earliest + (rng.random(n) * np.maximum(first_start - 1 - earliest, 0)).astype("int64")
    return (upn, np.where(mother, "1", np.where(girl, "0", None)).astype(object),
            np.where(mother, mc_dob, OPEN_END))


def _assemble(council: Council, state: _State, periods: pd.DataFrame, place, provider, homes, placed, urn,
              window_start: pd.Timestamp, window_end: pd.Timestamp, seed: int, targets: Targets,
              rng: np.random.Generator) -> Extract:
    """Turn the generation state into the canonical header and episodes frames."""
    rows = _coded_episodes(state, place)
    period, spell, decom_days, dec_days = rows["period"], rows["spell"], rows["decom"], rows["dec"]
    n = len(period)
    last = np.r_[period[1:] != period[:-1], True]
    end_of_period = periods["end"].to_numpy()[period]
    aged_out = last & (end_of_period >= periods["eighteenth"].to_numpy()[period])
    age_at_dec = (dec_days - state.dob[period]) / DAYS_A_YEAR
    child_of = periods["child"].to_numpy()
    final_period = periods["start"].groupby(child_of).transform("max").to_numpy() == periods["start"].to_numpy()
    rec = _reasons_ceased(last, aged_out, age_at_dec, rows["place"], _dates(dec_days), final_period[period], rng)
    decom = _dates(decom_days)
    dec = _dates(dec_days)
    next_rne = np.append(rows["rne"][1:], "S")
    change_follows = ~last & np.isin(next_rne, PLACEMENT_CHANGE_RNE) & (dec >= REASON_PLACE_CHANGE_FROM).to_numpy()
    reason_change = np.where(change_follows,
                             _draw(rng, ["CARPL", "CREQB", "CHILD", "LAREQ", "PLACE", "OTHER", "CLOSE", "STAND"],
                                   [0.4, 0.12, 0.1, 0.15, 0.08, 0.08, 0.05, 0.02], n), None)
    start_age = (periods["start"] - periods["dob"]).to_numpy() / DAYS_A_YEAR
    cin_young = [0.66, 0.04, 0.04, 0.06, 0.12, 0.01, 0.01, 0.06]
    cin_teen = [0.45, 0.05, 0.03, 0.12, 0.20, 0.10, 0.01, 0.04]
    cin = _choice(rng, list(codes.CIN), np.where(start_age[:, None] >= 11, cin_teen, cin_young))
    child_ids = _child_ids(rng, int(state.child.max()) + 1)
    episodes = pd.DataFrame({
        "CHILD": child_ids[state.child[period]], "DECOM": decom, "RNE": rows["rne"], "LS": rows["ls"],
        "CIN": cin[period], "PLACE": rows["place"], "PLACE_PROVIDER": provider[spell], "DEC": dec,
        "REC": rec, "REASON_PLACE_CHANGE": reason_change, "HOME_POST": homes[period],
        "PL_POST": placed[spell], "URN": _urns(rows["place"], spell, dec_days, urn[spell]),
    })  # fmt: skip
    keep = (episodes["DECOM"] <= window_end) & (episodes["DEC"].isna() | (episodes["DEC"] >= window_start))
    episodes = episodes[keep.to_numpy()]
    still_open = (episodes["DEC"] > window_end).fillna(False)
    episodes = episodes.assign(DEC=episodes["DEC"].mask(still_open), REC=episodes["REC"].mask(still_open))
    episodes = (episodes.astype({c: "string" for c in codes.EPISODE_COLUMNS if c not in codes.EPISODE_DATES})
                .sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True))
    children = np.arange(len(child_ids))
    dob = state.dob[periods.groupby("child")["start"].idxmin().reindex(children).to_numpy()]
    last_day = np.minimum(pd.Series(dec_days).groupby(state.child[period]).max().reindex(children).to_numpy(),
                          _day(window_end))
    upn, mother, mc_dob = _header_identity(state, periods, dob, last_day, rng)
    header = pd.DataFrame({
        "CHILD": child_ids, "SEX": state.sex, "DOB": _dates(dob),
        "ETHNIC": _draw(rng, list(ETHNIC_SHARES), list(ETHNIC_SHARES.values()), len(children)),
        "UPN": upn, "MOTHER": mother, "MC_DOB": _dates(mc_dob),
    })  # fmt: skip
    header = (header[header["CHILD"].isin(episodes["CHILD"])]
              .astype({"CHILD": "string", "SEX": "string", "ETHNIC": "string", "UPN": "string", "MOTHER": "string"})
              .assign(MC_DOB=lambda f: pd.to_datetime(f["MC_DOB"]))
              .sort_values("CHILD", kind="stable").reset_index(drop=True))
    own = council.ssda903.snapshots
    dates = ", ".join(f"{s.date.day} {s.date:%B %Y}" for s in own)
    seeded = f" and to the council's own published figures at {dates}" if own else ""
    return Extract(
        header=header,
        episodes=episodes,
        is_synthetic=True,
        source=(f"synthetic extract for {council.name} calibrated to {targets.basis}{seeded}, seed {seed}; "
                f"not real children"),
        start=window_start,
        end=window_end,
    )


SEX_LETTERS_FROM = 2025
"""Collection year from which the return codes SEX as letters (DfE rules 101, 2024-25)."""
SEX_LETTERS = {"1": "M", "2": "F"}


def write_extract(extract: Extract, out_dir: Path | str) -> list[Path]:
    """Write one folder per collection year (named by the year ending 31 March, e.g.
    ``2015/`` for 1 April 2014 - 31 March 2015) holding ``header.csv`` and
    ``episodes.csv`` as a council submits them: 903 column order, dates dd/mm/yyyy,
    the episodes open at any time in that year, an episode ceasing after 31 March
    shown open (DEC and REC blank), and the header rows of those children.
    Codes follow each year's rules: SEX 1/2 up to 2023-24 and M/F from 2024-25; H5
    placements carry "XXXXXXX" for a URN up to 2022-23. Returns the folders written."""
    out = Path(out_dir)
    first_year = int(extract.start.year) + 1
    last_year = int(extract.end.year)
    episodes, header = extract.episodes, extract.header
    written = []
    for year in range(first_year, last_year + 1):  # one pass per collection year
        year_start, year_end = codes.year_span(year)
        in_year = (episodes["DECOM"] <= year_end) & (episodes["DEC"].isna() | (episodes["DEC"] >= year_start))
        rows = episodes[in_year.to_numpy()]
        later = (rows["DEC"] > year_end).fillna(False)
        rows = rows.assign(DEC=rows["DEC"].mask(later), REC=rows["REC"].mask(later))
        rows = rows.assign(URN=rows["URN"].mask(rows["PLACE"].eq("H5") & (year < H5_REGISTERED_FROM.year + 1),
                                                "XXXXXXX"))
        folder = out / codes.year_label(year)
        folder.mkdir(parents=True, exist_ok=True)
        _as_text(rows, codes.EPISODE_COLUMNS, codes.EPISODE_DATES).to_csv(folder / "episodes.csv", index=False)
        people = header[header["CHILD"].isin(rows["CHILD"])]
        if year >= SEX_LETTERS_FROM:
            people = people.assign(SEX=people["SEX"].replace(SEX_LETTERS))
        _as_text(people, codes.HEADER_COLUMNS, codes.HEADER_DATES).to_csv(folder / "header.csv", index=False)
        written.append(folder)
    return written


def _as_text(frame: pd.DataFrame, columns: tuple[str, ...], dates: tuple[str, ...]) -> pd.DataFrame:
    """Columns in 903 order as text, dates dd/mm/yyyy, blanks empty."""
    text = {c: (frame[c].dt.strftime("%d/%m/%Y") if c in dates else frame[c]).astype("string").fillna("")
            for c in columns}
    return pd.DataFrame(text)
