"""England on one page: every council's key measures, a map and sortable rankings.

The measures come from the official statistics for every English council (so the map shows
all of England whichever councils were run), each from counts that add up, so that a group
of councils (the Tri-borough, a region) is the sum of its members' counts:

- **rate per 10,000**: children looked after at 31 March per 10,000 children aged 0 to 17;
- **placed over 20 miles**: share of children looked after placed more than 20 miles from home;
- **spend per child**: net spend on children looked after (RO3) per child looked after;
- **in-house share**: share of children looked after in the council's own provision.

Councils are placed at their centroid from the ONS postcode directory
(:func:`carebook.geo.council_centroids`) and drawn with Vega-Lite on British National Grid
eastings and northings (no map tiles, nothing fetched). The page is written by
:func:`england_page` to ``book/_generated/england.md`` and opens the Councils part of the book.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebook import comparator, geo, public
from carebook.text import script_json
from carebook.sufficiency.areas import CLA_AT_31_MARCH, TOTAL
from carebook.sufficiency.indicators import spend_table
from carebook.sufficiency.official_tables import read_tables

YEAR_CLA = "2025"
"""The year (to 31 March) of the children looked after figures."""
SPEND_YEAR = "2025"
"""The RO3 year (2024-25) of the spend figures."""
OWN_PROVISION = "Own provision (by the LA)"
OVER_20 = "Placed more than 20 miles from home"
COUNTS = ["children", "population", "over_20", "distance_total", "in_house", "provider_total", "spend_gbp", "spend_children"]
"""The counts each council has: the measures are ratios of sums of these."""


@dataclass(frozen=True)
class Measure:
    """One measure of the map and the rankings."""

    key: str
    label: str  #: as the reader sees it
    numerator: str
    denominator: str
    scale: float  #: 10,000 for a rate, 1 for a share or £
    format: str  #: a d3 format for the map's tooltip


MEASURES: tuple[Measure, ...] = (
    Measure("rate_per_10000", "Children looked after per 10,000 children", "children", "population", 10_000, ",.0f"),
    Measure("over_20_share", "Share placed more than 20 miles from home", "over_20", "distance_total", 1, ".0%"),
    Measure("spend_per_child_gbp", "Net spend per child looked after (£ a year)", "spend_gbp", "spend_children", 1, "$,.0f"),
    Measure("in_house_share", "Share in the council's own provision", "in_house", "provider_total", 1, ".0%"),
)


def council_counts() -> pd.DataFrame:
    """The counts of every English council (one row each, by ``new_la_code``): see :data:`COUNTS`.
    A count DfE does not publish (suppressed) is NaN."""
    tables = read_tables()
    cla = tables.cla
    at_31_march = cla[(cla["geographic_level"] == public.LOCAL_AUTHORITY) & (cla["population_type"] == CLA_AT_31_MARCH)
                      & (cla["time_period"] == YEAR_CLA)].set_index("new_la_code")  # fmt: skip
    chars = tables.characteristics
    chars = chars[(chars["geographic_level"] == public.LOCAL_AUTHORITY) & (chars["time_period"] == YEAR_CLA)]
    # a suppressed number stays NaN ("not published"), never a sum of nothing (0)
    wide = chars.groupby(["new_la_code", "cla_group", "characteristic"])["number"].sum(min_count=1).unstack(["cla_group", "characteristic"])
    spend = spend_table(tables.ro3[SPEND_YEAR], SPEND_YEAR, cla)
    spend = spend[spend["geographic_level"] == public.LOCAL_AUTHORITY].set_index("new_la_code")
    places = comparator.regions().set_index("new_la_code")
    counts = pd.DataFrame({
        "children": at_31_march["children_count"], "population": at_31_march["population_estimate"],
        "over_20": _column(wide, "Distance between home and placement", OVER_20),
        "distance_total": _column(wide, "Distance between home and placement", TOTAL),
        "in_house": _column(wide, "Place providers", OWN_PROVISION),
        "provider_total": _column(wide, "Place providers", TOTAL),
        "spend_gbp": spend["spend_gbp"], "spend_children": spend["children_count"].where(spend["spend_gbp"].notna()),
    }).reindex(places.index)  # fmt: skip
    return places.join(counts).rename_axis("new_la_code").reset_index()


def _column(wide: pd.DataFrame, group: str, characteristic: str) -> pd.Series:
    """One characteristic's numbers from the wide table of characteristics (NaN when absent)."""
    key = (group, characteristic)
    return wide[key] if key in wide.columns else pd.Series(np.nan, index=wide.index)


