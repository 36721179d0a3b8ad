"""The sidebar worked out once per council (carebook.sphinx_nav) is the theme's own, page by page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from carebook import sphinx_nav
from carebook.paths import ROOT


def sidebar(current: str) -> str:
    """The theme's sidebar markup for a council folder's page ``current`` (as in the national book)."""
    council_list = '<ul class="current">' if current != "index" else "<ul>"
    landing = sphinx_nav.CURRENT_LINK if current == "index" else '<a class="reference internal" href="index.html">'
    items = "\n".join(
        f'<li class="toctree-l2 current active">{sphinx_nav.CURRENT_LINK}{n}. {page}</a></li>' if page == current
        else f'<li class="toctree-l2"><a class="reference internal" href="{page}.html">{n}. {page}</a></li>'
        for n, page in enumerate(["sufficiency", "cost_benefit", "figures"], start=1))
    return ('<ul class="current nav bd-sidenav">\n'
            '<li class="toctree-l1"><a class="reference internal" href="../leeds/index.html">Leeds</a></li>\n'
            f'<li class="toctree-l1 current active has-children">{landing}Nottingham</a><details open="open">'
            f'<summary></summary>{council_list}\n{items}\n</ul>\n</details></li>\n</ul>')


PAGES = ["index", "sufficiency", "cost_benefit", "figures"]


@pytest.mark.parametrize("first", PAGES)
def test_each_page_of_a_folder_gets_the_sidebar_the_theme_gives_it_from_the_first_pages(first):
    base = sphinx_nav.unmarked(sidebar(first), first)
    assert base is not None and sphinx_nav.CURRENT_LINK not in base and "current active\"" not in base.split("Leeds")[1].split("Nottingham")[0]
    for page in PAGES:
        assert sphinx_nav.marked(base, page) == sidebar(page)


def test_a_sidebar_whose_marks_are_not_where_expected_is_left_to_the_theme():
    assert sphinx_nav.unmarked(sidebar("sufficiency").replace(sphinx_nav.CURRENT_LINK, ""), "sufficiency") is None
    assert sphinx_nav.unmarked(sidebar("sufficiency"), "cost_benefit") is None  # not the page marked
    base = sphinx_nav.unmarked(sidebar("index"), "index")
    assert sphinx_nav.marked(base, "method") is None  # a page the folder's list does not hold
    assert sphinx_nav.marked(base.replace('href="index.html"', 'href="../index.html"'), "figures") is None


def test_a_folder_without_a_landing_page_always_asks_the_theme():
    calls = []

    def theme(**options):
        calls.append(options)
        return sidebar("sufficiency")

    for _ in range(2):
        assert sphinx_nav.shared_sidebar("book/_generated/sufficiency", theme, False, kind="sidebar") == sidebar("sufficiency")
    assert len(calls) == 2


def test_the_theme_is_asked_once_per_folder():
    calls = []

    def theme(**options):
        calls.append(options)
        return sidebar(options["page"])

    sphinx_nav._kept.clear()
    for folder in ("book/councils/nottingham", "book/councils/leeds"):
        for page in PAGES:
            calls.clear()
            # the theme is told the page only so that this stand-in can answer for it
            assert sphinx_nav.shared_sidebar(f"{folder}/{page}", lambda **o: theme(page=page, **o), True,
                                             kind="sidebar") == sidebar(page)
            assert len(calls) == (1 if page == PAGES[0] else 0)


ROOT_PAGE = """Book
====

.. toctree::
   :caption: About

   method

.. toctree::
   :caption: Councils

{councils}
"""


def _project(folder: Path) -> None:
    councils = ["nottingham", "leeds", "york"]
    (folder / "index.rst").write_text(ROOT_PAGE.format(councils="\n".join(f"   {c}/index" for c in councils)))
    (folder / "method.rst").write_text("Method\n======\n\nText.\n")
    for council in councils:
        (folder / council).mkdir()
        (folder / council / "index.rst").write_text(
            f"{council.title()}\n{'=' * len(council)}\n\n.. toctree::\n   :numbered:\n\n"
            + "".join(f"   {page}\n" for page in PAGES[1:]))
        for page in PAGES[1:]:
            (folder / council / f"{page}.rst").write_text(f"{page}: {council}\n{'=' * 40}\n\nText.\n\nPart\n----\n\nMore.\n")


def _navs(source: Path, output: Path, shared: bool) -> dict[str, str]:
    from sphinx.application import Sphinx

    overrides = {"html_theme": "sphinx_book_theme", "html_theme_options": {"collapse_navbar": True}}
    if shared:
        shutil.copytree(ROOT / "book" / "_templates", source / "_templates", dirs_exist_ok=True)
        overrides |= {"extensions": ["carebook.sphinx_nav"], "templates_path": ["_templates"]}
    app = Sphinx(str(source), None, str(output), str(output / ".doctrees"), "html", confoverrides=overrides,
                 status=None, warning=None, freshenv=True)
    app.build()
    pages = {}
    for page in sorted(output.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = re.search(r'<nav class="bd-links bd-docs-nav".*?</nav>', text, re.S)
        if found:
            pages[str(page.relative_to(output))] = found.group(0)
    return pages


def test_the_built_sidebar_of_every_page_is_the_themes_own(tmp_path, monkeypatch):
    """A small book built with the theme's sidebar and with the shared one: every page's sidebar
    is the same, byte for byte, and the theme worked out the councils' sidebars once a council."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "conf.py").write_text("")
    _project(tmp_path / "src")
    theirs = _navs(tmp_path / "src", tmp_path / "theirs", shared=False)
    worked_out = []
    unmarked = sphinx_nav.unmarked
    monkeypatch.setattr(sphinx_nav, "unmarked", lambda html, page: worked_out.append(page) or unmarked(html, page))
    sphinx_nav._kept.clear()
    ours = _navs(tmp_path / "src", tmp_path / "ours", shared=True)
    assert len(theirs) == 16 and ours == theirs
    assert theirs["leeds/cost_benefit.html"].count(sphinx_nav.CURRENT_LINK) == 1
    assert len(worked_out) == 3
