"""Every default council's appraisal runs from its file; a council without a programme gets the illustration."""

from __future__ import annotations

import pytest

from carebook.cost_benefit import appraisal, illustrative, uncertainty

SLUGS = ["rotherham", "essex", "warwickshire", "buckinghamshire", "triborough", "nottingham"]


@pytest.mark.parametrize("slug", SLUGS)
def test_council_appraisal(slug, section):
    params = section(slug)
    assert not params.illustrative
    headlines = appraisal.headlines(params)
    scenario = appraisal.run(params)
    assert headlines["gross_savings_gbp"] == pytest.approx(scenario.savings.sum())
    assert headlines["gross_cost_gbp"] == pytest.approx(scenario.costs.sum())
    assert headlines["net_saving_gbp"] == pytest.approx(headlines["gross_savings_gbp"] - headlines["gross_cost_gbp"])
    assert headlines["npv_gbp_2024_prices"] == pytest.approx(appraisal.npv(params))


def test_triborough_headlines_are_the_bids_figures(section):
    headlines = appraisal.headlines(section("triborough"))
    # savings £680k + £1.6m + £2.73m + £4.2m x 2 = £13.41m; costs £1.418m + £3.54m = £4.958m
    assert headlines["gross_savings_gbp"] == pytest.approx(13_410_000)
    assert headlines["gross_cost_gbp"] == pytest.approx(4_958_000)
    assert headlines["net_saving_gbp"] == pytest.approx(8_452_000)


def test_triborough_uses_the_bids_stated_figures(section):
    params = section("triborough")
    scenario = appraisal.run(params)
    assert scenario.costs.sum() == pytest.approx(1_418_000 + 3_540_000)
    assert scenario.savings.sum() == pytest.approx(680_000 + 1_600_000 + 2_730_000 + 4_200_000 * 2)


def test_nottingham_block_of_ten_places_phased_in(section):
    params = section("nottingham")
    scenario = appraisal.run(params)
    full_year = 10 * 2_700 * 52
    assert scenario.costs[1] == pytest.approx(full_year)
    assert scenario.costs[0] < full_year
    # saving of a full year: 9.5 places used at £3,000 spot instead of ten block places at £2,700
    assert scenario.savings[1] - scenario.costs[1] == pytest.approx((9.5 * 3_000 - 10 * 2_700) * 52)


def test_warwickshire_lcf_capped_under_the_hybrid(section):
    scenario = appraisal.run(section("warwickshire"))
    assert scenario.hybrid_bond.lcf.sum() <= 1_491_360 + 1e-6
    assert scenario.bond.lcf.sum() == pytest.approx(1_491_360)


def test_essex_pays_per_care_day_saved(section):
    params = section("essex")
    assert params.outcome_payment_basis == "per_care_day"
    scenario = appraisal.run(params)
    low = appraisal.run(params, success_rate=params.success_rate / 2)
    assert low.bond.outcome_payments.sum() < scenario.bond.outcome_payments.sum()


def test_illustrative_appraisal_from_official_statistics():
    cost = illustrative.residential_cost(["E06000018"], "Nottingham")
    # RO3 2024-25 residential spend £45,226k over 138 children in residential settings at 31 March 2025
    assert cost.spend_gbp == pytest.approx(45_226_000)
    assert cost.children == 138
    params = illustrative.illustrative_params(["E06000018"], "Nottingham")
    assert params.illustrative
    assert params.counterfactual_cost_gbp_a_year == round(45_226_000 / 138)
    assert params.price_year == 2024
    assert uncertainty.summary(uncertainty.monte_carlo(params))["draws"] == 10_000


def test_illustrative_falls_back_to_england_when_missing():
    cost = illustrative.residential_cost(["E08000037"], "Gateshead")  # RO3 cell is '[note 4]'
    assert cost.source.startswith("England")
