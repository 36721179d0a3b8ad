"""The council (one authority or a group) and its comparators, and sums over them.

A council group's figures are sums over its members; every rate and share is recomputed
from summed numerators and denominators, never averaged. A suppressed cell stays missing
(NaN): a group total that needs a suppressed member figure is missing too. The neighbours'
figure is the sum over the neighbours whose numerator and denominator are both published
(``n_areas`` says how many), so one suppressed neighbour does not hide the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.sufficiency.official_tables import NEIGHBOURS_FILE

NATIONAL = "National"
REGIONAL = "Regional"
LOCAL_AUTHORITY = "Local authority"
AREA_ORDER = ("council", "region", "neighbours", "england")
CLA_AT_31_MARCH = "Children looked after on 31 March each year"
TOTAL = "Total"


@dataclass(frozen=True)
class Areas:
    """The council (one or several member LAs) and the areas it is compared with."""

    council: str
    codes: tuple[str, ...]
    region_code: str
    region_name: str
    neighbour_codes: tuple[str, ...]
    member_names: tuple[str, ...] = ()

    def name(self, area_type: str) -> str:
        """Display name of an area type: the council, its region, neighbours, England."""
        return {
            "council": self.council,
            "region": self.region_name,
            "neighbours": "Statistical neighbours",
            "england": "England",
        }[area_type]


def statistical_neighbours(model: pd.DataFrame, old_codes: Sequence[str]) -> list[str]:
    """DfE statistical neighbours (old 3-digit LA codes) of a council or group.

    ``model`` is ``sn_model_2025_wide.csv`` (one row per LA, ``SN_1``..``SN_10``). For a
    group the neighbours are the union of the members' neighbours, members excluded, in
    order of the members then closeness rank. An unknown code raises ``InputError``.
    """
    indexed = model.set_index("old_la_code")
    missing = [code for code in old_codes if code not in indexed.index]
    if missing:
        raise InputError(
            f"expected DfE LA codes present in the statistical neighbour model, got {missing}",
            file=NEIGHBOURS_FILE,
        )
    rank_columns = [f"SN_{rank}" for rank in range(1, 11)]
    ranked = indexed.loc[list(old_codes), rank_columns].to_numpy().ravel()
    ordered = pd.unique(pd.Series(ranked).str.strip())
    return [code for code in ordered if code and code not in set(old_codes)]


def names_of(frame: pd.DataFrame, codes: Sequence[str]) -> list[str]:
    """Names (la_name) of ONS codes, from a table's local-authority rows."""
    rows = frame[frame["geographic_level"] == LOCAL_AUTHORITY]
    lookup = rows.drop_duplicates("new_la_code", keep="last").set_index("new_la_code")["la_name"]
    return [lookup.get(code, code) for code in codes]


def new_codes_of(frame: pd.DataFrame, old_codes: Sequence[str]) -> list[str]:
    """ONS codes (new_la_code) of DfE old LA codes, from a table's local-authority rows."""
    rows = frame[frame["geographic_level"] == LOCAL_AUTHORITY]
    lookup = rows.drop_duplicates("old_la_code").set_index("old_la_code")["new_la_code"]
    return [lookup[code] for code in old_codes if code in lookup.index]


def build_areas(
    name: str,
    codes: Sequence[str],
    old_codes: Sequence[str],
    region_code: str,
    region_name: str,
    cla: pd.DataFrame,
    neighbour_model: pd.DataFrame,
) -> Areas:
    """The council's ``Areas``: members, region and statistical neighbours (ONS codes)."""
    neighbours = new_codes_of(cla, statistical_neighbours(neighbour_model, old_codes))
    return Areas(
        council=name,
        codes=tuple(codes),
        region_code=region_code,
        region_name=region_name,
        neighbour_codes=tuple(code for code in neighbours if code not in set(codes)),
        member_names=tuple(names_of(cla, codes)),
    )


# ---------------------------------------------------------------------------------------
# Summing over areas


