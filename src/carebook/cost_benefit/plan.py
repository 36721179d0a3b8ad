"""The financial plan in the layout of Rotherham's Appendix 1 (seed 000).

Revenue expenditure by line, set-up, gross cost, Life Chances Fund contribution and net
cost; then the budget impact: original placement forecast, revised forecast, the
programme's budget lines (set-up spread over them), combined budget, in-year
investment / (saving) and cumulative saving, by financial year. Signs follow the
appendix: investment positive, saving negative.

The appendix's "cumulative saving" is the year's combined budget less the original
forecast, from the first full year; "in-year" is its change from the year before (for
the first, part, year: combined less original).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from carebook.cost_benefit import appraisal, costs
from carebook.cost_benefit.outcomes import bonus_costs
from carebook.cost_benefit.params import CostBenefitParams
from carebook.cost_benefit.timeline import by_year, share_of_months_active, year_labels


def original_forecast(params: CostBenefitParams) -> np.ndarray:
    """Original placement budget forecast by year, £ (pro rata for the part of the first year the plan covers)."""
    start = min([params.intake_start] + [line.start for line in params.cost_lines])
    end = dt.date(params.first_financial_year + params.plan_years, 3, 31)
    share = by_year(share_of_months_active(params.first_financial_year, params.plan_years, start, end)) / 12
    return share * (params.baseline_placement_budget_gbp_a_year or 0.0)


def budget_impact(combined: np.ndarray, original: np.ndarray, part_first_year: bool) -> tuple[np.ndarray, np.ndarray]:
    """In-year investment/(saving) and cumulative saving by year, £ (Appendix 1 definitions).

    cumulative_t = combined_t - original_t from the first full year (NaN before);
    in-year_t = cumulative_t - cumulative_{t-1}, the first year(s) combined - original.
    """
    difference = combined - original
    first_full = 1 if part_first_year else 0
    cumulative = difference.astype(float).copy()
    cumulative[:first_full] = np.nan
    in_year = difference.copy()
    in_year[first_full + 1:] = np.diff(difference[first_full:])
    return in_year, cumulative


def financial_plan(params: CostBenefitParams) -> pd.DataFrame:
    """The plan as a table: one row per line, one column per financial year, £."""
    labels = year_labels(params.first_financial_year, params.plan_years)
    running = costs.running_costs(params)
    set_up = costs.set_up_costs(params)
    scenario = appraisal.run(params)
    block, bonus = costs.block_costs(params), bonus_costs(params)
    gross = costs.total_costs(params)
    rows: dict[str, np.ndarray] = {f"{label}": running.loc[label].to_numpy() for label in running.index}
    if block.any():
        rows["Block contract"] = block
    if bonus.any():
        rows["Outcome bonus"] = bonus
    rows["Set up cost"] = set_up.to_numpy().sum(0)
    rows["Gross cost"] = gross
    rows["Life Chances Fund contribution (option 1: none)"] = np.zeros(params.plan_years)
    rows["Net cost"] = gross
    if params.baseline_placement_budget_gbp_a_year is not None:
        original = original_forecast(params)
        revised = original - scenario.savings
        budget_lines = running + set_up
        combined = revised + budget_lines.to_numpy().sum(0) + block + bonus
        part_first = original[0] < (params.baseline_placement_budget_gbp_a_year or 0) - 0.5
        in_year, cumulative = budget_impact(combined, original, part_first)
        rows["Placement budget: original forecast"] = original
        rows["Placement budget: revised forecast"] = revised
        rows |= {f"Budget: {label} (with set-up)": budget_lines.loc[label].to_numpy() for label in budget_lines.index}
        rows["Budget: income / contributions"] = np.zeros(params.plan_years)
        rows["Combined budget"] = combined
        rows["In-year investment / (saving)"] = in_year
        rows["Cumulative saving"] = cumulative
    else:
        rows["Placement spending avoided"] = scenario.savings
        rows["Net investment / (saving)"] = gross - scenario.savings
        rows["Cumulative net investment / (saving)"] = np.cumsum(gross - scenario.savings)
    return pd.DataFrame(rows, index=labels).T


def tidy(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan in long form: line, financial_year, value_gbp (for results files)."""
    return (plan.rename_axis("line").reset_index()
            .melt(id_vars="line", var_name="financial_year", value_name="value_gbp"))
