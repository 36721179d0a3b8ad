"""Altair charts that work offline: interactive in the HTML book, vector in the PDF.

The HTML book serves the vega bundle from ``_static`` (no CDN); each chart becomes a
``<div>`` and a ``vegaEmbed`` call, with a text alternative (its ``description``) and its
figures as a table collapsed under it ("Figures in this chart"). For the PDF, each chart also
carries an ``application/pdf`` rendering (vl-convert), which the LaTeX builder picks. Set
``CAREBOOK_PDF_CHARTS=0`` when no PDF will be built (the all-England batch) to skip that
conversion.

The named colour scales (:data:`OPTION_COLOURS`, :data:`AREA_COLOURS`,
:data:`PLACEMENT_COLOURS`) give a financing option, an area and a placement group the same
colour on every page; :data:`MONEY`, :data:`SHARE` and :data:`COUNT` are the d3 formats of
axes and tooltips (pounds with thousands separators and negatives in brackets, shares as
percentages, counts with thousands separators).
"""

from __future__ import annotations

import base64
import copy
import html
import itertools
import json
import os
import re
import textwrap
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from carebook import formats
from carebook.text import script_json

RENDERER = "carebook"
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
"""The Government Analysis Function's accessible categorical colours."""
GREY = "#707070"
"""A mid grey with 3:1 contrast or more against white (WCAG 1.4.11) for "unknown" and "do nothing"."""
NEIGHBOUR_GREY = "#A6B6C6"
"""The council's statistical neighbours, one by one, beside the council in its own colour."""
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 560
"""The plotting width (pixels) of a chart in the PDF; in the HTML a single chart fills the column."""

OPTION_COLOURS: dict[str, str] = {"council": PALETTE[0], "bond": PALETTE[1], "hybrid": PALETTE[2], "nothing": GREY}
"""Financing options of the cost-benefit appraisal (keys of ``cost_benefit.financing.OPTIONS``)."""
AREA_COLOURS: dict[str, str] = {"council": PALETTE[0], "region": PALETTE[1], "neighbours": PALETTE[2],
                                "england": PALETTE[3], "neighbour": NEIGHBOUR_GREY}
"""Areas compared with the council: the council, its region, its statistical neighbours (on
average), England, and one neighbour among others."""
PLACEMENT_COLOURS: dict[str, str] = {"Fostering": PALETTE[0], "Adoption": PALETTE[1], "Residential": PALETTE[2],
                                     "Semi-independence": PALETTE[3], "Other": PALETTE[5], "Unknown": GREY,
                                     "All children": PALETTE[4]}
"""Placement groups by the names the pages give them."""

MONEY = "($,.0f"
"""Pounds with thousands separators, a negative in brackets (the locale's currency is £)."""
SHARE = ".0%"
COUNT = ",.0f"
LOCALE = {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]}}
"""British number formatting for d3: ``$`` in a format writes £."""

NO_DATA = "No data to chart: the extract holds no children for this chart."
FIGURES_SUMMARY = "Figures in this chart"
_ids = itertools.count(1)


def colour_scale(colours: Mapping[str, str], domain: Sequence[str], keys: Sequence[str] | None = None) -> alt.Scale:
    """A colour scale giving each of ``domain`` (the names a chart shows) its named colour.

    ``keys`` are the names to look the colours up by, one per domain value, when they differ
    from the names shown (``keys=["council", "england"]`` for ``["Leeds", "England"]``)."""
    return alt.Scale(domain=list(domain), range=[colours[key] for key in (keys or domain)])


def pdf_wanted() -> bool:
    """Whether charts carry a PDF rendering (``CAREBOOK_PDF_CHARTS``, default yes)."""
    return os.environ.get("CAREBOOK_PDF_CHARTS", "1") != "0"


def wrapped_labels(labels: Sequence[str], width: int = 30) -> str:
    """A Vega label expression writing each of ``labels`` longer than ``width`` characters on
    several lines (an axis label is never cut short)."""
    lines = {label: textwrap.wrap(label, width) for label in dict.fromkeys(labels) if len(label) > width}
    if not lines:
        return "datum.label"
    table = script_json(lines)
    return f"({table})[datum.label] || datum.label"


# --- what a spec holds -------------------------------------------------------------------------

