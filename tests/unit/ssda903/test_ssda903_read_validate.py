"""Reading year folders, merging years, and the validator's exact problem lists."""

from __future__ import annotations

import pandas as pd
import pytest
from ssda903_helpers import EPISODES, write_year

from carebook.errors import InputError
from carebook.ssda903.read import folder_year, read_extract
from carebook.ssda903.validate import problem_counts

OK_HEADER = [f"A{i},1,01/01/2008,WBRI,,," for i in range(1, 12)]


def test_folder_names_give_the_collection_year():
    assert [folder_year(n) for n in ("2015", "2014-15", "2014_15", "2014-2015", "notes")] == [2015, 2015, 2015, 2015, None]


def test_years_merge_with_the_latest_row_winning(extract_dir):
    write_year(extract_dir, "2015", ["A1,1,01/01/2008,WBRI,,,"],
               ["A1,01/05/2014,S,V2,N4,Q2,PR1,,,,NG7 1,NG7 2,"])
    write_year(extract_dir, "2016", ["A1,1,01/01/2008,MWBC,,,"],  # ethnicity corrected the next year
               ["A1,01/05/2014,S,V2,N4,Q2,PR1,01/06/2015,X1,,NG7 1,NG7 2,",
                "A1,01/06/2015,P,C1,N4,U4,PR4,,,CARPL,NG7 1,NG5 2,"])
    extract = read_extract(extract_dir)
    assert extract.header[["CHILD", "ETHNIC"]].values.tolist() == [["A1", "MWBC"]]
    assert extract.episodes["DECOM"].tolist() == [pd.Timestamp("2014-05-01"), pd.Timestamp("2015-06-01")]
    assert extract.episodes["DEC"].tolist()[0] == pd.Timestamp("2015-06-01")
    assert pd.isna(extract.episodes["DEC"].tolist()[1])
    assert extract.episodes["REC"].tolist()[0] == "X1"
    assert (extract.start, extract.end) == (pd.Timestamp("2014-04-01"), pd.Timestamp("2016-03-31"))
    assert not extract.is_synthetic and extract.problems.empty


BROKEN_HEADER = [*OK_HEADER, "B,3,01/01/2010,WBRI,,,", "C,1,31/02/2010,WBRI,,,", "D,2,01/05/1996,WBRI,,,"]
BROKEN_EPISODES = [
    "A1,01/05/2015,S,V2,N1,U6,PR1,01/06/2015,X1,,,,",   # row 2: fine
    "A1,01/06/2015,P,C1,N1,K2,PR4,,,CARPL,,,",          # row 3: fine (open)
    "A1,01/07/2015,P,C1,N1,U4,PR1,,,CARPL,,,",          # row 4: starts while row 3 is open
    "E,01/05/2015,S,V2,N1,U6,PR1,,,,,,",                # row 5: no header row
    "D,01/06/2015,S,V2,N4,U6,PR1,,,,,,",                # row 6: 18 on 01/05/2014
    "A2,15/13/2015,S,V2,N1,U6,PR1,,,,,,",               # row 7: not a date
    "A3,01/05/2015,S,V2,N1,Q2,PR1,,,,,,",               # row 8: Q2 no longer in use
    "A4,01/05/2015,S,V2,N1,XX,PR1,,,,,,",               # row 9: unknown placement
    "A5,01/05/2015,S,V2,N1,T4,PR1,,,,,,",               # row 10: provider given for T4
    "A6,01/05/2015,S,V2,N1,U6,,,,,,,",                  # row 11: provider missing
    "A7,01/05/2015,P,V2,N1,U6,PR1,,,,,,",               # row 12: period of care not starting with S
    "A8,01/05/2015,S,V2,N1,U6,PR1,01/04/2015,E8,,,,",   # row 13: DEC before DECOM
    "A9,01/05/2015,S,V2,N1,U6,PR1,,E8,,,,",             # row 14: REC without DEC
    "A10,01/02/2015,P,C2,N1,Q2,PR1,,,,,,",              # row 15: fine (began before the extract)
    "A11,01/05/2015,S,V2,N1,U6,PR1,01/07/2015,X1,,,,",   # row 16: fine
    "A11,01/07/2015,S,V2,N1,U4,PR1,,,,,,",              # row 17: continues the period yet RNE = S
]
EXPECTED = [
    ("2016/episodes.csv", 4, "DECOM", "overlap"),
    ("2016/episodes.csv", 5, "CHILD", "no_header"),
    ("2016/episodes.csv", 6, "DECOM", "age_18"),
    ("2016/episodes.csv", 7, "DECOM", "date"),
    ("2016/episodes.csv", 8, "PLACE", "code"),
    ("2016/episodes.csv", 9, "PLACE", "code"),
    ("2016/episodes.csv", 10, "PLACE_PROVIDER", "provider"),
    ("2016/episodes.csv", 11, "PLACE_PROVIDER", "provider"),
    ("2016/episodes.csv", 12, "RNE", "period_start"),
    ("2016/episodes.csv", 13, "DEC", "dec_before_decom"),
    ("2016/episodes.csv", 14, "REC", "rec_dec"),
    ("2016/episodes.csv", 17, "RNE", "period_continues"),
    ("2016/header.csv", 13, "SEX", "code"),
    ("2016/header.csv", 14, "DOB", "date"),
]


