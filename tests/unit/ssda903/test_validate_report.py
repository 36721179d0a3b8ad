"""``carebook validate``: the report of an extract, worked by hand on the six children of
the layout fixture (see layout_fixture.py), and the same figures from every layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layout_fixture import children
from ssda903_helpers import write_year

from carebook import cli
from carebook.ssda903 import report
from carebook.ssda903.read import extract_from_raw, read_raw
from carebook.ssda903.write import write_extract

#: Per collection year, worked by hand from the fixture's dates:
#: 2022-23: A 223 days, B 137, D 365, F 1; starts A, B, F.
#: 2023-24 (366 days): B 366, C 111 + 87, D 366, F 365; starts C twice (a return to care).
#: 2024-25: B 365, C 319, D 243, E 204; starts E.
BY_YEAR = [
    {"year": 2023, "in_care_31_march": 3, "period_starts": 3, "care_days": 726},
    {"year": 2024, "in_care_31_march": 3, "period_starts": 2, "care_days": 1295},
    {"year": 2025, "in_care_31_march": 2, "period_starts": 1, "care_days": 1131},
]
#: At 31 March: 2023 B (U6) and F (U1) fostered, D placed for adoption (A4, "other");
#: 2024 B in a children's home (K2), C fostered (U4), D adoption; 2025 B K2, E H5.
GROUPS = {2023: {"fostering": 2, "other": 1}, 2024: {"fostering": 1, "residential": 1, "other": 1},
          2025: {"residential": 1, "semi_independence": 1}}


def _report(folder: Path) -> report.ExtractReport:
    raw = read_raw(folder)
    return report.build_report(raw, extract_from_raw(raw, mode="lenient"), dfe=False)


@pytest.mark.parametrize("layout", ["xml", "year_folders", "flat_files"])
def test_the_yearly_figures_are_the_hand_worked_ones_in_every_layout(layout, tmp_path):
    write_extract(children(), tmp_path, layout=layout, date_format="iso" if layout == "flat_files" else "dmy")
    found = _report(tmp_path)
    assert found.by_year.to_dict("records") == BY_YEAR
    groups = found.in_care_by_group[found.in_care_by_group["children"] > 0]
    assert {year: dict(zip(rows["group"], rows["children"])) for year, rows in groups.groupby("year")} == GROUPS
    assert (found.layout, found.years, found.children, found.episodes) == (layout, [2023, 2024, 2025], 6, 12)


def test_the_command_prints_the_report_and_writes_its_json(tmp_path, capsys):
    write_extract(children(), tmp_path / "extract", layout="xml")
    status = cli.main(["validate", str(tmp_path / "extract"), "--json", str(tmp_path / "report.json"),
                       "--no-dfe-rules"])
    printed = capsys.readouterr().out
    assert status == 0
    assert "Layout: one folder per collection year" not in printed and "Layout: DfE XML return" in printed
    assert "2023-24                  3                2        1,295" in printed
    written = json.loads((tmp_path / "report.json").read_text())
    assert {"layout", "convention", "years", "repairs", "usable"} <= set(written)
    assert (written["layout"], written["convention"], written["usable"]) == ("xml", "dates", True)
    assert written["years"]["2025"]["in_care_31_march"]["total"] == 2
    assert written["years"]["2024"]["care_days"] == 1295
    assert written["years"]["2023"]["period_starts"] == 3
    text = printed + json.dumps(written)
    for private in ("2012-09-03", "03/09/2012", "S60 1AA", "NG7 1", "B123456789012"):  # a DOB, postcodes, a UPN
        assert private not in text


def test_an_extract_with_no_usable_episode_exits_2_with_its_repairs(tmp_path, capsys):
    write_year(tmp_path, "2025", ["A1,1,01/01/2010,WBRI,,,"], ["A1,01/05/2024,S,V2,N1,U6,PR1,01/04/2024,E4A,,,,"])
    assert cli.main(["validate", str(tmp_path), "--no-dfe-rules"]) == 2
    printed = capsys.readouterr().out
    assert "dropped  dec_before_decom            1 rows" in printed
    assert "NOT usable" in printed


def test_unreadable_extracts_are_one_line_and_exit_2(tmp_path, capsys):
    write_year(tmp_path, "2025 final", ["A1,1,01/01/2010,WBRI,,,"], ["A1,01/05/2024,S,V2,N1,U6,PR1,,,,,,"])
    assert cli.main(["validate", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("carebook: error: ") and "2025 final" in error and "\n" not in error


def test_dfe_rules_are_counted_per_collection_year_with_that_years_rules(tmp_path):
    write_extract(children(), tmp_path, layout="xml")
    raw = read_raw(tmp_path)
    found = report.build_report(raw, extract_from_raw(raw, mode="lenient"), la_code="E08000018")
    assert set(found.dfe_rules["year"]) <= {2023, 2024, 2025}
    # SEX is written 1/2 in every year, which 2024-25's rules no longer accept (rule 101): 4 children.
    sex = found.dfe_rules[(found.dfe_rules["year"] == 2025) & (found.dfe_rules["code"] == "101")]
    assert sex["count"].tolist() == [4]
    assert "Years before" not in found.dfe_note
