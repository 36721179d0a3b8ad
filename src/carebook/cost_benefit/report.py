"""What the cost_benefit page shows: one call computes the appraisal, others glue, tabulate and save it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from carebook.cost_benefit import appraisal, financing, greenbook, illustrative, plan, uncertainty
from carebook.cost_benefit.outcomes import quality_table
from carebook.cost_benefit.params import CostBenefitParams, assumptions_table
from carebook.cost_benefit.timeline import year_labels
from carebook.council import Council
from carebook.formats import DOES_NOT_APPLY, amount, money, parameters_table, share

if TYPE_CHECKING:  # IPython and myst-nb are loaded by the notebooks alone
    from carebook.notebook import Page

LABELS = {
    "success_rate": "Success rate",
    "counterfactual_cost_gbp_a_year": "Cost of the placement avoided (£ a year)",
    "service_cost_factor": "Service costs (factor on the plan)",
    "savings_factor": "Savings realised (factor on the plan)",
    "investor_return": "Investor return",
}


@dataclass(frozen=True)
class Result:
    """Everything the page shows for one council."""

    params: CostBenefitParams
    plan: pd.DataFrame
    headlines: dict[str, Any]
    simulated: pd.DataFrame
    monte_carlo: dict[str, float]
    tornado: pd.DataFrame
    switching: pd.DataFrame
    options: dict[str, np.ndarray]
    risk: pd.DataFrame
    years: list[str]


def params_for(council: Council) -> CostBenefitParams:
    """The council's own programme, or the illustrative appraisal on its own placement costs."""
    if council.cost_benefit is not None:
        return council.cost_benefit
    return illustrative.illustrative_params(list(council.codes), council.name)


def shortfall_values(params: CostBenefitParams) -> dict[str, float]:
    """The 'outcomes fall short' case: the success rate (or savings) at the low end of its range."""
    name = "success_rate" if params.benefit_model == "cohort" else "savings_factor"
    distribution = params.uncertainty.get(name)
    low = distribution.low if distribution else (0.5 * params.success_rate if name == "success_rate" else 0.5)
    return {name: low}


def risk_table(params: CostBenefitParams) -> pd.DataFrame:
    """Who bears the risk: council and investor net positions (£, over the plan) at base and when outcomes fall short."""
    base, short = appraisal.run(params), appraisal.run(params, **shortfall_values(params))
    base_options, short_options = base.options(), short.options()
    investor = {"bond": (base.bond, short.bond), "hybrid": (base.hybrid_bond, short.hybrid_bond)}
    rows = []
    for key in base_options:
        label, flows = financing.OPTIONS[key], investor.get(key)
        rows.append({
            "option": label,
            "council_base_gbp": float(base_options[key].sum()),
            "council_shortfall_gbp": float(short_options[key].sum()),
            "council_loss_gbp": float(base_options[key].sum() - short_options[key].sum()),
            "investor_base_gbp": float(flows[0].investor_net.sum()) if flows else 0.0,
            "investor_shortfall_gbp": float(flows[1].investor_net.sum()) if flows else 0.0,
            "lcf_base_gbp": float(flows[0].lcf.sum()) if flows else 0.0,
        })
    return pd.DataFrame(rows)


def compute(council: Council) -> Result:
    """Run the whole appraisal for a council."""
    params = params_for(council)
    simulated = uncertainty.monte_carlo(params)
    return Result(
        params=params,
        plan=plan.financial_plan(params),
        headlines=appraisal.headlines(params),
        simulated=simulated,
        monte_carlo=uncertainty.summary(simulated),
        tornado=uncertainty.tornado(params),
        switching=pd.DataFrame(appraisal.switching_values(params)),
        options=appraisal.run(params).options(),
        risk=risk_table(params),
        years=year_labels(params.first_financial_year, params.plan_years),
    )


DESCRIPTIVE = frozenset({"programme", "summary", "source", "sources", "illustrative", "uncertainty"})
"""Fields of the cost_benefit section that describe the programme rather than enter the sums."""


