"""A Sphinx extension of the book: tables and figures numbered by the council's chapter.

Each council's analyses are its chapters 1, 2, ... (its landing page holds a numbered
toctree; ``numfig_secnum_depth: 1``), so the second table of its second analysis is "Table
2.2" in the HTML book as in its PDF. Sphinx counts the tables of every "chapter 2" of the
site together, so Rotherham's would continue from Nottingham's; this extension numbers each
council's tables and figures again from 1 in each of its chapters, in the order Sphinx found
them. Tables of a council's landing page (before its first chapter) are numbered 1, 2, ...
as in the PDF; pages outside the councils keep Sphinx's numbers.

Sphinx numbers figures after reading by loading every page's doctree again and walking it
(``TocTreeCollector.assign_figure_numbers``): for the national book, 926 pages unpickled in
one process on every build, even when one page changed. This extension keeps, for each page
as it is read, the outline that numbering needs (:func:`outline`: its sections, toctrees and
numbered tables and figures, in order) and numbers from the outlines instead
(:func:`assign_figure_numbers`, in place of Sphinx's method): the same numbers, without
loading a doctree. The pages it asks Sphinx to write again are those whose numbers changed
(:func:`updated_pages`), so a build with nothing changed writes nothing.

A numbered reference (``{numref}``) to a table or figure is resolved from the outlines too.
Sphinx loads the whole page of the target again for each one, only to learn the target's type
and id (:func:`from_outlines`): the volume sizing pages' four references to their own figures
were 612 page loads of the national build, in the process every page waits on.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinx.util import url_re

Number = tuple[int, ...]
Outline = list[tuple]
"""A page's outline, in document order: ``("section", anchor, Outline)``, ``("toctree",
[page, ...])`` and ``("figure", figure type, id)``."""
OUTLINES = "carebook_outlines"
"""The attribute of Sphinx's environment that keeps each page's outline between builds."""


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


def enumerable_classes(env: Any) -> frozenset[type]:
    """The classes of element the domains number (their ``enumerable_nodes``); the standard
    domain also numbers a container holding a code block."""
    return frozenset(c for domain in env.domains.values() for c in domain.enumerable_nodes)


def figure_type(env: Any, node: nodes.Element) -> str | None:
    """The type of a numbered element (``"table"``, ``"figure"``, ...), as Sphinx decides it:
    an element of the standard domain is numbered only when it has a caption."""
    for domain in env.domains.values():
        figtype = domain.get_enumerable_node_type(node)
        if domain.name == "std" and not domain.get_numfig_title(node):
            continue
        if figtype:
            return figtype
    return None


def outline(env: Any, node: nodes.Element, enumerable: frozenset[type] | None = None) -> Outline:
    """The outline of a doctree (or of one of its elements): what Sphinx's figure numbering
    looks at, in the order it looks. Only elements of the ``enumerable`` classes
    (:func:`enumerable_classes`) and containers are asked their figure type."""
    enumerable = enumerable if enumerable is not None else enumerable_classes(env)
    found: Outline = []
    for child in node.children:
        if isinstance(child, nodes.section):
            found.append(("section", "#" + child["ids"][0], outline(env, child, enumerable)))
        elif isinstance(child, addnodes.toctree):
            found.append(("toctree", [page for _, page in child["entries"] if not (url_re.match(page) or page == "self")]))
        elif isinstance(child, nodes.Element):
            numbered = type(child) in enumerable or isinstance(child, nodes.container)
            figtype = figure_type(env, child) if numbered else None
            if figtype and child["ids"]:
                found.append(("figure", figtype, child["ids"][0]))
            found.extend(outline(env, child, enumerable))
    return found


def outlines(env: Any) -> dict[str, Outline]:
    """The outlines of the environment's pages (created empty on first use)."""
    if not hasattr(env, OUTLINES):
        setattr(env, OUTLINES, {})
    return getattr(env, OUTLINES)


def keep_outline(app: Any, doctree: nodes.document) -> None:
    """At ``doctree-read``: keep the page's outline."""
    outlines(app.env)[app.env.docname] = outline(app.env, doctree)


def forget_outline(app: Any, env: Any, docname: str) -> None:
    """At ``env-purge-doc``: forget a page that is read again or removed."""
    outlines(env).pop(docname, None)


def merge_outlines(app: Any, env: Any, docnames: set[str], other: Any) -> None:
    """At ``env-merge-info``: take the outlines of the pages a parallel reader read."""
    theirs = outlines(other)
    outlines(env).update({d: theirs[d] for d in docnames if d in theirs})


