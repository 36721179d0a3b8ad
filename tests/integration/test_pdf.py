"""The councils' PDFs as a council would publish them: A4, a title page with the edition, a
contents page, no blank page, no table wider than the line or running into the footer, and
tables and figures numbered by chapter as in the HTML book.

The six default councils' PDFs, built once for the integration tests (``default_book``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from carebook import edition

ROOT = Path(__file__).resolve().parents[2]
COUNCILS = {"buckinghamshire": "Buckinghamshire", "essex": "Essex", "nottingham": "Nottingham", "rotherham": "Rotherham",
            "triborough": "Tri-borough", "warwickshire": "Warwickshire"}
A4 = (595.28, 841.89)
"""A4 in points."""
MARGIN = 56.69
"""The PDF's left and right margins (2 cm), in points."""
BODY = (62.36, 841.89 - 68.03)
"""The top and bottom of the text on a page (margins 2.2 cm and 2.4 cm), in points."""
TOLERANCE = 2.0
"""How far (points) a word may reach beyond the line, or a box be overfull."""
EDGE = 20.0
"""How near (points, 7 mm) to the paper's edge a word of a turned page may come (its running header sits 26 pt from it)."""
DESCENT = 4.0
"""How far (points) a word's box may reach below the text area: the descent of its last line."""
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(default_book) -> dict:
    """The default councils' PDFs (built once for the integration tests) and their LaTeX logs."""
    return {"pdf": default_book["pdfs"],
            "log": {slug: default_book["latex"] / slug / "_build" / "latex" / f"{slug}.log" for slug in COUNCILS}}


def pages_text(pdf: Path) -> list[str]:
    """The text of each page (``pdftotext``: pages are separated by form feeds)."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


def page_words(pdf: Path) -> list[tuple[tuple[float, float], list[tuple[float, float, float, float, str]]]]:
    """Each page's size and its words' boxes (``pdftotext -bbox``)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        size = tuple(float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        pages.append((size, [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]))
    return pages


@pytest.mark.parametrize("slug", COUNCILS)
def test_every_page_is_a4(built, slug):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(built["pdf"][slug])], capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) > 40
    assert {(float(w), float(h)) for w, h in sizes} == {A4}


@pytest.mark.parametrize("slug", COUNCILS)
def test_no_page_is_blank(built, slug):
    blank = [n for n, text in enumerate(pages_text(built["pdf"][slug]), start=1) if len(text.split()) < 5]
    assert blank == []


@pytest.mark.parametrize("slug", COUNCILS)
def test_the_title_page_gives_the_council_and_the_edition(built, slug):
    first, contents = pages_text(built["pdf"][slug])[:2]
    words = " ".join(first.split())
    assert words.startswith(f"{COUNCILS[slug]} Commissioning children's placements")
    assert f"Version {edition.book_version()}" in words
    assert f"Built on {edition.built_on()}" in words
    assert "Data as at official statistics up to 31 March 2025" in words  # the latest DfE collection year the runs read: 2024-25
    assert contents.split()[0] == "Contents" and "Placement sufficiency" in contents


@pytest.mark.parametrize("slug", COUNCILS)
def test_tables_and_figures_are_numbered_by_chapter(built, slug):
    text = "\n".join(pages_text(built["pdf"][slug]))
    tables = re.findall(r"Table (\d+)\.(\d+):", text)
    figures = re.findall(r"Fig\. (\d+)\.(\d+):", text)
    assert ("1", "1") in tables and ("1", "1") in figures and ("4", "1") in tables
    assert re.search(r"Table 1: Key figures for " + COUNCILS[slug], text)  # before the first chapter
    assert all(int(n) < 40 for _, n in tables + figures)  # counted from 1 in each chapter, never through the book


@pytest.mark.parametrize("slug", COUNCILS)
def test_no_box_is_overfull_by_more_than_a_few_points(built, slug):
    log = built["log"][slug].read_text(errors="replace")
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert max(overfull, default=0.0) <= TOLERANCE


@pytest.mark.parametrize("slug", COUNCILS)
def test_no_text_beyond_the_margins_or_into_the_footer(built, slug):
    """Every word of a portrait page within the line and in the text area or the header and
    footer bands; on a page turned for a wide table (pdflscape: the running header and footer
    stay upright, beside the turned text) every word at least ``EDGE`` from the paper's edge."""
    outside = []
    for number, ((width, height), words) in enumerate(page_words(built["pdf"][slug]), start=1):
        assert (width, height) in {A4, A4[::-1]}
        if width > height or any(x1 > width + 1 for _, _, x1, _, _ in words):  # a turned page's words come turned
            long, short = max(width, height), min(width, height)
            outside += [(number, word, "off the turned page") for x0, y0, x1, y1, word in words
                        if min(x0, y0, long - x1, short - y1) < EDGE]
            continue
        for x0, y0, x1, y1, word in words:
            if x0 < MARGIN - TOLERANCE or x1 > A4[0] - MARGIN + TOLERANCE:
                outside.append((number, word, "beyond the line"))
            in_body = BODY[0] - TOLERANCE <= y0 and y1 <= BODY[1] + DESCENT
            in_header = y1 < BODY[0] - 10
            in_footer = y0 > BODY[1] + 10
            if not (in_body or in_header or in_footer):
                outside.append((number, word, "between the text and the header or footer"))
        footer = [w for w in words if w[1] > BODY[1] + 10]
        if len(footer) > 12:  # the footer holds the page number and the section's title: a table would add rows
            outside.append((number, " ".join(w[4] for w in footer), "in the footer"))
    assert outside == []


@pytest.mark.parametrize("slug", COUNCILS)
def test_no_text_is_smaller_than_7_points(built, slug):
    """Charts legible at print size: every word of three letters or more (a word set sideways,
    as an axis title is, is taller than that) stands at least 7 pt high (``pdftotext``
    measures a word's box by its font size: 10.0 for the body text)."""
    small = [(number, word, round(y1 - y0, 1)) for number, (_, words) in enumerate(page_words(built["pdf"][slug]), start=1)
             for x0, y0, x1, y1, word in words if len(word) >= 3 and y1 - y0 < 6.95]
    assert small[:10] == []
