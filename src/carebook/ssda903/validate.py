"""Validate SSDA903 header and episodes against the code lists and structural rules.

Rules (``rule`` in the problem list), each reported with file, row and field:

- ``blank``: a required value is missing (header CHILD, SEX, DOB; episodes CHILD,
  DECOM, RNE, LS, CIN, PLACE).
- ``date``: a date that is not ``dd/mm/yyyy``.
- ``code``: a code not in the 903 list, or (PLACE) not valid on the episode's DECOM
  (e.g. Q1/Q2 after 31 March 2015, U1-U6 before 1 April 2015, K3 before 28 October
  2023, P2 after 27 October 2023, H5 after 31 March 2025).
- ``dec_before_decom``: DEC earlier than DECOM.
- ``rec_dec``: REC given without DEC, or DEC without REC.
- ``provider``: PLACE_PROVIDER must be blank exactly when PLACE is T0-T4 or Z1.
- ``before_birth``: DECOM before the child's DOB.
- ``age_18``: the child is 18 or over at DECOM.
- ``no_header``: an episode whose CHILD has no header row.
- ``overlap``: an episode starting before the child's previous episode ended
  (or while it is still open).
- ``period_start``: an episode that starts a period of care (the child's first
  episode, or one not following an X1 episode on the day it ceased) must have
  RNE = S — except a first episode that began before the extract's first
  collection year (its earlier episodes are outside the extract).

Strict mode raises one InputError listing the first problems; lenient mode drops
the offending rows (a header row with a problem drops the child), repeats the
structural checks on what is left, and returns every problem found.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.ssda903 import codes

PROBLEM_COLUMNS = ["file", "row", "field", "rule", "value", "message"]
#: Problems shown in a strict-mode error message.
SHOWN_IN_ERROR = 10
_SEX_LETTERS = {"M": "1", "F": "2"}
_CODED_EPISODE_FIELDS = ("RNE", "LS", "CIN", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")


def _problems(frame: pd.DataFrame, mask: pd.Series, field: str, rule: str, message: str) -> pd.DataFrame:
    """Problem rows for the rows of ``frame`` where ``mask`` holds; ``{value}`` in the
    message is replaced by each row's value of ``field``."""
    flags = mask.fillna(False).to_numpy(dtype=bool) if isinstance(mask, pd.Series) else np.asarray(mask, dtype=bool)
    hit = frame.loc[flags]
    values = hit[field].astype("string").fillna("") if field in hit else pd.Series("", index=hit.index)
    head, _, tail = message.partition("{value}")
    text = head + values + tail if "{value}" in message else pd.Series(message, index=hit.index)
    return pd.DataFrame({
        "file": hit["_file"].astype("string"), "row": hit["_row"].astype("int64"), "field": field,
        "rule": rule, "value": values.astype("string"), "message": text.astype("string"),
    })  # fmt: skip


def empty_problems() -> pd.DataFrame:
    """A problem list with no rows."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "string") for c in PROBLEM_COLUMNS})


def _dates(frame: pd.DataFrame, field: str) -> tuple[pd.Series, pd.Series]:
    parsed = pd.to_datetime(frame[field], format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    return parsed, frame[field].notna() & parsed.isna()


def typed_header(header: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Header rows with DOB / MC_DOB as dates and SEX as "1"/"2" (M/F read as 1/2),
    and the row-level problems of the header file."""
    dob, bad_dob = _dates(header, "DOB")
    mc_dob, bad_mc = _dates(header, "MC_DOB")
    sex = header["SEX"].str.upper().replace(_SEX_LETTERS)
    typed = header.assign(SEX=sex, DOB=dob, MC_DOB=mc_dob)
    found = [
        _problems(header, header["CHILD"].isna(), "CHILD", "blank", "expected a child identifier; blank"),
        _problems(header, sex.isna(), "SEX", "blank", "expected SEX 1 (male) or 2 (female); blank"),
        _problems(header, sex.notna() & ~sex.isin(list(codes.SEX)), "SEX", "code",
                  "expected SEX 1 (male) or 2 (female), got {value}"),
        _problems(header, header["DOB"].isna(), "DOB", "blank", "expected a date of birth; blank"),
        _problems(header, bad_dob, "DOB", "date", "expected a real date, got {value}"),
        _problems(header, bad_mc, "MC_DOB", "date", "expected a real date, got {value}"),
    ]
    return typed, pd.concat(found, ignore_index=True)


