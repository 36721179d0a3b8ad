"""A corpus of bad inputs: council files and official statistics.

Each bad input must be one ``InputError`` naming the file and the field, line or column and
what was expected (never a traceback, never a silently wrong figure); each harmless variation
(an extra column, Windows line endings, a byte-order mark, trailing spaces) must give exactly
the published figures. Official tables are small slices of the real files, cut into the
test's own folder.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from carebook import public
from carebook.errors import InputError
from carebook.params import load_council
from official_tables import (AT_31_MARCH, C1, CLA, CLA_NUMERIC, DEFLATOR, NEIGHBOURS, NOTTINGHAM, RO3, STABILITY, STPR,
                             BadTable, Edit, assert_one_clear_error, edited, published_lines, replace_field, set_field,
                             write)
from public_folders import FIXTURE_PUBLIC

PUBLISHED = FIXTURE_PUBLIC  # the published rows the unit tier reads (tests/fixtures/public)
ROOT = Path(__file__).resolve().parents[2]


def real_lines(relpath: str, keep: Callable[[str], bool] = lambda line: True) -> list[str]:
    """The header and the kept lines of a published official file (line endings kept)."""
    return published_lines(PUBLISHED, relpath, keep)


def cla_slice() -> list[str]:
    """England and Nottingham in the DfE children looked after table: 6 rows a year, 2025 to 2021.

    Line 6 is Nottingham, 31 March 2025 (639 children, 93 per 10,000); lines 29-31 are
    Nottingham in 2021, the end of the file.
    """
    return real_lines(CLA, lambda row: ",National," in row or f",{NOTTINGHAM}," in row)


def nottingham_2025(table) -> tuple[float, float, float]:
    row = table[(table["new_la_code"] == NOTTINGHAM) & (table["time_period"] == "2025")
                & (table["population_type"] == AT_31_MARCH)].iloc[0]
    return row["children_count"], row["rate_per_10000"], row["population_estimate"]


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Official statistics that must be refused


def _cla(edit: Callable[[list[str]], list[str]]) -> Callable[[], str]:
    return lambda: "".join(edit(cla_slice()))


def _lines(relpath: str, edit: Edit, keep: Callable[[str], bool] = lambda row: True) -> Callable[[], str]:
    return edited(PUBLISHED, relpath, edit, keep)


_set = set_field


BAD_TABLES = [
    BadTable("cut mid-line", CLA, _cla(lambda lines: [*lines[:-1], lines[-1][:60]]),
             r"line 31: expected 14 fields as in the header, found \d \(the last line: the file looks cut short\)"),
    BadTable("cut inside the last figure", CLA, _cla(lambda lines: [*lines[:-1], lines[-1].rstrip("\n")[:-1]]),
             r"line 31: expected the file to end with a line break: its last line may be cut short "
             r"\(download it again with 'carebook fetch'\)"),
    BadTable("cut at a line end (2021 loses Nottingham)", CLA, _cla(lambda lines: lines[:-3]),
             r"time_period: expected the same number of rows in every time period \(6\); 2021 has 3 "
             r"\(the file may be cut short, its last row is line 28\)"),
    BadTable("cut before the last year", CLA, _cla(lambda lines: lines[:-6]),
             r"time_period: expected every time period from 2021 to 2025; missing: 2021 \(the file may be cut short, after line 25\)"),
    BadTable("header only", CLA, _cla(lambda lines: lines[:1]),
             r"time_period: expected every time period from 2021 to 2025; missing: 2021, 2022, 2023, 2024, 2025 "
             r"\(the file may be cut short\)"),
    BadTable("a row twice with two values", CLA, _cla(lambda lines: [*lines, replace_field(lines[5], 12, "640")]),
             r"line 32: line 6 and 32 both hold time_period='2025', geographic_level='Local authority', region_code='E12000004', "
             r"new_la_code='E06000018', population_type='Children looked after on 31 March each year' "
             r"\(two rows with different figures for it\): expected one row for each time_period, geographic_level, "
             r"region_code, new_la_code, population_type"),
    BadTable("a row twice, the same", CLA, _cla(lambda lines: [*lines[:7], lines[5], *lines[7:]]),
             r"line 8: line 6 and 8 both hold .*\(the same row twice\): expected one row for each .*"),
    BadTable("a negative count", CLA, _cla(_set(5, 12, "-476")),
             r"line 6, column children_count: expected a count, rate or share of 0 or more, got -476"),
    BadTable("a negative rate", CLA, _cla(_set(5, 13, "-80")),
             r"line 6, column rate_per_10000: expected a count, rate or share of 0 or more, got -80"),
    BadTable("a negative population", CLA, _cla(_set(2, 11, "-12183016")),
             r"line 3, column population_estimate: expected a count, rate or share of 0 or more, got -12183016"),
    BadTable("a negative count, thousands separated", CLA, _cla(_set(2, 12, '"-81,770"')),
             r"line 3, column children_count: expected a count, rate or share of 0 or more, got -81,770"),
    BadTable("new_la_code renamed and la_name dropped", CLA,
             _cla(lambda lines: [lines[0].replace("la_name,new_la_code", "la_code"),
                                 *[re.sub(r",Nottingham,|,,(?=,Children)", ",", row, count=1) for row in lines[1:]]]),
             r"line 1: expected the columns 'new_la_code' \(did you mean 'la_code'\?\), 'la_name'; "
             r"the header has 13 columns"),
    BadTable("a measure column renamed", STABILITY,
             _lines(STABILITY, lambda lines: [lines[0].replace("placement_stability", "stability"), *lines[1:]],
                    keep=lambda row: ",National," in row),
             r"line 1: expected the column 'placement_stability' \(did you mean 'stability'\?\); the header has 14 columns"),
    BadTable("an xlsx saved as .csv", CLA, xlsx_bytes,
             r"expected a CSV text file; this looks like an Excel workbook \(xlsx, or another zipped spreadsheet such as ods\): "
             r"save it as CSV \(comma-separated\)"),
    BadTable("an xls saved as .csv", CLA, lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
             r"expected a CSV text file; this looks like an old Excel workbook \(xls\): save it as CSV \(comma-separated\)"),
    BadTable("a binary file", CLA, lambda: b"time_period\x00\x00\x01\x02",
             r"expected a CSV text file; this is a binary file \(it holds NUL bytes\)"),
    BadTable("semicolon-separated", CLA, _cla(lambda lines: [line.replace(",", ";") for line in lines]),
             r"line 1: expected the columns .*; the header is separated by semicolons: expected commas"),
    BadTable("tab-separated", CLA, _cla(lambda lines: [line.replace(",", "\t") for line in lines]),
             r"line 1: expected the columns .*; the header is separated by tabs: expected commas"),
    BadTable("words for a count", CLA, _cla(_set(5, 12, "six hundred")),
             r"line 6, column children_count: expected a number or a suppression code .*got 'six hundred'", tuple(CLA_NUMERIC)),
    BadTable("a typographic minus", CLA, _cla(_set(5, 12, "\u2212476")),
             r"line 6, column children_count: expected a number or a suppression code .*got '\u2212476'", tuple(CLA_NUMERIC)),
    BadTable("a line with an extra field", CLA, _cla(lambda lines: [*lines[:9], lines[9].rstrip("\n") + ",7\n", *lines[10:]]),
             r"line 10: not a readable CSV table \(.*Expected 14 fields in line 10, saw 15\)"),
    BadTable("an empty file", CLA, lambda: "", r"not a readable CSV table \(No columns to parse from file\)"),
    BadTable("a negative referral count", C1, _lines(C1, _set(1, 11, "-632830")),
             r"line 2, column referral_count: expected a count, rate or share of 0 or more, got -632830"),
    BadTable("a negative discount rate", STPR, _lines(STPR, _set(2, 2, "-0.030")),
             r"line 3, column standard: expected a count, rate or share of 0 or more, got -0.030"),
    BadTable("a deflator year twice", DEFLATOR, _lines(DEFLATOR, lambda lines: [*lines, "2024,101\n"]),
             r"line 37: line 36 and 37 both hold year='2024' \(two rows with different figures for it\): expected one row for each year"),
]


@pytest.mark.parametrize("case", BAD_TABLES, ids=[case.name for case in BAD_TABLES])
def test_a_bad_official_table_is_one_clear_error(case, public_dir):
    assert_one_clear_error(case, public_dir)


def test_a_missing_official_file_names_it(public_dir):
    with pytest.raises(InputError, match=r"public/dfe/sn_model_2025_wide\.csv: an official statistics file is missing"):
        public.read(NEIGHBOURS)


# ---------------------------------------------------------------------------------------
# Official statistics that are harmless variations: the exact published figures


ACCEPTED_TABLES = {
    "as published": lambda lines: lines,
    "an extra column": lambda lines: [lines[0].rstrip("\n") + ",note\n", *[row.rstrip("\n") + ",checked\n" for row in lines[1:]]],
    "Windows line endings": lambda lines: [row.replace("\n", "\r\n") for row in lines],
    "a byte-order mark": lambda lines: ["\ufeff" + lines[0], *lines[1:]],
    "trailing spaces": lambda lines: [row.replace(",", " ,").replace("\n", " \n") if i == 0 else re.sub(r",(\d+)\n", r",\1  \n", row)
                                      for i, row in enumerate(lines)],
    "blank lines": lambda lines: [*lines[:7], "\n", *lines[7:], "\n"],
    "a quoted count with a thousands separator": lambda lines: [replace_field(row, 12, '"639"') if i == 5 else row
                                                                for i, row in enumerate(lines)],
}


@pytest.mark.parametrize("edit", ACCEPTED_TABLES.values(), ids=list(ACCEPTED_TABLES))
def test_a_harmless_variation_reads_the_published_figures(edit, public_dir):
    write(public_dir, CLA, "".join(edit(cla_slice())))
    table = public.read(CLA, numeric=CLA_NUMERIC)
    assert nottingham_2025(table) == (639, 93, 68714)
    assert len(table) == 30


def test_windows_1252_text_is_read(public_dir):
    lines = cla_slice()
    text = "".join([lines[0], *[row.replace("England", "Engl\u00e4nd") for row in lines[1:]]])
    write(public_dir, CLA, text.encode("cp1252"))
    table = public.read(CLA, numeric=CLA_NUMERIC)
    assert nottingham_2025(table) == (639, 93, 68714)
    assert set(table["country_name"]) == {"Engl\u00e4nd"}


def test_a_suppressed_count_is_missing_not_zero(public_dir):
    write(public_dir, CLA, "".join(_set(5, 12, "c")(cla_slice())))
    table = public.read(CLA, numeric=CLA_NUMERIC)
    count, rate, population = nottingham_2025(table)
    assert count != count and (rate, population) == (93, 68714)  # NaN
    assert list(public.suppressed(table)["code"]) == ["c"]


def test_a_thousands_separator_is_read(public_dir):
    write(public_dir, CLA, "".join(_set(2, 12, '"81,770"')(cla_slice())))
    table = public.read(CLA, numeric=CLA_NUMERIC)
    national = table[(table["geographic_level"] == "National") & (table["time_period"] == "2025")
                     & (table["population_type"] == AT_31_MARCH)]
    assert national["children_count"].tolist() == [81770]


# ---------------------------------------------------------------------------------------
# Council files


ROTHERHAM = (ROOT / "data" / "councils" / "rotherham.yml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class BadCouncil:
    name: str
    text: str | bytes
    message: str  # the whole message after "<folder>/mine.yml: "


BAD_COUNCILS = [
    BadCouncil("success_rate: yes", ROTHERHAM.replace("success_rate: 0.70", "success_rate: yes"),
               r"cost_benefit\.success_rate: expected a number, got true \(YAML reads yes/no/on/off/true/false as true or false, not as a number\)"),
    BadCouncil("success_rate: no", ROTHERHAM.replace("success_rate: 0.70", "success_rate: no"),
               r"cost_benefit\.success_rate: expected a number, got false .*"),
    BadCouncil("success_rate: on", ROTHERHAM.replace("success_rate: 0.70", "success_rate: on"),
               r"cost_benefit\.success_rate: expected a number, got true .*"),
    BadCouncil("a whole number given true", ROTHERHAM.replace("plan_years: 6", "plan_years: true"),
               r"cost_benefit\.plan_years: expected a number, got true .*"),
    BadCouncil("a mapping value given yes", ROTHERHAM.replace("9: 0.17", "9: yes"),
               r"cost_benefit\.counterfactual_exits\.9: expected a number, got true .*"),
    BadCouncil("a sufficiency target given yes", "name: Mine\nmembers: [E08000035]\nsufficiency:\n  target_all_within_20_miles: yes\n",
               r"sufficiency\.target_all_within_20_miles: expected a number, got true .*"),
    BadCouncil("a snapshot date that is not a month end", "name: Mine\nmembers: [E08000035]\nsufficiency:\n  snapshot_date: 2024-11-15\n",
               r"sufficiency\.snapshot_date: expected the last day of a month \(the child-level tables count the children "
               r"in care at each month's end\), got 2024-11-15"),
    BadCouncil("success_rate given twice", ROTHERHAM.replace("  success_rate: 0.70\n", "  success_rate: 0.70\n  success_rate: 0.20\n"),
               r"line 25: the key 'success_rate' is given twice, on lines 24 and 25: expected each key once"),
    BadCouncil("name given twice", "name: Mine\nmembers: [E08000035]\nname: Leeds\n",
               r"line 3: the key 'name' is given twice, on lines 1 and 3: expected each key once"),
    BadCouncil("a key twice in a flow mapping", "name: Mine\nmembers: [E08000035]\nsufficiency: {target_all_within_20_miles: 0.8, target_all_within_20_miles: 0.9}\n",
               r"line 3: the key 'target_all_within_20_miles' is given twice, on lines 3 and 3: expected each key once"),
    BadCouncil("a member listed twice", "name: Mine\nmembers: [E09000013, E09000020, E09000013]\n",
               r"members: expected each member once; listed more than once: E09000013, got \['E09000013', 'E09000020', 'E09000013'\]|"
               r"members: expected each member once; listed more than once: E09000013"),
    BadCouncil("not UTF-8", "name: Mine\ndescription: Caf\u00e9 programme\nmembers: [E08000035]\n".encode("latin-1"),
               r"line 2: expected UTF-8 text; byte 0xe9 is not UTF-8 \(save the file as UTF-8\)"),
    BadCouncil("YAML that does not parse", "name: Mine\nmembers: [E08000035\n",
               r"line \d+: not valid YAML .*"),
    BadCouncil("an empty file", "", r"expected a mapping of keys \(name, members, \.\.\.\) at the top level"),
    BadCouncil("a list at the top", "- name: Mine\n", r"expected a mapping of keys \(name, members, \.\.\.\) at the top level"),
    BadCouncil("members as one string", "name: Mine\nmembers: E08000035\n", r"members: Input should be a valid list, got 'E08000035'"),
    BadCouncil("a rate written as a percentage", ROTHERHAM.replace("success_rate: 0.70", "success_rate: 70%"),
               r"cost_benefit\.success_rate: Input should be a valid number, unable to parse string as a number, got '70%'"),
    BadCouncil("a rate that is not a number", ROTHERHAM.replace("success_rate: 0.70", "success_rate: .nan"),
               r"cost_benefit\.success_rate: Input should be .*, got nan"),
    BadCouncil("the name of another council", ROTHERHAM.replace("name: Rotherham", "name: Doncaster"),
               r"name: the name 'Doncaster' is the council E08000017, but members lists E08000018: "
               r"expected the name of the member council \(or a name that is no other council's\)"),
]


@pytest.mark.parametrize("case", BAD_COUNCILS, ids=[case.name for case in BAD_COUNCILS])
def test_a_bad_council_file_is_one_clear_error(case, councils_dir):
    path = councils_dir / "mine.yml"
    path.write_bytes(case.text if isinstance(case.text, bytes) else case.text.encode("utf-8"))
    with pytest.raises(InputError) as error:
        load_council("mine")
    message = str(error.value)
    assert error.value.file == str(path)
    assert re.fullmatch(case.message, message.removeprefix(f"{path}: ")), message


def test_two_files_with_the_same_name_name_both(councils_dir):
    (councils_dir / "south-yorkshire.yml").write_text("name: South Yorkshire\nmembers: [E08000017, E08000018]\n", encoding="utf-8")
    (councils_dir / "sy.yml").write_text("name: South  Yorkshire\nmembers: [E08000016, E08000019]\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_council("sy")
    assert str(error.value) == (f"{councils_dir / 'sy.yml'}: name: the council name 'South  Yorkshire' is also the name "
                                f"in {councils_dir / 'south-yorkshire.yml'}: expected one file per council")


def test_two_files_with_the_same_members_name_both(councils_dir):
    (councils_dir / "rotherham.yml").write_text(ROTHERHAM, encoding="utf-8")
    (councils_dir / "rotherham-mst.yml").write_text("name: Rotherham MST\nmembers: [E08000018]\n", encoding="utf-8")
    for ref in ("rotherham", "rotherham-mst"):  # both files are refused; other councils still load
        with pytest.raises(InputError) as error:
            load_council(ref)
        assert str(error.value) == (f"{councils_dir / 'rotherham.yml'}: members: the members E08000018 are also the "
                                    f"members in {councils_dir / 'rotherham-mst.yml'}: expected one file per council")
    assert load_council("Leeds").codes == ["E08000035"]


def test_a_broken_council_file_does_not_stop_the_others(councils_dir):
    (councils_dir / "rotherham.yml").write_text(ROTHERHAM, encoding="utf-8")
    (councils_dir / "broken.yml").write_text("name: Broken\nmembers: [E08000035\n", encoding="utf-8")
    assert load_council("rotherham").codes == ["E08000018"]
    assert load_council("E08000016").name == "Barnsley"
    with pytest.raises(InputError, match="not valid YAML"):
        load_council("broken")


def test_a_missing_councils_folder_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREBOOK_COUNCILS_DIR", str(tmp_path / "no-such-folder"))
    with pytest.raises(InputError) as error:
        load_council("Leeds")
    assert str(error.value) == f"{tmp_path / 'no-such-folder'}: the council files folder does not exist (from CAREBOOK_COUNCILS_DIR)"


ACCEPTED_COUNCILS = {
    "as written": lambda text: text,
    "a byte-order mark": lambda text: "\ufeff" + text,
    "Windows line endings": lambda text: text.replace("\n", "\r\n"),
    "trailing spaces": lambda text: text.replace("\n", "   \n"),
    "a quoted number": lambda text: text.replace("success_rate: 0.70", 'success_rate: "0.70"'),
}


@pytest.mark.parametrize("edit", ACCEPTED_COUNCILS.values(), ids=list(ACCEPTED_COUNCILS))
def test_a_harmless_council_file_variation_reads_the_same_figures(edit, councils_dir):
    (councils_dir / "rotherham.yml").write_bytes(edit(ROTHERHAM).encode("utf-8"))
    council = load_council("rotherham")
    assert (council.name, council.codes) == ("Rotherham", ["E08000018"])
    assert council.cost_benefit.success_rate == 0.70
    assert council.cost_benefit.counterfactual_exits == {9: 0.17, 10: 0.30, 11: 0.18, 12: 0.05, 13: 0.08}
    assert council.cost_benefit.children_a_year == 12


def test_a_group_and_a_member_file_may_both_exist(councils_dir):
    (councils_dir / "triborough.yml").write_text("name: Tri-borough\nmembers: [E09000013, E09000020, E09000033]\n", encoding="utf-8")
    (councils_dir / "westminster.yml").write_text("name: Westminster\nmembers: [E09000033]\n", encoding="utf-8")
    assert load_council("triborough").codes == ["E09000013", "E09000020", "E09000033"]
    assert load_council("E09000033").slug == "westminster"


# ---------------------------------------------------------------------------------------
# The command line


def carebook(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "carebook.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, check=False, timeout=600)


@pytest.mark.parametrize(("name", "files", "expected"), [
    ("success_rate: yes", {"rotherham.yml": ROTHERHAM.replace("success_rate: 0.70", "success_rate: yes")},
     "rotherham.yml: cost_benefit.success_rate: expected a number, got true"),
    ("a duplicated key", {"rotherham.yml": ROTHERHAM.replace("  success_rate: 0.70\n", "  success_rate: 0.70\n  success_rate: 0.20\n")},
     "rotherham.yml: line 25: the key 'success_rate' is given twice, on lines 24 and 25"),
    ("Rotherham's file named Doncaster", {"doncaster.yml": ROTHERHAM.replace("name: Rotherham", "name: Rotherham MBC"),
                                          "rotherham.yml": ROTHERHAM},
     "rotherham.yml: members: the members E08000018 are also the members in"),
])
def test_carebook_councils_refuses_a_bad_council_file(name, files, expected, tmp_path):
    for file, text in files.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    result = carebook("councils", env={"CAREBOOK_COUNCILS_DIR": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("carebook: error: ") and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_carebook_run_names_a_missing_councils_folder(tmp_path):
    result = carebook("run", "Leeds", env={"CAREBOOK_COUNCILS_DIR": str(tmp_path / "absent")})
    assert result.returncode == 2
    assert result.stderr.strip() == f"carebook: error: {tmp_path / 'absent'}: the council files folder does not exist (from CAREBOOK_COUNCILS_DIR)"


# ---------------------------------------------------------------------------------------
# A care entry's cost reads the published numbers through the loader; a council whose figures
# are withheld takes England's, and the source says so


def test_a_council_whose_numbers_are_withheld_takes_englands_length_of_care():
    """City of London 2025: its children looked after at 31 March are withheld ("c"), so the
    length of a care episode is England's: 81,770 / 32,270 x 365.25 / 7 = 132.2 weeks."""
    from carebook.care_entry import official_episode_weeks
    from carebook.params import load_council

    weeks, source = official_episode_weeks(load_council("E09000001"))
    assert weeks == pytest.approx(81_770 / 32_270 * 365.25 / 7)
    assert source.endswith("England (City of London's own are not published)")


@pytest.mark.parametrize("stem", ["Rotherham", "a b", "x<script>", "-lead"])
def test_a_council_file_name_that_cannot_be_a_web_address_is_named(stem, councils_dir):
    path = councils_dir / f"{stem}.yml"
    path.write_text(ROTHERHAM, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_council(stem)
    assert str(error.value) == (f"{path}: expected a file name of lower-case letters, digits, '-' and '_' "
                                "(it becomes the council's web address in the book)")