_COMPOSITIONS = ("layer", "hconcat", "vconcat", "concat")


def _rows(spec: dict[str, Any], root: dict[str, Any], inherited: list[dict] | None) -> list[dict] | None:
    """The rows a view draws: its own data (inline or a named dataset), else its parent's."""
    data = spec.get("data")
    if not isinstance(data, dict):
        return inherited
    if "values" in data:
        return list(data["values"])
    if "name" in data:
        return list(root.get("datasets", {}).get(data["name"], []))
    return inherited


def views(spec: dict[str, Any], root: dict[str, Any] | None = None, rows: list[dict] | None = None,
          title: str | None = None) -> Iterator[tuple[dict[str, Any], list[dict] | None, str | None]]:
    """Every single view of a chart (layers and panels unpacked) with its rows and the title
    of the panel it is in."""
    root = root if root is not None else spec
    rows = _rows(spec, root, rows)
    own = spec.get("title")
    title = (own.get("text") if isinstance(own, dict) else own) or title
    parts = [part for key in _COMPOSITIONS for part in spec.get(key, [])]
    if not parts:
        yield spec, rows, title
    for part in parts:
        yield from views(part, root, rows, title)


def has_no_data(spec: dict[str, Any]) -> bool:
    """True when every dataset of a chart spec is empty (nothing would be drawn)."""
    inline = [spec.get("data", {}).get("values")] if isinstance(spec.get("data"), dict) else []
    tables = [*spec.get("datasets", {}).values(), *(v for v in inline if v is not None)]
    return bool(tables) and all(len(table) == 0 for table in tables)


def no_data_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart that says it has nothing to draw, keeping the original's title and width."""
    width = spec.get("width", WIDTH)
    return {"$schema": spec.get("$schema"), "title": spec.get("title", ""),
            "width": width if isinstance(width, (int, float)) else WIDTH,
            "height": 40, "data": {"values": [{"text": NO_DATA}]},
            "mark": {"type": "text", "align": "left", "x": 0, "fontSize": 13},
            "encoding": {"text": {"field": "text", "type": "nominal"}},
            "description": spec.get("description", NO_DATA)}


def without_empty_layers(spec: dict[str, Any], root: dict[str, Any] | None = None,
                         rows: list[dict] | None = None) -> dict[str, Any]:
    """The spec less the layers that have no rows to draw (a target line a council has not
    set): an empty layer gives its scale an infinite extent, which Vega warns about."""
    root = root if root is not None else spec
    rows = _rows(spec, root, rows)
    if "layer" not in spec:
        return spec
    layers = [without_empty_layers(layer, root, rows) for layer in spec["layer"]]
    kept = [layer for layer in layers if _rows(layer, root, rows) != []]
    return {**spec, "layer": kept or layers[:1]}


# --- readers' text: description and figures ----------------------------------------------------

_D3 = re.compile(r"^(?P<sign>[-+( ])?(?P<currency>\$)?(?P<comma>,)?(?:\.(?P<precision>\d+))?(?P<trim>~)?"
                 r"(?P<kind>[fdse%])?$")


def d3_text(value: Any, fmt: str | None, kind: str = "quantitative") -> str:
    """A value as a chart's tooltip writes it, from the d3 format (or, for dates, the d3 time
    format) the chart gives it: ``d3_text(-1234.4, MONEY)`` -> ``"(£1,234)"``,
    ``d3_text(0.4, ".0%")`` -> ``"40%"``, ``d3_text("2024-03", "%B %Y", "temporal")`` ->
    ``"March 2024"``. A missing value reads :data:`carebook.formats.NOT_PUBLISHED`."""
    if value is None or (isinstance(value, float) and value != value):
        return formats.NOT_PUBLISHED
    if kind == "temporal":
        return pd.Timestamp(value).strftime(fmt or "%Y-%m-%d")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    found = _D3.match(fmt or ",.1~f")
    if found is None:
        return f"{value:,}"
    part = found.groupdict()
    kind_char = part["kind"] or "f"
    precision = int(part["precision"]) if part["precision"] is not None else (0 if kind_char == "d" else 6)
    number = abs(value) if part["sign"] == "(" else value
    if kind_char == "%":
        text = f"{number * 100:{',' if part['comma'] else ''}.{precision}f}"
        text = _trim(text) if part["trim"] else text
        text += "%"
    elif kind_char == "s":
        text = _si(number, precision)
    else:
        text = f"{number:{',' if part['comma'] else ''}.{0 if kind_char == 'd' else precision}f}"
        text = _trim(text) if part["trim"] else text
    if part["currency"]:
        text = text.replace("-", "-£", 1) if text.startswith("-") else "£" + text
    negative = part["sign"] == "(" and round(value, precision if kind_char != "%" else precision + 2) < 0
    return f"({text})" if negative else text


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _si(value: float, digits: int) -> str:
    """d3's ``s`` (SI prefix) format, for the few axis formats that use it."""
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.{max(digits - 1, 0) if digits else 3}g}{prefix}"
    return f"{value:g}"


