"""A stated comparator for a council whose own figures DfE does not publish.

DfE suppresses small numbers (City of London, the Isles of Scilly, a stage with a handful
of children), so some councils have no published figure for a stage in any year. Such a
figure is estimated from a **comparator**: the council's statistical neighbours (DfE's
2025 model, ``dfe/sn_model_2025_wide.csv``) where the data folder has them, else the other
councils of its region. The comparator's rate per 10,000 children (the sum of its published
counts over the sum of those councils' populations aged 0 to 17) is scaled to the council's
own child population:

    estimate = comparator count / comparator children x 10,000   (rate per 10,000)
               x council children / 10,000

Only comparator councils that publish the figure in that year count towards the rate. Every
estimate is marked ``basis == "comparator"``, so pages and summaries can say so.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from carebook import public

POPULATION = "dfe/ons_mid-year_population_estimates_2012_to_2024.csv"
NEIGHBOURS = "dfe/sn_model_2025_wide.csv"
CHILDREN = "Children aged 0 to 17 years"
PER = 10_000
"""Rates are per 10,000 children aged 0 to 17."""
NEIGHBOUR_COLUMNS = [f"SN_{n}" for n in range(1, 11)]
LONDON = ("E12000007", "London")
"""Inner and Outer London (E13000001, E13000002) form the London region."""
OWN, COMPARATOR, NONE = "own", "comparator", "none"
"""The basis of a figure: the council's own published figure, a comparator's estimate, or neither."""


@dataclass(frozen=True)
class Comparator:
    """The councils whose published figures stand in for a council's own."""

    kind: str  #: "statistical neighbours" or "region"
    description: str  #: in readers' words: "its ten statistical neighbours (DfE's 2025 model)"
    codes: tuple[str, ...]  #: ONS codes of the comparator councils
    names: tuple[str, ...]  #: their names, in the same order
    source: str  #: the document the comparator comes from


def region(codes: Sequence[str]) -> pd.DataFrame:
    """The region (``region_code``, ``region_name``) of each council, Inner and Outer
    London as London; indexed by ONS code."""
    authorities = public.local_authorities().set_index("new_la_code").reindex(list(codes))
    london = authorities["region_code"].str.startswith("E13", na=False)
    return pd.DataFrame({
        "region_code": authorities["region_code"].mask(london, LONDON[0]),
        "region_name": authorities["region_name"].mask(london, LONDON[1]),
    }, index=authorities.index)  # fmt: skip


def regions() -> pd.DataFrame:
    """Every English council with its region: ``new_la_code``, ``la_name``, ``region_code``, ``region_name``."""
    authorities = public.local_authorities()
    placed = region(authorities["new_la_code"])
    return authorities[["new_la_code", "la_name"]].assign(region_code=placed["region_code"].to_numpy(),
                                                          region_name=placed["region_name"].to_numpy())


@functools.cache
def _neighbour_table() -> pd.DataFrame:
    """Each council's ten statistical neighbours as ONS codes (long: ``new_la_code``, ``neighbour``)."""
    table = public.read(NEIGHBOURS)
    long = table.melt(id_vars="old_la_code", value_vars=NEIGHBOUR_COLUMNS, value_name="old_neighbour")
    ons = public.local_authorities().set_index("old_la_code")["new_la_code"]
    long = long.assign(new_la_code=long["old_la_code"].str.strip().map(ons),
                       neighbour=long["old_neighbour"].str.strip().map(ons), order=long["variable"].str[3:].astype(int))
    return long.dropna(subset=["new_la_code", "neighbour"]).sort_values(["new_la_code", "order"])[["new_la_code", "neighbour"]]


def statistical_neighbours(code: str) -> tuple[str, ...]:
    """A council's statistical neighbours (ONS codes, closest first); empty when the data
    folder has none for it."""
    table = _neighbour_table()
    return tuple(table.loc[table["new_la_code"] == code, "neighbour"])


def comparator_for(code: str) -> Comparator:
    """The comparator of one council: its statistical neighbours, else the other councils of its region."""
    names = public.local_authorities().set_index("new_la_code")["la_name"]
    neighbours = statistical_neighbours(code)
    if neighbours:
        return Comparator(
            kind="statistical neighbours",
            description=f"its {NUMBER_WORDS.get(len(neighbours), len(neighbours))} statistical neighbours in the Department for Education's 2025 model",
            codes=neighbours, names=tuple(names.reindex(neighbours)),
            source="Department for Education, Statistical neighbours, 2025 model",
        )
    placed = regions()
    home = placed.loc[placed["new_la_code"] == code]
    members = placed[(placed["region_code"] == home["region_code"].iloc[0]) & (placed["new_la_code"] != code)]
    return Comparator(
        kind="region", description=f"the other councils of the {home['region_name'].iloc[0]} region",
        codes=tuple(members["new_la_code"]), names=tuple(members["la_name"]),
        source="Department for Education, local authorities with children's services and their regions",
    )


