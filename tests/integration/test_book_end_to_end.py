"""End to end: run two councils and a broken one, build the HTML book and a PDF, and look at
them as a reader would (headless Chromium; the PDF's text and objects).

Everything is built in a temporary site, so the book in the working tree is left alone.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
COUNCILS = ["nottingham", "leeds"]
WORD = re.compile(r"(?<![\w.,])[\w/-]+(?![\w.])")
"""A token as a child's identifier would appear (not the digits of a decimal number in a chart's data)."""

pytestmark = pytest.mark.slow


def carebook(*args, env):
    return subprocess.run([str(Path(sys.executable).parent / "carebook"), *args], capture_output=True, text=True, env=env, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Run Nottingham, Leeds and a council whose SSDA903 extract is missing; build the book and Nottingham's PDF."""
    folder = tmp_path_factory.mktemp("site")
    councils = tmp_path_factory.mktemp("councils")
    shutil.copy(ROOT / "data" / "councils" / "nottingham.yml", councils)
    (councils / "broken.yml").write_text(yaml.safe_dump({
        "name": "Brokenshire", "members": ["E06000001"], "ssda903": {"path": str(folder / "no-such-extract")}}))
    env = {**os.environ, "CAREBOOK_SITE": str(folder), "CAREBOOK_COUNCILS_DIR": str(councils)}
    run = carebook("run", "nottingham", "E08000035", "broken", "--jobs", "2", "--quiet", env=env)
    build = carebook("build", env=env)
    pdf = carebook("pdf", "nottingham", env=env)
    return {"folder": folder, "run": run, "build": build, "pdf": pdf,
            "html": folder / "_build" / "site" / "_build" / "html", "pdf_path": folder / "_build" / "pdf" / "nottingham.pdf"}


def test_the_broken_council_fails_cleanly_and_the_others_complete(site):
    run = site["run"]
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    manifest = (site["folder"] / "book" / "councils" / "manifest.csv").read_text().splitlines()
    rows = [line.split(",") for line in manifest[1:]]
    ok = {(r[0], r[2]) for r in rows if r[3] == "ok"}
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert {(c, n) for c in COUNCILS for n in notebooks} <= ok
    failed = [r for r in rows if r[3] == "failed"]
    assert failed and {r[0] for r in failed} == {"broken"}
    assert all("no-such-extract" in ",".join(r[5:]) for r in failed)
    for row in failed:
        assert (site["folder"] / "book" / "councils" / "broken" / f"{row[2]}.ipynb").exists()
        assert f"FAILED broken/{row[2]}" in run.stdout


def test_the_book_builds_without_warnings_and_lists_exactly_the_councils_run(site):
    assert site["build"].returncode == 0, site["build"].stdout + site["build"].stderr
    toc = yaml.safe_load((site["folder"] / "book" / "_generated" / "_toc.yml").read_text())
    chapters = toc["parts"][-1]["chapters"]
    assert [c["file"] for c in chapters] == ["book/_generated/england", "book/_generated/councils"] + [
        f"book/councils/{c}/index" for c in ["nottingham", "leeds", "broken"]]
    landing = (site["html"] / "book" / "councils" / "broken" / "index.html").read_text()
    assert "did not complete for" in landing and "Brokenshire" in landing


def test_each_notebook_writes_its_results(site):
    for council in COUNCILS:
        results = site["folder"] / "book" / "councils" / council / "results"
        for notebook in (ROOT / "notebooks").glob("*.ipynb"):
            assert (results / f"headlines_{notebook.stem}.json").exists(), (council, notebook.stem)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site["html"]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def pages(site):
    return sorted(p.relative_to(site["html"]).as_posix() for c in COUNCILS for p in (site["html"] / "book" / "councils" / c).glob("*.html"))


