"""The child-level section of the sufficiency page: suppressed tables, figures, results."""

from __future__ import annotations

import pandas as pd
import pytest
from sufficiency_903_fixture import EPISODES, HEADER

from carebook.params import load_council
from carebook.ssda903 import Extract, load_for_council
from carebook.sufficiency import child_charts, child_disclosure, child_level, child_tables, page as page_view

IDS = {child: f"CHILD{number:05d}X" for number, child in enumerate(sorted(HEADER["CHILD"]), start=1)}
SECTORS = sorted(set(EPISODES["HOME_POST"].dropna()) | set(EPISODES["PL_POST"].dropna()))


@pytest.fixture(scope="module")
def fixture_result() -> child_level.ChildLevelSufficiency:
    extract = Extract(header=HEADER.assign(CHILD=HEADER["CHILD"].map(IDS)),
                      episodes=EPISODES.assign(CHILD=EPISODES["CHILD"].map(IDS)),
                      is_synthetic=True, source="hand-built extract", start=pd.Timestamp("2013-01-01"),
                      end=pd.Timestamp("2015-03-31"))
    return child_level.analyse(load_council("nottingham"), extract)


@pytest.fixture(scope="module")
def nottingham() -> child_level.ChildLevelSufficiency:
    council = load_council("nottingham")
    return child_level.analyse(council, load_for_council(council))


def _saved(result) -> dict:
    saved: dict = {}
    child_disclosure.save_results(result, saved.__setitem__)
    return saved


def test_small_counts_are_suppressed_in_the_tables(fixture_result):
    table = child_tables.provision_display(fixture_result).set_index("Placement group")
    # every count of the hand-built extract is under 5: only zeros and the grand total of 8 are shown
    assert table.loc["Fostering"].tolist() == ["c"] * 5
    assert table.loc["Semi-independence", "In-house"] == "0"
    assert table.loc["Total", "Total"] == "8"
    sentence = child_tables.suppression_sentence(fixture_result)
    assert sentence.startswith("Counts of 1 to 4 children from the child-level data are suppressed (shown as c)")


def test_results_hold_no_child_identifier_or_postcode(fixture_result):
    text = "\n".join(obj.to_csv() if isinstance(obj, pd.DataFrame) else str(obj)
                     for obj in _saved(fixture_result).values())
    assert not any(child in text for child in IDS.values())
    assert not any(sector in text for sector in SECTORS)
    assert "2010-05-01" not in text  # a date of birth


def test_saved_counts_are_suppressed(fixture_result):
    provision = _saved(fixture_result)["sufficiency_903_provision"].set_index(["placement_group", "provision"])
    assert provision.loc[("fostering", "in_house"), "suppressed"]
    assert pd.isna(provision.loc[("fostering", "in_house"), "children"])
    assert provision.loc[("semi_independence", "in_house"), "children"] == 0


def test_nottingham_section_reproduces_the_strategy_beside_dfe(nottingham):
    table = child_tables.provision_display(nottingham).set_index("Placement group")
    assert table.loc["Fostering"].tolist() == ["190", "46%", "222", "54%", "412"]
    assert table.loc["Residential"].tolist() == ["16", "22%", "56", "78%", "72"]
    assert table.loc["Semi-independence"].tolist() == ["8", "21%", "31", "79%", "39"]
    figures = child_tables.figures(nottingham, load_council("nottingham").sufficiency)
    assert (figures["c903_date"], figures["c903_children"], figures["c903_fostering"]) == ("31 March 2015", "578",
                                                                                            "412")
    assert (figures["c903_dfe_children"], figures["c903_dfe_fostering"]) == ("578", "413")
    assert figures["c903_fostering_in_house_share"] == "46%"


def test_nottingham_capacity_gap_and_results(nottingham):
    assert nottingham.capacity.to_dict() == {"fostering": 190, "residential": 26, "semi_independence": 18}
    gap = nottingham.gap[nottingham.gap["scenario"] == "current"]
    start = gap[gap["date"] == pd.Timestamp("2015-03-31")].set_index("placement_group")
    assert start["gap"].to_dict() == {"fostering": 222, "residential": 46, "semi_independence": 21}
    target = nottingham.gap[(nottingham.gap["scenario"] == "in_house_target")
                            & (nottingham.gap["date"] == pd.Timestamp("2016-03-31"))].set_index("placement_group")
    assert target.loc["fostering", "own_places"] == pytest.approx(0.5 * target.loc["fostering", "demand"])
    saved = _saved(nottingham)
    assert {"sufficiency_903_provision", "sufficiency_903_gender", "sufficiency_903_legal_status",
            "sufficiency_903_distance", "sufficiency_903_boundary", "sufficiency_903_forecast",
            "sufficiency_903_gap", "sufficiency_903_summary"} <= set(saved)
    provision = saved["sufficiency_903_provision"].set_index(["placement_group", "provision"])["children"]
    assert provision[("fostering", "in_house")] == 190 and provision[("fostering", "external")] == 222
    forecast = saved["sufficiency_903_forecast"]
    assert forecast["date"].nunique() == 61 and set(forecast["placement_group"]) >= {"fostering", "all"}
    for chart in (child_charts.age_band_chart, child_charts.within_20_trend_chart, child_charts.forecast_chart):
        assert chart(nottingham).to_dict()["layer" if chart is not child_charts.age_band_chart else "mark"]


class _RecordingPage:
    """Records what a notebook glues."""

    def __init__(self, council):
        self.council = council
        self.glued: dict[str, str] = {}

    def glue(self, key, value, fmt="{}", headline=None, inputs=None):
        self.glued[key] = fmt.format(value)
        return self.glued[key]


def test_every_figure_the_notebook_uses_is_glued(fixture_result):
    import re

    from carebook.paths import NOTEBOOKS

    used = set(re.findall(r"\{glue:text\}`(c903_[a-z0-9_]+)`", (NOTEBOOKS / "sufficiency.ipynb").read_text()))
    page = _RecordingPage(load_council("nottingham"))
    page_view.glue_child_level(page, fixture_result)
    assert used and used <= set(page.glued)
    assert page.glued["c903_children"] == "10" and page.glued["c903_fostering"] == "fewer than 5"
    assert page.glued["c903_in_house_target_sentence"] == "The council's target is 50% by March 2016."


def test_child_level_parameters_are_listed_with_value_and_source():
    table = child_level.parameters_table(load_council("nottingham").sufficiency, load_council("nottingham").prices).set_index("Parameter")
    assert table.loc["Capacity in house residential places", "Value"] == "16"
    assert table.loc["Capacity block contract residential places", "Value"] == "10"
    assert table.loc["Price external residential (£ per week)", "Value"] == "£3,000 a week"
    assert table.loc["Snapshot date", "Value"] == "31 March 2015"
    assert table["Source"].str.len().gt(5).all() and table["Meaning"].str.len().gt(20).all()
    assert not any(name.startswith("Target ") and name != "Target fostering in house by" for name in table.index)
