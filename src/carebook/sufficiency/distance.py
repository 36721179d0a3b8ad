"""Distance from home from 903 episodes: share placed within 20 miles against targets,
its trend by month, and placements outside the council's boundary.

Distance is the straight line between the HOME_POST and PL_POST postcodes (full
postcodes by their own grid reference, sectors by their centroid; :mod:`carebook.geo`).
A placement whose home or placement postcode is blank, or not in the ONS postcode directory, has
an unknown distance: it is counted and shown in its own column, and left out of
the denominators of the shares (which are shares of placements with a known
distance), never dropped silently.

Inputs are the rows of :func:`carebook.sufficiency.snapshot.in_care_on` (one row
per child in care per date); outputs are counts of children and shares (0-1),
with no CHILD, DOB or postcode.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from carebook import geo
from carebook.sufficiency.params import SufficiencyParams
from carebook.sufficiency.snapshot import PLACEMENT_GROUPS

DISTANCES: tuple[str, ...] = ("within_20_miles", "over_20_miles", "postcode_missing", "postcode_not_matched")
"""How far each placement is from home; the last two are the unknowns, counted apart."""
UNKNOWN: tuple[str, ...] = ("postcode_missing", "postcode_not_matched")
ALL = "all"


def with_distance(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with ``miles`` (straight-line miles home to placement, NaN if unknown) and
    ``distance`` (within_20_miles, over_20_miles, postcode_missing: HOME_POST or
    PL_POST blank, postcode_not_matched: given but not a postcode or sector in the directory)."""
    home, placement = rows["HOME_POST"].astype("string"), rows["PL_POST"].astype("string")
    blank = home.str.strip().replace("", pd.NA).isna() | placement.str.strip().replace("", pd.NA).isna()
    miles = geo.miles_between(home, placement)
    distance = np.select(
        [blank.to_numpy(dtype=bool), miles.isna().to_numpy(), (miles <= geo.LOCAL_MILES).to_numpy()],
        ["postcode_missing", "postcode_not_matched", "within_20_miles"], "over_20_miles",
    )
    return rows.assign(miles=miles.to_numpy(), distance=pd.Categorical(distance, categories=list(DISTANCES)))


def targets_within_20_miles(params: SufficiencyParams) -> dict[str, float | None]:
    """The council's targets (share 0-1 within 20 miles) by placement group and for all children."""
    return {
        "fostering": params.target_fostering_within_20_miles,
        "residential": params.target_residential_within_20_miles,
        ALL: params.target_all_within_20_miles,
    }


def _by_group_and_all(rows: pd.DataFrame, column: str, categories: Sequence[str]) -> pd.DataFrame:
    """Wide counts: one row per date and placement group plus an ``all`` row, a column per category."""
    groups = rows.groupby(["date", "placement_group", column], observed=False).size().unstack(column)
    groups = groups.reindex(columns=list(categories), fill_value=0).reset_index()
    groups["placement_group"] = groups["placement_group"].astype("string")
    totals = groups.groupby("date", as_index=False)[list(categories)].sum().assign(placement_group=ALL)
    order = {name: number for number, name in enumerate([*PLACEMENT_GROUPS, ALL])}
    table = pd.concat([groups, totals[groups.columns]], ignore_index=True)
    table = table.sort_values(["date", "placement_group"],
                              key=lambda column: column.map(order) if column.name == "placement_group" else column)
    return table.rename_axis(columns=None).reset_index(drop=True)


def within_20_miles(rows: pd.DataFrame, params: SufficiencyParams) -> pd.DataFrame:
    """Share placed within 20 miles of home by placement group and for all, per date, against targets.

    ``rows``: :func:`~carebook.sufficiency.snapshot.in_care_on` rows (one date or many,
    e.g. month ends for the trend). Columns: date, placement_group (fostering,
    residential, semi_independence, other, all), children, within_20_miles,
    over_20_miles, postcode_missing, postcode_not_matched (children), unknown
    (children with no known distance), share_within_20_miles (0-1 of those with a
    known distance; NaN when none), target_within_20_miles (0-1 or NaN when the
    council has none), meets_target (boolean, NA without a target).
    """
    table = _by_group_and_all(with_distance(rows), "distance", DISTANCES)
    known = table["within_20_miles"] + table["over_20_miles"]
    targets = table["placement_group"].map(targets_within_20_miles(params)).astype("Float64")
    share = table["within_20_miles"] / known.where(known > 0)
    return table.assign(
        children=table[list(DISTANCES)].sum(axis=1),
        unknown=table[list(UNKNOWN)].sum(axis=1),
        share_within_20_miles=share.astype("float64"),
        target_within_20_miles=targets.astype("float64"),
        meets_target=(share >= targets).astype("boolean").mask(targets.isna() | share.isna()),
    )[["date", "placement_group", "children", *DISTANCES, "unknown", "share_within_20_miles",
       "target_within_20_miles", "meets_target"]]


def outside_boundary(rows: pd.DataFrame, la_codes: Sequence[str]) -> pd.DataFrame:
    """Children placed inside and outside the council's boundary, per date and placement group.

    ``la_codes``: the council's ONS codes. A placement is inside when its PL_POST
    postcode lies in the council (a sector: mostly). Columns: date, placement_group (… and all),
    inside, outside, unknown (blank or unmatched PL_POST), children,
    share_outside (0-1 of those with a known location).
    """
    inside = geo.in_council(rows["PL_POST"].astype("string"), la_codes)
    where = np.select([inside.isna().to_numpy(), inside.fillna(False).to_numpy(dtype=bool)],
                      ["unknown", "inside"], "outside")
    located = rows.assign(location=pd.Categorical(where, categories=["inside", "outside", "unknown"]))
    table = _by_group_and_all(located, "location", ["inside", "outside", "unknown"])
    known = table["inside"] + table["outside"]
    return table.assign(
        children=known + table["unknown"],
        share_outside=(table["outside"] / known.where(known > 0)).astype("float64"),
    )
