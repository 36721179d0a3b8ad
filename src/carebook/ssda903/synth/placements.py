"""Placements of the synthetic extract: each spell's cell (placement group, provider and
location), allocated so the council's snapshot tables are met exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.ssda903.params import LEGAL_STATUS_CODES, Snapshot
from carebook.ssda903.synth.common import (
    GROUPS, LOCATIONS, N_CELLS, OPEN_END, PROVIDERS, UNSET, F, O, R, S, choose, day_number, nth_birthday,
)
from carebook.units import DAYS_A_YEAR

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


def pick_cells(probabilities: np.ndarray, allowed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a cell per row among ``allowed`` cells other than FORBIDDEN_CELLS (unless only
    those are allowed), falling back to any allowed cell."""
    allowed = allowed & ~FORBIDDEN_CELLS if (allowed & ~FORBIDDEN_CELLS).any() else allowed
    weights = probabilities * allowed[None, :]
    empty = weights.sum(axis=1) == 0
    weights[empty] = allowed.astype(float)
    return choose(rng, list(range(N_CELLS)), weights).astype("int64")


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


class State:
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


def allocate_snapshot(state: State, snapshot: Snapshot, inside: tuple[float, float],
                      rng: np.random.Generator) -> None:
    """Make the spells open on the snapshot date match its rows exactly (and its
    total's remainder fall outside the rows); fix their cells from then on."""
    day = day_number(snapshot.date)
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
        chosen_cells = pick_cells(cell_probabilities(age[taken], inside), allowed, rng)
        state.cell[spells[taken]] = chosen_cells
        members[i] = np.r_[already, taken]
    rest = np.flatnonzero(available)
    if len(rest):
        current = state.cell[spells[rest]]
        keep = (current >= 0) & ~covered[np.maximum(current, 0)]
        redraw = rest[~keep]
        state.cell[spells[redraw]] = pick_cells(cell_probabilities(age[redraw], inside), ~covered, rng)
    state.locked[spells] = day  # the last date the cell was fixed: later changes must come after it
    for row, chosen_members in zip(rows, members):  # exact splits within each row
        _split_row(state, row, open_eps[chosen_members], age[chosen_members], rng)


def _sixteen_to_move(state: State, rows, open_eps: np.ndarray, locked: np.ndarray, cells: np.ndarray,
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


def _split_row(state: State, row, episodes: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> None:
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



def semi_independence_from_sixteen(state: State, inside: tuple[float, float], rng: np.random.Generator) -> None:
    """Semi-independent living, independent living and supported accommodation only from
    16 (DfE rules 370, 371): a semi-independence spell that began before the child's 16th
    birthday keeps that cell from the birthday on (a new placement then) and before it
    gets another cell by age (any but semi-independence)."""
    first = pd.Series(np.arange(len(state.spell))).groupby(state.spell).first().to_numpy()
    spell_ids = np.unique(state.spell)
    group = state.cell[spell_ids] // 4
    sixteenth = nth_birthday(state.dob[state.period[first]], 16)
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
    state.cell[young] = pick_cells(cell_probabilities(ages, inside), not_semi, rng)


# --------------------------------------------------------------------------- generate
def inside_shares(overall: float, in_house_share: float = 0.45) -> tuple[float, float]:
    """Shares (0-1) of in-house and of external placements inside the council such
    that, with ``in_house_share`` of placements in-house, ``overall`` are inside:
    in-house placements are 35 points more often inside (at most 95%)."""
    in_house = min(0.95, overall + 0.35)
    external = float(np.clip((overall - in_house_share * in_house) / (1 - in_house_share), 0.03, 0.9))
    return in_house, external

