"""Periods of care, open episodes, merged episodes and groups on hand-worked cases."""

from __future__ import annotations

import pandas as pd
from ssda903_helpers import write_year

from carebook.ssda903 import periods
from carebook.ssda903.read import read_extract


def _extract(tmp_path):
    write_year(tmp_path, "2016", ["X,1,01/01/2005,WBRI,,,", "Y,2,01/01/2003,WBRI,,,"], [
        "X,01/01/2015,S,V2,N4,Q2,PR1,01/03/2015,X1,,,,",
        "X,01/03/2015,T,V2,N4,Q2,PR1,01/04/2015,X1,,,,",     # same placement type and provider: merges
        "X,01/04/2015,P,C1,N4,K2,PR4,01/06/2015,E4A,CARPL,,,",
        "X,01/09/2015,S,V2,N5,U6,PR4,,,,,,",                 # returns to care: second period
        "Y,01/01/2010,P,C2,N1,Q1,PR1,01/05/2015,X1,,,,",      # began before the extract
        "Y,01/05/2015,P,C2,N1,U3,PR1,31/03/2016,E45,CARPL,,,",
    ])
    return read_extract(tmp_path)


def test_periods_of_care(tmp_path):
    table = periods.periods_of_care(_extract(tmp_path).episodes)
    assert table[["CHILD", "period", "episodes"]].values.tolist() == [["X", 1, 3], ["X", 2, 1], ["Y", 1, 2]]
    assert table["last_rec"].fillna("open").tolist() == ["E4A", "open", "E45"]
    assert table["start"].tolist() == [pd.Timestamp("2015-01-01"), pd.Timestamp("2015-09-01"), pd.Timestamp("2010-01-01")]
    assert table["end"].tolist()[0] == pd.Timestamp("2015-06-01") and pd.isna(table["end"].tolist()[1])
    assert table["first_rne"].tolist() == ["S", "S", "P"]


def test_merge_unchanged_joins_episodes_that_change_nothing_relevant(tmp_path):
    merged = periods.merge_unchanged(_extract(tmp_path).episodes, relevant=("PLACE", "PLACE_PROVIDER"))
    x = merged[merged["CHILD"] == "X"]
    assert x["PLACE"].tolist() == ["Q2", "K2", "U6"]
    assert x["episodes"].tolist() == [2, 1, 1]
    assert x["DEC"].tolist()[0] == pd.Timestamp("2015-04-01")
    # Y's Q1 -> U3 is a change of code, so it stays two rows; by group it merges
    grouped = periods.merge_unchanged(periods.with_groups(_extract(tmp_path).episodes), relevant=("sf_group",))
    assert grouped[grouped["CHILD"] == "Y"]["episodes"].tolist() == [2]
    assert grouped[grouped["CHILD"] == "X"]["sf_group"].tolist() == ["F", "R", "F"]


def test_open_on_a_date(tmp_path):
    episodes = _extract(tmp_path).episodes
    on = episodes[periods.open_on(episodes, "2015-06-01")]
    assert on[["CHILD", "PLACE"]].values.tolist() == [["Y", "U3"]]  # X ceased on 01/06/2015
    assert periods.open_on(episodes, "2015-09-01").sum() == 2


def test_days_in_care_within_a_window(tmp_path):
    episodes = _extract(tmp_path).episodes
    days = periods.days_in_care(episodes, "2015-04-01", "2016-04-01")
    assert days.tolist() == [0, 0, 61, 213, 30, 335]


def test_groups_of_each_episode(tmp_path):
    grouped = periods.with_groups(_extract(tmp_path).episodes)
    assert grouped["sf_group"].tolist() == ["F", "F", "R", "F", "F", "F"]
    assert grouped["s251_line"].tolist() == [7, 7, 6, 7, 12, 12]
    assert grouped["sufficiency_group"].tolist()[2] == "residential"
