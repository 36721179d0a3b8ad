"""Base-year flows for any English council from official statistics.

Referrals and repeat referrals (DfE table C1), initial child protection conferences (C4),
child protection plans started (D3) and children starting to be looked after (DfE
children looked after) are summed over the council's members for the latest year in
which every stage is published for every member. Assessment counts are not in these
tables: they come from a stated ratio of assessments to referrals. Entries into care via
a plan are not published either: a stated share of entries into care.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook import public
from carebook.council import Council
from carebook.errors import InputError
from carebook.flow.params import BaseYearFlows, FlowParams

C1 = "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
C4 = "dfe/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
D3 = "dfe/d3_cpps_subsequent_plan_2013_to_2025.csv"
CLA = "dfe/cla_number_and_rate_per_10k_children.csv"
RO3 = "derived/ro3_2024_25_children_looked_after_expenditure_by_la_gbp_thousands.csv"
RO3_YEAR = "2025"
RO3_COLUMN = "Children's social care - Children Looked After - Total Expenditure (C3 = C1 + C2)"
CLA_STARTING = "Children starting to be looked after each year"
MIN_PLAUSIBLE_EPISODE_COST_GBP = 10_000.0
"""£: below this a council's RO3 looked-after spend per child starting care is not its full spend."""

#: measure -> (file, column, row filter on population_type or None)
OFFICIAL_MEASURES: dict[str, tuple[str, str, str | None]] = {
    "referrals": (C1, "referral_count", None),
    "repeat_referrals": (C1, "rereferral_count", None),
    "conferences": (C4, "ICPC", None),
    "plans": (D3, "CPP_start", None),
    "entries_into_care": (CLA, "children_count", CLA_STARTING),
}
MEASURE_LABELS = {
    "referrals": "Referrals",
    "repeat_referrals": "Re-referrals within 12 months",
    "conferences": "Initial child protection conferences",
    "plans": "Child protection plans started",
    "entries_into_care": "Children starting to be looked after",
}


@dataclass(frozen=True)
class OfficialBase:
    """Base-year flows from official statistics and the figures they were built from."""

    base: BaseYearFlows
    evidence: pd.DataFrame  #: measure, label, time_period, children, file, column


def financial_year(time_period: str) -> str:
    """DfE reporting year ``"2025"`` (year to 31 March 2025) -> ``"2024/25"``."""
    end = int(time_period)
    return f"{end - 1}/{end % 100:02d}"


def official_counts(council: Council) -> pd.DataFrame:
    """The council's published counts by measure and year, summed over members.

    Long: measure, time_period, children, members (how many members published a number).
    """
    parts = []
    for measure, (file, column, population_type) in OFFICIAL_MEASURES.items():
        rows = public.for_council(public.read(file, numeric=[column]), council)
        if population_type is not None:
            rows = rows[rows["population_type"] == population_type]
        summed = rows.groupby("time_period")[column].agg(children="sum", members="count")
        parts.append(summed.reset_index().assign(measure=measure))
    return pd.concat(parts, ignore_index=True)[["measure", "time_period", "children", "members"]]


def latest_complete_year(counts: pd.DataFrame, members: int) -> str:
    """Latest ``time_period`` in which every measure is published for every member."""
    complete = counts[counts["members"] == members].groupby("time_period")["measure"].nunique()
    years = complete[complete == len(OFFICIAL_MEASURES)].index
    if years.empty:
        raise InputError(
            "expected one year in which referrals, re-referrals, conferences, plans and children starting to be "
            "looked after are all published for every member; none is (suppressed or missing figures)",
            file=C1,
        )
    return max(years, key=int)


