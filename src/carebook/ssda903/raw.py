"""Every row of every collection year of a council's 903 extract, as held, not merged.

:func:`read_raw` finds the layout (:mod:`carebook.ssda903.layout`: year folders, files
named by year, or DfE XML returns), reads each year's header and episodes rows as
text, and normalises the dates to ISO text ``yyyy-mm-dd`` (:mod:`carebook.ssda903.dates`).
Merging the years and repairing rows are left to the caller.

Which collection year a file holds. A collection year runs 1 April to 31 March and is
named by the year it ends (2025 = 1 April 2024 - 31 March 2025). The latest DECOM or
DEC of a year's episodes falls inside that year, so each episodes file with a bare year
in its name (``2025/``, ``SSDA903_2025_episodes.csv``) gives a vote:

- its latest date falls in the year *ending* in the named year: convention "end"
  (DfE's way; ``2025`` holds 2024-25);
- in the year *starting* in the named year: convention "start" (``2024`` holds 2024-25);
- anywhere else (e.g. an old partial extract whose dates stop before its named year
  begins, or no dates at all): no vote, as the dates cannot tell.

All votes must agree; a file that disagrees with the others is an InputError naming it.
With no vote at all the convention is "end". ``convention="end"`` or ``"start"``
forces it (``ssda903.convention`` in a council file). A name giving both years
(``2024-25``) is read as that year whatever the convention, and header files take the
year of their episodes file. An XML return holds no year in its name that matters: its
collection year is the one in which its latest DECOM or DEC falls (convention "dates").
Two files holding the same collection year (``2025/`` beside ``2024-25/``, or a stale
copy) are an InputError naming both, never "last one wins".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from carebook.errors import InputError
from carebook.ssda903 import codes, dates
from carebook.ssda903.csv_file import read_file
from carebook.ssda903.layout import KINDS, YearFiles, YearName, find_layout
from carebook.ssda903.xml_return import read_xml

CONVENTIONS: tuple[str, ...] = ("auto", "end", "start")
DATE_COLUMNS: dict[str, tuple[str, ...]] = {"header": codes.HEADER_DATES, "episodes": codes.EPISODE_DATES}
#: Columns of ``RawExtract.files``.
FILE_COLUMNS: tuple[str, ...] = ("label", "kind", "year", "rows", *codes.HEADER_DATES, *codes.EPISODE_DATES)


@dataclass(frozen=True)
class RawExtract:
    """The rows of an extract, year by year, as the council holds them.

    header / episodes: text columns ``codes.HEADER_COLUMNS`` / ``codes.EPISODE_COLUMNS``
      (NA where blank; dates as ISO text ``yyyy-mm-dd``, a value that is not a real
      day kept as written), plus ``_file`` (label relative to the extract root, e.g.
      ``2025/header.csv`` or ``return_2025.xml``), ``_row`` (line in a CSV with the
      column line as line 1; for XML the ordinal of the CHILD element) and ``_year``
      (collection year, named by the year it ends).
    layout: "xml", "year_folders", "flat_files" or "one_year".
    convention: "end" / "start" (how bare years in names were read) or "dates" (XML).
    convention_forced: True when the convention was given rather than found.
    years: collection years read, in order.
    files: one row per file and kind read (an XML return gives a header and an
      episodes row): label, kind, year, rows, and the date format of each date column
      (``dmy``, ``iso``, ``blank``; NA for a column the kind does not have).
    root: the extract's folder.
    """

    header: pd.DataFrame
    episodes: pd.DataFrame
    layout: str
    convention: str
    convention_forced: bool
    years: list[int]
    files: pd.DataFrame
    root: Path


@dataclass(frozen=True)
class _Part:
    """One file's (CSV year) or one return's (XML) rows before the year is known."""

    name: YearName | None
    frames: dict[str, pd.DataFrame]
    labels: dict[str, str]
    formats: dict[str, dict[str, str]]
    latest: pd.Timestamp


def _normalised(frames: dict[str, pd.DataFrame], labels: dict[str, str], name: YearName | None) -> _Part:
    done, formats, latest = {}, {}, pd.NaT
    for kind in KINDS:  # header and episodes
        done[kind], formats[kind], top = dates.normalise(frames[kind], DATE_COLUMNS[kind], labels[kind])
        latest = top if kind == "episodes" else latest
    return _Part(name, done, labels, formats, latest)


def _read_year(year: YearFiles) -> _Part:
    frames = {kind: read_file(year.paths[kind], kind, year.labels[kind]) for kind in KINDS}
    return _normalised(frames, year.labels, year.name)


def _read_return(label: str, path: Path) -> _Part:
    header, episodes = read_xml(path, label)
    return _normalised({"header": header, "episodes": episodes}, {"header": label, "episodes": label}, None)


def _dated_year(latest: pd.Timestamp) -> int | None:
    return None if pd.isna(latest) else int(latest.year + (latest.month >= 4))


def vote(name: YearName, latest: pd.Timestamp) -> str | None:
    """"end" / "start" when the latest episode date falls in the collection year ending /
    starting in the named year, else None (a name giving both years never votes)."""
    year = _dated_year(latest)
    if name.span or year is None:
        return None
    return {name.number: "end", name.number + 1: "start"}.get(year)


def decide_convention(votes: list[tuple[str, str | None]], forced: str = "auto") -> str:
    """The naming convention from each episodes file's (label, vote): ``forced`` when
    "end"/"start"; else the votes' common answer ("end" when no file votes).
    InputError naming the first file that disagrees with the others."""
    if forced in ("end", "start"):
        return forced
    cast = [(label, choice) for label, choice in votes if choice]
    if not cast:
        return "end"
    counts = Counter(choice for _, choice in cast)
    majority = max(counts, key=lambda choice: (counts[choice], choice == cast[0][1]))
    odd = next(((label, choice) for label, choice in cast if choice != majority), None)
    if odd is not None:
        agree = next(label for label, choice in cast if choice == majority)
        word = {"end": "ends", "start": "starts"}
        raise InputError(
            f"expected every file to name collection years the same way: this file's dates put it in the year "
            f"that {word[odd[1]]} in the year of its name, those of {agree} in the year that {word[majority]} "
            f"in it; set ssda903.convention to \"end\" or \"start\" if the names are right",
            file=odd[0],
        )
    return majority


def _years(parts: list[_Part], convention: str) -> list[int]:
    """The collection year of each part; InputError for two parts holding the same year."""
    years: list[int] = []
    seen: dict[int, str] = {}
    for part in parts:  # one per collection year
        year = part.name.collection_year(convention) if part.name else _dated_year(part.latest)
        if year is None:
            raise InputError("expected episode dates (DECOM or DEC) to tell the collection year of the return; "
                             "none", file=part.labels["episodes"])
        if year in seen:
            raise InputError(f"expected one file per collection year; this file and {seen[year]} both hold "
                             f"{year - 1}-{year % 100:02d}", file=part.labels["episodes"])
        seen[year] = part.labels["episodes"]
        years.append(year)
    return years


def _files_table(parts: list[_Part], years: list[int]) -> pd.DataFrame:
    rows = [{"label": part.labels[kind], "kind": kind, "year": year, "rows": len(part.frames[kind]),
             **part.formats[kind]} for part, year in zip(parts, years) for kind in KINDS]
    table = pd.DataFrame(rows, columns=list(FILE_COLUMNS))
    return table.astype({"year": "int64", "rows": "int64"}).sort_values(["year", "kind"], ignore_index=True)


def read_raw(path: Path | str, convention: str = "auto") -> RawExtract:
    """Every header and episodes row of every collection year of the extract at ``path``
    (a folder in any layout, or one XML return), dates as ISO text, years not merged.

    ``convention``: "auto" (decided from the dates, see the module docstring), or
    "end" / "start" to force how a bare year in a folder or file name is read (not
    used for XML returns, whose years come from their dates alone).
    """
    if convention not in CONVENTIONS:
        raise InputError(f"expected the convention auto, end or start; got {convention}", where="ssda903.convention")
    layout = find_layout(path)
    if layout.kind == "xml":
        parts = [_read_return(label, file) for label, file in layout.xml.items()]
        chosen, forced = "dates", False
    else:
        parts = [_read_year(year) for year in layout.years]
        votes = [(part.labels["episodes"], vote(part.name, part.latest)) for part in parts if part.name]
        named = any(part.name for part in parts)
        chosen = decide_convention(votes, convention) if named else "dates"
        forced = named and convention != "auto"
    years = _years(parts, chosen)
    frames = {kind: pd.concat([part.frames[kind].assign(_year=year) for part, year in zip(parts, years)],
                              ignore_index=True) for kind in KINDS}
    for frame in frames.values():  # header and episodes
        frame["_year"] = frame["_year"].astype("int64")
    return RawExtract(
        header=frames["header"], episodes=frames["episodes"], layout=layout.kind, convention=chosen,
        convention_forced=forced, years=sorted(years), files=_files_table(parts, years), root=layout.root,
    )
