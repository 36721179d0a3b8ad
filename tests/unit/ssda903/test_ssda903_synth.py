"""The synthetic generator: valid output for every default council, its figures at
31 March equal the calibration targets, the seeds' tables cell for cell, determinism."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from carebook import geo
from carebook.params import load_council
from carebook.ssda903 import codes, load_for_council, periods
from carebook.ssda903.calibration import AGE_BANDS, calibration_targets, official_age_mix, official_placements
from carebook.ssda903.params import Ssda903Params
from carebook.ssda903.read import read_extract
from carebook.ssda903.synth import generate, upn_check_letter, write_extract

COUNCILS = ["rotherham", "nottingham", "triborough", "essex", "warwickshire", "buckinghamshire"]


@cache
def extract(slug: str):
    return generate(slug)


def _open_with_groups(extract_, day: str) -> pd.DataFrame:
    episodes = periods.with_groups(extract_.episodes)
    return episodes[periods.open_on(episodes, day)].merge(extract_.header[["CHILD", "SEX", "DOB"]], on="CHILD")


@pytest.mark.parametrize("slug", COUNCILS)
def test_output_passes_every_rule_and_reads_back_unchanged(slug, tmp_path):
    generated = extract(slug)
    write_extract(generated, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [str(y) for y in range(2008, 2026)]
    again = read_extract(tmp_path, mode="strict")  # raises on any problem
    assert again.problems.empty
    pd.testing.assert_frame_equal(again.episodes, generated.episodes)
    pd.testing.assert_frame_equal(again.header, generated.header)


@pytest.mark.parametrize("slug", COUNCILS)
def test_figures_at_31_march_match_the_calibration_targets(slug):
    council, generated = load_council(slug), extract(slug)
    targets = calibration_targets(council, 1990, 2025)
    published = targets.official.set_index("year")["children_at_31_march"]
    episodes = periods.with_groups(generated.episodes)
    for year in range(2008, 2026):  # every 31 March: published figure, or interpolated between them
        assert periods.open_on(episodes, pd.Timestamp(year, 3, 31)).sum() == targets.stock[year]
    assert set(published.index) <= set(targets.stock.index)
    assert all(targets.stock[y] == published[y] for y in published.index)
    own_dates = {s.date.year for s in council.ssda903.snapshots if (s.date.month, s.date.day) == (3, 31)}
    placements = official_placements(council)
    for year, rows in placements[~placements["year"].isin(own_dates)].groupby("year"):
        on = episodes[periods.open_on(episodes, pd.Timestamp(year, 3, 31))]
        counts = on["sufficiency_group"].value_counts()
        for row in rows.itertuples(index=False):
            assert counts.get(row.group, 0) == row.children, (year, row.group)
    starts = episodes[episodes["RNE"] == "S"]
    by_year = codes.collection_year(starts["DECOM"]).value_counts()
    assert all(by_year[y] == targets.starts[y] for y in range(2008, 2026))


@pytest.mark.parametrize("slug", COUNCILS)
def test_age_mix_is_close_to_the_published_mix(slug):
    target = official_age_mix(load_council(slug))
    on = _open_with_groups(extract(slug), "2024-03-31")
    age = (pd.Timestamp("2024-03-31") - on["DOB"]).dt.days / 365.25
    bands = pd.cut(age, [b[0] for b in AGE_BANDS.values()] + [18], right=False)
    shares = bands.value_counts(normalize=True).sort_index().to_numpy()
    assert np.abs(shares - target.to_numpy()).max() < 0.1


def test_nottingham_31_march_2015_tables_exactly():
    on = _open_with_groups(extract("nottingham"), "2015-03-31")
    assert len(on) == 578
    on = on.assign(provider=np.where(on["PLACE_PROVIDER"].eq("PR1").fillna(False), "internal", "external"))
    three = on[on["sufficiency_group"] != "other"]
    counts = three.groupby(["sufficiency_group", "provider"]).size().to_dict()
    assert counts == {("fostering", "internal"): 190, ("fostering", "external"): 222,
                      ("residential", "internal"): 16, ("residential", "external"): 56,
                      ("semi_independence", "internal"): 8, ("semi_independence", "external"): 31}
    assert (on["sufficiency_group"] == "other").sum() == 578 - 412 - 72 - 39
    assert three["PLACE_PROVIDER"].isin(["PR1", "PR2", "PR3", "PR4", "PR5"]).all()
    sex = three.groupby(["sufficiency_group", "provider", "SEX"]).size().to_dict()
    assert sex == {
        ("fostering", "external", "1"): 95, ("fostering", "external", "2"): 127,
        ("fostering", "internal", "1"): 90, ("fostering", "internal", "2"): 100,
        ("residential", "external", "1"): 33, ("residential", "external", "2"): 23,
        ("residential", "internal", "1"): 9, ("residential", "internal", "2"): 7,
        ("semi_independence", "external", "1"): 15, ("semi_independence", "external", "2"): 16,
        ("semi_independence", "internal", "1"): 4, ("semi_independence", "internal", "2"): 4,
    }
    legal = three.groupby(["sufficiency_group", "provider", "LS"]).size().unstack(fill_value=0)
    assert legal[["V2", "C2", "C1", "E1"]].reindex(columns=["V2", "C2", "C1", "E1"], fill_value=0).values.tolist() == [
        [36, 130, 24, 32],  # external fostering
        [41, 59, 45, 45],   # internal fostering
        [31, 24, 1, 0],     # external residential
        [6, 10, 0, 0],      # internal residential
        [19, 10, 2, 0],     # external semi-independence
        [6, 2, 0, 0],       # internal semi-independence
    ]
    assert (three["sufficiency_group"].eq("semi_independence") <= ((pd.Timestamp("2015-03-31") - three["DOB"]).dt.days >= 16 * 365)).all()


def test_rotherham_67_in_out_of_authority_residential_care_in_june_2018():
    on = _open_with_groups(extract("rotherham"), "2018-06-30")
    residential = on[on["sufficiency_group"] == "residential"]
    outside = ~geo.in_council(residential["PL_POST"], ["E08000018"])
    assert outside.sum() == 67


def test_codes_follow_the_lists_of_each_year_and_postcodes_are_real():
    episodes = extract("essex").episodes
    foster = episodes[episodes["PLACE"].isin(["Q1", "Q2", "U1", "U2", "U3", "U4", "U5", "U6"])]
    old = foster["PLACE"].isin(["Q1", "Q2"])
    assert (foster.loc[old, "DECOM"] < pd.Timestamp("2015-04-01")).all()
    assert (foster.loc[~old, "DECOM"] >= pd.Timestamp("2015-04-01")).all()
    assert old.any() and (~old).any()
    assert (episodes.loc[episodes["PLACE"] == "K3", "DECOM"] >= pd.Timestamp("2023-10-28")).all()
    assert (episodes.loc[episodes["PLACE"] == "P2", "DECOM"] <= pd.Timestamp("2023-10-27")).all()
    assert geo.is_matched(episodes["HOME_POST"]).all() and geo.is_matched(episodes["PL_POST"]).all()
    assert geo.in_council(episodes["HOME_POST"], ["E10000012"]).all()


def test_deterministic_under_a_seed():
    first = generate("buckinghamshire", 2020, 2022, seed=3)
    second = generate("buckinghamshire", 2020, 2022, seed=3)
    other = generate("buckinghamshire", 2020, 2022, seed=4)
    pd.testing.assert_frame_equal(first.episodes, second.episodes)
    pd.testing.assert_frame_equal(first.header, second.header)
    assert not first.episodes["CHILD"].equals(other.episodes["CHILD"])
    assert (first.start, first.end) == (pd.Timestamp("2019-04-01"), pd.Timestamp("2022-03-31"))


def test_load_for_council_uses_the_synthetic_extract_unless_one_is_configured(tmp_path, monkeypatch):
    # DfE's rules on an own extract are tested in test_dfe_rules and test_validate_report; here
    # their isolated environment is absent, so reading the extract back takes a second, not twenty
    monkeypatch.setenv("CAREBOOK_DFE_PYTHON", str(tmp_path / "no-dfe-environment" / "python"))
    council = load_council("buckinghamshire")
    small = council.model_copy(update={"ssda903": Ssda903Params(synth_start_year=2023, synth_end_year=2025)})
    synthetic = load_for_council(small)
    assert synthetic.is_synthetic and "synthetic extract" in synthetic.source
    write_extract(synthetic, tmp_path)
    own = council.model_copy(update={"ssda903": Ssda903Params(path=str(tmp_path))})
    mine = load_for_council(own)
    assert not mine.is_synthetic and "own SSDA903 extract" in mine.source
    assert mine.dfe_note == ("DfE's validation rules could not be run on this extract here, so its rows were checked "
                             "only as they were read; the council can run them with its own validation tools.")
    assert "make setup" not in mine.dfe_note and "synthetic extract for Buckinghamshire calibrated to DfE" in synthetic.source
    assert "seed" not in synthetic.source
    pd.testing.assert_frame_equal(mine.episodes, synthetic.episodes)


def test_a_council_with_no_published_figures_is_calibrated_to_england_s_rate():
    """DfE marks Isles of Scilly "z"; England's 67 per 10,000 (2025) of its 319 children aged 0-17 is 2."""
    scilly = load_council("Isles of Scilly")
    targets = calibration_targets(scilly, 2016, 2025)
    assert targets.stock[2025] == round(67 * 319 / 10_000) == 2
    assert targets.basis.startswith("England's rate per 10,000 applied to the council's population")
    extract = generate(scilly, 2016, 2025, seed=1)
    assert "England's rate per 10,000" in extract.source
    open_episodes = extract.episodes[periods.open_on(extract.episodes, "2025-03-31")]
    assert open_episodes["CHILD"].nunique() == 2


