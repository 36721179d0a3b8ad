"""One appraisal run: savings, costs and each financing option's cash flows, and the Green Book measures.

Every function accepts the uncertain values as scalars or as arrays of draws, so the same
code gives the base case, the tornado and the Monte Carlo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from carebook.cost_benefit import block, cohorts, costs, financing, greenbook
from carebook.cost_benefit.params import CostBenefitParams
from carebook.cost_benefit.timeline import by_year, year_labels
from carebook.units import FINANCE_WEEKS_A_YEAR

PRICE_BASE_YEAR = 2024
UNCERTAIN = ("success_rate", "counterfactual_cost_gbp_a_year", "service_cost_factor", "savings_factor", "investor_return")


def base_counterfactual_cost(params: CostBenefitParams) -> float:
    """Cost of the placement the programme avoids, £ a year (block contracts: the spot price x FINANCE_WEEKS_A_YEAR)."""
    if params.benefit_model == "block_contract":
        return params.block_contract.spot_weekly_price_gbp * FINANCE_WEEKS_A_YEAR
    return params.counterfactual_cost_gbp_a_year


def base_values(params: CostBenefitParams) -> dict[str, float]:
    """Base-case value of each uncertain parameter."""
    return {
        "success_rate": params.success_rate,
        "counterfactual_cost_gbp_a_year": base_counterfactual_cost(params),
        "service_cost_factor": 1.0,
        "savings_factor": 1.0,
        "investor_return": params.investor_return,
    }


def _column(value: float | np.ndarray) -> float | np.ndarray:
    return np.asarray(value, dtype=float)[..., None] if np.ndim(value) else value


@dataclass(frozen=True)
class Scenario:
    """Cash flows by financial year (last axis), £ at the plan's prices."""

    savings: np.ndarray
    costs: np.ndarray
    bond: financing.BondFlows
    hybrid_bond: financing.BondFlows
    in_house_costs: np.ndarray
    bond_applicable: bool = True

    def options(self) -> dict[str, np.ndarray]:
        """Council net position by year under each financing option, £.

        Options 2 and 3 (paying for outcomes) apply to programmes that work with children
        (the cohort model), not to block contracts or stated savings.
        """
        council = financing.council_budget(self.savings, self.costs)
        if not self.bond_applicable:
            return {"council": council, "nothing": np.zeros_like(council)}
        return {
            "council": council,
            "bond": financing.social_impact_bond(self.savings, self.bond),
            "hybrid": financing.hybrid(self.savings, self.in_house_costs, self.hybrid_bond),
            "nothing": np.zeros_like(council),
        }


def benefits(params: CostBenefitParams, success_rate: Any, counterfactual_cost: Any) -> np.ndarray:
    """Placement spending avoided by financial year, £ (draws x years where inputs are arrays)."""
    if params.benefit_model == "cohort":
        return cohorts.placement_savings(params, success_rate, counterfactual_cost)
    if params.benefit_model == "stated":
        ratio = _column(np.asarray(counterfactual_cost) / base_counterfactual_cost(params))
        return np.asarray(params.stated_savings_gbp, dtype=float) * ratio
    used = block.open_places_by_month(params) * params.block_contract.occupancy
    return by_year(used * costs.WEEKS_A_MONTH * _column(np.asarray(counterfactual_cost, dtype=float) / FINANCE_WEEKS_A_YEAR))


def outcome_units(params: CostBenefitParams, success_rate: Any, savings: np.ndarray) -> np.ndarray:
    """Units the outcome payments are made on, by year: successes, care days saved, or £ saved."""
    if params.benefit_model != "cohort":
        return savings
    if params.outcome_payment_basis == "per_care_day":
        return cohorts.care_days_saved(params, success_rate)
    return cohorts.successes(params, success_rate)


def run(params: CostBenefitParams, **values: Any) -> Scenario:
    """Cash flows with the given uncertain values (names in UNCERTAIN; base case for the others)."""
    unknown = set(values) - set(UNCERTAIN)
    if unknown:
        raise ValueError(f"unknown uncertain values: {sorted(unknown)}")
    v = base_values(params) | values
    base = base_values(params)
    gross = costs.total_costs(params)
    bond_part = costs.bond_financed_costs(params)
    factor = _column(v["service_cost_factor"])
    savings = benefits(params, v["success_rate"], v["counterfactual_cost_gbp_a_year"]) * _column(v["savings_factor"])
    units = outcome_units(params, v["success_rate"], savings)
    base_units = outcome_units(params, base["success_rate"], benefits(params, base["success_rate"], base["counterfactual_cost_gbp_a_year"]))
    bond = financing.bond_flows(params, gross, units, base_units, v["investor_return"])
    hybrid_bond = financing.bond_flows(params, bond_part, units, base_units, v["investor_return"])
    bond = _with_outlay(bond, gross * factor)
    hybrid_bond = _with_outlay(hybrid_bond, bond_part * factor)
    return Scenario(savings, gross * factor, bond, hybrid_bond, (gross - bond_part) * factor,
                    bond_applicable=params.benefit_model == "cohort")


