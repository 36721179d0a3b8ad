"""Disclosure control for counts from child-level data, as DfE publications do it.

Primary suppression hides every count of 1 to ``threshold - 1`` children
(default threshold 5: counts 1-4). Secondary suppression then hides further
cells so that no hidden count can be worked out by subtraction from a row or
column total: in every row and column that has a total, either no cell is
hidden or at least two are. Zeros are shown (a zero identifies no one), totals
are shown unless they themselves are small or are needed as a second hidden
cell. Hidden cells are shown as ``"c"``, DfE's code.

The result of :func:`suppress_table` / :func:`suppress_counts` is a table of
text ready to show; ``.attrs["primary"]`` and ``.attrs["secondary"]`` hold how
many cells each rule hid, and :func:`suppression_note` turns that into a
sentence for the page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carebook.errors import InputError

SUPPRESSED = "c"
TOTAL = "Total"
DEFAULT_THRESHOLD = 5


def _checked_counts(counts: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Counts as int64, or an InputError saying what was expected."""
    if threshold < 1:
        raise InputError(f"expected a suppression threshold of 1 or more, got {threshold}",
                         where="disclosure.threshold")
    numeric = all(pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype) for dtype in counts.dtypes)
    values = (counts if numeric else counts.apply(pd.to_numeric, errors="coerce")).astype("float64")
    bad = values.isna() | (values < 0) | (values % 1 != 0)
    if bad.to_numpy().any():
        raise InputError("expected whole non-negative counts of children in every cell of the table",
                         where="disclosure.suppress_table")
    return values.astype("int64")


def with_totals(counts: pd.DataFrame, *, total_row: bool = True, total_column: bool = True) -> pd.DataFrame:
    """The table with a ``Total`` column (each row's sum) and/or a ``Total`` row (each column's sum)."""
    table = counts.copy()
    if total_column:
        table[TOTAL] = table.sum(axis=1)
    if total_row:
        table.loc[TOTAL] = table.sum(axis=0)
    return table


def _line_membership(shape: tuple[int, int], total_row: bool, total_column: bool) -> np.ndarray:
    """Boolean matrix (lines × cells): the additive lines are the rows (if there is a Total
    column, every row sums to it) and the columns (if there is a Total row)."""
    cells = np.arange(shape[0] * shape[1]).reshape(shape)
    lines = (list(cells) if total_column else []) + (list(cells.T) if total_row else [])
    membership = np.zeros((len(lines), cells.size), dtype=bool)
    for number, line in enumerate(lines):
        membership[number, line] = True
    return membership


def suppression_mask(
    counts: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD, *, total_row: bool = True, total_column: bool = True
) -> pd.DataFrame:
    """Which cells of the table with totals are hidden (True), and why (attrs).

    ``counts``: children (whole numbers) in a crosstab. Returns a boolean frame
    shaped like :func:`with_totals` of the counts; ``attrs["primary"]`` is the
    number of cells of 1 to ``threshold - 1`` children, ``attrs["secondary"]``
    the number hidden to protect them. Secondary cells are chosen greedily: a
    cell that also protects another exposed line first, then the smallest
    non-zero inner count, then zeros, then totals.
    """
    grid = with_totals(_checked_counts(counts, threshold), total_row=total_row, total_column=total_column)
    return _mask_of(grid, threshold, total_row, total_column)


def _mask_of(grid: pd.DataFrame, threshold: int, total_row: bool, total_column: bool) -> pd.DataFrame:
    """:func:`suppression_mask` of a table of checked counts with its totals."""
    values = grid.to_numpy().ravel()
    is_total = np.zeros(grid.shape, dtype=bool)
    if total_column:
        is_total[:, -1] = True
    if total_row:
        is_total[-1, :] = True
    is_total = is_total.ravel()
    primary = (values > 0) & (values < threshold)
    hidden = primary.copy()
    membership = _line_membership(grid.shape, total_row, total_column)
    while True:
        exposed = np.flatnonzero(membership.astype(int) @ hidden == 1)
        if exposed.size == 0:
            break
        line, others = exposed[0], exposed[1:]
        candidates = np.flatnonzero(membership[line] & ~hidden)
        protects_another = membership[others][:, candidates].any(axis=0)
        best = np.lexsort((values[candidates], values[candidates] == 0, is_total[candidates], ~protects_another))
        hidden[candidates[best[0]]] = True
    mask = pd.DataFrame(hidden.reshape(grid.shape), index=grid.index, columns=grid.columns)
    mask.attrs = {"primary": int(primary.sum()), "secondary": int(hidden.sum() - primary.sum()),
                  "threshold": int(threshold)}
    return mask