FULL_POSTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}"


@pytest.mark.parametrize("slug", ["rotherham", "essex"])
def test_postcodes_are_real_full_postcodes_homes_in_the_council(slug):
    council, episodes = load_council(slug), extract(slug).episodes
    for column in ("HOME_POST", "PL_POST"):
        assert episodes[column].str.fullmatch(FULL_POSTCODE).all()
        assert geo.is_matched(episodes[column]).all()  # a full postcode not in the directory is unknown
    assert geo.in_council(episodes["HOME_POST"], council.codes).all()
    with_parents = episodes["PLACE"] == "P1"
    assert (episodes.loc[with_parents, "PL_POST"] == episodes.loc[with_parents, "HOME_POST"]).all()
    assert (episodes.loc[~with_parents, "PL_POST"] != episodes.loc[~with_parents, "HOME_POST"]).all()


@pytest.mark.parametrize("slug", ["rotherham", "nottingham"])
def test_in_house_placements_other_than_fostering_and_adoption_are_inside_the_council(slug):
    council, episodes = load_council(slug), periods.with_groups(extract(slug).episodes)
    own = episodes[episodes["PLACE_PROVIDER"].eq("PR1").fillna(False)
                   & ~episodes["sufficiency_group"].eq("fostering") & ~episodes["PLACE"].str.startswith("A")]
    assert (own["sufficiency_group"] == "residential").sum() > 20
    assert geo.in_council(own["PL_POST"], council.codes).all()


