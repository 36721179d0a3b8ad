"""Official statistics (DfE, ONS, MHCLG, HM Treasury) read from a configured folder.

The folder is ``$CAREBOOK_PUBLIC_DATA`` (``make`` points it at ``../shared/data/public``
when that exists) or ``data/public`` (where ``carebook fetch`` downloads the files). The
files are never copied into the repository.

Suppression codes are kept explicit: a suppressed cell becomes NaN, never 0, and is listed
in ``df.attrs["suppressed"]`` so a page can say which values were suppressed.

Every file is checked once, here, before any analysis sees it, so that a damaged file is an
``InputError`` naming the file, the line and the column, never a silently wrong figure:

- it is CSV text (not an Excel or other binary workbook saved under a ``.csv`` name);
- no line has fewer fields than the header (a file cut short in the middle of a line);
- a file listed in the catalogue ends with a line break (a download cut short);
- for a file listed in the catalogue (``data/reference/public_sources.yml``), the checks its
  ``checks:`` entry declares (``TableChecks``): the columns the analyses read are present, no
  two rows share the key columns, counts are 0 or more, every time period from the first to
  the last is present, each period has the same number of rows (or at least so many local
  authorities), and every council of the registry has a row.

A folder holding a file named ``FIXTURE`` is a test fixture: a slice of the published files
with the rows of a few councils (``tests/fixtures/public``). It is read with every check above
except the three that ask for the whole country (``COMPLETENESS_CHECKS``).
"""

from __future__ import annotations

import difflib
import functools
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from carebook.catalogue import TIME_PERIOD, CouncilColumn, TableChecks, load_sources
from carebook.council import Council
from carebook.errors import InputError
from carebook.files import reject_binary
from carebook.paths import DATA, REFERENCE, relative

SUPPRESSION_CODES: dict[str, str] = {
    "c": "confidential (a small number)",
    "k": "rounds to 0",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "a low figure",
    "n": "not collected",
    "": "blank",
}
"""DfE's codes; the GSS style writes them in brackets (``[x]``, ``[c]``), also read as codes,
as is any other bracketed marker such as ``[note 4]``."""
LOCAL_AUTHORITY = "Local authority"
FIXTURE_MARKER = "FIXTURE"
"""A file of this name marks a data folder as a test fixture of a few councils' rows."""
COMPLETENESS_CHECKS: dict[str, bool | None] = {"same_rows_each_period": False, "min_local_authorities": None, "every_council": None}
"""The checks a fixture folder is read without: those that need every council's rows."""


def data_dir() -> Path:
    """The folder holding the official statistics; a clear error when it is missing."""
    configured = os.environ.get("CAREBOOK_PUBLIC_DATA")
    folder = Path(configured) if configured else DATA / "public"
    if not folder.is_dir():
        how = "CAREBOOK_PUBLIC_DATA" if configured else "the default data/public (set CAREBOOK_PUBLIC_DATA or run 'carebook fetch')"
        raise InputError(f"the official statistics folder does not exist (from {how})", file=str(folder))
    return folder


@functools.cache
def _code_changes() -> dict[str, str]:
    table = pd.read_csv(REFERENCE / "la_code_changes.csv", dtype=str)
    return dict(zip(table["old_code"], table["new_code"]))


@functools.cache
def catalogued_checks() -> dict[str, TableChecks]:
    """The checks of each file listed in the catalogue with a ``checks:`` entry, by path."""
    return {source.path: source.checks or TableChecks() for source in load_sources()}


def is_fixture(folder: Path) -> bool:
    """Whether ``folder`` is a test fixture (it holds a ``FIXTURE`` file): a slice of the
    published files read without the completeness checks."""
    return (folder / FIXTURE_MARKER).is_file()


def checks_for(folder: Path, relpath: str) -> TableChecks | None:
    """The declared checks of a catalogued file, without ``COMPLETENESS_CHECKS`` in a fixture folder."""
    checks = catalogued_checks().get(relpath)
    if checks is not None and is_fixture(folder):
        return checks.model_copy(update=COMPLETENESS_CHECKS)
    return checks


