"""The indicators of the official-statistics sufficiency analysis, by area and year:
children looked after and their rate, placement types and providers, distance from home,
new placements, stability, spend, the council's targets and the suppressed cells.

Units: children (counts), rate per 10,000 children aged 0-17, share (0-1), £ a year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from carebook import public
from carebook.sufficiency.areas import (
    CLA_AT_31_MARCH, KEYS, LOCAL_AUTHORITY, NATIONAL, TOTAL, Areas, area_sums, authority_values, category_shares,
    share,
)
from carebook.sufficiency.official_tables import MIN_SPEND_PER_CHILD_GBP, SPEND_PARTS
from carebook.sufficiency.params import SufficiencyParams

# Placement providers grouped into in-house (the council's own) and external provision.
PROVIDER_GROUPS: dict[str, str] = {
    "Own provision (by the LA)": "in-house",
    "Private provision": "external",
    "Voluntary/third sector provision": "external",
    "Other LA provision": "external",
    "Other public provision (e.g. by a PCT etc)": "external",
    "Parents or other person with parental responsibility": "with parents",
    "Placement provider not reported": "not reported",
}
DISTANCE_MEASURES: dict[str, str] = {
    "Placed 20 miles or less from home": "within 20 miles",
    "Placed more than 20 miles from home": "over 20 miles",
    "Distance not known or not recorded": "distance not known",
}
OUTSIDE_BOUNDARY = "Placed outside the local authority boundary"
NEW_PLACEMENT_LOCATION = "Location of new placements during the year"
CHARACTERISTICS_SHOWN = ("Placement", "Place providers", "Distance between home and placement", "Locality of placement")
STABILITY_MEASURES: dict[tuple[str, str], str] = {
    ("CLA on 31 March", "With 3 or more placements during the year"): "3 or more placements in the year",
    (
        "CLA 2 years on 31 March",
        "With 3 or more placements during the previous 2 years",
    ): "3 or more placements in 2 years",
    (
        "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
        "Living with the same carer for at least 2 years",
    ): "same carer for 2 years (in care 2.5 years, under 16)",
}



# ---------------------------------------------------------------------------------------
# Indicators


def cla_rates(cla: pd.DataFrame, areas: Areas, population_type: str = CLA_AT_31_MARCH) -> pd.DataFrame:
    """Children looked after and the rate per 10,000 children aged 0-17, by year and area.

    ``cla`` is ``cla_number_and_rate_per_10k_children.csv`` read with children_count and
    population_estimate numeric. Columns: ``area_type, area, time_period, children_count
    (children), population (children 0-17), rate_per_10000, n_areas``.
    """
    rows = cla[cla["population_type"] == population_type].rename(columns={"population_estimate": "population"})
    summed = area_sums(rows, areas, ["time_period"], ["children_count", "population"])
    return summed.assign(rate_per_10000=share(summed["children_count"], summed["population"]) * 10_000)


def neighbour_rates(cla: pd.DataFrame, areas: Areas, year: str) -> pd.DataFrame:
    """Rate per 10,000 of the council and each statistical neighbour in one year.

    Columns: ``area_type`` (council / neighbour), ``area``, ``children_count``,
    ``population``, ``rate_per_10000``; highest rate first.
    """
    rows = cla[(cla["population_type"] == CLA_AT_31_MARCH) & (cla["time_period"] == year)]
    values = authority_values(
        rows.rename(columns={"population_estimate": "population"}), areas, ["time_period"], ["children_count", "population"]
    )
    rated = values.assign(rate_per_10000=share(values["children_count"], values["population"]) * 10_000)
    return rated.sort_values("rate_per_10000", ascending=False, na_position="last").reset_index(drop=True)


def placement_mix(characteristics: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Children looked after at 31 March by placement type: number and share, by area and year."""
    return category_shares(characteristics, areas, "cla_group", ["Placement"], "characteristic", "number").rename(
        columns={"characteristic": "placement_type"}
    ).drop(columns="cla_group")


