"""The cost-benefit page of a council: figures, sentences, tables and results files of a
:class:`~carebook.cost_benefit.analysis.Result`, in readers' words.

:func:`show` glues every figure and sentence the page's text uses, records the council's
executive-summary entry, glues the charts and writes the results files; the tables shown in
later cells are the other public functions, each taking ``(page, result)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import Markdown, display

from carebook.cost_benefit import charts, financing, plan, uncertainty
from carebook.cost_benefit.analysis import CASES, Result, appraisal_inputs
from carebook.cost_benefit.outcomes import quality_table
from carebook.cost_benefit.params import assumptions_table
from carebook.text import markdown_literal
from carebook.formats import DOES_NOT_APPLY, amount, count, money, money_millions, parameters_table, share, value_text

if TYPE_CHECKING:  # IPython and myst-nb are loaded by the notebooks alone
    from carebook.notebook import Page

LABELS = {
    "success_rate": "Success rate",
    "counterfactual_cost_gbp_a_year": "Cost of the placement avoided (£ a year)",
    "service_cost_factor": "Service costs (factor on the plan)",
    "savings_factor": "Savings realised (factor on the plan)",
    "investor_return": "Investor return",
}
"""Readers' names of the uncertain parameters (sensitivity, switching values, assumptions)."""

FIELD_LABELS = LABELS | {
    "benefit_model": "How the savings arise",
    "first_financial_year": "First financial year of the plan",
    "plan_years": "Financial years in the plan",
    "price_year": "Prices of the year",
    "intake_start": "First children start",
    "intake_end": "Last day of the programme",
    "children_a_year": "Children a year",
    "programme_quarters": "Quarters in the programme placement",
    "counterfactual_in_care_share": "Share who would otherwise be in care",
    "failure_cost_gbp_a_year": "Cost of the placement after a failure (£ a year)",
    "success_cost_gbp_a_year": "Cost of living arrangements after a success (£ a year)",
    "counterfactual_exits": "When the placements avoided would have ended anyway",
    "baseline_placement_budget_gbp_a_year": "Placement budget the savings come from (£ a year)",
    "outcome_payment_basis": "What an outcome payment pays for",
    "payment_lag_years": "Years between an outcome and its payment",
    "discount_schedule": "Discount rates",
    "optimism_bias": "Optimism bias on costs",
    "monte_carlo_draws": "Monte Carlo draws",
    "seed": "Random seed of the Monte Carlo",
}
"""Readers' names of the parameters in the assumptions table."""

CHOICES = {
    "cohort": "children through the programme, cohort by cohort",
    "stated": "savings by year as the paper states them",
    "block_contract": "block places against buying the same placements spot",
    "per_success": "each child achieving the outcome",
    "per_care_day": "each day of care saved",
    "standard": "HM Treasury Green Book, standard rates",
    "health": "HM Treasury Green Book, health rates",
}
"""Readers' words for the parameters' choices."""


def saves(value: float) -> str:
    """``"saves £1,234"`` or, for a loss, ``"costs £1,234 more than it saves"``."""
    return f"saves {money(value)}" if value >= 0 else f"costs {money(-value)} more than it saves"


def headline_text(result: Result) -> str:
    """The headline in one or two sentences: the central estimate (Monte Carlo median) with
    its P10-P90 range and the planned case, saying so when the plan lies outside the range."""
    h, mc = result.headlines, result.monte_carlo
    base, low, high = h["net_saving_gbp"], mc["net_saving_p10_gbp"], mc["net_saving_p90_gbp"]
    text = (f"Paid from the council's own budget, the programme {saves(mc['net_saving_p50_gbp'])} over "
            f"{result.years[0]} to {result.years[-1]} at the central estimate (the median of {count(mc['draws'])} "
            f"Monte Carlo draws), and most likely between {money(low)} and {money(high)} (10th to 90th percentile); "
            f"the planned case gives {money(base)}.")
    if result.central_outside_range:
        side = "above the 90th" if base > high else "below the 10th"
        text += (f" The planned case lies {side} percentile of the draws: the ranges of the uncertain assumptions "
                 f"make {'a shortfall' if base > high else 'a better result'} against the plan more likely than not, "
                 "so the central estimate is the better guide.")
    return text


