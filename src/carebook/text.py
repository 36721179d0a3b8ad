"""Text that comes from a council file, a data file or an error message, made safe for the
book: shown literally in MyST Markdown (so in the HTML and the PDF), in LaTeX and inside a
``<script>`` element.

A council's name such as ``<script>alert(1)</script>`` or ``$x$ *y*`` must reach the reader
as those characters: never as HTML, maths, emphasis, a role or a directive, and never break
the PDF.
"""

from __future__ import annotations

import json
import re
from typing import Any

_MARKDOWN_SPECIAL = re.compile(r"([!#-&(-+\-.:<>\[-`{-~])")
"""ASCII punctuation that can mean something in MyST (all but ``, ; ' " ? / = @``):
CommonMark lets each be escaped with a backslash."""
_WHITESPACE = re.compile(r"\s+")
_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX))
_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_SPECIAL = re.compile("[<>&\u2028\u2029]")


def one_line(text: Any) -> str:
    """``text`` as a single line: every run of whitespace (newlines, tabs) becomes one space."""
    return _WHITESPACE.sub(" ", str(text)).strip()


def markdown_literal(text: Any) -> str:
    """``text`` escaped for MyST Markdown so that it renders as exactly those characters.

    Every ASCII punctuation character that MyST could read gets a backslash, so HTML
    tags, ``$maths$``, ``*emphasis*``, ``_emphasis_``, roles, substitutions and table pipes
    are all shown as text; newlines become spaces (a name is one line). Safe in headings,
    paragraphs, captions, admonitions, link texts and table cells.
    ``"<b> & $x$"`` -> ``"\\<b\\> \\& \\$x\\$"``.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


def option_value(text: Any) -> str:
    """``text`` as the value of a MyST directive option (``:alt:``, say), which is not
    Markdown: a quoted string on one line (JSON's quoting, which the options' YAML reads back
    to exactly ``text``), so a backslash shows as itself and nothing is escaped that the reader
    would see. ``'67. "A"'`` -> ``'"67. \\"A\\""'``."""
    return json.dumps(one_line(text), ensure_ascii=False)


def latex_escape(text: Any) -> str:
    """``text`` for a LaTeX document (the PDF's title page): ``& % $ # _ { } ~ ^ \\``
    become their LaTeX commands; newlines become spaces. ``"A & B_1"`` -> ``"A \\& B\\_1"``."""
    return _LATEX_SPECIAL.sub(lambda found: _LATEX[found.group(0)], one_line(text))


def script_json(value: Any) -> str:
    """``value`` as JSON safe inside an HTML ``<script>`` element: ``<``, ``>`` and ``&`` are
    written as ``\\u`` escapes, so a string such as ``"</script>"`` cannot close the element."""
    return _SCRIPT_SPECIAL.sub(lambda found: _SCRIPT[found.group(0)], json.dumps(value))


_PERSONAL = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{4}\b"  # a date dd/mm/yyyy (a date of birth, say)
    r"|\b\d{4}-\d{2}-\d{2}\b"  # a date yyyy-mm-dd
    r"|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"  # a full postcode
    r"|\b\d{6,}\b"  # a long number (a child's identifier, a UPN's digits)
)


def redact_personal(text: Any) -> str:
    """``text`` with dates, full postcodes and long numbers replaced by ``[withheld]``:
    the last guard on an error message that reaches the manifest or a page (carebook's
    own messages name files, rows and fields, never values; another library's may not).
    ``"KeyError: '1007913' born 27/03/2008"`` -> ``"KeyError: '[withheld]' born [withheld]"``."""
    return _PERSONAL.sub("[withheld]", str(text))


def slugify(name: str) -> str:
    """``"Bournemouth, Christchurch and Poole"`` -> ``"bournemouth-christchurch-and-poole"``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
