"""Fingerprints change with what a notebook's pages depend on, and with nothing else."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from carebook import fingerprint
from carebook.params import load_council
from carebook.paths import ROOT

NOTEBOOK = ROOT / "tests" / "fixtures" / "notebooks" / "alpha.ipynb"


def by_hand(*parts: bytes) -> str:
    """The digest worked as the module documents it: each part's length (8 bytes, little
    endian) then the part, SHA-256, the first 16 hex digits."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(len(part).to_bytes(8, "little") + part)
    return hashed.hexdigest()[:16]


def test_a_digest_is_the_documented_hash_of_its_parts():
    assert fingerprint.digest(["ab", b"c"]) == by_hand(b"ab", b"c")
    assert fingerprint.digest(["ab", "c"]) != fingerprint.digest(["a", "bc"])  # the lengths keep parts apart


def test_a_folder_listing_is_names_sizes_and_modification_times(tmp_path):
    (tmp_path / "dfe").mkdir()
    table = tmp_path / "dfe" / "cla.csv"
    table.write_text("code,count\n")  # 11 bytes
    os.utime(table, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert fingerprint.listing_digest(tmp_path) == by_hand(b"dfe/cla.csv", b"11", b"1700000000000000000")
    assert fingerprint.listing_digest(tmp_path / "missing") == ""


@pytest.fixture
def shared(tmp_path) -> fingerprint.Shared:
    public = tmp_path / "public"
    public.mkdir()
    (public / "cla.csv").write_text("code,count\n")
    return fingerprint.Shared.now(public)


@pytest.fixture
def two_councils(councils_dir):
    for slug in ("rotherham", "nottingham"):
        (councils_dir / f"{slug}.yml").write_text((ROOT / "data" / "councils" / f"{slug}.yml").read_text())
    return councils_dir


def print_of(ref: str, shared: fingerprint.Shared, notebook: Path = NOTEBOOK, name: str = "alpha") -> str:
    return fingerprint.fingerprint(load_council(ref), name, notebook, {"council": ref}, shared)


def test_the_same_inputs_give_the_same_fingerprint(two_councils, shared, tmp_path):
    first = print_of("nottingham", shared)
    assert len(first) == 16
    assert print_of("nottingham", shared) == first
    assert print_of("nottingham", fingerprint.Shared.now(tmp_path / "public")) == first
    assert print_of("rotherham", shared) != first


def test_changing_a_council_file_changes_that_council_s_fingerprint_only(two_councils, shared):
    nottingham, rotherham = print_of("nottingham", shared), print_of("rotherham", shared)
    path = two_councils / "nottingham.yml"
    path.write_text(path.read_text() + "\n# a comment changes the file, not the parameters\n")
    assert print_of("nottingham", shared) != nottingham
    assert print_of("rotherham", shared) == rotherham


def test_changing_the_notebook_changes_the_fingerprint(two_councils, shared, tmp_path):
    copy = tmp_path / "alpha.ipynb"
    copy.write_bytes(NOTEBOOK.read_bytes())
    before = print_of("nottingham", shared, copy)
    assert before == print_of("nottingham", shared)  # the contents count, not where the file is
    copy.write_bytes(NOTEBOOK.read_bytes().replace(b"Stub alpha", b"Stub alpha, edited"))
    assert print_of("nottingham", shared, copy) != before


def test_changing_the_official_statistics_folder_changes_every_fingerprint(two_councils, shared, tmp_path):
    before = print_of("nottingham", shared)
    table = tmp_path / "public" / "cla.csv"
    table.write_text("code,count\nE06000018,650\n")
    assert print_of("nottingham", fingerprint.Shared.now(tmp_path / "public")) != before
    (tmp_path / "public" / "new.csv").write_text("x\n")
    assert fingerprint.Shared.now(tmp_path / "public").public_data != shared.public_data


def test_the_environment_counts_but_not_the_site(two_councils, tmp_path, monkeypatch):
    (tmp_path / "public").mkdir()
    before = print_of("nottingham", fingerprint.Shared.now(tmp_path / "public"))
    monkeypatch.setenv("CAREBOOK_SITE", str(tmp_path / "elsewhere"))
    assert print_of("nottingham", fingerprint.Shared.now(tmp_path / "public")) == before
    monkeypatch.setenv("CAREBOOK_PDF_CHARTS", "0")
    assert print_of("nottingham", fingerprint.Shared.now(tmp_path / "public")) != before


def test_the_illustrative_appraisal_depends_on_the_programme_council_file():
    leeds = load_council("Leeds")  # no council file: national defaults and the illustrative programme
    assert fingerprint.borrowed_files(leeds, "cost_benefit") == [ROOT / "data" / "councils" / "rotherham.yml"]
    assert fingerprint.borrowed_files(leeds, "sufficiency") == []
    assert fingerprint.borrowed_files(load_council("rotherham"), "cost_benefit") == []
