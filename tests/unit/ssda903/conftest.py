"""Shared fixtures of the ssda903 tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def extract_dir(tmp_path: Path) -> Path:
    """Folder for a small extract written by a test."""
    return tmp_path / "extract"
