"""Accessibility (WCAG 2.2 AA) of the built book: axe-core in headless Chromium over the
landing page, a council's landing page and each of its analysis pages; every chart drawn with
no Vega warning, a text alternative and its figures as a table; nothing fetched off the machine.

The default councils' book is built once for the integration tests (``default_book``).
axe-core is installed by ``make setup`` into ``node_modules/`` (``package.json``).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
COUNCIL = "rotherham"
ANALYSES = ["cost_benefit", "flow_model", "sufficiency", "volume_sizing"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def html(default_book) -> Path:
    """The default councils' HTML book (built once for the integration tests)."""
    return default_book["html"]


@pytest.fixture(scope="module")
def server(html):
    handler = functools.partial(type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
                                directory=str(html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        yield launched
        launched.close()


PAGES = ["index.html", f"book/councils/{COUNCIL}/index.html", *(f"book/councils/{COUNCIL}/{a}.html" for a in ANALYSES)]


@pytest.fixture(scope="module")
def checked(browser, server):
    """Each page opened, its charts drawn, axe run: console messages, requests, violations, charts."""
    assert AXE.is_file(), f"{AXE} is missing: run `make setup` (npm installs axe-core from package.json)"
    axe = AXE.read_text(encoding="utf-8")
    found = {}
    for path in PAGES:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        messages, foreign = [], []
        page.on("console", lambda m: messages.append((m.type, m.text)) if m.type in ("warning", "error") else None)
        page.on("pageerror", lambda error: messages.append(("error", str(error))))
        page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
        page.goto(f"{server}/{path}", wait_until="networkidle")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.carebook-chart')].every(d => d.querySelector('svg'))", timeout=20000)
        page.wait_for_timeout(1500)  # the theme's late scripts (icons, tooltips) have run
        page.add_script_tag(content=axe)
        violations = page.evaluate(
            "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".filter(v => !v.tags.includes('experimental'))"  # axe's own default leaves its experimental rules out
            ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))",
            AXE_TAGS)
        charts = page.evaluate(
            "() => [...document.querySelectorAll('.carebook-chart')].map(d => ({label: d.getAttribute('aria-label'),"
            " role: d.getAttribute('role'), overflow: d.scrollWidth > d.clientWidth + 1,"
            " table: !!d.parentElement.querySelector('details.carebook-chart-figures table tbody tr')}))")
        found[path] = {"messages": messages, "foreign": foreign, "violations": violations, "charts": charts}
        page.close()
    return found


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violation(checked, path):
    serious = [v for v in checked[path]["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:3]}" for v in serious)


@pytest.mark.parametrize("path", PAGES)
def test_no_vega_warning_no_console_error_and_nothing_fetched_off_the_machine(checked, path):
    assert checked[path]["messages"] == []
    assert checked[path]["foreign"] == []


def test_every_chart_fits_the_column_and_has_a_text_alternative_and_its_figures(checked):
    charts = [chart for path in PAGES for chart in checked[path]["charts"]]
    # the analysis pages' charts: 3 cost-benefit, 4 flow, 12 sufficiency (with the extract), 4 volume
    assert len(charts) >= 3 + 4 + 9 + 4
    # vega-embed names its container a "graphics-document" labelled by the chart's description
    assert [c for c in charts if c["role"] not in ("img", "graphics-document") or len(c["label"] or "") < 20] == []
    assert [c for c in charts if c["overflow"]] == []
    assert all(c["table"] for c in charts)
