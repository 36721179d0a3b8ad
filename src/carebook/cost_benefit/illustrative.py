"""An illustrative appraisal for a council with no programme of its own.

Rotherham's MST-FIT programme, as its council file data/councils/rotherham.yml states it
(design, success rate, exits and service cost lines, the costs brought to 2024 prices with
the GDP deflator), is set against the council's own
residential placement cost from official statistics: MHCLG RO3 2024-25 spending on
residential care for looked-after children divided by the children in residential
settings at 31 March 2025 (DfE).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from carebook.cost_benefit import greenbook
from carebook.cost_benefit.params import CostBenefitParams, CostLine, Distribution, LifeChancesFund

RO3_FILE = "derived/ro3_2024_25_children_looked_after_expenditure_by_la_gbp_thousands.csv"
RO3_RESIDENTIAL = "Children's social care - Children Looked After of which residential care - Total Expenditure (C3 = C1 + C2)"
CLA_FILE = "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv"
RESIDENTIAL_PLACEMENTS = ("Secure homes and children's homes", "Other residential settings", "Residential schools")
SHIFT_YEARS = 8  # the 2018/19 plan moved to start in 2026/27
PROGRAMME_COUNCIL = "rotherham"  # the council file whose service cost lines the illustration uses


@dataclass(frozen=True)
class ResidentialCost:
    """A council's residential spending (£ a year), children in residential settings, and the unit cost (£ a child a year)."""

    spend_gbp: float
    children: float
    cost_per_child_gbp: float
    source: str


def residential_cost(codes: list[str], name: str) -> ResidentialCost:
    """Residential cost per child a year from RO3 2024-25 and CLA at 31 March 2025, summed over the members.

    Suppressed counts of the smaller residential settings (fewer than five children) are
    left out; the council falls back to England's figure when its spending or its count
    in children's homes is missing.
    """
    from carebook import public

    spend = public.read(RO3_FILE, numeric=[RO3_RESIDENTIAL])
    cla = public.read(CLA_FILE, numeric=("number",))
    residential = cla[(cla["time_period"] == "2025") & (cla["cla_group"] == "Placement")
                      & cla["characteristic"].isin(RESIDENTIAL_PLACEMENTS)]
    own_spend = spend.loc[spend["ONS Code"].isin(codes), RO3_RESIDENTIAL].sum(min_count=len(codes)) * 1000
    own_children = residential.loc[residential["new_la_code"].isin(codes)
                                   & (residential["geographic_level"] == "Local authority"), "number"]
    homes = residential.loc[residential["new_la_code"].isin(codes) & (residential["characteristic"] == RESIDENTIAL_PLACEMENTS[0]), "number"]
    children = own_children.sum() if len(homes) == len(codes) and homes.notna().all() else np.nan
    if np.isfinite(own_spend) and np.isfinite(children) and children > 0:
        return ResidentialCost(own_spend, children, own_spend / children,
                               f"{name}: MHCLG RO3 2024-25 residential spend / DfE children in residential settings at 31 March 2025")
    national_spend = spend.loc[spend["Class"] == "Eng", RO3_RESIDENTIAL].sum() * 1000
    national_children = residential.loc[residential["geographic_level"] == "National", "number"].sum()
    return ResidentialCost(national_spend, national_children, national_spend / national_children,
                           f"England (the figure for {name} is suppressed or missing): RO3 2024-25 / DfE CLA at 31 March 2025")


def programme() -> CostBenefitParams:
    """The illustrative programme as Rotherham's council file states it (read from the
    repository's ``data/councils`` whatever councils folder a run uses)."""
    from carebook.params import council_from_file
    from carebook.paths import DATA

    council = council_from_file(DATA / "councils" / f"{PROGRAMME_COUNCIL}.yml")
    return council.cost_benefit


def programme_lines() -> tuple[list[CostLine], str]:
    """The illustrative programme's service cost lines (£ at their own plan's prices) and
    their source, cited as the document (:func:`programme`)."""
    section = programme()
    return section.cost_lines, f"{section.source}: {section.sources.get('cost_lines', section.source)}"


def illustrative_params(codes: list[str], name: str) -> CostBenefitParams:
    """Rotherham's programme (its council file: design, success rate, exits and service cost
    lines), moved to start in 2026/27 at 2024 prices, against the council's own residential cost."""
    cost = residential_cost(codes, name)
    design = programme()
    lines, lines_source = programme_lines()
    uplift = float(greenbook.to_real(np.array(1.0), design.price_year, 2024, greenbook.gdp_deflator()))

    def later(day: dt.date) -> dt.date:
        return day.replace(year=day.year + SHIFT_YEARS)

    moved = [CostLine(label=line.label, annual_cost_gbp=round(line.annual_cost_gbp * uplift), start=later(line.start),
                      end=later(line.end), set_up_gbp=round(line.set_up_gbp * uplift),
                      bond_financed_in_hybrid=line.bond_financed_in_hybrid) for line in lines]
    unit = round(cost.cost_per_child_gbp)
    return design.model_copy(update={
        "programme": f"{design.programme} (illustrative)",
        "illustrative": True,
        "source": f"Rotherham's MST-FIT programme as its council file states it ({design.source}), at 2024 prices; "
                  f"{cost.source}",
        "sources": {"counterfactual_cost_gbp_a_year": cost.source, "baseline_placement_budget_gbp_a_year": cost.source,
                    "cost_lines": f"{lines_source}; x GDP deflator 2024/{design.price_year}"},
        "source_headline": None,
        "source_table": None,
        "first_financial_year": design.first_financial_year + SHIFT_YEARS,
        "price_year": 2024,
        "intake_start": later(design.intake_start),
        "intake_end": later(design.intake_end),
        "counterfactual_cost_gbp_a_year": unit,
        "baseline_placement_budget_gbp_a_year": round(cost.spend_gbp),
        "cost_lines": moved,
        "life_chances_fund": LifeChancesFund(source="No Life Chances Fund grant assumed in the illustration"),
        "uncertainty": design.uncertainty | {
            "counterfactual_cost_gbp_a_year": Distribution(kind="triangular", low=0.8, mode=1, high=1.2, relative=True)},
    })
