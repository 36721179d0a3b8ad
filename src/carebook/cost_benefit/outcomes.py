"""Outcome payment mechanisms: per success, per care day saved, and a weighted quality bonus."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.cost_benefit.block import open_places_by_month
from carebook.cost_benefit.params import CostBenefitParams, QualityBonus
from carebook.cost_benefit.timeline import by_year


def weighted_quality_totals(bonus: QualityBonus) -> np.ndarray:
    """Weighted total of each quarter, % (0-100), rounded to a whole per cent as the contract reports.

    Each measure counts as its score out of 5 expressed as a percentage (score x 20), or
    its stated percentage where it has no score (e.g. attendance).
    """
    quarters = len(bonus.measures[0].scores)
    parts = []
    for measure in bonus.measures:
        scores = np.array([np.nan if s is None else s for s in measure.scores], dtype=float)
        stated = np.array([np.nan if p is None else p for p in (measure.percentages or [None] * quarters)], dtype=float)
        parts.append(measure.weight * np.where(np.isnan(scores), stated, scores * 20))
    return np.round(np.sum(parts, axis=0) + 1e-9)


def bonus_rate(total_percent: np.ndarray, thresholds: dict[float, float]) -> np.ndarray:
    """Bonus share (0-1) of the quarter's contract value for each weighted total (%).

    The highest threshold reached applies: with {80: 1%, 90: 2%}, 72% -> 0, 80% -> 1%, 93% -> 2%.
    """
    levels = sorted(thresholds.items())
    rate = np.zeros(np.shape(total_percent))
    for level, share in levels:
        rate = np.where(np.asarray(total_percent) >= level, share, rate)
    return rate


def quality_table(bonus: QualityBonus) -> pd.DataFrame:
    """Quarter, weighted total (%) and payment percentage (%) of a quality-bonus contract."""
    totals = weighted_quality_totals(bonus)
    return pd.DataFrame({
        "quarter": [f"Q{i + 1}" for i in range(len(totals))],
        "weighted_total_percent": totals,
        "payment_percent": bonus_rate(totals, bonus.thresholds) * 100,
    })


def annual_bonus_share(bonus: QualityBonus) -> float:
    """Bonus for a year of the quarterly results, share of the annual contract value (0-1, capped)."""
    return float(min(bonus_rate(weighted_quality_totals(bonus), bonus.thresholds).mean(), bonus.annual_cap))


def bonus_costs(params: CostBenefitParams) -> np.ndarray:
    """Outcome bonus paid each plan year, £ (the reported year's results repeated while the block runs)."""
    if params.quality_bonus is None:
        return np.zeros(params.plan_years)
    bonus = params.quality_bonus
    running = by_year(open_places_by_month(params) > 0) / 12 if params.block_contract else np.ones(params.plan_years)
    return running * bonus.annual_contract_value_gbp * annual_bonus_share(bonus)


def lag(values: np.ndarray, years: int) -> np.ndarray:
    """Shift a by-year series (last axis) ``years`` later; what falls past the end is paid in the last year."""
    if years == 0:
        return values
    out = np.zeros_like(values)
    out[..., years:] = values[..., :-years]
    out[..., -1] = out[..., -1] + values[..., -years:].sum(axis=-1)
    return out


def outcome_price(funded_cost_gbp: float, investor_return: float | np.ndarray, base_outcomes: float) -> float | np.ndarray:
    """Price of one outcome unit, £, so that base-case outcomes repay the funded cost with the return.

    price = funded cost x (1 + return) / base-case outcome units (0 when no outcome is expected).
    """
    if base_outcomes <= 0:
        return np.zeros_like(np.asarray(investor_return, dtype=float))
    return funded_cost_gbp * (1 + np.asarray(investor_return, dtype=float)) / base_outcomes


def life_chances_fund(params: CostBenefitParams, payments: np.ndarray) -> np.ndarray:
    """Life Chances Fund contribution to outcome payments by year, £.

    Fixed grant (``annual_gbp`` for ``years`` from ``first_year``) plus
    ``share_of_payments`` of each payment; the running total is never more than the
    payments made so far (a grant not yet drawn waits for payments) nor ``cap_gbp``.
    """
    fund = params.life_chances_fund
    years = payments.shape[-1]
    fixed = np.zeros(years)
    first = (fund.first_year or params.first_financial_year) - params.first_financial_year
    fixed[first:first + fund.years] = fund.annual_gbp
    due = np.cumsum(fixed + fund.share_of_payments * payments, axis=-1)
    drawn = np.minimum(due, np.cumsum(payments, axis=-1))
    if fund.cap_gbp is not None:
        drawn = np.minimum(drawn, fund.cap_gbp)
    return np.diff(drawn, axis=-1, prepend=0.0)
