"""A Sphinx extension of the book: tables and figures numbered by the council's chapter.

Each council's analyses are its chapters 1, 2, ... (its landing page holds a numbered
toctree; ``numfig_secnum_depth: 1``), so the second table of its second analysis is "Table
2.2" in the HTML book as in its PDF. Sphinx counts the tables of every "chapter 2" of the
site together, so Rotherham's would continue from Nottingham's; this extension numbers each
council's tables and figures again from 1 in each of its chapters, in the order Sphinx found
them. Tables of a council's landing page (before its first chapter) are numbered 1, 2, ...
as in the PDF; pages outside the councils keep Sphinx's numbers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

Number = tuple[int, ...]


def unit_of(docname: str) -> str:
    """The numbering unit of a page: its council (``book/councils/<slug>``) or ``""``."""
    parts = docname.split("/")
    return "/".join(parts[:3]) if len(parts) >= 3 and parts[:2] == ["book", "councils"] else ""


def renumbered(fignumbers: dict[str, dict[str, dict[str, Number]]]) -> dict[str, dict[str, dict[str, Number]]]:
    """Sphinx's figure numbers (``env.toc_fignumbers``: page -> figure type -> id -> number)
    counted again from 1 within each council, figure type and chapter; the order of the
    numbers Sphinx gave is kept."""
    groups: dict[tuple[str, str, Number], list[tuple[int, str, str]]] = defaultdict(list)
    for docname, types in fignumbers.items():
        for figtype, ids in types.items():
            for target, number in ids.items():
                groups[(unit_of(docname), figtype, tuple(number[:-1]))].append((number[-1], docname, target))
    result: dict[str, dict[str, dict[str, Number]]] = {d: {t: {} for t in types} for d, types in fignumbers.items()}
    for (unit, figtype, chapter), members in groups.items():
        for position, (_, docname, target) in enumerate(sorted(members), start=1):
            result[docname][figtype][target] = (*chapter, position) if unit else fignumbers[docname][figtype][target]
    return result


def renumber(app: Any, env: Any) -> list[str]:
    """Number the tables and figures of each council by its chapters (``env-get-updated``,
    after Sphinx's own numbering); return the pages whose numbers changed."""
    old = env.toc_fignumbers
    new = renumbered(old)
    env.toc_fignumbers = new
    return [docname for docname in new if new[docname] != old.get(docname)]


def setup(app: Any) -> dict[str, Any]:
    """Register :func:`renumber` after Sphinx's toctree collector (priority 500)."""
    app.connect("env-get-updated", renumber, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
