"""Tables as MyST Markdown: real, numbered tables in both the HTML book and the PDF.

In the PDF every table is a ``longtable`` (it breaks across pages, repeats its header on each
and never runs into the footer) whose columns are given widths in proportion to what they
hold (:func:`layout`): text wraps inside its column, a number or a word never does. A table
too wide for the line at the body's type size is set smaller, and one too wide even then is
turned landscape on a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from carebook.text import markdown_literal, one_line

PAD = 3.5
"""The space between two columns (``2\\tabcolsep``) and a character to spare, in characters."""
CAPACITY = {"normalsize": 92.0, "small": 102.0, "footnotesize": 115.0, "scriptsize": 131.0}
"""How many characters of each type size an A4 line of the PDF holds (17 cm of FreeSerif)."""
PORTRAIT = ("normalsize", "small", "footnotesize")
"""The type sizes tried on a portrait page, largest first; then footnote and script size landscape."""
LANDSCAPE = 1.45
"""How much longer a landscape line is than a portrait one (24.7 cm of text against 17 cm)."""
BREAKS = r"[\s_]+"
"""Where a cell's text may break: at spaces and after an underscore (the PDF's preamble allows it)."""
WIDEST = 60
"""A cell's characters beyond this wrap anyway: a long sentence does not claim the whole line."""


@dataclass(frozen=True)
class Layout:
    """How a table is set in the PDF: its type size, whether it is turned landscape, and the
    LaTeX column specification (``tabularcolumns``) of its columns' widths."""

    size: str
    landscape: bool
    columns: str


def _cells(frame: pd.DataFrame) -> pd.Series:
    """Every cell of ``frame`` as text in one Series, column after column (the cell in row ``i``
    of column ``j`` is at position ``j * len(frame) + i``), a missing cell missing still: a
    table's cells are measured in one pass, not one pass a column."""
    return pd.Series(frame.astype(str).to_numpy(dtype=object).ravel(order="F"), dtype="str")


def _by_column(values: pd.Series, frame: pd.DataFrame) -> np.ndarray:
    """Per-cell ``values`` (in :func:`_cells`' order) as a columns x rows array."""
    return values.to_numpy().reshape(len(frame.columns), len(frame))


def _lengths(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each column's natural width (its longest cell or heading, capped at :data:`WIDEST`) and
    least width (its longest word, or its longest cell for a column that must not wrap), in
    characters."""
    count = len(frame.columns)
    text = pd.concat([pd.Series([str(c) for c in frame.columns], dtype="str"), _cells(frame)], ignore_index=True)
    column = np.concatenate([np.arange(count), np.repeat(np.arange(count), len(frame))])  # headings, then cells
    natural, least = np.zeros(count), np.zeros(count)
    np.maximum.at(natural, column, text.str.len().fillna(0).to_numpy(dtype=float))  # a missing cell is no width
    words = text.str.split(BREAKS).explode()
    np.maximum.at(least, column[words.index.to_numpy()], words.str.len().fillna(0).to_numpy(dtype=float))
    natural = np.minimum(natural, WIDEST)
    return natural, np.minimum(least, np.maximum(natural, 1))


def layout(frame: pd.DataFrame, right: frozenset[str] = frozenset()) -> Layout:
    """The PDF layout of a table: the largest type size at which every column gets its least
    width (:func:`_lengths`), landscape when none does; each column then gets its least width and
    a share of the rest of the line in proportion to how much more its cells hold. A table that
    fits at its natural widths is set no wider than they need.

    Widths are fractions of the line (``\\X{w}{1000}``: Sphinx's column of ``w``/1000 of the
    line, less the space between columns). Columns named in ``right`` are right-aligned.
    """
    natural, least = _lengths(frame)
    count = len(frame.columns)
    choices = [(size, CAPACITY[size], False) for size in PORTRAIT] + [
        (size, CAPACITY[size] * LANDSCAPE, True) for size in ("footnotesize", "scriptsize")]
    fitting = [choice for choice in choices if least.sum() + PAD * count <= choice[1]]
    size, capacity, landscape = (fitting or choices[-1:])[0]
    room = capacity - PAD * count
    if natural.sum() <= room:
        widths = natural + PAD
    else:
        extra = natural - least
        spare = room - least.sum()
        widths = least + (extra / extra.sum() * spare if extra.sum() > 0 else 0) + PAD
    shares = np.maximum(np.round(widths / capacity * 1000).astype(int), 1)
    align = [r"\raggedleft" if c in right else r"\raggedright" for c in frame.columns]
    columns = "".join(f">{{{a}\\arraybackslash}}\\X{{{w}}}{{1000}}" for a, w in zip(align, shares))
    return Layout(size=size, landscape=landscape, columns=columns)


NUMBER = r"^[-−]?£?\(?[-−]?£?[\d,.]+[%kmbn]*\)?$"
"""A cell holding a number as the book formats it: ``1,234``, ``£(2,281,450)``, ``(1,154,250)``, ``46%``."""


def numeric_columns(frame: pd.DataFrame) -> frozenset[str]:
    """The columns every cell of which is a formatted number (:data:`NUMBER`), or a dash or
    "not published" where a figure is missing: they are right-aligned."""
    text = _cells(frame).str.strip()
    missing = _by_column(text.isin(["", "-", "–", "—", "not published", "not applicable", "nan"]), frame)
    number = _by_column(text.str.match(NUMBER).astype(bool), frame)
    numeric = (number | missing).all(axis=1) & number.any(axis=1)
    return frozenset(column for column, is_numeric in zip(frame.columns, numeric) if is_numeric)


def _latex(text: str) -> str:
    return f"```{{raw}} latex\n{text}\n```\n"


def markdown_table(frame: pd.DataFrame, caption: str | None = None, name: str | None = None,
                   right: frozenset[str] = frozenset(), markup: frozenset[str] = frozenset()) -> str:
    """A DataFrame as a MyST table (a real table in both the HTML and the PDF).

    Cells and headings are shown literally (:func:`carebook.text.markdown_literal`: a cell
    holding ``<b>``, ``$x$`` or ``*y*`` shows those characters), except in the columns named
    in ``markup``, whose cells are MyST written by the code (links, code spans). Format
    numbers before (``page.table`` does); columns in ``right``, and those holding only
    formatted numbers (:func:`numeric_columns`), are right-aligned. In the PDF the table is laid out by :func:`layout`: it fits the line, wraps
    text within its columns and repeats its header on every page it runs over.
    ``caption`` is MyST: pass data in it through ``markdown_literal``.
    """
    def cell(value: Any, column: Any) -> str:
        return one_line(value).replace("|", "\\|") if column in markup else markdown_literal(value)

    right = right | (numeric_columns(frame) if len(frame) else frozenset())
    header = "| " + " | ".join(markdown_literal(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if c in right else ":---" for c in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v, c) for v, c in zip(row, frame.columns)) + " |"
            for row in frame.astype(object).itertuples(index=False)]
    body = "\n".join([header, rule, *rows])
    shape = layout(frame, right)
    options = f":class: longtable\n:name: {name}\n" if name else ":class: longtable\n"
    table = f"```{{tabularcolumns}} {shape.columns}\n```\n\n:::{{table}} {caption or ''}\n{options}\n{body}\n:::\n"
    before, after = [], []
    if shape.landscape:
        before, after = [r"\begin{landscape}"], [r"\end{landscape}"]
    if shape.size != "normalsize":
        before, after = [*before, rf"\begingroup\{shape.size}"], [r"\endgroup", *after]
    if not before:
        return table
    return "\n".join([_latex("\n".join(before)), table, _latex("\n".join(after))])
