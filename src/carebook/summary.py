"""A council's landing page as an executive summary a director reads in two minutes.

For each analysis (in book order): the answer in one plain sentence with its key figure, the
decision it informs and how sure it is, from ``results/summary_<notebook>.json``
(:meth:`carebook.notebook.Page.summary`); an analysis that has not recorded one shows its
headline figures (``results/headlines_<notebook>.json``). Every figure resting on synthetic
data, illustrative parameters or a comparator's figures carries a badge in words. Then the
small charts, the downloads, the things a reader needs to know about quality, and the
publication details (version, date built, data as at, contact).

The page is MyST that renders in the HTML and in the PDF alike: HTML-only parts (links to
files) come with a LaTeX alternative.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from carebook import provenance, registry
from carebook.downloads import Downloads, pdf_paragraph
from carebook.landing_charts import Chart
from carebook.notebook import BASES, SUMMARY, formatted
from carebook.tables import markdown_table
from carebook.text import markdown_literal, option_value

BADGES: dict[str, tuple[str, str]] = {
    "synthetic": ("warning", "Synthetic data"),
    "illustrative": ("info", "Illustrative parameters"),
    "comparator": ("secondary", "Comparator's figures"),
}
"""Each basis's badge: its sphinx-design colour and the words it shows."""
MEANINGS: dict[str, str] = {
    "synthetic": "the figures come from a synthetic SSDA903 extract calibrated to the council's published "
                 "figures, not from the council's own records of children: they show the method and the "
                 "shape of the results, not the council's actual children",
    "illustrative": "some parameters are illustrative: no published source gives them, so the figures show "
                    "what follows if they hold and should be replaced by the council's own before a decision",
    "comparator": "where the council's own figures are not published, a comparator's published figures "
                  "(statistical neighbours, region or England) stand in for them",
}
assert set(BADGES) == set(MEANINGS) == BASES
CHART_WIDTH = "340px"
"""A landing-page chart's width: half the HTML column, two to a page of the PDF."""


@dataclass(frozen=True)
class Entry:
    """One analysis's entry in the executive summary (MyST, figures already formatted)."""

    notebook: str
    answer: str = ""
    decision: str = ""
    certainty: str = ""
    basis: tuple[str, ...] = ()
    figures: tuple[tuple[str, str], ...] = field(default=())
    """(label, text) of the headline figures: shown when the analysis recorded no answer."""


def recorded_bases(results: Path, notebook: str) -> set[str]:
    """What an analysis's figures rest on by what its results files record: a synthetic
    extract (edge-of-care volumes), illustrative parameters (cost-benefit)."""
    found: set[str] = set()
    volume = results / "volume_summary.json"
    if notebook == "volume_sizing" and volume.is_file() and json.loads(volume.read_text()).get("synthetic_data"):
        found.add("synthetic")
    appraisal = results / "cost_benefit_headlines.json"
    if notebook == "cost_benefit" and appraisal.is_file() and json.loads(appraisal.read_text()).get("illustrative"):
        found.add("illustrative")
    return found


def entry(results: Path, notebook: str, headlines: Sequence[dict]) -> Entry:
    """An analysis's summary entry: the one it recorded, else its headline figures with the
    bases its results files record."""
    path = results / SUMMARY.format(notebook=notebook)
    bases = recorded_bases(results, notebook)
    if path.is_file():
        recorded = json.loads(path.read_text(encoding="utf-8"))
        return Entry(notebook, recorded.get("answer", ""), recorded.get("decision", ""), recorded.get("certainty", ""),
                     tuple(sorted(bases | set(recorded.get("basis") or ()))))
    figures = tuple((h["label"], h["text"]) for h in headlines if h["notebook"] == notebook)
    return Entry(notebook, basis=tuple(sorted(bases)), figures=figures)


def badge(basis: str) -> str:
    """A basis as a badge with words (a sphinx-design badge: text, not colour alone)."""
    colour, words = BADGES[basis]
    return f"{{bdg-{colour}}}`{words}`"


def badges(bases: Sequence[str]) -> str:
    """The line of badges of an entry, ``""`` when it rests on the council's own figures."""
    return "**Rests on:** " + " ".join(badge(b) for b in bases) if bases else ""


def entry_markdown(item: Entry) -> list[str]:
    """One analysis in the summary: its title, badges, answer, decision and certainty (or
    its headline figures), and a link to its page."""
    title = registry.title(item.notebook)
    lines = [f"### {markdown_literal(title)}", ""]
    if item.basis:
        lines += [badges(item.basis), ""]
    if item.answer:
        lines += [item.answer, ""]
        lines += [f"- **The decision it informs:** {item.decision}"] if item.decision else []
        lines += [f"- **How sure:** {item.certainty}"] if item.certainty else []
    else:
        lines += [f"- {markdown_literal(label)}: **{markdown_literal(text)}**" for label, text in item.figures]
    lines += [f"- Read the analysis: {{doc}}`{markdown_literal(title)} <{item.notebook}>`", ""]
    return lines


