"""Back-tests: one run of every notebook for the six default councils in a temporary site,
checked against the signed-off figures in tests/backtests (``carebook backtest --update``
rewrites them)."""

from __future__ import annotations

import time

import pytest

from carebook import backtest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    started = time.monotonic()
    done = backtest.run_councils(site, jobs=2)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"back-test run: {time.monotonic() - started:.0f} s")
    return site


def test_the_signed_off_files_cover_every_notebook_of_the_six_councils():
    files = sorted(p.stem for p in backtest.BACKTESTS.glob("*.csv"))
    assert len(backtest.default_councils()) == 6
    assert files == sorted(f"{c}_{n}" for c in backtest.default_councils()
                           for n in ("sufficiency", "flow_model", "volume_sizing", "cost_benefit"))
    signed = backtest.signed_off()
    headline = signed.set_index(["council", "notebook", "key"])
    assert headline.loc[("nottingham", "sufficiency", "within_20_council"), "tolerance"] == "0.5%"
    assert headline.loc[("nottingham", "sufficiency", "year"), "tolerance"] == "exact"


def test_no_signed_off_figure_moved_beyond_its_tolerance(run):
    moved = backtest.moved(backtest.signed_off(), backtest.figures_of(run, backtest.default_councils()))
    assert moved.empty, "figures moved beyond their tolerance:\n" + backtest.moved_as_text(moved)
