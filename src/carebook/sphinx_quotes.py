"""A Sphinx extension of the book: typographic quotes, dashes and ellipses only where the text
has something to change.

Sphinx's smart quotes (``SphinxSmartQuotes``) visit every block of text of a page, check every
piece of text in it against each element above it, and replace every piece, changed or not.
A council's page is mostly tables of figures: blocks with no quote, dash or ellipsis to
change, and a sixth of the time to read the page. This extension runs the same transform on
the blocks that hold a character it can change (:data:`CHANGEABLE`) and leaves the others as
they are, which is what the transform would have left: the pages come out byte for byte the
same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxSmartQuotes

CHANGEABLE = re.compile(r"""["']|--|\.\.\.|\. \. \.|\\""")
"""What the smart quotes of ``smartquotes_action = "qDe"`` can change in a block of text:
straight quotes, two or three hyphens, an ellipsis, and backslashes (two become one). A
character escaped in the source is left as it is."""


def changeable(block: nodes.TextElement) -> bool:
    """Whether the smart quotes could change anything in ``block`` (its text, with what is
    nested in it)."""
    return CHANGEABLE.search(block.astext()) is not None


class ChangeableSmartQuotes(SphinxSmartQuotes):
    """``SphinxSmartQuotes`` over the blocks of text it can change (:func:`changeable`)."""

    def apply(self, **kwargs: Any) -> None:
        every = self.document.findall

        def blocks(condition: Any = None, **options: Any) -> Iterator[nodes.Node]:
            for node in every(condition, **options):
                if condition is not nodes.TextElement or isinstance(node.parent, nodes.TextElement) \
                        or changeable(node):
                    yield node

        self.document.findall = blocks  # the transform finds its blocks of text with this
        try:
            super().apply(**kwargs)
        finally:
            del self.document.findall


def setup(app: Any) -> dict[str, Any]:
    """Use :class:`ChangeableSmartQuotes` in place of Sphinx's own."""
    if SphinxSmartQuotes in app.registry.transforms:
        app.registry.transforms.remove(SphinxSmartQuotes)
    app.add_transform(ChangeableSmartQuotes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
