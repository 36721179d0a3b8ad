"""Every council, every analysis: councils whose own figures are suppressed fall back to a
stated comparator (the full official statistics)."""

from __future__ import annotations

import pytest

from carebook import comparator, geo
from carebook.flow.analysis import analyse as run_flow_model
from carebook.params import load_council

pytestmark = pytest.mark.public_data


def test_city_of_london_flow_estimates_its_suppressed_stages_from_its_neighbours() -> None:
    flow = run_flow_model(load_council("E09000001"))
    evidence = flow.official.evidence.set_index("measure")
    # referrals are published (57 in the year to 31 March 2025) and kept
    assert flow.base.year == "2024/25"
    assert evidence.loc["referrals", "children"] == 57
    assert evidence.loc["referrals", "basis"] == "own"
    # conferences are suppressed: its ten statistical neighbours held 2,570 conferences in 2024-25 among
    # 429,718 children aged 0 to 17 (mid-2024): 59.81 per 10,000, x 847 City of London children = 5.07
    assert evidence.loc["conferences", "basis"] == "comparator"
    assert evidence.loc["conferences", "children"] == pytest.approx(2570 / 429_718 * 847, rel=1e-9)
    assert flow.official.estimated == ["Initial child protection conferences", "Child protection plans started"]
    assert flow.official.comparators[0].kind == "statistical neighbours"
    assert "estimated from comparator councils' rates per 10,000 children" in flow.base.source


def test_isles_of_scilly_flow_runs_with_its_entries_into_care_estimated() -> None:
    flow = run_flow_model(load_council("E06000053"))
    evidence = flow.official.evidence.set_index("measure")
    assert evidence.loc["entries_into_care", "basis"] == "comparator"
    assert evidence.loc["referrals", "children"] == 32
    assert flow.savings["saving_gbp"].notna().all()


def test_every_region_has_its_councils() -> None:
    placed = comparator.regions()
    sizes = placed.groupby("region_name").size()
    assert len(sizes) == 9
    assert sizes["London"] == 33
    assert sizes.sum() == 153


def test_every_council_is_placed_in_england() -> None:
    centroids = geo.council_centroids()
    assert len(centroids) == 153
    # England lies within these British National Grid bounds (metres)
    assert centroids["easting_m"].between(80_000, 660_000).all()
    assert centroids["northing_m"].between(0, 660_000).all()


def test_isles_of_scilly_synthetic_extract_is_calibrated_to_its_neighbours() -> None:
    from carebook.ssda903.calibration import calibration_targets  # noqa: PLC0415

    targets = calibration_targets(load_council("E06000053"), 2016, 2025)
    # its ten statistical neighbours looked after 5,917 children at 31 March 2025 among 1,245,946
    # children aged 0 to 17: 47.5 per 10,000, x 319 Scilly children = 1.5, rounded to 2
    assert round(5_917 / 1_245_946 * 319) == 2
    assert targets.stock[2025] == 2
    assert targets.basis.startswith("the rate per 10,000 children of a comparator (its ten statistical neighbours")


class _SummaryPage:
    """Records the executive-summary entry a page module writes for a council."""

    def __init__(self, council: str) -> None:
        self.council = load_council(council)

    def summary(self, **entry: object) -> None:
        self.entry = entry


def test_a_comparator_flow_is_marked_in_its_summary() -> None:
    from carebook.flow import page as flow_page  # noqa: PLC0415

    scilly, triborough = _SummaryPage("E06000053"), _SummaryPage("triborough")
    flow_page.summarise(scilly, run_flow_model(scilly.council))
    flow_page.summarise(triborough, run_flow_model(triborough.council))
    assert scilly.entry["basis"] == ("illustrative", "comparator")  # the Tri-borough's changes; estimated base figures
    assert "less than one child fewer a year would enter care" in scilly.entry["answer"]
    assert "estimated from comparator councils" in scilly.entry["certainty"]
    assert triborough.entry["basis"] == ()  # its own base year and its own changes


def test_a_region_group_sums_its_members_published_counts() -> None:
    from carebook import public  # noqa: PLC0415

    flow = run_flow_model(load_council("region:E12000004"))
    c1 = public.read("dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", numeric=["referral_count"])
    members = c1[(c1["geographic_level"] == "Local authority") & (c1["region_code"] == "E12000004") & (c1["time_period"] == "2025")]
    # the ten East Midlands councils' referrals in 2024-25 sum to 53,189 (DfE's regional row, rounded, says 53,190)
    assert len(members) == 10 and members["referral_count"].sum() == 53_189
    assert flow.base.year == "2024/25" and flow.base.referrals == 53_189
    assert flow.official.comparators == ()


def test_a_suppressed_count_is_not_published_on_the_england_page_never_zero() -> None:
    """Birmingham's and Bradford's own provision is suppressed by DfE in 2025: their in-house
    share is not published, not 0% (Barnet's is 121 of 343 = 35%)."""
    from carebook import national  # noqa: PLC0415

    table = national.with_measures(national.council_counts()).set_index("la_name")
    assert table.loc[["Birmingham", "Bradford"], "in_house_share"].isna().all()
    assert round(table.loc["Barnet", "in_house_share"], 4) == round(121 / 343, 4)