def break_even_text(result: Result) -> str:
    """The break-even success rate in a sentence that reads for every kind of programme."""
    p, rate = result.params, result.headlines["break_even_success_rate"]
    if p.benefit_model != "cohort":
        kind = "The savings of a block contract" if p.benefit_model == "block_contract" else "Savings stated year by year"
        return (f"{kind} do not depend on how many children succeed, so there is no break-even "
                "success rate; the sensitivity below shows how far the savings can fall.")
    if rate is None:
        return (f"No success rate between 0% and 100% brings the net present value to zero "
                f"(the plan assumes {share(p.success_rate)}).")
    return (f"{share(rate)} of children need to succeed for the net present value to reach zero; "
            f"the plan assumes {share(p.success_rate)}.")


def payback_text(result: Result) -> str:
    """When the council's cumulative position turns positive."""
    year = result.headlines["payback_year"]
    return (f"The council's cumulative position turns positive in {year}." if year
            else "The council's cumulative position does not turn positive within the plan.")


def plan_text(result: Result) -> str:
    """What the financial plan shows, naming the council paper's layout only where it follows one."""
    p = result.params
    layout = (f"The plan follows the layout of the council's own financial plan ({p.source_table.title}): "
              if p.source_table else "The plan shows ")
    body = "revenue expenditure by line, gross and net cost"
    if "Combined budget" in result.plan.index:
        return (f"{layout}{body}, then the effect on the placement budget. Investment is positive and saving "
                "negative; the cumulative saving is the year's combined budget against the original forecast, from "
                "the first full year, and the in-year figure is its change from the year before.")
    return (f"{layout}{body}, then the placement spending avoided and the council's net position year by year. "
            "Investment is positive and saving negative.")


def shortfall_text(result: Result) -> str:
    """The 'outcomes fall short' case in words."""
    (name, value), = result.shortfall.items()
    return f"a success rate of {share(value)}" if name == "success_rate" else f"savings at {share(value)} of the plan"


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
            f"outcomes achieved, priced to return {share(p.investor_return)} on the investor's capital at the planned "
            f"success rate{grant}: net saving {money(h['net_saving_bond_gbp'])}; the investor's capital outstanding "
            f"peaks at {money(h['investor_peak_capital_gbp'])}. The hybrid (option 3) finances "
            f"only {through} through the bond and the rest from the council's budget: "
            f"{money(h['net_saving_hybrid_gbp'])}. Doing nothing (option 4) neither costs nor saves.")


def _position(result: Result, option: str, party: str) -> tuple[float, float]:
    rows = result.risk[(result.risk["option"] == financing.OPTIONS[option]) & (result.risk["party"] == party)]
    by_case = rows.set_index("case")["net_gbp"]
    return float(by_case[CASES[0]]), float(by_case[CASES[1]])


def risk_text(result: Result) -> str:
    """A sentence on who carries the loss when outcomes fall short."""
    base, short = _position(result, "council", "Council")
    text = (f"Paying from its budget, the council carries the whole shortfall: its net saving falls by "
            f"{money(base - short)}.")
    if financing.OPTIONS["bond"] in set(result.risk["option"]):
        council_base, council_short = _position(result, "bond", "Council")
        investor_base, investor_short = _position(result, "bond", "Investor")
        loss = council_base - council_short
        change = (f"falls by only {money(loss)}" if loss >= 0 else
                  f"even rises, by {money(-loss)}, because each outcome is priced above the saving it brings")
        text += (f" Under the bond the outcome payments fall with the outcomes: the council's net saving {change}, "
                 f"and the investor's position goes from {money(investor_base)} to {money(investor_short)}.")
    return text