def assign_figure_numbers(collector: TocTreeCollector, env: Any) -> list[str]:
    """Sphinx's figure numbering (numbers by ``numfig_secnum_depth`` sections, in the order
    of the toctrees from the root page) from the pages' outlines, then each council's numbers
    again from 1 (:func:`renumbered`); return the pages whose numbers changed."""
    generated = frozenset(env.domains["std"]._virtual_doc_names)
    kept = outlines(env)
    numbers: dict[str, dict[str, dict[str, Number]]] = {}
    counters: dict[str, dict[Number, int]] = defaultdict(dict)
    visited: set[str] = set()

    def walk(docname: str, items: Outline, secnum: Number) -> None:
        for item in items:
            if item[0] == "section":
                secnumbers = env.toc_secnumbers.get(docname, {})
                walk(docname, item[2], (secnumbers.get(item[1]) if item[1] in secnumbers else secnumbers.get("")) or secnum)
            elif item[0] == "toctree":
                for page in item[1]:
                    if page not in generated:
                        walk_page(page, secnum)
            else:
                _, figtype, target = item
                chapter = secnum[:env.config.numfig_secnum_depth]
                counters[figtype][chapter] = counters[figtype].get(chapter, 0) + 1
                numbers.setdefault(docname, {}).setdefault(figtype, {})[target] = (*chapter, counters[figtype][chapter])

    def walk_page(docname: str, secnum: Number) -> None:
        if docname in visited:
            return
        visited.add(docname)
        if docname not in kept:  # an environment from before outlines were kept
            kept[docname] = outline(env, env.get_doctree(docname))
        walk(docname, kept[docname], secnum)

    if env.config.numfig:
        walk_page(env.config.root_doc, ())
    old = env.toc_fignumbers
    env.toc_fignumbers = renumbered(numbers)
    return [docname for docname, found in env.toc_fignumbers.items() if found != old.get(docname)]


def as_tuples(secnumbers: dict[str, dict[str, Any]]) -> dict[str, dict[str, Number | None]]:
    """Section numbers (page -> anchor -> number) with every number a tuple: the styles of
    ``sphinx_external_toc`` leave some as lists, which compare unequal to the same numbers
    as tuples."""
    return {page: {anchor: None if number is None else tuple(number) for anchor, number in anchors.items()}
            for page, anchors in secnumbers.items()}


def updated_pages(collector: TocTreeCollector, app: Any, env: Any) -> list[str]:
    """The pages to write again because their section or figure numbers changed (in place of
    the toctree collector's ``get_updated_docs``). Sphinx compares its own section numbers
    with those kept from the last build, which ``sphinx_external_toc`` then restyles, so it
    found every numbered page changed on every build; this compares the final numbers."""
    old = as_tuples(env.toc_secnumbers)
    collector.assign_section_numbers(env)
    env.toc_secnumbers = as_tuples(env.toc_secnumbers)
    sections = [page for page in sorted(set(old) | set(env.toc_secnumbers)) if old.get(page) != env.toc_secnumbers.get(page)]
    return sections + assign_figure_numbers(collector, env)


STAND_INS = {"figure": nodes.figure, "table": nodes.table}
"""The element a numbered table or figure of an outline stands for."""


class _OutlineTargets:
    """The targets of a page for a numbered reference: its numbered tables and figures as
    stand-ins made from its outline (their type and id); anything else from the page itself."""

    def __init__(self, env: Any, docname: str) -> None:
        self.env, self.docname = env, docname

    def get(self, labelid: str, default: Any = None) -> Any:
        figtype = _figures(outlines(self.env).get(self.docname, [])).get(labelid)
        if figtype in STAND_INS:
            return STAND_INS[figtype](ids=[labelid])
        return self.env.get_doctree(self.docname).ids.get(labelid, default)


def _figures(items: Outline) -> dict[str, str]:
    """The numbered tables and figures of an outline: id -> figure type."""
    found: dict[str, str] = {}
    for item in items:
        if item[0] == "section":
            found.update(_figures(item[2]))
        elif item[0] == "figure":
            found[item[2]] = item[1]
    return found


class _PagesFromOutlines:
    """The environment as :func:`from_outlines` shows it to Sphinx: a page's doctree is the
    targets of its outline (:class:`_OutlineTargets`)."""

    def __init__(self, env: Any) -> None:
        self._env = env

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env, name)

    def get_doctree(self, docname: str) -> Any:
        return SimpleNamespace(ids=_OutlineTargets(self._env, docname))


def from_outlines(resolve: Any) -> Any:
    """The standard domain's ``_resolve_numref_xref``, finding a numbered table or figure in
    its page's outline instead of loading the page."""
    @functools.wraps(resolve)
    def resolve_numref(domain: Any, env: Any, *args: Any) -> Any:
        return resolve(domain, _PagesFromOutlines(env), *args)

    return resolve_numref


def resolve_from_outlines(app: Any) -> None:
    """At ``builder-inited``: numbered references find their tables and figures in the
    outlines (:func:`from_outlines`)."""
    domain = app.env.domains["std"]
    domain._resolve_numref_xref = from_outlines(type(domain)._resolve_numref_xref).__get__(domain)


def take_over_numbering(app: Any) -> None:
    """At ``builder-inited``: the toctree collector's ``env-get-updated`` listener (whichever
    class Jupyter Book installed) calls :func:`updated_pages` instead."""
    listeners = app.events.listeners["env-get-updated"]
    for index, listener in enumerate(listeners):
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollector):
            listeners[index] = listener._replace(handler=functools.partial(updated_pages, collector))


def setup(app: Any) -> dict[str, Any]:
    """Keep each page's outline, and number sections and figures through :func:`updated_pages`."""
    app.connect("builder-inited", take_over_numbering)
    app.connect("builder-inited", resolve_from_outlines)
    app.connect("doctree-read", keep_outline)
    app.connect("env-purge-doc", forget_outline)
    app.connect("env-merge-info", merge_outlines)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
