"""What the sufficiency page glues, shows and charts from the official statistics."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from carebook.notebook import format_value
from carebook.params import load_council
from carebook.sufficiency import official, official_charts, official_display, page as page_view
from carebook.sufficiency.params import SufficiencyParams


class RecordingPage:
    """Records what a notebook's ``page.glue`` receives, formatted as the book prints it."""

    def __init__(self):
        self.texts: dict[str, str] = {}
        self.headlines: dict[str, str] = {}
        self.inputs: dict[str, tuple[str, ...]] = {}

    def glue(self, key, value, fmt="{:,.0f}", headline=None, inputs=None):
        self.texts[key] = format_value(value, fmt)
        self.inputs[key] = inputs
        if headline:
            self.headlines[key] = headline
        return self.texts[key]


@pytest.fixture(scope="module")
def tables() -> official.OfficialTables:
    return official.read_tables()


@pytest.fixture(scope="module")
def nottingham(tables) -> official.OfficialSufficiency:
    return official.for_council(load_council("nottingham"), tables)


@pytest.fixture(scope="module")
def triborough(tables) -> official.OfficialSufficiency:
    return official.for_council(load_council("triborough"), tables)


def test_narrative_figures_for_nottingham(nottingham):
    page = RecordingPage()
    page_view.glue_official(page, nottingham)
    assert page.texts["cla"] == "639"
    assert page.texts["rate_council"] == "93"
    assert page.texts["rate_england"] == "67"
    assert page.texts["rate_vs_england"] == "higher than"
    assert page.texts["within_20_council"] == "72%"  # 463 of 639
    assert page.texts["spend_per_child_council"] == "£138,698"  # £88,628k / 639
    assert page.texts["target_sentence"] == (
        "Against the council's target of 85% within 20 miles, it falls 13 percentage points short."
    )


def test_headlines_are_the_landing_page_figures(nottingham):
    page = RecordingPage()
    page_view.glue_official(page, nottingham)
    assert set(page.headlines) == {"cla", "rate_council", "within_20_council", "spend_per_child_council"}
    assert page.headlines["rate_council"] == "Children looked after per 10,000 children (England 67)"
    assert page.headlines["cla"] == "Children looked after at 31 March 2025"


def test_group_narrative_and_suppressed_total(triborough):
    page = RecordingPage()
    page_view.glue_official(page, triborough)
    assert page.texts["cla"] == "489"
    assert page.texts["rate_council"] == "58"
    assert page.texts["rate_vs_england"] == "lower than"
    # "with parents" is "c" for two members, so the external total is not published.
    assert page.texts["external_council"] == "not published"
    assert page.texts["target_sentence"] == "The council's parameters set no target for the share placed within 20 miles."


def test_scope_note_names_the_members(triborough, nottingham):
    note = official_display.scope_note(triborough)
    assert "Hammersmith and Fulham, Kensington and Chelsea, Westminster" in note
    assert "recomputed from the summed counts" in note
    assert official_display.scope_note(nottingham).startswith("Official statistics for Nottingham")


def test_target_sentence_when_met():
    targets = pd.DataFrame(
        {"measure": [official.TARGETS["all_within_20_miles"]], "target_share": [0.70], "council_share": [0.7246]}
    )
    assert official.target_sentence(targets) == (
        "Against the council's target of 70% within 20 miles, it meets it with 2 percentage points to spare."
    )


def test_targets_table_for_display(nottingham):
    shown = official_display.targets_for_display(nottingham.targets)
    assert list(shown["Target met"]) == ["no", "not published", "not published", "not published"]  # the council share is not published
    assert shown["Target"].tolist() == [0.85, 0.90, 0.80, 0.50]


def test_spend_lines_add_up(nottingham):
    # RO3 2024-25 Nottingham (£k): residential 43,327, fostering 17,828, asylum 0, other 27,473 = 88,628.
    shown = official_display.spend_parts_for_display(nottingham.spend_parts)
    assert shown["Net spend (£ a year)"].sum() == pytest.approx(88_628_000)
    assert shown["Share of the total"].sum() == pytest.approx(1.0)


def test_suppressed_summary_lists_the_latest_year(nottingham):
    summary = official.suppressed_summary(nottingham.suppressed, nottingham.year)
    providers = summary[summary["Items"].str.contains("Other LA provision")]
    assert providers["Code"].tolist() == ["c: confidential (a small number)"]
    assert providers["Cells"].tolist() == [2]  # other LA and other public provision


def test_assumptions_table_lists_each_parameter():
    table = official.assumptions_table(SufficiencyParams(target_all_within_20_miles=0.85))
    values = dict(zip(table["Parameter"], table["Value"]))
    assert values["Target all within 20 miles"] == "85%"
    assert values["Target fostering in house"] == "does not apply"
    assert table["Meaning"].str.len().gt(20).all()


def test_charts_leave_out_missing_values(triborough):
    chart = official_charts.share_bars(triborough.placements, "placement_type", "Share", triborough.year)
    rows = pd.DataFrame(chart.to_dict()["datasets"].popitem()[1])
    council = rows[rows["area"] == "Tri-borough"]
    assert "Placed for adoption" not in set(council["placement_type"])  # "c" for all members
    assert not council["share"].map(lambda v: v is None or math.isnan(v)).any()


def test_rate_chart_has_every_area(nottingham):
    spec = official_charts.rate_trend(nottingham.rates).to_dict()
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert set(rows["area"]) == {"Nottingham", "East Midlands", "Statistical neighbours", "England"}


def test_target_line_only_with_a_target(nottingham):
    with_target = official_charts.within_20_trend(nottingham.distance, 0.85).to_dict()
    without = official_charts.within_20_trend(nottingham.distance, None).to_dict()
    assert "layer" in with_target and "layer" not in without


def test_assumptions_table_is_the_targets_only():
    table = official.assumptions_table(load_council("nottingham").sufficiency)
    assert list(table["Parameter"]) == [
        "Target all within 20 miles", "Target fostering within 20 miles",
        "Target residential within 20 miles", "Target fostering in house",
    ]
    assert list(table["Value"]) == ["85%", "90%", "80%", "50%"]


def test_spend_chart_renders_with_pound_labels(nottingham):
    import vl_convert

    chart = official_charts.authority_bars(
        nottingham.neighbour_spend, "spend_per_child_gbp", "Net spend per child looked after (£ a year)",
        fmt="£,.0f", reference=103_149.0,
    )
    from carebook import charts

    svg = vl_convert.vegalite_to_svg(charts.with_locale(chart.to_dict()))  # as the book renders it
    assert "£40,000" in svg and "Nottingham" in svg


def test_the_inputs_of_each_figure(nottingham):
    page = RecordingPage()
    page_view.glue_official(page, nottingham)
    distance = "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv"
    assert page.inputs["within_20_council"] == (distance, "sufficiency.target_all_within_20_miles")
    assert page.inputs["within_20_neighbours"] == (distance, "sufficiency.target_all_within_20_miles", "dfe/sn_model_2025_wide.csv")
    assert page.inputs["rate_council"] == page.inputs["cla"] == ("dfe/cla_number_and_rate_per_10k_children.csv",)
    assert page.inputs["three_moves_england"] == ("dfe/la_cla_placement_stability.csv",)
    assert page.inputs["rate_vs_england"] == ("dfe/cla_number_and_rate_per_10k_children.csv",)
    assert page.inputs["year"] == ()
