"""Distance from home: shares within 20 miles against targets, unknowns counted, boundary."""

from __future__ import annotations

import pandas as pd
import pytest
from sufficiency_903_fixture import EPISODES, HEADER

from carebook.sufficiency import distance, snapshot
from carebook.sufficiency.params import SufficiencyParams

NOTTINGHAM_TARGETS = SufficiencyParams(
    target_fostering_within_20_miles=0.90, target_residential_within_20_miles=0.80, target_all_within_20_miles=0.85)


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return snapshot.in_care_on(EPISODES, HEADER, [snapshot.march_31(2015)])


def test_each_placement_gets_miles_or_a_reason_it_has_none(rows):
    placed = distance.with_distance(rows).set_index("CHILD")
    # B: Nottingham NG7 1 to Loughborough LE11 1, about 12.4 miles; K: NG2 9 to Manchester M1 1, about 58 miles
    assert placed.loc["B", "miles"] == pytest.approx(12.36, abs=0.01)
    assert placed.loc["K", "miles"] == pytest.approx(58.44, abs=0.01)
    assert placed.loc["J", "miles"] == 0
    assert placed["distance"].astype(str).to_dict() == {
        "A": "within_20_miles", "B": "within_20_miles", "C": "within_20_miles", "D": "within_20_miles",
        "G": "within_20_miles", "H": "postcode_missing", "I": "postcode_not_matched", "J": "within_20_miles",
        "K": "over_20_miles", "L": "within_20_miles",
    }


def test_shares_within_20_miles_by_group_against_targets(rows):
    table = distance.within_20_miles(rows, NOTTINGHAM_TARGETS).set_index("placement_group")
    assert table.index.tolist() == ["fostering", "residential", "semi_independence", "other", "all"]
    counts = table[["children", "within_20_miles", "over_20_miles", "postcode_missing", "postcode_not_matched",
                    "unknown"]]
    assert counts.loc["fostering"].tolist() == [4, 3, 0, 0, 1, 1]
    assert counts.loc["residential"].tolist() == [3, 2, 1, 0, 0, 0]
    assert counts.loc["semi_independence"].tolist() == [1, 1, 0, 0, 0, 0]
    assert counts.loc["other"].tolist() == [2, 1, 0, 1, 0, 1]
    assert counts.loc["all"].tolist() == [10, 7, 1, 1, 1, 2]
    assert table["share_within_20_miles"].tolist() == pytest.approx([1.0, 2 / 3, 1.0, 1.0, 7 / 8])
    assert table["meets_target"].tolist()[:2] == [True, False]
    assert bool(table.loc["all", "meets_target"]) is True
    assert pd.isna(table.loc["semi_independence", "meets_target"])
    assert pd.isna(table.loc["semi_independence", "target_within_20_miles"])


def test_without_targets_shares_are_still_measured(rows):
    table = distance.within_20_miles(rows, SufficiencyParams()).set_index("placement_group")
    assert table["target_within_20_miles"].isna().all()
    assert table["meets_target"].isna().all()
    assert table.loc["all", "share_within_20_miles"] == pytest.approx(7 / 8)


def test_trend_by_month_from_month_end_rows():
    months = snapshot.month_ends("2015-01-01", "2015-03-31")
    trend = distance.within_20_miles(snapshot.in_care_on(EPISODES, HEADER, months), NOTTINGHAM_TARGETS)
    overall = trend[trend["placement_group"] == "all"].set_index("date")
    # 31 Jan: A-E, G-K with E (NG3 5 to Rotherham S60 1, about 33 miles) the one far placement;
    # from 1 Feb K moves to Manchester; E leaves on 31 March, L arrives that day
    assert overall["children"].tolist() == [10, 10, 10]
    assert overall["over_20_miles"].tolist() == [1, 2, 1]
    assert overall["share_within_20_miles"].tolist() == pytest.approx([7 / 8, 6 / 8, 7 / 8])  # H and I unknown


def test_outside_the_council_boundary(rows):
    table = distance.outside_boundary(rows, ["E06000018"]).set_index("placement_group")
    assert table[["inside", "outside", "unknown", "children"]].to_dict("index") == {
        "fostering": dict(inside=3, outside=0, unknown=1, children=4),
        "residential": dict(inside=1, outside=2, unknown=0, children=3),
        "semi_independence": dict(inside=1, outside=0, unknown=0, children=1),
        "other": dict(inside=0, outside=1, unknown=1, children=2),
        "all": dict(inside=5, outside=3, unknown=2, children=10),
    }
    assert table.loc["all", "share_outside"] == pytest.approx(3 / 8)
