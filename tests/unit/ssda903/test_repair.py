"""Repair, don't drop: a corpus of faulty extracts, each worked by hand (the repairs
made, the days of care in each collection year and the children in care at each
31 March), the strict mode, the quality summary and lenient mode on garbage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ssda903_helpers import write_year

from carebook.errors import InputError
from carebook.ssda903 import codes, periods
from carebook.ssda903.extract import Extract
from carebook.ssda903.read import read_extract, read_raw
from carebook.ssda903.repair import (
    care_days, latest_rows, nobody_in_care_reason, quality_summary, repair_extract,
)  # fmt: skip


def ep(child: str, decom: str, rne: str = "S", place: str = "U4", provider: str = "PR1", dec: str = "",
       rec: str = "", ls: str = "C2", cin: str = "N1") -> str:
    """One episodes.csv line (dates ISO as the reader hands them on)."""
    return f"{child},{decom},{rne},{ls},{cin},{place},{provider},{dec},{rec},,,,"


def hd(child: str, dob: str = "2012-01-01", sex: str = "1") -> str:
    """One header.csv line."""
    return f"{child},{sex},{dob},WBRI,,,"


def raw(rows: list[dict], columns: tuple[str, ...], file: str, year: int = 2024) -> pd.DataFrame:
    """Raw reader output built directly: text columns (NA where blank), ``_file``,
    ``_row`` (line 2 onwards), ``_year``."""
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=list(columns)).astype("string")
    return frame.assign(_file=file, _row=np.arange(2, len(rows) + 2), _year=year)


def measure(episodes: pd.DataFrame, years: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Days of care in each collection year and children in care at each 31 March."""
    days = {y: int(care_days(episodes["DECOM"], episodes["DEC"], *codes.year_span(y)).sum()) for y in years}
    in_care = {y: int(episodes.loc[periods.open_on(episodes, codes.year_span(y)[1]), "CHILD"].nunique())
               for y in years}
    return days, in_care


