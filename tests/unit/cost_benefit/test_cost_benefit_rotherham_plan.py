"""Rotherham's Appendix 1 (seed 000) reproduced from the council's parameters."""

from __future__ import annotations

import numpy as np
import pytest

from carebook.cost_benefit import plan

YEARS = ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
APPENDIX_COSTS = {
    "Residential (ITM)": [142_500, 570_000, 570_000, 570_000, 570_000, 427_500],
    "MST-FIT service": [100_000, 400_000, 400_000, 400_000, 400_000, 300_000],
    "Other programme costs": [37_500, 150_000, 150_000, 150_000, 150_000, 150_000],
    "Set up cost": [66_125, 0, 0, 0, 0, 0],
    "Gross cost": [346_125, 1_120_000, 1_120_000, 1_120_000, 1_120_000, 877_500],
    "Net cost": [346_125, 1_120_000, 1_120_000, 1_120_000, 1_120_000, 877_500],
    "Placement budget: original forecast": [5_743_750] + [22_975_000] * 5,
    "Budget: Residential (ITM) (with set-up)": [178_125, 570_000, 570_000, 570_000, 570_000, 427_500],
    "Budget: MST-FIT service (with set-up)": [125_000, 400_000, 400_000, 400_000, 400_000, 300_000],
    "Budget: Other programme costs (with set-up)": [43_000, 150_000, 150_000, 150_000, 150_000, 150_000],
}
REVISED = [5_612_500, 21_531_250, 20_053_750, 18_966_250, 18_567_500, 18_376_250]
COMBINED = [5_958_625, 22_651_250, 21_173_750, 20_086_250, 19_687_500, 19_253_750]
IN_YEAR = [214_875, -323_750, -1_477_500, -1_087_500, -398_750, -433_750]  # section 7.5
CUMULATIVE = [-323_750, -1_801_250, -2_888_750, -3_287_500, -3_721_250]


@pytest.fixture(scope="module")
def table(rotherham):
    return plan.financial_plan(rotherham)


def test_years(table):
    assert list(table.columns) == YEARS


@pytest.mark.parametrize("line", list(APPENDIX_COSTS))
def test_cost_lines_to_the_pound(table, line):
    assert table.loc[line].round(0).tolist() == APPENDIX_COSTS[line]


def test_set_up_spread_over_budget_lines(table):
    budget = table.loc[[r for r in table.index if r.startswith("Budget: ") and "with set-up" in r], "2018/19"]
    revenue = table.loc[["Residential (ITM)", "MST-FIT service", "Other programme costs"], "2018/19"]
    assert budget.tolist() == [178_125, 125_000, 43_000]
    assert revenue.tolist() == [142_500, 100_000, 37_500]
    assert budget.sum() - revenue.sum() == table.loc["Set up cost", "2018/19"] == 66_125


def test_revised_forecast_within_one_percent(table):
    np.testing.assert_allclose(table.loc["Placement budget: revised forecast"], REVISED, rtol=0.01)


def test_first_two_years_of_revised_forecast_exact(table):
    assert table.loc["Placement budget: revised forecast", ["2018/19", "2019/20"]].tolist() == REVISED[:2]


def test_combined_budget_within_one_percent(table):
    np.testing.assert_allclose(table.loc["Combined budget"], COMBINED, rtol=0.01)


def test_in_year_saving_profile_of_section_7_5(table):
    np.testing.assert_allclose(table.loc["In-year investment / (saving)"], IN_YEAR, rtol=0.01)
    assert table.loc["In-year investment / (saving)", "2018/19"] == 214_875


def test_cumulative_saving_within_one_percent(table):
    cumulative = table.loc["Cumulative saving"]
    assert np.isnan(cumulative["2018/19"])
    np.testing.assert_allclose(cumulative.iloc[1:], CUMULATIVE, rtol=0.01)
    assert cumulative["2023/24"] == pytest.approx(-3_721_250, rel=0.01)


def test_in_year_adds_up_to_cumulative(table):
    in_year = table.loc["In-year investment / (saving)"].to_numpy()
    np.testing.assert_allclose(np.cumsum(in_year[1:]), table.loc["Cumulative saving"].iloc[1:])


def test_tidy_results_table(table):
    tidy = plan.tidy(table)
    assert list(tidy.columns) == ["line", "financial_year", "value_gbp"]
    assert len(tidy) == table.size
    row = tidy[(tidy["line"] == "Gross cost") & (tidy["financial_year"] == "2018/19")]
    assert row["value_gbp"].item() == 346_125