def test_validator_reports_each_problem_with_file_row_and_field(extract_dir):
    write_year(extract_dir, "2016", BROKEN_HEADER, BROKEN_EPISODES)
    extract = read_extract(extract_dir, mode="lenient")
    found = sorted(extract.problems[["file", "row", "field", "rule"]].itertuples(index=False, name=None))
    assert found == EXPECTED
    messages = extract.problems.set_index("row")["message"]
    assert messages[8] == "expected a PLACE code in use on the episode's DECOM, got Q2"
    assert messages[9] == "expected a PLACE code from the 903 list, got XX"


def test_lenient_mode_drops_offending_rows_and_counts_them(extract_dir):
    write_year(extract_dir, "2016", BROKEN_HEADER, BROKEN_EPISODES)
    extract = read_extract(extract_dir, mode="lenient")
    assert extract.episodes["CHILD"].tolist() == ["A1", "A1", "A10", "A11"]
    assert set(extract.header["CHILD"]) == {"D", *[f"A{i}" for i in range(1, 12)]}
    counts = problem_counts(extract.problems).set_index(["kind", "rule", "field"])["rows"]
    assert counts[("episodes", "provider", "PLACE_PROVIDER")] == 2
    assert counts[("episodes", "code", "PLACE")] == 2
    assert counts.sum() == 14


def test_strict_mode_stops_with_the_first_problems(extract_dir):
    write_year(extract_dir, "2016", BROKEN_HEADER, BROKEN_EPISODES)
    with pytest.raises(InputError) as error:
        read_extract(extract_dir, mode="strict")
    text = str(error.value)
    assert "the 903 extract has 14 problem(s); first 10:" in text
    assert "2016/episodes.csv row 4 DECOM: expected episodes of a child not to overlap" in text
    assert "\n" not in text


