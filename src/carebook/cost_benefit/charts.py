"""Charts of the cost-benefit appraisal (altair; the house theme and the financing options'
colours come from :mod:`carebook.charts`)."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from carebook import formats
from carebook.charts import MONEY, OPTION_COLOURS, WIDTH, colour_scale
from carebook.cost_benefit.financing import OPTIONS

MONEY_PARAMETERS = frozenset({"counterfactual_cost_gbp_a_year"})
"""Parameters of the tornado measured in pounds; the others are shares or factors (as %)."""


def cumulative_by_option(options: dict[str, np.ndarray], years: list[str]) -> alt.Chart:
    """Line chart: the council's cumulative net position (£) by financial year under each
    option, each option in its own colour on every page (:data:`carebook.charts.OPTION_COLOURS`)."""
    frame = pd.concat(
        [pd.DataFrame({"financial_year": years, "option": OPTIONS[key], "cumulative_gbp": np.cumsum(values)})
         for key, values in options.items()],
        ignore_index=True,
    )
    keys = list(options)
    return (alt.Chart(frame).mark_line(point=True)
            .encode(x=alt.X("financial_year:O", title="Financial year", axis=alt.Axis(labelAngle=0)),
                    y=alt.Y("cumulative_gbp:Q", title="Cumulative net saving to the council (£)",
                            axis=alt.Axis(format=MONEY)),
                    color=alt.Color("option:N", title="Financing option",
                                    scale=colour_scale(OPTION_COLOURS, [OPTIONS[k] for k in keys], keys)),
                    tooltip=[alt.Tooltip("option:N", title="Financing option"),
                             alt.Tooltip("financial_year:O", title="Financial year"),
                             alt.Tooltip("cumulative_gbp:Q", title="Cumulative net saving", format=MONEY)])
            .properties(width=WIDTH, height=300,
                        description="Line chart of the council's cumulative net saving in pounds by financial "
                                    "year under each financing option."))


def parameter_value(parameter: str) -> Callable[[float], str]:
    """How a tornado parameter's value reads: pounds, or a percentage (a rate or a factor)."""
    return formats.money if parameter in MONEY_PARAMETERS else formats.share


def tornado(frame: pd.DataFrame, labels: dict[str, str] | None = None) -> alt.LayerChart:
    """Horizontal bars: NPV (£) at each parameter's low and high value around the base NPV."""
    labels = labels or {}
    named = frame.assign(label=frame["parameter"].map(lambda p: labels.get(p, p.replace("_", " ").capitalize())))
    long = pd.concat([
        named.assign(end="Low value", npv_gbp=named["npv_low_gbp"], value=named["low_value"]),
        named.assign(end="High value", npv_gbp=named["npv_high_gbp"], value=named["high_value"]),
    ], ignore_index=True)
    long = long.assign(value_text=[parameter_value(p)(v) for p, v in zip(long["parameter"], long["value"])])
    bars = (alt.Chart(long[["label", "end", "value_text", "npv_gbp", "base_npv_gbp"]]).mark_bar()
            .encode(y=alt.Y("label:N", sort=list(named["label"]), title=None, axis=alt.Axis(labelLimit=0)),
                    x=alt.X("npv_gbp:Q", title="Net present value (£, 2024 prices)", axis=alt.Axis(format=MONEY)),
                    x2="base_npv_gbp:Q",
                    color=alt.Color("end:N", title="Parameter at", sort=["Low value", "High value"]),
                    tooltip=[alt.Tooltip("label:N", title="Parameter"), alt.Tooltip("end:N", title="At its"),
                             alt.Tooltip("value_text:N", title="Value"),
                             alt.Tooltip("npv_gbp:Q", title="Net present value", format=MONEY)]))
    base = alt.Chart(named.head(1)[["base_npv_gbp"]]).mark_rule(color="black").encode(
        x="base_npv_gbp:Q", tooltip=[alt.Tooltip("base_npv_gbp:Q", title="Net present value at base", format=MONEY)])
    return (bars + base).properties(
        width=WIDTH, height=40 * max(len(frame), 1),
        description="Tornado chart: the net present value in pounds with each uncertain parameter at its low "
                    "and its high value, widest swing first, around the base case.")


def histogram(values: np.ndarray, bins: int = 50) -> pd.DataFrame:
    """Counts of ``values`` in equal-width bins: bin_start, bin_end, draws."""
    counts, edges = np.histogram(values, bins=bins)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "draws": counts})


def distribution(simulated: pd.DataFrame, column: str = "net_saving_gbp") -> alt.LayerChart:
    """Histogram of the Monte Carlo draws of ``column`` (£): bars from each bin's start to its
    end (``bin="binned"``, x to x2) up from zero, with a line at break-even (£0)."""
    bars = (alt.Chart(histogram(simulated[column].to_numpy())).mark_bar(color=OPTION_COLOURS["council"])
            .encode(x=alt.X("bin_start:Q", bin="binned", title="Net saving over the plan (£)",
                            axis=alt.Axis(format=MONEY)),
                    x2="bin_end:Q",
                    y=alt.Y("draws:Q", title="Draws", stack=None),
                    tooltip=[alt.Tooltip("bin_start:Q", title="Net saving from", format=MONEY),
                             alt.Tooltip("bin_end:Q", title="to", format=MONEY),
                             alt.Tooltip("draws:Q", title="Draws", format=",.0f")]))
    zero = (alt.Chart(pd.DataFrame({"x": [0], "label": ["Break-even"]})).mark_rule(color="#D4351C", strokeWidth=2)
            .encode(x="x:Q", tooltip=[alt.Tooltip("label:N", title="Line"), alt.Tooltip("x:Q", title="at", format=MONEY)]))
    return (bars + zero).properties(
        width=WIDTH, height=260,
        description="Histogram of the Monte Carlo draws of the net saving over the plan in pounds, with a line "
                    "at break-even.")
