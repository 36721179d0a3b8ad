"""What a notebook needs to show its analysis in the book: one ``Page`` per notebook run.

A notebook's set-up cell is ``page = Page(council, results_dir, notebook="name")``. The page
glues numbers into the narrative, glues charts into captioned figures, shows tables that
render as real tables in HTML and PDF, and writes the headline results as tidy files.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from IPython.display import Markdown, display
from myst_nb import glue as _glue

from carebook import charts, formats, provenance
from carebook.disclosure import Disclosure
from carebook.params import Council, load_council
from carebook.tables import markdown_table
from carebook.text import markdown_literal

HEADLINES = "headlines_{notebook}.json"
SUMMARY = "summary_{notebook}.json"
"""An analysis's entry in its council's executive summary (:meth:`Page.summary`)."""
BASES = frozenset({"synthetic", "illustrative", "comparator"})
"""What a summary's figures may rest on besides the council's own sourced figures:
a synthetic SSDA903 extract, illustrative (unsourced) parameters, or a comparator's
published figures where the council's own are not published."""
"""Each notebook records its landing-page figures in its own file (notebooks run in parallel)."""


Format = str | Callable[[Any], str]
"""A format string (``"{:,.0f}"``) or a function such as :func:`carebook.formats.money`."""


def format_value(value: Any, fmt: Format) -> str:
    """A value as the book prints it; missing values read :data:`formats.NOT_PUBLISHED`."""
    if formats.is_missing(value):
        return formats.NOT_PUBLISHED
    return fmt(value) if callable(fmt) else fmt.format(value)


def formatted(frame: pd.DataFrame, formats: dict[str, Format] | None = None) -> pd.DataFrame:
    """Numbers as text: integers with thousands separators, floats to one decimal place.

    ``formats`` maps a column to a format string (e.g. ``{"share": "{:.0%}"}``) or a function
    of :mod:`carebook.formats`; missing values print as :data:`formats.NOT_PUBLISHED`.
    """
    chosen = formats or {}

    def column_format(name: str, series: pd.Series) -> Format | None:
        if name in chosen:
            return chosen[name]
        if name.lower() in YEAR_COLUMNS:
            return None
        if pd.api.types.is_integer_dtype(series):
            return "{:,}"
        if pd.api.types.is_float_dtype(series):
            whole = series.dropna()
            return "{:,.0f}" if (whole == whole.round()).all() else "{:,.1f}"
        return None

    shown = frame.copy()
    for name in shown.columns:
        fmt = column_format(name, shown[name])
        if fmt:
            shown[name] = shown[name].map(lambda v, f=fmt: format_value(v, f))
    return shown


YEAR_COLUMNS = {"year", "time_period", "financial_year", "collection_year"}
"""Columns printed as they are (no thousands separator)."""


