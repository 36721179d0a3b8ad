"""What a child-level page says about its 903 data: where they come from, what was
repaired or dropped, what DfE's rules found, and why nobody is in care when nobody is.

Every text here is made of counts and of words about the extract (its layout, its
collection years): never a CHILD id, date of birth or postcode. The notebooks show
them with ``page.notice`` and ``page.table``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from carebook.disclosure import DEFAULT_THRESHOLD
from carebook.ssda903 import codes
from carebook.ssda903.extract import Extract
from carebook.ssda903.layout import LAYOUT_NAMES
from carebook.ssda903.repair import nobody_in_care_reason, quality_summary
from carebook.text import markdown_literal

if TYPE_CHECKING:  # IPython and myst-nb are loaded by the notebooks alone
    from carebook.notebook import Page

CONVENTION_WORDS: dict[str, str] = {
    "end": "named by the year in which each collection year ends, as DfE names them",
    "start": "named by the year in which each collection year starts (read as the following collection year)",
    "dates": "placed in collection years by the dates inside the return",
}
RULE_WORDS_COLUMNS = {"description": "Rule", "action": "What was done", "rows": "Rows",
                      "share_of_care_days": "Share of care days"}


@dataclass(frozen=True)
class Notice:
    """An admonition for the top of a child-level section."""

    text: str
    kind: str  # "note" or "warning"


def _years_phrase(years: list[int]) -> str:
    if not years:
        return ""
    first, last = codes.year_name(years[0]), codes.year_name(years[-1])
    return f"collection year {first}" if first == last else f"collection years {first} to {last}"


def data_statement(extract: Extract, detail_label: str | None = None, where: str = "in this section") -> Notice:
    """Where the page's 903 data come from, in a sentence or three: synthetic or the
    council's own; for its own, the layout, collection years and convention found, and
    what was repaired or dropped (with a link to the detail when ``detail_label`` is given).
    ``where`` names what the figures fill ("in this section", "on this page")."""
    if extract.is_synthetic:
        return Notice(
            f"**Synthetic data.** The council's own SSDA903 extract is not part of this book, so the figures "
            f"{where} come from a {markdown_literal(extract.source)}. They show the method and the shape of the "
            "results; they are not the council's records.", "warning")
    layout = "the " + LAYOUT_NAMES[extract.layout] if extract.layout == "xml" else LAYOUT_NAMES.get(extract.layout, "")
    convention = CONVENTION_WORDS.get(extract.convention, "")
    link = f" See {{ref}}`the data quality section <{detail_label}>`." if detail_label else ""
    text = (f"**The council's own data.** The figures {where} come from the council's SSDA903 "
            f"return: {layout}, {_years_phrase(list(extract.years))}"
            f"{f', {convention}' if convention else ''}. {quality_summary(extract.repairs).sentence}{link}")
    return Notice(text, "note")


def repair_warning(extract: Extract) -> Notice | None:
    """A warning when more than 1% of the days of care were in repaired or dropped rows."""
    summary = quality_summary(extract.repairs)
    if extract.is_synthetic or not summary.needs_warning:
        return None
    return Notice(f"**Check the data before relying on these figures.** {summary.share:.1%} of the days of care "
                  "in the extract were in rows that had to be repaired or were dropped; the figures below may "
                  "differ from the council's own reports.", "warning")


def child_level_notices(extract: Extract, on: pd.Timestamp, detail_label: str | None = None,
                        where: str = "in this section") -> list[Notice]:
    """The admonitions at the top of a child-level section: the data statement, a warning
    when more than 1% of care days were repaired or dropped, and why nobody is in care."""
    found = [data_statement(extract, detail_label, where), repair_warning(extract)]
    reason = nobody_in_care_reason(extract, on)
    if reason:
        found.append(Notice(f"**Nobody in care on this date.** {reason}", "warning"))
    return [n for n in found if n is not None]


def repairs_table(extract: Extract) -> pd.DataFrame:
    """The repairs and drops by rule, for readers: rule, what was done, rows, share of care days."""
    repairs = extract.repairs
    shown = repairs[repairs["action"].isin(["repaired", "dropped"]) & (repairs["rows"] > 0)].sort_values("share_of_care_days", ascending=False)
    return (shown[list(RULE_WORDS_COLUMNS)].assign(
        share_of_care_days=shown["share_of_care_days"].map(lambda v: "less than 0.1%" if 0 < v < 0.001 else f"{v:.1%}"))
        .rename(columns=RULE_WORDS_COLUMNS).reset_index(drop=True))


def _published(counts: pd.Series) -> pd.Series:
    """Row counts as a page prints them: 1 to 4 as "fewer than 5" (child-level counts)."""
    return counts.astype("int64").map(lambda n: "fewer than 5" if 0 < n < DEFAULT_THRESHOLD else f"{n:,}")


def section_label(slug: str, notebook: str) -> str:
    """The book-wide label of a page's data-quality section (``(<notebook>-903-quality)=``
    in the notebook, prefixed with the council's slug by the runner)."""
    return f"{slug}-{notebook}-903-quality"


def show_notices(page: Page, extract: Extract, on: pd.Timestamp, where: str = "in this section") -> None:
    """Show the notices of :func:`child_level_notices` at the top of a child-level section
    (``where``: "in this section", or "on this page" when the whole page is child-level)."""
    label = None if extract.is_synthetic else section_label(page.council.slug, page.notebook)
    for notice in child_level_notices(extract, on, label, where):  # two or three notices
        page.notice(notice.text, kind=notice.kind)


def quality_sentences(extract: Extract) -> str:
    """The data-quality section in words: repairs, and what DfE's validation rules found."""
    if extract.is_synthetic:
        return ("The synthetic extract behind these figures is written in the layout and codes of DfE's return "
                "and built to pass DfE's own validation rules, so nothing needed repair. A council's own extract "
                "is checked as it is read: every repair and drop is counted here, with what DfE's validation "
                "rules find in each collection year.")
    sentences = [quality_summary(extract.repairs).sentence]
    if extract.dfe_rules is not None:
        from carebook.ssda903.dfe_rules import dfe_summary_sentence

        sentences.append(dfe_summary_sentence(extract.dfe_rules, list(extract.years)))
    if extract.dfe_note:
        sentences.append(extract.dfe_note)
    return " ".join(sentences)


def show_section(page: Page, extract: Extract) -> None:
    """The data-quality section's content: a sentence or two, the repairs by rule and the
    rules of DfE that flag rows, each year (counts of 1 to 4 shown as "fewer than 5")."""
    page.notice(quality_sentences(extract), kind="note")
    repairs = repairs_table(extract)
    if len(repairs):
        page.table(repairs.assign(Rows=_published(repairs["Rows"])),
                   caption="Rows repaired or dropped on reading the extract, by rule")
    if extract.dfe_rules is not None and len(extract.dfe_rules):
        from carebook.ssda903.dfe_rules import dfe_quality_table

        table = dfe_quality_table(extract.dfe_rules)
        page.table(table.assign(**{"Rows flagged": _published(table["Rows flagged"])}),
                   caption="Rows flagged by DfE's validation rules, by collection year")
