"""A figure on a page traced to its function and inputs: the sufficiency notebook for
Nottingham executed with papermill into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import papermill
import pytest

from carebook import provenance

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nottingham")
    os.environ.setdefault("CAREBOOK_PUBLIC_DATA", "/work/shared/data/public")
    papermill.execute_notebook(str(ROOT / "notebooks" / "sufficiency.ipynb"), str(folder / "sufficiency.ipynb"),
                               parameters={"council": "nottingham", "results_dir": str(folder / "results")},
                               kernel_name="python3", progress_bar=False, cwd=str(folder))
    return provenance.read_figures(folder / "results" / "figures_sufficiency.csv").set_index("key")


def test_placed_within_20_miles_traces_to_its_function_and_inputs(figures):
    row = figures.loc["within_20_council"]
    assert row["label"] == "Placed within 20 miles of home (England 69%)"
    # DfE's characteristics table at 31 March 2025: Nottingham's children within 20 miles of home.
    assert row["text"] == "72%" and float(row["value"]) == pytest.approx(0.7246, abs=5e-5)
    assert row["function"] == "carebook.sufficiency.page.glue_official"
    assert row["parameters"] == "sufficiency.target_all_within_20_miles = 0.85"
    assert row["data_files"] == "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv"
    assert "sufficiency.target_all_within_20_miles: data/councils/nottingham.yml: Commissioning and Sufficiency Strategy 2014-2016" in row["sources"]
    assert row["sources"].endswith("Children looked after at 31 March by characteristics (Department for Education)")


def test_every_figure_of_the_page_is_recorded_once_with_its_producer(figures):
    assert figures.index.is_unique
    assert {"cla", "rate_council", "c903_within_20", "c903_forecast"} <= set(figures.index)
    assert figures.loc["cla", "value"] == "639.0" and figures.loc["cla", "text"] == "639"
    assert figures.loc["c903_within_20", "function"] == "carebook.sufficiency.page.glue_child_level"
    assert set(figures["function"]) == {"carebook.sufficiency.page.glue_official",
                                        "carebook.sufficiency.page.glue_child_level",
                                        "carebook.sufficiency.page.glue_reconciliation"}