def summary_entry(page: Page, result: Result) -> None:
    """The appraisal's entry in the council's executive summary."""
    p, mc = result.params, result.monte_carlo
    programme = markdown_literal(p.programme)  # council-file text, shown as written
    answer = (f"{programme}: paid from the council's own budget, it {saves(mc['net_saving_p50_gbp'])} over {result.years[0]} to "
              f"{result.years[-1]} at the central estimate (planned case {money(result.headlines['net_saving_gbp'])}).")
    decision = {
        "cohort": f"Whether to commission {programme}, and whether to pay for it from the council's budget or for "
                  "outcomes through a social impact bond.",
        "block_contract": "Whether to buy these placements through a block contract rather than spot.",
        "stated": "Whether the programme's projected savings justify the funding it asks for.",
    }[p.benefit_model]
    certainty = (f"Monte Carlo range {money(mc['net_saving_p10_gbp'])} to {money(mc['net_saving_p90_gbp'])} "
                 f"(10th to 90th percentile); the programme saves money in {share(mc['probability_of_saving'])} of the draws.")
    if result.central_outside_range:
        certainty += " The planned case lies outside that range."
    if result.unsourced:
        certainty += f" It rests on figures no source gives: {'; '.join(result.unsourced)}."
    page.summary(answer, decision, certainty, basis=("illustrative",) if result.unsourced else (),
                 figure="central_net_saving")


def glue_figures(page: Page, result: Result) -> None:
    """Glue every figure and sentence the page's text uses; the key figures also go on the landing page."""
    h, mc, p = result.headlines, result.monte_carlo, result.params
    used = appraisal_inputs(result.own_programme, p)
    page.glue("programme", p.programme, fmt=str)
    page.glue("programme_summary", p.summary or p.programme, fmt=str)
    page.glue("programme_source", p.source or DOES_NOT_APPLY, fmt=str)
    page.glue("first_year", result.years[0], fmt=str)
    page.glue("last_year", result.years[-1], fmt=str)
    page.glue("net_saving", h["net_saving_gbp"], fmt=money, inputs=used)
    page.glue("npv", h["npv_gbp_2024_prices"], fmt=money, inputs=used)
    page.glue("npv_without_ob", h["npv_without_optimism_bias_gbp_2024_prices"], fmt=money, inputs=used)
    page.glue("payback", h["payback_year"] or "not within the plan", fmt=str, headline="Payback year", inputs=used)
    page.glue("payback_text", payback_text(result), fmt=str)
    if p.benefit_model == "cohort":
        rate = h["break_even_success_rate"]
        if rate is not None:
            page.glue("break_even", rate, fmt=share, headline="Break-even success rate", inputs=used)
        page.glue("success_rate", p.success_rate, fmt=share)
    page.glue("break_even_text", break_even_text(result), fmt=str)
    page.glue("chance_of_saving", mc["probability_of_saving"], fmt=share, headline="Chance the programme saves money", inputs=used)
    page.glue("central_net_saving", mc["net_saving_p50_gbp"], fmt=money, inputs=used,
              headline="Net saving over the plan, central estimate (£)")
    page.glue("headline_net_saving", h["net_saving_gbp"], fmt=money, inputs=used, label="Net saving over the plan, planned case (£)")
    page.glue("headline_npv", h["npv_gbp_2024_prices"], fmt=money, headline="Net present value (£, 2024 prices)", inputs=used)
    page.glue("headline_text", headline_text(result), fmt=str)
    page.glue("bcr", h["benefit_cost_ratio"], fmt=lambda v: count(v, decimals=2), inputs=used)
    page.glue("gross_savings", h["gross_savings_gbp"], fmt=money, inputs=used)
    page.glue("gross_cost", h["gross_cost_gbp"], fmt=money, inputs=used)
    page.glue("optimism_bias", p.optimism_bias, fmt=share)
    if h["net_saving_bond_gbp"] is not None:
        page.glue("investor_return", p.investor_return, fmt=share)
        page.glue("net_saving_bond", h["net_saving_bond_gbp"], fmt=money)
        page.glue("net_saving_hybrid", h["net_saving_hybrid_gbp"], fmt=money)
    page.glue("draws", mc["draws"], fmt=count)
    page.glue("seed", p.seed, fmt=str)
    page.glue("p10", mc["net_saving_p10_gbp"], fmt=money)
    page.glue("p50", mc["net_saving_p50_gbp"], fmt=money)
    page.glue("p90", mc["net_saving_p90_gbp"], fmt=money)
    page.glue("top_driver", LABELS.get(result.tornado.loc[0, "parameter"], "") if len(result.tornado) else "none", fmt=str)
    page.glue("plan_text", plan_text(result), fmt=str)
    page.glue("financing_text", financing_text(result), fmt=str)
    page.glue("risk_text", risk_text(result), fmt=str)
    page.glue("shortfall_case", shortfall_text(result), fmt=str)


