"""Calibration targets of the synthetic extract, from official statistics and the
council's own published figures.

Official figures (DfE, via :mod:`carebook.public`), summed over a group's members:

- children looked after at 31 March: ``dfe/cla_number_and_rate_per_10k_children.csv``
  (2021-2025), ``dfe-sfr/post_2017_updated24_cla_number_and_rate_per_10k_children.csv``
  (2019-2020) and the statistical first releases ``dfe-sfr/20{14..17}_SFR*_CLA*.csv``;
- children starting to be looked after in the year: the first two files (2019-2025);
- placement at 31 March: the characteristics table
  ``derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv``
  (2021-2025, all four sufficiency groups) and the first releases (2014-2017,
  foster placements only: their other categories mix children's homes with
  semi-independent living).

Suppressed cells (``c``) of a placement table are filled so the categories add up
to the published total: the unpublished remainder is shared as evenly as possible
between the suppressed cells. Years without a published figure are interpolated
(stock) or follow the nearest published ratio of starts to stock; those years
are not calibration targets. A council file's own snapshots (``ssda903.snapshots``)
replace the official placement rows on the same date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebook import public
from carebook.council import Council
from carebook.errors import InputError
from carebook.ssda903.params import Snapshot, SnapshotRow

NUMBER_FILE_NEW = "dfe/cla_number_and_rate_per_10k_children.csv"
NUMBER_FILE_OLD = "dfe-sfr/post_2017_updated24_cla_number_and_rate_per_10k_children.csv"
CHARACTERISTICS_FILE = "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv"
SFR_FILES: dict[int, str] = {
    2014: "dfe-sfr/2014_SFR36_CLA2014.csv",
    2015: "dfe-sfr/2015_SFR34_CLA2015.csv",
    2016: "dfe-sfr/2016_SFR41_CLA2016.csv",
    2017: "dfe-sfr/2017_SFR50_CLA2017.csv",
}
#: DfE placement categories (characteristics table) -> sufficiency group.
DFE_PLACEMENT_GROUPS: dict[str, str] = {
    "Foster placements": "fostering",
    "Secure homes and children's homes": "residential",
    "Residential schools": "residential",
    "Independent and semi-independent living arrangements/supported accommodation": "semi_independence",
    "Other residential settings": "other",
    "Placed for adoption": "other",
    "Placed with parents or other person with parental responsibility": "other",
    "Other placements": "other",
}
#: DfE age groups and their bounds in whole years [from, to).
AGE_BANDS: dict[str, tuple[int, int]] = {
    "Under 1 year": (0, 1), "1 to 4 years": (1, 5), "5 to 9 years": (5, 10),
    "10 to 15 years": (10, 16), "16 years and over": (16, 18),
}  # fmt: skip
_SFR_AGE_COLUMNS = {"CLA_U1": "Under 1 year", "CLA_1to4": "1 to 4 years", "CLA_5to9": "5 to 9 years",
                    "CLA_10to15": "10 to 15 years", "CLA_16over": "16 years and over"}
_STOCK_NEW = {"Children looked after on 31 March each year", "Children looked after at 31 March each year"}
_STARTS = "Children starting to be looked after each year"
NATIONAL_STARTS_PER_CHILD = 0.39
"""Children starting to be looked after in a year per child looked after at 31 March
(England 2024-25: 32,270 / 81,770 = 0.39, dfe/cla_number_and_rate_per_10k_children.csv), used where a council's starts are unpublished."""


@dataclass(frozen=True)
class Targets:
    """What a synthetic extract is calibrated to.

    stock:     children looked after at 31 March (children) by collection year,
               for every simulated year (interpolated where unpublished).
    starts:    children starting to be looked after (children) by collection year.
    official:  published figures by year: columns year, children_at_31_march,
               starts (NaN where unpublished), source.
    snapshots: exact targets by date (official placement rows at 31 March and the
               council's own snapshots), sorted by date.
    age_mix:   share (0-1) of children at 31 March by DfE age group (latest year).
    inside_share: share (0-1) of children placed inside the council's boundary.
    over_20_share: share (0-1) of children placed over 20 miles from home.
    basis:     what the numbers of children come from, for the page.
    """

    stock: pd.Series
    starts: pd.Series
    official: pd.DataFrame
    snapshots: list[Snapshot]
    age_mix: pd.Series
    inside_share: float
    over_20_share: float
    basis: str = "DfE figures"


