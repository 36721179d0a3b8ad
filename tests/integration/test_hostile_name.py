"""A council whose name is hostile HTML, maths, Markdown and LaTeX: the book shows it as text,
no script runs in the reader's browser, and its PDF builds.

One council, the cheapest notebook, one HTML build and one PDF, in a temporary site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
NAME = r"<script>alert(1)</script><img src=x onerror=alert(2)> & $x$ *y* _z_ {a} ~ ^ \ %"
NOTEBOOK = "flow_model"

pytestmark = pytest.mark.slow


def carebook(*args, env):
    return subprocess.run([str(Path(sys.executable).parent / "carebook"), *args], capture_output=True, text=True,
                          env=env, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    councils = tmp_path_factory.mktemp("councils")
    (councils / "hostile.yml").write_text(yaml.safe_dump({"name": NAME, "members": ["E06000018"]}))
    env = {**os.environ, "CAREBOOK_SITE": str(folder), "CAREBOOK_COUNCILS_DIR": str(councils)}
    run = carebook("run", "hostile", "--notebooks", NOTEBOOK, "--quiet", env=env)
    build = carebook("build", env=env)
    pdf = carebook("pdf", "hostile", env=env)
    return {"run": run, "build": build, "pdf": pdf, "html": folder / "_build" / "site" / "_build" / "html",
            "pdf_path": folder / "_build" / "pdf" / "hostile.pdf"}


def test_the_name_is_text_and_no_script_runs(built):
    from playwright.sync_api import sync_playwright

    assert built["run"].returncode == 0, built["run"].stdout + built["run"].stderr
    assert built["build"].returncode == 0, built["build"].stdout + built["build"].stderr
    pages = [built["html"] / "book" / "councils" / "hostile" / f"{page}.html" for page in ("index", NOTEBOOK)]
    pages.append(built["html"] / "book" / "_generated" / "councils.html")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        for path in pages:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            assert dialogs == [], (path.name, dialogs)
            assert page.locator("main img[src='x'], nav img[src='x']").count() == 0, path.name
            text = page.locator("body").inner_text()
            assert NAME in text, path.name  # every character shown, none read as markup
            sidebar = page.locator("nav.bd-links").inner_text()
            assert NAME in sidebar, path.name
            page.close()
        landing = browser.new_page()
        landing.goto(pages[0].as_uri())
        assert landing.locator("h1").first.inner_text().strip().startswith(NAME)
        assert landing.locator("main .math, main em").count() == 0
        browser.close()


def test_the_pdf_builds_with_the_name_on_its_title_page(built):
    assert built["pdf"].returncode == 0, built["pdf"].stdout + built["pdf"].stderr
    first = PdfReader(built["pdf_path"]).pages[0].extract_text()
    assert "<script>alert(1)</script>" in first and "Commissioning children's placements" in first
