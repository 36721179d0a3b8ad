"""The page's tables and results files."""

from __future__ import annotations

import pytest

from carebook.cost_benefit import report
from carebook.cost_benefit.financing import OPTIONS
from carebook.params import load_council


@pytest.fixture(scope="module")
def rotherham_result():
    return report.compute(load_council("rotherham"))


def test_risk_table_moves_the_shortfall_to_the_investor(rotherham_result):
    risk = rotherham_result.risk.set_index("option")
    budget, bond = risk.loc[OPTIONS["council"]], risk.loc[OPTIONS["bond"]]
    assert bond["council_loss_gbp"] < budget["council_loss_gbp"]
    assert bond["investor_shortfall_gbp"] < 0 < bond["investor_base_gbp"]
    assert risk.loc[OPTIONS["nothing"]].drop("option", errors="ignore").abs().sum() == 0


def test_results_files_hold_the_plan_and_headlines(rotherham_result):
    saved = {}
    report.save_results(rotherham_result, lambda name, obj: saved.__setitem__(name, obj))
    plan = saved["cost_benefit_financial_plan"]
    cumulative = plan[(plan["line"] == "Cumulative saving") & (plan["financial_year"] == "2023/24")]["value_gbp"].item()
    assert cumulative == pytest.approx(-3_721_250, rel=0.01)
    headlines = saved["cost_benefit_headlines"]
    for key in ("net_saving_gbp", "npv_gbp_2024_prices", "payback_year", "break_even_success_rate", "probability_of_saving"):
        assert key in headlines


def test_block_contract_has_no_bond_options():
    result = report.compute(load_council("nottingham"))
    assert set(result.options) == {"council", "nothing"}
    assert "does not apply" in report.financing_text(result)


def test_illustrative_for_a_council_without_a_programme():
    council = load_council("Leeds")
    assert council.cost_benefit is None
    params = report.params_for(council)
    assert params.illustrative
    assert "Leeds" in params.source
