"""Charts with nothing to draw (a one-child extract) say so, in the HTML and the PDF."""

from __future__ import annotations

import base64

import altair as alt
import pandas as pd

from carebook import charts


def test_a_chart_with_no_rows_says_it_has_no_data_and_still_converts_to_pdf(monkeypatch):
    monkeypatch.setenv("CAREBOOK_PDF_CHARTS", "1")
    empty = alt.Chart(pd.DataFrame({"year": pd.Series(dtype="int64"), "children": pd.Series(dtype="float64")}),
                      title="Children tracked").mark_bar().encode(x="year:O", y="children:Q")
    spec = empty.to_dict()
    assert charts.has_no_data(spec)
    bundle = charts.mime_bundle(spec)
    assert charts.NO_DATA in bundle["text/html"] and "Children tracked" in bundle["text/html"]
    assert base64.b64decode(bundle["application/pdf"]).startswith(b"%PDF")


def test_a_chart_with_rows_is_drawn_as_it_is():
    chart = alt.Chart(pd.DataFrame({"year": [2024], "children": [12.0]})).mark_bar().encode(x="year:O", y="children:Q")
    spec = chart.to_dict()
    assert not charts.has_no_data(spec)
    assert charts.NO_DATA not in charts.mime_bundle(spec)["text/html"]
