"""Tables as MyST Markdown: real, numbered tables in both the HTML book and the PDF."""

from __future__ import annotations

from typing import Any

import pandas as pd

from carebook.text import markdown_literal, one_line


def markdown_table(frame: pd.DataFrame, caption: str | None = None, name: str | None = None,
                   right: frozenset[str] = frozenset(), markup: frozenset[str] = frozenset()) -> str:
    """A DataFrame as a MyST table (a real table in both the HTML and the PDF).

    Cells and headings are shown literally (:func:`carebook.text.markdown_literal`: a cell
    holding ``<b>``, ``$x$`` or ``*y*`` shows those characters), except in the columns named
    in ``markup``, whose cells are MyST written by the code (links, code spans). Format
    numbers before (``page.table`` does); columns in ``right`` (the numeric ones) are
    right-aligned. In the PDF, numeric columns keep their natural width (a number never
    wraps or spills into the next column) and text columns share the rest of the line.
    ``caption`` is MyST: pass data in it through ``markdown_literal``.
    """
    def cell(value: Any, column: Any) -> str:
        return one_line(value).replace("|", "\\|") if column in markup else markdown_literal(value)

    header = "| " + " | ".join(markdown_literal(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if c in right else ":---" for c in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v, c) for v, c in zip(row, frame.columns)) + " |"
            for row in frame.astype(object).itertuples(index=False)]
    body = "\n".join([header, rule, *rows])
    layout = f"```{{tabularcolumns}} {''.join('r' if c in right else 'L' for c in frame.columns)}\n```\n\n" if right else ""
    if caption is None and name is None:
        return layout + body
    options = f":name: {name}\n" if name else ""
    return f"{layout}:::{{table}} {caption or ''}\n{options}\n{body}\n:::\n"
