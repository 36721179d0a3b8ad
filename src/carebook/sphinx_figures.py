"""A Sphinx extension of the book: each glued number says where it comes from.

On a council's analysis page (``book/councils/<slug>/<notebook>``) every ``{glue:text}``
number whose record is in ``results/figures_<notebook>.csv`` (:mod:`carebook.provenance`)
becomes a link to its row on the council's "Figures and their sources" page, with a tooltip
(the link's ``title``) naming the function that computed it, its parameters and sources.
Only the HTML changes: the PDF prints the numbers as they are.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole

from carebook import provenance

KEY = "carebook_glue_key"
"""The attribute that carries a pasted number's glue key from parsing to writing."""


class KeyedPasteTextRole(PasteTextRole):
    """myst-nb's ``{glue:text}`` role, keeping the glue key on the node it makes."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        made, messages = super().run()
        key = self.text.split("::")[-1].split(":")[0]
        env = getattr(self.document.settings, "env", None)
        found = figures_file(Path(env.srcdir), env.docname) if env is not None else None
        if found is not None:
            env.note_dependency(str(found))  # the page is rewritten when its records change
        for node in made:
            if isinstance(node, nodes.inline):
                node[KEY] = key
        return made, messages


@functools.cache
def _records(path: Path, mtime: float) -> dict[str, dict[str, str]]:
    return {row["key"]: row for row in provenance.read_figures(path).to_dict("records")}


def figures_file(srcdir: Path, docname: str) -> Path | None:
    """The records of an analysis page ``book/councils/<slug>/<notebook>``, when there are some."""
    parts = docname.split("/")
    if len(parts) != 4 or parts[:2] != ["book", "councils"]:
        return None
    path = srcdir.joinpath(*parts[:3], "results", provenance.FIGURES.format(notebook=parts[3]))
    return path if path.is_file() else None


def records_of(srcdir: Path, docname: str) -> tuple[str, dict[str, dict[str, str]]] | None:
    """The figures page and the records of an analysis page ``book/councils/<slug>/<notebook>``."""
    path = figures_file(srcdir, docname)
    if path is None:
        return None
    return "/".join([*docname.split("/")[:3], provenance.FIGURES_PAGE]), _records(path, path.stat().st_mtime)


LINKED_TEXT = 40
"""Glued texts up to this length (a figure: "£11,796,856", "72%", "2019/20") become links; a
glued sentence is read as text (its figures are listed on the figures page all the same)."""


def link_figures(app: Any, doctree: nodes.document, docname: str) -> None:
    """Wrap each recorded glued figure of an analysis page in a link with a tooltip (HTML only)."""
    if app.builder.format != "html":
        return
    found = records_of(Path(app.srcdir), docname)
    if found is None or found[0] not in app.env.found_docs:
        return
    page, records = found
    notebook = docname.rsplit("/", 1)[-1]
    for node in list(doctree.findall(nodes.inline)):
        record = records.get(node.get(KEY, ""))
        if record is None or isinstance(node.parent, nodes.reference) or len(record["text"]) > LINKED_TEXT:
            continue
        uri = app.builder.get_relative_uri(docname, page) + "#" + provenance.anchor(notebook, record["key"])
        link = nodes.reference("", "", refuri=uri, reftitle=provenance.tooltip(record), classes=["carebook-figure"])
        node.replace_self(link)
        link.append(node)


def setup(app: Any) -> dict[str, Any]:
    """Register the keyed ``{glue:text}`` role and :func:`link_figures`."""
    app.setup_extension("myst_nb")
    app.add_role_to_domain("glue", "text", KeyedPasteTextRole(), override=True)
    app.connect("doctree-resolved", link_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