def typed_episodes(episodes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Episode rows with DECOM / DEC as dates, and the problems visible row by row
    (blanks, dates, codes, DEC before DECOM, REC without DEC, provider)."""
    decom, bad_decom = _dates(episodes, "DECOM")
    dec, bad_dec = _dates(episodes, "DEC")
    typed = episodes.assign(DECOM=decom, DEC=dec)
    found = [_problems(episodes, episodes[f].isna(), f, "blank", f"expected a value for {f}; blank")
             for f in ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE")]
    found += [
        _problems(episodes, bad_decom, "DECOM", "date", "expected a real date, got {value}"),
        _problems(episodes, bad_dec, "DEC", "date", "expected a real date, got {value}"),
    ]
    for field in _CODED_EPISODE_FIELDS:  # a handful of fields, each checked over all rows at once
        given = episodes[field].notna()
        found.append(_problems(episodes, given & ~codes.is_known_code(field, episodes[field]), field, "code",
                               f"expected a {field} code from the 903 list, got {{value}}"))
    place_given = episodes["PLACE"].notna()
    known_place = codes.is_known_code("PLACE", episodes["PLACE"])
    found += [
        _problems(episodes, place_given & ~known_place, "PLACE", "code",
                  "expected a PLACE code from the 903 list, got {value}"),
        _problems(episodes, known_place & ~codes.is_valid_on("PLACE", episodes["PLACE"], decom), "PLACE", "code",
                  "expected a PLACE code in use on the episode's DECOM, got {value}"),
        _problems(episodes, (dec < decom).fillna(False), "DEC", "dec_before_decom",
                  "expected DEC on or after DECOM, got {value}"),
        _problems(episodes, episodes["REC"].notna() & episodes["DEC"].isna(), "REC", "rec_dec",
                  "expected REC only when the episode has ceased (DEC given), got {value}"),
        _problems(episodes, episodes["REC"].isna() & episodes["DEC"].notna(), "REC", "rec_dec",
                  "expected a reason the episode ceased (REC) when DEC is given; blank"),
    ]
    no_provider = episodes["PLACE"].isin(list(codes.NO_PROVIDER_PLACEMENTS)).fillna(False)
    provider_given = episodes["PLACE_PROVIDER"].notna()
    found += [
        _problems(episodes, no_provider & provider_given, "PLACE_PROVIDER", "provider",
                  "expected PLACE_PROVIDER blank for placements T0-T4 and Z1, got {value}"),
        _problems(episodes, place_given & ~no_provider & ~provider_given, "PLACE_PROVIDER", "provider",
                  "expected a PLACE_PROVIDER (PR0-PR5) for this placement; blank"),
    ]
    return typed, pd.concat(found, ignore_index=True)


def structural_problems(header: pd.DataFrame, episodes: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    """Problems that need the child's other rows: missing header, age at DECOM,
    overlapping episodes, periods of care not starting with RNE = S.

    ``header`` and ``episodes`` are typed (dates parsed); rows with unusable dates
    are left to the row-level checks.
    """
    usable = episodes[episodes["DECOM"].notna() & episodes["CHILD"].notna()]
    usable = usable[~(usable["DEC"] < usable["DECOM"]).fillna(False)]
    dob = usable["CHILD"].map(header.dropna(subset=["CHILD"]).drop_duplicates("CHILD").set_index("CHILD")["DOB"])
    has_header = usable["CHILD"].isin(header["CHILD"].dropna())
    eighteenth = dob + pd.DateOffset(years=18)
    ordered = usable.sort_values(["CHILD", "DECOM"], kind="stable")
    same_child = ordered["CHILD"].eq(ordered["CHILD"].shift())
    previous_dec = ordered["DEC"].shift()
    previous_open = same_child & previous_dec.isna()
    overlap = same_child & (previous_open | (ordered["DECOM"] < previous_dec).fillna(False))
    continues = (same_child & ordered["REC"].shift().eq("X1").fillna(False)
                 & ordered["DECOM"].eq(previous_dec).fillna(False))
    carried_in = ~same_child & (ordered["DECOM"] < start)
    bad_start = ~overlap & ~continues & ~carried_in & ordered["RNE"].ne("S").fillna(True)
    found = [
        _problems(usable, ~has_header, "CHILD", "no_header", "expected a header row for child {value}; none"),
        _problems(usable, (usable["DECOM"] < dob).fillna(False), "DECOM", "before_birth",
                  "expected DECOM on or after the child's DOB, got {value}"),
        _problems(usable, (usable["DECOM"] >= eighteenth).fillna(False), "DECOM", "age_18",
                  "expected the child to be under 18 at DECOM, got {value}"),
        _problems(ordered, overlap, "DECOM", "overlap",
                  "expected episodes of a child not to overlap: starts before the previous episode ceased, "
                  "DECOM {value}"),
        _problems(ordered, bad_start, "RNE", "period_start",
                  "expected RNE = S for an episode starting a period of care, got {value}"),
        _problems(ordered, continues & ordered["RNE"].eq("S").fillna(False), "RNE", "period_continues",
                  "expected RNE other than S for an episode continuing a period of care (the previous "
                  "episode ceased X1 that day), got {value}"),
    ]
    return pd.concat(found, ignore_index=True)


def _canonical_header(header: pd.DataFrame) -> pd.DataFrame:
    return header[list(codes.HEADER_COLUMNS)].sort_values("CHILD", kind="stable").reset_index(drop=True)


def _canonical_episodes(episodes: pd.DataFrame) -> pd.DataFrame:
    return (episodes[list(codes.EPISODE_COLUMNS)].sort_values(["CHILD", "DECOM"], kind="stable")
            .reset_index(drop=True))


def problem_message(problems: pd.DataFrame, shown: int = SHOWN_IN_ERROR) -> str:
    """One line: how many problems, and the first ``shown`` with file, row and field."""
    first = problems.sort_values(["file", "row"], kind="stable").head(shown)
    listed = "; ".join(first["file"] + " row " + first["row"].astype("string") + " " + first["field"] + ": "
                       + first["message"])
    return f"the 903 extract has {len(problems):,} problem(s); first {len(first)}: {listed}"


def problem_counts(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems (count) by file kind, rule and field: the lenient-mode report."""
    return (problems.assign(kind=problems["file"].str.extract(r"(\w+)\.csv$", expand=False))
            .groupby(["kind", "rule", "field"], as_index=False).size().rename(columns={"size": "rows"}))


def validate_extract(
    header: pd.DataFrame,
    episodes: pd.DataFrame,
    start: pd.Timestamp,
    mode: str = "strict",
    source: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Validate merged header and episodes rows (text columns plus ``_file``/``_row``).

    Returns (header, episodes, problems) with typed canonical columns. ``start`` is
    the first day of the extract's first collection year. Strict mode raises
    InputError (file ``source``) if there is any problem; lenient mode drops the
    offending rows and returns every problem found.
    """
    if mode not in ("strict", "lenient"):
        raise InputError(f"expected mode strict or lenient, got {mode}", where="ssda903.mode")
    header, header_problems = typed_header(header)
    episodes, episode_problems = typed_episodes(episodes)
    problems = pd.concat([header_problems, episode_problems, structural_problems(header, episodes, start)],
                         ignore_index=True)
    if mode == "strict":
        if len(problems):
            raise InputError(problem_message(problems), file=source)
        return _canonical_header(header), _canonical_episodes(episodes), empty_problems()
    found = [problems]
    for _ in range(5):  # each pass may uncover problems left by dropped rows; bounded
        bad = problems[["file", "row"]].drop_duplicates()
        header = _drop_rows(header, bad)
        episodes = _drop_rows(episodes, bad)
        problems = structural_problems(header, episodes, start)
        if problems.empty:
            break
        found.append(problems)
    else:
        episodes = _drop_rows(episodes, problems[["file", "row"]])
    return _canonical_header(header), _canonical_episodes(episodes), pd.concat(found, ignore_index=True)


def _drop_rows(frame: pd.DataFrame, bad: pd.DataFrame) -> pd.DataFrame:
    keys = pd.MultiIndex.from_frame(frame[["_file", "_row"]].astype({"_file": "string", "_row": "int64"}))
    drop = keys.isin(pd.MultiIndex.from_frame(bad.astype({"file": "string", "row": "int64"})))
    return frame.loc[~drop]
