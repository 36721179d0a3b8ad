"""Extracts that cannot be read without guessing: one clear error naming the file,
never a value from it; and the date formats each column may hold."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from layout_fixture import children
from ssda903_helpers import write_year

from carebook.errors import InputError
from carebook.ssda903 import dates
from carebook.ssda903.raw import decide_convention, read_raw
from carebook.ssda903.read import read_extract
from carebook.ssda903.write import write_extract


def _error(path, **options) -> str:
    with pytest.raises(InputError) as error:
        read_raw(path, **options)
    assert "\n" not in str(error.value)
    return str(error.value)


def test_a_column_mixing_date_formats_names_file_column_and_row_not_the_value(tmp_path):
    write_year(tmp_path, "2025", ["A,1,01/01/2010,WBRI,,,", "B,2,2011-02-03,WBRI,,,"],
               ["A,01/05/2024,S,V2,N1,U6,PR1,,,,,,", "B,01/06/2024,S,V2,N1,U6,PR1,,,,,,"])
    text = _error(tmp_path)
    assert text == ("2025/header.csv: row 3, field DOB: expected one date format in the column; "
                    "this row is yyyy-mm-dd, earlier rows dd/mm/yyyy")
    assert "2011" not in text


def test_a_date_in_neither_format_names_the_row(tmp_path):
    write_year(tmp_path, "2025", ["A,1,01/01/2010,WBRI,,,"],
               ["A,01/05/2024,S,V2,N1,U6,PR1,,,,,,", "A,01/06/2024,P,V2,N1,U6,PR1,1st July 2024,E4A,,,,"])
    text = _error(tmp_path)
    assert text == ("2025/episodes.csv: row 3, field DEC: expected dates dd/mm/yyyy or yyyy-mm-dd; "
                    "found neither in the whole column")
    assert "July" not in text


def test_one_value_in_neither_format_is_left_to_the_repair_rules(tmp_path):
    write_year(tmp_path, "2025", ["A,1,01/01/2010,WBRI,,,", "B,2,01/01/2011,WBRI,,,"],
               ["A,01/05/2024,S,V2,N1,U6,PR1,,,,,,", "B,unknown,S,V2,N1,U6,PR1,,,,,,"])
    extract = read_extract(tmp_path, mode="lenient")
    assert extract.episodes["CHILD"].tolist() == ["A"]
    dropped = extract.repairs[extract.repairs["rule"] == "decom_date"]
    assert (dropped["action"].tolist(), dropped["rows"].tolist()) == (["dropped"], [1])


def test_date_formats_excel_and_unpadded_days_are_read(tmp_path):
    values = pd.Series(["1/2/2019", "31/02/2019", None, "15/10/2020"], dtype="string")
    rows = pd.Series([2, 3, 4, 5])
    assert dates.detect_format(values, rows, "f.csv", "DOB") == dates.DMY
    text, parsed = dates.to_iso(values, dates.DMY)
    assert text.fillna("blank").tolist() == ["2019-02-01", "31/02/2019", "blank", "2020-10-15"]  # not a day: as written
    assert parsed.isna().tolist() == [False, True, True, False]
    excel = pd.Series(["2018-10-02 00:00:00", "2018-10-03T00:00:00", "2018-10-04"], dtype="string")
    assert dates.detect_format(excel, rows[:3], "f.csv", "DECOM") == dates.ISO
    assert dates.to_iso(excel, dates.ISO)[0].tolist() == ["2018-10-02", "2018-10-03", "2018-10-04"]
    assert dates.detect_format(pd.Series([None, None], dtype="string"), rows[:2], "f.csv", "DEC") == dates.BLANK


def test_a_folder_named_like_a_year_that_is_not_one(tmp_path):
    write_extract(children(), tmp_path)
    (tmp_path / "2025").rename(tmp_path / "2025 final")
    assert _error(tmp_path).startswith("2025 final: expected a collection-year folder named like 2025, 2024-25")
    (tmp_path / "2025 final").rename(tmp_path / "2025_old")
    assert _error(tmp_path).startswith("2025_old: expected a collection-year folder")


def test_two_folders_holding_the_same_year(tmp_path):
    write_extract(children(), tmp_path)
    shutil.copytree(tmp_path / "2025", tmp_path / "2024-25")
    assert _error(tmp_path) == ("2025/episodes.csv: expected one file per collection year; this file and "
                                "2024-25/episodes.csv both hold 2024-25")


def test_two_flat_files_of_one_kind_for_one_year(tmp_path):
    write_extract(children(), tmp_path, layout="flat_files")
    shutil.copy(tmp_path / "SSDA903_2025_header.csv", tmp_path / "header_2025.csv")
    assert _error(tmp_path) == ("header_2025.csv: expected one header file for one collection year; found both "
                                "SSDA903_2025_header.csv and header_2025.csv")


def test_a_stale_copy_of_an_xml_return(tmp_path):
    write_extract(children(), tmp_path, layout="xml")
    shutil.copy(tmp_path / "return_2025.xml", tmp_path / "return_2025 (copy).xml")
    assert _error(tmp_path) == ("return_2025.xml: expected one file per collection year; this file and "
                                "return_2025 (copy).xml both hold 2024-25")


def test_files_named_by_two_conventions(tmp_path):
    write_extract(children(), tmp_path)  # 2023/ holds 2022-23 (named by the year it ends)
    shutil.rmtree(tmp_path / "2024")
    (tmp_path / "2025").rename(tmp_path / "2024")  # 2024/ now holds 2024-25 (named by the year it starts)
    assert _error(tmp_path).startswith(
        "2024/episodes.csv: expected every file to name collection years the same way: this file's dates put it "
        "in the year that starts in the year of its name, those of 2023/episodes.csv in the year that ends in it")
    assert read_raw(tmp_path, convention="end").years == [2023, 2024]


def test_votes_decide_the_convention():
    assert decide_convention([("a", None), ("b", None)]) == "end"
    assert decide_convention([("a", "start"), ("b", None), ("c", "start")]) == "start"
    assert decide_convention([("a", "start"), ("b", "end")], forced="end") == "end"
    with pytest.raises(InputError, match="^c: expected every file"):
        decide_convention([("a", "start"), ("b", "start"), ("c", "end")])


def test_an_xml_file_that_is_not_a_903_return(tmp_path):
    (tmp_path / "return_2025.xml").write_text("<?xml version='1.0'?><html><body>hello</body></html>")
    assert _error(tmp_path) == ("return_2025.xml: not an SSDA903 XML return: expected the root element "
                                "EXPSSDA903, found html")
    (tmp_path / "return_2025.xml").write_text("<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID>")
    assert _error(tmp_path / "return_2025.xml").startswith(
        "return_2025.xml: expected a well-formed XML file: no element found: line 1")


def test_an_empty_folder(tmp_path):
    assert _error(tmp_path).startswith(f"{tmp_path}: expected one folder per collection year")


def test_a_folder_holding_two_layouts(tmp_path):
    write_extract(children(), tmp_path)
    write_extract(children(), tmp_path, layout="xml")
    assert _error(tmp_path) == (f"{tmp_path}: expected one layout of 903 files in the folder; found one folder "
                                "per collection year (2023) and DfE XML return (return_2023.xml)")


def test_another_folder_holding_903_files(tmp_path):
    write_extract(children(), tmp_path)
    (tmp_path / "docs").mkdir()
    shutil.copy(tmp_path / "2025" / "episodes.csv", tmp_path / "docs" / "episodes.csv")
    assert _error(tmp_path).startswith("docs: expected 903 files only in collection-year folders")


def test_a_903_file_whose_name_gives_no_year(tmp_path):
    write_extract(children(), tmp_path, layout="flat_files")
    shutil.copy(tmp_path / "SSDA903_2025_header.csv", tmp_path / "header_latest.csv")
    assert _error(tmp_path).startswith("header_latest.csv: expected the collection year in the name of a 903 file")


def test_an_xml_return_as_other_systems_write_it(tmp_path):
    """Latin-1, a comment, padded values, a CDATA section, attributes, nested review
    elements, empty elements written three ways, elements left out."""
    path = tmp_path / "return.xml"
    path.write_text(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- exported <CHILD> -->\n<EXPSSDA903>'
        "<CHILD><HEADER><CHILDID> A1 </CHILDID><SEX>M</SEX><DOB>1/2/2010</DOB>"
        "<AREVIEW><REVIEW>01/01/2020</REVIEW></AREVIEW><ETHNIC><![CDATA[W&B]]></ETHNIC><MOTHER></MOTHER></HEADER>"
        "<EPISODE><DECOM>01/05/2024</DECOM><PL>U4</PL><HOME_POST>S60 1AA </HOME_POST><DEC/></EPISODE>"
        '<EPISODE><DECOM>01/06/2024</DECOM><URN xsi:nil="true"/><DEC>\n 02/07/2024</DEC><REC>E4A</REC></EPISODE>'
        "</CHILD><CHILD><HEADER><CHILDID>Bé</CHILDID><DOB /></HEADER></CHILD></EXPSSDA903>",
        encoding="latin-1",
    )
    raw = read_raw(path)
    assert raw.header[["CHILD", "SEX", "DOB", "ETHNIC", "MOTHER"]].fillna("-").values.tolist() == [
        ["A1", "M", "2010-02-01", "W&B", "-"], ["Bé", "-", "-", "-", "-"]]
    assert raw.episodes[["CHILD", "DECOM", "PLACE", "HOME_POST", "DEC", "REC", "URN", "_row"]].fillna("-").values.tolist() == [
        ["A1", "2024-05-01", "U4", "S60 1AA", "-", "-", "-", 1], ["A1", "2024-06-01", "-", "-", "2024-07-02", "E4A", "-", 2]]
    assert raw.years == [2025]


def test_a_truncated_xml_return_or_a_child_without_header(tmp_path):
    path = tmp_path / "return_2025.xml"
    path.write_text("<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID></HEADER></CHILD><CHILD><EPISODE>"
                    "<DECOM>01/05/2024</DECOM></EPISODE></CHILD></EXPSSDA903>")
    assert _error(path) == "return_2025.xml: row 2 (CHILD 2): expected a HEADER element in each CHILD; none"
    path.write_text("<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID></HEADER></CHILD><CHILD><EPISODE>")
    assert _error(path) == "return_2025.xml: expected a well-formed XML file: no element found: line 1, column 80"


def test_month_first_dates_are_named_not_read_as_bad_days(tmp_path):
    write_year(tmp_path, "2025", ["A,1,01/01/2010,WBRI,,,"],
               ["A,05/01/2024,S,V2,N1,U6,PR1,06/13/2024,X1,,,,", "A,06/13/2024,P,V2,N1,U4,PR1,,,CARPL,,,"])
    assert _error(tmp_path) == ("2025/episodes.csv: row 3, field DECOM: expected dates day first (dd/mm/yyyy); the "
                                "column is month first (mm/dd/yyyy), as US systems write dates: save it day first "
                                "or as yyyy-mm-dd")


def test_a_workbook_saved_as_csv_is_named(tmp_path):
    folder = write_year(tmp_path, "2025", ["A,1,01/01/2010,WBRI,,,"], ["A,05/01/2024,S,V2,N1,U6,PR1,,,,,,"])
    (folder / "episodes.csv").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert _error(tmp_path) == ("2025/episodes.csv: expected a CSV text file; this looks like an Excel workbook "
                                "(xlsx, or another zipped spreadsheet such as ods): save it as CSV (comma-separated)")
