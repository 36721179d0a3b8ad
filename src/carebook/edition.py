"""The edition of the book: its version, the date it was built and the date its data are as at.

Official statistics state these three on their front page; the book prints them on each
council's PDF title page and its landing page. Everything that says which edition a reader
holds reads it from here.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from carebook.paths import ROOT

PERIOD = "time_period"
"""The column in which DfE's statistics and the results files name a collection year."""
LOOKED_AFTER = "dfe/cla_number_and_rate_per_10k_children.csv"
"""The official statistics whose latest collection year dates the book when a run records none."""


def version(repository: Path = ROOT) -> str:
    """The book's version: ``git describe --always --dirty`` of the repository (``6711a58``,
    ``v1.2-3-g6711a58-dirty``), or the installed package's version where there is no git."""
    try:
        found = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=repository, capture_output=True,
                               text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        found = None
    if found is not None and found.returncode == 0 and found.stdout.strip():
        return found.stdout.strip()
    try:
        return metadata.version("carebook")
    except metadata.PackageNotFoundError:
        return "unversioned"


def long_date(day: dt.date) -> str:
    """A date as the book writes it: ``dt.date(2025, 3, 31)`` -> ``"31 March 2025"``."""
    return f"{day.day} {day:%B %Y}"


def built_on(today: dt.date | None = None) -> str:
    """The date the book was built, in words (``"1 December 2026"``)."""
    return long_date(today or dt.date.today())


def collection_year_end(period: int) -> dt.date:
    """The day a DfE collection year ends: collection year 2025 (2024-25) ends on 31 March 2025."""
    return dt.date(int(period), 3, 31)


def latest_period(frames: list[pd.DataFrame]) -> int | None:
    """The latest collection year (``2025`` for 2024-25) in the ``time_period`` columns of
    ``frames``; a six-digit period such as ``202425`` counts as its later year. None when no
    frame has a period."""
    periods = pd.concat([pd.to_numeric(f[PERIOD].astype(str).str.strip(), errors="coerce")
                         for f in frames if PERIOD in f.columns], ignore_index=True) if frames else pd.Series(dtype=float)
    periods = periods.dropna()
    if periods.empty:
        return None
    years = periods.where(periods < 10_000, 2000 + periods % 100)  # 202425 -> 2025
    return int(years.max())


def results_period(results: Path) -> int | None:
    """The latest collection year in a council run's results (``results/*.csv``)."""
    frames = [pd.read_csv(path, usecols=lambda c: c == PERIOD, dtype=str) for path in sorted(results.glob("*.csv"))]
    return latest_period(frames)


def public_period() -> int | None:
    """The latest collection year of the looked-after children statistics in the public data."""
    from carebook import public

    return latest_period([public.read(LOOKED_AFTER)])


def data_as_at(results: Path | None = None) -> str:
    """The date the book's data are as at, in words: the end of the latest collection year the
    council's run used (its results files), else that of the public data
    (``"31 March 2025"``)."""
    period = results_period(results) if results is not None and results.is_dir() else None
    if period is None:
        period = public_period()
    return long_date(collection_year_end(period)) if period is not None else "not known"