def save_results(page: Page, result: Result) -> None:
    """Results files: the financial plan, headline figures, options by year, tornado, risk, and
    the comparison with the council's own plan where there is one."""
    page.save("cost_benefit_financial_plan", plan.tidy(result.plan))
    page.save("cost_benefit_headlines", {**result.headlines, **result.monte_carlo, "programme": result.params.programme,
                                         "illustrative": result.params.illustrative, "unsourced": list(result.unsourced)})
    options = pd.concat([pd.DataFrame({"option": financing.OPTIONS[k], "financial_year": result.years, "net_gbp": v})
                         for k, v in result.options.items()], ignore_index=True)
    page.save("cost_benefit_options_by_year", options)
    page.save("cost_benefit_tornado", result.tornado)
    page.save("cost_benefit_risk", result.risk)
    if result.source_comparison is not None:
        page.save("cost_benefit_source_plan", result.source_comparison)


def show_notices(page: Page, result: Result) -> None:
    """Say prominently when the appraisal is an illustration or rests on figures no source gives."""
    if result.params.illustrative:
        page.notice(
            f"Illustrative appraisal. {page.council.name} has no programme of its own in its council file, so this "
            "page appraises Rotherham's MST-FIT programme (the design and costs of its 2018 plan, at 2024 prices) "
            f"against the council's own residential placement cost from official statistics. Source: {result.params.source}.",
            kind="warning")
    elif result.unsourced:
        page.notice(f"This appraisal rests on figures no source gives: {'; '.join(result.unsourced)}. "
                    "Treat its results as an illustration until the council states them.", kind="warning")


def show(page: Page, result: Result) -> None:
    """The page's figures, sentences, summary entry, charts and results files."""
    show_notices(page, result)
    glue_figures(page, result)
    summary_entry(page, result)
    save_results(page, result)
    page.figure("cb_options", charts.cumulative_by_option(result.options, result.years))
    page.figure("cb_tornado", charts.tornado(result.tornado, LABELS))
    page.figure("cb_distribution", charts.distribution(result.simulated))


def plan_table(page: Page, result: Result) -> None:
    """The financial plan by line and financial year (whole pounds, a cost in brackets)."""
    frame = result.plan.rename_axis("Line (£)").reset_index()
    page.table(frame, caption=f"Financial plan by financial year (£, at {result.params.price_year} prices; option 1, "
               "council budget)", formats=dict.fromkeys(result.years, lambda v: amount(v, missing="")))


