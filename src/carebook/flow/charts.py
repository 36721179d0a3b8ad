"""Charts of the flow model page: the flow diagram (today and after the change, numbers on
the arrows), the Annex 2 sensitivity curves and grid, and savings by year (altair; the
house theme comes from :mod:`carebook.charts`)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from carebook.charts import COUNT, MONEY, PALETTE, WIDTH
from carebook.flow.sensitivity import LABELS, MEASURE
from carebook.flow.savings import SAVING_LABELS

#: Boxes of the diagram: key -> (label, x, y) on a 0-10 by 0-6 canvas.
NODES: dict[str, tuple[str, float, float]] = {
    "new": ("New referrals", 0.9, 5.3),
    "referrals": ("Referrals", 2.3, 3.6),
    "nfa": ("Not assessed", 0.9, 1.4),
    "assessments": ("Assessments", 4.8, 3.6),
    "conferences": ("Conferences", 6.3, 5.2),
    "plans": ("Plans", 8.6, 5.2),
    "care": ("Entered care", 8.6, 2.3),
    "stepdown": ("Step-down / closed", 5.0, 0.7),
}
BOX_HALF_WIDTH, BOX_HALF_HEIGHT = 0.7, 0.3
#: Arrows: (from, to, projection column).
EDGES: list[tuple[str, str, str]] = [
    ("new", "referrals", "new_referrals"),
    ("stepdown", "referrals", "repeat_referrals"),
    ("referrals", "assessments", "assessments"),
    ("referrals", "nfa", "not_assessed"),
    ("assessments", "conferences", "conferences"),
    ("assessments", "care", "direct_entries"),
    ("assessments", "stepdown", "assessed_stepped_down"),
    ("conferences", "plans", "plans"),
    ("conferences", "stepdown", "conference_no_plan"),
    ("plans", "care", "entries_via_plan"),
    ("plans", "stepdown", "plans_stepped_down"),
]
ARROW_GAP = 0.12  # canvas units between a box's edge and an arrow's end
FLOW_LABELS: dict[str, str] = {
    "new_referrals": "New referrals",
    "repeat_referrals": "Repeat referrals after step-down",
    "assessments": "Referrals assessed",
    "not_assessed": "Referrals not assessed",
    "conferences": "Assessments going to a child protection conference",
    "direct_entries": "Entries into care straight after assessment",
    "assessed_stepped_down": "Assessments stepped down or closed",
    "plans": "Conferences making a child protection plan",
    "conference_no_plan": "Conferences with no plan",
    "entries_via_plan": "Entries into care from a plan",
    "plans_stepped_down": "Plans stepped down or closed",
}
"""What each arrow of the diagram carries, in readers' words."""
ARROW_COLOUR = "#6F8FAF"


def flow_edges(projection: pd.DataFrame, year: str) -> pd.DataFrame:
    """Arrows of the diagram for one year: x, y, x2, y2, label position, children, angle."""
    row = projection.loc[year]
    frame = pd.DataFrame(EDGES, columns=["source", "target", "flow"])
    xy = {key: (x, y) for key, (_, x, y) in NODES.items()}
    x0 = frame["source"].map(lambda k: xy[k][0]).to_numpy()
    y0 = frame["source"].map(lambda k: xy[k][1]).to_numpy()
    x1 = frame["target"].map(lambda k: xy[k][0]).to_numpy()
    y1 = frame["target"].map(lambda k: xy[k][1]).to_numpy()
    length = np.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    with np.errstate(divide="ignore"):
        to_edge = np.minimum(BOX_HALF_WIDTH / np.abs(ux), BOX_HALF_HEIGHT / np.abs(uy))
    shorten = to_edge + ARROW_GAP
    return frame.assign(
        x=x0 + shorten * ux, y=y0 + shorten * uy, x2=x1 - shorten * ux, y2=y1 - shorten * uy,
        label_x=(x0 + x1) / 2 - 0.25 * uy, label_y=(y0 + y1) / 2 + 0.25 * ux,
        angle=90 - np.degrees(np.arctan2(uy, ux)),
        children=frame["flow"].map(row).to_numpy().round(0),
        flow_label=frame["flow"].map(FLOW_LABELS),
    )  # fmt: skip


