"""The small charts of a council's landing page, drawn from the results files its notebooks
write: one per analysis, each written as SVG (the HTML page) and PDF (the council's PDF).

A chart whose results file is missing, or has none of the rows it needs, is left out: the
landing page shows the charts that could be drawn and never a broken one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from carebook import formats
from carebook.charts import FONT, PALETTE

FOLDER = "charts"
"""A council's landing-page charts, beside its pages: ``book/councils/<slug>/charts``."""
WIDTH, HEIGHT = 300, 170


@dataclass(frozen=True)
class Chart:
    """A landing-page chart: the data it draws (readers' column names), its Vega-Lite spec,
    a caption and a text alternative that states its figures."""

    name: str
    notebook: str
    caption: str
    alt: str
    data: pd.DataFrame
    spec: dict
    from_extract: bool = False
    """Drawn from the SSDA903 extract (so it rests on synthetic data when the extract is), not
    from published figures."""


def _spec(data: pd.DataFrame, mark: dict, encoding: dict) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH, "height": HEIGHT,
        "data": {"values": data.to_dict(orient="records")},
        "mark": mark, "encoding": encoding,
        "config": {"font": FONT, "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridOpacity": 0.4},
                   "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom", "labelLimit": 260},
                   "view": {"stroke": None}, "background": "white"},
    }


def _colours(series: pd.Series) -> dict:
    names = list(dict.fromkeys(series))
    return {"domain": names, "range": PALETTE[:len(names)]}


def _read(results: Path, name: str) -> pd.DataFrame:
    path = results / f"{name}.csv"
    return pd.read_csv(path) if path.is_file() else pd.DataFrame()


def rate_chart(results: Path, council: str) -> Chart | None:
    """Children looked after per 10,000 children, the council against England, by year."""
    rates = _read(results, "sufficiency_cla_rates")
    if rates.empty or not {"area_type", "time_period", "rate_per_10000"} <= set(rates.columns):
        return None
    shown = rates[rates["area_type"].isin(["council", "england"])].dropna(subset=["rate_per_10000"])
    if shown.empty:
        return None
    data = pd.DataFrame({"Year ending 31 March": shown["time_period"].astype(str),
                         "Area": shown["area_type"].map({"council": council, "england": "England"}),
                         "Rate per 10,000": shown["rate_per_10000"].round(0)})
    last = data[data["Year ending 31 March"] == data["Year ending 31 March"].max()]
    words = " and ".join(f"{a} {formats.count(r)}" for a, r in zip(last["Area"], last["Rate per 10,000"]))
    spec = _spec(data, {"type": "line", "point": True}, {
        "x": {"field": "Year ending 31 March", "type": "ordinal", "axis": {"labelAngle": 0}},
        "y": {"field": "Rate per 10,000", "type": "quantitative", "title": "Per 10,000 children"},
        "color": {"field": "Area", "type": "nominal", "scale": _colours(data["Area"]), "title": None},
    })
    return Chart("rate", "sufficiency", "Children looked after per 10,000 children", 
                 f"Line chart of children looked after per 10,000 children by year; in the latest year {words}.", data, spec)


def entries_chart(results: Path, council: str) -> Chart | None:
    """Children entering care a year, as things are and with the change in practice."""
    projection = _read(results, "flow_projection")
    if projection.empty or not {"year", "stage", "children", "change_from_base"} <= set(projection.columns):
        return None
    entries = projection[projection["stage"] == "entries_into_care"]
    if entries.empty:
        return None
    data = pd.concat([
        pd.DataFrame({"Year": entries["year"], "Case": "As things are", "Children": (entries["children"] - entries["change_from_base"]).round(0)}),
        pd.DataFrame({"Year": entries["year"], "Case": "With the change", "Children": entries["children"].round(0)}),
    ], ignore_index=True)
    last = data[data["Year"] == data["Year"].max()]
    words = " and ".join(f"{c.lower()} {formats.count(n)}" for c, n in zip(last["Case"], last["Children"]))
    spec = _spec(data, {"type": "line", "point": True}, {
        "x": {"field": "Year", "type": "ordinal", "axis": {"labelAngle": 0}},
        "y": {"field": "Children", "type": "quantitative", "title": "Children a year", "scale": {"zero": True}},
        "color": {"field": "Case", "type": "nominal", "scale": _colours(data["Case"]), "title": None},
    })
    return Chart("entries", "flow_model", "Children entering care a year",
                 f"Line chart of children entering care a year; in {last['Year'].iloc[0]}: {words}.", data, spec)


