"""Placement sufficiency from official statistics, for a council or a group of councils.

Every figure comes from DfE's children-looked-after statistics (SSDA903 returns published
by local authority) and MHCLG's revenue outturn (RO3). A council group's figures are sums
over its members; every rate and share is recomputed from summed numerators and
denominators, never averaged. A suppressed cell stays missing (NaN): a group total that
needs a suppressed member figure is missing too, never a partial sum.

Comparators are England, the council's region and its DfE statistical neighbours. The
neighbours' figure is the sum over the neighbours whose numerator and denominator are both
published (``n_areas`` says how many), so one suppressed neighbour does not hide the rest.

Units: children (counts), rate per 10,000 children aged 0-17, share (0-1), £ a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebook import public
from carebook.council import Council
from carebook.errors import InputError
from carebook.formats import parameters_table
from carebook.sufficiency.params import SufficiencyParams

CLA_FILE = "dfe/cla_number_and_rate_per_10k_children.csv"
CHARACTERISTICS_FILE = "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv"
NEW_PLACEMENTS_FILE = "dfe/la_cla_during_year_new_placements.csv"
STABILITY_FILE = "dfe/la_cla_placement_stability.csv"
NEIGHBOURS_FILE = "dfe/sn_model_2025_wide.csv"
NATIONAL_DISTANCE_FILE = (
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_distance_and_placement_locality.csv"
)
NATIONAL_PROVIDER_FILE = (
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_provider_placement_type_and_locality.csv"
)
# RO3 files by the year whose 31 March ends the financial year (2024-25 -> 2025).
SPEND_FILES: dict[str, str] = {
    "2024": "derived/ro3_2023_24_children_looked_after_expenditure_by_la_gbp_thousands.csv",
    "2025": "derived/ro3_2024_25_children_looked_after_expenditure_by_la_gbp_thousands.csv",
}
SPEND_COLUMN_PREFIX = "Children's social care - Children Looked After"
SPEND_NET = "Net Current Expenditure (C7 = C3 - C6)"
SPEND_PARTS: dict[str, str] = {
    "all": f"{SPEND_COLUMN_PREFIX} - {SPEND_NET}",
    "residential care": f"{SPEND_COLUMN_PREFIX} of which residential care - {SPEND_NET}",
    "fostering services": f"{SPEND_COLUMN_PREFIX} of which fostering services - {SPEND_NET}",
    "asylum-seeking children": (
        f"{SPEND_COLUMN_PREFIX} of which asylum seeking children who are looked after - {SPEND_NET}"
    ),
    "other": f"{SPEND_COLUMN_PREFIX} of which other - {SPEND_NET}",
}

# Net spend under £1,000 a year per child looked after is not the council's spend on
# care: a children's trust paid under another line (Sandwell's RO3 shows -£20,000 for
# 816 children in 2024-25). Such a figure is treated as missing, not compared.
MIN_SPEND_PER_CHILD_GBP = 1_000

NATIONAL = "National"
REGIONAL = "Regional"
LOCAL_AUTHORITY = "Local authority"
AREA_ORDER = ("council", "region", "neighbours", "england")
CLA_AT_31_MARCH = "Children looked after on 31 March each year"
TOTAL = "Total"

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
# Reading


@dataclass(frozen=True)
class OfficialTables:
    """The official tables the sufficiency page uses, each read once."""

    cla: pd.DataFrame
    characteristics: pd.DataFrame
    new_placements: pd.DataFrame
    stability: pd.DataFrame
    neighbour_model: pd.DataFrame
    national_distance: pd.DataFrame
    national_providers: pd.DataFrame
    ro3: dict[str, pd.DataFrame]


def read_tables() -> OfficialTables:
    """Read the official tables from ``$CAREBOOK_PUBLIC_DATA`` (suppression codes as NaN)."""
    return OfficialTables(
        cla=public.read(CLA_FILE, numeric=["population_estimate", "children_count", "rate_per_10000"]),
        characteristics=public.read(CHARACTERISTICS_FILE, numeric=["number"]),
        new_placements=public.read(NEW_PLACEMENTS_FILE, numeric=["children_count"]),
        stability=public.read(STABILITY_FILE, numeric=["children_count"]),
        neighbour_model=public.read(NEIGHBOURS_FILE),
        national_distance=public.read(NATIONAL_DISTANCE_FILE, numeric=["number"]),
        national_providers=public.read(NATIONAL_PROVIDER_FILE, numeric=["number"]),
        ro3={year: public.read(path, numeric=list(SPEND_PARTS.values())) for year, path in SPEND_FILES.items()},
    )


# ---------------------------------------------------------------------------------------
# Areas: the council (or group) and its comparators


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


# ---------------------------------------------------------------------------------------
# Formatting for the narrative


def compare(value: float, reference: float, tolerance: float = 0.0) -> str:
    """"higher than", "lower than" or "the same as" (within ``tolerance``); "not comparable
    with" when either value is missing."""
    if pd.isna(value) or pd.isna(reference):
        return "not comparable with"
    if abs(value - reference) <= tolerance:
        return "the same as"
    return "higher than" if value > reference else "lower than"