def _panel(edges: pd.DataFrame, title: str, width: int, height: int) -> alt.LayerChart:
    x = alt.X("x:Q", scale=alt.Scale(domain=[0, 9.5]), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0, 6]), axis=None)
    nodes = pd.DataFrame([(label, nx, ny) for label, nx, ny in NODES.values()], columns=["label", "x", "y"])
    lines = alt.Chart(edges).mark_rule(color=ARROW_COLOUR).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("children:Q", scale=alt.Scale(range=[1, 7]), legend=None),
        tooltip=[alt.Tooltip("flow_label:N", title="Flow"),
                 alt.Tooltip("children:Q", title="Children a year", format=COUNT)],
    )  # fmt: skip
    heads = alt.Chart(edges).mark_point(shape="triangle-up", filled=True, size=90, color=ARROW_COLOUR, opacity=1).encode(
        x=alt.X("x2:Q", scale=alt.Scale(domain=[0, 9.5]), axis=None),
        y=alt.Y("y2:Q", scale=alt.Scale(domain=[0, 6]), axis=None),
        angle=alt.Angle("angle:Q", scale=None),
    )
    numbers = alt.Chart(edges).mark_text(fontSize=12, fontWeight="bold", color=PALETTE[0]).encode(
        x=alt.X("label_x:Q", scale=alt.Scale(domain=[0, 9.5]), axis=None),
        y=alt.Y("label_y:Q", scale=alt.Scale(domain=[0, 6]), axis=None),
        text=alt.Text("children:Q", format=",.0f"),
    )
    boxes = alt.Chart(nodes.assign(
        x0=nodes["x"] - BOX_HALF_WIDTH, x1=nodes["x"] + BOX_HALF_WIDTH,
        y0=nodes["y"] - BOX_HALF_HEIGHT, y1=nodes["y"] + BOX_HALF_HEIGHT,
    )).mark_rect(color="#e8eef4", stroke="#12436D", strokeWidth=0.5).encode(
        x=alt.X("x0:Q", scale=alt.Scale(domain=[0, 9.5]), axis=None),
        y=alt.Y("y0:Q", scale=alt.Scale(domain=[0, 6]), axis=None),
        x2="x1:Q", y2="y1:Q",
    )  # fmt: skip
    names = alt.Chart(nodes).mark_text(fontSize=12).encode(x=x, y=y, text="label:N")
    return alt.layer(lines, heads, boxes, names, numbers).properties(title=title, width=width, height=height)


def flow_diagram(projection: pd.DataFrame, width: int = WIDTH, height: int = 330) -> alt.VConcatChart:
    """Two panels, one above the other so that both fit the column: the base year and the
    final projected year, children a year on each arrow."""
    first, last = projection.index[0], projection.index[-1]
    return alt.vconcat(
        _panel(flow_edges(projection, first), f"{first}: today", width, height),
        _panel(flow_edges(projection, last), f"{last}: after the change", width, height),
    ).resolve_scale(strokeWidth="shared").properties(
        description=f"Flow diagram of children a year from referral to assessment, child protection conference, "
                    f"plan and entry into care or step-down, in {first} (above) and in {last} after the change "
                    f"(below).")


def sensitivity_chart(curves: pd.DataFrame) -> alt.VConcatChart:
    """Annex 2: one small chart per change, final-year volume against the rate at full effect,
    one above the other so that they fit the column."""
    charts = []
    for change, curve in curves.groupby("change", sort=False):
        measure = "Referrals" if MEASURE[change] == "referrals" else "Entries into care"
        charts.append(
            alt.Chart(curve)
            .mark_line(point=True, color="#12436D")
            .encode(
                x=alt.X("rate:Q", title=LABELS[change], axis=alt.Axis(format=".1%"), scale=alt.Scale(reverse=True, zero=False)),
                y=alt.Y("children:Q", title=f"{measure} in {curve['year'].iloc[0]}", scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip("rate:Q", title=LABELS[change], format=".1%"),
                         alt.Tooltip("children:Q", title=f"{measure} in {curve['year'].iloc[0]}", format=COUNT)],
            )  # fmt: skip
            .properties(width=WIDTH - 80, height=160)
        )
    return alt.vconcat(*charts).properties(
        description="Line charts, one for each change in practice: the final year's referrals or entries into "
                    "care against the rate the change reaches at full effect.")


def sensitivity_grid_chart(grid: pd.DataFrame) -> alt.LayerChart:
    """Heat map: final-year entries into care for each pair of care-entry rates."""
    data = grid.assign(
        direct=grid["direct_entry_rate"].map("{:.2%}".format), plan=grid["plan_to_care_rate"].map("{:.0%}".format)
    )
    base = alt.Chart(data[["plan", "direct", "entries_into_care"]]).encode(
        x=alt.X("plan:O", title=LABELS["plan_to_care"], sort="descending", axis=alt.Axis(labelAngle=0, grid=False)),
        y=alt.Y("direct:O", title=LABELS["direct_entry"], sort="descending", axis=alt.Axis(grid=False)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("entries_into_care:Q", title="Entries into care", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("direct:N", title=LABELS["direct_entry"]),
                 alt.Tooltip("plan:N", title=LABELS["plan_to_care"]),
                 alt.Tooltip("entries_into_care:Q", title="Entries into care", format=COUNT)],
    )
    middle = (grid["entries_into_care"].min() + grid["entries_into_care"].max()) / 2
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("entries_into_care:Q", format=",.0f"),
        color=alt.condition(alt.datum.entries_into_care > middle, alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(
        width=WIDTH - 120, height=240,
        description="Heat map of the final year's entries into care for each pair of rates: direct entry into "
                    "care after assessment (rows) and child protection plans ending in care (columns).")


def savings_chart(savings: pd.DataFrame) -> alt.Chart:
    """Stacked bars: recurring placement and staff savings by year, £ millions."""
    data = savings[savings["saving"] != "total"].assign(
        saving_gbp_millions=lambda frame: frame["saving_gbp"] / 1e6,
        kind=lambda frame: frame["saving"].map(SAVING_LABELS),
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("saving_gbp_millions:Q", title="Recurring saving, £ millions a year", stack=True),
            color=alt.Color("kind:N", title=None, sort=list(SAVING_LABELS.values())),
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("kind:N", title="Saving"),
                     alt.Tooltip("saving_gbp:Q", title="Saving a year", format=MONEY)],
        )  # fmt: skip
        .properties(width=WIDTH, height=260,
                    description="Stacked bar chart of the recurring savings a year in pounds, placement costs and "
                                "staff costs, by year.")
    )
