"""Snapshot tables from 903 episodes: a hand-built extract pins every count."""

from __future__ import annotations

import pandas as pd
import pytest
from sufficiency_903_fixture import EPISODES, HEADER

from carebook.sufficiency import snapshot as snap

MARCH_2015 = snap.march_31(2015)


@pytest.fixture(scope="module")
def at_march_2015() -> pd.DataFrame:
    return snap.in_care_on(EPISODES, HEADER, [MARCH_2015])


def _counts(table: pd.DataFrame, keys: list[str]) -> dict:
    return {tuple(str(v) for v in row[:-1]): row[-1] for row in table[[*keys, "children"]].itertuples(index=False)}


def test_children_in_care_on_the_day_follow_dfe_convention(at_march_2015):
    # E left on 31 March (not counted), F started on 1 April, M left in January;
    # K has two open episodes and is counted once.
    assert sorted(at_march_2015["CHILD"]) == list("ABCDGHIJKL")
    assert at_march_2015.loc[at_march_2015["CHILD"] == "K", "PLACE"].item() == "K2"


def test_placement_groups(at_march_2015):
    table = snap.by_placement_group(at_march_2015)
    assert _counts(table, ["placement_group"]) == {
        ("fostering",): 4, ("residential",): 3, ("semi_independence",): 1, ("other",): 2,
    }
    assert table["share"].sum() == pytest.approx(1.0)
    assert table.loc[table["placement_group"] == "fostering", "share"].item() == pytest.approx(0.4)


def test_in_house_and_external_with_shares(at_march_2015):
    table = snap.by_provision(at_march_2015)
    assert _counts(table, ["placement_group", "provision"]) == {
        ("fostering", "in_house"): 2, ("fostering", "external"): 2,
        ("residential", "in_house"): 1, ("residential", "external"): 2,
        ("semi_independence", "in_house"): 0, ("semi_independence", "external"): 1,
    }
    shares = table.set_index(["placement_group", "provision"])["share"]
    assert shares[("fostering", "in_house")] == pytest.approx(0.5)
    assert shares[("residential", "external")] == pytest.approx(2 / 3)
    assert shares[("semi_independence", "in_house")] == 0


def test_gender_by_provision(at_march_2015):
    table = snap.gender_by_provision(at_march_2015)
    counts = _counts(table, ["placement_group", "provision", "sex"])
    expected = {
        ("fostering", "in_house"): (2, 0), ("fostering", "external"): (2, 0),
        ("residential", "in_house"): (0, 1), ("residential", "external"): (1, 1),
        ("semi_independence", "in_house"): (0, 0), ("semi_independence", "external"): (0, 1),
    }
    for (group, provision), (male, female) in expected.items():
        assert counts[(group, provision, "male")] == male
        assert counts[(group, provision, "female")] == female
        assert counts[(group, provision, "unknown")] == 0


def test_legal_status_by_provision(at_march_2015):
    table = snap.crosstab(snap.legal_status_by_provision(at_march_2015), "legal_status")
    assert table.columns.tolist() == [
        "section_20", "full_care_order", "interim_care_order", "placement_order", "other"]
    assert table.to_dict("index") == {
        "In-house fostering": dict(section_20=0, full_care_order=1, interim_care_order=1, placement_order=0, other=0),
        "External fostering": dict(section_20=0, full_care_order=0, interim_care_order=0, placement_order=1, other=1),
        "In-house residential": dict(section_20=1, full_care_order=0, interim_care_order=0, placement_order=0, other=0),
        "External residential": dict(section_20=0, full_care_order=2, interim_care_order=0, placement_order=0, other=0),
        "In-house semi-independence": dict(section_20=0, full_care_order=0, interim_care_order=0, placement_order=0,
                                           other=0),
        "External semi-independence": dict(section_20=1, full_care_order=0, interim_care_order=0, placement_order=0,
                                           other=0),
    }


def test_age_bands_over_time():
    rows = snap.in_care_on(EPISODES, HEADER, [snap.march_31(2014), MARCH_2015])
    table = snap.age_bands_over_time(rows)
    counts = table.pivot(index="date", columns="age_band", values="children")
    assert counts.loc[snap.march_31(2014)].tolist() == [0, 2, 1, 2, 0]
    assert counts.loc[MARCH_2015].tolist() == [1, 1, 3, 4, 1]
    assert counts.columns.tolist() == ["under 1", "1-4", "5-9", "10-15", "16+"]


