"""Charts of the official-statistics sufficiency analysis (altair; the book renders them).

Each function takes a tidy table from ``carebook.sufficiency.official`` and returns a chart.
Missing (suppressed) values are left out of a chart, never drawn as 0; the page lists them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from carebook.charts import PALETTE

AREA_TITLE = "Area"
COUNCIL_COLOUR = PALETTE[0]
OTHER_COLOUR = "#A6B6C6"
LABEL_LIMIT = 320
TARGET_COLOUR = PALETTE[4]
REFERENCE_COLOUR = PALETTE[3]  # England's colour in the area charts (AREA_COLOURS)


AREA_COLOURS = {"council": PALETTE[0], "region": PALETTE[1], "neighbours": PALETTE[2], "england": PALETTE[3]}


def _area_order(frame: pd.DataFrame) -> list[str]:
    """Area names in the order council, region, neighbours, England."""
    order = {area_type: rank for rank, area_type in enumerate(AREA_COLOURS)}
    ranked = frame.drop_duplicates("area").assign(rank=lambda df: df["area_type"].map(order))
    return list(ranked.sort_values("rank")["area"])


def _area_colour(frame: pd.DataFrame) -> alt.Color:
    """Colour by area, each area type always in the same colour (England orange)."""
    areas = frame.drop_duplicates("area").set_index("area")["area_type"]
    order = _area_order(frame)
    return alt.Color(
        "area:N", title=AREA_TITLE, sort=order,
        scale=alt.Scale(domain=order, range=[AREA_COLOURS[areas[name]] for name in order]),
    )


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
                alt.Tooltip("time_period:O", title="Year"),
                alt.Tooltip(f"{value}:Q", title=title, format=fmt if fmt.endswith("%") else ",.1f"),
            ],
        )
        .properties(width=520, height=260)
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
        .encode(y="target:Q", tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("target:Q", format=".0%")])
    )
    return alt.layer(lines, rule)


def share_bars(shares: pd.DataFrame, category: str, title: str, year: str, width: int = 420) -> alt.Chart:
    """Horizontal bars of ``share`` by ``category`` in one year, one bar per area."""
    rows = shares[(shares["time_period"] == year)].dropna(subset=["share"])
    shown = rows[["area", category, "share", "number", "total"]]
    order = _area_order(shares[shares["time_period"] == year])
    return (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N", title=None, sort=list(dict.fromkeys(shares[category])),
                axis=alt.Axis(labelLimit=LABEL_LIMIT),
            ),
            yOffset=alt.YOffset("area:N", sort=order),
            x=alt.X("share:Q", title=title, axis=alt.Axis(format="%")),
            color=_area_colour(shares[shares["time_period"] == year]),
            tooltip=[
                alt.Tooltip("area:N", title=AREA_TITLE),
                alt.Tooltip(f"{category}:N", title=category.replace("_", " ").capitalize()),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("number:Q", title="Children", format=",.0f"),
                alt.Tooltip("total:Q", title="Of", format=",.0f"),
            ],
        )
        .properties(width=width)
    )


def _number_format(fmt: str) -> tuple[str, str | None]:
    """A d3 number format and, for a "£"-prefixed one, an axis label expression with "£"."""
    if not fmt.startswith("£"):
        return fmt, None
    d3 = fmt.removeprefix("£")
    return d3, f"'£' + format(datum.value, '{d3}')"


def authority_bars(values: pd.DataFrame, value: str, title: str, fmt: str = ",.0f",
                   reference: float | None = None, reference_label: str = "England") -> alt.LayerChart | alt.Chart:
    """Horizontal bars of ``value`` for the council and each neighbour (council highlighted),
    with an optional reference line (e.g. England). ``fmt`` is a d3 format, optionally
    prefixed with "£"."""
    d3, label_expr = _number_format(fmt)
    axis = alt.Axis(labelExpr=label_expr) if label_expr else alt.Axis(format=d3)
    shown = values.dropna(subset=[value])[["area_type", "area", value]]
    bars = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X(f"{value}:Q", title=title, axis=axis),
            color=alt.Color(
                "area_type:N",
                title=None,
                scale=alt.Scale(domain=["council", "neighbour"], range=[COUNCIL_COLOUR, OTHER_COLOUR]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("area:N", title=AREA_TITLE), alt.Tooltip(f"{value}:Q", title=title, format=d3)],
        )
        .properties(width=460)
    )
    if reference is None or pd.isna(reference):
        return bars
    rule = (
        alt.Chart(pd.DataFrame({"value": [reference], "label": [reference_label]}))
        .mark_rule(strokeDash=[6, 4], color=REFERENCE_COLOUR, strokeWidth=2)
        .encode(x="value:Q", tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("value:Q", title=title, format=d3)])
    )
    return alt.layer(bars, rule)
