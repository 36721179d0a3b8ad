"""Bad official tables whose errors need the full published files: a council missing from a
table that must list every council, a file cut short below 151 councils, line numbers of the
published files. The unit tier's corpus (tests/unit/test_bad_inputs.py) covers the rest on the
fixture; this tier reads the published folder (``public_data``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from carebook import public
from official_tables import (AT_31_MARCH, C1, CLA, NEIGHBOURS, NOTTINGHAM, RO3, BadTable, Edit, assert_one_clear_error,
                             edited)
from public_folders import REAL_PUBLIC


def _lines(relpath: str, edit: Edit, keep: Callable[[str], bool] = lambda row: True) -> Callable[[], str]:
    return edited(REAL_PUBLIC, relpath, edit, keep)


BAD_TABLES = [
    BadTable("neighbour model cut at a line end", NEIGHBOURS, _lines(NEIGHBOURS, lambda lines: lines[:-2]),
             r"column old_la_code: expected a row for every English council with children's services; "
             r"missing: 816 \(York\), 885 \(Worcestershire\) \(the file may be cut short\)"),
    BadTable("neighbour model cut mid-line", NEIGHBOURS, _lines(NEIGHBOURS, lambda lines: [*lines[:-1], lines[-1][:40]]),
             r"line 154: expected 24 fields as in the header, found \d+ \(the last line: the file looks cut short\)"),
    BadTable("a council twice in the neighbour model", NEIGHBOURS, _lines(NEIGHBOURS, lambda lines: [*lines, lines[1]]),
             r"line 155: line 2 and 155 both hold old_la_code='301' \(the same row twice\): expected one row for each old_la_code"),
    BadTable("a council twice in RO3", RO3, _lines(RO3, lambda lines: [*lines[:3], lines[2], *lines[3:]]),
             r"line 4: line 3 and 4 both hold ONS Code='E09000003' \(the same row twice\): expected one row for each ONS Code"),
    BadTable("RO3 without its last councils", RO3, _lines(RO3, lambda lines: [lines[0], *lines[-6:]]),
             r"column ONS Code: expected a row for every English council with children's services; missing: E06000001 \(Hartlepool\), E06000002 \(Middlesbrough\), "
             r"E06000003 \(Redcar and Cleveland\), E06000004 \(Stockton-on-Tees\), E06000005 \(Darlington\) and 147 more "
             r"\(the file may be cut short\)"),
    BadTable("referrals cut at a line end", C1, _lines(C1, lambda lines: lines[:-2]),
             r"time_period: expected at least 151 local authorities in every time period; 2013 has 150 "
             r"\(the file may be cut short, its last row is line 2131\)"),
]


@pytest.mark.parametrize("case", BAD_TABLES, ids=[case.name for case in BAD_TABLES])
def test_a_bad_official_table_is_one_clear_error(case, public_dir):
    assert_one_clear_error(case, public_dir)


#: Data rows of each catalogued file as published: for the tidy tables, areas x periods, e.g.
#: the children in need tables 164 areas (England, 10 regions, 153 councils) x 13 years = 2,132.
PUBLISHED_ROWS = {
    "dfe/cla_number_and_rate_per_10k_children.csv": 2505,
    "dfe/la_cla_during_year_new_placements.csv": 15865,
    "dfe/la_cla_placement_stability.csv": 5010,
    "dfe/la_children_who_ceased_during_the_year.csv": 24215,
    "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": 2132,
    "dfe/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv": 2132,
    "dfe/d3_cpps_subsequent_plan_2013_to_2025.csv": 2132,
    "dfe/d5_cpps_at31march_by_duration_2013_to_2025.csv": 2132,
    "dfe/b1_children_in_need_2013_to_2025.csv": 2132,
    "dfe/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv": 1312,
    "dfe/ons_mid-year_population_estimates_2012_to_2024.csv": 2132,
    "dfe/sn_model_2025_wide.csv": 153,
    "dfe/New_Statistical_Neighbour_Groupings_April_2021.csv": 159,
    "dfe/LTLA-UTLA_Apr23_Lookup_England-Wales.csv": 318,
    "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv": 56925,
    "derived/ro3_2023_24_children_looked_after_expenditure_by_la_gbp_thousands.csv": 158,
    "derived/ro3_2024_25_children_looked_after_expenditure_by_la_gbp_thousands.csv": 158,
    "dfe-sfr/2014_SFR36_CLA2014.csv": 163,
    "dfe-sfr/2015_SFR34_CLA2015.csv": 163,
    "dfe-sfr/2016_SFR41_CLA2016.csv": 163,
    "dfe-sfr/2017_SFR50_CLA2017.csv": 164,
    "dfe-sfr/LA_Spend_outturn_1213.csv": 5320,
    "dfe-sfr/LA_Spend_outturn_1314.csv": 5472,
    "dfe-sfr/post_2017_la_cla_during_year_new_placements.csv": 15960,
    "dfe-sfr/post_2017_updated24_cla_number_and_rate_per_10k_children.csv": 2520,
    "dfe-sfr/post_2017_updated25_cla_time_series_1994_2024.csv": 155,
    "dfe-sfr/post_2017_updated25_la_cla_on_31_march_la_of_placement_netgain.csv": 2505,
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_distance_and_placement_locality.csv": 280,
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_provider_placement_type_and_locality.csv": 720,
    "greenbook/stpr_schedule.csv": 6,
    "greenbook/gdp_deflator_2024eq100.csv": 35,
}


def test_every_catalogued_real_file_passes_its_checks():
    """The declared checks hold for the reference copies (31 files), and every row is read."""
    assert public.is_fixture(public.data_dir()) is False
    rows = {relpath: len(public.read(relpath)) for relpath in public.catalogued_checks()}
    assert rows == PUBLISHED_ROWS


def carebook(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "carebook.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, check=False, timeout=600)


def test_carebook_run_sufficiency_on_a_negative_count(tmp_path):
    """The sufficiency notebook on a public folder whose DfE table says -476 children: the run
    fails for that notebook, naming the file, line and column; no traceback on the terminal."""
    folder = tmp_path / "public"
    for source in REAL_PUBLIC.rglob("*.csv"):
        target = folder / source.relative_to(REAL_PUBLIC)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(source)
    (folder / CLA).unlink()
    lines = (REAL_PUBLIC / CLA).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert lines[203].startswith("2025,") and f",{NOTTINGHAM},{AT_31_MARCH},68714,639,93" in lines[203]
    lines[203] = lines[203].replace(",68714,639,93", ",68714,-476,-80")
    (folder / CLA).write_text("".join(lines), encoding="utf-8")
    result = carebook("run", "nottingham", "--notebooks", "sufficiency", "--jobs", "1", "--quiet", "--no-pdf-charts",
                      env={"CAREBOOK_PUBLIC_DATA": str(folder), "CAREBOOK_SITE": str(tmp_path / "site")})
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("FAILED nottingham/sufficiency: InputError: dfe/cla_number_and_rate_per_10k_children.csv: line 204, "
            "column children_count: expected a count, rate or share of 0 or more, got -476") in result.stdout
    assert "Traceback" not in result.stdout + result.stderr

