"""The ssda903 section of a council file: snapshot targets are checked on reading."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from carebook.errors import InputError
from carebook.params import load_council
from carebook.ssda903.params import Snapshot, SnapshotRow, Ssda903Params
from carebook.ssda903.synth import generate


def test_splits_must_add_up_to_the_row():
    with pytest.raises(ValidationError, match=r"expected male \+ female = count \(5\), got 2 \+ 2"):
        SnapshotRow(group="fostering", count=5, sex={"male": 2, "female": 2})
    with pytest.raises(ValidationError, match="expected legal statuses to sum to at most 3, got 4"):
        SnapshotRow(group="residential", count=3, legal_status={"section_20": 4})
    with pytest.raises(ValidationError, match="expected rows to sum to at most the total 10"):
        Snapshot(date=dt.date(2020, 3, 31), source="test", total=10, rows=[SnapshotRow(group="other", count=11)])
    with pytest.raises(ValidationError, match="synth_end_year >= synth_start_year"):
        Ssda903Params(synth_start_year=2020, synth_end_year=2019)
    with pytest.raises(ValidationError):
        Ssda903Params(mode="relaxed")


def test_a_snapshot_the_children_in_care_cannot_fill_is_a_clear_error():
    council = load_council("buckinghamshire")
    impossible = Snapshot(date=dt.date(2024, 9, 30), source="test",
                          rows=[SnapshotRow(group="semi_independence", count=5000)])
    params = Ssda903Params(synth_start_year=2024, synth_end_year=2025, snapshots=[impossible])
    with pytest.raises(InputError, match="expected the snapshot rows of 2024-09-30 to fit the children in care"):
        generate(council.model_copy(update={"ssda903": params}))


def test_a_snapshot_row_is_met_exactly_on_any_date():
    from carebook.ssda903 import periods

    council = load_council("warwickshire")
    row = SnapshotRow(group="residential", provider="in_house", count=12, sex={"male": 7, "female": 5})
    params = Ssda903Params(synth_start_year=2023, synth_end_year=2025,
                           snapshots=[Snapshot(date=dt.date(2024, 10, 1), source="test", rows=[row])])
    extract = generate(council.model_copy(update={"ssda903": params}))
    episodes = periods.with_groups(extract.episodes)
    on = episodes[periods.open_on(episodes, "2024-10-01")].merge(extract.header, on="CHILD")
    in_house = on[(on["sufficiency_group"] == "residential") & (on["PLACE_PROVIDER"] == "PR1")]
    assert len(in_house) == 12
    assert in_house["SEX"].value_counts().to_dict() == {"1": 7, "2": 5}
