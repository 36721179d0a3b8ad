"""Two runs compared figure by figure (``carebook diff RUN_A RUN_B``).

A run is a site or its ``book/councils`` folder; its figures are the ``figures_<notebook>.csv``
records of :mod:`carebook.provenance`. Only the figures that moved are reported: a value that
changed, a text that changed where there is no value, or a figure that is in one run only.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from carebook import provenance

WHERE = ["council", "notebook", "key"]
ABSENT = "(absent)"


def as_number(values: pd.Series) -> pd.Series:
    """Recorded values (text) as floats; NaN where there is none."""
    return pd.to_numeric(values.replace("", np.nan), errors="coerce")


def changes(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """The figures that moved from run ``a`` to run ``b`` (frames of :func:`provenance.read_run`):
    ``council, notebook, key, label, a, b, change, change_pct`` (``a``/``b`` are the texts shown,
    ``change`` is b − a and ``change_pct`` the change as a share of |a|, NaN when either value is
    missing or a is 0), in the order of run ``a`` then the figures new in ``b``."""
    both = a.merge(b, on=WHERE, how="outer", suffixes=("_a", "_b"), indicator=True, sort=False)
    value_a, value_b = as_number(both["value_a"]), as_number(both["value_b"])
    numeric = value_a.notna() & value_b.notna()
    moved_value = numeric & ~np.isclose(value_a.fillna(0), value_b.fillna(0), rtol=1e-12, atol=0)
    moved_text = ~numeric & (both["text_a"].fillna(ABSENT) != both["text_b"].fillna(ABSENT))
    moved = (both["_merge"] != "both") | moved_value | moved_text
    change = (value_b - value_a).where(numeric)
    found = both.assign(
        label=both["label_a"].fillna(both["label_b"]),
        a=both["text_a"].fillna(ABSENT), b=both["text_b"].fillna(ABSENT),
        change=change, change_pct=(change / value_a.abs()).where(value_a != 0),
    )
    return found.loc[moved, [*WHERE, "label", "a", "b", "change", "change_pct"]].reset_index(drop=True)


def compare_runs(run_a: Path, run_b: Path) -> pd.DataFrame:
    """:func:`changes` between two run folders."""
    return changes(provenance.read_run(run_a), provenance.read_run(run_b))


def _number(value: float) -> str:
    if isinstance(value, float) and math.isnan(value):
        return ""
    return f"{value:+,.0f}" if abs(value) >= 100 else f"{value:+,.4g}"


def as_text(moved: pd.DataFrame, width: int = 48) -> str:
    """The moved figures as an aligned table, or a sentence when none moved."""
    if moved.empty:
        return "No figure moved."
    shown = moved.assign(
        label=moved["label"].map(lambda t: t if len(t) <= width else t[: width - 1] + "…"),
        change=moved["change"].map(_number),
        change_pct=moved["change_pct"].map(lambda v: "" if pd.isna(v) else f"{v:+.1%}"),
    ).rename(columns={"a": "A", "b": "B", "change_pct": "change %"})
    return shown.to_string(index=False) + f"\n{len(moved)} figures moved."
