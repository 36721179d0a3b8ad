"""`carebook diff` and the back-tests on small hand-made runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from carebook import backtest, diff

HEADER = "key,label,value,text,function,parameters,data_files,sources\n"


def write_run(root: Path, figures: dict[tuple[str, str], str]) -> Path:
    """A run folder (a site) with figures_<notebook>.csv per council: rows 'key,label,value,text'."""
    for (council, notebook), rows in figures.items():
        results = root / "book" / "councils" / council / "results"
        results.mkdir(parents=True, exist_ok=True)
        lines = [f"{row},f,,," for row in rows.strip().splitlines()]
        (results / f"figures_{notebook}.csv").write_text(HEADER + "\n".join(lines) + "\n")
    return root


@pytest.fixture
def runs(tmp_path):
    a = write_run(tmp_path / "a", {
        ("nottingham", "sufficiency"): "cla,Children looked after,639,639\nwithin_20_council,Placed within 20 miles,0.72,72%\nregion,Region,,East Midlands",
        ("rotherham", "cost_benefit"): "npv,Net present value (£),1000000.0,\"1,000,000\"\nseed,Seed,1,1",
    })
    b = write_run(tmp_path / "b", {
        ("nottingham", "sufficiency"): "cla,Children looked after,650,650\nwithin_20_council,Placed within 20 miles,0.72,72%\nregion,Region,,the East Midlands",
        ("rotherham", "cost_benefit"): "npv,Net present value (£),996000.0,\"996,000\"\nseed,Seed,1,1\npayback,Payback year,,2021/22",
    })
    return a, b


def test_only_the_figures_that_moved_with_their_change(runs):
    moved = diff.compare_runs(runs[0], runs[1] / "book" / "councils")  # a site, or its book/councils folder
    assert moved[["council", "notebook", "key", "a", "b"]].values.tolist() == [
        ["nottingham", "sufficiency", "cla", "639", "650"],
        ["nottingham", "sufficiency", "region", "East Midlands", "the East Midlands"],
        ["rotherham", "cost_benefit", "npv", "1,000,000", "996,000"],
        ["rotherham", "cost_benefit", "payback", "(absent)", "2021/22"],
    ]
    assert moved["change"].iloc[0] == 11 and moved["change_pct"].iloc[0] == pytest.approx(11 / 639)
    assert moved["change"].iloc[2] == -4000 and moved["change_pct"].iloc[2] == pytest.approx(-0.004)
    assert moved["change"].iloc[[1, 3]].isna().all()


def test_the_diff_command_prints_them_and_exits_0(runs):
    result = subprocess.run([sys.executable, "-m", "carebook.cli", "diff", str(runs[0]), str(runs[1])],
                            capture_output=True, text=True, env=os.environ, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["council", "notebook", "key", "label", "A", "B", "change", "change", "%"]
    assert lines[1].split() == ["nottingham", "sufficiency", "cla", "Children", "looked", "after", "639", "650", "+11", "+1.7%"]
    assert lines[3].split()[-4:] == ["1,000,000", "996,000", "-4,000", "-0.4%"]
    assert lines[-1] == "4 figures moved."
    same = subprocess.run([sys.executable, "-m", "carebook.cli", "diff", str(runs[0]), str(runs[0])],
                          capture_output=True, text=True, env=os.environ, check=False)
    assert (same.returncode, same.stdout) == (0, "No figure moved.\n")


def test_a_missing_run_folder_is_one_clear_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "carebook.cli", "diff", str(tmp_path / "none"), str(tmp_path)],
                            capture_output=True, text=True, env=os.environ, check=False)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("carebook: error: ") and "none: expected a run folder (a site, or its book/councils folder)" in result.stderr


def signed(rows: str) -> pd.DataFrame:
    frame = pd.DataFrame([r.split(",") for r in rows.strip().splitlines()], columns=["council", "notebook", "key", "value", "tolerance"])
    return frame


def test_figures_moved_beyond_their_tolerance_or_missing(runs):
    now = backtest.figures_of(runs[1], ["nottingham", "rotherham"])
    expected = signed("""
