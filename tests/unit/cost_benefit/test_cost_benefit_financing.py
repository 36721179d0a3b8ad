"""Financing options' cash flows against hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest

from carebook.cost_benefit import appraisal, financing
from carebook.cost_benefit.params import CostBenefitParams, LifeChancesFund

SAVINGS = np.array([50.0, 300.0])
COSTS = np.array([100.0, 100.0])
BASE_UNITS = np.array([0.0, 10.0])


@pytest.fixture()
def simple() -> CostBenefitParams:
    return CostBenefitParams(plan_years=2, first_financial_year=2019, payment_lag_years=0,
                             life_chances_fund=LifeChancesFund())


def test_council_budget(simple):
    assert financing.council_budget(SAVINGS, COSTS).tolist() == [-50, 200]


def test_bond_pays_for_outcomes_with_the_investor_return(simple):
    flows = financing.bond_flows(simple, COSTS, BASE_UNITS, BASE_UNITS, 0.05)
    assert flows.outcome_payments.tolist() == pytest.approx([0, 210])  # £200 x 1.05
    assert financing.simple_return(flows) == pytest.approx(0.05)
    assert financing.social_impact_bond(SAVINGS, flows).tolist() == pytest.approx([50, 90])
    assert flows.investor_net.tolist() == pytest.approx([-100, 110])


def test_investor_bears_the_shortfall(simple):
    half = financing.bond_flows(simple, COSTS, BASE_UNITS / 2, BASE_UNITS, 0.05)
    assert half.outcome_payments.sum() == pytest.approx(105)
    assert half.investor_net.sum() == pytest.approx(-95)
    none = financing.bond_flows(simple, COSTS, BASE_UNITS * 0, BASE_UNITS, 0.05)
    assert none.council_payments.sum() == 0
    assert none.investor_net.sum() == pytest.approx(-200)


def test_life_chances_fund_share_reduces_council_payments():
    params = CostBenefitParams(plan_years=2, first_financial_year=2019, payment_lag_years=0,
                               life_chances_fund=LifeChancesFund(share_of_payments=0.2))
    flows = financing.bond_flows(params, COSTS, BASE_UNITS, BASE_UNITS, 0.05)
    assert flows.lcf.tolist() == pytest.approx([0, 42])
    assert flows.council_payments.tolist() == pytest.approx([0, 168])


def test_hybrid(simple):
    bond_part = np.array([60.0, 60.0])
    flows = financing.bond_flows(simple, bond_part, BASE_UNITS, BASE_UNITS, 0.05)
    assert flows.outcome_payments.sum() == pytest.approx(126)  # £120 x 1.05
    net = financing.hybrid(SAVINGS, COSTS - bond_part, flows)
    assert net.tolist() == pytest.approx([50 - 40, 300 - 40 - 126])


def test_do_nothing():
    assert financing.do_nothing(3).tolist() == [0, 0, 0]


def test_internal_rate_of_return():
    assert financing.internal_rate_of_return(np.array([-100.0, 110.0])) == pytest.approx(0.10)
    assert financing.internal_rate_of_return(np.array([-100.0, 0.0, 121.0])) == pytest.approx(0.10)


def test_rotherham_bond_return_and_options(rotherham):
    scenario = appraisal.run(rotherham)
    assert financing.simple_return(scenario.bond) == pytest.approx(0.05)
    assert scenario.bond.outcome_payments.sum() == pytest.approx(5_703_625 * 1.05)
    assert scenario.bond.lcf.sum() == pytest.approx(425_000)
    options = scenario.options()
    # para 4.7: option 2 is marginally better than option 1
    assert options["council"].sum() < options["bond"].sum() < options["council"].sum() * 1.05
    assert options["nothing"].sum() == 0


def test_rotherham_bond_at_lower_success_moves_the_loss_to_the_investor(rotherham):
    low = appraisal.run(rotherham, success_rate=0.35)
    assert financing.simple_return(low.bond) == pytest.approx(0.5 * 1.05 - 1)
    base = appraisal.run(rotherham)
    council_loss_bond = base.options()["bond"].sum() - low.options()["bond"].sum()
    council_loss_budget = base.options()["council"].sum() - low.options()["council"].sum()
    assert council_loss_bond < council_loss_budget


def test_peak_capital(simple):
    flows = financing.bond_flows(simple, COSTS, BASE_UNITS, BASE_UNITS, 0.05)
    # outlay 100 then 100, payments 0 then 210: outstanding 100, then -10
    assert financing.peak_capital(flows) == pytest.approx(100)
