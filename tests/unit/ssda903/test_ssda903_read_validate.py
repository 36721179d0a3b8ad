"""Reading year folders, merging years, and clear errors for broken files (dates ISO
yyyy-mm-dd as the reader hands them on; the repair rules are tested in test_repair.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from ssda903_helpers import EPISODES, write_year

from carebook.errors import InputError
from carebook.ssda903.read import folder_year, read_extract

OK_HEADER = [f"A{i},1,2008-01-01,WBRI,,," for i in range(1, 12)]


def test_folder_names_give_the_collection_year():
    assert [folder_year(n) for n in ("2015", "2014-15", "2014_15", "2014-2015", "notes")] == [2015, 2015, 2015, 2015, None]


def test_years_merge_with_the_latest_row_winning(extract_dir):
    write_year(extract_dir, "2015", ["A1,1,2008-01-01,WBRI,,,"],
               ["A1,2014-05-01,S,V2,N4,Q2,PR1,,,,NG7 1,NG7 2,"])
    write_year(extract_dir, "2016", ["A1,1,2008-01-01,MWBC,,,"],  # ethnicity corrected the next year
               ["A1,2014-05-01,S,V2,N4,Q2,PR1,2015-06-01,X1,,NG7 1,NG7 2,",
                "A1,2015-06-01,P,C1,N4,U4,PR4,,,CARPL,NG7 1,NG5 2,"])
    extract = read_extract(extract_dir)
    assert extract.header[["CHILD", "ETHNIC"]].values.tolist() == [["A1", "MWBC"]]
    assert extract.episodes["DECOM"].tolist() == [pd.Timestamp("2014-05-01"), pd.Timestamp("2015-06-01")]
    assert extract.episodes["DEC"].tolist()[0] == pd.Timestamp("2015-06-01")
    assert pd.isna(extract.episodes["DEC"].tolist()[1])
    assert extract.episodes["REC"].tolist()[0] == "X1"
    assert (extract.start, extract.end) == (pd.Timestamp("2014-04-01"), pd.Timestamp("2016-03-31"))
    assert not extract.is_synthetic and extract.problems.empty
    assert extract.repairs[["rule", "rows"]].values.tolist() == [["merged", 1]]  # the 2015 copy: normal


BROKEN_FILES = {
    "bad dates": ("episodes", EPISODES + "\nA1,2015-13-01,S,V2,N1,U6,PR1,,,,,,\n",
                  "row 2 of 2016/episodes.csv, field DECOM: expected a date yyyy-mm-dd"),
    "unknown codes": ("episodes", EPISODES + "\nA1,2015-05-01,S,V9,N1,U6,PR1,,,,,,\n",
                      "row 2 of 2016/episodes.csv, field LS: expected a code from the 903 list"),
    "overlapping episodes": ("episodes", EPISODES + "\nA1,2015-05-01,S,V2,N1,U6,PR1,2015-08-01,X1,,,,"
                             "\nA1,2015-07-01,P,V2,N1,U4,PR1,,,CARPL,,,\n",
                             "field DEC: expected DEC on or before the start of the child's next episode"),
    "missing column": ("episodes", EPISODES.replace(",PLACE,", ",") + "\nA1,2015-05-01,S,V2,N1,PR1,,,,,,\n",
                       "expected column(s) PLACE of the 903 episodes file; missing"),
    "wrong delimiter": ("episodes", EPISODES.replace(",", ";") + "\nA1;2015-05-01;S;V2;N1;U6;PR1;;;;;;\n",
                        "expected comma-separated values, found semicolon-separated columns"),
    "empty file": ("header", "", "expected a 903 header file with a line of column names; the file is empty"),
    "column names only": ("episodes", EPISODES + "\n", "the file has only column names"),
    "not a 903 file": ("header", "name,age\nAnn,4\n", "not a 903 header file: expected columns CHILD, SEX"),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_broken_extracts_give_one_clear_error(extract_dir, case):
    kind, text, expected = BROKEN_FILES[case]
    folder = write_year(extract_dir, "2016", ["A1,1,2008-01-01,WBRI,,,"], ["A1,2015-05-01,S,V2,N1,U6,PR1,,,,,,"])
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
    folder = write_year(extract_dir, "2016", ["A1,1,2008-01-01,WBRI,,,"], [])
    (folder / "episodes.csv").unlink()
    with pytest.raises(InputError, match="expected a file episodes.csv"):
        read_extract(extract_dir)


def test_values_padded_with_spaces_are_trimmed(extract_dir):
    write_year(extract_dir, "2016", ["A1 , 1,2008-01-01,WBRI,,,"], ["A1,2015-05-01 ,S, V2,N1,U6,PR1,,,,NG7 1,NG7 2,"])
    extract = read_extract(extract_dir)
    assert extract.header["CHILD"].tolist() == ["A1"]
    assert extract.episodes[["LS", "HOME_POST"]].values.tolist() == [["V2", "NG7 1"]]
    assert pd.isna(extract.episodes["DEC"].iloc[0])


def test_a_ragged_file_is_a_clear_error(extract_dir):
    folder = write_year(extract_dir, "2016", ["A1,1,2008-01-01,WBRI,,,"], ["A1,2015-05-01,S,V2,N1,U6,PR1,,,,,,"])
    (folder / "episodes.csv").write_text(EPISODES + "\nA1,2015-05-01,S,V2,N1,U6,PR1,,,,,,,,,,,\n")
    with pytest.raises(InputError, match="expected a well-formed CSV file"):
        read_extract(extract_dir)


def test_a_row_longer_than_the_others_is_a_clear_error(extract_dir):
    folder = write_year(extract_dir, "2016", ["A1,1,2008-01-01,WBRI,,,"], ["A1,2015-05-01,S,V2,N1,U6,PR1,,,,,,"])
    (folder / "episodes.csv").write_text(EPISODES + "\nA1,2015-05-01,S,V2,N1,U6,PR1,,,,,,\nA2,x,,,,,,,,,,,,,,\n")
    with pytest.raises(InputError, match="expected a well-formed CSV file: Error tokenizing data"):
        read_extract(extract_dir)
