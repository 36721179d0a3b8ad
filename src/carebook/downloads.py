"""Downloads for the finance officer and the analyst: a council's tables as one Excel workbook
and as CSV files, and the council's PDF beside its pages.

The tables are the tidy results the notebooks write (``results/*.csv``), with readers' column
headings and titles; numbers stay numbers. The workbook opens with a front sheet giving the
council, the book's version, the date built, how recent the data are and the official
statistics the figures rest on (as documents: title, publisher, years, web address).
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from carebook import fingerprint, formats, registry
from carebook.catalogue import load_sources

FOLDER = "downloads"
"""A council's downloads, beside its pages: ``book/councils/<slug>/downloads``."""
MADE_FROM = ".made-from.json"
"""In a council's downloads folder: the digest of what they were made from (:func:`made_from`)
and the files made, so that a build leaves unchanged downloads untouched."""
LEFT_OUT = ("figures_", "headlines_", "summary_")
"""Results files that are not readers' tables (the figures' provenance, the landing page's
entries): the Figures page shows the provenance; the key figures get their own sheet."""
LEFT_OUT_TABLES = frozenset({"sufficiency_suppressed"})
"""A list of the cells the publisher suppressed, kept for the analysts' checks."""

ANALYSES = {"sufficiency_903": "Placement sufficiency (children's records)", "sufficiency": "Placement sufficiency",
            "flow": "Flows into care", "volume": "Edge-of-care volumes", "cost_benefit": "Cost-benefit"}
"""The analysis a results file belongs to, by the start of its name (longest first)."""
TITLES = {
    "cla_rates": "children looked after per 10,000 children",
    "neighbour_rates": "rates of statistical neighbours",
    "neighbour_spend": "spend per child of statistical neighbours",
    "in_house": "in-house and external placements",
    "new_placements": "new placements by location",
    "903_summary": "extract summary",
    "options_by_year": "net position by option and year",
    "risk": "who bears the risk",
    "tornado": "sensitivity of the net present value",
    "stage_balance": "children at each stage",
    "sensitivity_grid": "care entries by two rates",
    "journey_cost": "cost of a care journey",
    "journey_profile": "care journey by year",
    "length_of_care_by_age": "length of care by age at entry",
    "sample_sizes": "sample sizes",
    "unit_costs": "unit costs",
    "funnel": "eligible children, step by step",
}
HEADINGS = {
    "area_type": "Area type", "area": "Area", "time_period": "Year ending 31 March", "n_areas": "Number of areas",
    "children_count": "Children", "rate_per_10000": "Rate per 10,000 children", "share": "Share",
    "financial_year": "Financial year", "year": "Year", "la_name": "Council", "sf_group": "Placement type",
    "placement_group": "Placement group", "age_band": "Age band", "journey_year": "Year of the journey",
    "mean_cost_gbp": "Average cost (£)", "cumulative_cost_gbp": "Cumulative cost (£)", "net_gbp": "Net saving (£)",
    "value_gbp": "Amount (£)", "saving_gbp": "Saving (£)", "spend_gbp": "Spend (£)", "suppressed": "Suppressed",
    "change_from_base": "Change from the base case", "share_in_care": "Share in care", "weekly_cost_gbp": "Weekly cost (£)",
    "spend_per_child_gbp": "Spend per child (£)", "council_share": "Council's share", "england_share": "England's share",
    "target_share": "Target share", "share_within_20_miles": "Share within 20 miles",
    "target_within_20_miles": "Target within 20 miles", "meets_target": "Meets the target",
    "age_at_entry": "Age at entry", "care_days": "Days of care", "mean_care_days": "Average days of care",
    "direct_entry_rate": "Direct entry rate", "plan_to_care_rate": "Plan-to-care rate",
    "entries_into_care": "Entries into care", "children_in": "Children in", "children_onward": "Children moving on",
    "children_remaining": "Children remaining", "lcf_base_gbp": "Life Chances Fund, base case (£)",
}
"""Readers' headings of the results' columns; others by :func:`carebook.formats.label`."""
MONEY_FORMAT = "#,##0;(#,##0)"
SHARE_FORMAT = "0.0%"


