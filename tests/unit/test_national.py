"""England on one page: the overview's data, its map and the region groups."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from carebook import book, geo, national
from carebook.params import load_council

NAN = float("nan")
COUNTS = pd.DataFrame({
    "new_la_code": ["A1", "A2", "B1"],
    "la_name": ["Alpha One", "Alpha Two", "Beta One"],
    "region_code": ["R1", "R1", "R2"],
    "region_name": ["North", "North", "South"],
    "children": [100.0, 50.0, 30.0],
    "population": [20_000.0, 5_000.0, 10_000.0],
    "over_20": [10.0, 20.0, NAN],
    "distance_total": [100.0, 50.0, 30.0],
    "in_house": [40.0, 10.0, 3.0],
    "provider_total": [100.0, 50.0, 30.0],
    "spend_gbp": [5_000_000.0, 3_000_000.0, 2_400_000.0],
    "spend_children": [100.0, 50.0, 30.0],
})  # fmt: skip
CENTROIDS = pd.DataFrame({"la_code": ["A1", "A2", "B1"], "easting_m": [400_000.0, 420_000.0, 300_000.0],
                          "northing_m": [400_000.0, 410_000.0, 100_000.0], "postcodes": [10, 20, 30]})
RUNS = [national.RunCouncil("alpha", "Alpha Group", ("A1", "A2")), national.RunCouncil("beta-one", "Beta One", ("B1",))]


def test_measures_are_ratios_of_counts() -> None:
    measured = national.with_measures(COUNTS).set_index("new_la_code")
    # Alpha One: 100 children looked after / 20,000 children x 10,000 = 50 per 10,000
    assert measured.loc["A1", "rate_per_10000"] == pytest.approx(50.0)
    assert measured.loc["A2", "over_20_share"] == pytest.approx(0.4)  # 20 of 50
    assert measured.loc["B1", "spend_per_child_gbp"] == pytest.approx(80_000.0)  # £2.4m / 30
    assert np.isnan(measured.loc["B1", "over_20_share"])  # suppressed stays missing


def test_a_group_sums_its_members_counts() -> None:
    groups = pd.DataFrame({"group": ["alpha", "alpha"], "name": ["Alpha Group"] * 2, "new_la_code": ["A1", "A2"]})
    summed = national.with_measures(national.group_counts(COUNTS, groups)).iloc[0]
    assert summed["children"] == 150  # 100 + 50
    assert summed["members"] == 2
    # (100 + 50) / (20,000 + 5,000) x 10,000 = 60 per 10,000 (not the mean of 50 and 100)
    assert summed["rate_per_10000"] == pytest.approx(60.0)
    assert summed["over_20_share"] == pytest.approx(30 / 150)
    assert summed["spend_per_child_gbp"] == pytest.approx(8_000_000 / 150)


def test_a_group_with_a_suppressed_member_is_not_published_unless_skipping() -> None:
    groups = pd.DataFrame({"group": ["all"] * 3, "name": ["All"] * 3, "new_la_code": ["A1", "A2", "B1"]})
    strict = national.with_measures(national.group_counts(COUNTS, groups)).iloc[0]
    assert np.isnan(strict["over_20_share"])
    known = national.with_measures(national.group_counts(COUNTS, groups, skip_missing=True)).iloc[0]
    # B1's distance is suppressed: its total is left out too, (10 + 20) / (100 + 50)
    assert known["over_20_share"] == pytest.approx(0.2)
    assert known["children"] == 180


def test_the_overview_covers_every_council_run_each_with_a_link() -> None:
    page = national.england_page(RUNS, counts=COUNTS, centroids=CENTROIDS)
    spec = json.loads(re.search(r'id="england-map-spec">(.*?)</script>', page, re.S)[1].replace("<\\/", "</"))
    links = {row["new_la_code"]: row["url"] for row in spec["data"]["values"]}
    assert links == {"A1": "../councils/alpha/index.html", "A2": "../councils/alpha/index.html",
                     "B1": "../councils/beta-one/index.html"}
    assert page.count('<a href="../councils/alpha/index.html">') == 2
    assert '<a href="../councils/beta-one/index.html">Beta One</a>' in page
    assert 'data-region="South"' in page


def test_a_council_not_run_has_no_link() -> None:
    table = national.overview_table(COUNTS, CENTROIDS, RUNS[1:])
    assert table.set_index("new_la_code")["url"].isna().to_dict() == {"A1": True, "A2": True, "B1": False}


def test_the_map_spec_fetches_nothing() -> None:
    spec = national.map_spec(national.overview_table(COUNTS, CENTROIDS, RUNS))
    text = json.dumps(spec)
    assert not re.search(r"https?://", text)
    assert "url" not in spec["data"]
    assert "projection" not in spec  # eastings and northings drawn directly: no basemap
    assert [m.key for m in national.MEASURES] == spec["params"][0]["bind"]["options"]


def test_rankings_sort_on_numbers_and_mark_suppressed_cells() -> None:
    html = national.rankings_html(national.overview_table(COUNTS, CENTROIDS, RUNS))
    assert '<td data-sort="50">50</td>' in html  # Alpha One's rate per 10,000
    assert '<td data-sort="80000">£80,000</td>' in html
    assert '<td data-sort="" class="not-published">not published</td>' in html


def test_council_centroid_is_the_mean_of_its_postcodes() -> None:
    index = {"la": np.array([0, 0, 1, 0], dtype="int16"), "la_codes": np.array(["X", "Y"]),
             "easting": np.array([100, 200, 900, 300], dtype="int32"),
             "northing": np.array([10, 20, 90, 60], dtype="int32")}
    centroids = geo.build_authority_centroids(index).set_index("la_code")
    assert centroids.loc["X", "easting_m"] == pytest.approx(200.0)  # (100 + 200 + 300) / 3
    assert centroids.loc["X", "northing_m"] == pytest.approx(30.0)  # (10 + 20 + 60) / 3
    assert centroids.loc["Y", "postcodes"] == 1


def test_a_region_runs_as_a_group_of_its_councils() -> None:
    council = load_council("region:E12000004")
    assert council.name == "East Midlands region"
    assert council.slug == "region-east-midlands"
    assert len(council.codes) == 10 and "E06000018" in council.codes  # Nottingham
    assert load_council("region-east-midlands").codes == council.codes
    london = load_council("region:london")
    assert len(london.codes) == 33 and london.region_code == "E12000007"


def test_the_overview_opens_the_councils_part() -> None:
    runs = [book.CouncilRun("rotherham", "Rotherham", ("sufficiency",), ())]
    part = book.site_toc(runs)["parts"][-1]
    assert [c["file"] for c in part["chapters"][:2]] == ["book/_generated/england", "book/_generated/councils"]
