"""The flow model reproduces the Tri-borough bid's projection table (seed 004), keeps every
child accounted for at each stage, and behaves sensibly when the rates move."""

from __future__ import annotations

import numpy as np
import pytest

from carebook.flow.model import base_rates, project, projection_table, stage_balance
from carebook.flow.params import BaseYearFlows
from carebook.flow.scenarios import Change, Scenario, scenario_from_params
from carebook.params import load_council

#: Seed 004, "Conclusion / outcomes for children": the projection table.
SEED_TABLE = {
    "referrals": [4200, 4200, 3990, 3759, 3736],
    "assessments": [3700, 3700, 3515, 3312, 3291],
    "conferences": [415, 422, 414, 397, 395],
    "plans": [350, 356, 349, 335, 333],
    "entries_into_care": [280, 261, 231, 221, 220],
}
SEED_YEARS = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]


@pytest.fixture(scope="module")
def triborough():
    params = load_council("triborough").flow_model
    rates = base_rates(params.base, params.repeat_referral_weight)
    scenario = scenario_from_params(params)
    return params.base, rates, scenario, project(params.base, rates, scenario)


@pytest.mark.parametrize("stage", list(SEED_TABLE))
def test_every_cell_of_the_seed_projection_table_within_2_percent(triborough, stage):
    projection = triborough[3]
    assert list(projection.index[:5]) == SEED_YEARS
    assert projection[stage].iloc[:5].to_numpy() == pytest.approx(SEED_TABLE[stage], rel=0.02)


def test_the_table_is_reproduced_much_closer_than_the_check(triborough):
    projection = triborough[3]
    for stage, published in SEED_TABLE.items():
        error = np.abs(projection[stage].iloc[:5].to_numpy() / np.array(published) - 1)
        assert error.max() < 0.01, stage


def test_2018_19_reductions_464_fewer_referrals_and_60_fewer_entries(triborough):
    projection = triborough[3].loc[["2014/15", "2018/19"]]
    fewer = projection.iloc[0] - projection.iloc[1]
    assert fewer["referrals"] == pytest.approx(464, rel=0.02)
    assert fewer["entries_into_care"] == pytest.approx(60, rel=0.02)


def test_base_year_matches_the_seed_current_flow(triborough):
    base_year = triborough[3].iloc[0]
    assert base_year["repeat_referrals"] == pytest.approx(840)
    assert base_year["new_referrals"] == pytest.approx(3360)
    assert base_year["direct_entries"] == pytest.approx(168)
    assert base_year["entries_via_plan"] == pytest.approx(112)
    assert triborough[1].plan_to_care_rate == pytest.approx(0.32)
    # direct entry is 4.9% of weighted assessments (the seed's "4.8%"), 4.4% after the change
    assert triborough[1].direct_entry_rate == pytest.approx(0.0486, abs=0.0005)


def test_children_in_equal_children_onward_plus_remaining_at_every_stage(triborough):
    balance = stage_balance(triborough[3])
    assert len(balance) == 5 * len(triborough[3])
    assert (balance["children_in"] - balance["children_onward"] - balance["children_remaining"]).abs().max() < 1e-9
    assert (balance[["children_in", "children_onward", "children_remaining"]] >= 0).all().all()


def test_diverted_children_go_to_conference_not_out_of_the_system(triborough):
    projection = triborough[3]
    # 2015/16: referrals unchanged, so the extra conferences are exactly the children diverted
    assert projection.loc["2015/16", "conferences"] - 415 == pytest.approx(projection.loc["2015/16", "diverted_to_conference"])
    # direct entries fall by 10%, half of it in the first year: 168 x 0.10 x 0.5 = 8.4 children
    assert projection.loc["2015/16", "diverted_to_conference"] == pytest.approx(168 * 0.10 * 0.5)
    assert projection.loc["2015/16", "direct_entries"] == pytest.approx(168 - 8.4)


