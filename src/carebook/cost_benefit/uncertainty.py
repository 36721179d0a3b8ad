"""Uncertainty: one-way sensitivity (tornado) and a seeded, vectorised Monte Carlo."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.cost_benefit import appraisal, greenbook
from carebook.cost_benefit.params import CostBenefitParams, Distribution
from carebook.errors import InputError

Z90 = 1.2815515655446004  # standard normal 90th percentile
LIMITS = {"success_rate": (0.0, 1.0), "investor_return": (0.0, 0.10)}


def sample(distribution: Distribution, draws: int, rng: np.random.Generator) -> np.ndarray:
    """``draws`` values from a distribution (normal: low and high are its 10th and 90th percentiles)."""
    if distribution.kind == "triangular":
        if distribution.low == distribution.high:
            return np.full(draws, distribution.low)
        return rng.triangular(distribution.low, distribution.mode, distribution.high, draws)
    if distribution.kind == "uniform":
        return rng.uniform(distribution.low, distribution.high, draws)
    if distribution.kind == "normal":
        mean = (distribution.low + distribution.high) / 2
        return rng.normal(mean, (distribution.high - distribution.low) / (2 * Z90), draws)
    raise InputError(f"expected a distribution kind triangular, uniform or normal, got {distribution.kind!r}",
                     where="cost_benefit.uncertainty")


def distributions(params: CostBenefitParams) -> dict[str, Distribution]:
    """Each uncertain parameter's distribution in the parameter's own units: a relative
    range (factors) times the parameter's base value (``appraisal.base_values``)."""
    base = appraisal.base_values(params)
    return {name: distribution.at(base[name]) for name, distribution in params.uncertainty.items()}


def draws(params: CostBenefitParams) -> dict[str, np.ndarray]:
    """Monte Carlo draws of every uncertain parameter the council gives a distribution for (seeded)."""
    rng = np.random.default_rng(params.seed)
    out = {}
    for name, distribution in distributions(params).items():
        if params.benefit_model != "cohort" and name == "success_rate":
            continue
        low, high = LIMITS.get(name, (0.0, np.inf))
        out[name] = np.clip(sample(distribution, params.monte_carlo_draws, rng), low, high)
    return out


def monte_carlo(params: CostBenefitParams) -> pd.DataFrame:
    """One row per draw: the sampled values, net saving (£, option 1) and NPV (£ 2024 prices, optimism bias)."""
    values = draws(params)
    scenario = appraisal.run(params, **values)
    net = scenario.savings - scenario.costs
    uplift = greenbook.with_optimism_bias(scenario.costs, params.optimism_bias)
    npv = greenbook.npv((scenario.savings - uplift) * appraisal.real_factor(params), appraisal.discount_factors(params))
    return pd.DataFrame(values).assign(net_saving_gbp=net.sum(axis=-1), npv_gbp=npv)


def summary(simulated: pd.DataFrame) -> dict[str, float]:
    """P10 / P50 / P90 of net saving and NPV (£) and the probability the programme saves money (0-1)."""
    q = simulated[["net_saving_gbp", "npv_gbp"]].quantile([0.1, 0.5, 0.9])
    return {
        "net_saving_p10_gbp": float(q.loc[0.1, "net_saving_gbp"]),
        "net_saving_p50_gbp": float(q.loc[0.5, "net_saving_gbp"]),
        "net_saving_p90_gbp": float(q.loc[0.9, "net_saving_gbp"]),
        "npv_p10_gbp": float(q.loc[0.1, "npv_gbp"]),
        "npv_p50_gbp": float(q.loc[0.5, "npv_gbp"]),
        "npv_p90_gbp": float(q.loc[0.9, "npv_gbp"]),
        "probability_of_saving": float((simulated["net_saving_gbp"] > 0).mean()),
        "draws": int(len(simulated)),
    }


def range_of(distribution: Distribution) -> tuple[float, float]:
    """Low and high values used in the one-way sensitivity."""
    return distribution.low, distribution.high


def tornado(params: CostBenefitParams) -> pd.DataFrame:
    """NPV (£ 2024 prices) with each uncertain parameter at its low and high value, the rest at base.

    The NPV is the council's under option 1, so the investor's return (which only moves
    options 2 and 3) shows no swing here.

    Columns: parameter, low_value, high_value, npv_low_gbp, npv_high_gbp, base_npv_gbp, swing_gbp;
    sorted by swing, widest first.
    """
    base = float(appraisal.npv(params))
    rows = []
    for name, distribution in distributions(params).items():
        if params.benefit_model != "cohort" and name == "success_rate":
            continue
        low, high = range_of(distribution)
        at = np.broadcast_to(appraisal.npv(params, **{name: np.array([low, high])}), (2,))
        rows.append({"parameter": name, "low_value": low, "high_value": high,
                     "npv_low_gbp": float(at[0]), "npv_high_gbp": float(at[1]), "base_npv_gbp": base})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return (frame.assign(swing_gbp=(frame["npv_high_gbp"] - frame["npv_low_gbp"]).abs())
            .sort_values("swing_gbp", ascending=False, ignore_index=True))
