"""Read a council's SSDA903 extract, merge its collection years and validate it.

The files are found and read by :func:`carebook.ssda903.raw.read_raw` in whichever
layout the council holds them (year folders such as ``2025/`` or ``2024-25/``, files
named by year such as ``SSDA903_2025_header.csv``, or DfE XML returns), dates as ISO
text. See :mod:`carebook.ssda903.layout` for the layouts and :mod:`carebook.ssda903.raw`
for how the collection year of each file is decided.

Merging years: a child appears in every year's files in which they were looked
after, and an episode open across 31 March appears in both years (the earlier
copy with DEC blank, the later with DEC filled in). The rule: **the latest
collection year's row wins** — one header row per CHILD and one episode per
(CHILD, DECOM), each taken from the latest year that holds it. Rows keep the
file and row they came from (columns ``_file``, ``_row``) for reporting.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carebook.ssda903 import codes
from carebook.ssda903.csv_file import FIRST_DATA_LINE, read_file
from carebook.ssda903.extract import Extract
from carebook.ssda903.layout import LAYOUT_NAMES, year_name
from carebook.ssda903.raw import RawExtract, read_raw

__all__ = ["FIRST_DATA_LINE", "folder_year", "latest_rows", "parse_dates", "read_extract", "read_file", "read_raw",
           "source_text"]


def folder_year(name: str) -> int | None:
    """The collection year (ending 31 March) a folder name stands for when named by the
    year it ends, else None: "2015" -> 2015; "2014-15" / "2014_15" / "2014-2015" -> 2015."""
    found = year_name(name)
    return found.number if found else None


def latest_rows(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per key: the row from the latest collection year (``_year``); within a
    year the last row of the file. Rows with a blank key are kept (validation reports them)."""
    ordered = frame.sort_values(["_year", "_row"], kind="stable")
    blank_key = ordered[keys].isna().any(axis=1)
    kept = ordered[~blank_key].drop_duplicates(keys, keep="last")
    return pd.concat([kept, ordered[blank_key]]).sort_index()


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


def read_extract(path: Path | str, mode: str = "strict", convention: str = "auto") -> Extract:
    """Read, merge and validate a council's extract (all its collection years).

    ``mode`` "strict": InputError listing the first problems if there are any;
    "lenient": offending rows are dropped and listed in ``Extract.problems``.
    ``convention``: how a bare year in folder or file names is read ("auto", "end", "start").
    """
    from carebook.ssda903.validate import validate_extract

    raw = read_raw(path, convention=convention)
    start, _ = codes.year_span(raw.years[0])
    _, end = codes.year_span(raw.years[-1])
    header = latest_rows(raw.header, ["CHILD"])
    episodes = latest_rows(raw.episodes.assign(_decom=parse_dates(raw.episodes["DECOM"])), ["CHILD", "_decom"])
    header, episodes, problems = validate_extract(header, episodes.drop(columns="_decom"), start=start,
                                                  mode=mode, source=str(path))
    return Extract(header=header, episodes=episodes, is_synthetic=False, source=source_text(raw, len(header)),
                   start=start, end=end, problems=problems)
