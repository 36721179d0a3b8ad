"""Read a council's SSDA903 extract, merge its collection years and repair it.

The files are found and read by :func:`carebook.ssda903.raw.read_raw` in whichever
layout the council holds them (year folders such as ``2025/`` or ``2024-25/``, files
named by year such as ``SSDA903_2025_header.csv``, or DfE XML returns), dates as ISO
text. See :mod:`carebook.ssda903.layout` for the layouts and :mod:`carebook.ssda903.raw`
for how the collection year of each file is decided.

Merging years: a child appears in every year's files in which they were looked
after, and an episode open across 31 March appears in both years (the earlier
copy with DEC blank, the later with DEC filled in). The rule: **the latest
collection year's row wins** — one header row per CHILD and one episode per
(CHILD, DECOM), each taken from the latest year that holds it; then the repairs of
:mod:`carebook.ssda903.repair`. Rows keep the file and row they came from (columns
``_file``, ``_row``) for reporting.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carebook.ssda903 import codes
from carebook.ssda903.csv_file import FIRST_DATA_LINE, read_file
from carebook.ssda903.extract import Extract
from carebook.ssda903.layout import LAYOUT_NAMES, year_name
from carebook.ssda903.raw import RawExtract, read_raw
from carebook.ssda903.repair import latest_rows, repair_extract

__all__ = ["FIRST_DATA_LINE", "extract_from_raw", "folder_year", "latest_rows", "parse_dates", "read_extract", "read_file", "read_raw",
           "source_text"]


def folder_year(name: str) -> int | None:
    """The collection year (ending 31 March) a folder name stands for when named by the
    year it ends, else None: "2015" -> 2015; "2014-15" / "2014_15" / "2014-2015" -> 2015."""
    found = year_name(name)
    return found.number if found else None


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO ``yyyy-mm-dd`` text to datetime64 (NaT where blank or not a date)."""
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")


def _span(years: list[int]) -> str:
    first, last = (f"{y - 1}-{y % 100:02d}" for y in (years[0], years[-1]))
    return first if first == last else f"{first} to {last}"


def source_text(raw: RawExtract, children: int) -> str:
    """The sentence a page shows about the extract: layout, years read and children."""
    year_word = "year" if len(raw.years) == 1 else "years"
    return (f"the council's own SSDA903 extract ({LAYOUT_NAMES[raw.layout]}, collection {year_word} "
            f"{_span(raw.years)}, {children:,} children)")


def extract_from_raw(raw: RawExtract, mode: str = "strict") -> Extract:
    """Merge and repair the rows of every collection year read into one extract.

    ``mode`` "strict": InputError listing the first problems if there are any;
    "lenient": rows are repaired by the rules of :mod:`carebook.ssda903.repair`, only
    unusable rows dropped, and every repair counted in ``Extract.repairs``.
    """
    start, _ = codes.year_span(raw.years[0])
    _, end = codes.year_span(raw.years[-1])
    repaired = repair_extract(raw.header, raw.episodes, start, end, mode=mode, source=str(raw.root))
    return Extract(
        header=repaired.header, episodes=repaired.episodes, is_synthetic=False,
        source=source_text(raw, len(repaired.header)), start=start, end=end,
        problems=repaired.problems, repairs=repaired.repairs,
        layout=raw.layout, convention=raw.convention, years=tuple(raw.years),
    )  # fmt: skip


def read_extract(path: Path | str, mode: str = "strict", convention: str = "auto") -> Extract:
    """Read, merge and repair a council's extract (all its collection years) in any layout
    (:func:`read_raw`); ``convention``: how a bare year in folder or file names is read
    ("auto", "end", "start"). See :func:`extract_from_raw` for ``mode``."""
    return extract_from_raw(read_raw(path, convention=convention), mode=mode)
