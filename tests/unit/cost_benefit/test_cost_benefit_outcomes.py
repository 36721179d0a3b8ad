"""Outcome payment mechanisms: Buckinghamshire's quality bonus and the Life Chances Fund."""

from __future__ import annotations

import numpy as np
import pytest

from carebook.cost_benefit import outcomes
from carebook.cost_benefit.params import CostBenefitParams, LifeChancesFund


def test_buckinghamshire_weighted_totals(buckinghamshire):
    table = outcomes.quality_table(buckinghamshire.quality_bonus)
    assert table["weighted_total_percent"].tolist() == [72, 70, 77, 80]


def test_buckinghamshire_payment_percentages(buckinghamshire):
    table = outcomes.quality_table(buckinghamshire.quality_bonus)
    assert table["payment_percent"].tolist() == [0, 0, 0, 1]


def test_bonus_thresholds_rule():
    rule = {80.0: 0.01, 90.0: 0.02}
    totals = np.array([0, 72, 79.9, 80, 85, 89.99, 90, 100])
    assert outcomes.bonus_rate(totals, rule).tolist() == [0, 0, 0, 0.01, 0.01, 0.01, 0.02, 0.02]


def test_annual_bonus_is_mean_of_quarters_capped(buckinghamshire):
    assert outcomes.annual_bonus_share(buckinghamshire.quality_bonus) == pytest.approx(0.0025)
    # £3m a year at 0.25% = £7,500 in a full contract year
    assert outcomes.bonus_costs(buckinghamshire)[0] == pytest.approx(7_500)


def test_lag_moves_payments_and_settles_the_rest_in_the_last_year():
    assert outcomes.lag(np.array([1.0, 2.0, 3.0, 4.0]), 1).tolist() == [0, 1, 2, 7]
    assert outcomes.lag(np.array([1.0, 2.0, 3.0]), 0).tolist() == [1, 2, 3]


def test_outcome_price_repays_cost_with_return():
    # £1,000,000 funded, 5% return, 20 successes expected -> £52,500 a success
    assert outcomes.outcome_price(1_000_000, 0.05, 20) == pytest.approx(52_500)


def test_life_chances_fund_cap_of_warwickshire():
    params = CostBenefitParams(plan_years=5, first_financial_year=2019,
                               life_chances_fund=LifeChancesFund(share_of_payments=0.2, cap_gbp=1_491_360))
    payments = np.full(5, 2_000_000.0)  # 20% would be £400k a year, £2m in all
    lcf = outcomes.life_chances_fund(params, payments)
    assert lcf.sum() == pytest.approx(1_491_360)
    assert lcf.tolist() == pytest.approx([400_000, 400_000, 400_000, 291_360, 0])


def test_life_chances_fund_under_the_cap_pays_its_share():
    params = CostBenefitParams(plan_years=3, first_financial_year=2019,
                               life_chances_fund=LifeChancesFund(share_of_payments=0.2, cap_gbp=1_491_360))
    lcf = outcomes.life_chances_fund(params, np.array([100_000.0, 200_000.0, 300_000.0]))
    assert lcf.tolist() == pytest.approx([20_000, 40_000, 60_000])


def test_fixed_grant_waits_for_payments(rotherham):
    payments = np.array([0, 0, 1_000_000, 1_000_000, 1_000_000, 1_000_000.0])
    lcf = outcomes.life_chances_fund(rotherham, payments)
    # £85k a year 2019/20-2023/24; 2019/20's grant is drawn with the first payments in 2020/21
    assert lcf.tolist() == pytest.approx([0, 0, 170_000, 85_000, 85_000, 85_000])
    assert lcf.sum() == pytest.approx(425_000)
