"""The edition of the book a reader holds: its version, the date it was built and how recent
its data are, as official statistics state them on every publication."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from carebook import formats
from carebook.paths import ROOT

EXTRACT_SUMMARY = "sufficiency_903_summary.json"
"""The results file recording the date and kind (own or synthetic) of the SSDA903 extract."""
VOLUME_SUMMARY = "volume_summary.json"
NOT_RECORDED = "not recorded"


def package_version() -> str:
    """The installed package's version (``pyproject.toml``), ``"unknown"`` when not installed."""
    try:
        return metadata.version("carebook")
    except metadata.PackageNotFoundError:
        return "unknown"


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def book_version() -> str:
    """The version of the book, from the repository: the tag ``git describe`` names (with the
    commits since and ``-dirty`` for uncommitted changes), else the package version with the
    commit (``"0.1.0, commit 6711a58"``), else the package version alone (no git)."""
    tagged = _git("describe", "--tags", "--dirty")
    if tagged:
        return tagged
    commit = _git("describe", "--always", "--dirty")
    return f"{package_version()}, commit {commit}" if commit else package_version()


def built_on(today: dt.date | None = None) -> str:
    """The date the book is built, as people write it (``"14 May 2026"``): ``today``, else the
    date of ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
    if today is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        today = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch.isdigit() else dt.date.today()
    return formats.date(today)


def latest_official_year(results_folder: Path) -> int | None:
    """The latest ``time_period`` (a year ending 31 March) in the official-statistics tables
    of a council's results, or None when there is none."""
    frames = [pd.read_csv(path, usecols=lambda c: c == "time_period")
              for path in sorted(Path(results_folder).glob("*.csv"))]  # a few dozen files
    years = [frame["time_period"] for frame in frames if "time_period" in frame]
    found = pd.to_numeric(pd.concat(years), errors="coerce").dropna() if years else pd.Series(dtype=float)
    return int(found.max()) if len(found) else None


def extract_date(results_folder: Path) -> tuple[dt.date, bool] | None:
    """The date of the SSDA903 extract the child-level figures rest on and whether it is
    synthetic, from the results the sufficiency page records; None when not recorded."""
    path = Path(results_folder) / EXTRACT_SUMMARY
    if not path.is_file():
        return None
    recorded = json.loads(path.read_text(encoding="utf-8"))
    if not recorded.get("date"):
        return None
    return dt.date.fromisoformat(str(recorded["date"])[:10]), bool(recorded.get("is_synthetic"))


def data_as_at(results_folder: Path) -> str:
    """How recent a council's data are, in one sentence: the latest official statistics
    (year ending 31 March) and the date of the SSDA903 extract, saying when it is synthetic.
    ``"official statistics up to 31 March 2025; children's records (SSDA903, synthetic) at
    31 March 2015"``; :data:`NOT_RECORDED` when the results hold neither."""
    parts = []
    year = latest_official_year(results_folder)
    if year is not None:
        parts.append(f"official statistics up to 31 March {year}")
    extract = extract_date(results_folder)
    if extract is not None:
        date, synthetic = extract
        parts.append(f"children's records (SSDA903{', synthetic' if synthetic else ''}) at {formats.date(date)}")
    return "; ".join(parts) if parts else NOT_RECORDED