# ---------------------------------------------------------------------------------------
# The whole analysis for one council


@dataclass(frozen=True)
class OfficialSufficiency:
    """Every table of the official-statistics sufficiency analysis for one council."""

    areas: Areas
    year: str
    rates: pd.DataFrame
    neighbour_rates: pd.DataFrame
    placements: pd.DataFrame
    providers: pd.DataFrame
    in_house: pd.DataFrame
    distance: pd.DataFrame
    new_placements: pd.DataFrame
    stability: pd.DataFrame
    spend: pd.DataFrame
    neighbour_spend: pd.DataFrame
    spend_parts: pd.DataFrame
    targets: pd.DataFrame
    suppressed: pd.DataFrame

    def results(self) -> dict[str, pd.DataFrame]:
        """Tidy tables to save as results (snake_case, long, units in column names)."""
        return {
            "sufficiency_cla_rates": self.rates,
            "sufficiency_neighbour_rates": self.neighbour_rates.assign(time_period=self.year),
            "sufficiency_placement_mix": self.placements,
            "sufficiency_provider_mix": self.providers,
            "sufficiency_in_house": self.in_house,
            "sufficiency_distance": self.distance,
            "sufficiency_new_placements": self.new_placements,
            "sufficiency_stability": self.stability,
            "sufficiency_spend": self.spend,
            "sufficiency_neighbour_spend": self.neighbour_spend,
            "sufficiency_targets": self.targets,
            "sufficiency_suppressed": self.suppressed,
        }


def analyse(
    name: str,
    codes: Sequence[str],
    old_codes: Sequence[str],
    region_code: str,
    region_name: str,
    params: SufficiencyParams,
    tables: OfficialTables,
) -> OfficialSufficiency:
    """The official-statistics sufficiency analysis of a council or group of councils."""
    areas = build_areas(name, codes, old_codes, region_code, region_name, tables.cla, tables.neighbour_model)
    characteristics = relevant_rows(
        tables.characteristics[tables.characteristics["cla_group"].isin(CHARACTERISTICS_SHOWN)], areas
    )
    new_placements = relevant_rows(
        tables.new_placements[tables.new_placements["characteristic"] == NEW_PLACEMENT_LOCATION], areas
    )
    stability = relevant_rows(tables.stability, areas)
    year = tables.cla["time_period"].max()
    spend_year = max(tables.ro3)
    spend = pd.concat([spend_table(ro3, period, tables.cla) for period, ro3 in tables.ro3.items()], ignore_index=True)
    distance = distance_shares(characteristics, areas)
    england = national_crosstab_shares(tables.national_distance, tables.national_providers)
    suppressed = pd.concat(
        [
            suppressed_cells(tables.cla, areas, ["population_type"]),
            suppressed_cells(characteristics, areas, ["cla_group", "characteristic"]),
            suppressed_cells(new_placements, areas, ["characteristic", "breakdown"]),
            suppressed_cells(stability, areas, ["cla_group", "placement_stability"]),
            *(suppressed_cells(spend_rows(ro3), areas, ["line"]) for ro3 in tables.ro3.values()),
        ],
        ignore_index=True,
    )
    return OfficialSufficiency(
        areas=areas,
        year=year,
        rates=cla_rates(tables.cla, areas),
        neighbour_rates=neighbour_rates(tables.cla, areas, year),
        placements=placement_mix(characteristics, areas),
        providers=provider_mix(characteristics, areas),
        in_house=in_house_external(characteristics, areas),
        distance=distance,
        new_placements=new_placement_locations(new_placements, areas),
        stability=placement_stability(stability, areas),
        spend=spend_per_child(spend, areas),
        neighbour_spend=neighbour_spend(spend, areas, spend_year),
        spend_parts=spend_parts(tables.ro3[spend_year], areas, spend_year),
        targets=targets_table(params, distance, england),
        suppressed=suppressed,
    )


def for_council(council: Council, tables: OfficialTables | None = None) -> OfficialSufficiency:
    """``analyse`` for a ``carebook.params.Council`` (tables read if not given)."""
    return analyse(
        council.name,
        council.codes,
        council.old_codes,
        council.region_code,
        council.region_name,
        council.sufficiency,
        tables or read_tables(),
    )


# ---------------------------------------------------------------------------------------
# Figures for the narrative