def test_pages_render_every_chart_offline_with_no_console_errors(site, server):
    from playwright.sync_api import sync_playwright

    checked = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        for page_path in pages(site):
            page = browser.new_page()
            errors, foreign = [], []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: foreign.append(request.url) if urlparse(request.url).hostname not in ("127.0.0.1", None) else None)
            page.goto(f"{server}/{page_path}", wait_until="networkidle")
            charts = page.locator(".carebook-chart")
            if charts.count():
                page.wait_for_function("() => [...document.querySelectorAll('.carebook-chart')].every(d => d.querySelector('svg, canvas'))", timeout=15000)
                checked += charts.count()
            assert errors == [], (page_path, errors)
            assert foreign == [], (page_path, foreign)
            page.close()
        browser.close()
    assert checked >= 4 * len(COUNCILS)


def test_the_council_pdf_has_its_name_a_table_and_a_chart(site):
    assert site["pdf"].returncode == 0, site["pdf"].stdout + site["pdf"].stderr
    reader = PdfReader(site["pdf_path"])
    first = reader.pages[0].extract_text()
    assert "Nottingham" in first
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert re.search(r"Table \d+", text)
    assert re.search(r"Fig\. \d+", text)
    forms = [name for page in reader.pages for name, obj in (page.get("/Resources", {}).get("/XObject", {}) or {}).items()
             if obj.get_object().get("/Subtype") == "/Form"]
    assert forms, "no vector chart (PDF form XObject) in the PDF"


def test_no_child_identifier_reaches_a_page_or_the_pdf(site):
    """No CHILD id or postcode (full or its sector) in any page, the PDF or the results; no date of birth on a page or in the PDF.

    Pages and results carry month-end snapshot dates (31 March, the ends of the months of a
    trend), which a child's birthday may share: those dates are not looked for.
    """
    from carebook.params import load_council
    from carebook.ssda903 import load_for_council

    pages = "\n".join(p.read_text(errors="replace") for p in site["html"].rglob("*.html"))
    pages += "\n".join(page.extract_text() for page in PdfReader(site["pdf_path"]).pages)
    results = "\n".join(p.read_text() for c in COUNCILS for p in (site["folder"] / "book" / "councils" / c / "results").glob("*"))
    words = set(WORD.findall(pages + results))
    postcode = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d(?:[A-Z]{2})?\b")  # full postcodes and sectors
    written = "\n".join(p.read_text() for p in [*ROOT.glob("book/*.md"), ROOT / "data" / "reference" / "glossary.yml"])
    postcodes_shown = set(postcode.findall(pages + results)) - set(postcode.findall(written))  # examples in the prose
    for ref in ["nottingham", "E08000035"]:
        extract = load_for_council(load_council(ref))
        children = set(extract.header["CHILD"].astype(str))
        dob = extract.header["DOB"]
        dob = dob[~dob.dt.is_month_end]
        births = set(dob.dt.strftime("%d/%m/%Y")) | set(dob.dt.strftime("%Y-%m-%d"))
        postcodes = set(extract.episodes["HOME_POST"].dropna()) | set(extract.episodes["PL_POST"].dropna())
        postcodes |= {code[:-2] for code in postcodes}  # and their sectors
        assert not children & words, sorted(children & words)[:5]
        page_words = set(WORD.findall(pages))
        assert not births & page_words, sorted(births & page_words)[:5]
        assert not postcodes & postcodes_shown, sorted(postcodes & postcodes_shown)[:5]


def test_a_numbered_reference_names_its_figure_by_the_figures_own_number(site):
    page = (site["html"] / "book" / "councils" / "nottingham" / "volume_sizing.html").read_text(encoding="utf-8")
    references = re.findall(r'<a class="reference internal" href="#(nottingham-fig-vs-[\w-]+)">'
                            r'<span class="std std-numref">Fig\. ([\d.]+)</span></a>', page)
    assert len(references) == 4
    for anchor, number in references:
        figure = re.search(rf'<figure [^>]*id="{anchor}">[\s\S]*?<span class="caption-number">Fig\. ([\d.]+) </span>', page)
        assert figure and figure.group(1) == number, anchor
