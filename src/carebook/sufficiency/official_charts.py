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


def _area_order(frame: pd.DataFrame) -> list[str]:
    """Area names in the order council, region, neighbours, England."""
    order = {"council": 0, "region": 1, "neighbours": 2, "england": 3}
    ranked = frame.drop_duplicates("area").assign(rank=lambda df: df["area_type"].map(order))
    return list(ranked.sort_values("rank")["area"])


def rate_trend(
    rates: pd.DataFrame, value: str = "rate_per_10000", title: str = "Rate per 10,000 children", fmt: str = ",.0f"
) -> alt.Chart:
    """Lines over the years, one per area (council, region, neighbours, England)."""
    shown = rates.dropna(subset=[value])[["area_type", "area", "time_period", value]]
    return (
        alt.Chart(shown)
        .mark_line(point=True)
        .encode(
            x=alt.X("time_period:O", title="Year (31 March)"),
            y=alt.Y(f"{value}:Q", title=title, scale=alt.Scale(zero=True), axis=alt.Axis(format=fmt)),
            color=alt.Color("area:N", title=AREA_TITLE, sort=_area_order(rates)),
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
        .mark_rule(strokeDash=[6, 4], color=PALETTE[3], strokeWidth=2)
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
            y=alt.Y(f"{category}:N", title=None, sort=list(dict.fromkeys(shares[category]))),
            yOffset=alt.YOffset("area:N", sort=order),
            x=alt.X("share:Q", title=title, axis=alt.Axis(format="%")),
            color=alt.Color("area:N", title=AREA_TITLE, sort=order),
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


def authority_bars(values: pd.DataFrame, value: str, title: str, fmt: str = ",.0f",
                   reference: float | None = None, reference_label: str = "England") -> alt.LayerChart | alt.Chart:
    """Horizontal bars of ``value`` for the council and each neighbour (council highlighted),
    with an optional reference line (e.g. England)."""
    shown = values.dropna(subset=[value])[["area_type", "area", value]]
    bars = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("area:N", title=None, sort="-x"),
            x=alt.X(f"{value}:Q", title=title),
            color=alt.Color(
                "area_type:N",
                title=None,
                scale=alt.Scale(domain=["council", "neighbour"], range=[COUNCIL_COLOUR, OTHER_COLOUR]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("area:N", title=AREA_TITLE), alt.Tooltip(f"{value}:Q", title=title, format=fmt)],
        )
        .properties(width=460)
    )
    if reference is None or pd.isna(reference):
        return bars
    rule = (
        alt.Chart(pd.DataFrame({"value": [reference], "label": [reference_label]}))
        .mark_rule(strokeDash=[6, 4], color=PALETTE[3], strokeWidth=2)
        .encode(x="value:Q", tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("value:Q", title=title, format=fmt)])
    )
    return alt.layer(bars, rule)
