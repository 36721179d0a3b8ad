"""The council's own paper beside the model: its projection and savings tables, the
model's figures for the same years, the differences, and the reason where the model departs.

The paper's figures come from the council file (``flow_model.published``), never from code.
"""

from __future__ import annotations

import pandas as pd

from carebook.formats import count, money, money_millions
from carebook.flow.model import STAGES
from carebook.flow.params import PublishedProjection, PublishedSavings
from carebook.flow.savings import SAVING_LABELS

ROUNDING_CHILDREN = 0.5
"""Children a year: a difference below this is the rounding of the paper's whole numbers."""
ROUNDING_GBP_MILLIONS = 0.005
"""£ millions: a difference below this is the rounding of the paper's two decimals."""


def _side_by_side(source: pd.DataFrame, model: pd.DataFrame, rounding: float) -> pd.DataFrame:
    """Long table of the paper's and the model's figures (index: row label, columns: years):
    item, year, source, model, difference (model - source), departs (beyond ``rounding``)."""
    paper = source.stack().rename("source")
    ours = model.reindex(index=source.index, columns=source.columns).stack().rename("model")
    table = pd.concat([paper, ours], axis=1).rename_axis(["item", "year"]).reset_index()
    table["difference"] = table["model"] - table["source"]
    table["departs"] = table["difference"].abs() > rounding
    return table


def projection_comparison(projection: pd.DataFrame, published: PublishedProjection) -> pd.DataFrame:
    """The paper's projection beside the model's (children a year) for the paper's years:
    item (stage label), year, source, model, difference, departs."""
    source = pd.DataFrame({label: getattr(published, stage) for stage, label in STAGES.items()},
                          index=published.years).T
    model = projection[list(STAGES)].rename(columns=STAGES).T
    return _side_by_side(source, model, ROUNDING_CHILDREN)


def savings_comparison(savings: pd.DataFrame, published: PublishedSavings) -> pd.DataFrame:
    """The paper's recurring savings beside the model's (£ millions a year) for the paper's
    years: item, year, source, model, difference, departs."""
    labels = {**SAVING_LABELS, "total": "Total savings"}
    source = pd.DataFrame({labels[k]: getattr(published, k) for k in labels}, index=published.years).T
    model = (savings.pivot(index="saving", columns="year", values="saving_gbp") / 1e6).rename(index=labels)
    return _side_by_side(source, model, ROUNDING_GBP_MILLIONS)


def projection_reasons(comparison: pd.DataFrame) -> dict[str, str]:
    """The reason for each stage whose model figures depart from the paper's (by stage label)."""
    departing = comparison[comparison["departs"]]
    largest = (departing["difference"].abs() / departing["source"]).groupby(departing["item"]).max()
    return {item: (f"the paper does not state its rules: the model's rules and phasing are calibrated to this "
                   f"table and reproduce the row within {share:.1%}") for item, share in largest.items()}


def savings_reasons(
    comparison: pd.DataFrame, published_projection: PublishedProjection | None, cost_per_entry_gbp: float,
    weekly_cost_gbp: float, episode_weeks: float,
) -> dict[str, str]:
    """The reason for each savings row whose model figures depart from the paper's: for
    placements, the paper's value of an avoided entry (its full placement saving over its
    fewer entries) against the care-entry cost every council's page uses."""
    departing = set(comparison.loc[comparison["departs"], "item"])
    reasons: dict[str, str] = {}
    placements = SAVING_LABELS["placements"]
    if placements in departing:
        ours = (f"the model costs an avoided entry the same way for every council, from placement prices and the "
                f"length of a care episode: {money(weekly_cost_gbp)} a week for {count(episode_weeks)} weeks, "
                f"{money(cost_per_entry_gbp)}")
        if published_projection is not None:
            fewer = published_projection.entries_into_care[0] - published_projection.entries_into_care[-1]
            full = comparison.loc[comparison["item"] == placements, "source"].iloc[-1]
            reasons[placements] = (f"the paper values an avoided entry at {money(full * 1e6 / fewer)} "
                                   f"({money_millions(full * 1e6)} for {count(fewer)} fewer entries); {ours}")
        else:
            reasons[placements] = ours
    staff = SAVING_LABELS["staff"]
    if staff in departing:
        reasons[staff] = ("staff savings are the paper's saving per referral avoided times the model's fewer "
                          "referrals, which differ from the paper's by rounding")
    if "Total savings" in departing:
        reasons["Total savings"] = "the sum of the rows above"
    return reasons


def comparison_display(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison laid out to show: for each item a row of the paper's figures, of the
    model's and of the differences (model - paper), years as columns."""
    parts = []
    for column, label in (("source", "Paper"), ("model", "Model"), ("difference", "Difference")):
        wide = comparison.pivot(index="item", columns="year", values=column)
        parts.append(wide.assign(figure=label, order=len(parts)))
    items = list(dict.fromkeys(comparison["item"]))
    table = pd.concat(parts).reset_index()
    table["item_order"] = table["item"].map({item: i for i, item in enumerate(items)})
    table = table.sort_values(["item_order", "order"]).drop(columns=["item_order", "order"])
    table["item"] = table["item"].where(table["figure"] == "Paper", "")
    table = table[["item", "figure", *dict.fromkeys(comparison["year"])]].rename(columns={"item": "Item", "figure": "Figure"})
    table.columns.name = None
    return table.reset_index(drop=True)


def reasons_text(reasons: dict[str, str]) -> str:
    """The reasons as a list to show under a comparison (MyST), or a sentence when the model
    reproduces every figure."""
    if not reasons:
        return "The model reproduces every figure of the paper's table, to its rounding."
    lines = "\n".join(f"- **{item}**: {reason}." for item, reason in reasons.items())
    return f"Where the model departs from the paper:\n\n{lines}"
