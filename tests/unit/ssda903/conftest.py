"""Shared fixtures of the ssda903 tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("CAREBOOK_PUBLIC_DATA", str(Path(__file__).resolve().parents[4] / "shared" / "data" / "public"))


@pytest.fixture
def extract_dir(tmp_path: Path) -> Path:
    """Folder for a small extract written by a test."""
    return tmp_path / "extract"
