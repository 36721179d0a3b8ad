"""No council's programme is a default of another; uncertainty ranges written as factors of the base value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from carebook.cost_benefit import costs, greenbook, illustrative, uncertainty
from carebook.cost_benefit.params import CostBenefitParams, Distribution, parse_section
from carebook.errors import InputError


def test_the_default_programme_is_no_councils():
    """The defaults are neutral: no children, costs or placement budget; the cost of the placement
    avoided is the catalogue's external residential price (£3,000 a week in 2016) x 52."""
    params = CostBenefitParams()
    assert params.cost_lines == [] and params.children_a_year == 0
    assert params.baseline_placement_budget_gbp_a_year is None and params.life_chances_fund.annual_gbp == 0
    assert params.counterfactual_cost_gbp_a_year == 3_000 * 52
    assert costs.total_costs(params).tolist() == [0.0] * 5


def test_the_illustration_reads_rotherhams_lines_from_its_council_file(rotherham):
    lines, source = illustrative.programme_lines()
    assert lines == rotherham.cost_lines
    assert [line.annual_cost_gbp for line in lines] == [570_000, 400_000, 150_000]
    assert source.startswith("Rotherham Cabinet and Commissioners' Decision Making Meeting, 6 August 2018")
    assert source.endswith(": Appendix 1 revenue expenditure; set-up of £66,125 spread over the budget lines 35,625 / 25,000 / 5,500")
    params = illustrative.illustrative_params(["E06000018"], "Nottingham")
    uplift = float(greenbook.to_real(np.array(1.0), 2018, 2024, greenbook.gdp_deflator()))
    first = params.cost_lines[0]
    assert (first.label, first.annual_cost_gbp, first.set_up_gbp) == ("Residential (ITM)", round(570_000 * uplift), round(35_625 * uplift))
    assert (first.start, first.end) == (dt.date(2027, 1, 1), dt.date(2031, 12, 31))
    assert params.sources["cost_lines"].startswith("Rotherham Cabinet")
    # the rest of the design is Rotherham's too: its success rate, capacity and ranges
    assert (params.success_rate, params.children_a_year, params.programme_quarters) == (0.7, 12, 1)
    assert params.uncertainty["counterfactual_cost_gbp_a_year"].low == 0.8


@pytest.mark.parametrize(("slug", "expected"), [
    ("nottingham", (140_400.0, 156_000.0, 176_800.0)),  # £3,000 x 52 x 9/10, 1, 17/15
    ("buckinghamshire", (187_200.0, 205_920.0, 228_800.0)),  # £3,960 x 52 x 10/11, 1, 10/9
    ("essex", (40_000.0, 52_000.0, 70_000.0)),  # £52,000 x 10/13, 1, 35/26
    ("warwickshire", (232_492.0, 244_972.0, 260_000.0)),  # £244,972 x 4,471/4,711, 1, 5,000/4,711
    ("rotherham", (150_000.0, 175_000.0, 220_000.0)),  # £175,000 x 6/7, 1, 44/35
])
def test_relative_ranges_reproduce_the_absolute_figures_exactly(section, slug, expected):
    resolved = uncertainty.distributions(section(slug))["counterfactual_cost_gbp_a_year"]
    assert (resolved.low, resolved.mode, resolved.high) == expected
    assert not resolved.relative


def test_a_higher_spot_price_moves_the_monte_carlo_and_tornado_range(section):
    nottingham = section("nottingham")
    dearer = nottingham.model_copy(update={"block_contract": nottingham.block_contract.model_copy(
        update={"spot_weekly_price_gbp": 3_300})})
    # base £3,300 x 52 = £171,600; low x 9/10 = £154,440; high x 17/15 = £194,480
    resolved = uncertainty.distributions(dearer)["counterfactual_cost_gbp_a_year"]
    assert (resolved.low, resolved.mode, resolved.high) == (154_440.0, 171_600.0, 194_480.0)
    drawn = uncertainty.draws(dearer)["counterfactual_cost_gbp_a_year"]
    assert drawn.min() >= 154_440 and drawn.max() <= 194_480
    # P(draw > £176,800, the old high) = 17,680^2 / (40,040 x 22,880) = 0.341
    assert (drawn > 176_800).mean() == pytest.approx(0.341, abs=0.02)
    tornado = uncertainty.tornado(dearer).set_index("parameter")
    assert tornado.loc["counterfactual_cost_gbp_a_year", ["low_value", "high_value"]].tolist() == [154_440, 194_480]


def test_a_factor_is_an_exact_fraction():
    assert Distribution(kind="uniform", low="2/3", high=1, relative=True).at(90_000).low == 60_000.0
    with pytest.raises(InputError, match="fraction such as 17/15") as raised:
        parse_section({"uncertainty": {"savings_factor": {"kind": "uniform", "low": "1/0", "high": 1}}}, file="x.yml")
    assert raised.value.where.startswith("cost_benefit.uncertainty.savings_factor")


def test_the_illustrative_programme_does_not_depend_on_the_councils_folder(tmp_path, monkeypatch):
    """A run whose councils folder holds no Rotherham file still illustrates with its plan."""
    from carebook.cost_benefit import illustrative

    monkeypatch.setenv("CAREBOOK_COUNCILS_DIR", str(tmp_path))
    lines, source = illustrative.programme_lines()
    assert [line.annual_cost_gbp for line in lines] == [570_000, 400_000, 150_000]
    assert source.startswith("Rotherham Cabinet")
