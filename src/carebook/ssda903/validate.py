"""Row-level checks of SSDA903 values, and the problem log's formatting.

Each check looks at whole columns at once and returns the typed values and a
mask of the rows that break a rule. :mod:`carebook.ssda903.repair` applies the
checks, repairs what a stated rule can repair, drops only rows that cannot be
used, and records one problem per row, field and rule.

Values arrive as text (NA where blank). Dates are ISO ``yyyy-mm-dd`` (a value
that is not a real date is other text and fails the check). SEX is 1/2/M/F/U in
any case: M is read as 1, F as 2 and U (not known or not stated, valid from
2024-25) is kept as "U".

The problem log (columns ``file``, ``row``, ``field``, ``rule``, ``action``,
``message``) is for the council's own local use. Its messages name the file, the
row and the field and say what was expected and what was done; they never quote
a value, so no child identifier, date of birth, date or postcode reaches it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.ssda903 import codes
from carebook.ssda903.extract import PROBLEM_COLUMNS, empty_frame

#: Problems shown in a strict-mode error message.
SHOWN_IN_ERROR = 10
#: SEX as written (upper case) -> SEX as kept.
SEX_CODES: dict[str, str] = {"1": "1", "2": "2", "M": "1", "F": "2", "U": "U"}
#: Dates outside this range are not plausible in a 903 extract (and would
#: overflow date arithmetic): they are treated as not a date.
EARLIEST_DATE = pd.Timestamp("1900-01-01")
LATEST_DATE = pd.Timestamp("2200-12-31")
#: Coded episode fields whose unknown codes are set blank (PLACE has its own rule).
CODED_FIELDS: tuple[str, ...] = ("RNE", "LS", "CIN", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")
#: Coded fields every episode must have (a blank one is counted as unknown).
REQUIRED_CODES: tuple[str, ...] = ("RNE", "LS", "CIN")
_ISO = r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?\s*$"


def as_text(values: pd.Series) -> pd.Series:
    """Any column as trimmed text with blanks as NA (dates written ISO), whatever
    its dtype: text, numbers, datetimes or all-NA floats."""
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(pd.to_datetime(values).dt.strftime("%Y-%m-%d"), index=values.index, dtype="string")
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO ``yyyy-mm-dd`` text to datetime64[ns] (NaT where blank or not a date),
    and a mask of the values given that are not a (plausible) date."""
    text = as_text(values)
    iso = text.str.extract(_ISO, expand=False)
    parsed = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    parsed = parsed.where((parsed >= EARLIEST_DATE) & (parsed <= LATEST_DATE)).astype("datetime64[ns]")
    return parsed, text.notna() & parsed.isna()


def normalise_sex(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """SEX as "1" / "2" / "U" (M -> 1, F -> 2), NA where blank or not a SEX code,
    and a mask of the values that are blank or not a SEX code."""
    text = as_text(values).str.upper()
    sex = text.map(SEX_CODES).astype("string")
    return sex, sex.isna()


def unknown_codes(episodes: pd.DataFrame) -> dict[str, pd.Series]:
    """For each coded field, the rows whose code is not in the 903 list (or blank
    where the field is required)."""
    found = {}
    for field in CODED_FIELDS:  # six named fields, each checked over all rows at once
        given = episodes[field].notna()
        unknown = given & ~codes.is_known_code(field, episodes[field])
        found[field] = unknown | ~given if field in REQUIRED_CODES else unknown
    return found


def place_checks(place: pd.Series, decom: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(unknown, not in use at start): PLACE blank or not in the 903 list; PLACE
    known but not in use on the episode's DECOM (e.g. U4 before 1 April 2015, Q2
    after 31 March 2015, K3 before 28 October 2023). A code in use on DECOM is
    accepted for as long as the episode lasts, even after it was withdrawn."""
    known = codes.is_known_code("PLACE", place)
    in_use = codes.is_valid_on("PLACE", place, decom)
    return ~known, known & ~in_use


def provider_mismatch(place: pd.Series, provider: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(given, missing): PLACE_PROVIDER given for a placement T0-T4 or Z1 (which
    has none); PLACE_PROVIDER blank for another known placement."""
    no_provider = place.isin(list(codes.NO_PROVIDER_PLACEMENTS)).fillna(False).astype(bool)
    known = codes.is_known_code("PLACE", place)
    given = provider.notna()
    return no_provider & given, known & ~no_provider & ~given


def located_messages(files: pd.Series, rows: pd.Series, fields: pd.Series, texts: pd.Series) -> pd.Series:
    """"row 12 of 2025/episodes.csv, field DEC: <text>" for each problem."""
    return ("row " + rows.astype("string") + " of " + files.astype("string") + ", field "
            + fields.astype("string") + ": " + texts.astype("string"))


def empty_problems() -> pd.DataFrame:
    """A problem log with no rows."""
    return empty_frame(PROBLEM_COLUMNS)


def problem_message(problems: pd.DataFrame, shown: int = SHOWN_IN_ERROR) -> str:
    """One line: how many problems, and the first ``shown`` (by file and row), each
    naming its file, row, field and rule."""
    first = problems.sort_values(["file", "row"], kind="stable").head(shown)
    listed = "; ".join(first["message"] + " (rule " + first["rule"] + ")")
    return f"the 903 extract has {len(problems):,} problem(s); first {len(first)}: {listed}"


def flags(mask: pd.Series | np.ndarray) -> np.ndarray:
    """A mask as a plain bool array (NA -> False)."""
    if isinstance(mask, pd.Series):
        return mask.fillna(False).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)
