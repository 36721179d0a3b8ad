"""The last good book is never lost: interrupted runs, full disks, unwritable folders, bad
input and concurrent runs leave the installed councils and the manifest whole.

The runs execute the stub notebooks of ``tests/fixtures/notebooks`` (``alpha`` and ``beta``)
in a temporary site that starts with a book of Rotherham and Nottingham (edition "previous").
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import threading
import time

import psutil
import pytest

from carebook import cli, runner
from carebook.params import load_council
from carebook.paths import ROOT

HEADER = "council,council_name,notebook,status,seconds,error,fingerprint"


def councils(*refs):
    return [load_council(ref) for ref in refs]


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def staged_pids(root, slug, notebook, timeout=30.0) -> tuple[int, int]:
    """The kernel's and the worker's process ids a running stub notebook recorded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in root.glob(f".staging/*/{slug}/results/pids_{notebook}.txt") if p.read_text()]
        if found:
            kernel, worker = found[0].read_text().split()
            return int(kernel), int(worker)
        time.sleep(0.1)
    raise AssertionError(f"{slug}/{notebook} never started")


def test_sigint_stops_at_once_installs_what_finished_and_keeps_the_rest(stub_site, installed, monkeypatch):
    """Rotherham's beta sleeps; once Nottingham is installed, SIGINT arrives: Rotherham's kernel
    is stopped within seconds and Rotherham keeps its previous pages (half its notebooks
    finished is not finished)."""
    monkeypatch.setenv("CAREBOOK_STUB_SLEEP", "rotherham/beta=60")
    monkeypatch.setenv("CAREBOOK_STUB_EDITION", "2")
    before = installed.files(stub_site)
    handler = signal.getsignal(signal.SIGINT)
    sleeping = {}

    def interrupt_after_nottingham(outcome):
        if (outcome.council, outcome.notebook) == ("nottingham", "beta"):
            sleeping["pids"] = staged_pids(stub_site, "rotherham", "beta")
            sleeping["at"] = time.monotonic()
            signal.raise_signal(signal.SIGINT)

    with pytest.raises(runner.Interrupted) as stopped:
        runner.run(councils("rotherham", "nottingham"), ["alpha", "beta"], jobs=2, progress=interrupt_after_nottingham)
    assert time.monotonic() - sleeping["at"] < 5
    assert all(gone(pid) for pid in sleeping["pids"])
    assert stopped.value.summary() == ("interrupted by SIGINT: 3 of 4 notebooks finished; installed: nottingham; "
                                       "not finished, previous pages kept: rotherham")
    assert installed.editions(stub_site) == {"rotherham": {"previous"}, "nottingham": {"2"}}
    after = installed.files(stub_site)
    assert {k: v for k, v in after.items() if k.startswith("rotherham/")} == {k: v for k, v in before.items() if k.startswith("rotherham/")}
    manifest = runner.read_manifest(stub_site)
    assert list(zip(manifest["council"], manifest["notebook"], manifest["seconds"] == 1.5)) == [
        ("rotherham", "alpha", True), ("rotherham", "beta", True), ("nottingham", "alpha", False), ("nottingham", "beta", False)]
    assert not (stub_site / ".staging").exists()
    pages = installed.pages(stub_site)
    assert pages["rotherham"].count("- Edition: **previous**") == 2 and "**2**" not in pages["rotherham"]
    assert pages["nottingham"].count("- Edition: **2**") == 2 and "previous" not in pages["nottingham"]
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_full_disk_is_one_line_and_spoils_nothing_installed(stub_site, installed, monkeypatch, capsys):
    """Rotherham runs first and is installed; writing Nottingham's notebook finds the disk full:
    exit 2, one line naming the folder, Nottingham keeps its previous pages."""
    monkeypatch.setenv("CAREBOOK_STUB_EDITION", "2")
    real = runner.write_notebook

    def full_for_nottingham(notebook, path):
        if "nottingham" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(notebook, path)

    monkeypatch.setattr(runner, "write_notebook", full_for_nottingham)
    before = installed.files(stub_site)
    status = cli.main(["run", "rotherham", "nottingham", "--notebooks", "alpha", "--jobs", "1", "--quiet"])
    assert status == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [f"carebook: error: {stub_site}: cannot write the executed notebooks here: no space left on device; "
                     "the pages installed before are unchanged"]
    assert installed.editions(stub_site) == {"rotherham": {"2"}, "nottingham": {"previous"}}
    after = installed.files(stub_site)
    assert {k: v for k, v in after.items() if k.startswith("nottingham/")} == {k: v for k, v in before.items() if k.startswith("nottingham/")}
    manifest = runner.read_manifest(stub_site)
    assert list(zip(manifest["council"], manifest["notebook"])) == [
        ("nottingham", "alpha"), ("nottingham", "beta"), ("rotherham", "alpha")]
    assert not (stub_site / ".staging").exists()
    installed.pages(stub_site)


