"""Service cost lines of a programme by financial year (£), with set-up costs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.cost_benefit.block import open_places_by_month
from carebook.cost_benefit.outcomes import bonus_costs
from carebook.cost_benefit.params import CostBenefitParams, CostLine
from carebook.cost_benefit.timeline import by_year, share_of_months_active, year_labels
from carebook.units import FINANCE_WEEKS_A_MONTH, MONTHS_A_YEAR

WEEKS_A_MONTH = FINANCE_WEEKS_A_MONTH
"""Budgets count 52 weeks a year (Rotherham's Appendix 1 is reproduced to the pound this way)."""


def line_running_costs(line: CostLine, first_year: int, years: int) -> np.ndarray:
    """Running cost of one line in each financial year, £ (annual cost / 12 for each month it runs)."""
    months = share_of_months_active(first_year, years, line.start, line.end)
    return by_year(months * line.annual_cost_gbp / MONTHS_A_YEAR)


def line_set_up(line: CostLine, first_year: int, years: int) -> np.ndarray:
    """The line's one-off set-up cost, in the financial year it starts, £."""
    index = (line.start.year - first_year) - (1 if line.start.month < 4 else 0)
    out = np.zeros(years)
    if 0 <= index < years:
        out[index] = line.set_up_gbp
    return out


def running_costs(params: CostBenefitParams) -> pd.DataFrame:
    """Running cost of each line (rows) by financial year (columns), £."""
    labels = year_labels(params.first_financial_year, params.plan_years)
    rows = {line.label: line_running_costs(line, params.first_financial_year, params.plan_years) for line in params.cost_lines}
    return pd.DataFrame(rows, index=labels).T.reindex(columns=labels).fillna(0.0)


def set_up_costs(params: CostBenefitParams) -> pd.DataFrame:
    """Set-up cost of each line (rows) by financial year (columns), £."""
    labels = year_labels(params.first_financial_year, params.plan_years)
    rows = {line.label: line_set_up(line, params.first_financial_year, params.plan_years) for line in params.cost_lines}
    return pd.DataFrame(rows, index=labels).T.reindex(columns=labels).fillna(0.0)


def total_costs(params: CostBenefitParams) -> np.ndarray:
    """Gross cost of the programme (running + set-up, plus any outcome bonus) by financial year, £."""
    lines = running_costs(params).to_numpy().sum(axis=0) + set_up_costs(params).to_numpy().sum(axis=0)
    return lines + block_costs(params) + bonus_costs(params)


def bond_financed_costs(params: CostBenefitParams) -> np.ndarray:
    """Cost of the lines the investor finances under the hybrid option, £ by financial year."""
    flagged = [line.label for line in params.cost_lines if line.bond_financed_in_hybrid]
    running, set_up = running_costs(params), set_up_costs(params)
    return (running.loc[flagged].to_numpy().sum(axis=0) + set_up.loc[flagged].to_numpy().sum(axis=0)) if flagged else np.zeros(params.plan_years)


def block_costs(params: CostBenefitParams) -> np.ndarray:
    """Block contract payments by financial year, £ (every place paid whether used or not)."""
    if params.benefit_model != "block_contract":
        return np.zeros(params.plan_years)
    return by_year(open_places_by_month(params) * params.block_contract.block_weekly_price_gbp * WEEKS_A_MONTH)