def with_measures(counts: pd.DataFrame) -> pd.DataFrame:
    """``counts`` with each measure of :data:`MEASURES` (a ratio of two counts; NaN when either is missing)."""
    ratios = {m.key: counts[m.numerator] / counts[m.denominator].where(counts[m.denominator] > 0) * m.scale for m in MEASURES}
    return counts.assign(**ratios)


def group_counts(counts: pd.DataFrame, groups: pd.DataFrame, skip_missing: bool = False) -> pd.DataFrame:
    """The counts of groups of councils: the sums of their members' counts.

    ``groups``: ``group``, ``name``, ``new_la_code`` (one row per member). A count is NaN when
    any member's is missing, or with ``skip_missing`` (regions) each measure is summed over the
    members that publish both its counts. Returns ``group``, ``name``, ``members`` and :data:`COUNTS`.
    """
    joined = groups.merge(counts[["new_la_code", *COUNTS]], on="new_la_code", how="left")
    if skip_missing:
        for measure in MEASURES:  # four measures
            pair = [measure.numerator, measure.denominator]
            joined[pair] = joined[pair].where(joined[pair].notna().all(axis=1))
    grouped = joined.groupby(["group", "name"], sort=False)
    summed = grouped[COUNTS].sum(min_count=1)
    if not skip_missing:
        summed = summed.where(grouped[COUNTS].count().eq(grouped.size(), axis=0))
    return summed.assign(members=grouped.size()).reset_index()


def region_groups() -> pd.DataFrame:
    """The nine regions as groups of councils: ``group`` (region code), ``name``, ``new_la_code``."""
    placed = comparator.regions()
    return pd.DataFrame({"group": placed["region_code"], "name": placed["region_name"], "new_la_code": placed["new_la_code"]})


@dataclass(frozen=True)
class RunCouncil:
    """A council (or group) that was run: where its pages are and which local authorities it covers."""

    slug: str
    name: str
    codes: tuple[str, ...]


def overview_table(counts: pd.DataFrame, centroids: pd.DataFrame, runs: Sequence[RunCouncil], prefix: str = "../councils/") -> pd.DataFrame:
    """One row per English council: codes, names, region, position, counts, measures and, where
    it was run (alone or in a group), ``url`` of its landing page and ``run_name``."""
    links = pd.DataFrame([{"new_la_code": code, "url": f"{prefix}{run.slug}/index.html", "run_name": run.name}
                          for run in runs for code in run.codes], columns=["new_la_code", "url", "run_name"])
    table = with_measures(counts).merge(centroids, left_on="new_la_code", right_on="la_code", how="left").drop(columns="la_code")
    return table.merge(links.drop_duplicates("new_la_code"), on="new_la_code", how="left")


def run_rows(counts: pd.DataFrame, runs: Sequence[RunCouncil]) -> pd.DataFrame:
    """The councils that were run (groups summed over their members), with their measures."""
    groups = pd.DataFrame([{"group": run.slug, "name": run.name, "new_la_code": code} for run in runs for code in run.codes],
                          columns=["group", "name", "new_la_code"])
    return with_measures(group_counts(counts, groups))