def source_figures(page: Page, result: Result) -> None:
    """The council paper's headline and financial plan beside the model's, with the differences
    and their reasons; a sentence where the paper gives none to compare."""
    p = result.params
    if result.reconciliation is None and result.source_comparison is None:
        what = ("This is an illustration: the council has no paper of its own to compare with." if p.illustrative else
                "The council's paper gives no headline or financial plan in a form this page reproduces line by line; "
                "the figures above are the appraisal's own.")
        display(Markdown(what))
        return
    if result.reconciliation is not None:
        headline, rec = p.source_headline, result.reconciliation
        display(Markdown(page.literal(
            f"The council's paper leads with its {markdown_literal(headline.label)}, **{markdown_literal(headline.stated_as)}**; "
            "this page leads with the "
            f"net saving over the whole plan, **{money(rec['model_gbp'].iloc[1])}**. They measure different things: "
            f"the paper's is one year's reduction in spending once the programme is running "
            f"({money(rec['model_gbp'].iloc[0])} in the model), this page's adds up every year's reduction, less the "
            f"programme's costs, from {result.years[0]} to {result.years[-1]}.")))
        page.table(pd.DataFrame({
            "Measure": rec["measure"], "Years": rec["years"],
            "Council's paper (£)": rec["paper_gbp"].map(lambda v: amount(v, missing="not stated")),
            "This appraisal (£)": rec["model_gbp"].map(amount)}),
            caption="The council's headline and this page's, reconciled")
    if result.source_summary is not None:
        s = result.source_summary
        page.table(pd.DataFrame({
            "Summary line": s["line"], "Council's paper": s["stated_as"],
            "This appraisal, rounded as the paper (£)": s["model_rounded_gbp"].map(amount),
            "Difference (£)": s["difference_gbp"].map(amount)}),
            caption=f"The summary lines of {markdown_literal(p.source_table.title)}, against the model")
    if result.source_comparison is not None:
        comparison_table(page, result)


def comparison_table(page: Page, result: Result) -> None:
    """The figures of the paper's financial plan that the model does not reproduce to the pound,
    with the reason for each line, and how many agree."""
    table, frame = result.params.source_table, result.source_comparison
    stated = frame[frame["paper_gbp"].notna()]
    differ = stated[stated["difference_gbp"].abs() >= 1]
    display(Markdown(page.literal(
        f"Of the {count(len(stated))} figures of {markdown_literal(table.title)}, {count(len(stated) - len(differ))} are reproduced "
        "to the pound" + (f" and {count(len(differ))} differ, shown below with the reason." if len(differ) else ".")
        + f" Source: {markdown_literal(table.source)}.")))
    if differ.empty:
        return
    page.table(pd.DataFrame({
        "Line of the paper": differ["line"], "Year": differ["financial_year"],
        "Paper (£)": differ["paper_gbp"].map(amount), "This appraisal (£)": differ["model_gbp"].map(amount),
        "Difference (£)": differ["difference_gbp"].map(amount)}),
        caption=f"Figures of {markdown_literal(table.title)} the model does not reproduce to the pound")
    reasons = differ.drop_duplicates("line")[["line", "reason"]]
    display(Markdown("\n".join(f"- **{markdown_literal(line)}.** {markdown_literal(reason) if reason else 'No reason recorded.'}"
                               for line, reason in zip(reasons["line"], reasons["reason"], strict=True)) + "\n"))


def quality(page: Page, result: Result) -> None:
    """The weighted quality scores and bonus percentages, where the contract has a quality bonus."""
    if result.params.quality_bonus is None:
        return
    table = quality_table(result.params.quality_bonus).rename(columns={
        "quarter": "Quarter", "weighted_total_percent": "Weighted total (%)", "payment_percent": "Payment percentage (%)"})
    page.table(table, caption="Weighted quarterly quality totals and the bonus payment percentage they earn "
               "(1% of the quarter's contract value from 80%, 2% from 90%)")


def risk(page: Page, result: Result) -> None:
    """Who bears the risk: one row per financing option, party and case (four columns)."""
    frame = result.risk
    page.table(pd.DataFrame({"Financing option": frame["option"], "Who": frame["party"], "Case": frame["case"],
                             "Net position over the plan (£)": frame["net_gbp"].map(amount)}),
               caption="Net position over the plan (£; a loss in brackets) of each party, in the base case and with outcomes short")


def _value(name: str, value: float) -> str:
    if name in ("success_rate", "investor_return"):
        return share(value)
    if name == "counterfactual_cost_gbp_a_year":
        return money(value)
    return f"{value:.2f}"


