"""The analysis contract, the page's sentences and tables, and the results files, on worked figures."""

from __future__ import annotations

import pytest

from carebook.cost_benefit import analysis, page
from carebook.cost_benefit.financing import OPTIONS
from carebook.params import load_council


@pytest.fixture(scope="module")
def rotherham_result() -> analysis.Result:
    return analysis.analyse(load_council("rotherham"))


@pytest.fixture(scope="module")
def triborough_result() -> analysis.Result:
    return analysis.analyse(load_council("triborough"))


def test_risk_table_is_long_and_moves_the_shortfall_to_the_investor(rotherham_result):
    risk = rotherham_result.risk.set_index(["option", "party", "case"])["net_gbp"]
    assert list(rotherham_result.risk.columns) == ["option", "party", "case", "net_gbp"]
    budget = risk[(OPTIONS["council"], "Council", "Base case")] - risk[(OPTIONS["council"], "Council", "Outcomes fall short")]
    bond = risk[(OPTIONS["bond"], "Council", "Base case")] - risk[(OPTIONS["bond"], "Council", "Outcomes fall short")]
    # base £11,796,856 against £5,421,650 at a 40% success rate (4/7 of 70%); under the bond £3,808,575
    assert budget == pytest.approx(6_375_206.25)
    assert bond == pytest.approx(3_808_575)
    assert risk[(OPTIONS["bond"], "Investor", "Outcomes fall short")] < 0 < risk[(OPTIONS["bond"], "Investor", "Base case")]
    assert risk[(OPTIONS["bond"], "Life Chances Fund", "Base case")] == pytest.approx(-425_000)  # £85k x 5
    assert rotherham_result.shortfall == {"success_rate": pytest.approx(0.4)}


def test_rotherham_headline_is_reconciled_with_its_year_five_reduction(rotherham_result):
    rec = rotherham_result.reconciliation
    assert rec["paper_gbp"].iloc[0] == 3_721_000  # Appendix 1: estimated cost reduction £3.721m
    assert rec["model_gbp"].iloc[0] == pytest.approx(3_720_450)  # £22,975,000 - £19,254,550
    assert rec["model_gbp"].iloc[1] == pytest.approx(11_796_856.25)
    # the net saving is every year's budget impact added up: -214,875 + 323,750 + 1,793,750 + ...
    impact = rotherham_result.plan.loc["Placement budget: original forecast"] - rotherham_result.plan.loc["Combined budget"]
    assert impact.sum() == pytest.approx(11_796_856.25)


def test_rotherham_appendix_differs_in_four_years_with_a_reason(rotherham_result):
    compared = rotherham_result.source_comparison
    stated = compared[compared["paper_gbp"].notna()]
    differ = stated[stated["difference_gbp"].abs() >= 1]
    assert len(stated) == 89 and len(differ) == 16
    revised = differ[differ["line"] == "OOA Revised Forecast"].set_index("financial_year")["difference_gbp"]
    assert revised.to_dict() == {"2020/21": 7500, "2021/22": 769, "2022/23": 1700, "2023/24": 800}
    assert (differ["reason"] != "").all()
    summary = rotherham_result.source_summary.set_index("line")
    assert summary.loc["Year 5 Forecast of Expenditure", "model_rounded_gbp"] == 19_255_000  # £19,254,550 to £0.001m
    assert summary.loc["Estimated cost reduction", "difference_gbp"] == -1_000


def test_headline_is_the_central_estimate_and_says_when_the_plan_lies_outside_the_range(rotherham_result, triborough_result):
    assert not rotherham_result.central_outside_range
    assert triborough_result.central_outside_range
    text = page.headline_text(triborough_result)
    assert "saves £4,394,846 over 2014/15 to 2019/20 at the central estimate" in text
    assert "the planned case gives £8,452,000. The planned case lies above the 90th percentile" in text


def test_sentences_read_for_every_kind_of_programme(triborough_result):
    assert page.break_even_text(triborough_result).startswith("Savings stated year by year do not depend")
    assert "Rotherham" not in page.plan_text(triborough_result)
    assert page.shortfall_text(triborough_result) == "savings at 30% of the plan"


def test_results_files_hold_the_plan_and_headlines(rotherham_result, tmp_path):
    saved = {}

    class Recorder:
        def save(self, name, obj):
            saved[name] = obj

    page.save_results(Recorder(), rotherham_result)
    plan = saved["cost_benefit_financial_plan"]
    cumulative = plan[(plan["line"] == "Cumulative saving") & (plan["financial_year"] == "2023/24")]["value_gbp"].item()
    assert cumulative == pytest.approx(-3_720_450)
    headlines = saved["cost_benefit_headlines"]
    assert headlines["net_saving_p50_gbp"] == pytest.approx(10_025_127.5, rel=1e-6)
    assert len(saved["cost_benefit_source_plan"]) == 16 * 6


def test_block_contract_has_no_bond_options_and_says_its_prices_are_unsourced():
    result = analysis.analyse(load_council("nottingham"))
    assert set(result.options) == {"council", "nothing"}
    assert "does not apply" in page.financing_text(result)
    assert result.unsourced == ("the spot price of a residential placement", "the block contract's price and occupancy")
    assert result.reconciliation is None and result.source_comparison is None


def test_illustrative_for_a_council_without_a_programme():
    council = load_council("Leeds")
    assert council.cost_benefit is None
    inputs = analysis.load_inputs(council)
    assert inputs.params.illustrative and not inputs.own_programme
    assert "Leeds" in inputs.params.source


def test_analyse_takes_its_inputs(section):
    """A test passes its own inputs: Rotherham's programme with the success rate set to 50%."""
    rotherham = load_council("rotherham")
    params = section("rotherham").model_copy(update={"success_rate": 0.5})
    result = analysis.analyse(rotherham, analysis.Inputs(params=params, own_programme=True))
    assert result.params.success_rate == 0.5
    assert result.headlines["net_saving_gbp"] < 11_796_856


def test_council_file_text_in_the_summary_is_shown_literally():
    """A programme named like markup reaches the executive summary as text, never as HTML."""
    from carebook.cost_benefit import analysis, page as cost_page
    from carebook.params import load_council

    council = load_council("rotherham")
    council = council.model_copy(update={"cost_benefit": council.cost_benefit.model_copy(
        update={"programme": "<script>alert(1)</script> *MST*"})})

    class Recorder:
        def summary(self, answer, decision, certainty, **_):
            self.answer, self.decision = answer, decision

    page = Recorder()
    cost_page.summary_entry(page, analysis.analyse(council))
    assert page.answer.startswith("\\<script\\>alert\\(1\\)\\</script\\> \\*MST\\*: paid from")
    assert "<script>" not in page.answer + page.decision
