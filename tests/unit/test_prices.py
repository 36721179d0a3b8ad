"""One weekly price, one place: changing a council's external residential price in its
``prices:`` section moves the sufficiency gap cost, the cost-benefit spot price and NPV,
and (for the price over all providers) the volume unit cost."""

from __future__ import annotations


import pandas as pd
import pytest

from carebook import params as council_params
from carebook.cost_benefit import appraisal
from carebook.paths import ROOT
from carebook.prices import PricesParams, weekly_price
from carebook.sufficiency import forecast
from carebook.sufficiency.params import SufficiencyParams
from carebook.units import FINANCE_WEEKS_A_YEAR, WEEKS_A_YEAR
from carebook.volume.costs import unit_costs


def _nottingham(tmp_path, monkeypatch, prices_yaml: str):
    folder = tmp_path / "councils"
    folder.mkdir(parents=True)
    text = (ROOT / "data" / "councils" / "nottingham.yml").read_text()
    start, end = text.index("prices:\n"), text.index("\ncost_benefit:\n")
    (folder / "nottingham.yml").write_text(text[:start] + prices_yaml + text[end:])
    monkeypatch.setenv("CAREBOOK_COUNCILS_DIR", str(folder))
    return council_params.load_council("nottingham")


def _gap_cost(prices: PricesParams) -> float:
    """Residential gap at 31 March 2016: 75 children, 26 own places -> 49 bought externally."""
    totals = pd.DataFrame({"date": pd.to_datetime(["2016-03-31"] * 3), "placement_group": ["fostering", "residential", "semi_independence"],
                           "children": [420.0, 75.0, 40.0], "lower": [400.0, 70.0, 35.0], "upper": [440.0, 82.0, 45.0]})
    capacity = pd.Series({"fostering": 190.0, "residential": 26.0, "semi_independence": 18.0})
    local = pd.Series({"fostering": 0.9, "residential": 0.8, "semi_independence": 0.85})
    gap = forecast.placement_gap(totals, SufficiencyParams(), capacity, local, pd.Timestamp("2015-03-31"), prices=prices)
    now = gap[gap["scenario"] == "current"].set_index("placement_group")
    return float(now.loc["residential", "external_cost_gbp_per_year"])


def test_the_national_catalogue_and_the_seed_price():
    assert weekly_price(None, "residential", "external") == 3000
    assert weekly_price(None, "fostering", "in_house") == 400
    assert weekly_price(None, "residential", "all") == 7628


def test_one_price_moves_every_figure_made_from_it(tmp_path, monkeypatch):
    before = _nottingham(tmp_path / "a", monkeypatch, "prices:\n  residential:\n    external: {weekly_gbp: 3000}\n")
    after = _nottingham(tmp_path / "b", monkeypatch, "prices:\n  residential:\n    external: {weekly_gbp: 4000}\n    all: {weekly_gbp: 8000}\n")
    # sufficiency: 49 placements bought at £3,000 and £4,000 a week, 365.25 / 7 weeks a year
    assert _gap_cost(before.prices) == pytest.approx(49 * 3000 * WEEKS_A_YEAR)
    assert _gap_cost(after.prices) == pytest.approx(49 * 4000 * WEEKS_A_YEAR)
    # cost-benefit: the spot price the block contract is compared with, x 52 weeks
    assert appraisal.base_counterfactual_cost(before.cost_benefit) == 3000 * FINANCE_WEEKS_A_YEAR == 156_000
    assert appraisal.base_counterfactual_cost(after.cost_benefit) == 4000 * FINANCE_WEEKS_A_YEAR == 208_000
    # a full year (2016/17) of 9.5 places used: savings rise by 9.5 x £1,000 x 52 = £494,000
    gained = appraisal.run(after.cost_benefit).savings[1] - appraisal.run(before.cost_benefit).savings[1]
    assert gained == pytest.approx(9.5 * 1000 * 52)
    assert appraisal.npv(after.cost_benefit) > appraisal.npv(before.cost_benefit) + 1_000_000
    # volume: the residential unit cost over all providers, where the council's spend is not used
    assert unit_costs(before.volume_sizing, prices=before.prices).set_index("sf_group").loc["R", "weekly_cost_gbp"] == 7628
    assert unit_costs(after.volume_sizing, prices=after.prices).set_index("sf_group").loc["R", "weekly_cost_gbp"] == 8000
