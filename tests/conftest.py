"""Shared test set-up: the official statistics folder, as the Makefile sets it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_PUBLIC = ROOT.parent / "shared" / "data" / "public"

if "CAREBOOK_PUBLIC_DATA" not in os.environ and SHARED_PUBLIC.is_dir():
    os.environ["CAREBOOK_PUBLIC_DATA"] = str(SHARED_PUBLIC)


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