def test_ages_count_a_birthday_on_the_day():
    dob = pd.Series(pd.to_datetime(["2000-03-31", "1998-04-01", "2014-12-01"]))
    on = pd.Series(pd.to_datetime(["2015-03-31"] * 3))
    assert snap.age_in_years(dob, on).tolist() == [15, 16, 0]
    assert snap.age_band(pd.Series([0, 1, 4, 5, 9, 10, 15, 16, 17])).astype(str).tolist() == [
        "under 1", "1-4", "1-4", "5-9", "5-9", "10-15", "10-15", "16+", "16+"]


def test_age_at_placement_counts_placement_starts_not_legal_changes():
    placements = snap.new_placements(EPISODES, HEADER, "2014-04-01", MARCH_2015)
    # B, C, D, E, G, I, K, L and M's first episode; M's change of legal status (L) is not a placement
    assert sorted(placements["CHILD"]) == list("BCDEGIKLM")
    table = snap.age_at_placement(placements)
    counts = {k: v for k, v in _counts(table.rename(columns={"placements": "children"}),
                                       ["placement_group", "provision", "age_band"]).items() if v}
    assert counts == {
        ("fostering", "in_house", "under 1"): 1, ("fostering", "in_house", "1-4"): 1,
        ("fostering", "external", "5-9"): 1, ("fostering", "external", "10-15"): 2,
        ("residential", "external", "5-9"): 1, ("residential", "external", "10-15"): 1,
        ("semi_independence", "external", "16+"): 1,
    }


def test_no_identifier_in_the_tables(at_march_2015):
    tables = [snap.by_placement_group(at_march_2015), snap.by_provision(at_march_2015),
              snap.gender_by_provision(at_march_2015), snap.legal_status_by_provision(at_march_2015)]
    for table in tables:
        assert not {"CHILD", "DOB", "HOME_POST", "PL_POST"} & set(table.columns)


# --- Nottingham's tables at 31.03.2015 (seed 003) from the calibrated synthetic extract -------

@pytest.fixture(scope="module")
def nottingham_2015() -> pd.DataFrame:
    from carebook.params import load_council
    from carebook.ssda903 import load_for_council

    extract = load_for_council(load_council("nottingham"))
    return snap.in_care_on(extract.episodes, extract.header, [MARCH_2015])


def test_nottingham_in_house_and_external_at_31_march_2015(nottingham_2015):
    table = snap.crosstab(snap.by_provision(nottingham_2015), "provision")
    assert table.sum(axis=1).to_dict() == {
        "In-house fostering": 190, "External fostering": 222, "In-house residential": 16,
        "External residential": 56, "In-house semi-independence": 8, "External semi-independence": 31,
    }
    shares = snap.by_provision(nottingham_2015).set_index(["placement_group", "provision"])["share"]
    assert round(shares[("fostering", "in_house")], 2) == 0.46
    assert round(shares[("residential", "in_house")], 2) == 0.22
    assert round(shares[("semi_independence", "in_house")], 2) == 0.21
    # DfE counts 578 children looked after on the day (413 fostered; the strategy says 412)
    assert len(nottingham_2015) == 578


def test_nottingham_gender_table_at_31_march_2015(nottingham_2015):
    table = snap.crosstab(snap.gender_by_provision(nottingham_2015), "sex")
    assert table[["male", "female"]].to_dict("index") == {
        "In-house fostering": {"male": 90, "female": 100},
        "External fostering": {"male": 95, "female": 127},
        "In-house residential": {"male": 9, "female": 7},
        "External residential": {"male": 33, "female": 23},
        "In-house semi-independence": {"male": 4, "female": 4},
        "External semi-independence": {"male": 15, "female": 16},
    }


def test_nottingham_legal_status_table_at_31_march_2015(nottingham_2015):
    table = snap.crosstab(snap.legal_status_by_provision(nottingham_2015), "legal_status")
    columns = ["section_20", "full_care_order", "interim_care_order", "placement_order"]
    assert table[columns].to_numpy().tolist() == [
        [41, 59, 45, 45],   # in-house fostering
        [36, 130, 24, 32],  # external fostering
        [6, 10, 0, 0],      # in-house residential
        [31, 24, 1, 0],     # external residential
        [6, 2, 0, 0],       # in-house semi-independence
        [19, 10, 2, 0],     # external semi-independence
    ]
    assert table.index.tolist() == [
        "In-house fostering", "External fostering", "In-house residential", "External residential",
        "In-house semi-independence", "External semi-independence"]
    assert (table["other"] == 0).all()


def test_an_unknown_date_of_birth_gives_no_age_band():
    assert snap.age_band(pd.Series([3, None], dtype="Float64")).isna().tolist() == [False, True]