class Page:
    """The book page of one analysis for one council."""

    def __init__(self, council: str, results_dir: str | Path = "results", notebook: str = "analysis"):
        charts.enable()
        pd.set_option("display.max_columns", 50)
        self.council: Council = load_council(council)
        self.notebook = notebook
        self.results_dir = Path(results_dir)
        self.results_dir.mkdir(parents=True, exist_ok=True)
        self._tables = 0
        self._figures: dict[str, provenance.Figure] = {}
        self.disclosure = Disclosure(self.council.sufficiency.suppression_threshold)
        """The page's suppressed cells: every child-level table, sentence, chart and results file asks it."""

    def literal(self, text: str) -> str:
        """MyST written by the code with the council's name (from its council file) shown
        literally: a name such as ``<b>*x*</b>`` cannot become HTML or emphasis."""
        name = self.council.name
        return text.replace(name, markdown_literal(name)) if name else text

    def glue(self, key: str, value: Any, fmt: Format = "{:,.0f}", headline: str | None = None,
             inputs: Sequence[str] | None = None, label: str | None = None) -> str:
        """Glue ``value`` formatted with ``fmt`` (a format string or a function such as
        :func:`carebook.formats.money`) for ``{glue:text}`key```; return the text.

        With ``headline`` (a label), the figure also goes on the council's landing page.
        Every figure is recorded with where it comes from in ``figures_<notebook>.csv``
        (:mod:`carebook.provenance`): the function that called ``glue`` is found from the call
        stack; ``inputs`` names the parameters (``"section.key"`` of the council file) and the
        data files (``"dfe/…csv"``, or ``"ssda903"`` for the extract) it used; ``label``
        describes it (default: the headline label, else the key).
        """
        text = format_value(value, fmt)
        _glue(key, text, display=False)
        if headline:
            self._record_headline(key, headline, value, text)
        figure = provenance.make_figure(self.council, key, value, text, label or headline, inputs)
        path = self.results_dir / provenance.FIGURES.format(notebook=self.notebook)
        new_key = bool(self._figures) and key not in self._figures
        self._figures[key] = figure
        if new_key:  # one row more, as glued
            provenance.append_figure(path, figure)
        else:  # the page's first figure, or one glued again: the whole record
            provenance.write_figures(path, self._figures)
        return text

    def _record_headline(self, key: str, label: str, value: Any, text: str) -> None:
        path = self.results_dir / HEADLINES.format(notebook=self.notebook)
        entries = json.loads(path.read_text()) if path.exists() else []
        entries = [e for e in entries if e["key"] != key]
        number = None if text == formats.NOT_PUBLISHED else _plain_number(value)
        entries.append({"notebook": self.notebook, "key": key, "label": label, "value": number, "text": text})
        path.write_text(json.dumps(entries, indent=1))

    def summary(self, answer: str, decision: str, certainty: str, basis: Sequence[str] = (),
                figure: str | None = None) -> None:
        """Record the analysis's entry in the council's executive summary (landing page and
        the opening of its PDF), in readers' words (MyST, figures already formatted):

        ``answer``: the answer in one plain sentence with its key figure; ``decision``: the
        decision it informs; ``certainty``: how sure it is (evidence rating, Monte Carlo
        range); ``basis``: any of :data:`BASES` the figures rest on (each shown as a badge);
        ``figure``: the key of the glued headline figure the answer quotes.
        """
        unknown = set(basis) - BASES
        if unknown:
            raise ValueError(f"unknown summary basis {sorted(unknown)}: expected some of {sorted(BASES)}")
        entry = {"notebook": self.notebook, "answer": self.literal(answer), "decision": self.literal(decision),
                 "certainty": self.literal(certainty), "basis": sorted(set(basis)), "figure": figure}
        (self.results_dir / SUMMARY.format(notebook=self.notebook)).write_text(json.dumps(entry, indent=1))

    def figure(self, key: str, chart: Any, description: str | None = None) -> None:
        """Glue a chart for a ``{glue:figure}`` directive (caption and number in the book).

        ``description`` replaces the chart's text alternative (what a screen reader says of
        it; the chart's own ``description``, else one made from its titles)."""
        if description is not None:
            chart = chart.properties(description=description)
        _glue(key, charts.Drawn(chart), display=False)

    def table(self, frame: pd.DataFrame, caption: str | None = None, key: str | None = None,
              formats: dict[str, Format] | None = None, index: bool = False) -> None:
        """Show a table (numbered, with a caption where given) or glue it under ``key``.
        A table with no rows (a very small extract) is a sentence saying so: an empty
        table cannot be typeset in the PDF."""
        source = frame.reset_index() if index else frame
        if source.empty:
            content = Markdown(f"{self.literal(caption) if caption else 'This table'}: no rows to show.\n")
        else:
            numeric = frozenset(c for c in source.columns if pd.api.types.is_numeric_dtype(source[c]))
            self._tables += 1
            name = f"{self.council.slug}-{self.notebook}-table-{self._tables}" if caption else None
            content = Markdown(markdown_table(formatted(source, formats), self.literal(caption) if caption else caption,
                                              name, right=numeric))
        if key:
            _glue(key, content, display=False)
        else:
            display(content)

    def notice(self, text: str, kind: str = "warning") -> None:
        """A prominent admonition (``warning``, ``note``, ``important``...). ``text`` is MyST:
        the council's name in it is shown literally; pass other data through
        :func:`carebook.text.markdown_literal`."""
        display(Markdown(f":::{{{kind}}}\n{self.literal(text)}\n:::\n"))

    def save(self, name: str, obj: Any, counts: list[str] | None = None) -> None:
        """Write a tidy result: ``results/<name>.csv`` for a DataFrame, ``.json`` otherwise.

        ``counts`` names the columns of a DataFrame that count children from child-level data:
        every row with a small count there is blanked by the page's :attr:`disclosure`."""
        if isinstance(obj, pd.DataFrame):
            obj = self.disclosure.counts(obj, counts) if counts else obj
            obj.to_csv(self.results_dir / f"{name}.csv", index=False)
        else:
            (self.results_dir / f"{name}.json").write_text(json.dumps(obj, indent=1, default=_plain_number))


def _plain_number(value: Any) -> Any:
    """numpy scalars and NaN as JSON-friendly Python values."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
