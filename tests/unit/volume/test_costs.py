"""Unit costs: official spend / placement days (the seed's 903 x 251 mapping), the
national default weekly costs recomputed from their sources, and council spend lines."""

from __future__ import annotations

import pandas as pd
import pytest

from carebook import public
from carebook.params import load_council
from carebook.volume.care_days import care_intervals, placement_days
from carebook.volume.costs import (
    children_looked_after,
    council_unit_costs,
    latest_spend_year,
    official_spend,
    spend_per_child_check,
    unit_costs,
    weekly_costs_gbp,
)
from volume_cases import OBSERVED_TO


def test_unit_costs_from_spend_and_days(params, prices):
    """Residential £365,000 over 365 days = £7,000 a week; fostering £0 spend keeps the parameter."""
    spend = pd.Series({"R": 365_000.0, "F": 0.0, "total": 1e6})
    days = pd.Series({"R": 365, "F": 100, "I": 0})
    table = unit_costs(params, spend, days, "2024-25", prices=prices).set_index("sf_group")
    assert table.loc["R", "weekly_cost_gbp"] == pytest.approx(7_000, abs=1e-9)
    assert table.loc["R", "basis"] == "official spend / placement days"
    assert table.loc["F", "weekly_cost_gbp"] == 700
    assert table.loc["F", "basis"] == "parameter"
    implausible = unit_costs(params, pd.Series({"R": 36_500.0}), pd.Series({"R": 365}), "2024-25", prices=prices).set_index("sf_group")
    assert implausible.loc["R", "weekly_cost_gbp"] == 7000  # £700 a week is under a third of £7,000
    assert implausible.loc["R", "basis"] == (
        "parameter (official spend / placement days gave £700 a week, outside a third to three times the national figure)"
    )
    only_parameters = unit_costs(params.model_copy(update={"unit_cost_basis": "parameters"}), spend, days, "2024-25",
                                 prices=prices)
    assert only_parameters.set_index("sf_group").loc["R", "weekly_cost_gbp"] == 7000


def test_placement_days_in_a_year(episodes):
    """2019-20 (01/04/2019-31/03/2020): A none; B 153 F; C 2 F; E 61 F; F 30 F; G 29 I."""
    days = placement_days(care_intervals(episodes, OBSERVED_TO), pd.Timestamp("2019-04-01"), pd.Timestamp("2020-04-01"))
    assert days.to_dict() == {"F": 153 + 2 + 61 + 30, "A": 0, "R": 0, "I": 29, "U": 0}


def test_latest_spend_year_inside_the_data():
    assert latest_spend_year(pd.Timestamp("2008-04-01"), pd.Timestamp("2025-03-31")) == "2024-25"
    assert latest_spend_year(pd.Timestamp("2008-04-01"), pd.Timestamp("2024-03-31")) == "2023-24"
    assert latest_spend_year(pd.Timestamp("2008-04-01"), pd.Timestamp("2016-03-31")) == "2013-14"
    assert latest_spend_year(pd.Timestamp("2015-04-01"), pd.Timestamp("2020-03-31")) is None


def test_default_weekly_costs_follow_from_their_sources():
    """RO3 2024-25 England spend / (DfE children at 31 March 2025 x 365) x 7, to the nearest £."""
    ro3 = public.read("derived/ro3_2024_25_children_looked_after_expenditure_by_la_gbp_thousands.csv")
    england = ro3[ro3["ONS Code"] == "E92000001"].iloc[0]
    column = "Children's social care - Children Looked After of which {} - Total Expenditure (C3 = C1 + C2)"
    cla = public.read("derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv", numeric=["number"])
    national = cla[(cla["geographic_level"] == "National") & (cla["time_period"] == "2025") & (cla["cla_group"] == "Placement")]
    children = national.set_index("characteristic")["number"]
    residential = children["Secure homes and children's homes"] + children["Residential schools"]
    defaults = weekly_costs_gbp()
    assert round(float(england[column.format("residential care")]) * 1000 / (residential * 365) * 7) == defaults["R"]
    assert round(float(england[column.format("fostering services")]) * 1000 / (children["Foster placements"] * 365) * 7) == defaults["F"]


def test_official_spend_lines_of_a_council():
    nottingham = official_spend(load_council("nottingham"), "2024-25")
    assert nottingham.to_dict() == pytest.approx({"R": 45_226_000, "F": 17_938_000, "total": 90_750_000})
    rotherham = official_spend(load_council("rotherham"), "2013-14")
    assert rotherham.to_dict() == pytest.approx(
        {"R": 8_253_753, "F": 8_747_590 + 167_000, "A": 2_432_794, "I": 87_805, "total": 22_578_704}
    )


def test_spend_per_child_check(episodes):
    council = load_council("nottingham")
    spend = pd.Series({"total": 90_750_000.0})
    intervals = care_intervals(episodes, OBSERVED_TO)
    check = spend_per_child_check(council, "2024-25", spend, intervals).set_index("measure")["value_gbp"]
    cla = public.read("dfe/cla_number_and_rate_per_10k_children.csv", numeric=["children_count"])
    at_31_march = cla[
        (cla["time_period"] == "2025") & (cla["new_la_code"] == "E06000018")
        & (cla["population_type"] == "Children looked after on 31 March each year")
        & (cla["geographic_level"] == "Local authority")
    ]["children_count"].iloc[0]  # fmt: skip
    assert check.iloc[0] == pytest.approx(90_750_000 / at_31_march)
    assert pd.isna(check.iloc[1])  # the fixture has no care in 2024-25


def whole_year_in_care(residential: int, fostering: int) -> pd.DataFrame:
    """Intervals of children each in one placement group through 2024-25."""
    groups = ["R"] * residential + ["F"] * fostering
    return pd.DataFrame(
        {
            "CHILD": [f"X{i}" for i in range(len(groups))],
            "start": pd.Timestamp("2024-04-01"),
            "end": pd.Timestamp("2025-04-01"),
            "sf_group": groups,
        }
    )


def test_council_unit_costs_use_spend_only_at_the_council_scale():
    """Nottingham 2024-25: residential spend £45,226,000, fostering £17,938,000. With 124
    children in residential care and the rest of its children looked after at 31 March in
    foster care all year, weekly costs are spend / (children x 365) x 7; with 10 children
    the data are not its scale."""
    council = load_council("nottingham")
    published = int(children_looked_after(council, "2024-25"))
    assert published > 124
    start, end = pd.Timestamp("2015-04-01"), pd.Timestamp("2025-03-31")
    table, year, basis = council_unit_costs(council, whole_year_in_care(124, published - 124), start, end)
    assert year == "2024-25"
    costs = table.set_index("sf_group")
    assert costs.loc["R", "weekly_cost_gbp"] == pytest.approx(45_226_000 / (124 * 365) * 7)
    assert costs.loc["F", "weekly_cost_gbp"] == pytest.approx(17_938_000 / ((published - 124) * 365) * 7)
    assert costs.loc["I", "basis"] == "parameter"  # no spend line used for other placements
    table, year, basis = council_unit_costs(council, whole_year_in_care(10, 0), start, end)
    assert year is None and "10 child-years" in basis
    assert table.set_index("sf_group").loc["R", "weekly_cost_gbp"] == weekly_costs_gbp(council.prices)["R"] == 7628