def _with_outlay(flows: financing.BondFlows, outlay: np.ndarray) -> financing.BondFlows:
    """The investor pays the actual cost (overruns included); payments stay priced on the contract."""
    shape = np.broadcast_shapes(np.shape(outlay), flows.outcome_payments.shape)
    return financing.BondFlows(np.broadcast_to(outlay, shape), flows.outcome_payments, flows.lcf)


def discount_factors(params: CostBenefitParams) -> np.ndarray:
    """Green Book discount factors of the plan years (year 0 = first plan year)."""
    return greenbook.discount_factors(params.plan_years, greenbook.stpr_schedule(params.discount_schedule))


def real_factor(params: CostBenefitParams) -> float:
    """Multiplier from the plan's prices to 2024 prices (GDP deflator)."""
    return float(greenbook.to_real(np.array(1.0), params.price_year, PRICE_BASE_YEAR, greenbook.gdp_deflator()))


def npv(params: CostBenefitParams, optimism_bias: bool = True, option: str = "council", **values: Any) -> np.ndarray:
    """NPV of the council's net position under ``option``, £ at 2024 prices (costs uplifted for optimism bias)."""
    scenario = run(params, **values)
    uplift = params.optimism_bias if optimism_bias else 0.0
    if option == "council":
        net = scenario.savings - greenbook.with_optimism_bias(scenario.costs, uplift)
    else:
        net = scenario.options()[option]
    return greenbook.npv(net * real_factor(params), discount_factors(params))


def break_even_success_rate(params: CostBenefitParams) -> float | None:
    """Success rate (0-1) at which the optimism-bias-adjusted NPV is zero (Brent's method); None if none in 0-1."""
    return greenbook.solve_switching_value(lambda s: float(npv(params, success_rate=s)), 0.0, 1.0)


SWITCH_RANGES = {
    "success_rate": (0.0, 1.0),
    "counterfactual_cost_gbp_a_year": (0.0, 2_000_000.0),
    "service_cost_factor": (0.0, 20.0),
    "savings_factor": (0.0, 20.0),
}


def switching_values(params: CostBenefitParams) -> list[dict[str, Any]]:
    """For each key assumption, the value at which the NPV falls to zero, and its change from the base."""
    base = base_values(params)
    rows = []
    for name, (low, high) in SWITCH_RANGES.items():
        if params.benefit_model != "cohort" and name == "success_rate":
            continue
        value = greenbook.solve_switching_value(lambda x, n=name: float(npv(params, **{n: x})), low, high)
        change = None if value is None or base[name] == 0 else value / base[name] - 1
        rows.append({"parameter": name, "base_value": base[name], "switching_value": value, "change_share": change})
    return rows


def headlines(params: CostBenefitParams) -> dict[str, Any]:
    """The appraisal's headline figures (base case, option 1 unless said)."""
    scenario = run(params)
    options = scenario.options()
    labels = year_labels(params.first_financial_year, params.plan_years)
    factors = discount_factors(params)
    real = real_factor(params)
    biased_costs = greenbook.with_optimism_bias(scenario.costs, params.optimism_bias)
    payback = greenbook.payback_index(options["council"])
    return {
        "net_saving_gbp": float(options["council"].sum()),
        "gross_savings_gbp": float(scenario.savings.sum()),
        "gross_cost_gbp": float(scenario.costs.sum()),
        "npv_gbp_2024_prices": float(npv(params)),
        "npv_without_optimism_bias_gbp_2024_prices": float(npv(params, optimism_bias=False)),
        "benefit_cost_ratio": float(greenbook.benefit_cost_ratio(scenario.savings * real, biased_costs * real, factors)),
        "payback_year": labels[payback] if payback is not None else None,
        "break_even_success_rate": break_even_success_rate(params) if params.benefit_model == "cohort" else None,
        "net_saving_bond_gbp": float(options["bond"].sum()) if "bond" in options else None,
        "net_saving_hybrid_gbp": float(options["hybrid"].sum()) if "hybrid" in options else None,
        "investor_return": float(financing.simple_return(scenario.bond)) if "bond" in options else None,
        "investor_peak_capital_gbp": float(financing.peak_capital(scenario.bond)) if "bond" in options else None,
    }
