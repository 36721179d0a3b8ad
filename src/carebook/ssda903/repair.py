"""Repair, don't drop: turn the raw rows of an SSDA903 extract into one episode per
day of care, repairing what a stated rule can repair and counting every repair.

Input: header and episodes rows of every collection year as text (NA where
blank) with ``_file`` (e.g. "2025/episodes.csv"), ``_row`` (line in the file) and
``_year`` (collection year ending 31 March); dates ISO ``yyyy-mm-dd``.

Rules, in the order they are applied (``rule``: action; each is counted with the
rows, children and days of care it touched):

Merging rows
- ``duplicate_row`` (repaired): a row repeated exactly (every 903 column equal) in
  one collection year's file is one row. (Across years an exact repeat is normal:
  the 903 repeats an episode open over 31 March, and a child's header row, every
  year; see ``merged``.)
- ``merged`` (informational, not a repair): an episode (same CHILD and DECOM) held
  in several collection years is one episode, the latest year's row winning (the
  earlier copy normally has DEC blank). A child's header rows likewise merge.
- ``duplicate_conflict`` (repaired): rows of one collection year for the same
  CHILD and DECOM with different values: the row with DEC filled in is kept, else
  the last in the file.
- ``header_conflict`` (repaired): a child whose DOB or SEX differs between rows or
  years: each header field is taken from the latest row that gives it (latest
  collection year, then last in the file).

Rows that cannot be used (the only drops)
- ``no_child`` (dropped): a row without a CHILD cannot be linked to a child.
- ``decom_date`` (dropped): an episode whose DECOM is blank or not a date.
- ``dec_before_decom`` (dropped): an episode ceasing before it started.
- ``after_18`` (dropped): an episode starting on or after the child's 18th birthday.
  Dropped rows are counted with the days of care they would have had where
  these can be computed (else 0).

Values
- ``sex`` (repaired): SEX 1, 2, M, F or U is accepted (M read as 1, F as 2, U kept
  as "U", not known); blank or another value becomes blank (not known).
- ``dob`` / ``mc_dob`` (repaired): a date of birth blank or not a date is unknown;
  the child's episodes are kept and their age is unknown.
- ``dec_date`` (repaired): DEC not a date: the episode is treated as open (and so
  closed at the start of the child's next episode, if any).
- ``unknown_code`` (repaired): RNE, LS, CIN, PLACE_PROVIDER, REC or
  REASON_PLACE_CHANGE not in the 903 list (or RNE, LS, CIN blank): set blank
  (unknown), episode kept.
- ``unknown_place`` (repaired): PLACE blank or not in the 903 list: the episode
  and its days are kept with the placement unknown (PLACE blank).
- ``place_not_in_use`` (repaired): a known PLACE code not in use on the episode's
  DECOM (U1-U6 before 1 April 2015, Q1/Q2 after 31 March 2015, K3 before 28
  October 2023, ...) is kept as given. A code in use on DECOM is accepted for the
  whole episode even after it was withdrawn (U4 opened 2016 still open in 2024;
  P2 opened 2022 still open in 2024): not a problem at all.
- ``provider`` (repaired): PLACE_PROVIDER given for T0-T4 or Z1, or blank for
  another placement: kept as given.
- ``rec_open`` (repaired): a reason ceased (REC) on an open episode is ignored.
- ``rec_missing`` (repaired): DEC given but REC blank: kept with REC unknown; REC
  becomes X1 when the child's next episode starts that day and does not start
  a new period (RNE not S).

A child's episodes
- ``no_header`` (repaired): an episode whose child has no header row is kept; a
  header row with SEX and DOB blank is added (age and sex unknown in analyses).
- ``before_birth`` (repaired): an episode starting before the child's DOB is kept
  as given.
- ``overlap`` (repaired): an episode ceasing after the child's next episode starts
  is cut at the next episode's DECOM, so each day of care is counted once.
- ``open_before_next`` (repaired): an open episode followed by a later episode of
  the same child is closed at the next episode's DECOM.
  For both: REC becomes X1 (a new episode begins that day) unless the next
  episode starts a new period (RNE = S), when a REC given that ends care is
  kept and anything else is left blank.
- ``cut_at_18`` (repaired): an episode lasting past the child's 18th birthday
  (or open when it falls inside the extract) ceases on the birthday; the days
  before it are kept; REC is kept if it ends care, else left blank.
- ``period_start`` (repaired): an episode starting a period of care (the child's
  first, or one not following an X1 episode ceasing that day) without RNE = S is
  kept and treated as a start. A child's first episode beginning before the
  extract is exempt (its earlier episodes are outside the extract).
- ``period_continues`` (repaired): an episode continuing a period (the previous
  ceased X1 that day) with RNE = S is kept and treated as continuing.

Days of care are counted per episode from DECOM to the day before DEC within the
extract's years [start, end] (an open episode runs to the end), after repair.
Strict mode raises one InputError listing the first problems; lenient mode
applies the rules above and never raises on the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.ssda903 import codes, periods
from carebook.ssda903.extract import PROBLEM_COLUMNS, REPAIR_COLUMNS, Extract, empty_frame
from carebook.ssda903.validate import (
    as_text, empty_problems, flags, located_messages, normalise_sex, parse_dates, place_checks,
    problem_message, provider_mismatch, unknown_codes,
)  # fmt: skip

#: Rule -> (action, plain sentence for a page). Order is the order of the repairs table.
RULES: dict[str, tuple[str, str]] = {
    "merged": ("merged", "An episode held in several collection years (open over 31 March) is one episode: "
               "the latest year's row is kept. This is normal, not a repair."),
    "duplicate_row": ("repaired", "Rows repeated exactly within one year's file were counted once."),
    "duplicate_conflict": ("repaired", "Two different rows for the same child and start date in one year: "
                           "the row with an end date was kept, else the last in the file."),
    "header_conflict": ("repaired", "A child's date of birth or sex differed between rows or years: the "
                        "latest year's value was kept."),
    "no_child": ("dropped", "Rows without a child identifier could not be linked to a child and were dropped."),
    "decom_date": ("dropped", "Episodes whose start date was blank or not a date were dropped."),
    "dec_before_decom": ("dropped", "Episodes ending before they started were dropped."),
    "after_18": ("dropped", "Episodes starting on or after the child's 18th birthday were dropped."),
    "sex": ("repaired", "Sex blank or not 1, 2, M, F or U was set to not known."),
    "dob": ("repaired", "Date of birth blank or not a date: age unknown, episodes kept."),
    "mc_dob": ("repaired", "Mother's child's date of birth not a date: set blank."),
    "dec_date": ("repaired", "End date not a date: the episode was treated as open until the child's next "
                 "episode."),
    "unknown_code": ("repaired", "Codes blank or not in the 903 list (legal status, category of need, reason "
                     "for new episode, provider, reason ceased, reason for change) were set to unknown; "
                     "episodes kept."),
    "unknown_place": ("repaired", "Placement type blank or not in the 903 list: the days were kept with the "
                      "placement unknown."),
    "place_not_in_use": ("repaired", "A placement code not in use on the day the episode started was kept "
                         "as given."),
    "provider": ("repaired", "A placement provider given for a temporary or other placement, or missing for "
                 "another placement, was kept as given."),
    "rec_open": ("repaired", "A reason ceased on an episode with no end date was ignored."),
    "rec_missing": ("repaired", "An end date without a reason ceased was kept with the reason unknown (X1 "
                    "when the next episode continues the period that day)."),
    "no_header": ("repaired", "Episodes of a child with no header row were kept with age and sex unknown."),
    "before_birth": ("repaired", "Episodes starting before the child's date of birth were kept as given."),
    "overlap": ("repaired", "An episode ending after the child's next episode started was cut at that start, "
                "so each day of care counts once."),
    "open_before_next": ("repaired", "An episode with no end date followed by a later episode was closed "
                         "when the next one started."),
    "cut_at_18": ("repaired", "Episodes lasting past the child's 18th birthday were ended on it; the days "
                  "before were kept."),
    "period_start": ("repaired", "A period of care not starting with reason for new episode S was kept and "
                     "treated as a start."),
    "period_continues": ("repaired", "An episode continuing a period of care but marked S was kept and "
                         "treated as continuing."),
}
#: Row-detail messages (what was expected and what was done; never a value).
MESSAGES: dict[str, str] = {
    "duplicate_row": "repeats another row of this file exactly; counted once",
    "merged": "the same episode is held in a later collection year; the later row is kept",
    "duplicate_conflict": "another row of this file has the same CHILD and DECOM with different values; "
                          "the row with DEC filled in (else the last) is kept",
    "header_conflict": "differs from the child's value in another row; the latest row's value is kept",
    "no_child": "expected a child identifier; blank, row dropped",
    "decom_date": "expected a date yyyy-mm-dd; blank or not a date, episode dropped",
    "dec_before_decom": "expected DEC on or after DECOM; episode dropped",
    "after_18": "expected the episode to start before the child's 18th birthday; episode dropped",
    "sex": "expected SEX 1, 2, M, F or U; set to not known",
    "dob": "expected a date of birth yyyy-mm-dd; age unknown, episodes kept",
    "mc_dob": "expected a date yyyy-mm-dd; set blank",
    "dec_date": "expected a date yyyy-mm-dd; episode treated as open",
    "unknown_code": "expected a code from the 903 list; set to unknown, episode kept",
    "unknown_place": "expected a PLACE code from the 903 list; placement unknown, episode kept",
    "place_not_in_use": "expected a PLACE code in use on the episode's DECOM; kept as given",
    "provider": "expected PLACE_PROVIDER blank exactly for T0-T4 and Z1; kept as given",
    "rec_open": "expected REC only when the episode has ceased (DEC given); REC ignored",
    "rec_missing": "expected a reason ceased when DEC is given; blank, kept as unknown",
    "no_header": "expected a header row for this child; none, kept with age and sex unknown",
    "before_birth": "expected DECOM on or after the child's DOB; kept as given",
    "overlap": "expected DEC on or before the start of the child's next episode; cut there",
    "open_before_next": "expected DEC for an episode followed by a later one; closed when the next starts",
    "cut_at_18": "expected the episode to cease by the child's 18th birthday; ended on it",
    "period_start": "expected RNE S for an episode starting a period of care; kept as a start",
    "period_continues": "expected RNE other than S for an episode continuing a period of care; kept",
}
#: Share of care days touched by repairs and drops above which a page warns.
WARNING_SHARE = 0.01
_LOG_COLUMNS = [*PROBLEM_COLUMNS, "_child", "_ep", "_lost"]
_ONE_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class Repaired:
    """An extract after repair: ``header`` and ``episodes`` typed as
    :class:`~carebook.ssda903.extract.Extract` documents; ``repairs`` one row per
    rule (rule, action, rows, children, care_days, share_of_care_days,
    description); ``problems`` row detail for a local log (file, row, field, rule,
    action, message; no values)."""

    header: pd.DataFrame
    episodes: pd.DataFrame
    repairs: pd.DataFrame
    problems: pd.DataFrame


@dataclass(frozen=True)
class QualitySummary:
    """What repairs and drops did to the days of care: ``share`` (0-1, an upper
    bound when one episode is touched by several rules), ``repaired_rows``,
    ``dropped_rows``, ``sentence`` (plain English for a page) and
    ``needs_warning`` (share above 1%)."""

    share: float
    repaired_rows: int
    dropped_rows: int
    sentence: str
    needs_warning: bool


def latest_rows(frame: pd.DataFrame, keys: list[str], order: Sequence[str] = ("_year", "_row")) -> pd.DataFrame:
    """One row per key: the last row in ``order`` (by default the latest collection
    year ``_year``, then the last row of the file). Rows with a blank key are kept."""
    ordered = frame.sort_values(list(order), kind="stable")
    blank_key = ordered[keys].isna().any(axis=1)
    kept = ordered[~blank_key].drop_duplicates(keys, keep="last")
    return pd.concat([kept, ordered[blank_key]]).sort_index()


def _lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``table``'s value for each key (NA where absent), keeping a datetime or text
    dtype even when ``table`` is empty (``Series.map`` then casts dates to float)."""
    return table.reindex(keys.to_numpy()).set_axis(keys.index)


