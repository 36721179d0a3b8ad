"""The in-memory SSDA903 extract every child-level analysis works on."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Extract:
    """Header and episodes of one council's 903 data, merged over collection years.

    header:   one row per child. CHILD (str), SEX (str "1"/"2"), DOB (datetime64),
              ETHNIC, UPN, MOTHER (str / NA), MC_DOB (datetime64).
    episodes: one row per episode, sorted by CHILD and DECOM. CHILD (str), DECOM
              (datetime64), RNE, LS, CIN, PLACE, PLACE_PROVIDER (str, NA where blank),
              DEC (datetime64, NaT while open), REC, REASON_PLACE_CHANGE, HOME_POST,
              PL_POST, URN (str / NA).
    is_synthetic: True for a generated extract.
    source:   one sentence for the page saying where the data come from.
    start, end: first and last day covered (1 April of the first collection year,
              31 March of the last).
    problems: validation problems found on reading (columns file, row, field, rule,
              value, message); empty for a clean or synthetic extract.
    """

    header: pd.DataFrame
    episodes: pd.DataFrame
    is_synthetic: bool
    source: str
    start: pd.Timestamp
    end: pd.Timestamp
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["file", "row", "field", "rule", "value", "message"]))
