"""The cost-benefit and financing appraisal of one council, as figures: no display, no files.

:func:`analyse` takes a council (and optionally its :class:`Inputs`) and returns a
:class:`Result`: the financial plan, the Green Book headlines, the Monte Carlo and the
one-way sensitivity, each financing option's cash flows, who bears the risk, and, where the
council's own paper gives them, its headline and financial plan set beside the model's.
:mod:`carebook.cost_benefit.page` shows a Result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from carebook import prices
from carebook.council import Council
from carebook.cost_benefit import appraisal, financing, greenbook, illustrative, plan, uncertainty
from carebook.cost_benefit.params import DESCRIPTIVE, CostBenefitParams, SourceTable
from carebook.cost_benefit.timeline import year_labels



@dataclass(frozen=True)
class Inputs:
    """What the appraisal reads: the council's programme, or the illustrative one on the
    council's residential cost from official statistics (:func:`load_inputs`)."""

    params: CostBenefitParams
    own_programme: bool
    """True when the council file states the programme; False for the illustration."""


@dataclass(frozen=True)
class Result:
    """Everything the cost-benefit page shows for one council."""

    params: CostBenefitParams
    own_programme: bool
    plan: pd.DataFrame
    """The financial plan: a row per line, a column per financial year, £."""
    headlines: dict[str, Any]
    simulated: pd.DataFrame
    monte_carlo: dict[str, float]
    tornado: pd.DataFrame
    switching: pd.DataFrame
    options: dict[str, np.ndarray]
    risk: pd.DataFrame
    """Who bears the risk, long: option, party, case, net_gbp (over the plan)."""
    shortfall: dict[str, float]
    """The 'outcomes fall short' case: the parameter set low and its value."""
    years: list[str]
    unsourced: tuple[str, ...]
    """What the appraisal rests on that no source gives (empty when every figure is sourced)."""
    reconciliation: pd.DataFrame | None
    """The council paper's headline beside the model's (None when the file quotes none)."""
    source_comparison: pd.DataFrame | None
    """The paper's financial plan line by line beside the model's (None without one)."""
    source_summary: pd.DataFrame | None
    """The paper's summary lines beside the model's (None without any)."""

    @property
    def central_outside_range(self) -> bool:
        """True when the base case lies outside the Monte Carlo's P10-P90 range."""
        base, mc = self.headlines["net_saving_gbp"], self.monte_carlo
        return not mc["net_saving_p10_gbp"] <= base <= mc["net_saving_p90_gbp"]


def params_for(council: Council) -> CostBenefitParams:
    """The council's own programme (a block contract's spot price from its prices), or the
    illustrative appraisal on its own residential placement cost."""
    if council.cost_benefit is not None:
        return council.cost_benefit
    return illustrative.illustrative_params(list(council.codes), council.name)


def load_inputs(council: Council) -> Inputs:
    """The council's programme, or the illustration (reads the official statistics)."""
    return Inputs(params=params_for(council), own_programme=council.cost_benefit is not None)


def shortfall_values(params: CostBenefitParams) -> dict[str, float]:
    """The 'outcomes fall short' case: the success rate (or the savings factor) at the low end
    of its range, in its own units (a relative range resolved against its base value)."""
    name = "success_rate" if params.benefit_model == "cohort" else "savings_factor"
    distribution = uncertainty.distributions(params).get(name)
    if distribution is not None:
        return {name: float(distribution.low)}
    return {name: 0.5 * params.success_rate if name == "success_rate" else 0.5}


PARTIES = ("Council", "Investor", "Life Chances Fund")
CASES = ("Base case", "Outcomes fall short")


def risk_table(params: CostBenefitParams, shortfall: dict[str, float]) -> pd.DataFrame:
    """Who bears the risk, one row per financing option, party and case: the net position
    over the plan (£). The investor and the Life Chances Fund appear only under the options
    they take part in."""
    base, short = appraisal.run(params), appraisal.run(params, **shortfall)
    base_options, short_options = base.options(), short.options()
    investor = {"bond": (base.bond, short.bond), "hybrid": (base.hybrid_bond, short.hybrid_bond)}
    rows = []
    for key in base_options:  # four options at most
        label = financing.OPTIONS[key]
        positions = {"Council": (base_options[key].sum(), short_options[key].sum())}
        if key in investor and base.bond_applicable:
            flows = investor[key]
            positions["Investor"] = (flows[0].investor_net.sum(), flows[1].investor_net.sum())
            if flows[0].lcf.any() or flows[1].lcf.any():
                positions["Life Chances Fund"] = (-flows[0].lcf.sum(), -flows[1].lcf.sum())
        rows += [{"option": label, "party": party, "case": case, "net_gbp": float(value)}
                 for party, values in positions.items() for case, value in zip(CASES, values, strict=True)]
    return pd.DataFrame(rows, columns=["option", "party", "case", "net_gbp"])


def unsourced_figures(council: Council, params: CostBenefitParams, own: bool) -> tuple[str, ...]:
    """What the appraisal rests on that no source gives, in readers' words: the whole
    programme of an illustration; the spot price of a block contract whose price the council
    file marks as a placeholder (evidence red); the cost of the placement avoided when the
    council file calls it an assumption."""
    if not own:
        return ("the programme, which is Rotherham's, set against this council's own placement costs",)
    found = []
    contract = params.block_contract
    if params.benefit_model == "block_contract" and contract is not None:
        spot = prices.price(council.prices, "residential", "external")
        if contract.spot_weekly_price_gbp == spot.weekly_gbp and spot.evidence == "red":
            found.append("the spot price of a residential placement")
        if params.sources.get("block_contract", "").lower().count("assum"):
            found.append("the block contract's price and occupancy")
    cost_source = params.sources.get("counterfactual_cost_gbp_a_year", "")
    if params.benefit_model == "cohort" and cost_source.lower().startswith("assumption"):
        found.append("the cost of the placement avoided")
    return tuple(found)