# Each case: folders {year: (header lines, episode lines)}, the repairs expected
# {rule: rows}, days of care per collection year, children in care at each 31 March.
# Collection year 2024 runs 1 April 2023 - 31 March 2024 (366 days, 2024 is a leap year).
CASES: dict[str, dict] = {
    # open from 1 June 2023 (305 days to 31 March 2024); its REC E8 is ignored
    "rec_on_open_episode": dict(
        folders={2024: ([hd("A")], [ep("A", "2023-06-01", rec="E8")])},
        repairs={"rec_open": 1}, days={2024: 305}, in_care={2024: 1}),
    # U4 (in use from 1 April 2015) on an episode opened in June 2014, open in both years
    "u4_opened_2014_still_open": dict(
        folders={2023: ([hd("A", "2010-01-01")], [ep("A", "2014-06-01", place="U4")]),
                 2024: ([hd("A", "2010-01-01")], [ep("A", "2014-06-01", place="U4")])},
        repairs={"merged": 1, "place_not_in_use": 1}, days={2023: 365, 2024: 366}, in_care={2023: 1, 2024: 1}),
    # P2 was in use when the episode started (withdrawn 27 October 2023): no problem at all
    "p2_opened_2022_still_open": dict(
        folders={2023: ([hd("A", "2007-06-01")], [ep("A", "2022-09-01", place="P2", provider="PR4")]),
                 2024: ([hd("A", "2007-06-01")], [ep("A", "2022-09-01", place="P2", provider="PR4")])},
        repairs={"merged": 1}, days={2023: 212, 2024: 366}, in_care={2023: 1, 2024: 1}),
    # 1 May - 1 Sep and 1 Aug - open overlap: cut at 1 Aug (92 days) + 244 = 336, each day once
    "overlapping_episodes": dict(
        folders={2024: ([hd("A")], [ep("A", "2023-05-01", dec="2023-09-01", rec="X1"),
                                     ep("A", "2023-08-01", rne="P", place="U6")])},
        repairs={"overlap": 1}, days={2024: 336}, in_care={2024: 1}),
    # the header row and the episode row each written twice
    "exact_duplicates": dict(
        folders={2024: ([hd("A"), hd("A")], [ep("A", "2023-10-01", place="U6"), ep("A", "2023-10-01", place="U6")])},
        repairs={"duplicate_row": 2}, days={2024: 183}, in_care={2024: 1}),
    # three rows for one episode: the one with DEC (1 June - 1 December, 183 days) is kept
    "conflicting_duplicate_episode": dict(
        folders={2024: ([hd("A")], [ep("A", "2023-06-01"), ep("A", "2023-06-01", dec="2023-12-01", rec="E4A"),
                                     ep("A", "2023-06-01", place="K2", provider="PR4")])},
        repairs={"duplicate_conflict": 2}, days={2024: 183}, in_care={2024: 0}),
    # DOB differs between the years: 2024's wins
    "conflicting_dob": dict(
        folders={2023: ([hd("A", "2010-01-01")], [ep("A", "2022-05-01")]),
                 2024: ([hd("A", "2010-02-01")], [ep("A", "2022-05-01")])},
        repairs={"merged": 1, "header_conflict": 1}, days={2023: 335, 2024: 366}, in_care={2023: 1, 2024: 1}),
    # U and f are valid SEX values; 9 is not (set to not known)
    "sex_u": dict(
        folders={2024: ([hd("A", sex="U"), hd("B", sex="f"), hd("C", sex="9")],
                        [ep("A", "2023-04-01"), ep("B", "2023-04-01"), ep("C", "2023-04-01")])},
        repairs={"sex": 1}, days={2024: 1098}, in_care={2024: 3}),
    # an unknown placement keeps its 275 days (1 July - 31 March) with PLACE unknown
    "unknown_place": dict(
        folders={2024: ([hd("A")], [ep("A", "2023-07-01", place="ZZ")])},
        repairs={"unknown_place": 1}, days={2024: 275}, in_care={2024: 1}),
    # the child's first episode (inside the extract) starts with RNE P
    "no_rne_s": dict(
        folders={2024: ([hd("A")], [ep("A", "2023-05-01", rne="P")])},
        repairs={"period_start": 1}, days={2024: 336}, in_care={2024: 1}),
    # 18 on 15 September 2023: the open episode ends then (137 days kept); the one
    # starting 1 October (183 days) is dropped
    "after_18th_birthday": dict(
        folders={2024: ([hd("A", "2005-09-15")], [ep("A", "2023-05-01"), ep("A", "2023-10-01", rne="P")])},
        repairs={"after_18": 1, "cut_at_18": 1}, days={2024: 137}, in_care={2024: 0}),
    # B has no header row: kept, age and sex unknown
    "missing_header": dict(
        folders={2024: ([hd("A")], [ep("A", "2023-04-01"), ep("B", "2023-04-01")])},
        repairs={"no_header": 1}, days={2024: 732}, in_care={2024: 2}),
    # a row without CHILD (it would have had 30 days) is dropped
    "no_child": dict(
        folders={2024: ([hd("A")], [ep("A", "2023-04-01"), ep("", "2023-06-01", dec="2023-07-01", rec="E8")])},
        repairs={"no_child": 1}, days={2024: 366}, in_care={2024: 1}),
    # DEC before DECOM: dropped with 0 days
    "dec_before_decom": dict(
        folders={2024: ([hd("A"), hd("B")], [ep("A", "2023-06-01", dec="2023-05-01", rec="E8"),
                                              ep("B", "2023-04-01")])},
        repairs={"dec_before_decom": 1}, days={2024: 366}, in_care={2024: 1}),
    # DECOM 30 February and DECOM "yesterday": dropped
    "garbage_decom": dict(
        folders={2024: ([hd("A"), hd("B"), hd("C")], [ep("A", "2023-02-30"), ep("B", "yesterday"),
                                                       ep("C", "2023-04-01")])},
        repairs={"decom_date": 2}, days={2024: 366}, in_care={2024: 1}),
}


