"""The command line: bad input gives one clear line and exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def carebook(*args, env=None):
    return subprocess.run([sys.executable, "-m", "carebook.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False)


def assert_one_clear_line(result, expected):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("carebook: error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_council_name():
    assert_one_clear_line(carebook("run", "Leds"), "unknown council 'Leds'")


def test_typo_in_a_council_file(councils_dir):
    (councils_dir / "mine.yml").write_text("name: Mine\nmembers: [E08000035]\nsufficency: {}\n")
    result = carebook("run", "mine", env={"CAREBOOK_COUNCILS_DIR": str(councils_dir)})
    assert_one_clear_line(result, "mine.yml: sufficency: unknown key 'sufficency'; did you mean 'sufficiency'?")


def test_a_rate_of_one_point_seven(councils_dir):
    (councils_dir / "mine.yml").write_text("name: Mine\nmembers: [E08000035]\nsufficiency:\n  target_fostering_in_house: 1.7\n")
    result = carebook("run", "mine", env={"CAREBOOK_COUNCILS_DIR": str(councils_dir)})
    assert_one_clear_line(result, "sufficiency.target_fostering_in_house: Input should be less than or equal to 1, got 1.7")


def test_missing_public_data_directory(tmp_path):
    result = carebook("run", "Leeds", env={"CAREBOOK_PUBLIC_DATA": str(tmp_path / "absent")})
    assert_one_clear_line(result, "absent: the official statistics folder does not exist")


def test_unknown_notebook():
    assert_one_clear_line(carebook("run", "Leeds", "--notebooks", "sufficiancy"), "--notebooks: unknown notebook 'sufficiancy'")


def test_no_council_named():
    assert_one_clear_line(carebook("run"), "name one or more councils")


def test_build_before_any_run(tmp_path):
    assert_one_clear_line(carebook("build", env={"CAREBOOK_SITE": str(tmp_path)}), "no council has been run yet")


@pytest.mark.parametrize("years", ["2025-2008", "twenty"])
def test_synth_years_are_checked(years, tmp_path):
    assert_one_clear_line(carebook("synth", "nottingham", "--out", str(tmp_path), "--years", years), "--years: expected a span of collection years")


def test_councils_lists_the_default_councils():
    result = carebook("councils")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()[:6]] == [
        "buckinghamshire", "essex", "nottingham", "rotherham", "triborough", "warwickshire"]


def test_councils_all_england_lists_every_council():
    result = carebook("councils", "--all-england")
    assert result.returncode == 0
    assert "E08000035  383  Leeds  (Yorkshire and The Humber)" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("153 English councils")


def test_pdf_of_a_council_that_was_not_run(tmp_path):
    councils = tmp_path / "book" / "councils"
    councils.mkdir(parents=True)
    (councils / "manifest.csv").write_text("council,council_name,notebook,status,seconds,error\nrotherham,Rotherham,sufficiency,ok,5.0,\n")
    result = carebook("pdf", "Leeds", env={"CAREBOOK_SITE": str(tmp_path)})
    assert_one_clear_line(result, "council 'leeds' was not in the last run")