def switching(page: Page, result: Result) -> None:
    """Switching values: the value of each key assumption at which the NPV is zero."""
    frame = result.switching
    if frame.empty:
        display(Markdown("No assumption has a switching value in its range."))
        return
    names = frame["parameter"]
    table = pd.DataFrame({
        "Assumption": names.map(LABELS),
        "Base value": [_value(n, v) for n, v in zip(names, frame["base_value"], strict=True)],
        "Value at which NPV is zero": ["no switch in range" if v is None or pd.isna(v) else _value(n, v)
                                       for n, v in zip(names, frame["switching_value"], strict=True)],
        "Change from base": frame["change_share"].map(lambda v: share(v, signed=True, missing=DOES_NOT_APPLY)),
    })
    page.table(table, caption="Switching values of the key assumptions (NPV at 2024 prices with optimism bias)")


def _exits(exits: dict[int, float]) -> str:
    return ", ".join(f"{share(s)} in quarter {q}" for q, s in exits.items()) or "none within the plan"


def assumptions(page: Page, result: Result) -> None:
    """Every assumption with its value and source, including each cost line and distribution."""
    p = result.params
    scalars = {r["parameter"]: r["source"] for r in assumptions_table(p)}
    table = parameters_table(p, scalars, labels=FIELD_LABELS, source=scalars.__getitem__)
    values = {name: CHOICES[getattr(p, name)] for name in scalars if isinstance(getattr(p, name), str) and getattr(p, name) in CHOICES}
    values |= {"counterfactual_exits": _exits(p.counterfactual_exits)} if "counterfactual_exits" in scalars else {}
    table["Value"] = [values.get(name, shown) for name, shown in zip(scalars, table["Value"], strict=True)]
    line_source = p.sources.get("cost_lines", p.source)
    rows = [{"Parameter": f"Cost line: {line.label}",
             "Value": f"{money(line.annual_cost_gbp)} a year, {value_text(line.start, 'date')} to "
                      f"{value_text(line.end, 'date')}, set-up {money(line.set_up_gbp)}",
             "Meaning": "Service cost line" + (" (bond-financed in the hybrid)" if line.bond_financed_in_hybrid else ""),
             "Source": line_source} for line in p.cost_lines]
    if p.block_contract is not None:
        b = p.block_contract
        rows.append({"Parameter": "Block contract", "Value": f"{b.places:g} places, block {money(b.block_weekly_price_gbp)} "
                     f"against spot {money(b.spot_weekly_price_gbp)} a week, {share(b.occupancy)} used, "
                     f"{value_text(b.start, 'date')} to {value_text(b.end, 'date')}",
                     "Meaning": "Block contract against spot purchase", "Source": p.sources.get("block_contract", p.source)})
    if p.benefit_model == "stated":
        rows.append({"Parameter": "Stated savings", "Value": ", ".join(money(v) for v in p.stated_savings_gbp),
                     "Meaning": "Savings by plan year as stated", "Source": p.sources.get("stated_savings_gbp", p.source)})
    fund = p.life_chances_fund
    rows.append({"Parameter": "Life Chances Fund", "Value": f"{money(fund.annual_gbp)} a year for {fund.years} years; "
                 f"{share(fund.share_of_payments)} of payments; cap {money(fund.cap_gbp, missing=DOES_NOT_APPLY)}",
                 "Meaning": "Top-up of outcome payments (options 2 and 3)", "Source": fund.source or p.source})
    uncertain = {name: d for name, d in uncertainty.distributions(p).items()
                 if p.benefit_model == "cohort" or name not in ("success_rate", "investor_return")}
    rows += [{"Parameter": f"Range: {LABELS.get(name, name)}",
              "Value": f"{d.kind}, " + " / ".join(_value(name, v) for v in (d.low, d.mode, d.high) if v is not None),
              "Meaning": "Monte Carlo and sensitivity range (low / most likely / high)",
              "Source": p.sources.get("uncertainty", "The council file" if "uncertainty" in p.model_fields_set
                                      else "National default placeholder ranges")}
             for name, d in uncertain.items()]
    page.table(pd.concat([table, pd.DataFrame(rows, columns=table.columns)], ignore_index=True),
               caption="Assumptions of the appraisal with their values and sources")