BROKEN_FILES = {
    "bad dates": ("episodes", EPISODES + "\nA1,31/02/2015,S,V2,N1,U6,PR1,,,,,,\n",
                  "2016/episodes.csv row 2 DECOM: expected a real date, got 31/02/2015"),
    "unknown codes": ("episodes", EPISODES + "\nA1,01/05/2015,S,V9,N1,U6,PR1,,,,,,\n",
                      "LS: expected a LS code from the 903 list, got V9"),
    "overlapping episodes": ("episodes", EPISODES + "\nA1,01/05/2015,S,V2,N1,U6,PR1,01/08/2015,X1,,,,"
                             "\nA1,01/07/2015,P,V2,N1,U4,PR1,,,CARPL,,,\n", "not to overlap"),
    "missing column": ("episodes", EPISODES.replace(",PLACE,", ",") + "\nA1,01/05/2015,S,V2,N1,PR1,,,,,,\n",
                       "expected column(s) PLACE of the 903 episodes file; missing"),
    "wrong delimiter": ("episodes", EPISODES.replace(",", ";") + "\nA1;01/05/2015;S;V2;N1;U6;PR1;;;;;;\n",
                        "expected comma-separated values, found semicolon-separated columns"),
    "empty file": ("header", "", "expected a 903 header file with a line of column names; the file is empty"),
    "column names only": ("episodes", EPISODES + "\n", "the file has only column names"),
    "not a 903 file": ("header", "name,age\nAnn,4\n", "not a 903 header file: expected columns CHILD, SEX"),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_broken_extracts_give_one_clear_error(extract_dir, case):
    kind, text, expected = BROKEN_FILES[case]
    folder = write_year(extract_dir, "2016", ["A1,1,01/01/2008,WBRI,,,"], ["A1,01/05/2015,S,V2,N1,U6,PR1,,,,,,"])
    (folder / f"{kind}.csv").write_text(text)
    with pytest.raises(InputError) as error:
        read_extract(extract_dir, mode="strict")
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_a_folder_without_year_folders_is_a_clear_error(tmp_path):
    (tmp_path / "misc").mkdir()
    with pytest.raises(InputError, match="expected one folder per collection year"):
        read_extract(tmp_path)


def test_missing_episodes_file_is_a_clear_error(extract_dir):
    folder = write_year(extract_dir, "2016", ["A1,1,01/01/2008,WBRI,,,"], [])
    (folder / "episodes.csv").unlink()
    with pytest.raises(InputError, match="expected a file episodes.csv"):
        read_extract(extract_dir)


def test_lenient_mode_keeps_the_good_rows_of_a_file_with_bad_dates(extract_dir):
    write_year(extract_dir, "2016", ["A1,1,01/01/2008,WBRI,,,", "A2,2,01/01/2009,WBRI,,,"],
               ["A1,31/04/2015,S,V2,N1,U6,PR1,,,,,,", "A2,01/05/2015,S,V2,N1,U6,PR1,,,,,,"])
    extract = read_extract(extract_dir, mode="lenient")
    assert extract.episodes["CHILD"].tolist() == ["A2"]
    assert extract.problems[["row", "field", "rule"]].values.tolist() == [[2, "DECOM", "date"]]


def test_values_padded_with_spaces_are_trimmed(extract_dir):
    write_year(extract_dir, "2016", ["A1 , 1,01/01/2008,WBRI,,,"], ["A1,01/05/2015 ,S, V2,N1,U6,PR1,,,,NG7 1,NG7 2,"])
    extract = read_extract(extract_dir)
    assert extract.header["CHILD"].tolist() == ["A1"]
    assert extract.episodes[["LS", "HOME_POST"]].values.tolist() == [["V2", "NG7 1"]]
    assert pd.isna(extract.episodes["DEC"].iloc[0])


def test_a_ragged_file_is_a_clear_error(extract_dir):
    folder = write_year(extract_dir, "2016", ["A1,1,01/01/2008,WBRI,,,"], ["A1,01/05/2015,S,V2,N1,U6,PR1,,,,,,"])
    (folder / "episodes.csv").write_text(EPISODES + "\nA1,01/05/2015,S,V2,N1,U6,PR1,,,,,,,,,,,\n")
    with pytest.raises(InputError, match="expected a well-formed CSV file"):
        read_extract(extract_dir)


def test_a_row_longer_than_the_others_is_a_clear_error(extract_dir):
    folder = write_year(extract_dir, "2016", ["A1,1,01/01/2008,WBRI,,,"], ["A1,01/05/2015,S,V2,N1,U6,PR1,,,,,,"])
    (folder / "episodes.csv").write_text(EPISODES + "\nA1,01/05/2015,S,V2,N1,U6,PR1,,,,,,\nA2,x,,,,,,,,,,,,,,\n")
    with pytest.raises(InputError, match="expected a well-formed CSV file: Error tokenizing data"):
        read_extract(extract_dir)
