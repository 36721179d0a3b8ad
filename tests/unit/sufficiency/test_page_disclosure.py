"""Suppression holds across a whole page: a count hidden in one table is hidden in every other
table, sentence, chart and results file of the page (worked by hand on a synthetic extract)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from carebook.disclosure import Disclosure, hidden_with_total
from carebook.params import load_council
from carebook.ssda903 import Extract
from carebook.sufficiency import child_charts, child_disclosure, child_level, child_tables

# On 31 March 2015: fostering 20 in-house + 15 external, residential 2 in-house + 37 external,
# semi-independence 8 external; no council capacity given, so own places are the in-house
# children in use (20 fostering, 2 residential).
PLACEMENTS = [("Q1", "PR1", 20), ("Q2", "PR4", 15), ("K2", "PR1", 2), ("K2", "PR4", 37), ("H5", "PR4", 8)]


@pytest.fixture(scope="module")
def testshire(tmp_path_factory):
    folder = tmp_path_factory.mktemp("councils")
    (folder / "testshire.yml").write_text(yaml.safe_dump({"name": "Testshire", "members": ["E06000018"]}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREBOOK_COUNCILS_DIR", str(folder))
        council = load_council("testshire")
    place = pd.Series([p for p, _, n in PLACEMENTS for _ in range(n)])
    provider = pd.Series([pr for _, pr, n in PLACEMENTS for _ in range(n)])
    ids = "CH" + pd.Series(range(len(place))).astype(str).str.zfill(4)
    header = pd.DataFrame({"CHILD": ids, "SEX": (pd.Series(range(len(ids))) % 2 + 1).astype(str),
                           "DOB": pd.Timestamp("2008-06-15")})
    episodes = pd.DataFrame({"CHILD": ids, "DECOM": pd.Timestamp("2013-06-01"), "RNE": "S", "LS": "C2",
                             "PLACE": place, "PLACE_PROVIDER": provider, "DEC": pd.NaT, "REC": None,
                             "HOME_POST": "NG7 1", "PL_POST": "NG5 5"})
    extract = Extract(header=header, episodes=episodes, is_synthetic=True, source="test extract",
                      start=pd.Timestamp("2013-01-01"), end=pd.Timestamp("2015-03-31"))
    result = child_level.analyse(council, extract)
    return council, result, child_disclosure.disclosure_of(result, Disclosure(result.threshold))


def test_the_provision_table_hides_in_house_residential_and_its_protectors(testshire):
    _, result, disclosure = testshire
    table = child_tables.provision_display(result, disclosure).set_index("Placement group")
    # 2 is small; 37 would give it away from the total 39; the in-house column then has one
    # hidden cell, so fostering in-house (20) goes too, and with it fostering external (15)
    assert table.loc["Residential", ["In-house", "External", "Total"]].tolist() == ["c", "c", "39"]
    assert table.loc["Fostering", ["In-house", "External", "Total"]].tolist() == ["c", "c", "35"]
    assert table.loc["Total", ["In-house", "External"]].tolist() == ["22", "60"]
    assert disclosure.is_hidden("provision", "residential", "in_house")
    assert disclosure.is_hidden("provision", "fostering", "in_house")  # secondary


def test_own_places_and_the_gap_are_hidden_with_the_in_house_counts(testshire):
    council, result, disclosure = testshire
    capacity = child_tables.capacity_display(council.sufficiency, result.capacity, disclosure).set_index("Placement group")
    assert capacity["Own places"].tolist() == ["c", "c", "0"]
    gap = child_tables.gap_display(result, "current", disclosure, council.sufficiency)
    first = gap[gap["31 March"] == "2015"].set_index("Placement group")
    assert first.loc["Residential", "Demand (children)"] == 39
    assert first.loc["Residential", ["Own places", "To buy", "To buy within 20 miles", "External cost (£ a year)"]].tolist() == ["c"] * 4
    assert first.loc["Semi-independence", ["Own places", "To buy"]].tolist() == ["0", "8"]
    assert (gap.loc[gap["Placement group"] != "Semi-independence", "Own places"] == "c").all()  # every year


def test_no_small_or_recoverable_count_in_sentences_or_results(testshire):
    council, result, disclosure = testshire
    text = child_tables.figures(result, council.sufficiency, disclosure)
    assert text["c903_fostering_in_house"] == "c" and text["c903_fostering_in_house_share"] == "c"
    assert text["c903_residential"] == "39" and text["c903_fostering"] == "35"
    saved: dict = {}
    child_disclosure.save_results(result, saved.__setitem__, council.sufficiency, disclosure)
    gap = saved["sufficiency_903_gap"]
    shown = gap[gap["placement_group"].isin(["fostering", "residential"])]
    assert shown[["own_places", "gap", "local_gap", "external_cost_gbp_per_year"]].isna().all().all()
    for name, obj in saved.items():  # no count of 1 to 4 children observed, anywhere
        if isinstance(obj, pd.DataFrame):
            counts = obj[[c for c in ("children", "placements", "own_places") if c in obj]]
            observed = obj["date"] == result.on if "date" in obj and name.startswith("sufficiency_903_forecast") else True
            if name.startswith("sufficiency_903_forecast"):
                counts = counts[observed]
            assert not ((counts >= 1) & (counts < 5)).any().any(), name
    assert not {2, 20, 15, 37} & set(saved["sufficiency_903_gap"]["own_places"].dropna())
    chart = json.dumps(child_charts.forecast_chart(result, disclosure, council.sufficiency).to_dict())
    assert '"places": 2.0' not in chart and '"places": 20.0' not in chart and '"places": 0.0' in chart


def test_secondary_suppression_against_a_total():
    # 10 + 3 + 8 + 7 = 28: hiding only the 3 would leave it as 28 - 25, so the 7 goes too
    counts = pd.Series([10, 3, 8, 7, 28])
    hidden = hidden_with_total(counts, counts.index == 4)
    assert hidden.tolist() == [False, True, False, True, False]
    # two groups, each with its own total
    groups = pd.Series(["a"] * 3 + ["b"] * 3)
    values = pd.Series([6, 2, 8, 9, 9, 18])
    assert hidden_with_total(values, pd.Series([False, False, True] * 2), groups).tolist() == \
        [True, True, False, False, False, False]
