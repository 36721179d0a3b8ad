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

from carebook import provenance, public
from carebook.council import Council
from carebook.errors import InputError
from carebook.flow.params import BaseYearFlows, FlowParams

C1 = "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
C4 = "dfe/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
D3 = "dfe/d3_cpps_subsequent_plan_2013_to_2025.csv"
CLA = "dfe/cla_number_and_rate_per_10k_children.csv"
CLA_STARTING = "Children starting to be looked after each year"

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
    evidence: pd.DataFrame  #: measure, label, time_period, children, source (the publication)


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
        "source": [provenance.data_file_source(council, OFFICIAL_MEASURES[m][0]) for m in OFFICIAL_MEASURES],
    })  # fmt: skip
    return OfficialBase(base=base, evidence=evidence)