def appraisal_inputs(council: Council, params: CostBenefitParams) -> tuple[str, ...]:
    """What the appraisal's figures rest on (``carebook.provenance``): the parameters the council
    file sets (every parameter of an illustrative appraisal comes from the official statistics),
    optimism bias, the Green Book discount schedule and deflator."""
    own = council.cost_benefit is not None
    names = sorted(params.model_fields_set - DESCRIPTIVE) if own else []
    files = (greenbook.STPR_FILE, greenbook.DEFLATOR_FILE) + (() if own else (illustrative.RO3_FILE, illustrative.CLA_FILE))
    return tuple(f"cost_benefit.{n}" for n in dict.fromkeys([*names, "optimism_bias", "discount_schedule"])) + files


def glue_narrative(page: Page, result: Result) -> None:
    """Glue every figure the page's text uses; the five key figures also go on the landing page."""
    h, mc, p = result.headlines, result.monte_carlo, result.params
    used = appraisal_inputs(page.council, p)
    page.glue("programme", p.programme, fmt="{}")
    page.glue("programme_summary", p.summary, fmt="{}")
    page.glue("programme_source", p.source, fmt="{}")
    page.glue("first_year", result.years[0], fmt="{}")
    page.glue("last_year", result.years[-1], fmt="{}")
    page.glue("net_saving", money(h["net_saving_gbp"]), fmt="{}", inputs=used)
    page.glue("npv", money(h["npv_gbp_2024_prices"]), fmt="{}", inputs=used)
    page.glue("npv_without_ob", money(h["npv_without_optimism_bias_gbp_2024_prices"]), fmt="{}", inputs=used)
    page.glue("payback", h["payback_year"] or "not within the plan", fmt="{}", headline="Payback year", inputs=used)
    break_even = h["break_even_success_rate"]
    if break_even is None:
        reason = f"{DOES_NOT_APPLY} (no success rate)" if p.benefit_model != "cohort" else "none between 0% and 100%"
        page.glue("break_even", reason, fmt="{}", headline="Break-even success rate")
    else:
        page.glue("break_even", break_even, fmt="{:.0%}", headline="Break-even success rate", inputs=used)
    page.glue("chance_of_saving", mc["probability_of_saving"], fmt="{:.0%}", headline="Chance the programme saves money", inputs=used)
    page.glue("headline_net_saving", h["net_saving_gbp"], fmt="{:,.0f}", headline="Net saving over the plan (£)", inputs=used)
    page.glue("headline_npv", h["npv_gbp_2024_prices"], fmt="{:,.0f}", headline="Net present value (£, 2024 prices)", inputs=used)
    page.glue("bcr", h["benefit_cost_ratio"], fmt="{:.2f}", inputs=used)
    page.glue("gross_savings", money(h["gross_savings_gbp"]), fmt="{}", inputs=used)
    page.glue("gross_cost", money(h["gross_cost_gbp"]), fmt="{}", inputs=used)
    page.glue("optimism_bias", p.optimism_bias, fmt="{:.0%}")
    page.glue("success_rate", p.success_rate, fmt="{:.0%}")
    page.glue("investor_return", p.investor_return, fmt="{:.0%}")
    page.glue("net_saving_bond", money(h["net_saving_bond_gbp"], missing=DOES_NOT_APPLY), fmt="{}")
    page.glue("net_saving_hybrid", money(h["net_saving_hybrid_gbp"], missing=DOES_NOT_APPLY), fmt="{}")
    page.glue("draws", mc["draws"], fmt="{:,}")
    page.glue("seed", p.seed, fmt="{}")
    page.glue("p10", money(mc["net_saving_p10_gbp"]), fmt="{}")
    page.glue("p50", money(mc["net_saving_p50_gbp"]), fmt="{}")
    page.glue("p90", money(mc["net_saving_p90_gbp"]), fmt="{}")
    page.glue("top_driver", LABELS.get(result.tornado.loc[0, "parameter"], "") if len(result.tornado) else "none", fmt="{}")
    page.glue("financing_text", financing_text(result), fmt="{}")
    page.glue("risk_text", risk_text(result), fmt="{}")
    shortfall = shortfall_values(p)
    (name, value), = shortfall.items()
    page.glue("shortfall_case", f"{LABELS[name].lower()} of {value:.0%}" if name == "success_rate" else f"savings at {value:.0%} of plan", fmt="{}")