@functools.cache
def _read_cached(folder: Path, relpath: str, numeric: tuple[str, ...]) -> pd.DataFrame:
    path = folder / relpath
    if not path.is_file():
        raise InputError(
            f"an official statistics file is missing (run 'carebook fetch' or point CAREBOOK_PUBLIC_DATA at a folder that has it)",
            file=str(path),
        )
    checks = checks_for(folder, relpath)
    text = csv_text(path.read_bytes(), relpath)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        line = re.search(r"line (\d+)", str(error))
        raise InputError(f"not a readable CSV table ({str(error).strip()})", file=relpath, where=f"line {line[1]}" if line else None) from None
    frame.columns = frame.columns.str.strip()
    filled = filled_lines(text)
    lines = line_numbers(filled, len(frame))
    if lines is not None:
        check_complete_lines(text, filled, relpath, catalogued=checks is not None)
    check_columns(frame, [*(checks.required() if checks else []), *numeric], relpath)
    if "new_la_code" in frame:
        frame["new_la_code"] = frame["new_la_code"].replace(_code_changes())
    if checks is not None:
        check_table(frame, checks, lines, relpath)
    suppressed = [_to_numbers(frame, column, relpath, lines) for column in numeric]
    frame.attrs["suppressed"] = SuppressedCells(tuple(cell for cells in suppressed for cell in cells))
    frame.attrs["source"] = relpath
    return frame


def csv_text(raw: bytes, relpath: str) -> str:
    """The text of a CSV file (UTF-8, with or without a byte-order mark, else Windows-1252).

    A workbook or other binary file saved under a ``.csv`` name is an ``InputError``.
    """
    reject_binary(raw[:65536], relpath)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def filled_lines(text: str) -> pd.Series:
    """The lines of a file that are not blank, indexed by line number (1 = the header)."""
    lines = pd.Series(text.split("\n")).str.rstrip("\r")
    lines.index += 1
    return lines[lines.str.strip().ne("")]


def line_numbers(filled: pd.Series, rows: int) -> np.ndarray | None:
    """The line each data row is on, or None when a quoted field spans lines (then rows are
    named by their position instead)."""
    return filled.index.to_numpy()[1:] if len(filled) == rows + 1 else None


def where(lines: np.ndarray | None, row: int) -> str:
    """``"line 12"`` for a data row (by position), or ``"row 12"`` when lines are not known."""
    return f"line {lines[row]}" if lines is not None else f"row {row + 2}"


def check_complete_lines(text: str, filled: pd.Series, relpath: str, catalogued: bool) -> None:
    """No line has fewer fields than the header (commas outside quotes are counted); a
    catalogued file ends with a line break. ``filled`` is ``filled_lines(text)``."""
    fields = filled.str.replace(r'"[^"]*"', "", regex=True).str.count(",") + 1
    short = fields.iloc[1:] < fields.iloc[0]
    if short.any():
        line = int(short.idxmax())
        last = " (the last line: the file looks cut short)" if line == filled.index[-1] else ""
        raise InputError(f"expected {fields.iloc[0]} fields as in the header, found {fields[line]}{last}",
                         file=relpath, where=f"line {line}")
    if catalogued and len(filled) > 1 and not text.endswith(("\n", "\r")):
        raise InputError("expected the file to end with a line break: its last line may be cut short "
                         "(download it again with 'carebook fetch')", file=relpath, where=f"line {filled.index[-1]}")


def check_columns(frame: pd.DataFrame, required: Iterable[str], relpath: str) -> None:
    """Every required column is in the header; the error lists the missing ones."""
    missing = [column for column in dict.fromkeys(required) if column not in frame.columns]
    if not missing:
        return
    header = list(frame.columns)
    hints = [f"{column!r} (did you mean {close[0]!r}?)" if (close := difflib.get_close_matches(column, header, n=1)) else repr(column)
             for column in missing]  # a few column names
    separator = next((name for mark, name in ((";", "semicolons"), ("\t", "tabs")) if len(header) == 1 and mark in header[0]), None)
    note = f"; the header is separated by {separator}: expected commas" if separator else f"; the header has {len(header)} columns"
    raise InputError(f"expected the column{'s' if len(missing) > 1 else ''} {', '.join(hints)}{note}", file=relpath, where="line 1")