def _members_sum(frame: pd.DataFrame, keys: list[str], value: str, members: int) -> pd.DataFrame:
    """Sum ``value`` over member authorities; NaN unless every member has a figure."""
    grouped = frame.groupby(keys, as_index=False).agg(total=(value, "sum"), known=(value, "count"))
    grouped.loc[grouped["known"] < members, "total"] = np.nan
    return grouped.drop(columns="known").rename(columns={"total": value})


def official_numbers(council: Council) -> pd.DataFrame:
    """Published children looked after at 31 March and starts by collection year:
    columns year, children_at_31_march, starts, source (the newest file wins)."""
    members = len(council.codes)
    frames = []
    for relpath, value in ((NUMBER_FILE_NEW, "children_count"), (NUMBER_FILE_OLD, "number")):
        table = public.for_council(public.read(relpath, numeric=[value]), council)
        # the older file labels the measure column "population_count"
        label = table["population_type"] if "population_type" in table else table["population_count"]
        table = table.assign(measure=np.where(label.isin(_STOCK_NEW), "stock",
                                              np.where(label == _STARTS, "starts", "")))
        table = _members_sum(table[table["measure"] != ""], ["time_period", "measure"], value, members)
        frames.append(table.pivot(index="time_period", columns="measure", values=value)
                      .assign(source=relpath).reset_index())
    sfr = []
    for year, relpath in SFR_FILES.items():
        table = public.read(relpath, numeric=[f"CLA_Mar{year}"])
        rows = table[table["geog_c"].isin(council.old_codes)]
        total = rows[f"CLA_Mar{year}"].sum(min_count=1) if len(rows) == members else np.nan
        if rows[f"CLA_Mar{year}"].isna().any():
            total = np.nan
        sfr.append({"time_period": str(year), "stock": total, "starts": np.nan, "source": relpath})
    frames.append(pd.DataFrame(sfr))
    combined = pd.concat(frames, ignore_index=True).assign(year=lambda f: f["time_period"].astype(int))
    combined = combined.dropna(subset=["stock"]).drop_duplicates("year", keep="first")
    return (combined.rename(columns={"stock": "children_at_31_march"})[["year", "children_at_31_march", "starts",
                                                                        "source"]]
            .sort_values("year").reset_index(drop=True))


def fill_suppressed(counts: pd.Series, total: float) -> pd.Series:
    """Fill NaN (suppressed) counts so the series adds up to ``total``: the remainder
    is shared as evenly as possible (integers) between the suppressed cells; with
    nothing suppressed any difference goes to the last cell."""
    known = counts.fillna(0).round().astype("int64")
    remainder = int(round(total)) - int(known.sum())
    hidden = counts.isna().to_numpy()
    if hidden.any():
        n = int(hidden.sum())
        shares = np.full(n, max(remainder, 0) // n) + (np.arange(n) < max(remainder, 0) % n)
        known.iloc[np.flatnonzero(hidden)] = shares
    elif remainder:
        known.iloc[-1] += remainder
    return known


def official_placements(council: Council) -> pd.DataFrame:
    """Children at 31 March by sufficiency group from the characteristics table
    (2021-2025; suppressed cells filled per member) and foster placements from the
    first releases (2014-2017): columns year, group, children, source."""
    table = public.for_council(public.read(CHARACTERISTICS_FILE, numeric=["number"]), council)
    table = table[table["characteristic"].isin(list(DFE_PLACEMENT_GROUPS) + ["Total"])
                  & (table["cla_group"] == "Placement")]
    rows = []
    for (year, code), cells in table.groupby(["time_period", "new_la_code"]):  # a few dozen small tables
        cells = cells.set_index("characteristic")["number"]
        total = cells.get("Total", np.nan)
        if np.isnan(total):
            continue
        filled = fill_suppressed(cells.reindex(list(DFE_PLACEMENT_GROUPS)), total)
        rows.append(filled.groupby(filled.index.map(DFE_PLACEMENT_GROUPS)).sum().rename("children")
                    .rename_axis("group").reset_index().assign(year=int(year), code=code))
    found = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["group", "children", "year", "code"])
    members = len(council.codes)
    complete = found.groupby("year")["code"].nunique()
    found = found[found["year"].isin(complete[complete == members].index)]
    newer = (found.groupby(["year", "group"], as_index=False)["children"].sum()
             .assign(source=CHARACTERISTICS_FILE))
    older = []
    for year, relpath in SFR_FILES.items():
        sfr = public.read(relpath, numeric=["CLA_Fost"])
        hit = sfr[sfr["geog_c"].isin(council.old_codes)]
        if len(hit) == members and hit["CLA_Fost"].notna().all():
            older.append({"year": year, "group": "fostering", "children": int(hit["CLA_Fost"].sum()),
                          "source": relpath})
    return pd.concat([pd.DataFrame(older), newer], ignore_index=True)


