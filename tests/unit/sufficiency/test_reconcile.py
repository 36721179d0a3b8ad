"""Nottingham's tables at 31.03.2015 (its Commissioning and Sufficiency Strategy, 2015 update)
beside the model's, worked from the council file's published counts."""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.params import load_council
from carebook.sufficiency import reconcile


@pytest.fixture(scope="module")
def snapshot():
    return load_council("nottingham").ssda903.snapshots[0]


def test_the_source_s_percentages_are_those_the_strategy_prints(snapshot):
    cells = reconcile.source_cells(snapshot).set_index(["table", "placement_group", "provision", "category"])
    share = cells["source_share"]
    # "Fostering (412): Internal 190 46%, External 222 54%"; residential 16 22% / 56 78%; semi 8 21% / 31 79%
    assert share[("provision", "fostering", "in_house", "in_house")] == pytest.approx(190 / 412)
    printed = {("fostering", "in_house"): 46, ("fostering", "external"): 54, ("residential", "in_house"): 22,
               ("residential", "external"): 78, ("semi_independence", "in_house"): 21,
               ("semi_independence", "external"): 79}
    assert {k: round(share[("provision", *k, k[1])] * 100) for k in printed} == printed
    # gender: "External Fostering 95 43% / 127 57%", "External Semi Independent 15 48% / 16 52%"
    assert round(share[("sex", "fostering", "external", "male")] * 100) == 43
    assert round(share[("sex", "semi_independence", "external", "female")] * 100) == 52
    assert cells.loc[("legal_status", "fostering", "external", "full_care_order"), "source_children"] == 130
    assert len(cells) == 6 + 12 + 24


def test_a_model_matching_the_source_shows_no_difference_and_a_departure_is_explained(snapshot):
    from carebook.sufficiency.child_level import ChildLevelSufficiency

    on = pd.Timestamp("2015-03-31")
    provision = pd.DataFrame({"date": on, "placement_group": ["fostering", "fostering", "residential", "residential",
                                                                 "semi_independence", "semi_independence"],
                              "provision": ["in_house", "external"] * 3,
                              "children": [190, 222, 16, 56, 8, 30]})
    provision["share"] = provision["children"] / provision.groupby("placement_group")["children"].transform("sum")
    empty = pd.DataFrame(columns=["date", "placement_group", "provision", "sex", "children", "share"])
    child = ChildLevelSufficiency.__new__(ChildLevelSufficiency)
    for name, value in {"on": on, "threshold": 5, "is_synthetic": False, "provision": provision,
                        "gender": empty, "legal_status": empty.rename(columns={"sex": "legal_status"})}.items():
        object.__setattr__(child, name, value)
    cells = reconcile.reconcile([snapshot], child)
    rows = cells[cells["table"] == "provision"].set_index(["placement_group", "provision"])
    assert rows.loc[("fostering", "in_house"), "difference_children"] == 0
    assert rows.loc[("fostering", "in_house"), "reason"] == ""
    # 30 external semi-independent placements against the strategy's 31: 8/38 = 21.1% against 8/39 = 20.5%
    assert rows.loc[("semi_independence", "external"), "difference_children"] == -1
    assert rows.loc[("semi_independence", "in_house"), "difference_points"] == pytest.approx((8 / 38 - 8 / 39) * 100)
    assert rows.loc[("semi_independence", "external"), "reason"].startswith("The council's extract as read now differs")
    shown = reconcile.display(cells, "provision")
    assert shown.loc[5].tolist()[:5] == ["Semi-independence", "External", "31 (79%)", "30 (79%)", "-1 (-1 points)"]  # 78.9% against 79.5%
    assert reconcile.agreement(cells[cells["table"] == "provision"]) == {"cells": 6, "shown": 6, "matching": 5}


def test_no_source_tables_for_the_date_give_no_rows(snapshot):
    from carebook.sufficiency.child_level import ChildLevelSufficiency

    child = ChildLevelSufficiency.__new__(ChildLevelSufficiency)
    object.__setattr__(child, "on", pd.Timestamp("2025-03-31"))
    assert reconcile.reconcile([snapshot], child).empty and reconcile.source_note([snapshot], child) == ""