def provider_mix(characteristics: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Children looked after at 31 March by placement provider, with in-house/external group."""
    mix = category_shares(characteristics, areas, "cla_group", ["Place providers"], "characteristic", "number")
    return mix.rename(columns={"characteristic": "provider"}).drop(columns="cla_group").assign(
        provider_group=lambda df: df["provider"].map(PROVIDER_GROUPS)
    )


def in_house_external(characteristics: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """In-house and external shares of all children looked after, by area and year.

    In-house is own provision (by the LA). External is the total less own provision,
    placements with parents and provider not reported: private, voluntary, other LA and
    other public provision taken as a whole, so that a suppressed small category (say
    other LA provision) does not hide it. Worked out for each local authority first,
    then summed. Columns: ``area_type, area, time_period, provider_group, number,
    total, share, n_areas``.
    """
    rows = characteristics
    rows = rows[rows["cla_group"] == "Place providers"]
    wide = (
        rows.set_index([*KEYS, "characteristic"])["number"]
        .unstack("characteristic")
        .reset_index()
        .rename_axis(columns=None)
    )
    own = wide["Own provision (by the LA)"]
    not_external = own + wide["Parents or other person with parental responsibility"] + wide[
        "Placement provider not reported"
    ]
    long = pd.concat(
        [
            wide[KEYS].assign(provider_group="in-house", number=own, total=wide[TOTAL]),
            wide[KEYS].assign(provider_group="external", number=wide[TOTAL] - not_external, total=wide[TOTAL]),
        ],
        ignore_index=True,
    )
    summed = area_sums(long, areas, ["time_period", "provider_group"], ["number", "total"])
    return summed.assign(share=share(summed["number"], summed["total"]))


def distance_shares(characteristics: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Shares placed within / over 20 miles of home, distance not known, and outside the
    council boundary, by area and year. Columns: ``area_type, area, time_period, measure,
    number, total, share, n_areas``."""
    distance = category_shares(
        characteristics, areas, "cla_group", ["Distance between home and placement"], "characteristic", "number"
    )
    locality = category_shares(characteristics, areas, "cla_group", ["Locality of placement"], "characteristic", "number")
    combined = pd.concat(
        [
            distance.assign(measure=distance["characteristic"].map(DISTANCE_MEASURES)),
            locality[locality["characteristic"] == OUTSIDE_BOUNDARY].assign(measure="outside the council boundary"),
        ],
        ignore_index=True,
    )
    return combined[["area_type", "area", "time_period", "measure", "number", "total", "share", "n_areas"]]


def new_placement_locations(new_placements: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """New placements in the year by location (inside/outside the boundary, within/over 20
    miles): number, total new placements and share, by area and year."""
    shares = category_shares(
        new_placements, areas, "characteristic", [NEW_PLACEMENT_LOCATION], "breakdown", "children_count",
        total_label="Total new placements",
    )
    return shares.rename(columns={"breakdown": "location"}).drop(columns="characteristic")


def placement_stability(stability: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Placement stability measures (share 0-1) by area and year: 3+ placements in the
    year, 3+ in two years, and the same carer for two years (long-term stability)."""
    shares = category_shares(
        stability, areas, "cla_group", [group for group, _ in STABILITY_MEASURES], "placement_stability",
        "children_count", total_label="Total children",
    )
    measure = pd.Series(list(zip(shares["cla_group"], shares["placement_stability"]))).map(STABILITY_MEASURES)
    return shares.assign(measure=measure.to_numpy()).dropna(subset=["measure"])[
        ["area_type", "area", "time_period", "measure", "number", "total", "share", "n_areas"]
    ]


def spend_table(ro3: pd.DataFrame, year: str, cla: pd.DataFrame) -> pd.DataFrame:
    """One RO3 year as a tidy table of net spend on children looked after (£ a year).

    ``ro3`` is one ``derived/ro3_*.csv`` read with the ``SPEND_PARTS`` columns numeric
    (£ thousands). Returns ``time_period`` (the 31 March ending the financial year),
    ``geographic_level``, ``region_code``, ``new_la_code``, ``la_name``, ``spend_gbp``
    (all children looked after), ``children_count`` (looked after at 31 March),
    ``spend_not_credible`` (True where the recorded spend is under
    ``MIN_SPEND_PER_CHILD_GBP`` a child: set to missing, see that constant).
    """
    ro3, cla = ro3, cla
    ro3 = ro3[ro3["ONS Code"].str.strip().str.len() == 9]
    national = ro3["ONS Code"].str.startswith("E92")
    spend = pd.DataFrame(
        {
            "time_period": year,
            "geographic_level": np.where(national, NATIONAL, LOCAL_AUTHORITY),
            "new_la_code": ro3["ONS Code"].str.strip(),
            "spend_gbp": ro3[SPEND_PARTS["all"]] * 1_000,
        }
    )
    counts = cla[(cla["population_type"] == CLA_AT_31_MARCH) & (cla["time_period"] == year)]
    local = counts[counts["geographic_level"] == LOCAL_AUTHORITY][["new_la_code", "la_name", "region_code", "children_count"]]
    england = counts[counts["geographic_level"] == NATIONAL]["children_count"]
    merged = spend.merge(local, on="new_la_code", how="left")
    merged.loc[merged["geographic_level"] == NATIONAL, "children_count"] = england.iloc[0] if len(england) else np.nan
    not_credible = merged["spend_gbp"] < MIN_SPEND_PER_CHILD_GBP * merged["children_count"]
    return merged.assign(spend_gbp=merged["spend_gbp"].mask(not_credible), spend_not_credible=not_credible)


def spend_rows(ro3: pd.DataFrame) -> pd.DataFrame:
    """An RO3 table with the DfE identifying columns (time_period, geographic_level,
    new_la_code, la_name, line), keeping its index and suppressed-cell list."""
    national = ro3["ONS Code"].str.startswith("E92")
    return ro3.assign(
        time_period=ro3["financial_year"],
        geographic_level=np.where(national, NATIONAL, LOCAL_AUTHORITY),
        new_la_code=ro3["ONS Code"].str.strip(),
        la_name=ro3["Local authority"],
        line="RO3 spend on children looked after",
    )


def spend_per_child(spend: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Net spend on children looked after per child looked after at 31 March (£ a year),
    for the council, its neighbours (summed) and England. Columns: ``area_type, area,
    time_period, spend_gbp, children_count, spend_per_child_gbp, n_areas``."""
    summed = area_sums(spend, areas, ["time_period"], ["spend_gbp", "children_count"])
    return summed.assign(spend_per_child_gbp=share(summed["spend_gbp"], summed["children_count"]))


def neighbour_spend(spend: pd.DataFrame, areas: Areas, year: str) -> pd.DataFrame:
    """Spend per child looked after (£ a year) of the council and each neighbour in one year."""
    values = authority_values(spend[spend["time_period"] == year], areas, ["time_period"], ["spend_gbp", "children_count"])
    per_child = values.assign(spend_per_child_gbp=share(values["spend_gbp"], values["children_count"]))
    return per_child.sort_values("spend_per_child_gbp", ascending=False, na_position="last").reset_index(drop=True)


def spend_parts(ro3: pd.DataFrame, areas: Areas, year: str) -> pd.DataFrame:
    """The council's net spend on children looked after by RO3 line (£ a year), summed
    over members (missing if any member's line is missing). Columns: ``time_period,
    line, spend_gbp``."""
    rows = ro3[ro3["ONS Code"].str.strip().isin(areas.codes)]
    complete = len(rows) == len(areas.codes)
    parts = {
        line: rows[column].sum(skipna=False) * 1_000 if complete else np.nan for line, column in SPEND_PARTS.items()
    }
    return pd.DataFrame({"time_period": year, "line": list(parts), "spend_gbp": list(parts.values())})


# ---------------------------------------------------------------------------------------
# Targets


def national_crosstab_shares(distance: pd.DataFrame, providers: pd.DataFrame) -> dict[str, float]:
    """England's shares (0-1) for the targets not published by local authority: foster and
    residential placements within 20 miles, and foster placements in-house (own provision),
    from the latest year of DfE's national cross-tabulations."""
    year = distance["time_period"].max()
    d = distance[distance["time_period"] == year].set_index(["cla_group", "characteristic"])["number"]
    residential = "Secure homes and children's homes"
    p = providers[providers["time_period"] == providers["time_period"].max()]
    foster = p[p["placement_type"].str.match(r"^\d[a-z]\. Foster placements$")]
    own = foster.loc[foster["placement_provider"] == "Own provision (by the LA)", "number"].sum(min_count=1)
    all_foster = foster.loc[foster["placement_provider"] == "All children", "number"].sum(min_count=1)
    return {
        "year": year,
        "fostering_within_20_miles": d[("Foster placements", "1. 20 miles or less")] / d[("Foster placements", "Total")],
        "residential_within_20_miles": d[(residential, "1. 20 miles or less")] / d[(residential, "Total")],
        "all_within_20_miles": d[("All children", "1. 20 miles or less")] / d[("All children", "Total")],
        "fostering_in_house": own / all_foster,
    }


TARGETS: dict[str, str] = {
    "all_within_20_miles": "All children placed within 20 miles of home",
    "fostering_within_20_miles": "Foster placements within 20 miles of home",
    "residential_within_20_miles": "Children's homes placements within 20 miles of home",
    "fostering_in_house": "Foster placements with the council's own carers",
}


def targets_table(
    params: SufficiencyParams, distance: pd.DataFrame, england: dict[str, float]
) -> pd.DataFrame:
    """The council's targets beside its latest published share and England's.

    Only the share of all children within 20 miles is published by local authority; the
    others are national cross-tabulations (``england``), so the council's figure is
    missing for them (the child-level analysis measures them from the 903 extract).
    Columns: ``measure, target_share, council_share, england_share, england_year,
    meets_target`` (True/False, missing where either side is missing).
    """
    council = distance[(distance["area_type"] == "council") & (distance["measure"] == "within 20 miles")]
    latest = council.sort_values("time_period").tail(1)
    council_all = latest["share"].iloc[0] if len(latest) else np.nan
    rows = pd.DataFrame(
        {
            "measure": list(TARGETS.values()),
            "target_share": [getattr(params, f"target_{key}") for key in TARGETS],
            "council_share": [council_all] + [np.nan] * (len(TARGETS) - 1),
            "council_year": [latest["time_period"].iloc[0] if len(latest) else None] + [None] * (len(TARGETS) - 1),
            "england_share": [england[key] for key in TARGETS],
            "england_year": england["year"],
        }
    )
    rows["target_share"] = rows["target_share"].astype("float64")
    known = rows["target_share"].notna() & rows["council_share"].notna()
    rows["meets_target"] = pd.Series(rows["council_share"] >= rows["target_share"], dtype="boolean").where(known)
    return rows


# ---------------------------------------------------------------------------------------
# Suppression


def suppressed_cells(frame: pd.DataFrame, areas: Areas, describe: Sequence[str]) -> pd.DataFrame:
    """Suppressed cells of a table that concern the council's members.

    ``frame`` is as read by ``carebook.public.read``; ``describe`` names the columns that
    say what a row is (e.g. population_type). Columns: ``table, time_period, la_name,
    item, column, code, meaning``.
    """
    members = frame[(frame["geographic_level"] == LOCAL_AUTHORITY) & frame["new_la_code"].isin(areas.codes)]
    cells = public.suppressed(members, describe=describe)
    item = cells[list(describe)].astype(str).agg(": ".join, axis=1) if len(cells) else pd.Series([], dtype=str)
    return cells.assign(table=frame.attrs.get("source", ""), item=item.to_numpy())[
        ["table", "time_period", "la_name", "item", "column", "code", "meaning"]
    ].reset_index(drop=True)

