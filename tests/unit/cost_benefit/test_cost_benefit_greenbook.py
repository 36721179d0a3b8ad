"""Green Book discounting, real terms, NPV, BCR, payback and the break-even solver."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebook.cost_benefit import appraisal, greenbook


def test_standard_schedule_from_the_data():
    schedule = greenbook.stpr_schedule("standard")
    assert schedule.iloc[0].tolist() == [0, 30, 0.035]


def test_discount_factors_hand_worked():
    factors = greenbook.discount_factors(33, greenbook.stpr_schedule("standard"))
    assert factors[:3] == pytest.approx([1, 1 / 1.035, 1 / 1.035**2])
    assert factors[30] == pytest.approx(1.035**-30)
    assert factors[31] == pytest.approx(1.035**-30 / 1.03)
    assert factors[32] == pytest.approx(1.035**-30 / 1.03**2)


def test_npv_hand_worked():
    factors = greenbook.discount_factors(3, greenbook.stpr_schedule("standard"))
    # -100 + 60/1.035 + 60/1.035^2 = -100 + 57.9710 + 56.0106 = 13.9817
    assert greenbook.npv(np.array([-100.0, 60.0, 60.0]), factors) == pytest.approx(13.9817, abs=1e-4)


def test_benefit_cost_ratio_hand_worked():
    factors = np.array([1.0, 0.5])
    assert greenbook.benefit_cost_ratio(np.array([0.0, 300.0]), np.array([100.0, 0.0]), factors) == pytest.approx(1.5)


def test_real_terms_with_the_gdp_deflator():
    deflator = greenbook.gdp_deflator()
    assert deflator[2024] == 100
    assert greenbook.to_real(np.array(79.1606), 2018, 2024, deflator) == pytest.approx(100)


def test_deflator_year_outside_the_series_is_an_input_error():
    from carebook.errors import InputError

    with pytest.raises(InputError, match="price_year"):
        greenbook.to_real(np.array(1.0), 1900, 2024, pd.Series({2024: 100.0}))


def test_payback():
    assert greenbook.payback_index(np.array([-100.0, 50.0, 60.0])) == 2
    assert greenbook.payback_index(np.array([10.0, 5.0])) == 0
    assert greenbook.payback_index(np.array([-100.0, 10.0])) is None


def test_optimism_bias():
    assert greenbook.with_optimism_bias(np.array([100.0]), 0.1).tolist() == pytest.approx([110])


def test_switching_value_solver_on_a_line():
    assert greenbook.solve_switching_value(lambda x: 3 * x - 1, 0, 1) == pytest.approx(1 / 3)
    assert greenbook.solve_switching_value(lambda x: x + 1, 0, 1) is None


def test_break_even_success_rate(rotherham):
    rate = appraisal.break_even_success_rate(rotherham)
    assert appraisal.npv(rotherham, success_rate=rate) == pytest.approx(0, abs=1)
    # NPV is linear in the success rate: the root from two points agrees
    at0, at1 = appraisal.npv(rotherham, success_rate=0.0), appraisal.npv(rotherham, success_rate=1.0)
    assert rate == pytest.approx(-at0 / (at1 - at0), abs=1e-9)


def test_switching_values_give_zero_npv(rotherham):
    for row in appraisal.switching_values(rotherham):
        if row["switching_value"] is not None:
            npv = appraisal.npv(rotherham, **{row["parameter"]: row["switching_value"]})
            assert npv == pytest.approx(0, abs=1)


def test_rotherham_headlines(rotherham):
    h = appraisal.headlines(rotherham)
    # five-year net saving: the appendix's budget impacts add up to £11,807,625
    assert h["net_saving_gbp"] == pytest.approx(11_807_625, rel=0.01)
    assert h["payback_year"] == "2019/20"
    assert h["benefit_cost_ratio"] > 1