def check_table(frame: pd.DataFrame, checks: TableChecks, lines: np.ndarray | None, relpath: str) -> None:
    """The declared checks of a catalogued table (see ``TableChecks``)."""
    for column in checks.counts:  # a few columns
        _check_count(frame, column, lines, relpath)
    if checks.keys:
        _check_keys(frame, list(checks.keys), lines, relpath)
    if checks.periods:
        _check_periods(frame, checks.periods, lines, relpath)
    if checks.same_rows_each_period:
        _check_same_rows(frame, lines, relpath)
    if checks.min_local_authorities:
        _check_local_authorities(frame, checks.min_local_authorities, lines, relpath)
    if checks.every_council:
        _check_every_council(frame, checks.every_council, relpath)


def _numbers(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.strip().str.replace(",", "", regex=False), errors="coerce")


def _check_count(frame: pd.DataFrame, column: str, lines: np.ndarray | None, relpath: str) -> None:
    values = _numbers(frame[column])
    negative = (values < 0).to_numpy()
    if negative.any():
        row = int(negative.argmax())
        raise InputError(f"expected a count, rate or share of 0 or more, got {frame[column].iloc[row].strip()}",
                         file=relpath, where=f"{where(lines, row)}, column {column}")


def _check_keys(frame: pd.DataFrame, keys: list[str], lines: np.ndarray | None, relpath: str) -> None:
    repeated = frame.duplicated(keys, keep=False).to_numpy()
    if not repeated.any():
        return
    first = int(repeated.argmax())
    same_key = (frame[keys] == frame[keys].iloc[first]).all(axis=1).to_numpy()
    second = int(np.flatnonzero(same_key)[1])
    values = ", ".join(f"{key}={frame[key].iloc[first]!r}" for key in keys)
    identical = frame.iloc[first].equals(frame.iloc[second])
    what = "the same row twice" if identical else "two rows with different figures for it"
    raise InputError(
        f"{where(lines, first)} and {where(lines, second).split()[-1]} both hold {values} ({what}): "
        f"expected one row for each {', '.join(keys)}",
        file=relpath, where=f"{where(lines, second)}",
    )


def _check_periods(frame: pd.DataFrame, periods: tuple[int, int], lines: np.ndarray | None, relpath: str) -> None:
    present = set(frame[TIME_PERIOD].str.strip())
    missing = [str(year) for year in range(periods[0], periods[1] + 1) if str(year) not in present]
    if missing:
        last = f", after {where(lines, len(frame) - 1)}" if len(frame) else ""
        raise InputError(f"expected every time period from {periods[0]} to {periods[1]}; missing: {', '.join(missing)} "
                         f"(the file may be cut short{last})", file=relpath, where=TIME_PERIOD)


def _check_same_rows(frame: pd.DataFrame, lines: np.ndarray | None, relpath: str) -> None:
    sizes = frame.groupby(TIME_PERIOD, sort=False).size()
    if sizes.nunique() > 1:
        usual = int(sizes.mode().max())
        odd = sizes[sizes != usual]
        raise InputError(
            f"expected the same number of rows in every time period ({usual}); {odd.index[0]} has {int(odd.iloc[0])} "
            f"(the file may be cut short, its last row is {where(lines, len(frame) - 1)})",
            file=relpath, where=TIME_PERIOD,
        )


def _check_local_authorities(frame: pd.DataFrame, least: int, lines: np.ndarray | None, relpath: str) -> None:
    councils = frame[frame["geographic_level"] == LOCAL_AUTHORITY].groupby(TIME_PERIOD).size()
    councils = councils.reindex(frame[TIME_PERIOD].unique(), fill_value=0)
    few = councils[councils < least]
    if not few.empty:
        raise InputError(
            f"expected at least {least} local authorities in every time period; {few.index[0]} has {int(few.iloc[0])} "
            f"(the file may be cut short, its last row is {where(lines, len(frame) - 1)})",
            file=relpath, where=TIME_PERIOD,
        )


