"""The HTML book built again: each council's tables and figures numbered by its own chapters,
and a second build with nothing changed writes nothing again (Sphinx's numbering of the
councils' pages, kept from the last build, would otherwise find every numbered page changed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

CAPTION_NUMBER = re.compile(r'caption-number">(Table|Fig\.) ([\d.]+) <')


def test_each_council_numbers_its_tables_and_figures_by_its_own_chapters(default_book):
    for council in default_book["pdfs"]:
        folder = default_book["html"] / "book" / "councils" / council
        chapters = [link for link in re.findall(r'href="(\w+)\.html"', (folder / "index.html").read_text())
                    if link in {"sufficiency", "flow_model", "volume_sizing", "cost_benefit"}]
        for chapter, page in enumerate(dict.fromkeys(chapters), start=1):
            found = CAPTION_NUMBER.findall((folder / f"{page}.html").read_text(encoding="utf-8"))
            assert found, (council, page)
            for kind in {k for k, _ in found}:
                numbers = [n for k, n in found if k == kind]
                assert numbers == [f"{chapter}.{i}" for i in range(1, len(numbers) + 1)], (council, page, kind, numbers)


def test_a_second_build_with_nothing_changed_writes_no_page_again(default_book):
    html = default_book["html"]
    before = {p: p.stat().st_mtime_ns for p in html.rglob("*.html")}
    second = subprocess.run([str(Path(sys.executable).parent / "carebook"), "build", "--jobs", "2"], capture_output=True,
                            text=True, env={**os.environ, "CAREBOOK_SITE": str(default_book["folder"])}, check=False)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    log = (default_book["folder"] / "_build" / "logs" / "html.log").read_text(encoding="utf-8", errors="replace")
    assert "looking for now-outdated files... \x1b[39;49;00mnone found" in log or "now-outdated files... none found" in log
    written = sorted(p.relative_to(html).as_posix() for p, made in before.items() if p.stat().st_mtime_ns != made)
    # the landing pages link their PDF once it is built: those six may be written again, and
    # with them the pages Sphinx writes whenever a page changed: the book's first page, the
    # index and the search page
    landing = {f"book/councils/{c}/index.html" for c in default_book["pdfs"]}
    assert set(written) <= landing | {"book/intro.html", "genindex.html", "search.html"}, written
