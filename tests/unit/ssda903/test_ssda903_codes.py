"""Code lists, their validity by date, and the placement groupings (seed 001 appendix)."""

import pandas as pd

from carebook.ssda903 import codes


def test_placement_table_maps_codes_to_seed_groups_and_s251_lines():
    table = codes.placement_codes().set_index("code")
    assert len(table) == 33
    assert table.loc["Q1", ["sf_group", "s251_line"]].tolist() == ["F", 12]  # family and friends
    assert table.loc["Q2", ["sf_group", "s251_line"]].tolist() == ["F", 7]
    assert table.loc["U3", "s251_line"] == 12 and table.loc["U6", "s251_line"] == 7
    assert table.loc[["A3", "A4", "A5", "A6"], "s251_line"].tolist() == [8, 8, 8, 8]
    assert table.loc[["K1", "K2", "R1", "S1"], "sf_group"].tolist() == ["R"] * 4
    assert table.loc[["K1", "K2", "R1", "S1"], "s251_line"].tolist() == [6] * 4
    assert table.loc["H5", ["sf_group", "s251_line", "sufficiency_group"]].tolist() == ["R", 10, "semi_independence"]
    assert table.loc[["P2", "P3", "R2", "R3", "R5", "Z1"], "sf_group"].tolist() == ["I"] * 6
    assert table.loc[["P1", "T0", "T4"], "sf_group"].tolist() == ["U"] * 3
    assert pd.isna(table.loc["P1", "s251_line"])
    assert sorted(table["sufficiency_group"].unique()) == ["fostering", "other", "residential", "semi_independence"]


def test_code_lists_change_over_the_years():
    before, after = codes.codes_valid_on("PLACE", "2015-03-31"), codes.codes_valid_on("PLACE", "2015-04-01")
    assert {"Q1", "Q2"} <= set(before) and not {"U1", "U6"} & set(before)
    assert {"U1", "U2", "U3", "U4", "U5", "U6"} <= set(after) and not {"Q1", "Q2"} & set(after)
    assert "P2" in codes.codes_valid_on("PLACE", "2023-10-27")
    assert "P2" not in codes.codes_valid_on("PLACE", "2023-10-28")
    assert "K3" in codes.codes_valid_on("PLACE", "2023-10-28")
    assert "K3" not in codes.codes_valid_on("PLACE", "2023-04-01")
    assert "H5" in codes.codes_valid_on("PLACE", "2025-03-31")
    assert "H5" not in codes.codes_valid_on("PLACE", "2025-04-01")


def test_validity_checked_row_by_row():
    place = pd.Series(["Q2", "Q2", "U6", "K3", "XX", None])
    when = pd.Series(pd.to_datetime(["2015-03-31", "2015-04-01", "2015-04-01", "2023-01-01", "2020-01-01",
                                     "2020-01-01"]))
    assert codes.is_valid_on("PLACE", place, when).tolist() == [True, False, True, False, False, False]
    assert codes.is_known_code("PLACE", place).tolist() == [True, True, True, True, False, False]


def test_collection_year_ends_on_31_march():
    days = pd.Series(pd.to_datetime(["2015-03-31", "2015-04-01", "2014-06-15"]))
    assert codes.collection_year(days).tolist() == [2015, 2016, 2015]
    assert codes.year_span(2015) == (pd.Timestamp("2014-04-01"), pd.Timestamp("2015-03-31"))
    assert codes.year_label(2015) == "2015"
