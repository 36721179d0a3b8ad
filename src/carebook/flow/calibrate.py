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

from carebook import comparator, provenance, public
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
    evidence: pd.DataFrame  #: measure, label, time_period, children, source (the publication), basis ("own" or "comparator")
    comparators: tuple[comparator.Comparator, ...] = ()  #: set when some figures are a comparator's estimates

    @property
    def estimated(self) -> list[str]:
        """The labels of the measures estimated from a comparator (empty when all are the council's own)."""
        return list(self.evidence.loc[self.evidence["basis"] == comparator.COMPARATOR, "label"])


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


def member_counts(council: Council) -> pd.DataFrame:
    """Each member's published counts by measure and year, NaN where not published (every
    member, measure and year of the tables is present). Long: code, year (int), measure, children."""
    counts = published_counts(council.codes)
    grid = pd.MultiIndex.from_product([council.codes, sorted(counts["year"].unique()), list(OFFICIAL_MEASURES)],
                                      names=["code", "year", "measure"])
    return counts.set_index(["code", "year", "measure"])["children"].reindex(grid).reset_index()


def published_counts(codes: list[str]) -> pd.DataFrame:
    """The published counts of the councils ``codes`` (rows as published; suppressed cells NaN).
    Long: code, year (int), measure, children."""
    parts = []
    for measure, (file, column, population_type) in OFFICIAL_MEASURES.items():  # five tables
        table = public.read(file, numeric=[column])
        rows = table[table["new_la_code"].isin(codes) & (table["geographic_level"] == public.LOCAL_AUTHORITY)]
        if population_type is not None:
            rows = rows[rows["population_type"] == population_type]
        parts.append(pd.DataFrame({"code": rows["new_la_code"].to_numpy(), "year": rows["time_period"].astype(int).to_numpy(),
                                   "measure": measure, "children": rows[column].to_numpy()}))
    return pd.concat(parts, ignore_index=True)


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
    """Base-year flows of a council from its official statistics (latest complete year); where
    no year is complete, the figures not published are estimated from a comparator
    (:func:`base_with_comparator`)."""
    counts = official_counts(council)
    try:
        year = latest_complete_year(counts, len(council.codes))
    except InputError:
        return base_with_comparator(council, params)
    figures = counts[counts["time_period"] == year].set_index("measure")["children"]
    return _official_base(council, params, year, figures, pd.Series(comparator.OWN, index=figures.index))


def base_with_comparator(council: Council, params: FlowParams) -> OfficialBase:
    """Base-year flows where some figures are never published: the latest year in which each
    member's figure is either published or estimated from its comparator
    (:func:`carebook.comparator.fill_from_comparators`: the comparator's rate per 10,000
    children times the member's population aged 0 to 17)."""
    pairs = comparator.comparator_pairs(council.codes)
    filled = comparator.fill_from_comparators(member_counts(council), comparator.child_population(), pairs,
                                              published_counts(list(pairs["comparator"].unique())))
    usable = filled.assign(usable=filled["basis"] != comparator.NONE).groupby("year")["usable"].all()
    if not usable.any():
        raise InputError(
            f"expected one year in which referrals, re-referrals, conferences, plans and children starting to be "
            f"looked after are published for {council.name} or for its comparator councils; none is",
            file=C1,
        )
    year = int(usable[usable].index.max())
    rows = filled[filled["year"] == year]
    figures = rows.groupby("measure")["children"].sum()
    basis = rows.assign(estimated=rows["basis"] == comparator.COMPARATOR).groupby("measure")["estimated"].any()
    estimated_members = rows.loc[rows["basis"] == comparator.COMPARATOR, "code"].unique()
    comparators = tuple(comparator.comparator_for(code) for code in estimated_members)  # a few members
    return _official_base(council, params, str(year), figures, basis.map({True: comparator.COMPARATOR, False: comparator.OWN}),
                          comparators)


def _official_base(council: Council, params: FlowParams, year: str, figures: pd.Series, basis: pd.Series,
                   comparators: tuple[comparator.Comparator, ...] = ()) -> OfficialBase:
    """The base year from a year's figures by measure, each marked ``own`` or ``comparator``."""
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
        source=f"DfE official statistics for {council.name}, year to 31 March {year}" + (
            f"; {comparator.listed([MEASURE_LABELS[m].lower() for m in OFFICIAL_MEASURES if basis[m] == comparator.COMPARATOR])} "
            "estimated from comparator councils' rates per 10,000 children" if comparators else ""),
    )
    evidence = pd.DataFrame({
        "measure": list(OFFICIAL_MEASURES),
        "label": [MEASURE_LABELS[m] for m in OFFICIAL_MEASURES],
        "time_period": year,
        "children": [figures[m] for m in OFFICIAL_MEASURES],
        "source": [provenance.data_file_source(council, OFFICIAL_MEASURES[m][0]) for m in OFFICIAL_MEASURES],
        "basis": [basis[m] for m in OFFICIAL_MEASURES],
    })  # fmt: skip
    return OfficialBase(base=base, evidence=evidence, comparators=comparators)
