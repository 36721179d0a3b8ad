"""An extract written as a council submits it: one folder per collection year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carebook.ssda903 import codes
from carebook.ssda903.extract import Extract
from carebook.ssda903.synth.coding import H5_REGISTERED_FROM


SEX_LETTERS_FROM = 2025
"""Collection year from which the return codes SEX as letters (DfE rules 101, 2024-25)."""
SEX_LETTERS = {"1": "M", "2": "F"}


def write_extract(extract: Extract, out_dir: Path | str) -> list[Path]:
    """Write one folder per collection year (named by the year ending 31 March, e.g.
    ``2015/`` for 1 April 2014 - 31 March 2015) holding ``header.csv`` and
    ``episodes.csv`` as a council submits them: 903 column order, dates dd/mm/yyyy,
    the episodes open at any time in that year, an episode ceasing after 31 March
    shown open (DEC and REC blank), and the header rows of those children.
    Codes follow each year's rules: SEX 1/2 up to 2023-24 and M/F from 2024-25; H5
    placements carry "XXXXXXX" for a URN up to 2022-23. Returns the folders written."""
    out = Path(out_dir)
    first_year = int(extract.start.year) + 1
    last_year = int(extract.end.year)
    episodes, header = extract.episodes, extract.header
    written = []
    for year in range(first_year, last_year + 1):  # one pass per collection year
        year_start, year_end = codes.year_span(year)
        in_year = (episodes["DECOM"] <= year_end) & (episodes["DEC"].isna() | (episodes["DEC"] >= year_start))
        rows = episodes[in_year.to_numpy()]
        later = (rows["DEC"] > year_end).fillna(False)
        rows = rows.assign(DEC=rows["DEC"].mask(later), REC=rows["REC"].mask(later))
        rows = rows.assign(URN=rows["URN"].mask(rows["PLACE"].eq("H5") & (year < H5_REGISTERED_FROM.year + 1),
                                                "XXXXXXX"))
        folder = out / codes.year_label(year)
        folder.mkdir(parents=True, exist_ok=True)
        _as_text(rows, codes.EPISODE_COLUMNS, codes.EPISODE_DATES).to_csv(folder / "episodes.csv", index=False)
        people = header[header["CHILD"].isin(rows["CHILD"])]
        if year >= SEX_LETTERS_FROM:
            people = people.assign(SEX=people["SEX"].replace(SEX_LETTERS))
        _as_text(people, codes.HEADER_COLUMNS, codes.HEADER_DATES).to_csv(folder / "header.csv", index=False)
        written.append(folder)
    return written


def _as_text(frame: pd.DataFrame, columns: tuple[str, ...], dates: tuple[str, ...]) -> pd.DataFrame:
    """Columns in 903 order as text, dates dd/mm/yyyy, blanks empty."""
    text = {c: (frame[c].dt.strftime("%d/%m/%Y") if c in dates else frame[c]).astype("string").fillna("")
            for c in columns}
    return pd.DataFrame(text)
