"""SSDA903 code lists, their validity over the years, and placement groupings.

Every code list says when each code may be used: a code is valid for an
episode when the episode's start (DECOM) falls inside the code's validity
window (``valid_from`` to ``valid_to``, inclusive; blank = open-ended). The
placement codes and their groupings live in ``data/reference/placement_codes.csv``
(one row per PLACE code: the Social Finance group F/A/R/I/U, the Section 251
line, the sufficiency group and the validity window).

Changes over the years encoded here:
- Q1/Q2 (foster placements) up to 31 March 2015 (collection years to 2014-15);
  U1-U6 from 1 April 2015 (collection years 2015-16 onwards).
- P2 (independent living) until 27 October 2023; K3 (supported accommodation)
  from 28 October 2023 (collection year 2023-24), when the supported
  accommodation regulations came into force.
- H5 (semi-independent living) until 31 March 2025 (last collection 2024-25).
- M1-M3 (missing) until 31 March 2014.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from carebook.formats import collection_year as _collection_year_name
from carebook.paths import REFERENCE

PLACEMENT_CODES_CSV = REFERENCE / "placement_codes.csv"

#: Column order of the header file exactly as the 903 return.
HEADER_COLUMNS: tuple[str, ...] = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
#: Column order of the episodes file exactly as the 903 return.
EPISODE_COLUMNS: tuple[str, ...] = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip
#: Date columns (dd/mm/yyyy in the files).
HEADER_DATES: tuple[str, ...] = ("DOB", "MC_DOB")
EPISODE_DATES: tuple[str, ...] = ("DECOM", "DEC")

#: First day on which no validity limit applies (open start) and last (open end).
OPEN_FROM = pd.Timestamp("1900-01-01")
OPEN_TO = pd.Timestamp("2262-04-11")

RNE: dict[str, str] = {
    "S": "started to be looked after",
    "L": "change of legal status only",
    "P": "change of placement and carer",
    "T": "change of placement, same carer",
    "B": "change of legal status and placement and carer",
    "U": "change of legal status and placement, same carer",
}

LS: dict[str, str] = {
    "C1": "interim care order",
    "C2": "full care order",
    "D1": "freeing order",
    "E1": "placement order",
    "V2": "single period of accommodation under section 20",
    "V3": "accommodated under an agreed series of short-term breaks (episodes)",
    "V4": "accommodated under an agreed series of short-term breaks (agreements)",
    "L1": "police protection",
    "L2": "emergency protection order",
    "L3": "child assessment order",
    "J1": "remand to local authority accommodation or youth detention accommodation",
    "J2": "detained in local authority accommodation under PACE",
    "J3": "sentenced to youth rehabilitation order with residence requirement",
}

CIN: dict[str, str] = {
    "N1": "abuse or neglect",
    "N2": "child's disability",
    "N3": "parental illness or disability",
    "N4": "family in acute stress",
    "N5": "family dysfunction",
    "N6": "socially unacceptable behaviour",
    "N7": "low income",
    "N8": "absent parenting",
}

PLACE_PROVIDER: dict[str, str] = {
    "PR0": "parent(s) or other person with parental responsibility",
    "PR1": "own local authority",
    "PR2": "other local authority",
    "PR3": "other public provision (e.g. a PCT)",
    "PR4": "private provision",
    "PR5": "voluntary or third sector provision",
}
#: Providers counted as "in-house" and "external" in sufficiency tables.
IN_HOUSE_PROVIDERS: tuple[str, ...] = ("PR1",)
EXTERNAL_PROVIDERS: tuple[str, ...] = ("PR2", "PR3", "PR4", "PR5")
#: Placements recorded without a provider (PLACE_PROVIDER blank exactly for these).
NO_PROVIDER_PLACEMENTS: tuple[str, ...] = ("T0", "T1", "T2", "T3", "T4", "Z1")

REC: dict[str, str] = {
    "X1": "episode ceases and a new one begins the same day",
    "E11": "adopted: application for an adoption order unopposed",
    "E12": "adopted: consent dispensed with by the court",
    "E2": "died",
    "E3": "care taken over by another local authority",
    "E4A": "returned home to live with parents or other person with parental responsibility as part of the care plan",
    "E4B": "returned home not as part of the care plan",
    "E13": "left care to live with relatives (no parental responsibility)",
    "E41": "residence order or child arrangements order granted",
    "E43": "special guardianship order made to former foster carers",
    "E44": "special guardianship order made to carers other than former foster carers",
    "E45": "special guardianship order made to former foster carers",
    "E46": "special guardianship order made to carers other than former foster carers",
    "E47": "special guardianship order made to relatives or friends who were former foster carers",
    "E48": "special guardianship order made to relatives or friends who were not foster carers",
    "E5": "moved into independent living arrangement with supportive accommodation",
    "E6": "moved into independent living arrangement without formal support",
    "E7": "transferred to residential care funded by adult social care",
    "E8": "period of being looked after ceased for any other reason",
    "E9": "sentenced to custody",
    "E14": "accommodation on remand ended",
    "E15": "age assessment determined child is aged 18 or over",
    "E16": "child moved abroad",
    "E17": "aged 18 and over, remained with current carers (staying put)",
}
#: REC codes that end a period of care (every code except X1).
LEAVING_CARE_REC: tuple[str, ...] = tuple(code for code in REC if code != "X1")

REASON_PLACE_CHANGE: dict[str, str] = {
    "CARPL": "change to, or implementation of, care plan",
    "CLOSE": "resignation or closure of provision",
    "ALLEG": "allegation (section 47)",
    "STAND": "standards of care concern",
    "APPRR": "approval removed",
    "CREQB": "carer requests placement end due to child's behaviour",
    "CREQO": "carer requests placement end other than due to child's behaviour",
    "CHILD": "child requests placement end",
    "LAREQ": "responsible or area authority requests placement end",
    "PLACE": "change in the status of placement only",
    "CUSTOD": "custody arrangement",
    "OTHER": "other",
}

SEX: dict[str, str] = {"1": "male", "2": "female"}

#: Validity windows (from, to; ISO dates, None = open) of codes other than PLACE
#: (whose windows are in the CSV), by field. Codes not listed are valid throughout.
_LIMITED_VALIDITY: dict[str, dict[str, tuple[str | None, str | None]]] = {}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "RNE": RNE, "LS": LS, "CIN": CIN, "PLACE_PROVIDER": PLACE_PROVIDER, "REC": REC,
    "REASON_PLACE_CHANGE": REASON_PLACE_CHANGE, "SEX": SEX,
}  # fmt: skip


@lru_cache(maxsize=1)
def placement_codes() -> pd.DataFrame:
    """The placement code table: code, description, sf_group, s251_line (Int64),
    sufficiency_group, valid_from, valid_to (datetime64, NaT = open-ended)."""
    table = pd.read_csv(PLACEMENT_CODES_CSV, dtype=str, keep_default_na=False)
    return table.assign(
        s251_line=pd.to_numeric(table["s251_line"].replace("", None)).astype("Int64"),
        valid_from=pd.to_datetime(table["valid_from"].replace("", None), format="%Y-%m-%d"),
        valid_to=pd.to_datetime(table["valid_to"].replace("", None), format="%Y-%m-%d"),
    )


@lru_cache(maxsize=1)
def code_validity() -> pd.DataFrame:
    """Every code of every coded field with its validity window.

    Columns: field, code, description, valid_from, valid_to (datetime64; open ends
    filled with 1900-01-01 / 2262-04-11 so comparisons need no NA handling).
    """
    rows = [
        (field, code, text, *_LIMITED_VALIDITY.get(field, {}).get(code, (None, None)))
        for field, codes in _DESCRIPTIONS.items()
        for code, text in codes.items()
    ]
    other = pd.DataFrame(rows, columns=["field", "code", "description", "valid_from", "valid_to"])
    other = other.assign(
        valid_from=pd.to_datetime(other["valid_from"]), valid_to=pd.to_datetime(other["valid_to"])
    )
    place = placement_codes()[["code", "description", "valid_from", "valid_to"]].assign(field="PLACE")
    table = pd.concat([other, place[other.columns]], ignore_index=True)
    return table.assign(
        valid_from=table["valid_from"].fillna(OPEN_FROM), valid_to=table["valid_to"].fillna(OPEN_TO)
    )


def codes_valid_on(field: str, on: pd.Timestamp | str) -> list[str]:
    """The codes of ``field`` (e.g. "PLACE") that may be used for an episode starting on ``on``."""
    day = pd.Timestamp(on)
    table = code_validity()
    table = table[table["field"] == field]
    return table.loc[(table["valid_from"] <= day) & (table["valid_to"] >= day), "code"].tolist()


def is_known_code(field: str, codes: pd.Series) -> pd.Series:
    """True where a code is in the field's list at any time (blank/NA -> False)."""
    table = code_validity()
    return codes.isin(table.loc[table["field"] == field, "code"]).fillna(False).astype(bool)


