"""Sensitivity of the projection to the three assumed changes (the seed's Annex 2).

Each curve varies one change from no change to its assumed size, with the other two held
at their base-case projection; the grid varies the two care-entry changes together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.flow.model import FlowRates, project
from carebook.flow.params import BaseYearFlows
from carebook.flow.scenarios import CHANGES, Scenario

#: What each change is read against, and the rate it moves.
MEASURE: dict[str, str] = {
    "re_referral": "referrals",
    "direct_entry": "entries_into_care",
    "plan_to_care": "entries_into_care",
}
LABELS: dict[str, str] = {
    "re_referral": "Re-referral rate (share of closed cases)",
    "direct_entry": "Direct entry into care (share of weighted assessments)",
    "plan_to_care": "Child protection plans ending in care (share of plans)",
}


def base_rate(rates: FlowRates, change: str) -> float:
    """The base-year rate (0-1) a change reduces."""
    return {
        "re_referral": rates.repeat_referral_rate,
        "direct_entry": rates.direct_entry_rate,
        "plan_to_care": rates.plan_to_care_rate,
    }[change]


def sensitivity_curve(
    base: BaseYearFlows, rates: FlowRates, scenario: Scenario, change: str, points: int = 11
) -> pd.DataFrame:
    """Final-year volume as one change runs from none to its assumed reduction.

    Columns: change, reduction (0-1), rate (0-1 at full effect), measure, year, children.
    """
    reductions = np.linspace(0.0, getattr(scenario, change).reduction, points)
    measure = MEASURE[change]
    values = [project(base, rates, scenario.with_reduction(change, r))[measure].iloc[-1] for r in reductions]
    year = project(base, rates, scenario).index[-1]
    return pd.DataFrame({
        "change": change,
        "reduction": reductions,
        "rate": base_rate(rates, change) * (1 - reductions),
        "measure": measure,
        "year": year,
        "children": values,
    })  # fmt: skip


def sensitivity_curves(base: BaseYearFlows, rates: FlowRates, scenario: Scenario, points: int = 11) -> pd.DataFrame:
    """The three Annex 2 curves in one long table (see :func:`sensitivity_curve`)."""
    return pd.concat([sensitivity_curve(base, rates, scenario, c, points) for c in CHANGES], ignore_index=True)


def sensitivity_grid(base: BaseYearFlows, rates: FlowRates, scenario: Scenario, points: int = 5) -> pd.DataFrame:
    """Final-year entries into care over both care-entry changes at once.

    Columns: direct_entry_rate, plan_to_care_rate (0-1 at full effect), entries_into_care.
    """
    direct = np.linspace(0.0, scenario.direct_entry.reduction, points)
    plan = np.linspace(0.0, scenario.plan_to_care.reduction, points)
    grid = pd.MultiIndex.from_product([direct, plan], names=["direct", "plan"]).to_frame(index=False)
    entries = [
        project(base, rates, scenario.with_reduction("direct_entry", d).with_reduction("plan_to_care", p))[
            "entries_into_care"
        ].iloc[-1]
        for d, p in zip(grid["direct"], grid["plan"])
    ]
    return pd.DataFrame({
        "direct_entry_rate": rates.direct_entry_rate * (1 - grid["direct"]),
        "plan_to_care_rate": rates.plan_to_care_rate * (1 - grid["plan"]),
        "entries_into_care": entries,
    })  # fmt: skip