def suppress_table(
    counts: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD, *, total_row: bool = True, total_column: bool = True
) -> pd.DataFrame:
    """A crosstab of children with totals, small counts and their protectors shown as ``"c"``.

    ``counts``: a DataFrame of whole numbers of children (rows × columns).
    Adds a ``Total`` column and a ``Total`` row (unless switched off), applies
    primary suppression (1 to ``threshold - 1``) and secondary suppression
    (no row or column with a total has exactly one hidden cell), and returns the
    table as text with thousands separators. ``attrs`` says how many cells were
    hidden by each rule (see :func:`suppression_note`).
    """
    grid = with_totals(_checked_counts(counts, threshold), total_row=total_row, total_column=total_column)
    mask = _mask_of(grid, threshold, total_row, total_column)
    shown = grid.map("{:,}".format).astype("string").mask(mask, SUPPRESSED)
    shown.attrs = dict(mask.attrs)
    return shown


def suppress_counts(series: pd.Series, threshold: int = DEFAULT_THRESHOLD, *, total: bool = True) -> pd.Series:
    """A single list of counts of children, suppressed; with a ``Total`` entry unless ``total=False``.

    With a total, a lone hidden count is protected by hiding the next smallest
    (or the total). Without one only primary suppression is needed.
    """
    name = series.name if series.name is not None else "children"
    table = suppress_table(series.rename(name).to_frame(), threshold, total_row=total, total_column=False)
    shown = table[name]
    shown.attrs = dict(table.attrs)
    return shown


def suppression_note(table: pd.DataFrame | pd.Series) -> str:
    """A sentence for the page saying what was suppressed in a table from :func:`suppress_table`."""
    primary = int(table.attrs.get("primary", 0))
    secondary = int(table.attrs.get("secondary", 0))
    threshold = int(table.attrs.get("threshold", DEFAULT_THRESHOLD))
    rule = f"Counts of 1 to {threshold - 1} children are suppressed (shown as {SUPPRESSED})"
    if primary == 0:
        return f"{rule}; no cell of this table needed suppressing."
    hidden = f"{primary} cell{'s' if primary != 1 else ''} in this table"
    if secondary == 0:
        return f"{rule}: {hidden}."
    return (f"{rule}: {hidden}, and {secondary} further cell{'s' if secondary != 1 else ''} "
            f"so that they cannot be worked out from the totals.")