def _tooltips(view: dict[str, Any]) -> list[dict[str, Any]]:
    tips = view.get("encoding", {}).get("tooltip", [])
    return [tip for tip in (tips if isinstance(tips, list) else [tips]) if isinstance(tip, dict) and "field" in tip]


def _heading(tip: dict[str, Any]) -> str:
    title = tip.get("title")
    return title if title else str(tip["field"]).replace("_", " ").capitalize()


def figure_tables(spec: dict[str, Any]) -> list[tuple[str | None, pd.DataFrame]]:
    """The figures a chart draws, as readers read them: for each view with a tooltip, its rows
    with the tooltip's columns under the tooltip's titles, formatted as the tooltip formats
    them (a view drawing the same rows and columns as another is left out); a row per datum. Each table comes
    with the title of its panel, if it has one."""
    tables, seen = [], set()
    for view, rows, title in views(spec):
        tips = _tooltips(view)
        if not tips or not rows:
            continue
        key = (json.dumps(rows, sort_keys=True, default=str), tuple(tip["field"] for tip in tips))
        if key in seen:
            continue
        seen.add(key)
        frame = pd.DataFrame({
            _heading(tip): [d3_text(row.get(tip["field"]), tip.get("format"), tip.get("type", "nominal"))
                            for row in rows]
            for tip in tips
        })
        tables.append((title, frame))
    return tables


def _title_text(spec: dict[str, Any]) -> str | None:
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else text


def describe(spec: dict[str, Any]) -> str:
    """The chart's text alternative: its ``description`` where it has one, else one sentence
    made from its title, mark and axis titles ("Line chart of Children by Month, by Placements")."""
    if spec.get("description"):
        return str(spec["description"])
    for view, _, _ in views(spec):
        encoding = view.get("encoding", {})
        mark = view.get("mark", {})
        kind = (mark.get("type") if isinstance(mark, dict) else mark) or "chart"
        names = {"rect": "Heat map", "rule": "Chart", "text": "Chart", "point": "Dot chart", "area": "Area chart"}
        words = [names.get(kind, f"{kind.capitalize()} chart")]
        axis = [encoding.get(channel, {}) for channel in ("y", "x", "color")]
        titles = [a.get("title") or str(a.get("field", "")).replace("_", " ") for a in axis if isinstance(a, dict) and a]
        if titles:
            words.append("of " + " by ".join(t for t in titles if t))
        title = _title_text(spec)
        return (f"{title}: " if title else "") + " ".join(words) + "."
    return "Chart."


def figures_html(spec: dict[str, Any]) -> str:
    """The chart's figures as HTML tables collapsed under it (``<details>``)."""
    parts = []
    for title, frame in figure_tables(spec):
        caption = f"<caption>{html.escape(title)}</caption>" if title else ""
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                       for row in frame.itertuples(index=False))
        parts.append(f'<table class="table carebook-chart-table">{caption}<thead><tr>{head}</tr></thead>'
                     f"<tbody>{body}</tbody></table>")
    if not parts:
        return ""
    return (f'<details class="carebook-chart-figures"><summary>{FIGURES_SUMMARY}</summary>'
            f'<div class="carebook-chart-tables">{"".join(parts)}</div></details>')


# --- rendering ---------------------------------------------------------------------------------


