"""Year-by-year flows of children from referral to care (counts of children a year).

Structure (reproduces the Tri-borough bid's projection table, seed 004):

* referrals = new referrals (constant) + repeat referrals; repeat referrals in a year are
  the re-referral rate of the previous year times the cases closed that year (each year's
  referrals: the seed's 840 repeats = 20% of 4,200);
* assessments = assessments per referral x referrals;
* conferences and direct entries into care are rates of *weighted* assessments, where an
  assessment of a repeat referral counts ``repeat_referral_weight`` of one of a new
  referral;
* children diverted from direct entry (the fall in the direct-entry rate) go to an initial
  child protection conference instead;
* plans = plans per conference x conferences; entries via a plan = plan-to-care rate x
  plans; entries into care = direct entries + entries via a plan;
* everyone else steps down (children in need, early help) or is closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.flow.params import YEAR_LABEL, BaseYearFlows
from carebook.flow.scenarios import Scenario

#: Stages of the projection table, in order, with the labels readers see.
STAGES: dict[str, str] = {
    "referrals": "Referrals",
    "assessments": "Assessments",
    "conferences": "Child protection conferences",
    "plans": "Child protection plans",
    "entries_into_care": "Entered into care",
}


@dataclass(frozen=True)
class FlowRates:
    """Base-year rates of the flow model."""

    new_referrals: float  #: children a year, not repeat referrals
    repeat_referral_rate: float  #: 0-1, repeat referrals per closed case
    assessments_per_referral: float  #: 0-1
    repeat_referral_weight: float  #: relative to a new referral's assessment
    conference_rate: float  #: conferences per weighted assessment, 0-1
    direct_entry_rate: float  #: direct entries into care per weighted assessment, 0-1
    plans_per_conference: float  #: 0-1
    plan_to_care_rate: float  #: entries into care per plan, 0-1


def base_rates(base: BaseYearFlows, repeat_referral_weight: float = 1.0) -> FlowRates:
    """The rates implied by the base-year volumes."""
    repeats = base.repeat_referral_rate * base.referrals
    new = base.referrals - repeats
    per_referral = base.assessments / base.referrals
    weighted = per_referral * (new + repeat_referral_weight * repeats)
    if weighted <= 0 or base.conferences <= 0 or base.plans <= 0:
        raise InputError(
            "expected assessments, conferences and plans above 0 in the base year to derive the flow rates",
            where="flow_model.base",
        )
    return FlowRates(
        new_referrals=new,
        repeat_referral_rate=base.repeat_referral_rate,
        assessments_per_referral=per_referral,
        repeat_referral_weight=repeat_referral_weight,
        conference_rate=base.conferences / weighted,
        direct_entry_rate=(base.entries_into_care - base.entries_via_plan) / weighted,
        plans_per_conference=base.plans / base.conferences,
        plan_to_care_rate=base.entries_via_plan / base.plans,
    )


def year_labels(base_year: str, years: int) -> list[str]:
    """``"2014/15", 2 -> ["2014/15", "2015/16", "2016/17"]`` (base year then ``years`` more)."""
    match = YEAR_LABEL.match(base_year)
    if not match:
        raise InputError(f"expected a financial year like '2014/15', got {base_year!r}", where="flow_model.base.year")
    start = int(match[1])
    return [f"{start + i}/{(start + i + 1) % 100:02d}" for i in range(years + 1)]


def referrals_by_year(rates: FlowRates, re_referral: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """New and repeat referrals per year (children), from the re-referral rate multipliers.

    ``re_referral[t]`` scales the base re-referral rate of cases closed in year t; their
    repeat referrals arrive in year t + 1. Year 0 is the base year (in steady state).
    """
    years = len(re_referral)
    repeats = np.empty(years)
    total = rates.new_referrals / (1 - rates.repeat_referral_rate)
    repeats[0] = rates.repeat_referral_rate * total
    for year in range(1, years):
        previous_total = rates.new_referrals + repeats[year - 1]
        repeats[year] = rates.repeat_referral_rate * re_referral[year - 1] * previous_total
    return np.full(years, rates.new_referrals), repeats


def project(base: BaseYearFlows, rates: FlowRates, scenario: Scenario) -> pd.DataFrame:
    """Flows of children per year under a scenario: one row per year (base year first).

    Columns are counts of children a year, plus the rates in force (0-1).
    """
    new, repeats = referrals_by_year(rates, scenario.re_referral.multipliers())
    direct_rate = rates.direct_entry_rate * scenario.direct_entry.multipliers()
    plan_rate = rates.plan_to_care_rate * scenario.plan_to_care.multipliers()
    referrals = new + repeats
    assessments = rates.assessments_per_referral * referrals
    weighted = rates.assessments_per_referral * (new + rates.repeat_referral_weight * repeats)
    direct = direct_rate * weighted
    diverted = (rates.direct_entry_rate - direct_rate) * weighted
    conferences = rates.conference_rate * weighted + diverted
    plans = rates.plans_per_conference * conferences
    via_plan = plan_rate * plans
    frame = pd.DataFrame(
        {
            "new_referrals": new,
            "repeat_referrals": repeats,
            "referrals": referrals,
            "not_assessed": referrals - assessments,
            "assessments": assessments,
            "direct_entries": direct,
            "diverted_to_conference": diverted,
            "conferences": conferences,
            "assessed_stepped_down": assessments - conferences - direct,
            "plans": plans,
            "conference_no_plan": conferences - plans,
            "entries_via_plan": via_plan,
            "plans_stepped_down": plans - via_plan,
            "entries_into_care": direct + via_plan,
            "re_referral_rate": rates.repeat_referral_rate * scenario.re_referral.multipliers(),
            "direct_entry_rate": direct / assessments,
            "plan_to_care_rate": plan_rate,
        },
        index=pd.Index(year_labels(base.year, scenario.years), name="year"),
    )
    negative = frame.columns[(frame < -1e-9).any()]
    if len(negative):
        raise InputError(
            f"expected the rates to keep every flow at 0 or more, but {', '.join(negative)} fell below 0",
            where="flow_model",
        )
    return frame


def stage_balance(projection: pd.DataFrame) -> pd.DataFrame:
    """Children in and out of each stage per year: in = onward + remaining (stepped down/closed).

    Long table: year, stage, children_in, children_onward, children_remaining.
    """
    stages = {
        "referral": ("referrals", ["assessments"], "not_assessed"),
        "assessment": ("assessments", ["conferences", "direct_entries"], "assessed_stepped_down"),
        "conference": ("conferences", ["plans"], "conference_no_plan"),
        "plan": ("plans", ["entries_via_plan"], "plans_stepped_down"),
        "entry_into_care": ("entries_into_care", ["direct_entries", "entries_via_plan"], None),
    }
    parts = []
    for stage, (inflow, onward, remaining) in stages.items():
        if stage == "entry_into_care":
            # entries into care arrive from two stages: in = direct + via a plan, nothing remains
            frame = pd.DataFrame({
                "children_in": projection[onward].sum(axis=1),
                "children_onward": projection[inflow],
                "children_remaining": 0.0,
            })  # fmt: skip
        else:
            frame = pd.DataFrame({
                "children_in": projection[inflow],
                "children_onward": projection[onward].sum(axis=1),
                "children_remaining": projection[remaining],
            })  # fmt: skip
        parts.append(frame.assign(stage=stage).reset_index())
    return pd.concat(parts, ignore_index=True)[
        ["year", "stage", "children_in", "children_onward", "children_remaining"]
    ]


def projection_table(projection: pd.DataFrame) -> pd.DataFrame:
    """Tidy projection: year, stage, children, change_from_base (children a year)."""
    stages = projection[list(STAGES)]
    change = stages - stages.iloc[0]
    return (
        stages.reset_index()
        .melt(id_vars="year", var_name="stage", value_name="children")
        .assign(change_from_base=change.reset_index().melt(id_vars="year")["value"].to_numpy())
    )


def projection_display(projection: pd.DataFrame) -> pd.DataFrame:
    """The seed's layout: a row per stage and a 'change from base' row under it, years as columns."""
    stages = projection[list(STAGES)].T
    change = stages.sub(stages.iloc[:, 0], axis=0)
    rows = []
    for key, label in STAGES.items():
        rows.append(stages.loc[key].rename(label))
        rows.append(change.loc[key].rename(f"  change from {projection.index[0]}"))
    table = pd.DataFrame(rows).round(0)
    table.index.name = "stage"
    table.columns.name = None
    return table