def small(values: pd.Series | pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.Series | pd.DataFrame:
    """True where a count of children is 1 to ``threshold - 1`` (primary suppression); False
    for zeros and missing values. Fractional counts (e.g. averages) of 1 to under
    ``threshold`` count as small too."""
    numbers = values.apply(pd.to_numeric, errors="coerce") if isinstance(values, pd.DataFrame) \
        else pd.to_numeric(values, errors="coerce")
    return (numbers >= 1) & (numbers < threshold)


def hidden_with_total(counts: pd.Series, is_total: pd.Series | np.ndarray, groups: pd.Series | None = None,
                      threshold: int = DEFAULT_THRESHOLD) -> pd.Series:
    """Which rows of a long list of counts to hide when each group of rows carries its own
    total row (``is_total``): the small counts and, where a group would have exactly one
    hidden count, its next smallest (or the total) so that no count can be worked out by
    subtraction. ``groups`` labels the rows of each group (all one group when None)."""
    is_total = pd.Series(np.asarray(is_total, dtype=bool), index=counts.index)
    groups = pd.Series(0, index=counts.index) if groups is None else groups
    hidden = pd.Series(False, index=counts.index)
    for _, rows in counts.groupby(groups, sort=False).groups.items():  # one iteration per group
        parts = counts.loc[rows][~is_total.loc[rows]]
        if parts.empty:
            continue
        mask = suppression_mask(parts.round().astype("int64").reset_index(drop=True).to_frame("n"),
                                threshold, total_row=True, total_column=False)["n"]
        hidden.loc[parts.index] = mask.iloc[:-1].to_numpy()
        hidden.loc[[r for r in rows if is_total.loc[r]]] = bool(mask.iloc[-1])
    return hidden


class Disclosure:
    """The disclosure control of one page: which cells of child-level counts are hidden.

    Every table, sentence, chart and results file of a page asks the same object, so a
    count hidden in one table (say in-house residential places, hidden as a small count or
    to protect one) is hidden wherever else it would appear: as "own places" beside
    the table, in a gap worked out from it, in a chart or a results file. Cells are named
    by a quantity and its keys, e.g. ``("provision", "residential", "in_house")``.
    """

    def __init__(self, threshold: int = DEFAULT_THRESHOLD):
        if threshold < 1:
            raise InputError(f"expected a suppression threshold of 1 or more, got {threshold}",
                             where="disclosure.threshold")
        self.threshold = int(threshold)
        self._hidden: set[tuple[str, ...]] = set()

    def hide(self, quantity: str, *keys: object) -> None:
        """Record that the cell ``(quantity, *keys)`` is hidden on this page."""
        self._hidden.add((quantity, *map(str, keys)))

    def is_hidden(self, quantity: str, *keys: object) -> bool:
        """Whether the cell ``(quantity, *keys)`` is hidden somewhere on this page."""
        return (quantity, *map(str, keys)) in self._hidden

    def hidden_rows(self, frame: pd.DataFrame, quantity: str, keys: list[str]) -> pd.Series:
        """True for the rows of ``frame`` whose ``keys`` columns name a hidden cell of ``quantity``."""
        names = frame[keys].astype("string").apply(tuple, axis=1) if len(frame) else pd.Series(dtype=object)
        return names.map(lambda key: self.is_hidden(quantity, *key)).astype(bool).reindex(frame.index, fill_value=False)

    def table(self, counts: pd.DataFrame, quantity: str, *, total_row: bool = True,
              total_column: bool = True) -> pd.DataFrame:
        """:func:`suppress_table` of ``counts`` (rows and columns named by their keys), with
        every hidden cell recorded as ``(quantity, row, column)``."""
        shown = suppress_table(counts, self.threshold, total_row=total_row, total_column=total_column)
        hidden = shown.eq(SUPPRESSED).stack()
        for row, column in hidden[hidden].index:  # one iteration per hidden cell (a handful)
            self.hide(quantity, row, column)
        return shown

    def count_text(self, value: float | None, quantity: str | None = None, *keys: object) -> str:
        """A count of children for a sentence: ``"fewer than 5"`` when it is small, ``"c"``
        when its cell is hidden elsewhere on the page (to protect a small one), else the
        number (``"1,234"``)."""
        if value is None or value != value:
            return "not published"
        if 1 <= value < self.threshold:
            return f"fewer than {self.threshold}"
        return SUPPRESSED if quantity is not None and self.is_hidden(quantity, *keys) else f"{value:,.0f}"

    def withhold(self, frame: pd.DataFrame, hidden: pd.Series, columns: list[str] | None = None) -> pd.DataFrame:
        """``frame`` with ``columns`` (default: every numeric column) blanked (NaN) in the
        ``hidden`` rows, and a ``suppressed`` column (True where blanked, or blanked before)."""
        columns = columns if columns is not None else [
            c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])]
        hidden = hidden.reindex(frame.index, fill_value=False).astype(bool)
        out = frame.copy()
        out[columns] = out[columns].astype("float64").mask(hidden, axis=0)
        before = out["suppressed"].fillna(False).astype(bool) if "suppressed" in out else False
        return out.assign(suppressed=hidden | before)

    def counts(self, frame: pd.DataFrame, count_columns: list[str], columns: list[str] | None = None) -> pd.DataFrame:
        """``frame`` with every row whose ``count_columns`` hold a small count blanked
        (:meth:`withhold`): the last gate of a results file or a chart's data."""
        present = [c for c in count_columns if c in frame]
        if not present:
            return frame
        return self.withhold(frame, small(frame[present], self.threshold).any(axis=1), columns)
