"""The sidebar's table of contents worked out once for all the pages of a council (a Sphinx
extension, with the book's template ``book/_templates/sbt-sidebar-nav.html``).

The theme works out every page's sidebar afresh: Sphinx resolves the book's whole table of
contents (153 councils and their pages in the national book), renders it as HTML, and the
theme parses that again to add its classes. That was half the time of writing the national
book. The pages of one council (its folder, with its landing page ``index``) have the same
sidebar but for one thing: which page is the page itself. Its link is marked current and goes
nowhere (``href="#"``); when it is one of the council's analyses its list item and the
council's list are marked current too.

So the sidebar of the first page written in a folder is kept without those marks
(:func:`unmarked`), and each further page of the folder gets it with its own marks
(:func:`marked`). Wherever the marks are not exactly where expected (another page, another
version of the theme), the theme works the sidebar out itself: the sidebar is never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT_LINK = '<a class="current reference internal" href="#">'
ITEM, CURRENT_ITEM = '<li class="toctree-l2">', '<li class="toctree-l2 current active">'
LIST, CURRENT_LIST = "<ul>", '<ul class="current">'
LANDING = "index"
"""A council's landing page, in its folder."""

_kept: dict[tuple[str, str], str] = {}
"""The unmarked sidebar of the folder written last, by folder and the theme's options."""


def _link(page: str) -> str:
    return f'<a class="reference internal" href="{page}.html">'


def unmarked(html: str, page: str) -> str | None:
    """The sidebar ``html`` of ``page`` (its name in its folder) with no page marked current;
    None unless its marks are found exactly once each, and its link nowhere."""
    if html.count(CURRENT_LINK) != 1 or _link(page) in html:
        return None
    if page == LANDING:
        return html.replace(CURRENT_LINK, _link(LANDING)) if CURRENT_LIST not in html else None
    current = CURRENT_ITEM + CURRENT_LINK
    if html.count(current) != 1 or html.count(CURRENT_LIST) != 1:
        return None
    return html.replace(current, ITEM + _link(page)).replace(CURRENT_LIST, LIST)


def marked(html: str, page: str) -> str | None:
    """An :func:`unmarked` sidebar with ``page`` of its folder marked current; None unless the
    page's link, and the landing page's with the council's list after it, are found once."""
    landing = _link(LANDING)
    if html.count(landing) != 1:
        return None
    if page == LANDING:
        return html.replace(landing, CURRENT_LINK)
    item = ITEM + _link(page)
    if html.count(item) != 1:
        return None
    council_list = html.find(LIST, html.index(landing))
    if not 0 <= council_list < html.index(item):
        return None
    html = html[:council_list] + CURRENT_LIST + html[council_list + len(LIST):]
    return html.replace(item, CURRENT_ITEM + CURRENT_LINK)


def shared_sidebar(pagename: str, generate: Callable[..., Any], has_landing: bool, **options: Any) -> str:
    """The sidebar of ``pagename``: from the kept sidebar of its folder where it has one and
    ``has_landing``, else ``generate(**options)`` (the theme's), kept for the folder's next pages."""
    folder, _, page = pagename.rpartition("/")
    key = (folder, repr(sorted(options.items())))
    if has_landing and key in _kept:
        html = marked(_kept[key], page)
        if html is not None:
            return html
    html = str(generate(**options))
    base = unmarked(html, page) if has_landing else None
    if base is not None:
        _kept.clear()  # pages are written folder by folder: the last folder's is all there is to keep
        _kept[key] = base
    return html


def add_sidebar_function(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """At ``html-page-context``: the page's ``carebook_sidebar_nav`` for the template, calling
    the theme's ``generate_toctree_html`` (added to the context after this) when it must."""
    folder = pagename.rpartition("/")[0]
    has_landing = bool(folder) and f"{folder}/{LANDING}" in app.env.all_docs

    def carebook_sidebar_nav(**options: Any) -> str:
        return shared_sidebar(pagename, context["generate_toctree_html"], has_landing, **options)

    context["carebook_sidebar_nav"] = carebook_sidebar_nav


def setup(app: Any) -> dict:
    app.connect("html-page-context", add_sidebar_function)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