def with_locale(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the book's number locale (``$`` in a d3 format writes £), whatever theme
    it was made under."""
    config = spec.get("config", {})
    return spec if "locale" in config else {**spec, "config": {**config, "locale": LOCALE}}


def for_screen(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as the HTML page draws it: a single or layered chart fills the column's width
    (``width: "container"``); a chart of panels, or of bars by category, keeps its width (the
    page scales it down to the column where the column is narrower)."""
    if any(key in spec for key in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        return spec
    discrete = [view for view, _, _ in views(spec)
                if view.get("encoding", {}).get("y", {}).get("type") in ("nominal", "ordinal")]
    if discrete and not isinstance(spec.get("height"), (int, float)):
        return spec  # bars by category grow with their categories: Vega cannot fit them to a width
    return {**spec, "width": "container"}


def mime_bundle(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """The display data of a chart: an HTML figure (the chart, drawn by vegaEmbed, with its
    text alternative and its figures collapsed under it), and a PDF where wanted.

    A chart with no data (a very small extract) says so instead (:func:`no_data_spec`); layers
    with no rows are left out (:func:`without_empty_layers`). The spec is written into the page
    as script-safe JSON (:func:`carebook.text.script_json`): a name such as ``</script>`` in the
    chart's data or titles stays data."""
    spec = no_data_spec(spec) if has_no_data(spec) else without_empty_layers(copy.deepcopy(spec))
    description = describe(spec)
    spec = with_locale({**spec, "description": description})
    element = f"carebook-chart-{uuid.uuid4().hex[:8]}-{next(_ids)}"
    label = html.escape(description, quote=True)
    html_text = (
        f'<div class="carebook-chart-block"><div id="{element}" class="carebook-chart" role="img" '
        f'aria-label="{label}"></div>\n<script type="text/javascript">'
        f'(function(){{var spec={script_json(for_screen(spec))};'
        f'function show(){{vegaEmbed("#{element}", spec, {{"actions": false, "renderer": "svg"}})'
        f'.then(function(r){{r.view.container().querySelectorAll("svg").forEach(function(g){{'
        f'g.setAttribute("aria-hidden", "true");}});}})'  # the container's label and the table speak for it
        f'.catch(function(e){{console.error(e);}});}}'
        f'if (window.vegaEmbed) {{show();}} else {{window.addEventListener("load", show);}}}})();</script>'
        f"{figures_html(spec)}</div>"
    )
    bundle = {"text/html": html_text, "text/plain": description}
    if pdf_wanted():
        bundle["application/pdf"] = base64.b64encode(vl_convert.vegalite_to_pdf(spec)).decode("ascii")
    return bundle


def theme() -> alt.theme.ThemeConfig:
    """House style: accessible colours, readable fonts, British number formats, no chart
    border, no grid line through a bar or a heat map's cell, legends never cut short."""
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": 300, "stroke": None},
            "range": {"category": PALETTE},
            "font": FONT,
            "locale": LOCALE,
            "aria": False,
            # 13 px: at most 826 px of chart prints at the PDF's text width with no text under 7 pt
            "axis": {"labelFontSize": 13, "titleFontSize": 13, "titleFontWeight": "normal", "grid": True,
                     "gridColor": "#e5e5e5", "labelColor": "#3D3D3D", "titleColor": "#0B0C0C"},
            "axisBand": {"grid": False},
            "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom", "labelLimit": 0,
                       "columns": 2, "labelColor": "#0B0C0C", "titleColor": "#0B0C0C"},
            "title": {"fontSize": 14, "anchor": "start", "color": "#0B0C0C"},
            "line": {"strokeWidth": 2.5},
        }
    }


class Drawn:
    """A chart as a page glues it: its spec made once, as Altair makes it for display but
    without checking it against the Vega-Lite schema (the chart tests check every kind of
    chart; the check was a tenth of a notebook's time), and drawn by :func:`mime_bundle`."""

    def __init__(self, chart: alt.TopLevelMixin) -> None:
        self.spec = chart.to_dict(validate=False, context={"pre_transform": False})

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return mime_bundle(self.spec)


def enable() -> None:
    """Use the carebook renderer and theme for every chart shown in this kernel."""
    alt.renderers.register(RENDERER, mime_bundle)
    alt.renderers.enable(RENDERER)
    alt.theme.register("carebook", enable=True)(theme)
    alt.data_transformers.disable_max_rows()


def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, wrapped so it leaves only ``vegaEmbed`` global."""
    return "(function(){\n" + vl_convert.javascript_bundle() + "\n})();\n"