def care_days(decom: pd.Series, dec: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Days of care (count) of each episode within [start, end]: from DECOM to the
    day before DEC (an open episode runs to ``end``); 0 where DECOM is unknown."""
    stop = end + _ONE_DAY
    first = decom.clip(lower=start)
    last = dec.fillna(stop).clip(upper=stop)
    return (last - first).dt.days.fillna(0).clip(lower=0).astype("int64")


def _prepared(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The 903 ``columns`` as text (missing ones NA) plus ``_file``, ``_row``, ``_year``,
    whatever dtypes arrived."""
    frame, n = frame.reset_index(drop=True), len(frame)
    text = {c: as_text(frame[c]) if c in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
            for c in columns}
    file = as_text(frame["_file"]).fillna("unnamed file") if "_file" in frame else "unnamed file"
    row = (pd.to_numeric(frame["_row"], errors="coerce") if "_row" in frame
           else pd.Series(np.arange(2, n + 2), index=frame.index))
    year = pd.to_numeric(frame["_year"], errors="coerce") if "_year" in frame else pd.Series(0, index=frame.index)
    return pd.DataFrame(text, index=frame.index).assign(
        _file=file, _row=row.fillna(0).astype("int64"), _year=year.fillna(0).astype("int64"),
    ).reset_index(drop=True)


class _Log:
    """Entries of the problem log plus what the repairs table needs: the child,
    the kept episode touched (``_ep``, -1 if none) and days of care lost."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, frame: pd.DataFrame, mask: pd.Series | np.ndarray, field: str, rule: str,
            lost: pd.Series | None = None) -> None:
        """Log the rows of ``frame`` where ``mask`` holds under ``rule`` (``lost``: days
        of care of each row, for a rule that drops it)."""
        hit = flags(mask.reindex(frame.index) if isinstance(mask, pd.Series) else mask)
        if not hit.any():
            return
        rows = frame.loc[hit]
        fields = pd.Series(field, index=rows.index, dtype="string")
        self.parts.append(pd.DataFrame({
            "file": rows["_file"].astype("string"), "row": rows["_row"].astype("int64"), "field": fields,
            "rule": rule, "action": RULES[rule][0],
            "message": located_messages(rows["_file"], rows["_row"], fields,
                                        pd.Series(MESSAGES[rule], index=rows.index)),
            "_child": rows["CHILD"].astype("string"),
            "_ep": rows["_ep"].astype("int64") if "_ep" in rows else -1,
            "_lost": lost[hit].astype("int64") if lost is not None else 0,
        }))  # fmt: skip

    def frame(self) -> pd.DataFrame:
        """Every entry so far (an empty frame with the log's columns when none)."""
        if not self.parts:
            empty = empty_problems()
            return empty.assign(_child=pd.Series(dtype="string"), _ep=pd.Series(dtype="int64"),
                                _lost=pd.Series(dtype="int64"))[_LOG_COLUMNS]
        return pd.concat(self.parts, ignore_index=True)[_LOG_COLUMNS]


def _header(raw: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """One typed row per child from the header rows of every year."""
    rows = _prepared(raw, codes.HEADER_COLUMNS)
    log.add(rows, rows["CHILD"].isna(), "CHILD", "no_child")
    rows = rows[rows["CHILD"].notna()]
    repeated = rows.duplicated([*codes.HEADER_COLUMNS, "_year"])
    log.add(rows, repeated, "CHILD", "duplicate_row")
    rows = rows[~repeated]
    dob, bad_dob = parse_dates(rows["DOB"])
    mc_dob, bad_mc = parse_dates(rows["MC_DOB"])
    sex, bad_sex = normalise_sex(rows["SEX"])
    raw_given = rows[["SEX", "DOB", "MC_DOB"]].notna()
    rows = rows.assign(SEX=sex, DOB=dob, MC_DOB=mc_dob).sort_values(["_year", "_row"], kind="stable")
    latest = rows.groupby("CHILD", sort=True).last()  # each field from the latest row that gives it
    for field in ("DOB", "SEX"):  # two named fields
        kept = _lookup(rows["CHILD"], latest[field])
        differs = rows[field].notna() & kept.notna() & rows[field].ne(kept).fillna(False)
        log.add(rows, differs, field, "header_conflict")
    kept_rows = rows.drop_duplicates("CHILD", keep="last")
    for field, bad in (("SEX", bad_sex), ("DOB", bad_dob), ("MC_DOB", bad_mc)):  # three named fields
        given_bad = bad.reindex(rows.index) & raw_given[field].reindex(rows.index)
        log.add(rows, given_bad, field, field.lower())
        if field != "MC_DOB":  # blank in every row of the child: logged once, on the latest row
            reported = rows.loc[flags(given_bad), "CHILD"]
            blank = _lookup(kept_rows["CHILD"], latest[field]).isna() & ~kept_rows["CHILD"].isin(reported)
            log.add(kept_rows, blank, field, field.lower())
    return latest.reset_index()[list(codes.HEADER_COLUMNS)]


def _merged(rows: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """One row per (CHILD, DECOM): exact repeats within a year collapse, the latest
    year wins, and within a year the row with DEC filled in (else the last) wins.
    Kept rows get ``_ep`` (0, 1, ...); the rows removed are logged against them."""
    as_written = [c for c in codes.EPISODE_COLUMNS if c != "DEC"]
    repeated = rows.duplicated([*as_written, "_dec_text", "_year"])  # DEC compared as written
    removed = [rows[repeated].assign(_rule="duplicate_row")]
    rows = rows[~repeated]
    kept = latest_rows(rows.assign(_has_dec=rows["DEC"].notna()), ["CHILD", "DECOM"],
                       order=("_year", "_has_dec", "_row")).drop(columns="_has_dec")
    others = rows.loc[rows.index.difference(kept.index)]
    kept_year = others[["CHILD", "DECOM"]].merge(kept[["CHILD", "DECOM", "_year"]], how="left")["_year"]
    same_year = others["_year"].to_numpy() == kept_year.to_numpy()
    removed += [others[same_year].assign(_rule="duplicate_conflict"), others[~same_year].assign(_rule="merged")]
    kept = kept.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    kept = kept.assign(_ep=np.arange(len(kept), dtype="int64"))
    gone = pd.concat(removed).merge(kept[["CHILD", "DECOM", "_ep"]], on=["CHILD", "DECOM"], how="left")
    gone = gone.assign(_ep=gone["_ep"].fillna(-1).astype("int64"))
    for rule in ("duplicate_row", "merged", "duplicate_conflict"):  # three named rules
        log.add(gone, gone["_rule"].eq(rule), "DECOM", rule)
    return kept


def _coded(episodes: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """Codes checked and repaired: unknown codes blank, PLACE kept while in use at
    DECOM, provider and REC rules."""
    unknown_place, not_in_use = place_checks(episodes["PLACE"], episodes["DECOM"])
    given_for_none, missing = provider_mismatch(episodes["PLACE"], episodes["PLACE_PROVIDER"])
    log.add(episodes, unknown_place, "PLACE", "unknown_place")
    log.add(episodes, not_in_use, "PLACE", "place_not_in_use")
    log.add(episodes, given_for_none | missing, "PLACE_PROVIDER", "provider")
    cleaned = {"PLACE": episodes["PLACE"].mask(unknown_place)}
    for field, unknown in unknown_codes(episodes).items():  # six named fields
        log.add(episodes, unknown, field, "unknown_code")
        cleaned[field] = episodes[field].mask(unknown)
    episodes = episodes.assign(**cleaned)
    rec_open = episodes["REC"].notna() & episodes["DEC"].isna()
    log.add(episodes, rec_open, "REC", "rec_open")
    rec_missing = episodes["DEC"].notna() & ~episodes["_rec_given"]
    log.add(episodes, rec_missing, "REC", "rec_missing")
    return episodes.assign(REC=episodes["REC"].mask(rec_open))


def _next_episode(episodes: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """For episodes sorted by CHILD and DECOM: the next episode's DECOM and RNE
    (NaT / NA for a child's last episode)."""
    same = episodes["CHILD"].eq(episodes["CHILD"].shift(-1)).fillna(False)
    return episodes["DECOM"].shift(-1).where(same), episodes["RNE"].shift(-1).where(same)


def _ending_rec(rec: pd.Series) -> pd.Series:
    """REC where it is a reason for leaving care, else NA."""
    return rec.where(rec.isin(list(codes.LEAVING_CARE_REC)).fillna(False))


def _structural(episodes: pd.DataFrame, header: pd.DataFrame, end: pd.Timestamp, log: _Log) -> pd.DataFrame:
    """Episodes of each child made consistent: 18th birthday, overlaps, open
    episodes followed by another, REC X1 inferred."""
    dob = _lookup(episodes["CHILD"], header.set_index("CHILD")["DOB"].astype("datetime64[ns]"))
    eighteenth = dob + pd.DateOffset(years=18)
    log.add(episodes, (episodes["DECOM"] < dob).fillna(False), "DECOM", "before_birth")
    adult = (episodes["DECOM"] >= eighteenth).fillna(False)
    log.add(episodes, adult, "DECOM", "after_18", lost=episodes["_days"])
    episodes, eighteenth = episodes[~adult.to_numpy()], eighteenth[~adult.to_numpy()]
    next_decom, next_rne = _next_episode(episodes)
    has_next = next_decom.notna()
    open_before = has_next & episodes["DEC"].isna()
    overlap = has_next & (episodes["DEC"] > next_decom).fillna(False)
    log.add(episodes, open_before, "DEC", "open_before_next")
    log.add(episodes, overlap, "DEC", "overlap")
    cut = open_before | overlap
    new_period = next_rne.eq("S").fillna(False)
    cut_rec = pd.Series("X1", index=episodes.index, dtype="string").where(~new_period, _ending_rec(episodes["REC"]))
    episodes = episodes.assign(DEC=episodes["DEC"].mask(cut, next_decom), REC=episodes["REC"].mask(cut, cut_rec))
    past_18 = ((episodes["DEC"] > eighteenth) | (episodes["DEC"].isna() & (eighteenth <= end))).fillna(False)
    log.add(episodes, past_18, "DEC", "cut_at_18")
    episodes = episodes.assign(DEC=episodes["DEC"].mask(past_18, eighteenth),
                               REC=episodes["REC"].mask(past_18, _ending_rec(episodes["REC"])))
    next_decom, next_rne = _next_episode(episodes)
    continues = (episodes["REC"].isna() & episodes["DEC"].notna() & episodes["DEC"].eq(next_decom)
                 & next_rne.ne("S").fillna(True)).fillna(False)
    return episodes.assign(REC=episodes["REC"].mask(continues, "X1"))


def _period_checks(episodes: pd.DataFrame, start: pd.Timestamp, log: _Log) -> None:
    """Log periods of care not starting with RNE S, and continuing episodes marked S."""
    same_child = episodes["CHILD"].eq(episodes["CHILD"].shift()).fillna(False)
    continues = (same_child & episodes["REC"].shift().eq("X1").fillna(False)
                 & episodes["DECOM"].eq(episodes["DEC"].shift()).fillna(False))
    carried_in = ~same_child & (episodes["DECOM"] < start)
    is_s = episodes["RNE"].eq("S").fillna(False)
    log.add(episodes, ~continues & ~carried_in & ~is_s, "RNE", "period_start")
    log.add(episodes, continues & is_s, "RNE", "period_continues")


def _episodes(raw: pd.DataFrame, header: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
              log: _Log) -> pd.DataFrame:
    """Typed, merged and repaired episodes (with ``_ep`` and ``_days``)."""
    rows = _prepared(raw, codes.EPISODE_COLUMNS)
    decom, _ = parse_dates(rows["DECOM"])
    dec, bad_dec = parse_dates(rows["DEC"])
    lost = care_days(decom, dec.where(dec >= decom), start, end)
    no_child = rows["CHILD"].isna()
    log.add(rows, no_child, "CHILD", "no_child", lost=lost)
    log.add(rows, ~no_child & decom.isna(), "DECOM", "decom_date")
    usable = flags(~no_child & decom.notna())
    rows = rows.assign(_dec_text=rows["DEC"], DECOM=decom, DEC=dec, _bad_dec=bad_dec,
                       _rec_given=rows["REC"].notna())[usable]
    kept = _merged(rows, log)
    backwards = (kept["DEC"] < kept["DECOM"]).fillna(False)
    log.add(kept, backwards, "DEC", "dec_before_decom")
    kept = kept[~backwards.to_numpy()]
    log.add(kept, kept["_bad_dec"], "DEC", "dec_date")
    kept = _coded(kept, log)
    kept = kept.assign(_days=care_days(kept["DECOM"], kept["DEC"], start, end))
    log.add(kept, ~kept["CHILD"].isin(header["CHILD"]), "CHILD", "no_header")
    repaired = _structural(kept, header, end, log)
    repaired = repaired.assign(_days=care_days(repaired["DECOM"], repaired["DEC"], start, end))
    _period_checks(repaired, start, log)
    return repaired


def _touched_days(log: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """(rule, _ep, days): each kept episode a log entry touches, once per rule; an
    entry about a child rather than an episode (header rules) touches all the
    child's episodes. Days are counted after repair (0 for an episode dropped)."""
    by_episode = log.loc[log["_ep"] >= 0, ["rule", "_ep"]]
    about_child = log[(log["_ep"] < 0) & log["action"].ne("dropped") & log["_child"].notna()]
    by_child = (about_child[["rule", "_child"]].merge(episodes[["CHILD", "_ep"]], left_on="_child",
                                                      right_on="CHILD")[["rule", "_ep"]])
    touched = pd.concat([by_episode, by_child]).drop_duplicates()
    days = episodes.set_index("_ep")["_days"].astype("int64")
    return touched.assign(days=_lookup(touched["_ep"], days).fillna(0).astype("int64"))


def _repairs(log: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per rule seen — rows, children, care days of the episodes touched
    (after repair; for drops, the days the rows would have had) and their share of
    all care days — then a ``total`` row for all repairs and drops together
    (distinct rows, children and care days, so nothing is counted twice)."""
    if log.empty:
        return empty_frame(REPAIR_COLUMNS)
    touched = _touched_days(log, episodes)
    lost = log["_lost"].where(log["action"].eq("dropped"), 0)
    all_days = int(episodes["_days"].sum() + lost.sum())
    per_rule = log.assign(_lost=lost).groupby("rule").agg(
        rows=("row", "size"), children=("_child", "nunique"), care_days=("_lost", "sum"))
    per_rule["care_days"] += touched.groupby("rule")["days"].sum().reindex(per_rule.index).fillna(0).astype("int64")
    order = [rule for rule in RULES if rule in per_rule.index]
    table = per_rule.loc[order].reset_index().assign(
        action=[RULES[r][0] for r in order], description=[RULES[r][1] for r in order])
    counted = log["action"].ne("merged")
    if counted.any():
        rows = log.loc[counted, ["file", "row"]].drop_duplicates()
        kept_days = touched[touched["rule"].map(RULES).str[0].ne("merged")].drop_duplicates("_ep")["days"].sum()
        total = pd.DataFrame({
            "rule": ["total"], "action": ["total"], "rows": [len(rows)],
            "children": [log.loc[counted, "_child"].nunique()], "care_days": [int(kept_days + lost.sum())],
            "description": ["All repairs and drops together, each row, child and day of care counted once."],
        })  # fmt: skip
        table = pd.concat([table, total], ignore_index=True)
    table = table.astype({"rows": "int64", "children": "int64", "care_days": "int64"})
    share = table["care_days"] / all_days if all_days else table["care_days"] * 0.0
    return table.assign(share_of_care_days=share.astype("float64"))[list(REPAIR_COLUMNS)]


def _canonical(frame: pd.DataFrame, columns: Sequence[str], dates: Sequence[str], keys: list[str]) -> pd.DataFrame:
    """The 903 columns typed as ``Extract`` documents, sorted by ``keys``."""
    typed = {c: (frame[c].astype("datetime64[ns]") if c in dates else frame[c].astype("string")) for c in columns}
    return pd.DataFrame(typed).sort_values(keys, kind="stable").reset_index(drop=True)


def repair_extract(
    header_raw: pd.DataFrame,
    episodes_raw: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    mode: str = "lenient",
    source: str | None = None,
) -> Repaired:
    """Merge the raw rows of all collection years and apply the rules of this module.

    ``start`` / ``end``: first and last day of the extract (1 April of the first
    collection year, 31 March of the last). ``mode`` "lenient" repairs and counts;
    "strict" raises one InputError (file ``source``) listing the first problems
    by file, row, field and rule if any rule other than ``merged`` applies.
    """
    if mode not in ("strict", "lenient"):
        raise InputError(f"expected mode strict or lenient, got {mode}", where="ssda903.mode")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    log = _Log()
    header = _header(header_raw, log)
    episodes = _episodes(episodes_raw, header, start, end, log)
    missing = episodes.loc[~episodes["CHILD"].isin(header["CHILD"]), "CHILD"].drop_duplicates()
    header = pd.concat([header, pd.DataFrame({"CHILD": missing.to_numpy()})], ignore_index=True)
    entries = log.frame()
    problems = (entries[entries["action"].ne("merged")][list(PROBLEM_COLUMNS)]
                .sort_values(["file", "row"], kind="stable").reset_index(drop=True))
    if mode == "strict" and len(problems):
        raise InputError(problem_message(problems), file=source)
    return Repaired(
        header=_canonical(header.reindex(columns=list(codes.HEADER_COLUMNS)), codes.HEADER_COLUMNS,
                          codes.HEADER_DATES, ["CHILD"]),
        episodes=_canonical(episodes, codes.EPISODE_COLUMNS, codes.EPISODE_DATES, ["CHILD", "DECOM"]),
        repairs=_repairs(entries, episodes),
        problems=problems,
    )


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def quality_summary(repairs: pd.DataFrame) -> QualitySummary:
    """The repairs table in one sentence, e.g. "3 repairs and 1 dropped row touched
    0.4% of care days". ``merged`` lines (normal merging of years) are not counted;
    the share is the ``total`` row's (each day counted once), else the sum of the
    rules' shares (an upper bound), at most 1."""
    action = repairs["action"].astype("string")
    repaired = int(repairs.loc[action.eq("repaired").fillna(False).to_numpy(), "rows"].sum())
    dropped = int(repairs.loc[action.eq("dropped").fillna(False).to_numpy(), "rows"].sum())
    total = action.eq("total").fillna(False).to_numpy()
    counted = total if total.any() else action.isin(["repaired", "dropped"]).fillna(False).to_numpy()
    share = float(min(1.0, repairs.loc[counted, "share_of_care_days"].astype("float64").sum()))
    if repaired + dropped == 0:
        sentence = "No repairs were needed: every row of the extract was used as given."
    else:
        shown = "under 0.1%" if 0 < share < 0.0005 else f"{share:.1%}"
        sentence = (f"{_plural(repaired, 'repair')} and {_plural(dropped, 'dropped row')} "
                    f"touched {shown} of care days.")
    return QualitySummary(share=share, repaired_rows=repaired, dropped_rows=dropped, sentence=sentence,
                          needs_warning=share > WARNING_SHARE)


def _day(stamp: pd.Timestamp) -> str:
    return f"{stamp.day} {stamp:%B %Y}"


def nobody_in_care_reason(extract: Extract, date: pd.Timestamp | str) -> str | None:
    """None when some child is in care on ``date``; else one sentence saying why
    nobody is (extract-level dates only, no child-level values)."""
    day = pd.Timestamp(date)
    episodes = extract.episodes
    if len(episodes) and periods.open_on(episodes, day).any():
        return None
    dropped = extract.repairs.loc[extract.repairs["action"].eq("dropped"), "rows"].sum() if len(
        extract.repairs) else 0
    tail = f" ({_plural(int(dropped), 'row')} that could not be used were dropped)" if dropped else ""
    if episodes.empty:
        return f"No child is in care on {_day(day)}: the extract holds no usable episodes{tail}."
    if day > extract.end:
        return (f"No child is in care on {_day(day)}: the extract's last collection year ends on "
                f"{_day(extract.end)}, before that day.")
    if episodes["DECOM"].min() > day:
        return (f"No child is in care on {_day(day)}: the first episode in the extract starts on "
                f"{_day(episodes['DECOM'].min())}, after that day.")
    latest = episodes["DEC"].max()
    return (f"No child is in care on {_day(day)}: every episode in the extract has ceased by then; the latest "
            f"ends on {_day(latest)}{tail}.")