def official_age_mix(council: Council) -> pd.Series:
    """Share (0-1) of children at 31 March by DfE age group, latest published year
    (suppressed cells left out of the shares)."""
    table = public.for_council(public.read(CHARACTERISTICS_FILE, numeric=["number"]), council)
    table = table[(table["cla_group"] == "Age group") & table["characteristic"].isin(list(AGE_BANDS))]
    if table.empty:
        return pd.Series(dtype="float64")
    latest = table[table["time_period"] == table["time_period"].max()]
    counts = latest.groupby("characteristic")["number"].sum().reindex(list(AGE_BANDS))
    return counts / counts.sum()


def _official_share(council: Council, cla_group: str, characteristic: str, default: float) -> float:
    """Latest published share (0-1) of children at 31 March in one characteristic."""
    table = public.for_council(public.read(CHARACTERISTICS_FILE, numeric=["number"]), council)
    table = table[table["cla_group"] == cla_group]
    latest = table[table["time_period"] == table["time_period"].max()]
    total = latest.loc[latest["characteristic"] == "Total", "number"].sum()
    part = latest.loc[latest["characteristic"] == characteristic, "number"].sum()
    return float(part / total) if total > 0 and part > 0 else default


def official_snapshots(council: Council, placements: pd.DataFrame, numbers: pd.DataFrame) -> list[Snapshot]:
    """One snapshot at 31 March of each year with a published total: the total and,
    where published, the placement groups."""
    snapshots = []
    for row in numbers.itertuples(index=False):  # one per published year
        groups = placements[placements["year"] == row.year]
        snapshots.append(Snapshot(
            date=dt.date(row.year, 3, 31), source=f"DfE: {row.source}", total=int(row.children_at_31_march),
            rows=[SnapshotRow(group=g.group, count=int(g.children)) for g in groups.itertuples(index=False)],
        ))
    return snapshots


def merge_snapshots(official: list[Snapshot], own: list[Snapshot]) -> list[Snapshot]:
    """The council's own snapshots replace the official rows on the same date (the
    official total is kept when the council's snapshot gives none); sorted by date."""
    by_date = {s.date: s for s in official}
    for snap in own:
        base = by_date.get(snap.date)
        total = snap.total if snap.total is not None else (base.total if base else None)
        by_date[snap.date] = snap.model_copy(update={"total": total})
    return [by_date[d] for d in sorted(by_date)]


def _fill_years(known: pd.Series, years: range) -> pd.Series:
    """Values for every year: linear between published years, flat beyond them."""
    index = pd.Index(list(years), name="year")
    if known.empty:
        return pd.Series(np.nan, index=index)
    return pd.Series(np.interp(index, known.index.to_numpy(float), known.to_numpy(float)), index=index)


def national_rate_numbers(council: Council) -> pd.DataFrame:
    """Children looked after at 31 March and starts by year from England's rate per 10,000
    times the council's population aged 0-17 (where neither the council nor its comparator
    publishes a figure). Columns as :func:`official_numbers`."""
    table = public.read(NUMBER_FILE_NEW, numeric=["population_estimate", "rate_per_10000"])
    measure = np.where(table["population_type"].isin(_STOCK_NEW), "stock",
                       np.where(table["population_type"] == _STARTS, "starts", ""))
    table = table.assign(measure=measure)[measure != ""]
    england = table[table["geographic_level"] == "National"].pivot(index="time_period", columns="measure", values="rate_per_10000")
    members = public.for_council(table[table["measure"] == "stock"], council)
    population = _members_sum(members, ["time_period"], "population_estimate", len(council.codes)).set_index("time_period")["population_estimate"]
    counts = england.mul(population / 10_000, axis=0).dropna().round()
    return (counts.rename(columns={"stock": "children_at_31_march"}).reset_index()
            .assign(year=lambda f: f["time_period"].astype(int), source=NUMBER_FILE_NEW)
            [["year", "children_at_31_march", "starts", "source"]])