def plan_table(result: Result) -> tuple[pd.DataFrame, dict[str, Callable[[Any], str]]]:
    """The financial plan for display (line as a column) and the formats of its year columns
    (whole pounds, a cost in brackets)."""
    return result.plan.rename_axis("Line (£)").reset_index(), {year: amount for year in result.years}


def risk_display(result: Result) -> pd.DataFrame:
    """The risk table with readable headings (£ over the plan, whole pounds, a loss in brackets)."""
    pounds = [c for c in result.risk.columns if c.endswith("_gbp")]
    return result.risk.assign(**{c: result.risk[c].map(amount) for c in pounds}).rename(columns={
        "option": "Financing option",
        "council_base_gbp": "Council, base case (£)",
        "council_shortfall_gbp": "Council, outcomes short (£)",
        "council_loss_gbp": "Council's loss (£)",
        "investor_base_gbp": "Investor, base case (£)",
        "investor_shortfall_gbp": "Investor, outcomes short (£)",
        "lcf_base_gbp": "Life Chances Fund (£)",
    })


def switching_display(result: Result) -> pd.DataFrame:
    """Switching values: the value of each key assumption at which the NPV is zero."""
    frame = result.switching.copy()
    if frame.empty:
        return frame
    return pd.DataFrame({
        "Assumption": frame["parameter"].map(LABELS),
        "Base value": frame["base_value"].map(lambda v: f"{v:,.3g}" if v < 10 else f"{v:,.0f}"),
        "Value at which NPV is zero": frame["switching_value"].map(
            lambda v: "no switch in range" if v is None or pd.isna(v) else (f"{v:,.3g}" if v < 10 else f"{v:,.0f}")),
        "Change from base": frame["change_share"].map(lambda v: share(v, signed=True, missing=DOES_NOT_APPLY)),
    })


def assumptions_display(result: Result) -> pd.DataFrame:
    """Every assumption with its value and source, including each cost line and distribution
    (:func:`carebook.formats.parameters_table`)."""
    p = result.params
    scalars = {r["parameter"]: r["source"] for r in assumptions_table(p)}
    table = parameters_table(p, scalars, labels=LABELS, source=scalars.__getitem__)
    line_source = p.sources.get("cost_lines", p.source)
    rows = [{"Parameter": f"Cost line: {line.label}",
             "Value": f"{money(line.annual_cost_gbp)} a year, {line.start} to {line.end}, set-up {money(line.set_up_gbp)}",
             "Meaning": "Service cost line" + (" (bond-financed in the hybrid)" if line.bond_financed_in_hybrid else ""),
             "Source": line_source} for line in p.cost_lines]
    if p.block_contract is not None:
        b = p.block_contract
        rows.append({"Parameter": "Block contract", "Value": f"{b.places:g} places, block {money(b.block_weekly_price_gbp)} "
                     f"vs spot {money(b.spot_weekly_price_gbp)} a week, {share(b.occupancy)} used, {b.start} to {b.end}",
                     "Meaning": "Block contract against spot purchase", "Source": p.sources.get("block_contract", p.source)})
    if p.benefit_model == "stated":
        rows.append({"Parameter": "Stated savings", "Value": ", ".join(money(v) for v in p.stated_savings_gbp),
                     "Meaning": "Savings by plan year as stated", "Source": p.sources.get("stated_savings_gbp", p.source)})
    fund = p.life_chances_fund
    rows.append({"Parameter": "Life Chances Fund", "Value": f"{money(fund.annual_gbp)} a year for {fund.years} years; "
                 f"{share(fund.share_of_payments)} of payments; cap {money(fund.cap_gbp, missing=DOES_NOT_APPLY)}",
                 "Meaning": "Top-up of outcome payments (options 2 and 3)", "Source": fund.source or p.source})
    rows += [{"Parameter": f"Distribution: {LABELS.get(name, name)}",
              "Value": f"{d.kind} {d.low:g}" + (f" / {d.mode:g}" if d.mode is not None else "") + f" / {d.high:g}",
              "Meaning": "Monte Carlo and tornado range", "Source": p.sources.get("uncertainty", "Council file / national default")}
             for name, d in uncertainty.distributions(p).items()]
    return pd.concat([table, pd.DataFrame(rows, columns=table.columns)], ignore_index=True)


