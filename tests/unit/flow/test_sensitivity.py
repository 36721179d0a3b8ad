"""Annex 2 sensitivity: each curve runs from no change to the assumed change, the other two
changes held at their base-case projection."""

from __future__ import annotations

import numpy as np
import pytest

from carebook.flow.model import base_rates, project
from carebook.flow.scenarios import scenario_from_params
from carebook.flow.sensitivity import sensitivity_curves, sensitivity_grid
from carebook.params import load_council


@pytest.fixture(scope="module")
def inputs():
    params = load_council("triborough").flow_model
    rates = base_rates(params.base, params.repeat_referral_weight)
    return params.base, rates, scenario_from_params(params)


def test_curves_run_between_the_seed_rates(inputs):
    curves = sensitivity_curves(*inputs, points=5)
    re_referral = curves[curves["change"] == "re_referral"]
    assert re_referral["rate"].iloc[0] == pytest.approx(0.20) and re_referral["rate"].iloc[-1] == pytest.approx(0.10)
    plan = curves[curves["change"] == "plan_to_care"]
    assert plan["rate"].iloc[0] == pytest.approx(0.32) and plan["rate"].iloc[-1] == pytest.approx(0.24)
    direct = curves[curves["change"] == "direct_entry"]
    assert direct["rate"].iloc[-1] / direct["rate"].iloc[0] == pytest.approx(0.9)
    assert set(curves["year"]) == {"2018/19"}


def test_curves_end_at_the_base_case_projection(inputs):
    curves = sensitivity_curves(*inputs, points=5)
    final = project(*inputs).iloc[-1]
    ends = curves.groupby("change")["children"].last()
    assert ends["re_referral"] == pytest.approx(final["referrals"])
    assert ends["direct_entry"] == pytest.approx(final["entries_into_care"])
    assert ends["plan_to_care"] == pytest.approx(final["entries_into_care"])
    # with no re-referral change: referrals stay at the base year's 4,200
    assert curves[curves["change"] == "re_referral"]["children"].iloc[0] == pytest.approx(4200)


def test_curves_fall_as_the_change_grows(inputs):
    curves = sensitivity_curves(*inputs, points=6)
    for _, curve in curves.groupby("change"):
        assert np.all(np.diff(curve["children"].to_numpy()) < 0)


def test_two_way_grid_corners(inputs):
    base, rates, scenario = inputs
    grid = sensitivity_grid(base, rates, scenario, points=3)
    assert len(grid) == 9
    best = grid.loc[grid["entries_into_care"].idxmin()]
    assert best["plan_to_care_rate"] == pytest.approx(0.24)
    assert best["entries_into_care"] == pytest.approx(project(base, rates, scenario)["entries_into_care"].iloc[-1])
    worst = grid.loc[grid["entries_into_care"].idxmax()]
    assert worst["plan_to_care_rate"] == pytest.approx(0.32)
    assert worst["direct_entry_rate"] == pytest.approx(rates.direct_entry_rate)
