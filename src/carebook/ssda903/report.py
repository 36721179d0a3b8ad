"""What an analyst sees of an extract before anything else: ``carebook validate``.

The report says which layout and collection-year convention were found, the years,
children and episodes read, every repair and drop by rule, DfE's validation rules by
collection year, and per collection year the children in care at 31 March (in all and
by placement group), the periods of care started and the days of care. It holds counts
only: no CHILD id, date of birth or postcode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from carebook.errors import InputError
from carebook.ssda903 import codes, periods, quality
from carebook.ssda903.extract import Extract
from carebook.ssda903.layout import LAYOUT_NAMES
from carebook.ssda903.raw import RawExtract

DFE_COLUMNS = ["year", "code", "message", "count", "excepted"]
#: Placement groups of the report, in the order shown.
GROUPS: tuple[str, ...] = ("fostering", "residential", "semi_independence", "other", "unknown")


@dataclass(frozen=True)
class ExtractReport:
    """Counts that describe an extract; see the module docstring.

    by_year: one row per collection year: ``year``, ``in_care_31_march``,
             ``period_starts``, ``care_days``.
    in_care_by_group: ``year``, ``group``, ``children`` at 31 March.
    repairs: the extract's repairs and drops by rule (see :mod:`repair`).
    repairs_by_year: ``year``, ``rule``, ``action``, ``rows``.
    dfe_rules: ``year``, ``code``, ``message``, ``count``, ``excepted``; empty when
               the rules were not run (``dfe_note`` says why).
    """

    layout: str
    convention: str
    convention_forced: bool
    years: list[int]
    children: int
    episodes: int
    by_year: pd.DataFrame
    in_care_by_group: pd.DataFrame
    repairs: pd.DataFrame
    repairs_by_year: pd.DataFrame
    dfe_rules: pd.DataFrame
    dfe_note: str

    @property
    def usable(self) -> bool:
        """True when at least one child has a usable episode of care."""
        return self.children > 0 and self.episodes > 0


def yearly_figures(extract: Extract, years: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per collection year: children in care at 31 March, periods of care started and
    days of care; and the children at 31 March by placement group."""
    episodes = periods.with_groups(extract.episodes)
    group = episodes["sufficiency_group"].fillna("unknown")
    starts = periods.periods_of_care(extract.episodes)["start"] if len(episodes) else pd.Series(dtype="datetime64[ns]")
    rows, by_group = [], []
    for year in years:  # one iteration per collection year
        first, last = codes.year_span(year)
        open_then = periods.open_on(episodes, last)
        children = episodes.loc[open_then, "CHILD"].nunique()
        rows.append({
            "year": year,
            "in_care_31_march": int(children),
            "period_starts": int(((starts >= first) & (starts <= last)).sum()),
            "care_days": int(periods.days_in_care(episodes, first, last + pd.Timedelta(days=1)).sum()),
        })
        counts = group[open_then].value_counts().reindex(list(GROUPS), fill_value=0)
        by_group.append(pd.DataFrame({"year": year, "group": counts.index, "children": counts.to_numpy()}))
    in_groups = pd.concat(by_group, ignore_index=True) if by_group else pd.DataFrame(
        columns=["year", "group", "children"])
    return pd.DataFrame(rows, columns=["year", "in_care_31_march", "period_starts", "care_days"]), in_groups


def repairs_by_year(extract: Extract, raw: RawExtract) -> pd.DataFrame:
    """Repaired and dropped rows by collection year of the file they came from, and rule."""
    problems = extract.problems
    if problems.empty or "action" not in problems:
        return pd.DataFrame(columns=["year", "rule", "action", "rows"])
    year_of = raw.files.set_index("label")["year"]
    return (problems.assign(year=problems["file"].map(year_of))
            .drop_duplicates(["file", "row", "rule"])
            .groupby(["year", "rule", "action"], as_index=False, dropna=False).size()
            .rename(columns={"size": "rows"}))


def dfe_rules_by_year(raw: RawExtract, la_code: str | None) -> tuple[pd.DataFrame, str]:
    """DfE's validation rules over each collection year's own files, with that year's
    ruleset (rule codes and counts), and a note on the years and rules not checked."""
    from carebook.ssda903 import dfe_rules

    years = {year: (raw.header[raw.header["_year"] == year], raw.episodes[raw.episodes["_year"] == year])
             for year in raw.years if dfe_rules.ruleset_for(year) is not None}
    if not years:
        return (pd.DataFrame(columns=DFE_COLUMNS),
                "DfE's validation rules are published for collection years 2022-23 onwards only.")
    run = dfe_rules.run_dfe_rules(years, la_code)
    notes = []
    if len(years) < len(raw.years):
        notes.append(f"Years before {codes.year_name(min(years))} have no published DfE rules and were not checked.")
    not_run = run.not_run.drop_duplicates("code")
    for reason, rules in not_run.groupby("reason", sort=True):  # a few reasons
        notes.append(f"{len(rules)} {'rules were' if len(rules) != 1 else 'rule was'} not run: {reason}.")
    return run.counts[DFE_COLUMNS], " ".join(notes)


