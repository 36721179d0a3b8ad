"""Dates of a 903 file, detected per column and normalised to ISO text ``yyyy-mm-dd``.

Councils' files write dates ``dd/mm/yyyy`` (the return's own format, also ``d/m/yyyy``
without leading zeros) or ISO ``yyyy-mm-dd`` (exports from other systems, sometimes
with a time part such as ``2018-10-02 00:00:00`` or ``2018-10-02T00:00:00`` as Excel
and pandas write them). Each date column of each file must keep to one of the two:

- every non-blank value of the column has the shape of one format: the column is read
  in that format and each value rewritten as ``yyyy-mm-dd``;
- a value with the right shape that is not a real day (``31/02/2019``) keeps its
  original text, so the validator later reports it as a bad date;
- a value in neither format (``unknown``, ``00/00/0000``) also keeps its text, so the
  row is reported and repaired or dropped by the repair rules, never read as a date;
- a slash-dated column that is month first (``12/25/2019``: a second part over 12 and
  no first part over 12) is an InputError, never read as days and months swapped;
- a column mixing the two formats, or with no value in either, is an InputError
  naming the file, the column and the row of one example (never the value: it may be
  a date of birth).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.errors import InputError

DMY = "dmy"
ISO = "iso"
#: Format of a column with no values at all.
BLANK = "blank"
#: How each format is written in messages.
SHOWN: dict[str, str] = {DMY: "dd/mm/yyyy", ISO: "yyyy-mm-dd"}
_SHAPES: dict[str, str] = {
    DMY: r"\d{1,2}/\d{1,2}/\d{4}",
    ISO: r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
}
_PARSE_FORMAT: dict[str, str] = {DMY: "%d/%m/%Y", ISO: "%Y-%m-%d"}


def _error(file: str, row: int, column: str, message: str) -> InputError:
    return InputError(message, file=file, where=f"row {row}, field {column}")


def detect_format(values: pd.Series, rows: pd.Series, file: str, column: str) -> str:
    """The one date format of a column (``DMY``, ``ISO``, or ``BLANK`` when it has no
    values). ``rows`` holds each value's row number in ``file`` for messages.
    InputError when the column mixes formats or has no value in either."""
    given = values.notna().to_numpy()
    if not given.any():
        return BLANK
    text = values[given]
    shape = pd.Series(pd.NA, index=text.index, dtype="string")
    for name, pattern in _SHAPES.items():  # two formats
        shape = shape.mask(shape.isna() & text.str.fullmatch(pattern).fillna(False).astype(bool), name)
    neither = shape.isna().to_numpy()
    if neither.all():
        raise _error(file, int(rows[given].iloc[0]), column,
                     "expected dates dd/mm/yyyy or yyyy-mm-dd; found neither in the whole column")
    first = str(shape[~neither].iloc[0])
    other = (~neither & (shape != first).fillna(False)).to_numpy()
    if other.any():
        row = int(rows[given][other].iloc[0])
        raise _error(file, row, column,
                     f"expected one date format in the column; this row is {SHOWN[str(shape[other].iloc[0])]}, "
                     f"earlier rows {SHOWN[first]}")
    if first == DMY:
        _reject_month_first(text[~neither], rows[given][~neither], file, column)
    return first


def _reject_month_first(text: pd.Series, rows: pd.Series, file: str, column: str) -> None:
    """InputError when a slash-dated column is month first (US ``mm/dd/yyyy``): some value
    has a second part over 12 and none a first part over 12, so no value reads day first."""
    parts = text.str.extract(r"^(\d{1,2})/(\d{1,2})/").astype("float64")
    first_over, second_over = (parts[0] > 12).to_numpy(), (parts[1] > 12).to_numpy()
    if second_over.any() and not first_over.any():
        raise _error(file, int(rows.iloc[int(second_over.argmax())]), column,
                     "expected dates day first (dd/mm/yyyy); the column is month first (mm/dd/yyyy), as US "
                     "systems write dates: save it day first or as yyyy-mm-dd")


def to_iso(values: pd.Series, fmt: str) -> tuple[pd.Series, pd.Series]:
    """Values of a column in format ``fmt`` as (ISO text, datetime64). A value that is
    not a real day keeps its text (and is NaT among the dates); blanks stay NA."""
    if fmt == BLANK:
        return values.astype("string"), pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    shaped = values.str.slice(0, 10) if fmt == ISO else values
    parsed = pd.to_datetime(shaped, format=_PARSE_FORMAT[fmt], errors="coerce")
    iso = np.datetime_as_string(parsed.to_numpy(dtype="datetime64[D]"), unit="D")
    text = pd.Series(iso, index=values.index, dtype="string").where(parsed.notna(), values.astype("string"))
    return text, parsed


def normalise(frame: pd.DataFrame, columns: tuple[str, ...], file: str) -> tuple[pd.DataFrame, dict[str, str], pd.Timestamp]:
    """``frame`` with its date ``columns`` as ISO text, the format found for each, and
    the latest real date among them (NaT when none). Rows are numbered by ``frame['_row']``."""
    formats: dict[str, str] = {}
    dates: dict[str, pd.Series] = {}
    latest = pd.NaT
    for column in columns:  # two date columns per file
        formats[column] = detect_format(frame[column], frame["_row"], file, column)
        dates[column], parsed = to_iso(frame[column], formats[column])
        top = parsed.max()
        latest = top if pd.isna(latest) or (pd.notna(top) and top > latest) else latest
    return frame.assign(**dates), formats, latest