def test_a_full_disk_while_writing_the_manifest_leaves_the_previous_one(stub_site, installed, monkeypatch):
    def full(table, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(runner, "_write_csv", full)
    before = installed.files(stub_site)
    with pytest.raises(runner.OutputError, match="no space left on device"):
        runner.run(councils("rotherham"), ["alpha"])
    assert installed.files(stub_site) == before


def test_notebooks_comma_is_bad_input_and_deletes_nothing(stub_site, installed, capsys):
    before = installed.files(stub_site)
    for names in (",", "", " , "):
        assert cli.main(["run", "rotherham", "--notebooks", names, "--quiet"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"carebook: error: --notebooks: expected one or more notebook names separated by commas (alpha, beta), got {names!r}"]
    assert installed.files(stub_site) == before


def test_nothing_to_run_is_refused_by_the_runner(stub_site, installed):
    before = installed.files(stub_site)
    with pytest.raises(runner.InputError, match="nothing to run"):
        runner.run(councils("rotherham"), [])
    assert installed.files(stub_site) == before


def test_a_malformed_council_file_does_not_stop_the_healthy_ones(stub_site, installed, councils_dir, monkeypatch, capsys):
    """--all with rotherham.yml, nottingham.yml and a broken.yml whose YAML is malformed: the
    two run, one line names broken.yml, exit 2; broken's previous rows stay in the manifest."""
    for slug in ("rotherham", "nottingham"):
        (councils_dir / f"{slug}.yml").write_text((ROOT / "data" / "councils" / f"{slug}.yml").read_text())
    (councils_dir / "broken.yml").write_text("name: Broken\nmembers: [E06000001\n")
    manifest = stub_site / "manifest.csv"
    manifest.write_text(manifest.read_text() + "broken,Broken,alpha,ok,1.5,\n")
    monkeypatch.setenv("CAREBOOK_STUB_EDITION", "2")
    status = cli.main(["run", "--all", "--notebooks", "alpha", "--jobs", "2", "--quiet"])
    captured = capsys.readouterr()
    assert status == 2
    lines = captured.err.strip().splitlines()
    assert lines == [f"carebook: error: {councils_dir / 'broken.yml'}: line 3: not valid YAML (expected ',' or ']', "
                     "but got '<stream end>') (not run; the other councils were)"]
    assert "2 of 2 notebooks succeeded" in captured.out
    after = runner.read_manifest(stub_site)
    assert list(zip(after["council"], after["notebook"], after["status"])) == [
        ("broken", "alpha", "ok"), ("nottingham", "alpha", "ok"), ("rotherham", "alpha", "ok")]
    assert installed.editions(stub_site) == {"nottingham": {"2"}, "rotherham": {"2"}}


def test_a_named_malformed_council_file_is_still_bad_input_before_anything_runs(stub_site, installed, councils_dir, capsys):
    (councils_dir / "broken.yml").write_text("name: Broken\nmembers: [E06000001\n")
    before = installed.files(stub_site)
    assert cli.main(["run", "broken", "--quiet"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert installed.files(stub_site) == before


def test_an_output_folder_under_a_file_is_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "site").write_text("not a folder")
    monkeypatch.setenv("CAREBOOK_SITE", str(tmp_path / "site"))
    monkeypatch.setenv("CAREBOOK_NOTEBOOKS_DIR", str(ROOT / "tests" / "fixtures" / "notebooks"))
    assert cli.main(["run", "rotherham", "--quiet"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"carebook: error: {tmp_path / 'site' / 'book' / 'councils'}: cannot write the executed notebooks here: "
        "not a directory; the pages installed before are unchanged"]


def test_an_output_folder_that_is_not_writable_is_one_line(stub_site, installed, monkeypatch, capsys):
    """The folder refuses new entries (as a folder without write permission does)."""
    real = os.mkdir

    def refused(path, *args, **kwargs):
        if str(path).startswith(str(stub_site)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refused)
    before = installed.files(stub_site)
    assert cli.main(["run", "rotherham", "--quiet"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"carebook: error: {stub_site}: cannot write the executed notebooks here: permission denied; "
        "the pages installed before are unchanged"]
    assert installed.files(stub_site) == before


def test_a_second_run_waits_for_the_lock_and_says_so(tmp_path):
    root = tmp_path / "site" / "book" / "councils"
    root.mkdir(parents=True)
    holder = open(root / runner.LOCK, "a+")
    fcntl.flock(holder, fcntl.LOCK_EX)
    release = threading.Timer(0.5, lambda: fcntl.flock(holder, fcntl.LOCK_UN))
    release.start()
    said = []
    started = time.monotonic()
    with runner.run_lock(root, said.append) as waited:
        waited_for = time.monotonic() - started
    holder.close()
    assert waited and waited_for >= 0.4
    assert said == [f"carebook: another carebook run is using {tmp_path / 'site'}; waiting"]
    with runner.run_lock(root, said.append) as waited:
        assert not waited
    assert len(said) == 1


def test_recover_puts_back_a_folder_moved_aside_by_a_run_that_died(tmp_path):
    root = tmp_path / "councils"
    aside = root / runner.STAGING / "20260101T000000-dead" / "previous" / "rotherham"
    aside.mkdir(parents=True)
    (aside / "alpha.ipynb").write_text("{}")
    (root / runner.STAGING / "20260101T000000-dead" / "nottingham").mkdir()
    (root / "nottingham").mkdir()
    (root / "nottingham" / "alpha.ipynb").write_text("installed")
    runner.recover(root)
    assert (root / "rotherham" / "alpha.ipynb").read_text() == "{}"
    assert (root / "nottingham" / "alpha.ipynb").read_text() == "installed"
    assert not (root / runner.STAGING).exists()


def test_manifest_is_written_through_a_temporary_file(tmp_path, monkeypatch):
    root = tmp_path / "councils"
    outcome = runner.Outcome("leeds", "Leeds", "alpha", "ok", 2.0, "")
    runner.write_manifest(root, [outcome], runner.read_manifest(root))
    replaced = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((os.path.basename(a), os.path.basename(b))), real(a, b)))
    runner.write_manifest(root, [runner.Outcome("york", "York", "alpha", "failed", 1.0, "ValueError: x")], runner.read_manifest(root))
    assert replaced == [(f".manifest.csv.{os.getpid()}.tmp", "manifest.csv")]
    assert (root / "manifest.csv").read_text().splitlines() == [
        HEADER, "leeds,Leeds,alpha,ok,2.0,,", "york,York,alpha,failed,1.0,ValueError: x,"]
    assert sorted(p.name for p in root.iterdir()) == ["manifest.csv"]


def test_a_book_folder_that_cannot_be_written_is_one_line(stub_site, capsys):
    """A file where a council's downloads folder should be: the build says which, in one line."""
    (stub_site / "nottingham" / "downloads").write_text("not a folder")
    assert cli.main(["build", "--jobs", "1"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [f"carebook: error: {stub_site / 'nottingham' / 'downloads'}: cannot write the book here: not a directory"]
