"""A council's own published tables beside the model's figures for the same date.

A council file may give, in its ``ssda903.snapshots``, the tables its own strategy printed
for a date (children in each placement group with in-house and external providers, their
gender and legal status; Nottingham's at 31.03.2015). Where the child-level section is
drawn on that date, each cell is set beside the model's: the source's count and its
percentage (of the placement group for providers, of the row for gender and legal
status, as the strategy prints them), the model's, the differences, and why they differ
where they do. The model's counts are suppressed as in the section's results files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.ssda903.params import Snapshot
from carebook.sufficiency.child_disclosure import suppress_long
from carebook.sufficiency.child_level import GROUP_LABELS, LEGAL_LABELS, PROVISION_LABELS, SEX_LABELS, ChildLevelSufficiency

TABLES: dict[str, str] = {
    "provision": "Children in each placement group with in-house and external providers",
    "sex": "Gender of the children in each provision",
    "legal_status": "Legal status of the children in each provision",
}
"""The reproduced tables (``table`` of :func:`reconcile`) and their titles."""
CATEGORY_LABELS: dict[str, str] = {**PROVISION_LABELS, **SEX_LABELS, **LEGAL_LABELS}
COLUMNS = ["table", "placement_group", "provision", "category", "source_children", "source_share",
           "model_children", "model_share", "difference_children", "difference_points", "reason"]


def source_cells(snapshot: Snapshot) -> pd.DataFrame:
    """The source's cells, long: ``table, placement_group, provision, category, source_children,
    source_share`` (0-1: of the placement group for providers, of the row otherwise). Rows
    of the snapshot without a provider or a split give no cells of that table."""
    rows = pd.DataFrame([{"placement_group": r.group, "provision": r.provider, "count": r.count,
                          **({f"sex:{k}": v for k, v in r.sex.model_dump().items()} if r.sex else {}),
                          **({f"legal_status:{k}": v for k, v in r.legal_status.model_dump().items()}
                             if r.legal_status else {})}
                         for r in snapshot.rows if r.provider is not None])
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS[:6])
    provision = rows.assign(table="provision", category=rows["provision"], source_children=rows["count"],
                            source_share=rows["count"] / rows.groupby("placement_group")["count"].transform("sum"))
    splits = (rows.rename_axis("row").reset_index()
              .melt(id_vars=["row", "placement_group", "provision", "count"],
                    value_vars=[c for c in rows.columns if ":" in c], value_name="source_children")
              .dropna(subset=["source_children"]).sort_values("row", kind="stable"))
    kinds = splits["variable"].str.split(":", expand=True)
    splits = splits.assign(table=kinds[0], category=kinds[1],
                           source_share=splits["source_children"] / splits["count"].where(splits["count"] > 0))
    return pd.concat([provision, splits], ignore_index=True)[COLUMNS[:6]]


def model_cells(result: ChildLevelSufficiency) -> pd.DataFrame:
    """The model's cells on the snapshot date, long as :func:`source_cells` with
    ``model_children, model_share``; counts suppressed as in the results files (NaN)."""
    t = result.threshold
    keys = ["date", "placement_group"]
    tables = {"provision": (result.provision, keys), "sex": (result.gender, [*keys, "provision"]),
              "legal_status": (result.legal_status, [*keys, "provision"])}
    cells = pd.concat([suppress_long(frame, rows, name, t).assign(table=name, category=lambda f, c=name: f[c])
                       for name, (frame, rows) in tables.items() if len(frame)], ignore_index=True)
    cells = cells.astype({"placement_group": "string", "provision": "string", "category": "string"})
    return cells.rename(columns={"children": "model_children", "share": "model_share"})[
        ["table", "placement_group", "provision", "category", "model_children", "model_share", "suppressed"]]


def reason(cells: pd.DataFrame, synthetic: bool) -> pd.Series:
    """Why the model's cell departs from the source's ("" where they agree)."""
    differs = cells["difference_children"].fillna(0).ne(0)
    why = np.select(
        [cells["source_children"].isna() & cells["model_children"].fillna(0).gt(0),
         cells["suppressed"],
         differs & synthetic,
         differs],
        ["The strategy's table has no such column: these children are in it under another heading",
         f"Fewer than {cells.attrs.get('threshold', 5)} children in the model, or a count that would reveal "
         "such a number: not shown",
         "The synthetic extract could not place every child as the strategy's table does",
         "The council's extract as read now differs from the figures the strategy reported (records corrected "
         "since, or a different count date)"],
        "")
    return pd.Series(why, index=cells.index)


def reconcile(snapshots: list[Snapshot], result: ChildLevelSufficiency) -> pd.DataFrame:
    """The source's tables for the section's date beside the model's (no rows when the council
    file gives none for that date). Columns: ``table, placement_group, provision, category,
    source_children, source_share, model_children, model_share, difference_children`` (model
    less source, children), ``difference_points`` (percentage points), ``reason``."""
    on = [s for s in snapshots if pd.Timestamp(s.date) == result.on]
    if not on:
        return pd.DataFrame(columns=COLUMNS)
    source = source_cells(on[0]).astype({"placement_group": "string", "provision": "string", "category": "string"})
    cells = source.merge(model_cells(result), on=["table", "placement_group", "provision", "category"], how="left")
    cells["suppressed"] = cells["suppressed"].fillna(False).astype(bool)
    cells = cells.assign(source_children=cells["source_children"].astype("float64"),
                         difference_children=cells["model_children"] - cells["source_children"],
                         difference_points=(cells["model_share"] - cells["source_share"]) * 100)
    cells.attrs["threshold"] = result.threshold
    return cells.assign(reason=reason(cells, result.is_synthetic))[COLUMNS]


def source_note(snapshots: list[Snapshot], result: ChildLevelSufficiency) -> str:
    """The document the reproduced tables come from ("" when there is none for the date)."""
    on = [s for s in snapshots if pd.Timestamp(s.date) == result.on]
    return " ".join(on[0].source.split()) if on else ""


def _count_and_share(children: pd.Series, shares: pd.Series) -> pd.Series:
    """ "190 (46%)"; "c" where the count is withheld."""
    text = children.map(lambda v: "c" if v != v else f"{v:,.0f}")
    return text.where(children.isna(), text + shares.map(lambda v: "" if v != v else f" ({v:.0%})"))


def display(cells: pd.DataFrame, table: str) -> pd.DataFrame:
    """One reproduced table for readers: the row as the strategy names it, the category, the
    source's and the model's children with their percentage, the difference and why."""
    rows = cells[cells["table"] == table]
    row_name = rows["provision"].map(PROVISION_LABELS) + " " + rows["placement_group"].map(GROUP_LABELS).str.lower()
    difference = rows["difference_children"].map(lambda v: "c" if v != v else f"{v:+,.0f}".replace("+0", "0"))
    points = rows["difference_points"].map(lambda v: "" if v != v else f" ({v:+.0f} points)".replace("(+0 ", "(0 ")
                                           .replace("(-0 ", "(0 "))
    return pd.DataFrame({
        "Placements": (rows["placement_group"].map(GROUP_LABELS) if table == "provision" else row_name).to_numpy(),
        "Category": rows["category"].map(CATEGORY_LABELS).to_numpy(),
        "Strategy": _count_and_share(rows["source_children"], rows["source_share"]).to_numpy(),
        "Model": _count_and_share(rows["model_children"], rows["model_share"]).to_numpy(),
        "Difference": (difference + points.where(rows["difference_children"].notna(), "")).to_numpy(),
        "Why they differ": rows["reason"].replace("", "–").to_numpy(),
    })


def agreement(cells: pd.DataFrame) -> dict[str, int]:
    """How many of the source's cells the model shows, and how many of those match exactly."""
    shown = cells["model_children"].notna()
    return {"cells": len(cells), "shown": int(shown.sum()),
            "matching": int((shown & cells["difference_children"].eq(0)).sum())}
