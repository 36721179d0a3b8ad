"""Only what changed is run: a second run skips the notebooks whose inputs are unchanged and
says so, --force runs them all, and changing one council file runs that council only.

The runs execute the stub notebooks (``alpha`` and ``beta``) of ``tests/fixtures/notebooks``
in a temporary site whose previous book (no fingerprints) is re-run the first time.
"""

from __future__ import annotations

import pytest

from carebook import cli, runner
from carebook.params import load_council
from carebook.paths import ROOT


@pytest.fixture
def site(stub_site, councils_dir, monkeypatch):
    for slug in ("rotherham", "nottingham"):
        (councils_dir / f"{slug}.yml").write_text((ROOT / "data" / "councils" / f"{slug}.yml").read_text())
    monkeypatch.setenv("CAREBOOK_STUB_EDITION", "2")
    return stub_site


RUN = ["run", "rotherham", "nottingham", "--notebooks", "alpha,beta", "--jobs", "2", "--quiet"]


def ran(site) -> list[tuple[str, str]]:
    """The (council, notebook) whose executed notebook this run wrote (the stub records its pids)."""
    return sorted((p.parts[-3], p.stem.removeprefix("pids_")) for p in site.glob("*/results/pids_*.txt") if p.stat().st_size)


def clear_pids(site) -> None:
    for path in site.glob("*/results/pids_*.txt"):
        path.write_text("")


def test_a_second_run_skips_what_is_unchanged_and_says_so(site, installed, capsys):
    assert cli.main(RUN) == 0
    first = capsys.readouterr().out
    assert "4 of 4 notebooks succeeded;" in first and "skipped" not in first
    assert ran(site) == [("nottingham", "alpha"), ("nottingham", "beta"), ("rotherham", "alpha"), ("rotherham", "beta")]
    manifest = runner.read_manifest(site)
    clear_pids(site)
    before = installed.files(site)

    assert cli.main(RUN) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "carebook: 4 unchanged, skipped; 0 run"
    assert out[1].startswith("0 of 0 notebooks succeeded (4 unchanged, skipped; 0 run); manifest: ")
    assert ran(site) == []
    assert installed.files(site) == before
    again = runner.read_manifest(site)
    assert again.equals(manifest)  # the skipped rows are kept as they were, fingerprints and seconds
    assert installed.editions(site) == {"nottingham": {"2"}, "rotherham": {"2"}}


def test_force_runs_everything_again(site, capsys):
    assert cli.main(RUN) == 0
    clear_pids(site)
    assert cli.main([*RUN, "--force"]) == 0
    assert "4 of 4 notebooks succeeded;" in capsys.readouterr().out
    assert len(ran(site)) == 4


def test_changing_one_council_file_runs_only_that_council(site, installed, councils_dir, capsys, monkeypatch):
    assert cli.main(RUN) == 0
    clear_pids(site)
    path = councils_dir / "nottingham.yml"
    path.write_text(path.read_text() + "\n# reviewed\n")
    monkeypatch.setenv("CAREBOOK_STUB_EDITION", "2")
    assert cli.main(RUN) == 0
    out = capsys.readouterr().out
    assert "carebook: 2 unchanged, skipped; 2 run" in out
    assert "2 of 2 notebooks succeeded (2 unchanged, skipped; 2 run)" in out
    assert ran(site) == [("nottingham", "alpha"), ("nottingham", "beta")]
    assert list(zip(*[runner.read_manifest(site)[c] for c in ("council", "notebook")])) == [
        ("rotherham", "alpha"), ("rotherham", "beta"), ("nottingham", "alpha"), ("nottingham", "beta")]


def test_a_missing_page_or_a_failure_is_run_again_and_the_council_keeps_its_other_pages(site, installed):
    councils = [load_council("rotherham"), load_council("nottingham")]
    runner.run(councils, ["alpha", "beta"], jobs=2)
    clear_pids(site)
    (site / "rotherham" / "beta.ipynb").unlink()
    manifest = site / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("nottingham,Nottingham,alpha,ok", "nottingham,Nottingham,alpha,failed"))
    planned = []
    outcomes = runner.run(councils, ["alpha", "beta"], jobs=2, planned=lambda run, skipped: planned.append((run, skipped)))
    assert planned == [(2, 2)]
    assert ran(site) == [("nottingham", "alpha"), ("rotherham", "beta")]
    assert [(o.council, o.notebook, o.skipped) for o in outcomes] == [
        ("rotherham", "alpha", True), ("rotherham", "beta", False), ("nottingham", "alpha", False), ("nottingham", "beta", True)]
    assert sorted(p.name for p in (site / "rotherham").glob("*.ipynb")) == ["alpha.ipynb", "beta.ipynb"]
    assert sorted(p.name for p in (site / "nottingham").glob("*.ipynb")) == ["alpha.ipynb", "beta.ipynb"]
    assert list(runner.read_manifest(site)["status"]) == ["ok"] * 4
