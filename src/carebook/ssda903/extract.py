"""The in-memory SSDA903 extract every child-level analysis works on."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: Columns of ``Extract.problems`` (one row per row, field and rule; local use only).
PROBLEM_COLUMNS: tuple[str, ...] = ("file", "row", "field", "rule", "action", "message")
#: Columns of ``Extract.repairs`` (one row per rule; safe to show on a page).
REPAIR_COLUMNS: tuple[str, ...] = (
    "rule", "action", "rows", "children", "care_days", "share_of_care_days", "description",
)  # fmt: skip


_COUNTS = {"row": "int64", "rows": "int64", "children": "int64", "care_days": "int64",
           "share_of_care_days": "float64"}


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame with the named columns (counts numeric, others text) and no rows."""
    return pd.DataFrame({name: pd.Series(dtype=_COUNTS.get(name, "string")) for name in columns})


@dataclass(frozen=True)
class Extract:
    """Header and episodes of one council's 903 data, merged over collection years.

    header:   one row per child. CHILD (str), SEX (str "1" male, "2" female, "U"
              not known or not stated, NA where blank or not a code), DOB
              (datetime64, NaT where unknown), ETHNIC, UPN, MOTHER (str / NA),
              MC_DOB (datetime64).
    episodes: one row per episode, sorted by CHILD and DECOM. CHILD (str), DECOM
              (datetime64), RNE, LS, CIN, PLACE, PLACE_PROVIDER (str, NA where blank
              or unknown), DEC (datetime64, NaT while open), REC, REASON_PLACE_CHANGE,
              HOME_POST, PL_POST, URN (str / NA).
    is_synthetic: True for a generated extract.
    source:   one sentence for the page saying where the data come from.
    start, end: first and last day covered (1 April of the first collection year,
              31 March of the last).
    problems: row detail of every repair and drop made on reading (columns file,
              row, field, rule, action, message) for the council's local log; no
              values are quoted. Empty for a clean or synthetic extract.
    repairs:  one row per rule that repaired, dropped or merged rows (columns rule,
              action, rows, children, care_days, share_of_care_days, description);
              counts only, safe for a page. Empty for a clean or synthetic extract.
    layout:   how the files were held (e.g. "year folders", "flat files", "xml");
              "" for a generated extract.
    convention: how collection years were named (e.g. "year ending 31 March");
              "" for a generated extract.
    years:    the collection years read (each named by the year ending 31 March).
    dfe_rules: DfE's validation rules over each collection year's own files (columns
              year, code, message, count, excepted); None where they were not run.
    dfe_note: why some years or rules were not checked ("" when all were).
    """

    header: pd.DataFrame
    episodes: pd.DataFrame
    is_synthetic: bool
    source: str
    start: pd.Timestamp
    end: pd.Timestamp
    problems: pd.DataFrame = field(default_factory=lambda: empty_frame(PROBLEM_COLUMNS))
    repairs: pd.DataFrame = field(default_factory=lambda: empty_frame(REPAIR_COLUMNS))
    layout: str = ""
    convention: str = ""
    years: tuple[int, ...] = ()
    dfe_rules: pd.DataFrame | None = None
    dfe_note: str = ""
