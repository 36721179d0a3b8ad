"""The house charts: readers' formats, one colour per option, area and placement group,
histogram bars, empty layers left out, and each chart's text alternative and figures table."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest

from carebook import charts
from carebook.cost_benefit import charts as cost_charts
from carebook.flow import charts as flow_charts
from carebook.flow.analysis import analyse as run_flow_model
from carebook.flow.sensitivity import sensitivity_curves, sensitivity_grid
from carebook.params import load_council
from carebook.sufficiency import official_charts
from carebook.volume import charts as volume_charts


@pytest.mark.parametrize(("value", "fmt", "kind", "text"), [
    (-1234.4, charts.MONEY, "quantitative", "(£1,234)"),
    (1_234_567.0, charts.MONEY, "quantitative", "£1,234,567"),
    (0.4, charts.SHARE, "quantitative", "40%"),
    (0.0366, ".1%", "quantitative", "3.7%"),
    (2.0, ",.3~f", "quantitative", "2"),
    (12345.0, charts.COUNT, "quantitative", "12,345"),
    (None, charts.COUNT, "quantitative", "not published"),
    ("2024-03", "%B %Y", "temporal", "March 2024"),
    ("Fostering", None, "nominal", "Fostering"),
])
def test_values_read_as_the_tooltip_writes_them(value, fmt, kind, text):
    assert charts.d3_text(value, fmt, kind) == text


def test_the_histogram_draws_bars_from_each_bin_start_to_its_end():
    simulated = pd.DataFrame({"net_saving_gbp": [0.0, 1.0, 1.0, 2.0, 3.0]})
    assert cost_charts.histogram(simulated["net_saving_gbp"].to_numpy(), bins=3)["draws"].tolist() == [1, 2, 2]
    spec = cost_charts.distribution(simulated).to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["x"]["bin"] == "binned" and bars["x"]["field"] == "bin_start" and bars["x2"]["field"] == "bin_end"
    title, table = charts.figure_tables(spec)[0]
    assert list(table.columns) == ["Net saving from", "to", "Draws"]
    # 50 equal bins of £0 to £3 (6p wide): the first holds the draw at £0; four bins hold the five draws
    assert table.iloc[0].tolist() == ["£0", "£0", "1"] and table["Draws"].tolist().count("0") == 46


def _colours(spec: dict) -> dict[str, str]:
    scales = [view["encoding"]["color"]["scale"] for view, _, _ in charts.views(spec)
              if "scale" in view.get("encoding", {}).get("color", {})]
    return {name: colour for scale in scales for name, colour in zip(scale["domain"], scale["range"])}


def test_a_financing_option_has_one_colour_whatever_the_options_shown():
    years = ["2024/25", "2025/26"]
    all_four = cost_charts.cumulative_by_option({k: np.zeros(2) for k in ("council", "bond", "hybrid", "nothing")}, years)
    two = cost_charts.cumulative_by_option({k: np.zeros(2) for k in ("hybrid", "nothing")}, years)
    assert _colours(all_four.to_dict())["3. Hybrid (part through the bond)"] == "#801650"
    assert _colours(two.to_dict()) == {"3. Hybrid (part through the bond)": "#801650", "4. Do nothing": charts.GREY}


def test_a_placement_group_and_an_area_have_one_colour_on_every_page():
    mix = pd.DataFrame({"sf_group": ["R", "F"], "age_at_entry": [12, 12], "share": [0.3, 0.7], "children": [9, 9]})
    assert _colours(volume_charts.placement_mix_chart(mix).to_dict()) == {"Fostering": "#12436D", "Residential": "#801650"}
    rates = pd.DataFrame({"area_type": ["england", "council"], "area": ["England", "Leeds"],
                          "time_period": ["2024", "2024"], "rate_per_10000": [70.0, 80.0]})
    assert _colours(official_charts.rate_trend(rates).to_dict()) == {"Leeds": "#12436D", "England": "#F46A25"}


def test_a_layer_with_no_rows_is_left_out_so_no_scale_gets_an_infinite_extent():
    lines = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [0.5, 0.6]})).mark_line().encode(x="x:Q", y="y:Q")
    target = alt.Chart(pd.DataFrame({"target": pd.Series(dtype="float64")})).mark_rule().encode(y="target:Q")
    spec = charts.without_empty_layers(alt.layer(lines, target).to_dict())
    assert len(spec["layer"]) == 1 and spec["layer"][0]["mark"]["type"] == "line"


def test_the_page_gets_the_chart_with_its_text_alternative_and_its_figures(monkeypatch):
    monkeypatch.setenv("CAREBOOK_PDF_CHARTS", "0")
    frame = pd.DataFrame({"option": ["1. Council budget"], "financial_year": ["2024/25"], "cumulative_gbp": [-2500.0]})
    chart = alt.Chart(frame).mark_line().encode(
        x="financial_year:O", y="cumulative_gbp:Q",
        tooltip=[alt.Tooltip("financial_year:O", title="Financial year"),
                 alt.Tooltip("cumulative_gbp:Q", title="Cumulative net saving", format=charts.MONEY)],
    ).properties(description="Line chart of the council's cumulative net saving.")
    html = charts.mime_bundle(chart.to_dict())["text/html"]
    assert 'role="img" aria-label="Line chart of the council&#x27;s cumulative net saving."' in html
    assert "<summary>Figures in this chart</summary>" in html
    assert '<th scope="col">Cumulative net saving</th>' in html and "<td>(£2,500)</td>" in html
    assert '"width": "container"' in html and '"currency": ["\\u00a3", ""]' in html


@pytest.fixture(scope="module")
def flow():
    return run_flow_model(load_council("triborough"))


def test_every_flow_chart_fits_the_column_and_every_tooltip_reads_in_readers_words(flow):
    specs = [flow_charts.flow_diagram(flow.projection).to_dict(),
             flow_charts.sensitivity_chart(sensitivity_curves(flow.base, flow.rates, flow.scenario, points=3)).to_dict(),
             flow_charts.sensitivity_grid_chart(sensitivity_grid(flow.base, flow.rates, flow.scenario, points=3)).to_dict(),
             flow_charts.savings_chart(flow.savings).to_dict()]
    assert "hconcat" not in specs[0] and "hconcat" not in specs[1]
    widths = [view.get("width", 0) for spec in specs for view, _, _ in charts.views(spec)]
    assert max(widths) <= charts.WIDTH
    tips = [tip for spec in specs for view, _, _ in charts.views(spec) for tip in charts._tooltips(view)]
    assert all(tip.get("title") for tip in tips)
    assert all(tip.get("format") for tip in tips if tip["type"] == "quantitative")
    # the diagram's figures: today's new referrals (3,360) and repeat referrals (840) of the seed
    today = dict(charts.figure_tables(specs[0])[0][1][["Flow", "Children a year"]].to_numpy())
    assert today["New referrals"] == "3,360" and today["Repeat referrals after step-down"] == "840"
    assert charts.figure_tables(specs[0])[0][0] == "2014/15: today"
