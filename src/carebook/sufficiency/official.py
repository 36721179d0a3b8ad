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

from carebook import provenance
from carebook.council import Council
from carebook.formats import parameters_table
from carebook.sufficiency.areas import AREA_ORDER, Areas, build_areas, relevant_rows
from carebook.sufficiency.indicators import (
    CHARACTERISTICS_SHOWN, NEW_PLACEMENT_LOCATION, TARGETS, cla_rates, distance_shares, in_house_external,
    national_crosstab_shares, neighbour_rates, neighbour_spend, new_placement_locations, placement_mix,
    placement_stability, provider_mix, spend_parts, spend_per_child, spend_rows, spend_table, suppressed_cells,
    targets_table,
)
from carebook.sufficiency.official_tables import OfficialTables, read_tables
from carebook.sufficiency.params import SufficiencyParams

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

AREA_KEYS: dict[str, tuple[str, str, str, str]] = {
    "rate": ("rate_council", "rate_region", "rate_neighbours", "rate_england"),
    "within_20": ("within_20_council", "within_20_region", "within_20_neighbours", "within_20_england"),
    "outside_boundary": ("outside_boundary_council", "outside_boundary_region", "outside_boundary_neighbours",
                         "outside_boundary_england"),
    "in_house": ("in_house_council", "in_house_region", "in_house_neighbours", "in_house_england"),
    "external": ("external_council", "external_region", "external_neighbours", "external_england"),
    "foster": ("foster_council", "foster_region", "foster_neighbours", "foster_england"),
    "homes": ("homes_council", "homes_region", "homes_neighbours", "homes_england"),
    "three_moves": ("three_moves_council", "three_moves_region", "three_moves_neighbours", "three_moves_england"),
    "same_carer": ("same_carer_council", "same_carer_region", "same_carer_neighbours", "same_carer_england"),
    "new_far": ("new_far_council", "new_far_region", "new_far_neighbours", "new_far_england"),
    "spend_per_child": ("spend_per_child_council", "spend_per_child_region", "spend_per_child_neighbours",
                        "spend_per_child_england"),
}
"""The glued keys of each measure for the council, its region, its neighbours and England
(in the order of ``AREA_ORDER``), written out so that a key can be searched for."""


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
    for area, area_type in enumerate(AREA_ORDER):
        numbers[AREA_KEYS["rate"][area]] = at(rates, area_type, "rate_per_10000")
        numbers[AREA_KEYS["within_20"][area]] = at(distance, area_type, "share", measure="within 20 miles")
        numbers[AREA_KEYS["outside_boundary"][area]] = at(distance, area_type, "share", measure="outside the council boundary")
        numbers[AREA_KEYS["in_house"][area]] = at(providers, area_type, "share", provider_group="in-house")
        numbers[AREA_KEYS["external"][area]] = at(providers, area_type, "share", provider_group="external")
        numbers[AREA_KEYS["foster"][area]] = at(placements, area_type, "share", placement_type="Foster placements")
        numbers[AREA_KEYS["homes"][area]] = at(
            placements, area_type, "share", placement_type="Secure homes and children's homes"
        )
        numbers[AREA_KEYS["three_moves"][area]] = at(stability, area_type, "share", measure="3 or more placements in the year")
        numbers[AREA_KEYS["same_carer"][area]] = at(
            stability, area_type, "share", measure="same carer for 2 years (in care 2.5 years, under 16)"
        )
        numbers[AREA_KEYS["new_far"][area]] = at(
            new, area_type, "share", location="Placed outside LA boundary more than 20 miles from home"
        )
        numbers[AREA_KEYS["spend_per_child"][area]] = at(spend, area_type, "spend_per_child_gbp", spend_year)
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
    """The suppressed cells of one year, one row per table (named by its title and publisher),
    authority and code, with the items withheld. Columns: ``Table, Authority, Code, Cells, Items``."""
    titles = provenance.catalogue()
    rows = suppressed[suppressed["time_period"].astype(str).str.startswith(year[:4])]
    grouped = rows.groupby(["table", "la_name", "code", "meaning"], sort=True)
    summary = grouped["item"].agg(lambda items: "; ".join(dict.fromkeys(items)))
    counts = grouped.size()
    return pd.DataFrame(
        {
            "Table": summary.index.get_level_values("table").map(lambda path: titles.get(path, "official statistics")),
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