def quality_display(result: Result) -> pd.DataFrame | None:
    """Buckinghamshire-style quality table, or None when the contract has no quality bonus."""
    if result.params.quality_bonus is None:
        return None
    return quality_table(result.params.quality_bonus).rename(columns={
        "quarter": "Quarter", "weighted_total_percent": "Weighted total (%)", "payment_percent": "Payment percentage (%)"})


def save_results(result: Result, save: Callable[[str, Any], Any]) -> None:
    """Results files: the financial plan, headline figures, options by year, Monte Carlo summary, tornado, risk."""
    save("cost_benefit_financial_plan", plan.tidy(result.plan))
    save("cost_benefit_headlines", {**result.headlines, **result.monte_carlo,
                                    "programme": result.params.programme, "illustrative": result.params.illustrative})
    options = pd.concat([pd.DataFrame({"option": financing.OPTIONS[k], "financial_year": result.years, "net_gbp": v})
                         for k, v in result.options.items()], ignore_index=True)
    save("cost_benefit_options_by_year", options)
    save("cost_benefit_tornado", result.tornado)
    save("cost_benefit_risk", result.risk)


def show_notices(page: Page, result: Result) -> None:
    """Say prominently when the appraisal is an illustration rather than the council's own programme."""
    if result.params.illustrative:
        page.notice(
            f"Illustrative appraisal. {page.council.name} has no programme of its own in its council file, so this "
            "page appraises the national default programme (MST-FIT with the design and costs of Rotherham's 2018 "
            "plan, at 2024 prices) against the council's own residential placement cost from official statistics. "
            f"Source: {result.params.source}.", kind="warning")


def show_quality(page: Page, result: Result) -> None:
    """The weighted quality scores and bonus percentages, where the contract has a quality bonus."""
    table = quality_display(result)
    if table is not None:
        page.table(table, caption="Weighted quarterly quality totals and the bonus payment percentage they earn "
                   "(1% of the quarter's contract value from 80%, 2% from 90%)")


def financing_text(result: Result) -> str:
    """A sentence on the options beyond the council budget, with their net savings."""
    h, p = result.headlines, result.params
    if h["net_saving_bond_gbp"] is None:
        return ("Paying for outcomes through a social impact bond (options 2 and 3) does not apply to a block "
                "contract or to stated savings: the council pays the contract itself (option 1) or does nothing (option 4).")
    fund = p.life_chances_fund
    grant = "" if not (fund.annual_gbp or fund.share_of_payments) else " with the Life Chances Fund paying part of them"
    bond_lines = [line.label for line in p.cost_lines if line.bond_financed_in_hybrid]
    through = ", ".join(bond_lines) if bond_lines else "no line"
    return (f"Under a social impact bond (option 2) an investor pays for the service and the council pays only for "
            f"outcomes achieved, priced to return {p.investor_return:.0%} on the investor's capital at the planned "
            f"success rate{grant}: net saving {money(h['net_saving_bond_gbp'])}; the investor's capital outstanding "
            f"peaks at {money(h['investor_peak_capital_gbp'])}. The hybrid (option 3) finances "
            f"only {through} through the bond and the rest from the council's budget: "
            f"{money(h['net_saving_hybrid_gbp'])}. Doing nothing (option 4) neither costs nor saves.")


def risk_text(result: Result) -> str:
    """A sentence on who carries the loss when outcomes fall short."""
    risk = result.risk.set_index("option")
    council = risk.loc[financing.OPTIONS["council"]]
    text = (f"Paying from its budget, the council carries the whole shortfall: its net saving falls by "
            f"{money(council['council_loss_gbp'])}.")
    if financing.OPTIONS["bond"] in risk.index:
        bond = risk.loc[financing.OPTIONS["bond"]]
        loss = bond["council_loss_gbp"]
        change = (f"falls by only {money(loss)}" if loss >= 0 else
                  f"even rises, by {money(-loss)}, because each outcome is priced above the saving it brings")
        text += (f" Under the bond the outcome payments fall with the outcomes: the council's net saving {change}, "
                 f"and the investor's position goes from {money(bond['investor_base_gbp'])} to "
                 f"{money(bond['investor_shortfall_gbp'])}.")
    return text
