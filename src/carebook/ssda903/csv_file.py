"""One SSDA903 header or episodes CSV file read as text, exactly as a council holds it.

Files are comma-separated (UTF-8 with or without BOM, else Latin-1), column names
as the 903 (case-insensitive), extra columns ignored, values trimmed, blanks NA.
Rows are numbered as a spreadsheet shows them: the column line is line 1.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from carebook.errors import InputError
from carebook.files import reject_binary
from carebook.ssda903 import codes

#: Columns a file must have (others of the 903 are filled with NA when absent).
REQUIRED_HEADER: tuple[str, ...] = ("CHILD", "SEX", "DOB")
REQUIRED_EPISODES: tuple[str, ...] = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
)  # fmt: skip
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "header": (codes.HEADER_COLUMNS, REQUIRED_HEADER),
    "episodes": (codes.EPISODE_COLUMNS, REQUIRED_EPISODES),
}
_OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}
#: Lines of a file shown in reports are 1-based with the column line as line 1.
FIRST_DATA_LINE = 2


def _first_line(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        return handle.readline().strip("\r\n")


def read_file(path: Path | str, kind: str, label: str | None = None) -> pd.DataFrame:
    """One header or episodes file as text columns (all 903 columns, NA where blank),
    plus ``_file`` (``label`` or the path) and ``_row`` (line number in the file).

    One clear InputError for an empty file, a file that is not comma-separated, a
    file that is not a 903 ``kind`` file, or a missing required column.
    """
    path = Path(path)
    label = label or str(path)
    columns, required = FILES[kind]
    if path.exists():
        with path.open("rb") as handle:
            reject_binary(handle.read(65536), label)
    if not path.exists() or path.stat().st_size == 0 or not _first_line(path).strip():
        raise InputError(f"expected a 903 {kind} file with a line of column names; the file is empty",
                         file=label)
    line = _first_line(path)
    names = [name.strip().upper() for name in line.split(",")]
    if "," not in line:
        used = [word for char, word in _OTHER_DELIMITERS.items() if char in line]
        if used:
            raise InputError(f"expected comma-separated values, found {used[0]}-separated columns",
                             file=label)
    if not set(names) & set(columns):
        shown = ", ".join(n for n in names[:6] if n)
        raise InputError(
            f"not a 903 {kind} file: expected columns {', '.join(columns)}; found {shown or 'none'}",
            file=label,
        )
    missing = [name for name in required if name not in names]
    if missing:
        raise InputError(f"expected column(s) {', '.join(missing)} of the 903 {kind} file; missing",
                         file=label)
    frame = _read_csv(path, label)
    if frame.empty:
        raise InputError(f"expected at least one row of 903 {kind} data; the file has only column names",
                         file=label)
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    padded = _has_padding(path)
    text = {col: (_trimmed(frame[col]) if padded else frame[col].astype("string")) if col in frame.columns
            else pd.Series(pd.NA, index=frame.index, dtype="string") for col in columns}
    return pd.DataFrame(text).assign(
        _file=label, _row=pd.RangeIndex(FIRST_DATA_LINE, FIRST_DATA_LINE + len(frame)).to_numpy()
    )


def _read_csv(path: Path, label: str) -> pd.DataFrame:
    """The file's rows as text (blanks NA); UTF-8 (with or without BOM), else Latin-1."""
    options = {"dtype": str, "keep_default_na": False, "na_values": [""], "index_col": False}
    for encoding in ("utf-8-sig", "latin-1"):  # two encodings at most
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)  # rows longer than the column line
                return pd.read_csv(path, encoding=encoding, **options)
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserWarning:
            raise InputError("expected a well-formed CSV file: some rows have more values than there are "
                             "column names", file=label) from None
        except (pd.errors.ParserError, ValueError) as error:
            raise InputError(f"expected a well-formed CSV file: {str(error).splitlines()[0]}", file=label) from None
    raise InputError("expected a text file in UTF-8 or Latin-1", file=label)


def _has_padding(path: Path) -> bool:
    """True when some value may have spaces or tabs around it (so values are trimmed)."""
    raw = path.read_bytes()
    return any(pattern in raw for pattern in (b" ,", b", ", b" \n", b" \r", b"\t", b'" ', b' "'))


def _trimmed(values: pd.Series) -> pd.Series:
    """Trimmed text with blanks as NA."""
    stripped = values.astype("string").str.strip()
    return stripped.mask(stripped == "")