def _eighty_six() -> dict:
    """86 children, each open on 31 March 2024 with one benign fault (i % 8):
    0 REC on the open episode, 1 U4 opened 2014 (both years), 2 overlapping
    episodes, 3 no header row, 4 SEX u, 5 no RNE S, 6 provider for Z1, 7 CIN N9."""
    header: dict[int, list[str]] = {2023: [], 2024: []}
    episodes: dict[int, list[str]] = {2023: [], 2024: []}
    for i in range(86):  # test data: one child at a time is clearest
        child, fault = f"C{i:02d}", i % 8
        if fault != 3:
            header[2024].append(hd(child, sex="u" if fault == 4 else "1"))
        rows = {0: [ep(child, "2023-06-01", rec="E8")],
                1: [ep(child, "2014-06-01")],
                2: [ep(child, "2023-05-01", dec="2023-09-01", rec="X1"), ep(child, "2023-08-01", rne="P")],
                5: [ep(child, "2023-06-01", rne="P")],
                6: [ep(child, "2023-06-01", place="Z1")],
                7: [ep(child, "2023-06-01", cin="N9")]}.get(fault, [ep(child, "2023-06-01")])
        episodes[2024] += rows
        if fault == 1:
            header[2023].append(hd(child))
            episodes[2023] += rows
    # days 2024: faults 0, 3, 4, 5, 6, 7 from 1 June (305 days; 11 + 11 + 11 + 11 + 10 + 10 children),
    # 1 all year (11 x 366), 2 from 1 May (11 x 336); 2023: fault 1 all year (11 x 365)
    return dict(folders={y: (header[y], episodes[y]) for y in (2023, 2024)},
                repairs={"merged": 11, "rec_open": 11, "place_not_in_use": 11, "overlap": 11, "no_header": 11,
                         "period_start": 11, "provider": 10, "unknown_code": 10},
                days={2023: 4015, 2024: 305 * 64 + 366 * 11 + 336 * 11}, in_care={2023: 11, 2024: 86})


CASES["eighty_six_children_stay_in_care"] = _eighty_six()


def _read_case(root: Path, case: dict, mode: str = "lenient"):
    for year, (header, episodes) in case["folders"].items():  # a few year folders
        write_year(root, str(year), header, episodes)
    raw = read_raw(root)
    header_raw, episodes_raw, years = raw.header, raw.episodes, raw.years
    start, end = codes.year_span(years[0])[0], codes.year_span(years[-1])[1]
    return repair_extract(header_raw, episodes_raw, start, end, mode=mode, source=str(root)), years, episodes_raw


@pytest.mark.parametrize("name", list(CASES))
def test_each_faulty_extract_is_repaired_as_worked_by_hand(name, extract_dir):
    case = CASES[name]
    repaired, years, _ = _read_case(extract_dir, case)
    rules = repaired.repairs[repaired.repairs["action"] != "total"]
    assert dict(zip(rules["rule"], rules["rows"])) == case["repairs"]
    days, in_care = measure(repaired.episodes, years)
    assert days == case["days"]
    assert in_care == case["in_care"]


@pytest.mark.parametrize("name", list(CASES))
def test_no_case_loses_days_of_rows_without_a_fault(name, extract_dir):
    """Days of care of the rows not named in the problem log, read as given (latest
    year winning), are all still there after repair."""
    repaired, years, episodes_raw = _read_case(extract_dir, CASES[name])
    faulty = pd.MultiIndex.from_frame(repaired.problems[["file", "row"]])
    clean = episodes_raw[~pd.MultiIndex.from_frame(episodes_raw[["_file", "_row"]]).isin(faulty)]
    clean = latest_rows(clean, ["CHILD", "DECOM"])
    decom = pd.to_datetime(clean["DECOM"], format="%Y-%m-%d")
    dec = pd.to_datetime(clean["DEC"], format="%Y-%m-%d")
    start, end = codes.year_span(years[0])[0], codes.year_span(years[-1])[1]
    kept = care_days(repaired.episodes["DECOM"], repaired.episodes["DEC"], start, end).sum()
    assert kept >= care_days(decom, dec, start, end).sum()


