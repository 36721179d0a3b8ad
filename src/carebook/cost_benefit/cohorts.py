"""Children through the programme, quarter by quarter, and the placement savings they bring.

A cohort of ``children_a_year / 4`` children starts each quarter of the intake period. In
the quarters of the programme placement (e.g. 12 weeks of residential ITM) the budget of
their counterfactual placement pays for the programme, so the whole placement cost is
saved from the placement budget; afterwards a share ``success_rate`` stays at home or steps down (the
saving, less any ``success_cost_gbp_a_year``, continues) and the rest move to a failure placement. Savings stop when the
counterfactual placement would have ended anyway (``counterfactual_exits``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carebook.cost_benefit.params import CostBenefitParams
from carebook.cost_benefit.timeline import by_year, quarter_starts


@dataclass(frozen=True)
class Exposure:
    """Child-years by financial year, before the success rate is applied.

    ``in_programme``: child-years in the programme placement; ``after_programme``:
    child-years after it, while the counterfactual placement would still have lasted;
    ``completions``: children finishing the programme in the year (children).
    """

    in_programme: np.ndarray
    after_programme: np.ndarray
    completions: np.ndarray


def cohort_sizes(params: CostBenefitParams) -> np.ndarray:
    """Children starting the programme in each plan quarter (children)."""
    starts = quarter_starts(params.first_financial_year, params.plan_years)
    months = np.timedelta64(3 * params.programme_quarters, "M")
    finishes = ((starts.astype("datetime64[M]") + months).astype("datetime64[D]")) - np.timedelta64(1, "D")
    last_day = np.datetime64(params.intake_end, "D")
    fits = finishes <= last_day if params.programme_quarters else starts <= last_day
    in_window = (starts >= np.datetime64(params.intake_start, "D")) & fits
    return in_window * params.children_a_year / 4


def survival(params: CostBenefitParams, quarters: int) -> np.ndarray:
    """Share of children whose counterfactual placement would still run, by quarter after entry (0-1)."""
    exits = np.zeros(quarters)
    for quarter, share in params.counterfactual_exits.items():
        if quarter < quarters:
            exits[quarter] += share
    return 1 - np.cumsum(exits)


def exposure(params: CostBenefitParams) -> Exposure:
    """Child-years in and after the programme, and completions, by financial year."""
    quarters = params.plan_years * 4
    sizes = cohort_sizes(params)
    still = survival(params, quarters)
    since_entry = np.arange(quarters)[:, None] - np.arange(quarters)[None, :]  # [quarter, entry quarter]
    valid = since_entry >= 0
    weight = np.where(valid, still[np.clip(since_entry, 0, None)], 0.0) * sizes[None, :] / 4
    in_programme = (weight * (since_entry < params.programme_quarters)).sum(axis=1)
    after = (weight * (since_entry >= params.programme_quarters)).sum(axis=1)
    completion = np.zeros(quarters)
    done = np.arange(quarters) + params.programme_quarters
    keep = done < quarters
    np.add.at(completion, done[keep], sizes[keep])
    return Exposure(by_year(in_programme, 4), by_year(after, 4), by_year(completion, 4))


def placement_savings(
    params: CostBenefitParams,
    success_rate: float | np.ndarray,
    counterfactual_cost: float | np.ndarray,
    exposure_: Exposure | None = None,
) -> np.ndarray:
    """Placement budget saved by financial year, £ (arrays broadcast: draws x years).

    saving = share in care x [cost x in programme + (cost - success cost) x after x success
                              + (cost - failure cost) x after x (1 - success)].
    """
    e = exposure_ or exposure(params)
    s = np.asarray(success_rate, dtype=float)[..., None] if np.ndim(success_rate) else success_rate
    c = np.asarray(counterfactual_cost, dtype=float)[..., None] if np.ndim(counterfactual_cost) else counterfactual_cost
    failure_cost = params.failure_cost if params.failure_cost_gbp_a_year is not None else c
    share = params.counterfactual_in_care_share
    success_cost = params.success_cost_gbp_a_year
    return share * (c * e.in_programme + (c - success_cost) * e.after_programme * s
                    + (c - failure_cost) * e.after_programme * (1 - s))


def care_days_saved(params: CostBenefitParams, success_rate: float | np.ndarray, exposure_: Exposure | None = None) -> np.ndarray:
    """Care days saved by financial year (children x days): in programme and after it for successes."""
    e = exposure_ or exposure(params)
    s = np.asarray(success_rate, dtype=float)[..., None] if np.ndim(success_rate) else success_rate
    return params.counterfactual_in_care_share * 365 * (e.in_programme + e.after_programme * s)


def successes(params: CostBenefitParams, success_rate: float | np.ndarray, exposure_: Exposure | None = None) -> np.ndarray:
    """Children completing the programme successfully by financial year (children)."""
    e = exposure_ or exposure(params)
    s = np.asarray(success_rate, dtype=float)[..., None] if np.ndim(success_rate) else success_rate
    return e.completions * s
