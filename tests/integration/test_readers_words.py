"""Readers' words only: none of the words of the code (file paths, parameter keys, Python
values, column and file names, internal labels) reaches a page of the HTML book or a
council's PDF, and no sentence breaks for a council it does not suit."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SECTIONS = r"(?:flow_model|cost_benefit|volume_sizing|sufficiency|ssda903|prices)"
INTERNAL = {
    "a seed document's number": r"\b[Ss]eed 00\d\b",
    "a parameter key": rf"\b{SECTIONS}\.[a-z_]+",
    "a file path": r"\bdata/(?:councils|reference|public)\b|\bbook/councils\b|\.ya?ml\b|\.ipynb\b",
    "a file name": r"\b[\w-]+\.(?:csv|json|xml|py)\b",
    "a Python value": r"\b(?:False|True|NaN|nan)\b|\bNone\b(?! of)",
    "a name written with underscores": r"\b[a-z]+_[a-z_]+\b",  # not the SSDA903 return's own field names (HOME_POST)
    "an instruction to edit a council file": r"\bin the council file\b|\bSet ssda903",
    "a broken sentence": r"not applicable[^.]{0,40}of children|\.\s+not applicable",
}
OWN_PLAN = "The plan follows the layout of the council’s own financial plan"
"""Said only where the council's file gives its own plan (Rotherham's Appendix 1)."""


class _Text(HTMLParser):
    """The text a reader sees on a page: everything but scripts, styles and hidden search data."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"-\n\s*", "", text)  # words hyphenated across lines joined again


def internal_words(text: str) -> list[str]:
    """Each internal word found, with its kind and the words around it."""
    return [f"{kind}: …{text[max(0, m.start() - 50):m.end() + 30]}…" for kind, pattern in INTERNAL.items()
            for m in re.finditer(pattern, text)]


def reader_pages(html: Path) -> list[Path]:
    return sorted([*html.glob("book/councils/*/*.html"), *html.glob("book/_generated/*.html"), *html.glob("book/*.html")])


def test_the_patterns_find_the_words_of_the_code():
    text = ("Funding (seed 000) from flow_model.funding_request in data/councils/triborough.yml: False; "
            "referral_count rose; see results.csv. Set ssda903.path in the council file. "
            "Break-even success rate. not applicable (no success rate) of children need to succeed.")
    found = {f.split(":")[0] for f in internal_words(text)}
    assert found == set(INTERNAL)
    assert internal_words("None of the children was placed over 20 miles away; £1,234 (2.5%) in 2024-25.") == []


def test_no_page_of_the_html_book_shows_a_word_of_the_code(default_book):
    found = {str(p.relative_to(default_book["html"])): internal_words(page_text(p)) for p in reader_pages(default_book["html"])}
    assert len(found) > 30
    assert {page: words[:5] for page, words in found.items() if words} == {}


@pytest.mark.parametrize("council", ["rotherham", "nottingham", "triborough", "essex", "warwickshire", "buckinghamshire"])
def test_no_page_of_a_council_pdf_shows_a_word_of_the_code(default_book, council):
    text = pdf_text(default_book["pdfs"][council])
    assert internal_words(text)[:10] == []
    assert (OWN_PLAN in " ".join(text.split())) == (council == "rotherham")
    assert "layout of Rotherham" not in text
