"""Codes of the synthetic extract: PLACE, PLACE_PROVIDER, reasons ceased, RNE, URN, UPN
and the other header fields, each following the code lists and DfE's rules in force."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.ssda903 import codes
from carebook.ssda903.synth.common import F, OPEN_END, R, S, as_dates, day_number, draw, nth_birthday
from carebook.ssda903.synth.placements import State
from carebook.units import DAYS_A_YEAR

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


# --------------------------------------------------------------------------- codes
def place_codes(group: np.ndarray, age: np.ndarray, start: np.ndarray, first_spell: np.ndarray,
                 start_status: np.ndarray, after_fostering: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """PLACE code of each spell from its group, age (years), start (days), legal status at
    its start and whether the spell before it was a foster placement.

    Placed for adoption only under a placement order (E1; A5 with the current foster
    carer, else A6; DfE rule 408); semi-independence K3 from 28 October 2023, else H5 or
    P2; no temporary (T) placements."""
    n = len(group)
    when = as_dates(start)
    new_foster = (when >= pd.Timestamp("2015-04-01")).to_numpy()
    k3_era = (when >= pd.Timestamp("2023-10-28")).to_numpy()
    h5_over = (when > pd.Timestamp("2025-03-31")).to_numpy()
    relative = rng.random(n) < 0.15
    u = rng.random(n)
    foster_new = np.where(relative, np.select([u < 0.45, u < 0.5], ["U1", "U2"], "U3"),
                          np.select([u < 0.40, u < 0.45], ["U4", "U5"], "U6"))
    foster = np.where(new_foster, foster_new, np.where(relative, "Q1", "Q2"))
    residential = draw(rng, ["K2", "K1", "R1", "S1"], [0.88, 0.04, 0.04, 0.04], n)
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


def provider_codes(place: np.ndarray, in_house: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """PLACE_PROVIDER of each spell (NA for T0-T4 and Z1)."""
    n = len(place)
    group = pd.Series(place).map(codes.placement_codes().set_index("code")["sufficiency_group"]).to_numpy()
    external = np.select(
        [group == "fostering", group == "residential"],
        [draw(rng, ["PR4", "PR5", "PR2"], [0.55, 0.35, 0.10], n), draw(rng, ["PR4", "PR5", "PR2"], [0.85, 0.10, 0.05], n)],
        draw(rng, ["PR4", "PR5"], [0.8, 0.2], n),
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
    when = as_dates(decom).to_numpy()
    ended = ~np.isnat(valid_to) & (when > valid_to)
    return np.where(ended, pd.Series(place).map(SUCCESSOR).fillna(pd.Series(place)).to_numpy(), place)


def reasons_ceased(last: np.ndarray, aged_out: np.ndarray, age: np.ndarray, place: np.ndarray,
                    when: pd.Series, final: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """REC of each episode: X1 within a period; for a period's last episode a reason
    by age, placement and year. Adopted (E11/E12) only from a placement for adoption
    and never before a return to care (``final``: the child's last period; DfE rules 199,
    390); special guardianship to former foster carers (E45/E46) only from a foster
    placement (rule 516)."""
    n = len(last)
    recent = (when >= SGO_NEW_CODES_FROM).to_numpy()
    fostered = np.isin(place, ["U1", "U2", "U3", "U4", "U5", "U6"])
    sgo = np.where(recent, np.where(fostered, draw(rng, ["E45", "E46", "E47", "E48"], [0.3, 0.1, 0.2, 0.4], n),
                                    draw(rng, ["E47", "E48"], [0.3, 0.7], n)),
                   draw(rng, ["E43", "E44"], [0.4, 0.6], n))
    young = draw(rng, ["E4A", "E41", "SGO", "E13", "E8", "E3", "E4B"], [0.5, 0.08, 0.17, 0.05, 0.1, 0.05, 0.05], n)
    young = np.where(young == "SGO", sgo, young)
    older = draw(rng, ["E4A", "E5", "E6", "E8", "E9", "E4B", "E13"], [0.35, 0.15, 0.05, 0.25, 0.05, 0.1, 0.05], n)
    out = draw(rng, ["E5", "E6", "E8", "E17"], [0.35, 0.1, 0.35, 0.2], n)
    out = np.where((out == "E17") & ~(when >= STAYING_PUT_FROM).to_numpy(), "E8", out)
    adopted = np.isin(place, ["A3", "A4", "A5", "A6"]) & final
    reason = np.select([aged_out, adopted, age < 16], [out, np.where(rng.random(n) < 0.5, "E11", "E12"), young],
                       older)
    return np.where(last, reason, "X1").astype(object)


def make_child_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct CHILD identifiers (7-digit numbers as text)."""
    draws = rng.integers(1_000_000, 10_000_000, size=int(n * 1.3) + 100)
    _, first = np.unique(draws, return_index=True)
    unique = draws[np.sort(first)]
    if len(unique) < n:
        unique = np.r_[unique, np.setdiff1d(np.arange(1_000_000, 1_000_000 + 2 * n), unique)[: n - len(unique)]]
    return unique[:n].astype(str)



