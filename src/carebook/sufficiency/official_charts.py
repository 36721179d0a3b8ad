"""Charts of the official-statistics sufficiency analysis (altair; the book renders them).

Each function takes a tidy table from ``carebook.sufficiency.official`` and returns a chart.
Missing (suppressed) values are left out of a chart, never drawn as 0; the page lists them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from carebook.charts import AREA_COLOURS, COUNT, PALETTE, WIDTH, colour_scale, wrapped_labels

AREA_TITLE = "Area"
AREA_TYPES = ("council", "region", "neighbours", "england")
"""The areas of the comparisons, in order; their colours are :data:`carebook.charts.AREA_COLOURS`."""
COUNCIL_COLOUR = AREA_COLOURS["council"]
OTHER_COLOUR = AREA_COLOURS["neighbour"]
LABEL_WIDTH = 32
"""Characters of a category's name on one line of an axis; longer names wrap (never cut)."""
TARGET_COLOUR = PALETTE[4]
REFERENCE_COLOUR = AREA_COLOURS["england"]  # England's colour in the area charts
CATEGORY_TITLES = {"placement_type": "Placement", "provider": "Provider", "measure": "Measure",
                   "location": "Where placed"}
"""Readers' headings of the categories of :func:`share_bars`."""


def _area_order(frame: pd.DataFrame) -> list[str]:
    """Area names in the order council, region, neighbours, England."""
    order = {area_type: rank for rank, area_type in enumerate(AREA_TYPES)}
    ranked = frame.drop_duplicates("area").assign(rank=lambda df: df["area_type"].map(order))
    return list(ranked.sort_values("rank")["area"])


def _area_colour(frame: pd.DataFrame) -> alt.Color:
    """Colour by area, each area type always in the same colour (England orange)."""
    areas = frame.drop_duplicates("area").set_index("area")["area_type"]
    order = _area_order(frame)
    return alt.Color("area:N", title=AREA_TITLE, sort=order,
                     scale=colour_scale(AREA_COLOURS, order, [areas[name] for name in order]))


def rate_trend(
    rates: pd.DataFrame, value: str = "rate_per_10000", title: str = "Rate per 10,000 children", fmt: str = ",.0f"
) -> alt.Chart:
    """Lines over the years, one per area (council, region, neighbours, England)."""
    shown = rates.dropna(subset=[value])[["area_type", "area", "time_period", value]]
    return (
        alt.Chart(shown)
        .mark_line(point=True)
        .encode(
            x=alt.X("time_period:O", title="Year (31 March)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{value}:Q", title=title, scale=alt.Scale(zero=True), axis=alt.Axis(format=fmt)),
            color=_area_colour(rates),
            tooltip=[
                alt.Tooltip("area:N", title=AREA_TITLE),
                alt.Tooltip("time_period:O", title="Year (31 March)"),
                alt.Tooltip(f"{value}:Q", title=title, format=fmt if fmt.endswith("%") else ",.1f"),
            ],
        )
        .properties(width=WIDTH, height=260,
                    description=f"Line chart of the {title[0].lower() + title[1:]} by year, for the council, its "
                                f"region, its statistical neighbours and England.")
    )


def within_20_trend(distance: pd.DataFrame, target: float | None) -> alt.LayerChart | alt.Chart:
    """Share placed within 20 miles of home over the years, by area, with the council's
    overall target as a dashed line where it has one."""
    within = distance[distance["measure"] == "within 20 miles"]
    lines = rate_trend(within, value="share", title="Share placed within 20 miles of home", fmt=".0%")
    if target is None or pd.isna(target):
        return lines
    rule = (
        alt.Chart(pd.DataFrame({"target": [target], "label": ["Council's target"]}))
        .mark_rule(strokeDash=[6, 4], color=TARGET_COLOUR, strokeWidth=2)
        .encode(y="target:Q", tooltip=[alt.Tooltip("label:N", title="Line"),
                                       alt.Tooltip("target:Q", title="Target", format=".0%")])
    )
    return alt.layer(lines, rule).properties(
        description=lines.description + " A dashed line marks the council's target.")


def share_bars(shares: pd.DataFrame, category: str, title: str, year: str, width: int = 360) -> alt.Chart:
    """Horizontal bars of ``share`` by ``category`` in one year, one bar per area (long
    category names wrap over lines)."""
    rows = shares[(shares["time_period"] == year)].dropna(subset=["share"])
    shown = rows[["area", category, "share", "number", "total"]]
    order = _area_order(shares[shares["time_period"] == year])
    return (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N", title=None, sort=list(dict.fromkeys(shares[category])),
                axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(list(shares[category].astype(str)), LABEL_WIDTH)),
            ),
            yOffset=alt.YOffset("area:N", sort=order),
            x=alt.X("share:Q", title=title, axis=alt.Axis(format="%")),
            color=_area_colour(shares[shares["time_period"] == year]),
            tooltip=[
                alt.Tooltip("area:N", title=AREA_TITLE),
                alt.Tooltip(f"{category}:N", title=CATEGORY_TITLES.get(category, category.replace("_", " ").capitalize())),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("number:Q", title="Children", format=COUNT),
                alt.Tooltip("total:Q", title="Of", format=COUNT),
            ],
        )
        .properties(width=width, description=f"Bar chart of the {title[0].lower() + title[1:]} in {year} by "
                                             f"{CATEGORY_TITLES.get(category, category).lower()}, one bar for each "
                                             f"area compared.")
    )


def _number_format(fmt: str) -> str:
    """A d3 number format; a "£"-prefixed one writes pounds (d3's currency, £ in the book's locale)."""
    return "$" + fmt.removeprefix("£") if fmt.startswith("£") else fmt


def authority_bars(values: pd.DataFrame, value: str, title: str, fmt: str = ",.0f",
                   reference: float | None = None, reference_label: str = "England") -> alt.LayerChart | alt.Chart:
    """Horizontal bars of ``value`` for the council and each neighbour (council highlighted),
    with an optional reference line (e.g. England). ``fmt`` is a d3 format, optionally
    prefixed with "£"."""
    d3 = _number_format(fmt)
    axis = alt.Axis(format=d3)
    shown = values.dropna(subset=[value])[["area_type", "area", value]]
    bars = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelLimit=0)),
            x=alt.X(f"{value}:Q", title=title, axis=axis),
            color=alt.Color(
                "area_type:N",
                title=None,
                scale=colour_scale(AREA_COLOURS, ["council", "neighbour"]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("area:N", title=AREA_TITLE), alt.Tooltip(f"{value}:Q", title=title, format=d3)],
        )
        .properties(width=400, description=f"Bar chart of the {title[0].lower() + title[1:]} for the council "
                                           f"(highlighted) and each of its statistical neighbours.")
    )
    if reference is None or pd.isna(reference):
        return bars
    rule = (
        alt.Chart(pd.DataFrame({"value": [reference], "label": [reference_label]}))
        .mark_rule(strokeDash=[6, 4], color=REFERENCE_COLOUR, strokeWidth=2)
        .encode(x="value:Q", tooltip=[alt.Tooltip("label:N", title="Line"),
                                      alt.Tooltip("value:Q", title=title, format=d3)])
    )
    return alt.layer(bars, rule).properties(
        description=bars.description + f" A dashed line marks {reference_label}.")