def test_sex_is_written_as_each_year_codes_it(tmp_path):
    generated = extract("rotherham")
    write_extract(generated, tmp_path)
    for year, letters in [(2024, {"1", "2"}), (2025, {"M", "F"})]:
        sex = pd.read_csv(tmp_path / str(year) / "header.csv", dtype=str)["SEX"]
        assert set(sex) == letters
    assert set(generated.header["SEX"]) == {"1", "2"}  # the extract in memory keeps 1/2


def test_upn_check_letter_worked_by_hand_and_every_upn_valid():
    # 8x2 + 0x3 + 1x4 + 2x5 + 0 + 0 + 0 + 0 + 1x10 + 0 + 0 + 1x13 = 53; 53 = 2 x 23 + 7; letter 7 of ABCDEFGHJ... is H
    assert upn_check_letter(np.array([[8, 0, 1, 2, 0, 0, 0, 0, 1, 0, 0, 1]])).tolist() == ["H"]
    header = extract("nottingham").header
    upn = header["UPN"]
    real = upn[upn != "UN1"]
    assert real.str.fullmatch(r"[A-HJ-NP-RT-Z][0-9]{12}").all() and len(real) > 0.7 * len(upn)
    digits = np.frombuffer("".join(real.str.slice(1)).encode(), dtype=np.uint8).reshape(-1, 12) - ord("0")
    assert (upn_check_letter(digits) == real.str[0].to_numpy()).all()
    mothers = header["MOTHER"] == "1"
    assert set(header.loc[header["SEX"] == "2", "MOTHER"]) <= {"0", "1"} and mothers.any()
    assert header.loc[header["SEX"] == "1", "MOTHER"].isna().all()
    assert header.loc[mothers, "MC_DOB"].notna().all() and header.loc[~mothers, "MC_DOB"].isna().all()
    assert ((header.loc[mothers, "MC_DOB"] - header.loc[mothers, "DOB"]).dt.days >= 13 * 365).all()