def appraisal_inputs(own: bool, params: CostBenefitParams) -> tuple[str, ...]:
    """What the appraisal's figures rest on (``carebook.provenance``): the parameters the council
    file sets (every parameter of an illustrative appraisal comes from the official statistics),
    optimism bias, the Green Book discount schedule and deflator."""
    names = sorted(params.model_fields_set - DESCRIPTIVE) if own else []
    files = (greenbook.STPR_FILE, greenbook.DEFLATOR_FILE) + (() if own else (illustrative.RO3_FILE, illustrative.CLA_FILE))
    return tuple(f"cost_benefit.{n}" for n in dict.fromkeys([*names, "optimism_bias", "discount_schedule"])) + files


def final_year_reduction(financial_plan: pd.DataFrame) -> float | None:
    """The reduction in the year's placement spending in the plan's last year, £ (original
    forecast less the combined budget); None for a plan without a placement budget."""
    if "Combined budget" not in financial_plan.index:
        return None
    last = financial_plan.columns[-1]
    return float(financial_plan.loc["Placement budget: original forecast", last] - financial_plan.loc["Combined budget", last])


def reconciliation(params: CostBenefitParams, financial_plan: pd.DataFrame, net_saving: float) -> pd.DataFrame | None:
    """The council paper's headline beside the model's: the paper's measure (the reduction in
    the last year's spending) as the paper states it and as the model gives it, and the
    model's headline (net saving over the whole plan). Columns: measure, years, paper_gbp,
    model_gbp."""
    headline = params.source_headline
    reduction = final_year_reduction(financial_plan)
    if headline is None or reduction is None:
        return None
    years = list(financial_plan.columns)
    return pd.DataFrame({
        "measure": ["Reduction in the year's placement spending (the paper's headline)",
                    "Net saving, every year's reduction less the programme's costs (this page's headline)"],
        "years": [years[-1], f"{years[0]} to {years[-1]}"],
        "paper_gbp": [headline.value_gbp, np.nan],
        "model_gbp": [reduction, net_saving],
    })


def compare_plan(table: SourceTable, financial_plan: pd.DataFrame) -> pd.DataFrame:
    """The paper's financial plan beside the model's, long: a row per line and year with the
    paper's figure, the model's, the difference (model less paper, where both have one) and the
    reason the paper's table gives for a difference on that line."""
    years = list(financial_plan.columns)
    rows = []
    for row in table.rows:  # the paper's lines, a handful
        model = financial_plan.loc[row.line].to_numpy(dtype=float) if row.line in financial_plan.index else np.full(len(years), np.nan)
        paper = np.array([np.nan if v is None else v for v in row.values_gbp], dtype=float)
        rows.append(pd.DataFrame({"line": row.label, "financial_year": years, "paper_gbp": paper, "model_gbp": model,
                                  "reason": row.reason or ""}))
    frame = pd.concat(rows, ignore_index=True)
    return frame.assign(difference_gbp=(frame["model_gbp"] - frame["paper_gbp"]).round(0))


def compare_summary(table: SourceTable, financial_plan: pd.DataFrame) -> pd.DataFrame | None:
    """The paper's summary lines beside the model's figures, rounded as the paper rounds them."""
    if not table.summary_lines or "Combined budget" not in financial_plan.index:
        return None
    last = financial_plan.columns[-1]
    model = {"baseline_budget": float(financial_plan.loc["Placement budget: original forecast"].max()),
             "final_year_budget": float(financial_plan.loc["Combined budget", last]),
             "final_year_reduction": final_year_reduction(financial_plan)}
    step = table.rounding_gbp
    frame = pd.DataFrame({
        "line": [s.label for s in table.summary_lines],
        "stated_as": [s.stated_as for s in table.summary_lines],
        "paper_gbp": [s.value_gbp for s in table.summary_lines],
        "model_gbp": [model[s.measure] for s in table.summary_lines],
        "reason": [s.reason or "" for s in table.summary_lines],
    })
    rounded = (frame["model_gbp"] / step).round() * step
    return frame.assign(model_rounded_gbp=rounded, difference_gbp=rounded - frame["paper_gbp"])


def analyse(council: Council, inputs: Inputs | None = None) -> Result:
    """The whole appraisal of ``council`` (its :func:`load_inputs` unless ``inputs`` are given)."""
    inputs = inputs or load_inputs(council)
    params = inputs.params
    simulated = uncertainty.monte_carlo(params)
    headlines = appraisal.headlines(params)
    financial_plan = plan.financial_plan(params)
    shortfall = shortfall_values(params)
    table = params.source_table
    return Result(
        params=params,
        own_programme=inputs.own_programme,
        plan=financial_plan,
        headlines=headlines,
        simulated=simulated,
        monte_carlo=uncertainty.summary(simulated),
        tornado=uncertainty.tornado(params),
        switching=pd.DataFrame(appraisal.switching_values(params)),
        options=appraisal.run(params).options(),
        risk=risk_table(params, shortfall),
        shortfall=shortfall,
        years=year_labels(params.first_financial_year, params.plan_years),
        unsourced=unsourced_figures(council, params, inputs.own_programme),
        reconciliation=reconciliation(params, financial_plan, headlines["net_saving_gbp"]),
        source_comparison=compare_plan(table, financial_plan) if table else None,
        source_summary=compare_summary(table, financial_plan) if table else None,
    )
