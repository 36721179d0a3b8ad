"""Formatting for the page: numbers, money, tables."""

from __future__ import annotations

import json
import math

import pytest

import pandas as pd

from carebook.formats import money
from carebook.notebook import format_value, formatted, markdown_table


def test_missing_values_read_not_published():
    assert format_value(math.nan, "{:,.0f}") == "not published"
    assert format_value(None, money) == "not published"
    assert format_value(1234.0, "{:,.0f}") == "1,234"
    assert format_value(0.456, "{:.0%}") == "46%"


def test_table_formats_and_aligns():
    frame = pd.DataFrame({"year": [2021, 2022], "children": [1234, 56], "share": [0.5, math.nan], "area": ["A|B", "C"]})
    shown = formatted(frame, {"share": "{:.0%}"})
    assert list(shown["year"]) == [2021, 2022]
    assert list(shown["children"]) == ["1,234", "56"]
    assert list(shown["share"]) == ["50%", "not published"]
    text = markdown_table(shown, caption="Children", name="t-1", right=frozenset({"children", "share"}))
    # "year" holds numbers only, so it is right-aligned too; every table is a longtable in the PDF
    assert text.splitlines()[0].startswith("```{tabularcolumns} >{\\raggedleft\\arraybackslash}\\X{")
    assert text.splitlines()[3:6] == [":::{table} Children", ":class: longtable", ":name: t-1"]
    assert "|---:|---:|---:|:---|" in text
    assert "| 2021 | 1,234 | 50\\% | A\\|B |" in text  # cells are shown literally (% starts a MyST comment)


def test_summary_entry_is_recorded_for_the_landing_page(tmp_path):
    from carebook.notebook import Page
    page = Page("nottingham", tmp_path, notebook="toy")
    page.summary("It saves **£1,000**.", "Whether to fund it.", "Medium evidence.", basis=["synthetic"], figure="net")
    entry = json.loads((tmp_path / "summary_toy.json").read_text())
    assert entry == {"notebook": "toy", "answer": "It saves **£1,000**.", "decision": "Whether to fund it.",
                     "certainty": "Medium evidence.", "basis": ["synthetic"], "figure": "net"}
    with pytest.raises(ValueError, match="unknown summary basis"):
        page.summary("a", "b", "c", basis=["guess"])
