"""The synthetic extract of a council is generated once per set of inputs and shared."""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.params import load_council
from carebook.public import data_dir
from carebook.ssda903 import cache, load_for_council
from carebook.ssda903.params import Ssda903Params
from carebook.ssda903.synth import generate


@pytest.fixture(autouse=True)
def fresh_memory():
    cache.clear_memory()
    yield
    cache.clear_memory()


def small(seed: int = 1):
    council = load_council("buckinghamshire")
    return council.model_copy(update={"ssda903": Ssda903Params(synth_start_year=2024, synth_end_year=2025, seed=seed)})


def test_an_extract_is_made_once_per_key_written_atomically_and_returned_as_a_copy(tmp_path):
    made = []

    def make():
        made.append(1)
        return generate(small(), 2024, 2025, seed=1)

    first = cache.cached_extract("k1", make, tmp_path, "bucks")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bucks-k1.pickle"]  # no temporary file left
    first.episodes.loc[:, "PLACE"] = "XX"  # a notebook changing its frames
    second = cache.cached_extract("k1", make, tmp_path, "bucks")
    cache.clear_memory()
    third = cache.cached_extract("k1", make, tmp_path, "bucks")  # another process: read from the folder
    assert len(made) == 1
    assert (second.episodes["PLACE"] != "XX").all()
    pd.testing.assert_frame_equal(second.episodes, third.episodes)
    pd.testing.assert_frame_equal(second.header, third.header)
    cache.cached_extract("k2", make, tmp_path, "bucks")
    assert len(made) == 2
    cache.cached_extract("k3", make, tmp_path, "leeds")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bucks-k2.pickle", "leeds-k3.pickle"]  # the latest of each council


def test_the_key_is_the_fingerprint_of_the_generator_s_inputs(tmp_path):
    public = tmp_path / "public"
    public.mkdir()
    key = cache.extract_key(small(), public)
    assert cache.extract_key(small(), public) == key
    assert cache.extract_key(small(seed=2), public) != key
    (public / "cla.csv").write_text("code\n")
    assert cache.extract_key(small(), public) != key


def test_load_for_council_shares_the_generated_extract(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENVIRONMENT, str(tmp_path / "cache"))
    council = small()
    shared = load_for_council(council)
    assert [p.name for p in (tmp_path / "cache").glob("*.pickle")] == [f"buckinghamshire-{cache.extract_key(council, data_dir())}.pickle"]
    cache.clear_memory()
    monkeypatch.setattr("carebook.ssda903.synth.generate", lambda *a, **k: pytest.fail("generated again"))
    again = load_for_council(council)
    assert again.is_synthetic and again.source == shared.source
    pd.testing.assert_frame_equal(again.episodes, shared.episodes)
    monkeypatch.undo()
    pd.testing.assert_frame_equal(shared.episodes, generate(council, 2024, 2025, seed=1).episodes)
