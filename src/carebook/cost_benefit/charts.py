"""Charts of the cost-benefit appraisal (altair)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from carebook.cost_benefit.financing import OPTIONS


def cumulative_by_option(options: dict[str, np.ndarray], years: list[str]) -> alt.Chart:
    """Line chart: the council's cumulative net position (£) by financial year under each option."""
    frame = pd.concat(
        [pd.DataFrame({"financial_year": years, "option": OPTIONS[key], "cumulative_gbp": np.cumsum(values)})
         for key, values in options.items()],
        ignore_index=True,
    )
    return (alt.Chart(frame).mark_line(point=True)
            .encode(x=alt.X("financial_year:O", title="Financial year"),
                    y=alt.Y("cumulative_gbp:Q", title="Cumulative net saving to the council (£)", axis=alt.Axis(format=",.0f")),
                    color=alt.Color("option:N", title="Financing option"),
                    tooltip=["option", "financial_year", alt.Tooltip("cumulative_gbp:Q", format=",.0f")])
            .properties(width=520, height=300))


def tornado(frame: pd.DataFrame, labels: dict[str, str] | None = None) -> alt.Chart:
    """Horizontal bars: NPV (£) at each parameter's low and high value around the base NPV."""
    labels = labels or {}
    long = pd.concat([
        frame.assign(end="low value", npv_gbp=frame["npv_low_gbp"], value=frame["low_value"]),
        frame.assign(end="high value", npv_gbp=frame["npv_high_gbp"], value=frame["high_value"]),
    ]).assign(label=lambda d: d["parameter"].map(lambda p: labels.get(p, p.replace("_", " "))))
    order = list(frame["parameter"].map(lambda p: labels.get(p, p.replace("_", " "))))
    bars = (alt.Chart(long).mark_bar()
            .encode(y=alt.Y("label:N", sort=order, title=None),
                    x=alt.X("npv_gbp:Q", title="Net present value (£, 2024 prices)", axis=alt.Axis(format=",.0f")),
                    x2="base_npv_gbp:Q",
                    color=alt.Color("end:N", title="Parameter at"),
                    tooltip=["label", "end", alt.Tooltip("value:Q", format=",.3~f"), alt.Tooltip("npv_gbp:Q", format=",.0f")]))
    base = alt.Chart(frame.head(1)).mark_rule(color="black").encode(x="base_npv_gbp:Q")
    return (bars + base).properties(width=520, height=40 * max(len(frame), 1))


def histogram(values: np.ndarray, bins: int = 50) -> pd.DataFrame:
    """Counts of ``values`` in equal-width bins: bin_start, bin_end, draws."""
    counts, edges = np.histogram(values, bins=bins)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "draws": counts})


def distribution(simulated: pd.DataFrame, column: str = "net_saving_gbp") -> alt.Chart:
    """Histogram of the Monte Carlo draws of ``column`` (£), with a red rule at zero."""
    bars = (alt.Chart(histogram(simulated[column].to_numpy())).mark_bar()
            .encode(x=alt.X("bin_start:Q", title="Net saving over the plan (£)", axis=alt.Axis(format=",.0f")),
                    x2="bin_end:Q",
                    y=alt.Y("draws:Q", title="Draws"),
                    tooltip=[alt.Tooltip("bin_start:Q", format=",.0f"), alt.Tooltip("bin_end:Q", format=",.0f"), "draws"]))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="red").encode(x="x:Q")
    return (bars + zero).properties(width=520, height=260)
