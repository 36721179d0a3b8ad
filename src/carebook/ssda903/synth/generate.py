"""The synthetic extract put together: periods, episodes, placements, codes and postcodes
for a council, deterministic under a seed (the steps are described in
:mod:`carebook.ssda903.synth`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.council import Council
from carebook.errors import InputError
from carebook.ssda903 import codes
from carebook.ssda903.calibration import Targets, calibration_targets
from carebook.ssda903.extract import Extract
from carebook.ssda903.synth.coding import (
    ETHNIC_SHARES, PLACEMENT_CHANGE_RNE, REASON_PLACE_CHANGE_FROM, coded_episodes, header_identity,
    make_child_ids, place_codes, provider_codes, reasons_ceased, urns,
)
from carebook.ssda903.synth.common import F, N_CELLS, UNSET, as_dates, choose, day_number, draw
from carebook.ssda903.synth.episodes import build_episodes
from carebook.ssda903.synth.periods import link_re_entries, make_periods, match_stock, stock_dates
from carebook.ssda903.synth.placements import (
    State, allocate_snapshot, cell_probabilities, inside_shares, pick_cells, semi_independence_from_sixteen,
)
from carebook.ssda903.synth.postcodes import assign_postcodes
from carebook.units import DAYS_A_YEAR

WARM_UP_YEARS = 18
MALE_SHARE = 0.55
"""Share (0-1) of children who are boys (England at 31 March 2014: 38,040 of 68,840, SFR36/2014)."""


def _resolve(council: Council | str) -> Council:
    if isinstance(council, str):
        from carebook.params import load_council

        return load_council(council)
    return council



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
    horizon = day_number(window_end) + 1

    periods = make_periods(targets, start_year, rng)
    dates, totals = stock_dates(targets, start_year, end_year)
    periods = match_stock(periods, dates, totals, rng)
    periods = link_re_entries(periods, rng)
    state = State(build_episodes(periods, horizon, rng), periods)
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
    state.cell[unset] = pick_cells(cell_probabilities(spell_age[unset], inside), np.ones(N_CELLS, bool), rng)
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
    place = place_codes(group, spell_age, spell_start, first_spell, state.ls[first_row], after_fostering, rng)
    provider = provider_codes(place, in_house, rng)
    far_share = float(min(0.95, targets.over_20_share / max(1 - targets.inside_share, 0.05)))
    homes, placed = assign_postcodes(council.codes, len(periods), spell_period, location, place,
                                     far_share, rng)
    same_carer = place == "A5"  # placed for adoption with the current foster carer: the carer's address
    placed[same_carer] = placed[state.spell[before[same_carer]]]
    urn = np.char.add("SC", rng.integers(100_000, 1_000_000, len(place)).astype(str)).astype(object)

    return assemble(council, state, periods, place, provider, homes, placed, urn, window_start, window_end,
                    targets, rng)




def assemble(council: Council, state: State, periods: pd.DataFrame, place, provider, homes, placed, urn,
              window_start: pd.Timestamp, window_end: pd.Timestamp, targets: Targets,
              rng: np.random.Generator) -> Extract:
    """Turn the generation state into the canonical header and episodes frames."""
    rows = coded_episodes(state, place)
    period, spell, decom_days, dec_days = rows["period"], rows["spell"], rows["decom"], rows["dec"]
    n = len(period)
    last = np.r_[period[1:] != period[:-1], True]
    end_of_period = periods["end"].to_numpy()[period]
    aged_out = last & (end_of_period >= periods["eighteenth"].to_numpy()[period])
    age_at_dec = (dec_days - state.dob[period]) / DAYS_A_YEAR
    child_of = periods["child"].to_numpy()
    final_period = periods["start"].groupby(child_of).transform("max").to_numpy() == periods["start"].to_numpy()
    rec = reasons_ceased(last, aged_out, age_at_dec, rows["place"], as_dates(dec_days), final_period[period], rng)
    decom = as_dates(decom_days)
    dec = as_dates(dec_days)
    next_rne = np.append(rows["rne"][1:], "S")
    change_follows = ~last & np.isin(next_rne, PLACEMENT_CHANGE_RNE) & (dec >= REASON_PLACE_CHANGE_FROM).to_numpy()
    reason_change = np.where(change_follows,
                             draw(rng, ["CARPL", "CREQB", "CHILD", "LAREQ", "PLACE", "OTHER", "CLOSE", "STAND"],
                                   [0.4, 0.12, 0.1, 0.15, 0.08, 0.08, 0.05, 0.02], n), None)
    start_age = (periods["start"] - periods["dob"]).to_numpy() / DAYS_A_YEAR
    cin_young = [0.66, 0.04, 0.04, 0.06, 0.12, 0.01, 0.01, 0.06]
    cin_teen = [0.45, 0.05, 0.03, 0.12, 0.20, 0.10, 0.01, 0.04]
    cin = choose(rng, list(codes.CIN), np.where(start_age[:, None] >= 11, cin_teen, cin_young))
    child_ids = make_child_ids(rng, int(state.child.max()) + 1)
    episodes = pd.DataFrame({
        "CHILD": child_ids[state.child[period]], "DECOM": decom, "RNE": rows["rne"], "LS": rows["ls"],
        "CIN": cin[period], "PLACE": rows["place"], "PLACE_PROVIDER": provider[spell], "DEC": dec,
        "REC": rec, "REASON_PLACE_CHANGE": reason_change, "HOME_POST": homes[period],
        "PL_POST": placed[spell], "URN": urns(rows["place"], spell, dec_days, urn[spell]),
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
                          day_number(window_end))
    upn, mother, mc_dob = header_identity(state, periods, dob, last_day, rng)
    header = pd.DataFrame({
        "CHILD": child_ids, "SEX": state.sex, "DOB": as_dates(dob),
        "ETHNIC": draw(rng, list(ETHNIC_SHARES), list(ETHNIC_SHARES.values()), len(children)),
        "UPN": upn, "MOTHER": mother, "MC_DOB": as_dates(mc_dob),
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
        source=f"synthetic extract for {council.name} calibrated to {targets.basis}{seeded}; not real children",
        start=window_start,
        end=window_end,
    )