def test_problem_log_names_file_row_and_field_but_no_values(extract_dir):
    names = ["sex_u", "garbage_decom", "conflicting_dob", "after_18th_birthday", "eighty_six_children_stay_in_care"]
    for name in names:  # a few cases into one folder each
        repaired, _, _ = _read_case(extract_dir / name, CASES[name])
        text = " ".join(repaired.problems["message"])
        assert text.startswith("row ")
        for value in ("2010-01-01", "2005-09-15", "2023-02-30", "yesterday", "C03", " A,", "9;"):
            assert value not in text
    first = repaired.problems.iloc[0]
    assert first["message"] == ("row 2 of 2024/episodes.csv, field REC: expected REC only when the episode "
                                "has ceased (DEC given); REC ignored")


def test_care_days_and_shares_of_each_rule(extract_dir):
    repaired, _, _ = _read_case(extract_dir, CASES["after_18th_birthday"])
    table = repaired.repairs.set_index("rule")
    # kept 137 days + 183 days the dropped episode would have had = 320 days of care in all
    assert table.loc["cut_at_18", ["rows", "children", "care_days"]].tolist() == [1, 1, 137]
    assert table.loc["after_18", ["action", "care_days"]].tolist() == ["dropped", 183]
    assert table.loc["total", ["rows", "children", "care_days"]].tolist() == [2, 1, 320]
    assert table.loc["after_18", "share_of_care_days"] == pytest.approx(183 / 320)
    assert table.loc["total", "share_of_care_days"] == pytest.approx(1.0)
    overlap, _, _ = _read_case(extract_dir / "overlap", CASES["overlapping_episodes"])
    row = overlap.repairs.set_index("rule").loc["overlap"]
    assert (row["care_days"], row["share_of_care_days"]) == (92, pytest.approx(92 / 336))
    assert overlap.episodes["REC"].tolist()[0] == "X1"  # the next episode continues the period
    assert overlap.episodes["DEC"].tolist()[0] == pd.Timestamp("2023-08-01")


def test_repaired_values(extract_dir):
    sex, _, _ = _read_case(extract_dir / "sex", CASES["sex_u"])
    assert sex.header["SEX"].fillna("blank").tolist() == ["U", "2", "blank"]
    dob, _, _ = _read_case(extract_dir / "dob", CASES["conflicting_dob"])
    assert dob.header["DOB"].tolist() == [pd.Timestamp("2010-02-01")]
    dup, _, _ = _read_case(extract_dir / "dup", CASES["conflicting_duplicate_episode"])
    assert dup.episodes[["PLACE", "REC"]].values.tolist() == [["U4", "E4A"]]
    place, _, _ = _read_case(extract_dir / "place", CASES["unknown_place"])
    assert place.episodes["PLACE"].isna().tolist() == [True]
    missing, _, _ = _read_case(extract_dir / "missing", CASES["missing_header"])
    assert missing.header["CHILD"].tolist() == ["A", "B"]
    assert missing.header["DOB"].isna().tolist() == [False, True]
    rec, _, _ = _read_case(extract_dir / "rec", CASES["rec_on_open_episode"])
    assert rec.episodes["REC"].isna().tolist() == [True]