def comparator_rate_numbers(council: Council) -> pd.DataFrame:
    """Children looked after at 31 March and starts by year for a council whose own figures
    are not published (Isles of Scilly): its comparator's rate per 10,000 children
    (:mod:`carebook.comparator`: its statistical neighbours, else its region) times the
    council's population aged 0-17. Columns as :func:`official_numbers`."""
    from carebook import comparator  # noqa: PLC0415 - only councils without published figures need it

    table = public.read(NUMBER_FILE_NEW, numeric=["children_count"])
    measure = np.where(table["population_type"].isin(_STOCK_NEW), "stock",
                       np.where(table["population_type"] == _STARTS, "starts", ""))
    rows = table.assign(measure=measure)[(measure != "") & (table["geographic_level"] == public.LOCAL_AUTHORITY)]
    published = pd.DataFrame({"code": rows["new_la_code"].to_numpy(), "year": rows["time_period"].astype(int).to_numpy(),
                              "measure": rows["measure"].to_numpy(), "children": rows["children_count"].to_numpy()})
    grid = pd.MultiIndex.from_product([council.codes, sorted(published["year"].unique()), ["stock", "starts"]],
                                      names=["code", "year", "measure"])
    own = published.set_index(["code", "year", "measure"])["children"].reindex(grid).reset_index()
    filled = comparator.fill_from_comparators(own.assign(children=np.nan), comparator.child_population(),
                                              comparator.comparator_pairs(council.codes), published)
    counts = filled.groupby(["year", "measure"])["children"].sum(min_count=len(council.codes)).unstack("measure").round()
    return (counts.rename(columns={"stock": "children_at_31_march"}).reset_index()
            .assign(source=NUMBER_FILE_NEW)[["year", "children_at_31_march", "starts", "source"]]
            .dropna(subset=["children_at_31_march"]))


def comparator_basis(council: Council) -> str:
    """What a synthetic extract calibrated to :func:`comparator_rate_numbers` rests on, in readers' words."""
    from carebook import comparator  # noqa: PLC0415

    described = comparator.listed([comparator.comparator_for(code).description for code in council.codes])
    return (f"the rate per 10,000 children of a comparator ({described}) applied to the council's population aged 0-17 "
            "(DfE publishes no number of children looked after for the council)")


def calibration_targets(council: Council, first_year: int, last_year: int) -> Targets:
    """Targets for simulating collection years ``first_year`` to ``last_year``.

    Where DfE publishes no number of children looked after for the council, its comparator's
    rate per 10,000 applied to the council's child population stands in (and ``basis`` says so).
    """
    numbers = official_numbers(council)
    numbers = numbers[numbers["children_at_31_march"] > 0]
    basis = "DfE figures"
    if numbers.empty:
        numbers = comparator_rate_numbers(council)
        numbers = numbers[numbers["children_at_31_march"] > 0]
        basis = comparator_basis(council)
    if numbers.empty:  # no comparator publishes either (a data folder holding a few councils)
        numbers = national_rate_numbers(council)
        numbers = numbers[numbers["children_at_31_march"] > 0]
        basis = ("England's rate per 10,000 applied to the council's population aged 0-17 "
                 "(DfE publishes no number of children looked after for the council or its comparators)")
    if numbers.empty:
        raise InputError(
            f"expected published figures of children looked after at 31 March for {council.name} "
            "to calibrate a synthetic extract; found none (configure the council's own extract "
            "with ssda903.path)", where="ssda903")
    placements = official_placements(council)
    stock_known = numbers.set_index("year")["children_at_31_march"]
    ratio_known = (numbers.set_index("year")["starts"] / stock_known).replace([np.inf, -np.inf], np.nan).dropna()
    if ratio_known.empty:
        ratio_known = pd.Series([NATIONAL_STARTS_PER_CHILD], index=[int(stock_known.index.max())])
    years = range(first_year, last_year + 1)
    stock = _fill_years(stock_known, years).round().astype("int64")
    starts = (stock * _fill_years(ratio_known, years)).round().astype("int64")
    published_starts = numbers.dropna(subset=["starts"]).set_index("year")["starts"]
    starts.update(published_starts[published_starts.index.isin(list(years))].astype("int64"))
    snapshots = merge_snapshots(official_snapshots(council, placements, numbers), council.ssda903.snapshots)
    return Targets(
        stock=stock, starts=starts, official=numbers, snapshots=snapshots,
        age_mix=official_age_mix(council),
        inside_share=_official_share(council, "Locality of placement",
                                     "Placed inside the local authority boundary", 0.45),
        over_20_share=_official_share(council, "Distance between home and placement",
                                      "Placed more than 20 miles from home", 0.2),
        basis=basis,
    )  # fmt: skip
