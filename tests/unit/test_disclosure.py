"""Disclosure control: primary and secondary suppression of counts of children."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebook.disclosure import suppress_counts, suppress_table, suppression_mask, suppression_note
from carebook.errors import InputError


def _exposed_lines(mask: pd.DataFrame) -> int:
    """Rows and columns (all carry totals) with exactly one hidden cell."""
    return int((mask.sum(axis=1) == 1).sum() + (mask.sum(axis=0) == 1).sum())


def test_table_without_small_counts_is_shown_whole_with_totals():
    counts = pd.DataFrame({"male": [90, 95], "female": [100, 127]}, index=["in_house", "external"])
    table = suppress_table(counts)
    assert table.loc["in_house"].tolist() == ["90", "100", "190"]
    assert table.loc["external"].tolist() == ["95", "127", "222"]
    assert table.loc["Total"].tolist() == ["185", "227", "412"]
    assert table.attrs == {"primary": 0, "secondary": 0, "threshold": 5}
    assert suppression_note(table) == (
        "Counts of 1 to 4 children are suppressed (shown as c); no cell of this table needed suppressing."
    )


def test_one_small_cell_in_a_two_by_two_hides_all_four_inner_cells_but_keeps_totals():
    counts = pd.DataFrame({"x": [10, 20], "y": [3, 30]})
    table = suppress_table(counts)
    assert table.loc[0].tolist() == ["c", "c", "13"]
    assert table.loc[1].tolist() == ["c", "c", "50"]
    assert table.loc["Total"].tolist() == ["30", "33", "63"]
    assert (table.attrs["primary"], table.attrs["secondary"]) == (1, 3)


def test_secondary_cells_protect_two_lines_at_once_where_they_can():
    counts = pd.DataFrame({"x": [2, 8, 9], "y": [10, 15, 11], "z": [12, 20, 25]}, index=list("abc"))
    table = suppress_table(counts)
    assert table.loc["a"].tolist() == ["c", "c", "12", "24"]
    assert table.loc["b"].tolist() == ["c", "c", "20", "43"]
    assert table.loc["c"].tolist() == ["9", "11", "25", "45"]
    assert table.loc["Total"].tolist() == ["19", "36", "57", "112"]
    assert suppression_note(table) == (
        "Counts of 1 to 4 children are suppressed (shown as c): 1 cell in this table, "
        "and 3 further cells so that they cannot be worked out from the totals."
    )


def test_zeros_are_shown_and_small_totals_are_hidden():
    counts = pd.DataFrame({"x": [0, 10], "y": [3, 10]})
    table = suppress_table(counts)
    assert table.loc[0, "x"] == "0"
    assert table.loc[0, "y"] == "c" and table.loc[0, "Total"] == "c"  # the row total is 3 itself
    assert table.loc[1].tolist() == ["10", "c", "c"]
    assert table.loc["Total"].tolist() == ["10", "13", "23"]


def test_threshold_changes_what_is_small():
    counts = pd.DataFrame({"x": [6, 40], "y": [50, 60]})
    assert suppress_table(counts, threshold=5).attrs["primary"] == 0
    assert suppress_table(counts, threshold=10).attrs["primary"] == 1


def test_no_line_is_left_with_one_hidden_cell_on_random_tables():
    rng = np.random.default_rng(7)
    for _ in range(200):
        shape = tuple(rng.integers(1, 6, size=2))
        counts = pd.DataFrame(rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 40], size=shape))
        mask = suppression_mask(counts)
        full = counts.assign(Total=counts.sum(axis=1))
        full.loc["Total"] = full.sum()
        small = (full > 0) & (full < 5)
        assert mask[small].fillna(True).all().all()
        assert _exposed_lines(mask) == 0


def test_a_single_list_with_a_total_hides_the_next_smallest():
    shown = suppress_counts(pd.Series([12, 3, 20], index=["a", "b", "c"], name="children"))
    assert shown.tolist() == ["c", "c", "20", "35"]
    assert shown.index.tolist() == ["a", "b", "c", "Total"]
    assert (shown.attrs["primary"], shown.attrs["secondary"]) == (1, 1)


def test_a_single_list_without_a_total_needs_primary_suppression_only():
    shown = suppress_counts(pd.Series([12, 3, 20, 1_250]), total=False)
    assert shown.tolist() == ["12", "c", "20", "1,250"]


@pytest.mark.parametrize("bad", [[1.5, 2.0], [-1.0, 2.0], [float("nan"), 3.0]])
def test_counts_must_be_whole_and_not_negative(bad):
    with pytest.raises(InputError, match="whole non-negative counts"):
        suppress_table(pd.DataFrame({"x": bad}))