def test_an_open_episode_before_a_new_period_is_closed_without_x1():
    header = raw([{"CHILD": "A", "SEX": "2", "DOB": "2012-01-01"}], codes.HEADER_COLUMNS, "2024/header.csv")
    base = {"CHILD": "A", "LS": "V2", "CIN": "N1", "PLACE": "U6", "PLACE_PROVIDER": "PR1"}
    episodes = raw([{**base, "DECOM": "2023-05-01", "RNE": "S"}, {**base, "DECOM": "2023-09-01", "RNE": "S"},
                    {**base, "DECOM": "2023-11-01", "RNE": "P", "DEC": "2023-12-01"},
                    {**base, "DECOM": "2023-12-01", "RNE": "T", "DEC": "2024-01-01", "REC": "E4A"}],
                   codes.EPISODE_COLUMNS, "2024/episodes.csv")
    repaired = repair_extract(header, episodes, pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"))
    # first: closed 1 September, REC blank (the next starts a period); second: closed 1 November, X1;
    # third: DEC without REC, the next starts that day and continues: X1
    assert repaired.episodes["DEC"].tolist() == [pd.Timestamp(d) for d in
                                                 ("2023-09-01", "2023-11-01", "2023-12-01", "2024-01-01")]
    assert repaired.episodes["REC"].fillna("-").tolist() == ["-", "X1", "X1", "E4A"]
    assert dict(zip(repaired.repairs["rule"], repaired.repairs["rows"])) == {
        "rec_missing": 1, "open_before_next": 2, "total": 3}
    assert periods.periods_of_care(repaired.episodes)["episodes"].tolist() == [1, 3]


def test_strict_mode_lists_the_first_problems_without_values(extract_dir):
    with pytest.raises(InputError) as error:
        _read_case(extract_dir, CASES["eighty_six_children_stay_in_care"], mode="strict")
    text = str(error.value)
    assert "the 903 extract has 75 problem(s); first 10: row 2 of 2024/episodes.csv, field REC:" in text
    assert "(rule rec_open)" in text and "\n" not in text and "C00" not in text
    clean, _, _ = _read_case(extract_dir / "p2", CASES["p2_opened_2022_still_open"], mode="strict")
    assert clean.problems.empty and len(clean.episodes) == 1


def test_read_extract_repairs_instead_of_dropping(extract_dir):
    for year, (header, episodes) in CASES["eighty_six_children_stay_in_care"]["folders"].items():
        write_year(extract_dir, str(year), header, episodes)
    extract = read_extract(extract_dir, mode="lenient")
    assert periods.open_on(extract.episodes, "2024-03-31").sum() == 86
    assert extract.years == (2023, 2024)
    assert set(extract.header["CHILD"]) == {f"C{i:02d}" for i in range(86)}
    assert nobody_in_care_reason(extract, pd.Timestamp("2024-03-31")) is None


# The old validator's mixed file, now repaired: rows 2-17 of 2016/episodes.csv.
MIXED_HEADER = [*[f"A{i},1,2008-01-01,WBRI,,," for i in range(1, 12)], "B,3,2010-01-01,WBRI,,,",
                "C,1,2010-02-31,WBRI,,,", "D,2,1996-05-01,WBRI,,,"]
MIXED_EPISODES = [
    "A1,2015-05-01,S,V2,N1,U6,PR1,2015-06-01,X1,,,,",   # row 2: fine
    "A1,2015-06-01,P,C1,N1,K2,PR4,,,CARPL,,,",          # row 3: open, yet row 4 follows: closed there
    "A1,2015-07-01,P,C1,N1,U4,PR1,,,CARPL,,,",          # row 4: fine
    "E,2015-05-01,S,V2,N1,U6,PR1,,,,,,",                # row 5: no header row
    "D,2015-06-01,S,V2,N4,U6,PR1,,,,,,",                # row 6: 18 on 2014-05-01: dropped
    "A2,2015-13-15,S,V2,N1,U6,PR1,,,,,,",               # row 7: not a date: dropped
    "A3,2015-05-01,S,V2,N1,Q2,PR1,,,,,,",               # row 8: Q2 no longer in use on DECOM
    "A4,2015-05-01,S,V2,N1,XX,PR1,,,,,,",               # row 9: unknown placement
    "A5,2015-05-01,S,V2,N1,T4,PR1,,,,,,",               # row 10: provider given for T4
    "A6,2015-05-01,S,V2,N1,U6,,,,,,,",                  # row 11: provider missing
    "A7,2015-05-01,P,V2,N1,U6,PR1,,,,,,",               # row 12: period of care not starting with S
    "A8,2015-05-01,S,V2,N1,U6,PR1,2015-04-01,E8,,,,",   # row 13: DEC before DECOM: dropped
    "A9,2015-05-01,S,V2,N1,U6,PR1,,E8,,,,",             # row 14: REC without DEC
    "A10,2015-02-01,P,C2,N1,Q2,PR1,,,,,,",              # row 15: fine (began before the extract)
    "A11,2015-05-01,S,V2,N1,U6,PR1,2015-07-01,X1,,,,",  # row 16: fine
    "A11,2015-07-01,S,V2,N1,U4,PR1,,,,,,",              # row 17: continues the period yet RNE = S
]
MIXED_EXPECTED = [
    ("2016/episodes.csv", 3, "DEC", "open_before_next", "repaired"),
    ("2016/episodes.csv", 5, "CHILD", "no_header", "repaired"),
    ("2016/episodes.csv", 6, "DECOM", "after_18", "dropped"),
    ("2016/episodes.csv", 7, "DECOM", "decom_date", "dropped"),
    ("2016/episodes.csv", 8, "PLACE", "place_not_in_use", "repaired"),
    ("2016/episodes.csv", 9, "PLACE", "unknown_place", "repaired"),
    ("2016/episodes.csv", 10, "PLACE_PROVIDER", "provider", "repaired"),
    ("2016/episodes.csv", 11, "PLACE_PROVIDER", "provider", "repaired"),
    ("2016/episodes.csv", 12, "RNE", "period_start", "repaired"),
    ("2016/episodes.csv", 13, "DEC", "dec_before_decom", "dropped"),
    ("2016/episodes.csv", 14, "REC", "rec_open", "repaired"),
    ("2016/episodes.csv", 17, "RNE", "period_continues", "repaired"),
    ("2016/header.csv", 13, "SEX", "sex", "repaired"),
    ("2016/header.csv", 14, "DOB", "dob", "repaired"),
]


def test_a_mixed_file_keeps_every_usable_row_and_logs_each_fault(extract_dir):
    write_year(extract_dir, "2016", MIXED_HEADER, MIXED_EPISODES)
    extract = read_extract(extract_dir, mode="lenient")
    found = sorted(extract.problems[["file", "row", "field", "rule", "action"]].itertuples(index=False, name=None))
    assert found == MIXED_EXPECTED
    assert extract.episodes["CHILD"].tolist() == ["A1", "A1", "A1", "A10", "A11", "A11", "A3", "A4", "A5",
                                                  "A6", "A7", "A9", "E"]
    # 31 March 2016: every kept episode but A1's first two and A11's first is open: 10 children
    assert periods.open_on(extract.episodes, "2016-03-31").sum() == 10
    summary = quality_summary(extract.repairs)
    assert summary.sentence.startswith("11 repairs and 3 dropped rows touched ")
    assert summary.needs_warning


def test_quality_summary_sentence_and_warning():
    table = pd.DataFrame({
        "rule": ["merged", "rec_open", "no_child", "total"], "action": ["merged", "repaired", "dropped", "total"],
        "rows": [40, 3, 1, 4], "children": [40, 3, 0, 3], "care_days": [9000, 30, 10, 40],
        "share_of_care_days": [0.9, 0.003, 0.001, 0.004], "description": ["", "", "", ""],
    })  # fmt: skip
    summary = quality_summary(table)
    assert summary.sentence == "3 repairs and 1 dropped row touched 0.4% of care days."
    assert (summary.share, summary.needs_warning) == (0.004, False)
    assert quality_summary(table.assign(share_of_care_days=[0.5, 0.02, 0.001, 0.021])).needs_warning
    none = quality_summary(table.iloc[:1])
    assert none.sentence == "No repairs were needed: every row of the extract was used as given."


def test_nobody_in_care_says_why(extract_dir):
    repaired, _, _ = _read_case(extract_dir, CASES["conflicting_duplicate_episode"])
    extract = Extract(header=repaired.header, episodes=repaired.episodes, is_synthetic=False, source="",
                      start=pd.Timestamp("2023-04-01"), end=pd.Timestamp("2024-03-31"), repairs=repaired.repairs)
    assert nobody_in_care_reason(extract, pd.Timestamp("2024-03-31")) == (
        "No child is in care on 31 March 2024: every episode in the extract has ceased by then; "
        "the latest ends on 1 December 2023.")
    assert nobody_in_care_reason(extract, pd.Timestamp("2025-03-31")) == (
        "No child is in care on 31 March 2025: the extract's last collection year ends on 31 March 2024, "
        "before that day.")
    assert nobody_in_care_reason(extract, pd.Timestamp("2023-07-01")) is None
    emptied, _, _ = _read_case(extract_dir / "garbage", {"folders": {2024: ([hd("A")], [ep("A", "2023-02-30")])}})
    empty = Extract(header=emptied.header, episodes=emptied.episodes, is_synthetic=False, source="",
                    start=pd.Timestamp("2023-04-01"), end=pd.Timestamp("2024-03-31"), repairs=emptied.repairs)
    assert nobody_in_care_reason(empty, pd.Timestamp("2024-03-31")) == (
        "No child is in care on 31 March 2024: the extract holds no usable episodes (1 row that could not "
        "be used were dropped).")


def _garbage(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw frames of random valid, blank and nonsense values, odd dtypes included."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 40))
    pick = lambda values: rng.choice(np.array(values, dtype=object), n)  # noqa: E731
    dates = ["2015-05-01", "2016-02-29", "2015-02-29", "", None, "01/05/2015", "2262-01-01", "0001-01-01",
             "2014-04-01", "2016-03-31", "nonsense"]
    episodes = pd.DataFrame({
        "CHILD": pick(["A", "B", "C", "", None, "A "]), "DECOM": pick(dates), "RNE": pick(["S", "P", "x", None]),
        "LS": pick(["C2", "V2", None, "??"]), "CIN": pick(["N1", "N9", None]),
        "PLACE": pick(["U4", "Q2", "K3", "P2", "T4", "ZZ", None]), "PLACE_PROVIDER": pick(["PR1", None, "PR9"]),
        "DEC": pick(dates), "REC": pick(["X1", "E8", "E4A", None, "Q"]), "REASON_PLACE_CHANGE": pick([None, "??"]),
        "_file": "2016/episodes.csv", "_row": np.arange(2, n + 2), "_year": pick([2015, 2016]),
    })  # fmt: skip
    header = pd.DataFrame({"CHILD": pick(["A", "B", None, "D"]), "SEX": pick(["1", "m", "U", "7", None]),
                           "DOB": pick(dates), "_file": "2016/header.csv", "_row": np.arange(2, n + 2),
                           "_year": pick([2015, 2016])})
    if seed % 3 == 0:  # dtype surprises: all-NA float columns, a datetime column, numbers
        episodes = episodes.assign(DEC=np.nan, URN=1.5, DECOM=pd.to_datetime(episodes["DECOM"], errors="coerce",
                                                                             format="%Y-%m-%d"))
        header = header.assign(DOB=pd.Series(np.nan, index=header.index), MC_DOB=pd.NaT)
    return header, episodes


@pytest.mark.parametrize("seed", range(24))
def test_lenient_mode_never_crashes_on_garbage(seed):
    header, episodes = _garbage(seed)
    repaired = repair_extract(header, episodes, pd.Timestamp("2014-04-01"), pd.Timestamp("2016-03-31"))
    assert repaired.episodes.columns.tolist() == list(codes.EPISODE_COLUMNS)
    assert str(repaired.episodes["DECOM"].dtype) == "datetime64[ns]"
    assert repaired.episodes["DECOM"].notna().all()
    assert not repaired.episodes.duplicated(["CHILD", "DECOM"]).any()
    ordered = repaired.episodes  # sorted by CHILD, DECOM: no episode ends after the next one starts
    next_start = ordered["DECOM"].shift(-1).where(ordered["CHILD"].eq(ordered["CHILD"].shift(-1)))
    assert not (ordered["DEC"].isna() & next_start.notna()).any()
    assert not (ordered["DEC"] > next_start).fillna(False).any()
    assert set(repaired.episodes["CHILD"]) <= set(repaired.header["CHILD"])
    quality_summary(repaired.repairs)
    assert repaired.repairs["share_of_care_days"].between(0, 1).all()
