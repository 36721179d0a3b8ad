"""Shared test set-up: the official statistics folders (``public_folders``), the tiers."""

from __future__ import annotations

from pathlib import Path

import pytest

import public_folders  # noqa: F401  (points CAREBOOK_PUBLIC_DATA at ../shared/data/public when unset)

ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(config, items):
    """Every test under tests/national needs the full published files: marked ``public_data``."""
    national = ROOT / "tests" / "national"
    for item in items:
        if national in item.path.parents:
            item.add_marker(pytest.mark.public_data)


@pytest.fixture
def public_dir(tmp_path, monkeypatch):
    """An empty official statistics folder of the test's own; the read cache is cleared."""
    from carebook import public

    folder = tmp_path / "public"
    folder.mkdir()
    monkeypatch.setenv("CAREBOOK_PUBLIC_DATA", str(folder))
    public._read_cached.cache_clear()
    yield folder
    public._read_cached.cache_clear()


@pytest.fixture
def councils_dir(tmp_path, monkeypatch):
    """A council files folder of the test's own (empty)."""
    folder = tmp_path / "councils"
    folder.mkdir()
    monkeypatch.setenv("CAREBOOK_COUNCILS_DIR", str(folder))
    return folder


FIXTURE_NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"
STUB_NOTEBOOKS = ("alpha", "beta")


@pytest.fixture
def stub_site(tmp_path, monkeypatch):
    """A temporary site whose runs execute the stub notebooks (``alpha`` and ``beta``), with a
    previous book of Rotherham and Nottingham (edition "previous") already installed by hand.

    Returns the councils folder (``<site>/book/councils``).
    """
    site = tmp_path / "site"
    monkeypatch.setenv("CAREBOOK_SITE", str(site))
    monkeypatch.setenv("CAREBOOK_NOTEBOOKS_DIR", str(FIXTURE_NOTEBOOKS))
    monkeypatch.delenv("CAREBOOK_STUB_SLEEP", raising=False)
    monkeypatch.delenv("CAREBOOK_STUB_EDITION", raising=False)
    root = site / "book" / "councils"
    rows = ["council,council_name,notebook,status,seconds,error"]
    for slug, name in (("rotherham", "Rotherham"), ("nottingham", "Nottingham")):
        results = root / slug / "results"
        results.mkdir(parents=True)
        for notebook in STUB_NOTEBOOKS:
            (root / slug / f"{notebook}.ipynb").write_text((FIXTURE_NOTEBOOKS / f"{notebook}.ipynb").read_text())
            (results / f"headlines_{notebook}.json").write_text(f'[{{"notebook": "{notebook}", "label": "Edition", "text": "previous"}}]')
            rows.append(f"{slug},{name},{notebook},ok,1.5,")
    (root / "manifest.csv").write_text("\n".join(rows) + "\n")
    return root


def _book_files(root: Path) -> dict[str, bytes]:
    """Every file of the installed book (not the staging area or the lock), with its content."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith((".staging", ".lock"))}


def _editions(root: Path) -> dict[str, set[str]]:
    """The edition each installed council's headlines carry, by council."""
    import json

    return {folder.name: {e["text"] for p in folder.glob("results/headlines_*.json") for e in json.loads(p.read_text())}
            for folder in sorted(root.iterdir()) if folder.is_dir() and not folder.name.startswith(".")}


def _pages_build(root: Path) -> dict[str, str]:
    """Generate the book's pages from the manifest (as 'carebook build' does first) and check
    every page the table of contents names exists; return each council's landing page."""
    from carebook import book

    runs = book.current_runs()
    book.write_pages(runs)
    files = [s["file"] for c in map(book.council_chapter, runs) for s in [c, *c.get("sections", [])]]
    missing = [f for f in files if not any((root.parents[1] / f"{f}{ext}").exists() for ext in (".md", ".ipynb"))]
    assert missing == [], missing
    return {r.slug: (root / r.slug / "index.md").read_text() for r in runs}


@pytest.fixture
def installed():
    """Helpers that look at an installed book: its files, the editions of its councils, and
    its pages generated from the manifest."""
    from types import SimpleNamespace

    return SimpleNamespace(files=_book_files, editions=_editions, pages=_pages_build)