def extract_figures(results: Path, notebooks: Sequence[str]) -> set[tuple[str, str]]:
    """(notebook, key) of the figures that rest on the SSDA903 extract, by their records
    (``figures_<notebook>.csv``): only these carry an analysis's "synthetic data" badge, not
    the published figures beside them."""
    records = [(n, provenance.read_figures(path)) for n in notebooks
               if (path := results / provenance.FIGURES.format(notebook=n)).is_file()]
    return {(n, key) for n, frame in records
            for key in frame.loc[frame["data_files"].str.split(provenance.SEPARATOR).map(
                lambda files: provenance.SSDA903 in files), "key"]}


def figure_bases(notebook: str, key: str, bases: dict[str, tuple[str, ...]], from_extract: set[tuple[str, str]]) -> tuple[str, ...]:
    """What one key figure rests on: its analysis's bases, less "synthetic" unless the figure
    comes from the extract."""
    return tuple(b for b in bases.get(notebook, ()) if b != "synthetic" or (notebook, key) in from_extract)


def key_figures_table(headlines: Sequence[dict], ok: Sequence[str], bases: dict[str, tuple[str, ...]], name: str,
                      label: str, from_extract: set[tuple[str, str]] = frozenset()) -> str:
    """The key figures of the analyses ``ok`` (in book order); a column of badges
    when some figure rests on synthetic data (``from_extract``: the figures from the extract),
    illustrative parameters or a comparator."""
    figures = pd.DataFrame([h for h in headlines if h["notebook"] in ok], columns=["notebook", "key", "label", "text"])
    if figures.empty:
        return ""
    figures = figures.sort_values("notebook", key=lambda n: n.map(list(ok).index), kind="stable")
    table = pd.DataFrame({"Analysis": figures["notebook"].map(registry.title), "Figure": figures["label"],
                          "Value": figures["text"]})
    markup: frozenset[str] = frozenset()
    rests = [figure_bases(n, k, bases, from_extract) for n, k in zip(figures["notebook"], figures["key"])]
    if any(rests):
        table["Rests on"] = [" ".join(badge(b) for b in found) for found in rests]
        markup = frozenset({"Rests on"})
    return markdown_table(table, caption=f"Key figures for {name}", name=f"{label}-key-figures", markup=markup) + "\n"


def charts_markdown(charts: Sequence[Chart], label: str, bases: dict[str, tuple[str, ...]]) -> list[str]:
    """The charts two by two in the HTML (one after another in the PDF), each a numbered
    figure with a caption (its badges in words) and a text alternative stating its figures;
    in the HTML each has its figures as a table, collapsed under it."""
    if not charts:
        return []
    lines = ["## The picture in four charts" if len(charts) == 4 else "## Charts", "", ":::::{grid} 1 1 2 2", ""]
    for chart in charts:  # four charts at most
        found = tuple(b for b in bases.get(chart.notebook, ()) if b != "synthetic" or chart.from_extract)
        rests = badges(found).replace("**", "")
        lines += ["::::{grid-item}", f"```{{figure}} charts/{chart.name}.*", f":name: {label}-chart-{chart.name}",
                  f":alt: {option_value(chart.alt)}", f":width: {CHART_WIDTH}", "",
                  f"{markdown_literal(chart.caption)}{f'. {rests}' if rests else ''}", "```", "",
                  *html_only(collapsed("The chart's figures", [markdown_table(formatted(chart.data), right=numeric_columns(chart.data))])), "::::", ""]
    return lines + [":::::", ""]


def numeric_columns(frame: pd.DataFrame) -> frozenset[str]:
    """The numeric columns of a table (right-aligned)."""
    return frozenset(c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]))


def collapsed(title: str, body: Sequence[str]) -> list[str]:
    """``body`` (MyST lines) under a title that opens it (a sphinx-design dropdown)."""
    return [f":::{{dropdown}} {title}", "", *body, "", ":::"]


def html_only(body: Sequence[str]) -> list[str]:
    """MyST lines shown in the HTML alone (the PDF has its own words for them)."""
    return ["````{only} html", "", *body, "", "````", ""]