def heading(column: str) -> str:
    """A results column's heading for readers: ``rate_per_10000`` -> ``"Rate per 10,000
    children"``, ``npv_low_gbp`` -> ``"Npv low (£)"`` from :func:`carebook.formats.label`."""
    return HEADINGS.get(column, formats.label(column))


def table_title(stem: str) -> str:
    """A results table's title: its analysis and what it holds, ``"cost_benefit_risk"`` ->
    ``"Cost-benefit: who bears the risk"``."""
    prefix = next((p for p in sorted(ANALYSES, key=len, reverse=True) if stem.startswith(p + "_")), "")
    rest = stem[len(prefix) + 1:] if prefix else stem
    words = TITLES.get(rest, rest.replace("_", " "))
    return f"{ANALYSES[prefix]}: {words}" if prefix else words[:1].upper() + words[1:]


def reader_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A results table for readers: readers' headings, true/false as ``"yes"``/``"no"``;
    numbers unchanged."""
    flags = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
    shown = frame.assign(**{c: frame[c].map({True: "yes", False: "no"}) for c in flags})
    return shown.rename(columns={c: heading(c) for c in frame.columns})


FORMULA_START = re.compile(r"^(?:[=+@\t\r]|-[^\d.\s])")
"""Text a spreadsheet would take for a formula (``=HYPERLINK(...)``, ``+1``, ``@SUM``, ``-x``)."""


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for a CSV file that a spreadsheet opens as text: each text value that would
    start a formula (a council's name or label from a council file) gets a leading ``'``,
    as spreadsheets themselves mark text; numbers are unchanged."""
    text = [c for c in frame.columns if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])]
    return frame.assign(**{c: frame[c].map(lambda v: f"'{v}" if isinstance(v, str) and FORMULA_START.match(v) else v)
                           for c in text})


def results_tables(results: Path) -> dict[str, pd.DataFrame]:
    """A council's readers' tables by file name (``results/*.csv``, less the provenance and
    the suppressed-cells list), with their results' columns as written."""
    paths = [p for p in sorted(Path(results).glob("*.csv"))
             if not p.stem.startswith(LEFT_OUT) and p.stem not in LEFT_OUT_TABLES]
    return {p.stem: pd.read_csv(p) for p in paths}  # a few dozen files


def key_figures(results: Path) -> pd.DataFrame:
    """The council's headline figures (``results/headlines_*.json``) as a table: analysis,
    figure, value (a number where it is one) and the value as the book shows it."""
    entries = [e for path in sorted(Path(results).glob("headlines_*.json")) for e in json.loads(path.read_text())]
    frame = pd.DataFrame(entries, columns=["notebook", "label", "value", "text"])
    numeric = frame["value"].map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    return pd.DataFrame({"Analysis": frame["notebook"].map(registry.title), "Figure": frame["label"],
                         "Value": frame["value"].where(numeric), "As the book shows it": frame["text"]})


@functools.cache
def _catalogue() -> pd.DataFrame:
    """The catalogue of official statistics as a table (read once per process)."""
    return pd.DataFrame([s.model_dump() for s in load_sources()])


