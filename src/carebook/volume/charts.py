"""Charts of the volume sizing page: the funnel, the journey profile, the placement mix
and the cost curve (altair; the house theme comes from :mod:`carebook.charts`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from carebook.charts import COUNT, MONEY, PALETTE, PLACEMENT_COLOURS, SHARE, WIDTH, colour_scale
from carebook.volume.params import PLACEMENT_GROUP_NAMES

JOURNEYS = {"all": "All journeys", "complete": "Complete journeys (aged 18 within the data)"}
JOURNEY_COLOURS = colour_scale(dict(zip(JOURNEYS.values(), PALETTE)), list(JOURNEYS.values()))
"""All journeys and complete journeys in the same two colours on both charts that compare them."""


def funnel_stages(funnel: pd.DataFrame) -> pd.DataFrame:
    """The funnel as children a year at each stage (averages over the years for #1 and #2a).

    Returns columns order, stage, children_a_year.
    """
    per_year = (funnel[funnel["step"].isin(["1", "2a"])].groupby("step", sort=False)["children"]
                .agg(lambda years: years.mean(skipna=False)))  # an average over a withheld year is withheld
    later = funnel[funnel["step"].isin(["4", "5", "6"])].set_index("step")["children"]
    values = pd.concat([per_year, later])
    labels = {
        "1": "#1 New care entrants in the age range",
        "2a": "#2a with a category of need for MST",
        "4": "#4 Unique children a year",
        "5": "#5 Suitable for intervention",
        "6": "#6 Edge-of-care cases to refer",
    }
    return pd.DataFrame(
        {"order": range(len(values)), "stage": values.index.map(labels), "children_a_year": values.to_numpy()}
    )


def funnel_chart(funnel: pd.DataFrame) -> alt.Chart:
    """Horizontal bars: children a year at each stage of the funnel."""
    stages = funnel_stages(funnel)
    base = alt.Chart(stages).encode(
        y=alt.Y("stage:N", sort=list(stages["stage"]), title=None, axis=alt.Axis(labelLimit=0)),
        x=alt.X("children_a_year:Q", title="Children a year", scale=alt.Scale(nice=True)),
        tooltip=[alt.Tooltip("stage:N", title="Stage"), alt.Tooltip("children_a_year:Q", title="Children a year", format=",.1f")],
    )
    bars = base.mark_bar(color=PALETTE[0])
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("children_a_year:Q", format=COUNT))
    return (bars + labels).properties(
        width=WIDTH - 200, height=220,
        description="Bar chart of the children a year at each stage of the funnel, from new care entrants in the "
                    "age range to the edge-of-care cases to refer.")


def journey_profile_chart(profile: pd.DataFrame) -> alt.Chart:
    """Bars: share of time in care in each year since entry, all journeys beside complete ones."""
    profile = profile[~profile["children"].between(1, 4) & profile["children"].notna()]  # figures of fewer than 5 children
    data = profile.assign(journeys=profile["journeys"].map(JOURNEYS))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("journey_year:O", title="Year since entering care", axis=alt.Axis(labelAngle=0)),
            xOffset="journeys:N",
            y=alt.Y("share_in_care:Q", title="Share of time in care", axis=alt.Axis(format="%")),
            color=alt.Color("journeys:N", title=None, scale=JOURNEY_COLOURS, legend=alt.Legend(columns=1)),
            tooltip=[
                alt.Tooltip("journeys:N", title="Journeys"),
                alt.Tooltip("journey_year:O", title="Year since entering care"),
                alt.Tooltip("share_in_care:Q", title="Share in care that year", format=".0%"),
                alt.Tooltip("cumulative_share_in_care:Q", title="Share since entry", format=".0%"),
                alt.Tooltip("children:Q", title="Children in the sample", format=COUNT),
            ],
        )
        .properties(width=WIDTH, height=280,
                    description="Bar chart of the share of time in care in each year since entering care, all "
                                "journeys beside complete journeys.")
    )


def placement_mix_chart(mix: pd.DataFrame) -> alt.Chart:
    """Stacked bars: share of care days by placement group, by age at entry and all ages
    (ages with 1 to 4 children are left out)."""
    mix = mix[~mix["children"].between(1, 4) & mix["children"].notna()]
    data = mix.assign(
        placement=mix["sf_group"].map(PLACEMENT_GROUP_NAMES),
        age=mix["age_at_entry"].astype(str).where(mix["age_at_entry"] >= 0, "All ages"),
    )
    order = [*sorted(data.loc[data["age_at_entry"] >= 0, "age"].unique(), key=int), "All ages"]
    placements = [name for name in PLACEMENT_GROUP_NAMES.values() if name in set(data["placement"])]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("age:N", sort=order, title="Age at entering care", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", stack="normalize", title="Share of care days", axis=alt.Axis(format="%")),
            color=alt.Color("placement:N", title=None, sort=placements,
                            scale=colour_scale(PLACEMENT_COLOURS, placements), legend=alt.Legend(columns=5)),
            order=alt.Order("placement_order:Q"),
            tooltip=[
                alt.Tooltip("age:N", title="Age at entering care"),
                alt.Tooltip("placement:N", title="Placement"),
                alt.Tooltip("share:Q", title="Share of care days", format=SHARE),
            ],
        )
        .transform_calculate(placement_order=f"indexof({placements}, datum.placement)")
        .properties(width=WIDTH, height=280,
                    description="Stacked bar chart of the share of care days in each placement group, by age at "
                                "entering care and for all ages.")
    )


def cost_curve_chart(cost: pd.DataFrame) -> alt.Chart:
    """Lines: average placement cost of a care journey from entry, by years since entry."""
    cost = cost[~cost["children"].between(1, 4) & cost["children"].notna()]  # figures of fewer than 5 children
    data = cost.assign(journeys=cost["journeys"].map(JOURNEYS))
    base = alt.Chart(data).encode(
        x=alt.X("journey_year:O", title="Years since entering care", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cumulative_cost_gbp:Q", title="Placement cost since entry (£)", axis=alt.Axis(format=MONEY)),
        color=alt.Color("journeys:N", title=None, scale=JOURNEY_COLOURS, legend=alt.Legend(columns=1)),
        tooltip=[
            alt.Tooltip("journeys:N", title="Journeys"),
            alt.Tooltip("journey_year:O", title="Years since entering care"),
            alt.Tooltip("cumulative_cost_gbp:Q", title="Placement cost since entry", format=MONEY),
            alt.Tooltip("children:Q", title="Children in the sample", format=COUNT),
        ],
    )
    return (base.mark_line() + base.mark_point(filled=True, size=60)).properties(
        width=WIDTH, height=280,
        description="Line chart of the average placement cost in pounds of a care journey since entering care, by "
                    "years since entering care, all journeys and complete journeys.")