def child_population() -> pd.DataFrame:
    """ONS mid-year estimates of children aged 0 to 17 by council: ``code``, ``year`` (int), ``children``."""
    table = public.read(POPULATION, numeric=["population_estimate"])
    rows = table[(table["geographic_level"] == public.LOCAL_AUTHORITY) & (table["age_group"] == CHILDREN)]
    return pd.DataFrame({"code": rows["new_la_code"].to_numpy(), "year": rows["time_period"].astype(int).to_numpy(),
                         "children": rows["population_estimate"].to_numpy()})


def population_in(population: pd.DataFrame, cells: pd.DataFrame) -> pd.Series:
    """The child population of each row of ``cells`` (``code``, ``year``): the estimate for that
    year, or the nearest year estimated (the estimates end a year before DfE's latest figures)."""
    years = population["year"]
    wanted = cells.assign(year=cells["year"].clip(years.min(), years.max()))
    found = wanted[["code", "year"]].merge(population, on=["code", "year"], how="left")
    return found["children"].set_axis(cells.index).rename("population")


def scaled(rate_per_10k: float | pd.Series, children: float | pd.Series) -> float | pd.Series:
    """A rate per 10,000 children applied to a population of children: the estimated count."""
    return rate_per_10k * children / PER


def comparator_rates(counts: pd.DataFrame, population: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Each council's comparator rate per 10,000 children by year and measure.

    ``counts``: the published figures of the comparator councils, ``code``, ``year``,
    ``measure``, ``children`` (NaN where not published);
    ``population``: :func:`child_population`; ``pairs``: ``code``, ``comparator`` (one row per
    comparator council). Returns ``code``, ``year``, ``measure``, ``rate_per_10k``,
    ``comparators`` (how many comparator councils published the figure).
    """
    published = counts.dropna(subset=["children"])
    published = published.assign(population=population_in(population, published)).dropna(subset=["population"])
    joined = pairs.merge(published.rename(columns={"code": "comparator"}), on="comparator")
    summed = joined.groupby(["code", "year", "measure"], as_index=False).agg(
        children=("children", "sum"), population=("population", "sum"), comparators=("comparator", "nunique"))
    summed = summed[summed["population"] > 0]
    return summed.assign(rate_per_10k=summed["children"] / summed["population"] * PER)[
        ["code", "year", "measure", "rate_per_10k", "comparators"]]


def fill_from_comparators(counts: pd.DataFrame, population: pd.DataFrame, pairs: pd.DataFrame,
                          published: pd.DataFrame) -> pd.DataFrame:
    """``counts`` (``code``, ``year``, ``measure``, ``children``: NaN where not published) with
    each figure that is not published estimated from the council's comparator: the rate per
    10,000 children of its comparator councils' ``published`` figures (:func:`comparator_rates`,
    ``pairs`` names them) x the council's children / 10,000. Adds ``basis`` (``"own"``,
    ``"comparator"``, or ``"none"`` when neither is published), ``rate_per_10k`` (the
    comparator's, where used) and ``population``."""
    rates = comparator_rates(published, population, pairs)
    filled = counts.merge(rates, on=["code", "year", "measure"], how="left")
    filled["population"] = population_in(population, filled)
    own = filled["children"].notna()
    estimate = scaled(filled["rate_per_10k"], filled["population"])
    filled["basis"] = OWN
    filled.loc[~own, "basis"] = estimate[~own].notna().map({True: COMPARATOR, False: NONE})
    filled["children"] = filled["children"].where(own, estimate)
    filled["rate_per_10k"] = filled["rate_per_10k"].where(~own)
    return filled[["code", "year", "measure", "children", "basis", "rate_per_10k", "population"]]


def comparator_pairs(codes: Sequence[str]) -> pd.DataFrame:
    """The comparator councils of each of ``codes`` (:func:`comparator_for`): ``code``, ``comparator``."""
    frames = [pd.DataFrame({"code": code, "comparator": list(comparator_for(code).codes)}) for code in codes]  # a few members
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["code", "comparator"])


NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
LABEL = "estimated from a comparator"
"""Added to a headline label whose figure rests on a comparator's figures."""


def listed(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def marked(label: str, used: bool) -> str:
    """A headline label, marked as a comparator's estimate when ``used``."""
    return f"{label} ({LABEL})" if used else label


def note(council_name: str, estimated: Sequence[str], comparators: Sequence[Comparator]) -> str:
    """The page's statement (MyST) that some figures rest on a comparator, in readers' words:
    ``estimated`` names them (``["child protection plans started"]``)."""
    them = "it" if len(estimated) == 1 else "them"
    described = "; ".join(f"{c.description} ({listed(c.names)})" for c in comparators)
    return (f"The Department for Education publishes no usable figure of {listed(estimated)} for {council_name} "
            f"(small numbers are suppressed), so {'this figure is' if them == 'it' else 'these figures are'} estimated "
            f"from a comparator: the rate per 10,000 children aged 0 to 17 of {described}, applied to {council_name}'s "
            f"own population aged 0 to 17 (Office for National Statistics mid-year estimates). Every figure that "
            f"rests on {them} is marked \"{LABEL}\".")
