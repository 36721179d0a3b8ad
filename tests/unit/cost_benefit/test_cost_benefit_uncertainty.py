"""Tornado and Monte Carlo: reproducible under a seed (their speed: benchmarks/)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebook.cost_benefit import uncertainty
from carebook.cost_benefit.params import Distribution


def test_monte_carlo_reproducible_under_a_seed(rotherham):
    first, second = uncertainty.monte_carlo(rotherham), uncertainty.monte_carlo(rotherham)
    pd.testing.assert_frame_equal(first, second)
    other = uncertainty.monte_carlo(rotherham.model_copy(update={"seed": 1}))
    assert not np.allclose(first["net_saving_gbp"], other["net_saving_gbp"])


def test_monte_carlo_draws_and_summary(rotherham):
    simulated = uncertainty.monte_carlo(rotherham)
    assert len(simulated) == 10_000
    summary = uncertainty.summary(simulated)
    assert summary["net_saving_p10_gbp"] < summary["net_saving_p50_gbp"] < summary["net_saving_p90_gbp"]
    # every draw saves: the lowest success rate drawn (0.40, the triangular's low end) is well
    # above the break-even rate of about 0.18
    assert summary["probability_of_saving"] == (simulated["net_saving_gbp"] > 0).mean() == 1.0
    resolved = uncertainty.distributions(rotherham)["success_rate"]  # 70% x 4/7 and x 17/14
    low, high = resolved.low, resolved.high
    assert (low, high) == (pytest.approx(0.4), 0.85) and simulated["success_rate"].between(low, high).all()


def test_monte_carlo_matches_the_scalar_model(rotherham):
    from carebook.cost_benefit import appraisal

    simulated = uncertainty.monte_carlo(rotherham).head(3)
    for row in simulated.itertuples():
        values = {name: getattr(row, name) for name in rotherham.uncertainty}
        scenario = appraisal.run(rotherham, **values)
        assert (scenario.savings - scenario.costs).sum() == pytest.approx(row.net_saving_gbp)


def test_normal_distribution_percentiles():
    rng = np.random.default_rng(0)
    values = uncertainty.sample(Distribution(kind="normal", low=10, high=20), 200_000, rng)
    assert np.percentile(values, [10, 90]) == pytest.approx([10, 20], abs=0.1)


def test_tornado_sorted_by_swing(rotherham):
    table = uncertainty.tornado(rotherham)
    assert table["swing_gbp"].is_monotonic_decreasing
    assert table.loc[0, "parameter"] == "success_rate"
    assert set(table["parameter"]) == set(rotherham.uncertainty)