def is_valid_on(field: str, codes: pd.Series, dates: pd.Series) -> pd.Series:
    """True where each code is in the field's list and valid on the matching date.

    Vectorised: a left join of the codes to their validity windows. A NaT date
    counts as valid when the code is known (the date problem is reported apart).
    """
    table = code_validity()
    table = table[table["field"] == field].set_index("code")
    start = codes.map(table["valid_from"])
    end = codes.map(table["valid_to"])
    known = start.notna().to_numpy()
    day = pd.to_datetime(dates).to_numpy()
    inside = (day >= start.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))) & (
        day <= end.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
    )
    return pd.Series(known & (inside | np.isnat(day)), index=codes.index)


def placement_group(place: pd.Series, kind: str = "sf_group") -> pd.Series:
    """Map PLACE codes to a grouping: ``kind`` is "sf_group" (F/A/R/I/U),
    "s251_line" (Section 251 line number) or "sufficiency_group"
    (fostering / residential / semi_independence / other). Unknown codes -> NA."""
    table = placement_codes().set_index("code")
    if kind not in ("sf_group", "s251_line", "sufficiency_group", "description"):
        raise ValueError(f"unknown grouping {kind!r}")
    return place.map(table[kind])


def collection_year(dates: pd.Series) -> pd.Series:
    """The 903 collection year of each date: the calendar year in which the year
    (1 April to 31 March) ends, e.g. 15/06/2014 -> 2015 (the year 2014-15)."""
    stamps = pd.to_datetime(dates)
    return (stamps.dt.year + (stamps.dt.month >= 4).astype("int64")).astype("Int64")


def year_label(year: int) -> str:
    """Folder name of a collection year: the year ending 31 March, e.g. 2015 -> "2015"
    (1 April 2014 to 31 March 2015)."""
    return f"{year:04d}"


year_name = _collection_year_name
"""A collection year as people write it: 2025 -> "2024-25" (:func:`carebook.formats.collection_year`)."""


def year_span(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a collection year (1 April to 31 March)."""
    return pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)
