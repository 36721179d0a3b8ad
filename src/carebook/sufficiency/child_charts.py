"""Charts of the child-level section (small counts left out as in its tables)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from carebook.charts import PALETTE, PLACEMENT_COLOURS, colour_scale
from carebook.disclosure import Disclosure
from carebook.sufficiency import snapshot
from carebook.sufficiency.child_disclosure import disclosure_of, distance_results, hidden_own_places, observed_forecast, suppress_long
from carebook.sufficiency.child_level import GROUP_LABELS, ChildLevelSufficiency
from carebook.sufficiency.params import SufficiencyParams


MONTH_AXIS = alt.X("utcyearmonth(month):T", title="Month")
MONTH_TIP = alt.Tooltip("utcyearmonth(month):T", title="Month", format="%B %Y")


def _months(frame: pd.DataFrame) -> pd.DataFrame:
    """Chart data by month ("2015-03") instead of full dates."""
    return frame.assign(month=pd.to_datetime(frame["date"]).dt.strftime("%Y-%m")).drop(columns="date")


def age_band_chart(result: ChildLevelSufficiency) -> alt.Chart:
    """Share of children in care by age band at each month end (stacked areas); a share
    whose count is suppressed (as in the results) is left out, leaving the stack short."""
    shown = suppress_long(result.age_bands, ["date"], "age_band", result.threshold).dropna(subset=["share"])
    data = shown.assign(age_band=shown["age_band"].astype("string"))
    return (alt.Chart(_months(data[["date", "age_band", "share"]])).mark_area()
            .encode(x=MONTH_AXIS,
                    y=alt.Y("share:Q", title="Share of children in care", stack=True,
                            axis=alt.Axis(format="%")),
                    color=alt.Color("age_band:N", title="Age", sort=list(snapshot.AGE_BANDS),
                                    scale=alt.Scale(range=PALETTE)),
                    order=alt.Order("band_order:Q"),
                    tooltip=[MONTH_TIP, alt.Tooltip("age_band:N", title="Age"),
                             alt.Tooltip("share:Q", format=".0%", title="Share")])
            .transform_calculate(band_order=f"indexof({list(snapshot.AGE_BANDS)}, datum.age_band)")
            .properties(width=520, height=240))


def within_20_trend_chart(result: ChildLevelSufficiency) -> alt.LayerChart:
    """Monthly share within 20 miles for fostering, residential and all, with dashed targets."""
    shown = ["fostering", "residential", "all"]
    _, shares = distance_results(result.within_20_trend, result.threshold)  # shares of hidden counts withheld
    data = shares[shares["placement_group"].isin(shown)].dropna(subset=["share_within_20_miles"])
    data = _months(data.assign(group=data["placement_group"].map(GROUP_LABELS))[
        ["date", "group", "share_within_20_miles", "target_within_20_miles"]])
    order = [GROUP_LABELS[g] for g in shown]
    colour = alt.Color("group:N", title="Placements", sort=order, scale=colour_scale(PLACEMENT_COLOURS, order))
    lines = (alt.Chart(data).mark_line(point=True)
             .encode(x=MONTH_AXIS,
                     y=alt.Y("share_within_20_miles:Q", title="Share within 20 miles of home",
                             axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
                     color=colour,
                     tooltip=[MONTH_TIP, alt.Tooltip("group:N", title="Placements"),
                              alt.Tooltip("share_within_20_miles:Q", format=".0%", title="Within 20 miles")]))
    targets = data.dropna(subset=["target_within_20_miles"]).drop_duplicates("group")
    rules = (alt.Chart(targets).mark_rule(strokeDash=[6, 4])
             .encode(y="target_within_20_miles:Q", color=colour,
                     tooltip=[alt.Tooltip("group:N", title="Target for"),
                              alt.Tooltip("target_within_20_miles:Q", format=".0%", title="Target")]))
    return alt.layer(lines, rules).properties(width=520, height=260)


def forecast_chart(result: ChildLevelSufficiency, disclosure: Disclosure | None = None,
                   params: SufficiencyParams | None = None) -> alt.LayerChart:
    """Children in care by placement group: observed month ends, then the projection with its band,
    and the council's own places as dashed lines. Observed counts of 1 to 4, the projection's
    starting point where the page hides it and own places counted from hidden in-house
    children are left out."""
    disclosure = disclosure_of(result, disclosure)
    observed = result.stock_history.astype({"placement_group": "string"})
    history = disclosure.counts(observed.assign(lower=np.nan, upper=np.nan)[
        ["date", "placement_group", "children", "lower", "upper"]], ["children"]).assign(kind="observed")
    projected, _ = observed_forecast(result, disclosure)
    projected = projected.assign(kind="projected")
    data = pd.concat([history.astype({"placement_group": "string"}), projected], ignore_index=True)
    data = data[data["placement_group"].isin(snapshot.PROVISION_GROUPS)]
    data = _months(data.assign(group=data["placement_group"].map(GROUP_LABELS))[
        ["date", "group", "children", "lower", "upper", "kind"]])
    order = [GROUP_LABELS[g] for g in snapshot.PROVISION_GROUPS]
    colour = alt.Color("group:N", title="Placements", sort=order, scale=colour_scale(PLACEMENT_COLOURS, order))
    base = alt.Chart(data).encode(x=MONTH_AXIS, color=colour)
    band = base.transform_filter("datum.kind == 'projected'").mark_area(opacity=0.2).encode(
        y=alt.Y("lower:Q", title="Children"), y2="upper:Q")
    line = base.mark_line().encode(
        y="children:Q", strokeDash=alt.StrokeDash("kind:N", title=None, sort=["observed", "projected"]),
        tooltip=[MONTH_TIP, alt.Tooltip("group:N", title="Placements"),
                 alt.Tooltip("kind:N", title="Figures"), alt.Tooltip("children:Q", format=",.0f", title="Children"),
                 alt.Tooltip("lower:Q", format=",.0f", title="Band from"),
                 alt.Tooltip("upper:Q", format=",.0f", title="Band to")])
    hidden = hidden_own_places(params or SufficiencyParams(), disclosure)
    places = result.capacity.drop(index=hidden, errors="ignore")
    capacity = pd.DataFrame({"group": [GROUP_LABELS[g] for g in places.index], "places": places.to_numpy()})
    rules = alt.Chart(capacity).mark_rule(strokeDash=[2, 2]).encode(
        y="places:Q", color=colour, tooltip=[alt.Tooltip("group:N", title="Own places"),
                                             alt.Tooltip("places:Q", format=",.0f", title="Places")])
    return alt.layer(band, line, rules).properties(width=520, height=300)