def journey_chart(results: Path, council: str) -> Chart | None:
    """The cumulative placement cost of a care journey, year by year from entry."""
    cost = _read(results, "volume_journey_cost")
    if cost.empty or not {"journeys", "journey_year", "cumulative_cost_gbp"} <= set(cost.columns):
        return None
    journeys = cost[(cost["journeys"] == "all")].dropna(subset=["cumulative_cost_gbp"])
    if journeys.empty:
        return None
    data = pd.DataFrame({"Year of the journey": journeys["journey_year"].astype(int).astype(str),
                         "Cumulative cost (£)": journeys["cumulative_cost_gbp"].round(0)})
    spec = _spec(data, {"type": "bar", "color": PALETTE[0]}, {
        "x": {"field": "Year of the journey", "type": "ordinal", "axis": {"labelAngle": 0}},
        "y": {"field": "Cumulative cost (£)", "type": "quantitative", "title": "£ (cumulative)", "axis": {"format": "~s"}},
    })
    last = data.iloc[-1]
    return Chart("journey", "volume_sizing", "Placement cost of a care journey, cumulative by year from entry",
                 f"Bar chart of the cumulative placement cost of a care journey; after {last['Year of the journey']} years "
                 f"{formats.money(last['Cumulative cost (£)'])}.", data, spec, from_extract=True)


def options_chart(results: Path, council: str) -> Chart | None:
    """The cumulative net saving of each financing option, by financial year."""
    options = _read(results, "cost_benefit_options_by_year")
    if options.empty or not {"option", "financial_year", "net_gbp"} <= set(options.columns):
        return None
    ordered = options.sort_values(["option", "financial_year"], kind="stable")
    data = pd.DataFrame({"Financial year": ordered["financial_year"], "Option": ordered["option"],
                         "Cumulative net saving (£)": ordered.groupby("option")["net_gbp"].cumsum().round(0)})
    last = data[data["Financial year"] == data["Financial year"].max()]
    words = "; ".join(f"{o} {formats.money(v)}" for o, v in zip(last["Option"], last["Cumulative net saving (£)"]))
    spec = _spec(data, {"type": "line", "point": True}, {
        "x": {"field": "Financial year", "type": "ordinal", "axis": {"labelAngle": 0}},
        "y": {"field": "Cumulative net saving (£)", "type": "quantitative", "title": "£ (cumulative)", "axis": {"format": "~s"}},
        "color": {"field": "Option", "type": "nominal", "scale": _colours(data["Option"]), "title": None},
    })
    spec["config"]["legend"]["columns"] = 1
    return Chart("options", "cost_benefit", "Cumulative net saving by financing option",
                 f"Line chart of the cumulative net saving of each financing option; by {last['Financial year'].iloc[0]}: {words}.",
                 data, spec)


CHARTS: tuple[Callable[[Path, str], Chart | None], ...] = (rate_chart, entries_chart, journey_chart, options_chart)
"""The landing page's charts in book order."""


def landing_charts(results: Path, council: str, notebooks: tuple[str, ...]) -> list[Chart]:
    """The charts that can be drawn from a council's results, for the analyses that completed."""
    drawn = [make(Path(results), council) for make in CHARTS]  # four charts
    return [c for c in drawn if c is not None and c.notebook in notebooks]


def write_chart(chart: Chart, folder: Path, pdf: bool = True) -> Path:
    """Write a chart as ``<name>.svg`` and, with ``pdf`` (for a council's PDF; the HTML book
    needs none), ``<name>.pdf`` in ``folder``; return the path without suffix (``<name>.*``
    picks SVG in the HTML and PDF in LaTeX). A chart whose spec (kept as ``<name>.json``) has
    not changed is not drawn again, so the page is not rendered again either."""
    import json

    import vl_convert

    folder.mkdir(parents=True, exist_ok=True)
    spec, kept = json.dumps(chart.spec, sort_keys=True, default=str), folder / f"{chart.name}.json"
    svg, drawn_pdf = folder / f"{chart.name}.svg", folder / f"{chart.name}.pdf"
    wanted = [svg, drawn_pdf] if pdf else [svg]
    if kept.is_file() and kept.read_text(encoding="utf-8") == spec and all(p.is_file() for p in wanted):
        return folder / chart.name
    svg.write_text(vl_convert.vegalite_to_svg(chart.spec), encoding="utf-8")
    if pdf:
        drawn_pdf.write_bytes(vl_convert.vegalite_to_pdf(chart.spec))
    else:
        drawn_pdf.unlink(missing_ok=True)  # a PDF of an older spec is never picked up
    kept.write_text(spec, encoding="utf-8")
    return folder / chart.name
