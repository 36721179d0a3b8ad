"""The official-statistics sufficiency analysis against figures read by hand from the CSVs.

Figures quoted in comments are the published cells (CAREBOOK_PUBLIC_DATA files).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from carebook.errors import InputError
from carebook.params import load_council
from carebook.sufficiency import areas, official, official_tables
from carebook.sufficiency.params import SufficiencyParams


@pytest.fixture(scope="module")
def tables() -> official.OfficialTables:
    return official.read_tables()


def run(slug: str, tables: official.OfficialTables) -> official.OfficialSufficiency:
    council = load_council(slug)
    return official.analyse(
        council.name, council.codes, council.old_codes, council.region_code, council.region_name,
        council.sufficiency, tables,
    )


@pytest.fixture(scope="module")
def nottingham(tables) -> official.OfficialSufficiency:
    return run("nottingham", tables)


@pytest.fixture(scope="module")
def triborough(tables) -> official.OfficialSufficiency:
    return run("triborough", tables)


def one(frame: pd.DataFrame, **where) -> pd.Series:
    """The single row matching ``where``."""
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows.iloc[0]


# --- children looked after and rates -----------------------------------------------------


def test_nottingham_children_looked_after_2025(nottingham):
    # cla_number_and_rate_per_10k_children.csv: Nottingham 2025, 639 children, 68,714
    # aged 0-17, published rate 93.
    row = one(nottingham.rates, area_type="council", time_period="2025")
    assert row["children_count"] == 639
    assert row["population"] == 68_714
    assert row["rate_per_10000"] == pytest.approx(639 / 68_714 * 10_000)
    assert round(row["rate_per_10000"]) == 93


def test_england_and_region_comparators(nottingham):
    england = one(nottingham.rates, area_type="england", time_period="2025")
    assert england["children_count"] == 81_770
    assert round(england["rate_per_10000"]) == 67  # published 67
    region = one(nottingham.rates, area_type="region", time_period="2025")
    assert region["area"] == "East Midlands"


def test_triborough_sums_members_and_recomputes_the_rate(triborough):
    # Hammersmith and Fulham 197 / 31,955; Kensington and Chelsea 106 / 22,555;
    # Westminster 186 / 29,834 (published rates 62, 47, 62).
    row = one(triborough.rates, area_type="council", time_period="2025")
    assert row["children_count"] == 197 + 106 + 186
    assert row["population"] == 31_955 + 22_555 + 29_834
    assert row["rate_per_10000"] == pytest.approx(489 / 84_344 * 10_000)
    assert round(row["rate_per_10000"], 1) == 58.0
    assert round(row["rate_per_10000"], 1) != round((62 + 47 + 62) / 3, 1)  # never an average of rates
    assert row["n_areas"] == 3


def test_trend_covers_2021_to_2025(nottingham):
    council = nottingham.rates[nottingham.rates["area_type"] == "council"]
    assert list(council["time_period"]) == ["2021", "2022", "2023", "2024", "2025"]
    # 2021: 684 children looked after, published rate 102.
    assert round(one(council, time_period="2021")["rate_per_10000"]) == 102


def test_missing_years_stay_missing_not_zero(tables):
    # Cumberland was created in 2023: its 2021-2023 cells are "z" (not applicable).
    result = run("E06000063", tables)
    council = result.rates[result.rates["area_type"] == "council"].set_index("time_period")
    assert council.loc[["2021", "2022", "2023"], "children_count"].isna().all()
    assert council.loc["2025", "children_count"] == 458
    listed = result.suppressed[result.suppressed["table"] == official_tables.CLA_FILE]
    assert set(listed["code"]) == {"x", "z"}


# --- statistical neighbours --------------------------------------------------------------


def test_nottingham_statistical_neighbours(tables):
    # sn_model_2025_wide.csv, row 892: SN_1..SN_10.
    assert areas.statistical_neighbours(tables.neighbour_model, ["892"]) == [
        "330", "352", "391", "806", "380", "333", "852", "353", "373", "355",
    ]


def test_group_neighbours_are_the_union_without_members(tables, triborough):
    neighbours = areas.statistical_neighbours(tables.neighbour_model, ["205", "207", "213"])
    assert set(neighbours) == {"208", "209", "210", "212", "202", "302", "309", "306", "206", "203", "352", "204"}
    assert len(neighbours) == len(set(neighbours))
    assert not {"205", "207", "213"} & set(neighbours)
    assert len(triborough.areas.neighbour_codes) == 12
    assert "Manchester" in set(triborough.neighbour_rates["area"])  # 352 is Westminster's 8th


def test_unknown_council_code_is_a_clear_error(tables):
    with pytest.raises(InputError, match="statistical neighbour model"):
        areas.statistical_neighbours(tables.neighbour_model, ["999"])


def test_neighbour_rates_list_each_neighbour(nottingham):
    rates = nottingham.neighbour_rates.set_index("area")
    assert len(rates) == 11
    # Middlesbrough 2025: 493 children, rate 138 per 10,000 (published).
    assert round(rates.loc["Middlesbrough", "rate_per_10000"]) == 138
    assert rates.loc["Nottingham", "area_type"] == "council"


# --- placements ---------------------------------------------------------------------------


def test_placement_mix_nottingham(nottingham):
    # 2025: 392 of 639 in foster placements; 132 in secure homes and children's homes.
    mix = nottingham.placements
    foster = one(mix, area_type="council", time_period="2025", placement_type="Foster placements")
    assert (foster["number"], foster["total"]) == (392, 639)
    assert foster["share"] == pytest.approx(392 / 639)
    homes = one(mix, area_type="council", time_period="2025", placement_type="Secure homes and children's homes")
    assert homes["number"] == 132


def test_group_placement_mix_sums_and_keeps_suppression(triborough):
    mix = triborough.placements
    foster = one(mix, area_type="council", time_period="2025", placement_type="Foster placements")
    assert foster["number"] == 140 + 61 + 115
    assert foster["share"] == pytest.approx(316 / 489)
    # "Placed for adoption" is "c" for all three members: missing, never 0.
    adoption = one(mix, area_type="council", time_period="2025", placement_type="Placed for adoption")
    assert math.isnan(adoption["number"]) and math.isnan(adoption["share"])


def test_suppressed_provider_cell_is_missing_and_reported(nottingham):
    # Nottingham 2025 "Other LA provision" is "c".
    other_la = one(nottingham.providers, area_type="council", time_period="2025", provider="Other LA provision")
    assert math.isnan(other_la["number"])
    reported = nottingham.suppressed
    match = reported[
        (reported["time_period"] == "2025")
        & (reported["item"] == "Place providers: Other LA provision")
        & (reported["column"] == "number")
    ]
    assert list(match["code"]) == ["c"]
    assert list(match["meaning"]) == ["confidential (a small number)"]


def test_in_house_and_external(nottingham):
    # 639 children: own provision 215, with parents 29, provider not reported 7, so
    # external (private 358, voluntary 22, other LA and other public "c") = 388.
    split = nottingham.in_house
    in_house = one(split, area_type="council", time_period="2025", provider_group="in-house")
    external = one(split, area_type="council", time_period="2025", provider_group="external")
    assert in_house["number"] == 215 and in_house["share"] == pytest.approx(215 / 639)
    assert external["number"] == 639 - 215 - 29 - 7
    assert external["number"] >= 358 + 22


def test_distance_and_boundary(nottingham):
    # 2025: 463 of 639 within 20 miles, 139 over; 393 outside the council boundary.
    distance = nottingham.distance
    within = one(distance, area_type="council", time_period="2025", measure="within 20 miles")
    assert within["share"] == pytest.approx(463 / 639)
    assert one(distance, area_type="council", time_period="2025", measure="over 20 miles")["number"] == 139
    outside = one(distance, area_type="council", time_period="2025", measure="outside the council boundary")
    assert outside["share"] == pytest.approx(393 / 639)
    england = one(distance, area_type="england", time_period="2025", measure="within 20 miles")
    assert england["share"] == pytest.approx(56_670 / 81_770)


def test_targets_against_nottingham_parameters(nottingham):
    targets = nottingham.targets.set_index("measure")
    overall = targets.loc["All children placed within 20 miles of home"]
    assert overall["target_share"] == 0.85
    assert overall["council_share"] == pytest.approx(463 / 639)
    assert not overall["meets_target"]
    foster = targets.loc["Foster placements within 20 miles of home"]
    assert foster["target_share"] == 0.90
    assert pd.isna(foster["council_share"]) and pd.isna(foster["meets_target"])  # not published by LA
    # England 2024 national cross-tabulation: 42,810 of 56,390 foster placements within 20 miles.
    assert foster["england_share"] == pytest.approx(42_810 / 56_390)
    in_house = targets.loc["Foster placements with the council's own carers"]
    assert in_house["england_share"] == pytest.approx((24_380 + 9_200) / 56_390)


def test_no_targets_by_default(triborough):
    assert triborough.targets["target_share"].isna().all()
    assert triborough.targets["meets_target"].isna().all()


def test_target_outside_0_1_is_rejected():
    with pytest.raises(ValueError, match="less than or equal to 1"):
        SufficiencyParams(target_all_within_20_miles=1.7)


def test_new_placements_by_location(nottingham):
    # 2025: 610 new placements; 136 outside the boundary more than 20 miles from home;
    # inside the boundary more than 20 miles is "c".
    new = nottingham.new_placements
    far = one(new, area_type="council", time_period="2025", location="Placed outside LA boundary more than 20 miles from home")
    assert (far["number"], far["total"]) == (136, 610)
    hidden = one(new, area_type="council", time_period="2025", location="Placed inside LA boundary more than 20 miles from home")
    assert math.isnan(hidden["share"])


def test_placement_stability(nottingham, triborough):
    # Nottingham 2025: 67 of 639 had 3+ placements; 153 of 229 same carer for 2 years.
    stability = nottingham.stability
    assert one(stability, area_type="council", time_period="2025", measure="3 or more placements in the year")[
        "share"
    ] == pytest.approx(67 / 639)
    assert one(
        stability, area_type="council", time_period="2025", measure="same carer for 2 years (in care 2.5 years, under 16)"
    )["share"] == pytest.approx(153 / 229)
    group = one(triborough.stability, area_type="council", time_period="2025", measure="3 or more placements in the year")
    assert group["share"] == pytest.approx((20 + 19 + 18) / 489)


# --- spend --------------------------------------------------------------------------------


def test_spend_per_child(nottingham):
    # RO3 2024-25: Nottingham net current expenditure on children looked after £88,628k,
    # 639 children looked after at 31 March 2025; England £8,434,512k for 81,770.
    spend = nottingham.spend
    council = one(spend, area_type="council", time_period="2025")
    assert council["spend_per_child_gbp"] == pytest.approx(88_628_000 / 639)
    england = one(spend, area_type="england", time_period="2025")
    assert england["spend_per_child_gbp"] == pytest.approx(8_434_512.29579 * 1_000 / 81_770)


def test_group_spend_sums_members(triborough):
    # RO3 2024-25: Hammersmith & Fulham 23,791; Kensington & Chelsea 23,231; Westminster 20,232.79 (£k).
    council = one(triborough.spend, area_type="council", time_period="2025")
    assert council["spend_gbp"] == pytest.approx((23_791 + 23_231 + 20_232.79) * 1_000)
    assert council["spend_per_child_gbp"] == pytest.approx((23_791 + 23_231 + 20_232.79) * 1_000 / 489)


def test_suppressed_and_not_credible_spend_are_missing(nottingham):
    per_child = nottingham.neighbour_spend.set_index("area")["spend_per_child_gbp"]
    assert math.isnan(per_child["Birmingham"])  # "[x]" in RO3 2024-25
    assert math.isnan(per_child["Sandwell"])  # -£20k net: a children's trust paid elsewhere


# --- the narrative helpers and results ------------------------------------------------------


def test_compare_words():
    assert official.compare(93.0, 67.1) == "higher than"
    assert official.compare(58.0, 67.1) == "lower than"
    assert official.compare(float("nan"), 67.1) == "not comparable with"


def test_results_are_tidy(nottingham):
    results = nottingham.results()
    assert set(results) >= {"sufficiency_cla_rates", "sufficiency_distance", "sufficiency_spend", "sufficiency_suppressed"}
    for name, frame in results.items():
        assert all(column == column.lower() and " " not in column for column in frame.columns), name


def test_group_with_a_suppressed_member_is_missing_not_a_partial_sum(tables):
    # City of London 2025: children looked after "c" (population 847); Westminster 186.
    result = official.analyse(
        "City and Westminster", ["E09000001", "E09000033"], ["201", "213"], "E13000001", "Inner London",
        SufficiencyParams(), tables,
    )
    council = result.rates[result.rates["area_type"] == "council"].set_index("time_period")
    assert math.isnan(council.loc["2025", "children_count"]) and math.isnan(council.loc["2025", "rate_per_10000"])
    assert council.loc["2025", "population"] == 847 + 29_834
    assert council.loc["2024", "children_count"] == one(
        tables.cla, time_period="2024", new_la_code="E09000001", population_type=areas.CLA_AT_31_MARCH
    )["children_count"] + 174
    listed = result.suppressed[(result.suppressed["table"] == official_tables.CLA_FILE) & (result.suppressed["time_period"] == "2025")]
    assert set(zip(listed["la_name"], listed["column"], listed["code"])) == {
        ("City of London", "children_count", "c"),
        ("City of London", "rate_per_10000", "c"),
    }
