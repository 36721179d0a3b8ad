"""Altair charts that work offline: interactive in the HTML book, vector in the PDF.

The HTML book serves the vega bundle from ``_static`` (no CDN); each chart becomes a
``<div>`` and a ``vegaEmbed`` call. For the PDF, each chart also carries an
``application/pdf`` rendering (vl-convert), which the LaTeX builder picks. Set
``CAREBOOK_PDF_CHARTS=0`` when no PDF will be built (the all-England batch) to skip that
conversion.
"""

from __future__ import annotations

import base64
import itertools
import os
import uuid
from typing import Any

import altair as alt
import vl_convert

from carebook.text import script_json

RENDERER = "carebook"
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
"""The Government Analysis Function's accessible categorical colours."""
FONT = "Helvetica, Arial, sans-serif"
_ids = itertools.count(1)


def pdf_wanted() -> bool:
    """Whether charts carry a PDF rendering (``CAREBOOK_PDF_CHARTS``, default yes)."""
    return os.environ.get("CAREBOOK_PDF_CHARTS", "1") != "0"


NO_DATA = "No data to chart: the extract holds no children for this chart."


def has_no_data(spec: dict[str, Any]) -> bool:
    """True when every dataset of a chart spec is empty (nothing would be drawn)."""
    inline = [spec.get("data", {}).get("values")] if isinstance(spec.get("data"), dict) else []
    tables = [*spec.get("datasets", {}).values(), *(v for v in inline if v is not None)]
    return bool(tables) and all(len(table) == 0 for table in tables)


def no_data_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart that says it has nothing to draw, keeping the original's title and width."""
    return {"$schema": spec.get("$schema"), "title": spec.get("title", ""), "width": spec.get("width", 560),
            "height": 40, "data": {"values": [{"text": NO_DATA}]},
            "mark": {"type": "text", "align": "left", "x": 0, "fontSize": 13},
            "encoding": {"text": {"field": "text", "type": "nominal"}}}


def mime_bundle(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """The display data of a chart: an HTML div + vegaEmbed call, and a PDF where wanted.

    A chart with no data (a very small extract) says so instead (:func:`no_data_spec`).
    The spec is written into the page as script-safe JSON (:func:`carebook.text.script_json`):
    a name such as ``</script>`` in the chart's data or titles stays data."""
    if has_no_data(spec):
        spec = no_data_spec(spec)
    element = f"carebook-chart-{uuid.uuid4().hex[:8]}-{next(_ids)}"
    html = (
        f'<div id="{element}" class="carebook-chart"></div>\n<script type="text/javascript">'
        f'(function(){{var spec={script_json(spec)};'
        f'function show(){{vegaEmbed("#{element}", spec, {{"actions": false, "renderer": "svg"}})'
        f'.catch(function(e){{console.error(e);}});}}'
        f'if (window.vegaEmbed) {{show();}} else {{window.addEventListener("load", show);}}}})();</script>'
    )
    bundle = {"text/html": html, "text/plain": "<chart>"}
    if pdf_wanted():
        bundle["application/pdf"] = base64.b64encode(vl_convert.vegalite_to_pdf(spec)).decode("ascii")
    return bundle


def theme() -> alt.theme.ThemeConfig:
    """House style: accessible colours, readable fonts, no chart border."""
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "range": {"category": PALETTE},
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "grid": True, "gridColor": "#e5e5e5"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "title": {"fontSize": 14, "anchor": "start"},
            "line": {"strokeWidth": 2.5},
        }
    }


def enable() -> None:
    """Use the carebook renderer and theme for every chart shown in this kernel."""
    alt.renderers.register(RENDERER, mime_bundle)
    alt.renderers.enable(RENDERER)
    alt.theme.register("carebook", enable=True)(theme)
    alt.data_transformers.disable_max_rows()


def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, wrapped so it leaves only ``vegaEmbed`` global."""
    return "(function(){\n" + vl_convert.javascript_bundle() + "\n})();\n"
