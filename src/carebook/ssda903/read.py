"""Read SSDA903 header and episodes files exactly as councils hold them.

Layout of an extract: one folder per collection year, named by the year in which
the collection year ends (``2015`` holds 1 April 2014 - 31 March 2015; ``2014-15``
and ``2014_15`` are read as the same year), each holding ``header.csv`` and
``episodes.csv`` (file names matched case-insensitively; ``.CSV`` accepted).
Files are comma-separated, dates ``dd/mm/yyyy``, column names as the 903
(case-insensitive); extra columns are ignored.

Merging years: a child appears in every year's files in which they were looked
after, and an episode open across 31 March appears in both years (the earlier
copy with DEC blank, the later with DEC filled in). The rule: **the latest
collection year's row wins** — one header row per CHILD and one episode per
(CHILD, DECOM), each taken from the latest year that holds it. Rows keep the
file and line number they came from (columns ``_file``, ``_row``) for reporting.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from carebook.errors import InputError
from carebook.ssda903 import codes
from carebook.ssda903.extract import Extract
from carebook.ssda903.repair import latest_rows, repair_extract  # noqa: F401  (latest_rows re-exported)

#: Columns a file must have (others of the 903 are filled with NA when absent).
REQUIRED_HEADER: tuple[str, ...] = ("CHILD", "SEX", "DOB")
REQUIRED_EPISODES: tuple[str, ...] = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
)  # fmt: skip
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "header": (codes.HEADER_COLUMNS, REQUIRED_HEADER),
    "episodes": (codes.EPISODE_COLUMNS, REQUIRED_EPISODES),
}
_YEAR_FOLDER = re.compile(r"^(?:(\d{4})|(\d{4})[-_ ](\d{2}|\d{4}))$")
_OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}
#: Lines of a file shown in reports are 1-based with the column line as line 1.
FIRST_DATA_LINE = 2


def folder_year(name: str) -> int | None:
    """The collection year (ending 31 March) a folder name stands for, else None.

    "2015" -> 2015; "2014-15" / "2014_15" / "2014-2015" -> 2015.
    """
    match = _YEAR_FOLDER.match(name.strip())
    if not match:
        return None
    if match.group(1):
        return int(match.group(1))
    return int(match.group(2)) + 1


def year_folders(path: Path) -> dict[int, Path]:
    """Collection-year folders of an extract, by year. InputError if there are none."""
    if not path.is_dir():
        raise InputError("expected a folder of collection-year folders (e.g. 2015/)", file=str(path))
    found = {folder_year(child.name): child for child in sorted(path.iterdir()) if child.is_dir()}
    found.pop(None, None)
    if not found:
        raise InputError(
            "expected one folder per collection year named by the year ending 31 March "
            "(e.g. 2015 or 2014-15) holding header.csv and episodes.csv; found none",
            file=str(path),
        )
    return dict(sorted(found.items()))


def _find_file(folder: Path, kind: str) -> Path:
    matches = [p for p in folder.iterdir() if p.is_file() and p.name.lower() == f"{kind}.csv"]
    if not matches:
        raise InputError(f"expected a file {kind}.csv in the collection-year folder", file=str(folder))
    return matches[0]


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


def read_years(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    """Raw text rows of every collection year of an extract: (header, episodes, years).

    Each row carries ``_year`` (collection year), ``_file`` (e.g. "2015/episodes.csv")
    and ``_row`` (line in that file).
    """
    root = Path(path)
    folders = year_folders(root)
    frames: dict[str, list[pd.DataFrame]] = {"header": [], "episodes": []}
    for year, folder in folders.items():  # one iteration per collection year, not per row
        for kind in frames:
            file = _find_file(folder, kind)
            frames[kind].append(read_file(file, kind, f"{folder.name}/{file.name}").assign(_year=year))
    header = pd.concat(frames["header"], ignore_index=True)
    episodes = pd.concat(frames["episodes"], ignore_index=True)
    return header, episodes, list(folders)


def parse_dates(values: pd.Series) -> pd.Series:
    """dd/mm/yyyy text to datetime64 (NaT where blank or not a date)."""
    return pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")


def read_extract(path: Path | str, mode: str = "strict") -> Extract:
    """Read, merge and validate a council's extract (all its collection years).

    ``mode`` "strict": InputError listing the first problems if there are any;
    "lenient": rows are repaired by the rules of :mod:`carebook.ssda903.repair`, only
    unusable rows dropped, and every repair counted in ``Extract.repairs``.
    """
    root = Path(path)
    header_raw, episodes_raw, years = read_years(root)
    start, _ = codes.year_span(years[0])
    _, end = codes.year_span(years[-1])
    repaired = repair_extract(header_raw, episodes_raw, start, end, mode=mode, source=str(root))
    header, episodes = repaired.header, repaired.episodes
    span = f"{years[0] - 1}-{years[0] % 100:02d} to {years[-1] - 1}-{years[-1] % 100:02d}"
    return Extract(
        header=header,
        episodes=episodes,
        is_synthetic=False,
        source=f"the council's own SSDA903 extract, collection years {span} ({len(header):,} children)",
        start=start,
        end=end,
        problems=repaired.problems,
        repairs=repaired.repairs,
        years=tuple(years),
    )