def downloads_markdown(slug: str, found: Downloads | None, pdf_built: bool) -> list[str]:
    """Links to the council's PDF, workbook and CSV files in the HTML; in the PDF, where they are."""
    lines = ["## Downloads", "", "```{raw} html", pdf_paragraph(slug, pdf_built), "```", ""]
    if found is not None:
        links = [f"- {{download}}`The council's tables as one Excel workbook <{found.workbook}>` (a sheet per table, "
                 "with the sources on the front sheet)",
                 f"- {{download}}`Every table as a CSV file, in one zip file <{found.csv_zip}>`", ""]
        each = [f"- {{download}}`{markdown_literal(title)} <{path}>`" for title, path in found.csvs]
        lines += html_only([*links, *collapsed("Each table as a CSV file", each)])
    lines += ["```{only} latex",
              "This document, a workbook of the council's tables (Excel, a sheet per table with the sources on its "
              "front sheet) and every table as a CSV file are published with the council's pages of the book.",
              "```", ""]
    return lines


def quality_notes(results: Path, entries: Sequence[Entry]) -> list[str]:
    """The things a reader needs to know about quality, from what the run recorded."""
    notes = []
    used = sorted({b for e in entries for b in e.basis}, key=list(BADGES).index)
    for basis in used:  # three bases at most
        titles = [registry.title(e.notebook).lower() for e in entries if basis in e.basis]
        notes.append(f"{badge(basis)} ({', '.join(markdown_literal(t) for t in titles)}): {MEANINGS[basis]}.")
    extract = results / "sufficiency_903_summary.json"
    if extract.is_file() and not json.loads(extract.read_text()).get("is_synthetic", True):
        notes.append("The children's figures come from the council's own SSDA903 return, read as it is held: every "
                     "repair and drop is counted on the pages that use it, with what DfE's validation rules found.")
    elif "synthetic" not in used and extract.is_file():
        notes.append(f"{badge('synthetic')}: {MEANINGS['synthetic']}.")
    suppressed = results / "sufficiency_suppressed.csv"
    if suppressed.is_file():
        cells = len(pd.read_csv(suppressed))
        if cells:
            notes.append(f"The Department for Education withholds small numbers to protect children: {cells:,} of the "
                         "council's published figures are withheld and shown as \"not published\"; no total is "
                         "made up from them.")
    notes.append("Counts of fewer than 5 children from children's records are never shown.")
    notes.append("Every figure in the analyses links to where it comes from: what it rests on and the documents "
                 "those come from are on the council's \"Figures and their sources\" page.")
    return notes


@dataclass(frozen=True)
class Details:
    """The publication details of a council's pages."""

    version: str
    built: str
    data_as_at: str
    contact: str


def failed_notice(title: str, name: str) -> list[str]:
    """A notebook that did not complete, in readers' words."""
    return [":::{warning}", f"The {markdown_literal(title.lower())} analysis did not complete for {name} in this run, "
            "so its pages and figures are not in this edition. The analysts' run log records what went wrong.", ":::", ""]


def landing_markdown(slug: str, name: str, ok: Sequence[str], failed: Sequence[str], results: Path,
                     headlines: Sequence[dict], details: Details, charts: Sequence[Chart] = (),
                     found: Downloads | None = None, pdf_built: bool = False) -> str:
    """A council's landing page (``name`` as given: shown literally)."""
    shown = markdown_literal(name)
    entries = [entry(results, n, headlines) for n in ok]
    bases = {e.notebook: e.basis for e in entries}
    lines = [f"# {shown}", "",
             f"What the analyses of this book say for {shown}, in two minutes: for each analysis the answer, the "
             "decision it informs and how sure it is. A badge marks every figure that rests on something other "
             "than the council's own sourced figures.", "",
             f"**Data as at:** {markdown_literal(details.data_as_at)}. **Built:** {markdown_literal(details.built)}, "
             f"version {markdown_literal(details.version)}.", ""]
    for notebook in failed:  # an analysis or two at most
        lines += failed_notice(registry.title(notebook), shown)
    if entries:
        lines += ["## The answers in brief", ""]
        for item in entries:  # four analyses
            lines += entry_markdown(item)
    answered = [e.notebook for e in entries if e.answer]
    table = key_figures_table(headlines, answered, bases, shown, slug, extract_figures(results, answered))
    if table:
        lines += ["## Key figures", "", table]
    lines += charts_markdown(charts, slug, bases)
    lines += downloads_markdown(slug, found, pdf_built)
    lines += ["## Things you need to know", ""] + [f"- {note}" for note in quality_notes(results, entries)] + [""]
    lines += ["## About these statistics", "",
              f"- **Version of the book:** {markdown_literal(details.version)}",
              f"- **Date built:** {markdown_literal(details.built)}",
              f"- **Data as at:** {markdown_literal(details.data_as_at)}",
              f"- **Contact:** {markdown_literal(details.contact)}", ""]
    return "\n".join(lines)
