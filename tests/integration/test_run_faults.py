"""Faults of a real ``carebook run`` process: Ctrl-C, kill -9 and two runs at once.

Each test runs the stub notebooks (``tests/fixtures/notebooks``) in a temporary site that
starts with a book of Rotherham and Nottingham (edition "previous"); one of them sleeps so
that the fault arrives while its kernel is running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from carebook import runner

CAREBOOK = Path(sys.executable).parent / "carebook"
pytestmark = pytest.mark.slow

RUN = ["run", "rotherham", "nottingham", "--notebooks", "alpha,beta", "--jobs", "2", "--quiet"]


def start(*args: str, sleep: str = "", edition: str = "2") -> subprocess.Popen:
    """``carebook ARGS`` in its own session (as a terminal's foreground job)."""
    env = {**os.environ, "CAREBOOK_STUB_SLEEP": sleep, "CAREBOOK_STUB_EDITION": edition}
    return subprocess.Popen([str(CAREBOOK), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def running(root: Path, slug: str, notebook: str, timeout: float = 40.0) -> tuple[int, int]:
    """Wait until the stub notebook runs; its kernel's and worker's process ids."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p.read_text() for p in root.glob(f".staging/*/{slug}/results/pids_{notebook}.txt")]
        if found and found[0]:
            kernel, worker = found[0].split()
            return int(kernel), int(worker)
        time.sleep(0.1)
    raise AssertionError(f"{slug}/{notebook} never started")


def all_gone(pids: list[int], timeout: float) -> float:
    """Seconds until none of ``pids`` runs (zombies count as gone); fails after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        alive = []
        for pid in pids:
            try:
                alive += [pid] if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE else []
            except psutil.NoSuchProcess:
                pass
        if not alive:
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"still running after {timeout} s: {alive}")


@pytest.mark.parametrize("name, send", [("SIGINT", os.killpg), ("SIGTERM", os.kill)])
def test_ctrl_c_stops_within_seconds_and_keeps_the_previous_book(stub_site, installed, name, send):
    """Both councils have finished alpha and sleep in beta when Ctrl-C reaches the process group
    (or SIGTERM the run): exit 130 within seconds, one line, both councils keep their previous
    pages."""
    before = installed.files(stub_site)
    run = start(*RUN, sleep="rotherham/beta=60,nottingham/beta=60")
    kernels = [running(stub_site, slug, "beta") for slug in ("rotherham", "nottingham")]
    sent = time.monotonic()
    send(run.pid, signal.Signals[name])
    out, err = run.communicate(timeout=20)
    assert time.monotonic() - sent < 5
    assert run.returncode == 130, err
    assert err.strip().splitlines() == [f"carebook: interrupted by {name}: 2 of 4 notebooks finished; installed: none; "
                                        "not finished, previous pages kept: rotherham, nottingham"]
    all_gone([pid for pair in kernels for pid in pair], timeout=3)
    assert installed.files(stub_site) == before
    assert not (stub_site / runner.STAGING).exists()
    pages = installed.pages(stub_site)
    assert pages["rotherham"].count("- Edition: **previous**") == 2


def test_kill_9_stops_the_workers_and_kernels_and_the_next_run_recovers(stub_site, installed):
    """kill -9 of the run while both councils sleep in beta: the workers and kernels stop within
    seconds, nothing is installed; the next run clears the staging area and installs both."""
    before = installed.files(stub_site)
    run = start(*RUN, sleep="rotherham/beta=60,nottingham/beta=60")
    processes = [pid for slug in ("rotherham", "nottingham") for pid in running(stub_site, slug, "beta")]
    run.kill()
    run.communicate(timeout=10)
    assert all_gone(processes, timeout=5) < 5
    assert installed.files(stub_site) == before
    assert "- Edition: **previous**" in installed.pages(stub_site)["nottingham"]
    assert (stub_site / runner.STAGING).exists()  # the dead run's work, never installed

    again = start(*RUN, edition="3")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert "4 of 4 notebooks succeeded" in out
    assert not (stub_site / runner.STAGING).exists()
    assert installed.editions(stub_site) == {"rotherham": {"3"}, "nottingham": {"3"}}


def test_two_runs_at_once_both_stay_in_the_book(stub_site, installed):
    """Rotherham is running when Nottingham is started: Nottingham says it waits, then adds
    itself to Rotherham's book. A later run on its own replaces the book (no --keep)."""
    manifest = stub_site / "manifest.csv"
    manifest.write_text(manifest.read_text() + "leeds,Leeds,alpha,ok,1.5,\n")
    first = start("run", "rotherham", "--notebooks", "alpha", "--quiet", sleep="rotherham/alpha=8")
    running(stub_site, "rotherham", "alpha")
    second = start("run", "nottingham", "--notebooks", "alpha", "--quiet")
    out_second, err_second = second.communicate(timeout=60)
    out_first, err_first = first.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 0), err_first + err_second
    assert err_second.strip().splitlines() == [f"carebook: another carebook run is using {stub_site.parents[1]}; waiting"]
    table = runner.read_manifest(stub_site)
    assert list(zip(table["council"], table["notebook"])) == [("rotherham", "alpha"), ("nottingham", "alpha")]
    assert installed.editions(stub_site) == {"nottingham": {"2"}, "rotherham": {"2"}}
    assert set(installed.pages(stub_site)) == {"rotherham", "nottingham"}

    alone = start("run", "nottingham", "--notebooks", "alpha", "--quiet", edition="3")
    alone.communicate(timeout=60)
    assert list(runner.read_manifest(stub_site)["council"]) == ["nottingham"]