def base_from_official(council: Council, params: FlowParams) -> OfficialBase:
    """Base-year flows of a council from its official statistics (latest complete year)."""
    counts = official_counts(council)
    year = latest_complete_year(counts, len(council.codes))
    figures = counts[counts["time_period"] == year].set_index("measure")["children"]
    referrals = figures["referrals"]
    entries = figures["entries_into_care"]
    assessments = params.assessments_per_referral * referrals
    conferences = min(figures["conferences"], assessments)
    plans = min(figures["plans"], conferences)
    via_plan = min(params.entries_via_plan_share * entries, plans)
    base = BaseYearFlows(
        year=financial_year(year),
        referrals=referrals,
        repeat_referral_rate=figures["repeat_referrals"] / referrals,
        assessments=assessments,
        conferences=conferences,
        plans=plans,
        entries_into_care=entries,
        entries_via_plan=via_plan,
        source=f"DfE official statistics for {council.name}, year to 31 March {year}",
    )
    evidence = pd.DataFrame({
        "measure": list(OFFICIAL_MEASURES),
        "label": [MEASURE_LABELS[m] for m in OFFICIAL_MEASURES],
        "time_period": year,
        "children": [figures[m] for m in OFFICIAL_MEASURES],
        "file": [OFFICIAL_MEASURES[m][0] for m in OFFICIAL_MEASURES],
        "column": [OFFICIAL_MEASURES[m][1] for m in OFFICIAL_MEASURES],
    })  # fmt: skip
    return OfficialBase(base=base, evidence=evidence)


def _ro3_spend_gbp(codes: list[str]) -> pd.Series:
    """Looked-after children expenditure (RO3 2024-25) in £ for the given ONS codes (NaN where not given)."""
    spend = public.read(RO3, numeric=[RO3_COLUMN])  # not-available cells ("[x]") are NaN; other text is an error
    return spend.set_index("ONS Code")[RO3_COLUMN].reindex(codes) * 1000


def england_cost_per_care_episode() -> float:
    """£ per care episode for England: England RO3 looked-after spend / England children starting care."""
    spend = public.read(RO3, numeric=[RO3_COLUMN])
    england = spend.loc[spend["Local authority"] == "ENGLAND", RO3_COLUMN].sum(min_count=1) * 1000
    cla = public.read(CLA, numeric=["children_count"])
    starting = cla[(cla["geographic_level"] == "National") & (cla["time_period"] == RO3_YEAR)
                   & (cla["population_type"] == CLA_STARTING)]["children_count"].sum()  # fmt: skip
    if not england > 0 or not starting > 0:
        raise InputError(f"expected England's looked-after spend (the ENGLAND row, column {RO3_COLUMN!r}) and England's "
                         f"children starting care in {RO3_YEAR}", file=RO3)
    return float(england / starting)


def cost_per_care_episode_from_official(council: Council) -> tuple[float, str]:
    """£ per care episode: looked-after children spend (RO3 2024-25) / children starting care (2024-25).

    In a steady state a year's spend equals the year's entries times the average cost of
    an episode, so this ratio estimates the cost of one care episode. Where a member's
    spend is not published, or the ratio is below ``MIN_PLAUSIBLE_EPISODE_COST_GBP`` (the
    spend is recorded elsewhere, e.g. by a children's trust), England's figure is used.
    """
    spend_gbp = _ro3_spend_gbp(council.codes)
    counts = official_counts(council)
    starting = counts[(counts["measure"] == "entries_into_care") & (counts["time_period"] == RO3_YEAR)]
    complete = not spend_gbp.isna().any() and not starting.empty and starting["members"].iloc[0] == len(council.codes)
    cost = spend_gbp.sum() / starting["children"].iloc[0] if complete and starting["children"].iloc[0] > 0 else 0.0
    source = (
        "MHCLG revenue outturn RO3 2024-25 (children looked after, total expenditure) divided by DfE children "
        "starting to be looked after in the year to 31 March 2025"
    )
    if cost >= MIN_PLAUSIBLE_EPISODE_COST_GBP:
        return float(cost), source
    return england_cost_per_care_episode(), (
        f"England figure ({source}): {council.name}'s own looked-after spend is not published in RO3 "
        "or is too small to be its full spend"
    )