def build_report(raw: RawExtract, extract: Extract, la_code: str | None = None, dfe: bool = True) -> ExtractReport:
    """The report of an extract read from ``raw`` and repaired into ``extract``."""
    by_year, in_groups = yearly_figures(extract, raw.years)
    if dfe:
        try:
            rules, note = dfe_rules_by_year(raw, la_code)
        except InputError as error:
            rules, note = pd.DataFrame(columns=DFE_COLUMNS), str(error)
    else:
        rules, note = pd.DataFrame(columns=DFE_COLUMNS), "DfE's rules were not run (--no-dfe-rules)."
    return ExtractReport(
        layout=raw.layout, convention=raw.convention, convention_forced=raw.convention_forced,
        years=list(raw.years), children=int(extract.header["CHILD"].nunique()),
        episodes=len(extract.episodes), by_year=by_year, in_care_by_group=in_groups,
        repairs=extract.repairs, repairs_by_year=repairs_by_year(extract, raw),
        dfe_rules=rules, dfe_note=note,
    )  # fmt: skip


def as_json(report: ExtractReport) -> dict[str, Any]:
    """The report as one JSON object. Keys: ``layout``, ``convention``,
    ``convention_forced``, ``usable``, ``children``, ``episodes``, ``repairs`` (by rule),
    ``dfe_rules_note`` and ``years``: one object per collection year (``"2025"`` for
    2024-25) with ``in_care_31_march`` (``total`` and ``by_group``), ``period_starts``,
    ``care_days``, ``repairs`` (rule, action, rows) and ``dfe_rules`` (code, message,
    count, excepted)."""
    years: dict[str, Any] = {}
    for row in report.by_year.itertuples(index=False):  # one per collection year
        groups = report.in_care_by_group[report.in_care_by_group["year"] == row.year]
        years[str(row.year)] = {
            "label": codes.year_name(row.year),
            "in_care_31_march": {"total": int(row.in_care_31_march),
                                 "by_group": {g: int(c) for g, c in zip(groups["group"], groups["children"])}},
            "period_starts": int(row.period_starts),
            "care_days": int(row.care_days),
            "repairs": _records(report.repairs_by_year[report.repairs_by_year["year"] == row.year]
                                .drop(columns="year")),
            "dfe_rules": _records(report.dfe_rules[report.dfe_rules["year"] == row.year].drop(columns="year")),
        }
    return {
        "layout": report.layout, "convention": report.convention,
        "convention_forced": report.convention_forced, "usable": report.usable,
        "children": report.children, "episodes": report.episodes,
        "repairs": _records(report.repairs), "dfe_rules_note": report.dfe_note, "years": years,
    }  # fmt: skip


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-friendly dicts (numpy scalars as Python numbers)."""
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.astype(object).where(frame.notna(), None).to_dict("records")]


def as_text(report: ExtractReport) -> str:
    """The report as the command line prints it."""
    lines = [
        f"Layout: {LAYOUT_NAMES.get(report.layout, report.layout)}",
        f"Collection years: {quality.CONVENTION_WORDS.get(report.convention, report.convention)}"
        + (" (set by the user)" if report.convention_forced else " (found from the dates)"),
        f"Years read: {', '.join(codes.year_name(y) for y in report.years)}",
        f"Children: {report.children:,}; episodes after repair: {report.episodes:,}",
        "",
        "Repairs and drops by rule (rows, share of care days); 'merged' is the normal joining of years:",
    ]
    for row in report.repairs.itertuples(index=False):  # one per rule
        lines.append(f"  {row.action:8} {row.rule:20} {row.rows:>8,} rows  {row.share_of_care_days:7.2%}  "
                     f"{row.description}")
    lines += ["", f"{'Year':8} {'In care 31 March':>17} {'Periods started':>16} {'Care days':>12}"]
    for row in report.by_year.itertuples(index=False):
        lines.append(f"{codes.year_name(row.year):8} {row.in_care_31_march:>17,} {row.period_starts:>16,} "
                     f"{row.care_days:>12,}")
    lines += ["", "Children in care at 31 March by placement group:"]
    wide = report.in_care_by_group.pivot(index="year", columns="group", values="children").reindex(
        columns=list(GROUPS)) if len(report.in_care_by_group) else pd.DataFrame()
    for year, counts in wide.iterrows():
        lines.append(f"  {codes.year_name(int(year))}: " + ", ".join(f"{g} {int(c):,}" for g, c in counts.items()))
    lines += ["", "DfE validation rules (rule: rows flagged):"]
    if report.dfe_note:
        lines.append(f"  {report.dfe_note}")
    for year, rules in report.dfe_rules.groupby("year", sort=True):
        flagged = rules[rules["count"] > 0].sort_values("count", ascending=False)
        lines.append(f"  {codes.year_name(int(year))}: {int(flagged['count'].sum()):,} rows under "
                     f"{len(flagged)} rules")
        for rule in flagged.itertuples(index=False):
            note = " (known validator exception)" if rule.excepted else ""
            lines.append(f"    {rule.code:>6} {rule.count:>7,}  {rule.message}{note}")
    lines += ["", "The extract is usable." if report.usable else "The extract is NOT usable: no usable episode."]
    return "\n".join(lines)