def test_a_lower_re_referral_rate_never_raises_referrals(triborough):
    base, rates, scenario, _ = triborough
    finals = [project(base, rates, scenario.with_reduction("re_referral", r))["referrals"] for r in np.linspace(0, 1, 11)]
    for higher_rate, lower_rate in zip(finals, finals[1:]):
        assert (lower_rate <= higher_rate + 1e-9).all()


def test_lower_care_entry_rates_never_raise_entries_into_care(triborough):
    base, rates, scenario, _ = triborough
    for change in ("direct_entry", "plan_to_care"):
        entries = [project(base, rates, scenario.with_reduction(change, r))["entries_into_care"].iloc[-1]
                   for r in np.linspace(0, 1, 11)]
        assert np.all(np.diff(entries) <= 1e-9), change


def test_hand_worked_one_year():
    """1,000 referrals (20% repeat), 800 assessments, 100 conferences, 80 plans, 50 entries (20 via a plan).

    Full effect from year 1: re-referrals 20% -> 10%, direct entry -10%, plan to care -25%.
    Year 1: referrals still 1,000 (repeats come from year 0 closures at 20%); weighted
    assessments 800; direct entry rate 30/800 = 3.75% -> 3.375% -> 27 direct, 3 diverted;
    conferences 100 + 3 = 103; plans 0.8 x 103 = 82.4; via a plan 0.25 x 0.75 x 82.4 = 15.45;
    entries 27 + 15.45 = 42.45.
    Year 2: repeats 10% x 1,000 = 100, referrals 900, assessments 720; direct 0.03375 x 720
    = 24.3; diverted 0.00375 x 720 = 2.7; conferences 0.125 x 720 + 2.7 = 92.7; plans 74.16;
    via a plan 0.1875 x 74.16 = 13.905; entries 38.205.
    """
    base = BaseYearFlows(year="2020/21", referrals=1000, repeat_referral_rate=0.2, assessments=800,
                         conferences=100, plans=80, entries_into_care=50, entries_via_plan=20, source="hand")
    full = (1.0, 1.0)
    scenario = Scenario(Change(0.5, full), Change(0.1, full), Change(0.25, full))
    projection = project(base, base_rates(base), scenario)
    assert list(projection.index) == ["2020/21", "2021/22", "2022/23"]
    year1, year2 = projection.iloc[1], projection.iloc[2]
    assert year1[["referrals", "direct_entries", "conferences", "plans", "entries_via_plan", "entries_into_care"]].tolist() == \
        pytest.approx([1000, 27, 103, 82.4, 15.45, 42.45])
    assert year2[["referrals", "assessments", "direct_entries", "diverted_to_conference", "conferences", "plans",
                  "entries_via_plan", "entries_into_care"]].tolist() == \
        pytest.approx([900, 720, 24.3, 2.7, 92.7, 74.16, 13.905, 38.205])


def test_repeat_referral_weight_scales_what_repeat_referrals_bring_downstream():
    """With weight 0.5 the 200 repeat referrals (160 assessments) count as 80 weighted assessments."""
    base = BaseYearFlows(year="2020/21", referrals=1000, repeat_referral_rate=0.2, assessments=800,
                         conferences=72, plans=60, entries_into_care=36, entries_via_plan=0, source="hand")
    rates = base_rates(base, repeat_referral_weight=0.5)
    assert rates.conference_rate == pytest.approx(72 / 720)
    assert rates.direct_entry_rate == pytest.approx(36 / 720)
    no_repeats = Scenario(Change(1.0, (1.0, 1.0)), Change(0.0, (1.0, 1.0)), Change(0.0, (1.0, 1.0)))
    year2 = project(base, rates, no_repeats).iloc[2]
    assert year2["referrals"] == pytest.approx(800)
    assert year2["conferences"] == pytest.approx(72 - 0.1 * 80)  # the 80 weighted repeat assessments are gone


def test_projection_table_is_tidy_with_changes_against_the_base_year(triborough):
    table = projection_table(triborough[3])
    assert list(table.columns) == ["year", "stage", "children", "change_from_base"]
    row = table[(table["year"] == "2018/19") & (table["stage"] == "referrals")].iloc[0]
    assert row["change_from_base"] == pytest.approx(-464, rel=0.02)