def map_spec(table: pd.DataFrame, width: int = 440, height: int = 500) -> dict:
    """A Vega-Lite map of the councils at their centroids (eastings and northings, equal scale),
    sized by children looked after and coloured by the measure chosen in a drop-down. Councils
    that were run link to their pages. Data inline; no URL of any kind."""
    values = [m.key for m in MEASURES]
    rows = table[["new_la_code", "la_name", "region_name", "easting_m", "northing_m", "children", "url", *values]]
    rows = rows.dropna(subset=["easting_m", "northing_m"])
    records = json.loads(rows.to_json(orient="records"))
    labels = {m.key: m.label for m in MEASURES}
    return {
        "width": width, "height": height,
        "data": {"values": records},
        "params": [{"name": "measure", "value": values[0],
                    "bind": {"input": "select", "options": values, "labels": [labels[v] for v in values], "name": "Colour by "}}],
        "transform": [
            {"calculate": "datum[measure]", "as": "value"},
            {"calculate": json.dumps(labels) + "[measure]", "as": "measure_label"},
            {"calculate": "datum.url ? 'run: click to open its pages' : 'not in this run'", "as": "pages"},
        ],
        "mark": {"type": "circle", "opacity": 0.85, "stroke": "#333", "strokeWidth": 0.4, "cursor": "pointer"},
        "encoding": {
            "x": {"field": "easting_m", "type": "quantitative", "scale": {"domain": [80_000, 660_000], "nice": False}, "axis": None},
            "y": {"field": "northing_m", "type": "quantitative", "scale": {"domain": [0, 660_000], "nice": False}, "axis": None},
            "size": {"field": "children", "type": "quantitative", "title": "Children looked after", "scale": {"range": [12, 500]}},
            "color": {"field": "value", "type": "quantitative", "title": "Chosen measure", "scale": {"scheme": "viridis", "reverse": True}},
            "strokeWidth": {"condition": {"test": "datum.url", "value": 2.5}, "value": 0.4},
            "stroke": {"condition": {"test": "datum.url", "value": "#b2182b"}, "value": "#333"},
            "href": {"field": "url"},
            "tooltip": [
                {"field": "la_name", "title": "Council"}, {"field": "region_name", "title": "Region"},
                {"field": "measure_label", "title": "Measure"}, {"field": "value", "title": "Value", "format": ",.2f"},
                {"field": "children", "title": "Children looked after", "format": ",.0f"},
                {"field": "pages", "title": "Pages"},
            ],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip


def _cell(value: float, measure: Measure | None) -> str:
    """A table cell with its number for sorting (``data-sort``) and its text."""
    if pd.isna(value):
        return '<td data-sort="" class="not-published">not published</td>'
    if measure is None or measure.format == ",.0f":
        text = f"{value:,.0f}"
    elif measure.format == ".0%":
        text = f"{value:.0%}"
    else:
        text = f"£{value:,.0f}"
    return f'<td data-sort="{value:.6g}">{text}</td>'


def rankings_html(table: pd.DataFrame, name: str = "england-rankings") -> str:
    """The sortable rankings table (sorted by ``book/_static/rankings.js``), one row per
    council with its region (for the region filter) and a link where it was run."""
    head = "".join(f'<th data-type="number" scope="col">{html.escape(m.label)}</th>' for m in MEASURES)
    shown = table.sort_values("la_name")
    names, region_names = shown["la_name"].map(html.escape), shown["region_name"].fillna("").map(html.escape)
    links = '<a href="' + shown["url"].fillna("").map(html.escape) + '">' + names + "</a>"
    council = links.where(shown["url"].notna(), names)
    cells = shown["children"].map(lambda v: _cell(v, None))
    for measure in MEASURES:  # four columns
        cells = cells + shown[measure.key].map(lambda v, m=measure: _cell(v, m))
    rows = ('<tr data-region="' + region_names + '"><td>' + council + "</td><td>" + region_names + "</td>" + cells + "</tr>").tolist()
    regions = sorted(table["region_name"].dropna().unique())
    options = "".join(f'<option value="{html.escape(r)}">{html.escape(r)}</option>' for r in regions)
    return "\n".join([
        f'<div class="carebook-rankings" id="{name}">',
        f'<label>Region: <select class="region-filter"><option value="">All of England</option>{options}</select></label>',
        '<table class="sortable">',
        f'<thead><tr><th scope="col" data-type="text">Council</th><th scope="col" data-type="text">Region</th>'
        f'<th data-type="number" scope="col">Children looked after</th>{head}</tr></thead>',
        "<tbody>", *rows, "</tbody></table></div>",
    ])


def region_table(counts: pd.DataFrame) -> pd.DataFrame:
    """The nine regions: councils, children looked after and each measure, from their members' counts."""
    regions = with_measures(group_counts(counts, region_groups(), skip_missing=True)).sort_values("name")
    shown = pd.DataFrame({"Region": regions["name"], "Councils": regions["members"].map("{:,}".format),
                          "Children looked after": regions["children"].map(lambda v: _text(v, None))})
    for measure in MEASURES:  # four measures
        shown[measure.label] = regions[measure.key].map(lambda v, m=measure: _text(v, m))
    return shown


def _text(value: float, measure: Measure | None) -> str:
    cell = _cell(value, measure)
    return cell[cell.index(">") + 1:cell.rindex("<")]


def england_page(runs: Sequence[RunCouncil], counts: pd.DataFrame | None = None,
                 centroids: pd.DataFrame | None = None) -> str:
    """The national overview page (MyST): the map, the rankings and the regions."""
    from carebook.tables import markdown_table  # noqa: PLC0415 - the book's table layout

    counts = council_counts() if counts is None else counts
    centroids = geo.council_centroids() if centroids is None else centroids
    table = overview_table(counts, centroids, runs)
    spec = script_json(map_spec(table))  # no "</script>" inside the script element
    run_count = int(table["url"].notna().sum())
    return "\n".join([
        "# England at a glance", "",
        f"Every English council with children's services ({len(table)}), from the official statistics for the year to "
        f"31 March {YEAR_CLA} (spend: 2024-25). The {len(runs)} council{'s' if len(runs) != 1 else ''} in this edition of the "
        f"book ({run_count} local authorit{'ies' if run_count != 1 else 'y'}) are drawn with a thick red outline and link to their "
        "own pages; choose the measure that colours the map below it. Councils are placed at the centre of their "
        "postcodes (Office for National Statistics postcode directory); circles are sized by children looked after.", "",
        "```{raw} html",
        '<div id="england-map" class="carebook-map"></div>',
        f'<script type="application/json" id="england-map-spec">{spec}</script>',
        '<script>document.addEventListener("DOMContentLoaded", function () {',
        '  var spec = JSON.parse(document.getElementById("england-map-spec").textContent);',
        '  vegaEmbed("#england-map", spec, {actions: false, renderer: "svg"});',
        "});</script>",
        "```", "",
        "## Rankings", "",
        "Click a column heading to sort by it (again to reverse); choose a region to show its councils alone. "
        "\"Not published\" marks a figure the Department for Education suppresses.", "",
        "```{raw} html", rankings_html(table), "```", "",
        "## Regions", "",
        "Each region's figures are its councils' counts summed (a council whose figure is suppressed is left out "
        "of that measure); the book can also show a whole region as one group of councils, as it does the Tri-borough.", "",
        markdown_table(region_table(counts), caption="The nine regions: their councils' figures summed", name="england-regions"), "",
        "Sources: Department for Education, Children looked after in England including adoptions (2025); Ministry of "
        "Housing, Communities and Local Government, Local authority revenue expenditure and financing, RO3 2024-25; "
        "Office for National Statistics, mid-year population estimates and postcode directory.", "",
    ])
