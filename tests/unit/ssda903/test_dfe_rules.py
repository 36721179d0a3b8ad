"""DfE's SSDA903 validation rules run through the isolated environment (.venv-dfe).

The hand-built years below break known rules once each; the clean year breaks none
(apart from EPI, a listed validator exception: a care leaver with a header row only).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from carebook.errors import InputError
from carebook.ssda903 import codes
from carebook.ssda903.dfe_rules import (
    RUNNER,
    _return_dates,
    _write_year,
    dfe_exceptions,
    dfe_python,
    dfe_quality_table,
    dfe_rule_counts,
    dfe_summary_sentence,
    run_dfe_rules,
    ruleset_for,
)

LA = "E08000025"  # Birmingham: both postcodes below lie in it
HOME, PLACED = "B1 1BB", "B15 2TT"
NA = pd.NA


def _header(rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(codes.HEADER_COLUMNS))


def _episodes(rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(codes.EPISODE_COLUMNS))


def _episode(child: str, decom: str, ls: str, place: str, provider: str, dec=NA, rec=NA, urn="SC111111") -> list:
    need = "N4" if ls == "V2" else "N1"
    return [child, decom, "S", ls, need, place, provider, dec, rec, NA, HOME, PLACED, urn]


#: 2024-25 with no problem: two children looked after (ISO dates), one care leaver (header only).
CLEAN_HEADER = _header([
    ["C101", "M", "2012-05-01", "WBRI", "A123456789012", NA, NA],
    ["C102", "F", "2010-03-15", "WBRI", "B123456789013", "0", NA],
    ["C103", "F", "2006-09-01", "WBRI", "UN2", NA, NA],
])
CLEAN_EPISODES = _episodes([
    _episode("C101", "2024-06-01", "C2", "U4", "PR1"),
    _episode("C102", "2024-05-10", "V2", "U4", "PR1", "2024-11-20", "E4A"),
])

#: 2024-25 with one header SEX "3" (101), one K3 placement (146, a validator exception that
#: year) and one episode ending before it starts (356), dates as dd/mm/yyyy text.
BAD_HEADER = _header([
    ["C201", "3", "01/05/2012", "WBRI", "A123456789012", NA, NA],
    ["C202", "M", "10/01/2008", "WBRI", "B123456789013", NA, NA],
    ["C203", "M", "01/02/2011", "WBRI", "C123456789014", NA, NA],
])
BAD_EPISODES = _episodes([
    _episode("C201", "01/06/2024", "C2", "U4", "PR1"),
    _episode("C202", "01/07/2024", "V2", "K3", "PR4", urn="SC222222"),
    _episode("C203", "10/09/2024", "C2", "U4", "PR1", "20/08/2024", "E4A"),
])

#: 2025-26 (datetime64 dates): K3 is known to this ruleset; an unknown placement X9 is not (146).
NEXT_HEADER = _header([
    ["C301", "M", "2012-05-01", "WBRI", "A123456789012", NA, NA],
    ["C302", "M", "2009-01-10", "WBRI", "B123456789013", NA, NA],
]).assign(DOB=lambda d: pd.to_datetime(d["DOB"]), MC_DOB=pd.NaT)
NEXT_EPISODES = _episodes([
    _episode("C301", "2025-06-01", "C2", "X9", "PR1"),
    _episode("C302", "2025-05-01", "V2", "K3", "PR4", urn="SC222222"),
]).assign(DECOM=lambda d: pd.to_datetime(d["DECOM"]), DEC=pd.NaT)

CHILD_IDS = ["C101", "C102", "C103", "C201", "C202", "C203"]


@pytest.fixture(scope="module")
def run():
    """2023-24 is checked with the bad 2024-25 rows moved a year back (K3 from November 2023)."""
    back = {"DECOM": ["01/06/2023", "01/11/2023", "10/09/2023"], "DEC": [NA, NA, "20/08/2023"]}
    earlier = (BAD_HEADER.assign(SEX=["1", "1", "1"], DOB=["01/05/2011", "10/01/2007", "01/02/2010"]),
               BAD_EPISODES.assign(**back))
    return run_dfe_rules({2024: earlier, 2025: (BAD_HEADER, BAD_EPISODES), 2026: (NEXT_HEADER, NEXT_EPISODES),
                          2020: (CLEAN_HEADER, CLEAN_EPISODES)}, LA)


def _flags(counts: pd.DataFrame, year: int) -> dict[str, tuple[int, bool]]:
    rows = counts[counts["year"] == year]
    return dict(zip(rows["code"], zip(rows["count"], rows["excepted"])))


def test_each_broken_rule_is_counted_once_per_row(run) -> None:
    assert _flags(run.counts, 2025) == {"101": (1, False), "146": (1, True), "356": (1, False)}


def test_k3_in_2023_24_is_a_validator_exception(run) -> None:
    # SEX "1" was valid until 2023-24; only the K3 episode is flagged, by the 2022-23 code list.
    assert _flags(run.counts, 2024) == {"146": (1, True), "356": (1, False)}


def test_2025_26_knows_k3_and_flags_an_unknown_placement(run) -> None:
    assert _flags(run.counts, 2026) == {"146": (1, False)}


def test_years_without_a_ruleset_are_left_out(run) -> None:
    assert run.years_without_rules == (2020,)
    assert set(run.counts["year"]) == {2024, 2025, 2026}


def test_rules_not_run_are_reported_apart_with_their_reason(run) -> None:
    not_run = run.not_run[run.not_run["year"] == 2025].set_index("code")["reason"]
    # 231 (UASC children's age) reads UASC_STATUS, which only the UASC file provides.
    assert not_run["231"] == "the validator could not run it on these data"
    # 166 (reviews) and 1005 (missing episodes) need files the analyses do not use.
    assert not_run[["166", "1005"]].tolist() == ["needs files other than header and episodes"] * 2
    assert set(not_run) <= {"needs files other than header and episodes", "the validator could not run it on these data"}
    assert not set(not_run.index) & set(run.counts.loc[run.counts["year"] == 2025, "code"])


def test_clean_year_flags_only_the_listed_exception() -> None:
    counts = dfe_rule_counts(CLEAN_HEADER, CLEAN_EPISODES, 2025, LA)
    assert list(counts.columns) == ["code", "message", "count", "excepted"]
    assert counts[["code", "count", "excepted"]].to_dict("records") == [{"code": "EPI", "count": 1, "excepted": True}]


def test_without_the_council_code_rules_about_its_area_are_not_run() -> None:
    run = run_dfe_rules({2025: (CLEAN_HEADER, CLEAN_EPISODES)})
    needs_council = set(run.not_run.loc[run.not_run["reason"] == "needs the council's code", "code"])
    # Rules reading the council's code or the derived in/out-of-area field, checked in the package.
    assert needs_council == {"1015", "179", "229", "411", "503J"}
    assert set(run.counts["code"]) == {"EPI"}


def test_ruleset_for_names_the_year_by_its_end() -> None:
    assert [ruleset_for(y) for y in (2022, 2023, 2025, 2027, 2028)] == [
        None, "lac2022_23", "lac2024_25", "lac2026_27", None]


def test_a_year_without_rules_is_bad_input() -> None:
    with pytest.raises(InputError, match="2022-23 to 2026-27, not 2019-20"):
        dfe_rule_counts(CLEAN_HEADER, CLEAN_EPISODES, 2020)


def test_missing_environment_says_run_make_setup(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CAREBOOK_DFE_PYTHON", str(tmp_path / "absent" / "python"))
    with pytest.raises(InputError, match=r"^DfE's validation rules need their own environment: run `make setup`$"):
        dfe_rule_counts(CLEAN_HEADER, CLEAN_EPISODES, 2025)


def _fake_python(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "python"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


def test_a_validator_crash_names_the_year_without_the_traceback(monkeypatch, tmp_path: Path) -> None:
    crash = "echo 'Traceback (most recent call last): KeyError C101' >&2; exit 1"
    monkeypatch.setenv("CAREBOOK_DFE_PYTHON", str(_fake_python(tmp_path, crash)))
    with pytest.raises(InputError) as caught:
        dfe_rule_counts(CLEAN_HEADER, CLEAN_EPISODES, 2025)
    assert str(caught.value) == "DfE's validator failed on collection year 2024-25"


def test_a_crash_in_one_year_names_that_year(monkeypatch, tmp_path: Path) -> None:
    fake = _fake_python(tmp_path, "echo '{\"2024\": {\"error\": \"KeyError\"}}'")
    monkeypatch.setenv("CAREBOOK_DFE_PYTHON", str(fake))
    with pytest.raises(InputError, match="^DfE's validator failed on collection year 2023-24$"):
        run_dfe_rules({2024: (CLEAN_HEADER, CLEAN_EPISODES)})


def test_runner_output_carries_no_child_id_or_date_of_birth(tmp_path: Path) -> None:
    _write_year(tmp_path / "2025", BAD_HEADER, BAD_EPISODES)
    _write_year(tmp_path / "2026", CLEAN_HEADER.assign(SEX="M"), CLEAN_EPISODES)
    job = {"la_code": LA, "years": [[2025, "lac2024_25", str(tmp_path / "2025")],
                                    [2026, "lac2025_26", str(tmp_path / "2026")]]}
    done = subprocess.run([str(dfe_python()), str(RUNNER), json.dumps(job)], capture_output=True, text=True,
                          check=True, timeout=300)
    assert json.loads(done.stdout)["2025"]["counts"] == {"101": 1, "146": 1, "356": 1}
    for private in [*CHILD_IDS, "01/05/2012", "10/01/2008", HOME, PLACED]:
        assert private not in done.stdout
        assert private not in done.stderr


def test_files_are_written_as_the_return_writes_them(tmp_path: Path) -> None:
    _write_year(tmp_path / "y", NEXT_HEADER, CLEAN_EPISODES)
    header = (tmp_path / "y" / "header.csv").read_text().splitlines()
    episodes = (tmp_path / "y" / "episodes.csv").read_text().splitlines()
    assert header[0] == ",".join(codes.HEADER_COLUMNS)
    assert header[1] == "C301,M,01/05/2012,WBRI,A123456789012,,"
    assert episodes[2] == f"C102,10/05/2024,S,V2,N4,U4,PR1,20/11/2024,E4A,,{HOME},{PLACED},SC111111"


def test_return_dates_converts_iso_and_datetimes_and_keeps_the_rest() -> None:
    text = pd.Series(["2024-06-01", "01/06/2024", NA, "2024-06-01 00:00:00", "June"], dtype="string")
    assert _return_dates(text).tolist() == ["01/06/2024", "01/06/2024", NA, "01/06/2024", "June"]
    stamps = pd.Series(pd.to_datetime(["2024-06-01", None]))
    assert _return_dates(stamps).fillna("blank").tolist() == ["01/06/2024", "blank"]


def test_missing_columns_are_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="episodes for DfE's rules: expected the episodes columns URN"):
        _write_year(tmp_path / "y", CLEAN_HEADER, CLEAN_EPISODES.drop(columns="URN"))
    assert not (tmp_path / "y").exists()


def test_exceptions_are_sourced() -> None:
    exceptions = dfe_exceptions()
    assert set(zip(exceptions["code"], exceptions["year"])) >= {("146", 2024), ("146", 2025), ("EPI", 2025)}
    assert ("146", 2026) not in set(zip(exceptions["code"], exceptions["year"]))
    assert exceptions["source"].str.len().gt(10).all()


COUNTS = pd.DataFrame({
    "year": [2025, 2025, 2025, 2024], "code": ["146", "101", "356", "146"],
    "message": ["Placement type code is not a valid code.", "Sex not valid.", "DEC before DECOM.",
                "Placement type code is not a valid code."],
    "count": [5, 6, 1, 3], "excepted": [True, False, False, True],
})


def test_quality_table_by_year_then_most_rows() -> None:
    table = dfe_quality_table(COUNTS)
    assert list(table.columns) == ["Collection year", "Rule", "What it checks", "Rows flagged", "Note"]
    assert table[["Collection year", "Rule", "Rows flagged", "Note"]].values.tolist() == [
        ["2023-24", "146", 3, "validator exception"],
        ["2024-25", "101", 6, ""],
        ["2024-25", "146", 5, "validator exception"],
        ["2024-25", "356", 1, ""],
    ]


def test_summary_sentence() -> None:
    one_year = COUNTS[COUNTS["year"] == 2025]
    assert dfe_summary_sentence(one_year) == (
        "DfE's validation rules flag 12 rows under 3 rules in 2024-25; 1 rule is a known validator exception.")
    assert dfe_summary_sentence(COUNTS) == (
        "DfE's validation rules flag 15 rows under 3 rules in 2023-24 and 2024-25; "
        "1 rule is a known validator exception.")
    assert dfe_summary_sentence(COUNTS[COUNTS["code"] == "101"]) == (
        "DfE's validation rules flag 6 rows under 1 rule in 2024-25.")
    assert dfe_summary_sentence(COUNTS.iloc[:0], years=[2023, 2024, 2025]) == (
        "DfE's validation rules flag no rows across 2022-23 to 2024-25.")
    two = COUNTS.assign(excepted=True)
    assert dfe_summary_sentence(two).endswith("; 3 rules are known validator exceptions.")