def figures(result: OfficialSufficiency) -> dict[str, float | str]:
    """The numbers and words the page's narrative glues in (shares 0-1, £ a year).

    Missing values stay NaN (the page prints them as "not published").
    """
    rates, distance, providers = result.rates, result.distance, result.in_house
    placements, stability, spend, new = result.placements, result.stability, result.spend, result.new_placements
    year = result.year
    spend_year = spend["time_period"].max()

    def at(frame: pd.DataFrame, area_type: str, column: str, period: str = year, **where: str) -> float:
        rows = frame[(frame["area_type"] == area_type) & (frame["time_period"] == period)]
        for key, value in where.items():
            rows = rows[rows[key] == value]
        return float(rows[column].iloc[0]) if len(rows) else np.nan

    first_year = rates["time_period"].min()
    numbers: dict[str, float | str] = {
        "year": year,
        "first_year": first_year,
        "spend_year": f"{int(spend_year) - 1}-{spend_year[2:]}",
        "region": result.areas.region_name or "its region",
        "cla": at(rates, "council", "children_count"),
        "cla_first": at(rates, "council", "children_count", first_year),
        "n_neighbours": float(len(result.areas.neighbour_codes)),
    }
    for area_type in AREA_ORDER:
        numbers[f"rate_{area_type}"] = at(rates, area_type, "rate_per_10000")
        numbers[f"within_20_{area_type}"] = at(distance, area_type, "share", measure="within 20 miles")
        numbers[f"outside_boundary_{area_type}"] = at(distance, area_type, "share", measure="outside the council boundary")
        numbers[f"in_house_{area_type}"] = at(providers, area_type, "share", provider_group="in-house")
        numbers[f"external_{area_type}"] = at(providers, area_type, "share", provider_group="external")
        numbers[f"foster_{area_type}"] = at(placements, area_type, "share", placement_type="Foster placements")
        numbers[f"homes_{area_type}"] = at(
            placements, area_type, "share", placement_type="Secure homes and children's homes"
        )
        numbers[f"three_moves_{area_type}"] = at(stability, area_type, "share", measure="3 or more placements in the year")
        numbers[f"same_carer_{area_type}"] = at(
            stability, area_type, "share", measure="same carer for 2 years (in care 2.5 years, under 16)"
        )
        numbers[f"new_far_{area_type}"] = at(
            new, area_type, "share", location="Placed outside LA boundary more than 20 miles from home"
        )
        numbers[f"spend_per_child_{area_type}"] = at(spend, area_type, "spend_per_child_gbp", spend_year)
    numbers["rate_vs_england"] = compare(numbers["rate_council"], numbers["rate_england"], tolerance=0.5)
    numbers["rate_vs_region"] = compare(numbers["rate_council"], numbers["rate_region"], tolerance=0.5)
    numbers["rate_vs_neighbours"] = compare(numbers["rate_council"], numbers["rate_neighbours"], tolerance=0.5)
    numbers["within_20_vs_england"] = compare(numbers["within_20_council"], numbers["within_20_england"], tolerance=0.005)
    numbers["spend_vs_england"] = compare(
        numbers["spend_per_child_council"], numbers["spend_per_child_england"], tolerance=500
    )
    numbers["spend_vs_neighbours"] = compare(
        numbers["spend_per_child_council"], numbers["spend_per_child_neighbours"], tolerance=500
    )
    numbers["target_sentence"] = target_sentence(result.targets)
    return numbers


def target_sentence(targets: pd.DataFrame) -> str:
    """One sentence on the overall within-20-miles target: met, missed, or none set."""
    overall = targets[targets["measure"] == TARGETS["all_within_20_miles"]].iloc[0]
    target, actual = overall["target_share"], overall["council_share"]
    if pd.isna(target):
        return "The council's parameters set no target for the share placed within 20 miles."
    if pd.isna(actual):
        return f"The council's target is {target:.0%} within 20 miles; its own share is not published."
    gap = (actual - target) * 100
    verdict = (
        f"meets it with {gap:.0f} percentage points to spare"
        if gap >= 0
        else f"falls {-gap:.0f} percentage points short"
    )
    return f"Against the council's target of {target:.0%} within 20 miles, it {verdict}."


def suppressed_summary(suppressed: pd.DataFrame, year: str) -> pd.DataFrame:
    """The suppressed cells of one year, one row per table, authority and code, with the
    items withheld. Columns: ``Table, Authority, Code, Cells, Items``."""
    rows = suppressed[suppressed["time_period"].astype(str).str.startswith(year[:4])]
    grouped = rows.groupby(["table", "la_name", "code", "meaning"], sort=True)
    summary = grouped["item"].agg(lambda items: "; ".join(dict.fromkeys(items)))
    counts = grouped.size()
    return pd.DataFrame(
        {
            "Table": summary.index.get_level_values("table").str.rsplit("/", n=1).str[-1],
            "Authority": summary.index.get_level_values("la_name"),
            "Code": summary.index.get_level_values("code") + ": " + summary.index.get_level_values("meaning"),
            "Cells": counts.to_numpy(),
            "Items": summary.to_numpy(),
        }
    )


def assumptions_table(params: SufficiencyParams) -> pd.DataFrame:
    """The council's placement targets (shares 0-1): name, value, meaning and source
    (:func:`carebook.formats.parameters_table`)."""
    return parameters_table(params, (f"target_{key}" for key in TARGETS), units=dict.fromkeys(
        (f"target_{key}" for key in TARGETS), "share"))
