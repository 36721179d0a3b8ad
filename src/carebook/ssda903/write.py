"""Write 903 header and episodes rows, year by year, in any layout councils hold.

For tests, benchmarks and tools: :func:`write_extract` writes the rows of each
collection year as year folders, files named by year, or DfE XML returns (element
names as :mod:`carebook.ssda903.xml_return` reads them), with bare years in names
following either convention and dates ``dd/mm/yyyy`` or ISO. Reading the result
with :func:`carebook.ssda903.raw.read_raw` gives the same rows back.

The rows may come as a :class:`~carebook.ssda903.raw.RawExtract` or a pair of
(header, episodes) frames with a ``_year`` column (each year's rows as given), or as
a merged :class:`~carebook.ssda903.extract.Extract`, which is split into years the way
councils' files hold it: every episode open at some time in a collection year is in
that year's file, an episode still open on 31 March shown with DEC and REC blank,
with the header rows of those children.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from carebook.ssda903 import codes
from carebook.ssda903.extract import Extract
from carebook.ssda903.raw import RawExtract
from carebook.ssda903.xml_return import EPISODE_ELEMENTS, HEADER_ELEMENTS, ROOT

#: Default file path (relative to the folder) of each layout. Fields: ``kind``
#: (header / episodes), ``year`` (the bare year under the convention), ``start`` and
#: ``end`` (the years the collection starts and ends), ``end2`` (last two digits of end).
PATTERNS: dict[str, str] = {
    "year_folders": "{year}/{kind}.csv",
    "flat_files": "SSDA903_{year}_{kind}.csv",
    "xml": "return_{end}.xml",
}
_DMY_FROM_ISO = (r"^(\d{4})-(\d{2})-(\d{2})$", r"\3/\2/\1")
_HEADER_ORDER = ("CHILD", "UPN", "SEX", "DOB", "ETHNIC", "MOTHER", "MC_DOB")
_EPISODE_ORDER = ("DECOM", "RNE", "LS", "CIN", "PLACE", "PL_POST", "HOME_POST", "URN", "PLACE_PROVIDER", "DEC",
                  "REC", "REASON_PLACE_CHANGE")  # fmt: skip
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def split_years(extract: Extract) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(header, episodes) rows of each collection year of a merged extract, with ``_year``."""
    headers, episodes = [], []
    for year in range(int(extract.start.year) + 1, int(extract.end.year) + 1):  # one pass per year
        year_start, year_end = codes.year_span(year)
        rows = extract.episodes
        in_year = (rows["DECOM"] <= year_end) & (rows["DEC"].isna() | (rows["DEC"] >= year_start))
        rows = rows[in_year.to_numpy()]
        later = (rows["DEC"] > year_end).fillna(False)
        episodes.append(rows.assign(DEC=rows["DEC"].mask(later), REC=rows["REC"].mask(later), _year=year))
        headers.append(extract.header[extract.header["CHILD"].isin(rows["CHILD"])].assign(_year=year))
    return pd.concat(headers, ignore_index=True), pd.concat(episodes, ignore_index=True)