NO_URN_PLACEMENTS = ("P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1")
REGISTERED_PLACEMENTS = ("K1", "K2", "K3", "S1")
H5_REGISTERED_FROM = pd.Timestamp("2023-10-29")
"""H5 placements open on or after this day carry the provider's URN (DfE rule 230)."""
PLACEMENT_CHANGE_RNE = ("P", "B", "T", "U")


def _expiry_splits(state: State, place: np.ndarray) -> dict[str, np.ndarray]:
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


def coded_episodes(state: State, place: np.ndarray) -> dict[str, np.ndarray]:
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


def urns(place: np.ndarray, spell: np.ndarray, dec_days: np.ndarray, registered: np.ndarray) -> np.ndarray:
    """URN of each episode: the provider's (``registered``) for children's homes, secure
    homes, supported accommodation and residential schools, and for H5 placements open
    on or after 29 October 2023 (on their episodes in the returns from 2023-24); "XXXXXXX"
    (not known) for other placements DfE wants one for; blank for placements recorded
    without one (DfE rules 218, 222, 230; :func:`write_extract` writes "XXXXXXX" for H5
    in earlier returns)."""
    spell_end = pd.Series(dec_days).groupby(spell).transform("max").to_numpy()
    h5_registered = ((place == "H5") & (spell_end >= day_number(H5_REGISTERED_FROM))
                     & (dec_days >= day_number(codes.year_span(H5_REGISTERED_FROM.year + 1)[0])))
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


def header_identity(state: State, periods: pd.DataFrame, dob: np.ndarray, last_day: np.ndarray,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UPN, MOTHER and MC_DOB (days, or OPEN_END) of each child.

    UPN: UN1 ("not yet of school age") where the child is under 4 on 31 August before
    the collection year of ``last_day`` (days: the child's last day in the extract) began,
    else a UPN (DfE rules 168, 209). MOTHER: blank for boys; "0" for girls, "1" for about
    one in twenty girls who first came into care aged 14 or over, whose child was born
    before then, when they were at least 13 (rules 393, 607, 611, 620, 621, 625)."""
    n = len(dob)
    year = codes.collection_year(as_dates(last_day)).to_numpy()
    school_from = np.array([day_number(pd.Timestamp(int(y) - 2, 8, 31)) for y in np.unique(year)])  # a few years
    reference = school_from[np.searchsorted(np.unique(year), year)]
    upn = np.where(nth_birthday(dob, 4) > reference, "UN1", _upns(rng, n)).astype(object)
    first_start = pd.Series(periods["start"].to_numpy()).groupby(periods["child"].to_numpy()).min()
    first_start = first_start.reindex(np.arange(n)).to_numpy()
    girl = state.sex == "2"
    entry_age = (first_start - dob) / DAYS_A_YEAR
    mother = girl & (entry_age >= 14) & (rng.random(n) < 0.05)
    earliest = dob + int(13 * DAYS_A_YEAR)
    mc_dob = earliest + (rng.random(n) * np.maximum(first_start - 1 - earliest, 0)).astype("int64")
    return (upn, np.where(mother, "1", np.where(girl, "0", None)).astype(object),
            np.where(mother, mc_dob, OPEN_END))

