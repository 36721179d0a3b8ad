"""A Sphinx extension of the book: page titles reach the HTML escaped.

sphinx-book-theme puts each page's title as plain text into ``pagetitle`` (the heading of the
printed page) and the root page's into ``root_title`` (the sidebar), and its templates write
them unescaped. A council's name such as ``<script>…</script>`` in a title would run in the
reader's browser. This extension escapes both after the theme has set them.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

THEME_TITLES = ("pagetitle", "root_title")
"""The context values sphinx-book-theme sets as plain text and writes unescaped."""


def escape_titles(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Escape the plain-text titles in a page's template context (``html-page-context``)."""
    for key in THEME_TITLES:
        if isinstance(context.get(key), str):
            context[key] = escape(context[key])


def setup(app: Any) -> dict[str, Any]:
    """Register :func:`escape_titles` after the theme's own handler (priority 500)."""
    app.connect("html-page-context", escape_titles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
