"""Episodes of the synthetic extract: each period of care split by placement changes and
by legal-status changes along the usual path of orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.ssda903.synth.common import choose
from carebook.units import DAYS_A_YEAR

PLACEMENT_MOVES_PER_YEAR = (0.30, 0.55)
"""Placement changes a year (count) for children under 11 and aged 11 and over."""


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
    return choose(rng, ["V2", "C1", "L1", "L2", "J1"], shares)


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