def sources_used(results: Path) -> pd.DataFrame:
    """The official statistics the council's figures read (the ``data_files`` of its
    ``figures_*.csv``) as documents: title, publisher, years, web address."""
    files = [pd.read_csv(p, usecols=["data_files"])["data_files"] for p in sorted(Path(results).glob("figures_*.csv"))]
    named = pd.concat(files).dropna().str.split(";").explode().str.strip() if files else pd.Series(dtype=str)
    catalogue = _catalogue()
    used = catalogue[catalogue["path"].isin(set(named))]
    return pd.DataFrame({"Title": used["title"], "Publisher": used["publisher"], "Years": used["years"],
                         "Web address": used["publication"].fillna(used["url"]).fillna("")}).reset_index(drop=True)


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Excel sheet names for titles: at most 31 characters, none of ``[]:*?/\\``, unique."""
    names: list[str] = []
    for title in titles:  # a few dozen sheets
        base = re.sub(r"[\[\]:*?/\\]", " ", title)
        base = re.sub(r"\s+", " ", base).strip()[:31].strip()
        name, n = base, 2
        while name.lower() in {m.lower() for m in names}:
            name, n = f"{base[:28].strip()} {n}", n + 1
        names.append(name)
    return names


@dataclass(frozen=True)
class Edition:
    """What the front sheet says about the edition: council, version, date, data as at."""

    council: str
    version: str
    built: str
    data_as_at: str
    contact: str


WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}
"""Text is written as text: a council's name or label starting ``=`` never becomes a formula,
a web address stays a plain cell, ``"007"`` keeps its zeros. The sheets are put together in
memory, not in temporary files (a tenth faster)."""


def number_format(column: str, values: pd.Series) -> str | None:
    """The Excel number format of a readers' column of numbers: money (a heading with ``(£``)
    with thousands separators and losses in brackets, shares as percentages."""
    if not pd.api.types.is_numeric_dtype(values):
        return None
    return MONEY_FORMAT if "(£" in column else SHARE_FORMAT if "share" in column.lower() else None


def _write_sheet(sheet, styles: dict[str, Any], title: str, frame: pd.DataFrame) -> None:
    """A table on a sheet: its title in A1, headings on row 3, values from row 4 (numbers as
    numbers, money and shares with Excel number formats, a missing value a blank cell)."""
    sheet.write_string(0, 0, title, styles["title"])
    sheet.write_row(2, 0, [str(c) for c in frame.columns], styles["heading"])
    for index, column in enumerate(frame.columns):  # a handful of columns
        values = frame[column].astype(object).where(frame[column].notna(), None).tolist()
        sheet.write_column(3, index, values, styles.get(number_format(str(column), frame[column])))
        sheet.set_column(index, index, min(60, max(12, len(str(column)) + 2)))
    sheet.freeze_panes(3, 0)


def write_workbook(path: Path, edition: Edition, tables: dict[str, pd.DataFrame], key: pd.DataFrame,
                   sources: pd.DataFrame) -> Path:
    """The council's tables as one workbook: a front sheet (the edition, the sources and the
    contents), the key figures, then one sheet per table with readers' headings. A file that
    cannot be written raises the :class:`OSError` it was."""
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    titles = ["Key figures", *(table_title(stem) for stem in tables)]
    names = sheet_names(["About", *titles])[1:]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    book = xlsxwriter.Workbook(str(partial), WORKBOOK_OPTIONS)
    styles = {"book title": book.add_format({"bold": True, "size": 14}), "title": book.add_format({"bold": True, "size": 13}),
              "heading": book.add_format({"bold": True}),
              **{fmt: book.add_format({"num_format": fmt}) for fmt in (MONEY_FORMAT, SHARE_FORMAT)}}
    front = book.add_worksheet("About")
    rows: list[tuple[list, str | None]] = [
        ([f"{edition.council}: commissioning children's placements, tables"], "book title"),
        *(([label, value], None) for label, value in [
            ("Council", edition.council), ("Version of the book", edition.version), ("Date built", edition.built),
            ("Data as at", edition.data_as_at), ("Contact", edition.contact)]),
        ([], None), (["Official statistics used"], "heading"), (list(sources.columns), None),
        *((list(row), None) for row in sources.astype(object).where(sources.notna(), None).itertuples(index=False)),
        ([], None),
        (["The council's own published figures are cited beside each figure on the council's "
          "\"Figures and their sources\" page of the book."], None),
        ([], None), (["Sheets"], "heading"), *(([name, title], None) for name, title in zip(names, titles)),
    ]
    for number, (row, style) in enumerate(rows):
        front.write_row(number, 0, row, styles.get(style))
    front.set_column(0, 0, 34)
    front.set_column(1, 1, 70)
    _write_sheet(book.add_worksheet(names[0]), styles, titles[0], key)
    for name, title, frame in zip(names[1:], titles[1:], tables.values()):
        _write_sheet(book.add_worksheet(name), styles, title, reader_table(frame))
    try:
        book.close()
    except FileCreateError as error:  # xlsxwriter wraps the OSError of a file it cannot write
        raise error.args[0] from None
    partial.replace(path)
    return path


@dataclass(frozen=True)
class Downloads:
    """A council's download files, relative to its pages' folder."""

    workbook: str
    csv_zip: str
    csvs: tuple[tuple[str, str], ...]
    """(title, file) of each table's CSV."""