def _year_frames(rows: RawExtract | Extract | tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if isinstance(rows, RawExtract):
        return rows.header, rows.episodes
    if isinstance(rows, Extract):
        return split_years(rows)
    header, episodes = rows
    if "_year" not in header or "_year" not in episodes:
        raise ValueError("expected header and episodes frames with a _year column (collection year)")
    return header, episodes


def date_text(values: pd.Series, date_format: str) -> pd.Series:
    """Dates (datetime64, or ISO text) as text ``dd/mm/yyyy`` ("dmy") or ``yyyy-mm-dd``
    ("iso"); text that is not an ISO date is written as it is; blanks NA."""
    if pd.api.types.is_datetime64_any_dtype(values):
        iso = pd.Series(np.datetime_as_string(values.to_numpy(dtype="datetime64[D]"), unit="D"),
                        index=values.index, dtype="string").mask(values.isna())
    else:
        iso = values.astype("string")
    return iso.str.replace(*_DMY_FROM_ISO, regex=True) if date_format == "dmy" else iso


def _as_text(frame: pd.DataFrame, columns: tuple[str, ...], date_format: str) -> pd.DataFrame:
    """Columns in 903 order as text (dates in ``date_format``), blanks empty."""
    dated = set(codes.HEADER_DATES) | set(codes.EPISODE_DATES)
    return pd.DataFrame({c: (date_text(frame[c], date_format) if c in dated else frame[c].astype("string"))
                         .fillna("") for c in columns})


def _elements(frame: pd.DataFrame, names: dict[str, str], order: tuple[str, ...], indent: str) -> pd.Series:
    """One line of XML elements per row (``<TAG>value</TAG>``; ``<TAG />`` when blank)."""
    out = pd.Series("", index=frame.index, dtype="string")
    for column in order:  # a dozen columns, each over all rows at once
        tag = names[column]
        value = frame[column]
        for old, new in _ESCAPES:  # three characters
            value = value.str.replace(old, new, regex=False)
        out = out + indent + (f"<{tag}>" + value + f"</{tag}>").where(value != "", f"<{tag} />")
    return out


def xml_text(header: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """A DfE XML return of text rows (903 columns, dates already as text): one CHILD
    per child (in order of first appearance) holding its HEADER and then its EPISODEs."""
    child_codes, _ = pd.factorize(pd.concat([header["CHILD"], episodes["CHILD"]], ignore_index=True))
    head_keys, episode_keys = child_codes[: len(header)], child_codes[len(header):]
    children = np.unique(child_codes)
    head = "    <HEADER>" + _elements(header, HEADER_ELEMENTS, _HEADER_ORDER, "\n      ") + "\n    </HEADER>"
    episode = "    <EPISODE>" + _elements(episodes, EPISODE_ELEMENTS | {"CHILD": "CHILDID"}, _EPISODE_ORDER,
                                          "\n      ") + "\n    </EPISODE>"
    pieces = pd.DataFrame({
        "key": np.concatenate([children, head_keys, episode_keys, children]),
        "part": np.repeat([0, 1, 2, 3], [len(children), len(header), len(episodes), len(children)]),
        "order": np.concatenate([children, np.arange(len(header)), np.arange(len(episodes)), children]),
        "text": pd.concat([pd.Series("  <CHILD>", index=range(len(children))), head, episode,
                           pd.Series("  </CHILD>", index=range(len(children)))], ignore_index=True),
    }).sort_values(["key", "part", "order"], kind="stable")  # fmt: skip
    body = "\n".join(pieces["text"].astype(str).tolist())
    return f'<?xml version="1.0" encoding="utf-8"?>\n<{ROOT}>\n{body}\n</{ROOT}>\n'


def write_extract(rows: RawExtract | Extract | tuple[pd.DataFrame, pd.DataFrame], folder: Path | str,
                  layout: str = "year_folders", convention: str = "end", date_format: str = "dmy",
                  pattern: str | None = None) -> list[Path]:
    """Write the header and episodes rows of each collection year under ``folder``.

    ``layout``: "year_folders", "flat_files" or "xml" (one return per year);
    ``convention``: a bare year in names is the year the collection "end"s or "start"s;
    ``date_format``: "dmy" (``dd/mm/yyyy``) or "iso" (``yyyy-mm-dd``);
    ``pattern``: the path of each file relative to ``folder`` (default ``PATTERNS[layout]``;
    fields kind, year, start, end, end2), e.g. ``"{start}-{end2}/{kind}.CSV"``.
    Returns the files written.
    """
    if layout not in PATTERNS or convention not in ("end", "start") or date_format not in ("dmy", "iso"):
        raise ValueError(f"unknown layout {layout!r}, convention {convention!r} or date format {date_format!r}")
    header, episodes = _year_frames(rows)
    pattern = pattern or PATTERNS[layout]
    root = Path(folder)
    written = []
    for year in sorted(set(header["_year"]) | set(episodes["_year"])):  # one pass per collection year
        year = int(year)
        names = {"year": year if convention == "end" else year - 1, "start": year - 1, "end": year,
                 "end2": f"{year % 100:02d}"}
        text = {"header": _as_text(header[header["_year"] == year], codes.HEADER_COLUMNS, date_format),
                "episodes": _as_text(episodes[episodes["_year"] == year], codes.EPISODE_COLUMNS, date_format)}
        if layout == "xml":
            path = root / pattern.format(kind="return", **names)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(xml_text(text["header"], text["episodes"]), encoding="utf-8")
            written.append(path)
            continue
        for kind, frame in text.items():  # header and episodes
            path = root / pattern.format(kind=kind, **names)
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.to_csv(path, index=False)
            written.append(path)
    return written