def relevant_rows(frame: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """The rows of a DfE table that the analysis of ``areas`` uses: England, the region,
    the members and the neighbours (index and suppressed-cell list kept)."""
    level = frame["geographic_level"]
    wanted = (
        (level == NATIONAL)
        | ((level == REGIONAL) & (frame["region_code"] == areas.region_code))
        | ((level == LOCAL_AUTHORITY) & frame["new_la_code"].isin(areas.codes + areas.neighbour_codes))
    )
    return frame[wanted]


def _council_sums(rows: pd.DataFrame, members: int, by: list[str], values: list[str]) -> pd.DataFrame:
    """Sum over the members; missing when any member's figure (or row) is missing."""
    grouped = rows.groupby(by, sort=True)
    sums = grouped[values].sum(skipna=False)
    complete = grouped.size() == members
    sums.loc[~complete, values] = np.nan
    return sums.assign(n_areas=grouped.size().astype(float)).reset_index()


def _known_sums(rows: pd.DataFrame, by: list[str], values: list[str]) -> pd.DataFrame:
    """Sum over the areas whose figures are all known; n_areas counts them."""
    known = rows.dropna(subset=values)
    grouped = known.groupby(by, sort=True)
    return grouped[values].sum().assign(n_areas=grouped.size().astype(float)).reset_index()


def area_sums(frame: pd.DataFrame, areas: Areas, by: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    """Figures of the council and its comparators, long: one row per area and ``by`` key.

    Columns: ``area_type`` (council, region, neighbours, england), ``area``, ``by``...,
    ``values``..., ``n_areas`` (how many local authorities were summed; 1 for a published
    regional or national figure).
    """
    by, values = list(by), list(values)
    frame = frame
    level = frame["geographic_level"]
    local = frame[level == LOCAL_AUTHORITY]
    parts = {
        "council": _council_sums(local[local["new_la_code"].isin(areas.codes)], len(areas.codes), by, values),
        "neighbours": _known_sums(local[local["new_la_code"].isin(areas.neighbour_codes)], by, values),
        "region": _known_sums(
            frame[(level == REGIONAL) & (frame["region_code"] == areas.region_code)], by, values
        ),
        "england": _known_sums(frame[level == NATIONAL], by, values),
    }
    combined = pd.concat(
        [part.assign(area_type=area_type, area=areas.name(area_type)) for area_type, part in parts.items()],
        ignore_index=True,
    )
    return combined[["area_type", "area", *by, *values, "n_areas"]]


def authority_values(frame: pd.DataFrame, areas: Areas, by: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    """The council (summed over members) and each statistical neighbour on its own.

    Columns: ``area_type`` (council or neighbour), ``area`` (name), ``by``..., ``values``...
    """
    by, values = list(by), list(values)
    local = frame[frame["geographic_level"] == LOCAL_AUTHORITY]
    council = _council_sums(local[local["new_la_code"].isin(areas.codes)], len(areas.codes), by, values)
    neighbours = local[local["new_la_code"].isin(areas.neighbour_codes)]
    combined = pd.concat(
        [
            council.assign(area_type="council", area=areas.council),
            neighbours.assign(area_type="neighbour", area=neighbours["la_name"]),
        ],
        ignore_index=True,
    )
    return combined[["area_type", "area", *by, *values]]


def with_total(
    frame: pd.DataFrame, keys: Sequence[str], category: str, value: str, total_label: str = TOTAL
) -> pd.DataFrame:
    """Rows other than the total, each with its total (column ``total``) beside it.

    ``keys`` identify one table (e.g. time_period, new_la_code, cla_group); the row whose
    ``category`` equals ``total_label`` gives the total of that table.
    """
    keys = list(keys)
    frame = frame
    is_total = frame[category] == total_label
    totals = frame.loc[is_total, [*keys, value]].rename(columns={value: "total"})
    return frame[~is_total].merge(totals, on=keys, how="left", validate="many_to_one")


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as a share (0-1); missing where either is missing or 0."""
    return numerator / denominator.where(denominator > 0)


KEYS = ["time_period", "geographic_level", "region_code", "new_la_code"]


def category_shares(
    frame: pd.DataFrame,
    areas: Areas,
    group_column: str,
    groups: Sequence[str],
    category: str,
    value: str,
    total_label: str = TOTAL,
) -> pd.DataFrame:
    """Share of each category in its table's total, for the council and comparators.

    Selects rows whose ``group_column`` is in ``groups``; returns ``area_type, area,
    time_period, <group_column>, <category>, number (children), total (children), share
    (0-1), n_areas``.
    """
    rows = frame[frame[group_column].isin(groups)]
    paired = with_total(rows, [*KEYS, group_column], category, value, total_label)
    summed = area_sums(
        paired.rename(columns={value: "number"}),
        areas,
        ["time_period", group_column, category],
        ["number", "total"],
    )
    return summed.assign(share=share(summed["number"], summed["total"]))