def made_from(edition: Edition, results: Path) -> str:
    """The digest of what a council's downloads are made from: the package (its code and
    reference data), the edition (version, date built, data as at, contact) and the council's
    results files."""
    return fingerprint.digest([fingerprint.process_package_digest(), json.dumps(asdict(edition)), fingerprint.contents_digest(results)])


def kept_downloads(folder: Path, inputs: str) -> Downloads | None:
    """The downloads in ``folder`` when they were made from ``inputs`` and are all there; else None."""
    try:
        record = json.loads((folder / MADE_FROM).read_text(encoding="utf-8"))
        found = Downloads(record["downloads"]["workbook"], record["downloads"]["csv_zip"],
                          tuple((title, file) for title, file in record["downloads"]["csvs"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    files = [found.workbook, found.csv_zip, *(file for _, file in found.csvs)]
    complete = all((folder.parent / file).is_file() for file in files)
    return found if record.get("inputs") == inputs and complete else None


def write_downloads(slug: str, edition: Edition, council_folder: Path) -> Downloads:
    """Write a council's workbook, its tables as CSV (readers' headings) and a zip of them
    into ``<council_folder>/downloads``; return their paths relative to the council's folder.

    Downloads made from the same inputs (:func:`made_from`) are left as they are: the book
    build then copies and re-reads nothing for a council whose results have not changed."""
    results = council_folder / "results"
    folder = council_folder / FOLDER
    inputs = made_from(edition, results)
    kept = kept_downloads(folder, inputs)
    if kept is not None:
        return kept
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "csv").mkdir(parents=True)
    tables = results_tables(results)
    workbook = write_workbook(folder / f"{slug}-tables.xlsx", edition, tables, key_figures(results), sources_used(results))
    csvs = []
    for stem, frame in tables.items():  # a few dozen tables
        csv_safe(reader_table(frame)).to_csv(folder / "csv" / f"{stem}.csv", index=False)
        csvs.append((table_title(stem), f"{FOLDER}/csv/{stem}.csv"))
    archive = folder / f"{slug}-tables-csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for stem in tables:
            out.write(folder / "csv" / f"{stem}.csv", f"{slug}/{stem}.csv")
    found = Downloads(workbook=f"{FOLDER}/{workbook.name}", csv_zip=f"{FOLDER}/{archive.name}", csvs=tuple(csvs))
    (folder / MADE_FROM).write_text(json.dumps({"inputs": inputs, "downloads": asdict(found)}), encoding="utf-8")
    return found


PDF_MARK = re.compile(r'<p class="carebook-pdf"[^>]*>.*?</p>', re.DOTALL)


def pdf_paragraph(slug: str, built: bool) -> str:
    """The HTML paragraph of a council's PDF link: a link to ``<slug>.pdf`` (beside the
    landing page) when it is built, else says it is not built yet (never a dead link)."""
    if built:
        return (f'<p class="carebook-pdf"><a href="{slug}.pdf" download>The council\'s PDF</a>: '
                "these pages as one document, for printing and sending.</p>")
    return ('<p class="carebook-pdf">The council\'s PDF: not built yet. It appears here once the book\'s PDF '
            "build has run.</p>")


def pdf_is_current(pdf: Path, council_folder: Path) -> bool:
    """True when the council's PDF exists and was built after its results were installed."""
    results = council_folder / "results"
    return pdf.is_file() and (not results.exists() or pdf.stat().st_mtime >= results.stat().st_mtime)


def publish_pdf(slug: str, pdf: Path, html_root: Path) -> bool:
    """Put a council's PDF beside its landing page in the built HTML site and link it there;
    False when the HTML site has not been built (it links the PDF when it is)."""
    page = html_root / "book" / "councils" / slug / "index.html"
    if not page.is_file() or not pdf.is_file():
        return False
    shutil.copyfile(pdf, page.parent / f"{slug}.pdf")
    html = page.read_text(encoding="utf-8")
    page.write_text(PDF_MARK.sub(lambda _: pdf_paragraph(slug, True), html, count=1), encoding="utf-8")
    return True
