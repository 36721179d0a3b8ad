"""Placement demand forecast: measured rates, steady state, entry lever, capacity gap, timing."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from sufficiency_903_fixture import EPISODES, HEADER

from carebook.sufficiency import forecast
from carebook.sufficiency.params import SufficiencyParams

GROUP_CODES = {"fostering": ("U4", "PR1"), "residential": ("K2", "PR4"), "semi_independence": ("H5", "PR4"),
               "other": ("P1", "PR0")}


def steady_population(entries_per_year: float, seed: int = 1, first_year: int = 2000,
                      end: str = "2020-03-31") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A council in steady state: children arrive at a constant rate aged 0-17 (uniform), stay
    an exponential time (mean 2 years, never past 18) in one placement of a fixed mix."""
    rng = np.random.default_rng(seed)
    first, last = pd.Timestamp(f"{first_year}-04-01"), pd.Timestamp(end)
    days = (last - first).days
    n = rng.poisson(entries_per_year * days / 365.25)
    decom = first + pd.to_timedelta(np.sort(rng.integers(0, days, n)), unit="D")
    dob = decom - pd.to_timedelta(rng.integers(0, 18 * 365, n), unit="D")
    leaves = decom + pd.to_timedelta(rng.exponential(2 * 365.25, n).astype(int) + 1, unit="D")
    leaves = leaves.where(leaves < dob + pd.DateOffset(years=18), dob + pd.DateOffset(years=18))
    group = rng.choice(list(GROUP_CODES), size=n, p=[0.7, 0.12, 0.08, 0.1])
    child = pd.Series(np.arange(n)).astype("string")
    episodes = pd.DataFrame({
        "CHILD": child, "DECOM": decom, "RNE": "S", "LS": "C2",
        "PLACE": pd.Series(group).map({k: v[0] for k, v in GROUP_CODES.items()}),
        "PLACE_PROVIDER": pd.Series(group).map({k: v[1] for k, v in GROUP_CODES.items()}),
        "DEC": pd.Series(leaves).where(leaves <= last),
    })
    header = pd.DataFrame({"CHILD": child, "SEX": rng.choice(["1", "2"], n), "DOB": dob})
    return episodes, header


@pytest.fixture(scope="module")
def steady() -> forecast.FlowRates:
    episodes, header = steady_population(300)
    return forecast.measure_rates(episodes, header, "2017-04-01", "2020-03-31")


def test_rates_measured_by_hand_on_the_fixture():
    rates = forecast.measure_rates(EPISODES, HEADER, "2015-01-01", "2015-03-31")
    counts = rates.transition_counts
    assert rates.months == 2 and rates.start == pd.Timestamp("2015-03-31")
    assert counts.to_numpy().sum() == 20  # 10 children at 31 Jan and at 28 Feb, each seen a month later
    assert counts.loc[("fostering", "5-9"), ("residential", "5-9")] == 1  # K's move in February
    assert counts.loc[("fostering", "10-15")].loc[[("fostering", "10-15"), ("left_care", "")]].tolist() == [3, 1]
    assert rates.transitions.loc[("fostering", "10-15"), ("left_care", "")] == pytest.approx(0.25)
    assert rates.entry_counts.sum() == 1 and rates.entry_counts[("fostering", "10-15")] == 1  # L on 31 March
    assert rates.entries[("fostering", "10-15")] == pytest.approx(0.5)  # children a month
    assert rates.stock.sum() == 10 and rates.stock[("fostering", "under 1")] == 1


def test_transition_rows_sum_to_one(steady):
    assert steady.transitions.sum(axis=1).to_numpy() == pytest.approx(np.ones(len(forecast.STATES)))
    assert (steady.transitions.to_numpy() >= 0).all()
    # ageing is a move: some 10-15 year olds are 16+ a month later, nobody gets younger
    assert steady.transitions.loc[("fostering", "10-15"), ("fostering", "16+")] > 0
    assert steady.transitions.loc[("fostering", "16+"), ("fostering", "10-15")] == 0


def test_steady_state_projection_stays_flat_within_its_band(steady):
    projection = forecast.project(steady, years=5, simulations=400, seed=3)
    total = forecast.totals(projection, by=None)
    start = total["children"].iloc[0]
    assert start == steady.stock.sum()
    assert ((total["lower"] <= start) & (start <= total["upper"])).all()
    assert total["children"].iloc[-1] == pytest.approx(start, rel=0.1)
    assert (total["lower"] < total["children"]).iloc[1:].all() and (total["children"] < total["upper"]).iloc[1:].all()