nottingham,sufficiency,cla,639,exact
nottingham,sufficiency,within_20_council,0.72,0.5%
rotherham,cost_benefit,npv,1000000.0,0.5%
rotherham,cost_benefit,seed,1,exact
rotherham,cost_benefit,bcr,1.5,0.5%
""")
    moved = backtest.moved(expected, now)
    # cla: 639 -> 650 (exact); npv: -0.4% is within 0.5%; bcr is no longer recorded.
    assert moved[["key", "signed_off", "now"]].values.tolist() == [["cla", "639", "650"], ["bcr", "1.5", "(absent)"]]
    looser = expected.assign(tolerance=expected["tolerance"].where(expected["key"] != "cla", "2%"))
    assert backtest.moved(looser, now)["key"].tolist() == ["bcr"]
    tighter = expected.assign(tolerance=expected["tolerance"].where(expected["key"] != "npv", "0.3%"))
    assert backtest.moved(tighter, now)["key"].tolist() == ["cla", "npv", "bcr"]


def test_update_keeps_each_figures_tolerance_and_defaults_new_ones(runs, tmp_path):
    now = backtest.figures_of(runs[1], ["nottingham", "rotherham"])
    kept = signed("nottingham,sufficiency,cla,639,2%")
    files = backtest.proposal(kept, now)
    assert files[["council", "key", "value", "tolerance"]].values.tolist() == [
        ["nottingham", "cla", "650", "2%"], ["nottingham", "within_20_council", "0.72", "0.5%"],
        ["rotherham", "npv", "996000.0", "0.5%"], ["rotherham", "seed", "1", "exact"],
    ]
    folder = tmp_path / "backtests"
    (folder).mkdir()
    (folder / "leeds_sufficiency.csv").write_text("key,value,tolerance\n")
    written = backtest.write(files, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["nottingham_sufficiency.csv", "rotherham_cost_benefit.csv"] == sorted(p.name for p in written)
    assert (folder / "rotherham_cost_benefit.csv").read_text() == "key,value,tolerance\nnpv,996000.0,0.5%\nseed,1,exact\n"
    assert backtest.signed_off(folder)["tolerance"].tolist() == ["2%", "0.5%", "0.5%", "exact"]


@pytest.mark.parametrize(("value", "text", "tolerance"), [
    ("639", "639", "exact"), ("639.0", "639", "exact"), ("4.0", "£4m", "0.5%"), ("0.72", "72%", "0.5%"),
    ("1234.0", "£1,234", "0.5%"), ("2.0", "2.0", "0.5%"),
])
def test_default_tolerances_exact_for_counts(value, text, tolerance):
    assert backtest.default_tolerance(value, text) == tolerance
    assert backtest.default_tolerance("996000.0", "996,000", "Net present value (£)") == "0.5%"
    assert backtest.parse_tolerance("exact") == 0 and backtest.parse_tolerance("0.5%") == 0.005


def test_a_bad_tolerance_names_the_file(tmp_path):
    (tmp_path / "nottingham_sufficiency.csv").write_text("key,value,tolerance\ncla,639,about\n")
    with pytest.raises(Exception, match="expected a tolerance such as 'exact' or '0.5%', got 'about'") as error:
        backtest.signed_off(tmp_path)
    assert "nottingham_sufficiency.csv" in str(error.value)


def test_backtest_update_shows_the_differences_and_writes_only_with_yes(runs, monkeypatch, tmp_path, capsys):
    from carebook import cli

    folder = tmp_path / "backtests"
    folder.mkdir()
    (folder / "nottingham_sufficiency.csv").write_text("key,value,tolerance\ncla,639,exact\n")
    monkeypatch.setattr(backtest, "BACKTESTS", folder)
    monkeypatch.setattr(backtest, "default_councils", lambda: ["nottingham"])
    assert cli.main(["backtest", "--run", str(runs[1])]) == 1
    assert "cla" in capsys.readouterr().out
    assert cli.main(["backtest", "--run", str(runs[1]), "--update"]) == 0
    out = capsys.readouterr().out
    assert "639" in out and "650" in out and "Nothing written" in out
    assert (folder / "nottingham_sufficiency.csv").read_text() == "key,value,tolerance\ncla,639,exact\n"
    assert cli.main(["backtest", "--run", str(runs[1]), "--update", "--yes"]) == 0
    assert (folder / "nottingham_sufficiency.csv").read_text() == "key,value,tolerance\ncla,650,exact\nwithin_20_council,0.72,0.5%\n"
    assert cli.main(["backtest", "--run", str(runs[1])]) == 0
