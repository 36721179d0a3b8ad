"""The edition of the book a reader holds: its version, the date it was built and how recent
its data are, as official statistics state them on every publication. The title page of each
council's PDF, its landing page and its workbook all read them from here."""

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
PERIOD = "time_period"
"""The column in which DfE's statistics and the results files name a collection year."""
LOOKED_AFTER = "dfe/cla_number_and_rate_per_10k_children.csv"
"""The official statistics whose latest collection year dates the book when a run records none."""


def package_version() -> str:
    """The installed package's version (``pyproject.toml``), ``"unknown"`` when not installed."""
    try:
        return metadata.version("carebook")
    except metadata.PackageNotFoundError:
        return "unknown"


def _git(*args: str, repository: Path = ROOT) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=repository, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def book_version(repository: Path = ROOT) -> str:
    """The version of the book, from the repository: the tag ``git describe`` names (with the
    commits since and ``-dirty`` for uncommitted changes), else the package version with the
    commit (``"0.1.0, commit 6711a58"``), else the package version alone (no git)."""
    tagged = _git("describe", "--tags", "--dirty", repository=repository)
    if tagged:
        return tagged
    commit = _git("describe", "--always", "--dirty", repository=repository)
    return f"{package_version()}, commit {commit}" if commit else package_version()


def built_on(today: dt.date | None = None) -> str:
    """The date the book is built, as people write it (``"14 May 2026"``): ``today``, else the
    date of ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
    if today is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        today = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch.isdigit() else dt.date.today()
    return formats.date(today)


def collection_year_end(period: int) -> dt.date:
    """The day a DfE collection year ends: collection year 2025 (2024-25) ends on 31 March 2025."""
    return dt.date(int(period), 3, 31)


def latest_period(frames: list[pd.DataFrame]) -> int | None:
    """The latest collection year (``2025`` for 2024-25) in the ``time_period`` columns of
    ``frames``; a six-digit period such as ``202425`` counts as its later year. None when no
    frame has a period."""
    columns = [pd.to_numeric(f[PERIOD].astype(str).str.strip(), errors="coerce") for f in frames if PERIOD in f.columns]
    periods = pd.concat(columns, ignore_index=True).dropna() if columns else pd.Series(dtype=float)
    if periods.empty:
        return None
    years = periods.where(periods < 10_000, 2000 + periods % 100)  # 202425 -> 2025
    return int(years.max())


def results_period(results_folder: Path) -> int | None:
    """The latest collection year in a council run's results (``results/*.csv``)."""
    frames = [pd.read_csv(path, usecols=lambda c: c == PERIOD, dtype=str)
              for path in sorted(Path(results_folder).glob("*.csv"))]  # a few dozen files
    return latest_period(frames)


def public_period() -> int | None:
    """The latest collection year of the looked-after children statistics in the public data."""
    from carebook import public

    return latest_period([public.read(LOOKED_AFTER)])


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
    year = results_period(results_folder) if Path(results_folder).is_dir() else None
    if year is not None:
        parts.append(f"official statistics up to {formats.date(collection_year_end(year))}")
    extract = extract_date(results_folder)
    if extract is not None:
        date, synthetic = extract
        parts.append(f"children's records (SSDA903{', synthetic' if synthetic else ''}) at {formats.date(date)}")
    return "; ".join(parts) if parts else NOT_RECORDED