def test_doubling_entries_raises_the_projection(steady):
    base = forecast.totals(forecast.project(steady, years=5, simulations=100), by=None)
    doubled = forecast.totals(forecast.project(steady, years=5, simulations=100, entry_multiplier=2.0), by=None)
    assert (doubled["children"].iloc[1:].to_numpy() > base["children"].iloc[1:].to_numpy()).all()
    assert doubled["children"].iloc[-1] > 1.6 * base["children"].iloc[-1]


def test_group_totals_add_up_to_the_state_projection(steady):
    projection = forecast.project(steady, years=3, simulations=100)
    groups = forecast.totals(projection)
    by_hand = projection.table.groupby(["date", "placement_group"], sort=False)["children"].sum()
    assert groups.set_index(["date", "placement_group"])["children"].to_numpy() == pytest.approx(by_hand.to_numpy())
    assert len(groups) == 37 * 4


def test_gap_against_capacity_and_the_in_house_target():
    group_totals = pd.DataFrame({
        "date": pd.to_datetime(["2016-03-31"] * 3 + ["2017-03-31"] * 3),
        "placement_group": ["fostering", "residential", "semi_independence"] * 2,
        "children": [420.0, 75.0, 40.0, 430.0, 80.0, 45.0],
        "lower": [400.0, 70.0, 35.0, 400.0, 70.0, 38.0],
        "upper": [440.0, 82.0, 45.0, 460.0, 90.0, 52.0],
    })
    params = SufficiencyParams(
        capacity_in_house_fostering_places=190, capacity_in_house_residential_places=16,
        capacity_block_contract_residential_places=10, capacity_in_house_semi_independence_places=18,
        target_fostering_in_house=0.5, target_fostering_in_house_by="2017-03-31")
    capacity = forecast.own_capacity(params, pd.Series(dtype="float64"))
    assert capacity.to_dict() == {"fostering": 190, "residential": 26, "semi_independence": 18}
    local = pd.Series({"fostering": 0.9, "residential": 0.8, "semi_independence": 0.85})
    gap = forecast.placement_gap(group_totals, params, capacity, local, start=pd.Timestamp("2015-03-31"))
    now = gap[gap["scenario"] == "current"].set_index(["date", "placement_group"])
    first = pd.Timestamp("2016-03-31")
    assert now.loc[(first, "fostering"), "gap"] == 230
    assert now.loc[(first, "residential"), ["gap", "gap_lower", "gap_upper"]].tolist() == [49, 44, 56]
    assert now.loc[(first, "fostering"), "local_gap"] == pytest.approx(420 * 0.9 - 190)
    assert now.loc[(first, "residential"), "external_cost_gbp_per_year"] == pytest.approx(49 * 3000 * 365.25 / 7)
    target = gap[gap["scenario"] == "in_house_target"].set_index(["date", "placement_group"])
    # in-house fostering reaches half of the 430 children by March 2017: 215 places, 25 more than now
    assert target.loc[(pd.Timestamp("2017-03-31"), "fostering"), "own_places"] == pytest.approx(215)
    assert target.loc[(pd.Timestamp("2017-03-31"), "fostering"), "gap"] == pytest.approx(215)
    assert target.loc[(pd.Timestamp("2017-03-31"), "fostering"), "extra_own_cost_gbp_per_year"] == pytest.approx(
        25 * 400 * 365.25 / 7)
    # half way (one year of two) from 190 places to half of 420 children: 190 + (210 - 190) / 2
    assert target.loc[(first, "fostering"), "own_places"] == pytest.approx(200, abs=0.2)
    assert target.loc[(first, "residential"), "gap"] == now.loc[(first, "residential"), "gap"]


def test_capacity_left_out_is_the_in_house_placements_now():
    capacity = forecast.own_capacity(SufficiencyParams(), pd.Series({"fostering": 150, "residential": 12}))
    assert capacity.to_dict() == {"fostering": 150, "residential": 12, "semi_independence": 0}


def test_a_large_council_is_forecast_in_a_second_or_two():
    episodes, header = steady_population(1_500, seed=5)  # about 2,700 children in care
    started = time.perf_counter()
    rates = forecast.measure_rates(episodes, header, "2017-04-01", "2020-03-31")
    projection = forecast.project(rates, years=5, simulations=500)
    forecast.totals(projection)
    seconds = time.perf_counter() - started
    assert rates.stock.sum() > 2_000
    assert seconds < 4.0, f"a 5-year forecast took {seconds:.1f} s"
