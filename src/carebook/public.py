"""Official statistics (DfE, ONS, MHCLG, HM Treasury) read from a configured folder.

The folder is ``$CAREBOOK_PUBLIC_DATA`` (``make`` points it at ``../shared/data/public``
when that exists) or ``data/public`` (where ``carebook fetch`` downloads the files). The
files are never copied into the repository.

Suppression codes are kept explicit: a suppressed cell becomes NaN, never 0, and is listed
in ``df.attrs["suppressed"]`` so a page can say which values were suppressed.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from carebook.errors import InputError
from carebook.paths import DATA, REFERENCE, relative

if TYPE_CHECKING:
    from carebook.params import Council

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
def _read_cached(relpath: str, numeric: tuple[str, ...]) -> pd.DataFrame:
    path = data_dir() / relpath
    if not path.is_file():
        raise InputError(
            f"an official statistics file is missing (run 'carebook fetch' or point CAREBOOK_PUBLIC_DATA at a folder that has it)",
            file=str(path),
        )
    try:
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except UnicodeDecodeError:
        frame = pd.read_csv(path, dtype=str, encoding="cp1252", keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(f"not a readable CSV table ({error})", file=str(path)) from None
    frame.columns = frame.columns.str.strip()
    if "new_la_code" in frame:
        frame["new_la_code"] = frame["new_la_code"].replace(_code_changes())
    suppressed = [_to_numbers(frame, column, relpath) for column in numeric]
    frame.attrs["suppressed"] = SuppressedCells(tuple(cell for cells in suppressed for cell in cells))
    frame.attrs["source"] = relpath
    return frame


@dataclass(frozen=True)
class SuppressedCells:
    """The cells of a table that held a suppression code, as ``(row, column, code)``.

    Kept in ``df.attrs``: immutable and copied by reference, because pandas carries
    ``attrs`` (deep-copied) through every operation and compares them when concatenating.
    """

    cells: tuple[tuple[int, str, str], ...]

    def __deepcopy__(self, memo: dict) -> SuppressedCells:
        return self


def _to_numbers(frame: pd.DataFrame, column: str, relpath: str) -> list[tuple[int, str, str]]:
    """Turn one text column into float64 in place; return its suppressed cells."""
    if column not in frame:
        raise InputError(f"expected a column named {column!r}; the file has {list(frame.columns)}", file=relpath)
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
            where=f"row {row + 2}, column {column}",
        )
    frame[column] = values.astype("float64")
    rows = is_code.to_numpy().nonzero()[0]
    return list(zip(rows.tolist(), [column] * len(rows), code.iloc[rows].tolist()))


def read(relpath: str, numeric: Iterable[str] = ()) -> pd.DataFrame:
    """Read one official table (path relative to the data folder).

    Every column is text except ``numeric`` ones, which become float64 with suppressed
    cells as NaN (listed in ``df.attrs["suppressed"]``). Old LA codes are mapped so that
    ``new_la_code`` is the current code. Reads are cached within a process.
    """
    frame = _read_cached(relpath, tuple(numeric))
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