def _check_every_council(frame: pd.DataFrame, spec: CouncilColumn, relpath: str) -> None:
    registry = _local_authorities()
    present = set(frame[spec.column].str.strip())
    missing = registry[~registry[spec.registry].isin(present)]
    if not missing.empty:
        shown = ", ".join(f"{code} ({name})" for code, name in zip(missing[spec.registry][:5], missing["la_name"][:5]))
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise InputError(f"expected a row for every English council with children's services; missing: {shown}{more} "
                         "(the file may be cut short)", file=relpath, where=f"column {spec.column}")


@dataclass(frozen=True)
class SuppressedCells:
    """The cells of a table that held a suppression code, as ``(row, column, code)``.

    Kept in ``df.attrs``: immutable and copied by reference, because pandas carries
    ``attrs`` (deep-copied) through every operation and compares them when concatenating.
    """

    cells: tuple[tuple[int, str, str], ...]

    def __deepcopy__(self, memo: dict) -> SuppressedCells:
        return self


def _to_numbers(frame: pd.DataFrame, column: str, relpath: str, lines: np.ndarray | None) -> list[tuple[int, str, str]]:
    """Turn one text column into float64 in place; return its suppressed cells."""
    text = frame[column].str.strip()
    values = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    code = text.str.lower()
    is_code = code.isin(SUPPRESSION_CODES.keys()) | code.str.fullmatch(r"\[[^\]]*\]")
    bad = values.isna() & ~is_code
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise InputError(
            f"expected a number or a suppression code (c, k, x, z, u, low, or one in brackets), got {text.iloc[row]!r}",
            file=relpath,
            where=f"{where(lines, row)}, column {column}",
        )
    frame[column] = values.astype("float64")
    rows = is_code.to_numpy().nonzero()[0]
    return list(zip(rows.tolist(), [column] * len(rows), code.iloc[rows].tolist()))


def read(relpath: str, numeric: Iterable[str] = ()) -> pd.DataFrame:
    """Read one official table (path relative to the data folder).

    Every column is text except ``numeric`` ones, which become float64 with suppressed
    cells as NaN (listed in ``df.attrs["suppressed"]``). Old LA codes are mapped so that
    ``new_la_code`` is the current code. Reads are cached within a process, by folder.
    """
    frame = _read_cached(data_dir(), relpath, tuple(numeric))
    result = frame.copy()
    result.attrs = dict(frame.attrs)
    return result


def suppressed(frame: pd.DataFrame, describe: Iterable[str] = ()) -> pd.DataFrame:
    """The suppressed cells of ``frame`` (rows still present), with their code meanings.

    Columns: the identifying columns present (time_period, la_name, ...), the ``describe``
    columns that say what a row is (e.g. population_type), ``column``, ``code`` and ``meaning``.
    """
    cells = pd.DataFrame(list(frame.attrs.get("suppressed", SuppressedCells(())).cells), columns=["row", "column", "code"])
    cells = cells[cells["row"].isin(frame.index)]
    keys = [c for c in ("time_period", "geographic_level", "la_name", "new_la_code", *describe) if c in frame]
    described = frame.loc[cells["row"], keys].reset_index(drop=True)
    return described.assign(
        column=cells["column"].to_numpy(),
        code=cells["code"].to_numpy(),
        meaning=cells["code"].map(code_meaning).to_numpy(),
    )


def code_meaning(code: str) -> str:
    """What a suppression code means: ``"c"`` or ``"[c]"`` -> "confidential (a small number)"."""
    plain = code.strip("[]")
    return SUPPRESSION_CODES.get(plain, f"marked {code} by the publisher")


def for_council(frame: pd.DataFrame, council: Council) -> pd.DataFrame:
    """Rows of a tidy DfE table for the council's member local authorities."""
    rows = frame["new_la_code"].isin(council.codes)
    if "geographic_level" in frame:
        rows &= frame["geographic_level"] == LOCAL_AUTHORITY
    return frame[rows]


def local_authorities() -> pd.DataFrame:
    """The English local authorities with children's services (2024-25), with DfE codes and regions."""
    return _local_authorities().copy()


@functools.cache
def _local_authorities() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "local_authorities.csv", dtype=str)


__all__ = ["data_dir", "read", "suppressed", "for_council", "local_authorities", "relative"]
