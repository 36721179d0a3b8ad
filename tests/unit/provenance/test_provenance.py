"""Where each glued figure comes from: the records of figures_<notebook>.csv, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebook import provenance
from carebook.formats import money
from carebook.notebook import Page
from carebook.params import load_council
from carebook.text import markdown_literal


BASED_ON = ("Target share of all children looked after placed within 20 miles of home; "
            "Statistical neighbours, 2025 model (Department for Education)")
DOCUMENTS = ('Commissioning and Sufficiency Strategy 2014-2016, 2015 update: "a minimum of 90% (fostering) and 80% '
             '(residential) ... within a 20 mile radius", "85% of all children and young people ... within the 20 mile radius", '
             '"increase this proportion [placed with internal foster carers] to 50% by March 2016".; '
             "Statistical neighbours, 2025 model (Department for Education)")


def glue_from_package(page: Page) -> None:
    """Stands for a package function such as ``official_page.glue_narrative``."""
    page.glue("placed", 0.7245, fmt="{:.0%}", headline="Placed within 20 miles",
              inputs=["sufficiency.target_all_within_20_miles", "dfe/sn_model_2025_wide.csv"])


@pytest.fixture
def page(tmp_path) -> Page:
    return Page("nottingham", tmp_path, notebook="sufficiency")


def test_a_figure_glued_by_a_package_function_names_it_its_inputs_and_their_sources(page, tmp_path):
    glue_from_package(page)
    row = provenance.read_figures(tmp_path / "figures_sufficiency.csv").iloc[0]
    assert row["key"] == "placed" and row["label"] == "Placed within 20 miles"
    assert (row["value"], row["text"]) == ("0.7245", "72%")
    assert row["function"] == f"{__name__}.glue_from_package"
    assert row["parameters"] == "sufficiency.target_all_within_20_miles = 0.85"
    assert row["data_files"] == "dfe/sn_model_2025_wide.csv"
    # The council file and the source it cites (the comment above the targets), then the file's title.
    assert row["sources"].startswith("sufficiency.target_all_within_20_miles: data/councils/nottingham.yml: "
                                     "Commissioning and Sufficiency Strategy 2014-2016, 2015 update")
    assert row["sources"].endswith("; dfe/sn_model_2025_wide.csv: Statistical neighbours, 2025 model (Department for Education)")


def test_one_row_per_figure_in_the_order_glued_a_key_glued_again_replaces_its_row(page, tmp_path):
    page.glue("cla", np.int64(639))
    page.glue("saving", -1234.4, fmt=money)
    page.glue("cla", 640)
    frame = provenance.read_figures(tmp_path / "figures_sufficiency.csv")
    assert list(frame.columns) == list(provenance.COLUMNS)
    assert frame[["key", "value", "text"]].values.tolist() == [["cla", "640", "640"], ["saving", "-1234.4", "(£1,234)"]]
    assert frame.loc[0, "function"].startswith(f"{__name__}.test_one_row")


def test_national_defaults_and_parameters_the_council_file_does_not_set(tmp_path):
    leeds = Page("E08000035", tmp_path, notebook="flow_model")
    leeds.glue("x", 1.0, inputs=["flow_model.repeat_referral_weight", "ssda903"])
    row = provenance.read_figures(tmp_path / "figures_flow_model.csv").iloc[0]
    assert row["parameters"] == "flow_model.repeat_referral_weight = 1"
    assert row["sources"].startswith("flow_model.repeat_referral_weight: national default: No published evidence: "
                                     "1 treats repeat and new referrals alike; ")
    assert row["data_files"] == "ssda903"
    assert row["sources"].endswith("ssda903: a synthetic SSDA903 extract calibrated to the council's published figures")


def test_a_structured_source_of_the_council_file_is_quoted():
    value, source = provenance.parameter(load_council("nottingham"), "cost_benefit.block_contract")
    assert value.places == 10
    assert source.startswith("data/councils/nottingham.yml: Ten places from April 2015, full by November 2015; prices")
    assert provenance.shown(value).startswith("{places: 10, block_weekly_price_gbp: 2700, spot_weekly_price_gbp: 3000, occupancy: 0.95")


def test_an_unknown_parameter_is_an_error_naming_it():
    with pytest.raises(ValueError, match="no parameter 'target_within_20'"):
        provenance.parameter(load_council("nottingham"), "sufficiency.target_within_20")
    with pytest.raises(ValueError, match="'section.key'"):
        provenance.parameter(load_council("nottingham"), "target_all_within_20_miles")


@pytest.mark.parametrize(("text", "number"), [
    ("1,234", 1234), ("85%", 0.85), ("£4.21m", 4_210_000.0), ("−£1,234", -1234.0), ("-£560", -560.0), ("(£1,234)", -1234.0), ("(£0.68m)", -680_000.0), ("(12%)", -0.12),
    ("(−£5)", None), ("(see meaning)", None),
    ("2.5", 2.5), ("2015/16", None), ("higher than", None), ("fewer than 5", None), ("", None),
])
def test_the_number_a_text_states(text, number):
    found = provenance.number_in(text)
    assert found == pytest.approx(number) if number is not None else found is None
    assert type(found) is type(number)


def test_values_are_plain_numbers_and_words_have_none():
    assert provenance.plain_value(np.float64(0.5), "50%") == 0.5
    assert provenance.plain_value(True, "True") is None
    assert provenance.plain_value(float("nan"), "not published") is None
    assert provenance.plain_value("£1,234", "£1,234") == 1234.0


def test_a_figure_glued_in_a_notebook_cell_names_the_cell():
    figure = eval(compile("provenance.producer()", "<cell>", "eval"), {"__name__": "__main__", "provenance": provenance})
    assert figure.startswith("notebook cell [")


def test_the_figures_page_lists_each_record_with_its_anchor(page, tmp_path):
    glue_from_package(page)
    page.glue("words", "<b>higher</b> than", fmt="{}")
    text = provenance.figures_page("<i>Nottingham</i>", tmp_path, ["sufficiency", "flow_model"], {"sufficiency": "Placement sufficiency"})
    assert text.startswith("# Figures and their sources: \\<i\\>Nottingham\\</i\\>")
    assert "## Placement sufficiency" in text and "## flow_model" not in text
    row = next(line for line in text.splitlines() if "figure-sufficiency-placed" in line)
    # Readers' words: the target's description and the documents, no function, key or file name.
    assert row == ('| <span id="figure-sufficiency-placed"></span>Placed within 20 miles | 72\\% | '
                   f"{markdown_literal(BASED_ON)} | {markdown_literal(DOCUMENTS)} |")
    assert "target_all" not in text and ".csv" not in text and "glue_from_package" not in text
    words = next(line for line in text.splitlines() if "figure-sufficiency-words" in line)
    assert "\\<b\\>higher\\</b\\> than" in words  # data shown literally
    assert provenance.anchor("volume_sizing", "vs-eligible-a-year") == "figure-volume-sizing-vs-eligible-a-year"


def test_the_tooltip_says_what_the_figure_rests_on_and_its_documents():
    record = {"label": "net saving", "function": "carebook.cost_benefit.report.glue_narrative",
              "parameters": "cost_benefit.optimism_bias = 0.1", "sources": "cost_benefit.optimism_bias: national default.",
              "based_on": "Optimism bias added to costs", "documents": "HM Treasury Green Book supplementary guidance"}
    assert provenance.tooltip(record) == (
        "Net saving. Based on: Optimism bias added to costs. Sources: HM Treasury Green Book supplementary guidance. "
        "Select for all the figures and their sources.")

@pytest.mark.parametrize(("key", "label"), [
    ("npv_without_ob", "Net present value without optimism bias"),
    ("c903_within_20", "Within 20 miles (children's records)"),
    ("vs-eligible-a-year", "Eligible a year"),
    ("payback_text", "Payback"),
])
def test_a_figure_glued_without_a_label_is_named_in_words(key, label):
    assert provenance.readable_key(key) == label
