"""Small counts of the child-level section: which cells the page hides (primary and
secondary suppression), and the section's results files written with the same cells
hidden. Every count of 1 to ``threshold - 1`` children is suppressed where it is shown
or saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

import pandas as pd

from carebook.disclosure import Disclosure, small, suppression_mask
from carebook.sufficiency import distance, snapshot
from carebook.sufficiency.child_level import ChildLevelSufficiency
from carebook.sufficiency.params import SufficiencyParams


def provision_counts(result: ChildLevelSufficiency) -> pd.DataFrame:
    """Children by placement group (rows: fostering, residential, semi_independence) and
    provision (columns: in_house, external) on the snapshot date."""
    return (result.provision.pivot(index="placement_group", columns="provision", values="children")
            .reindex(index=list(snapshot.PROVISION_GROUPS), columns=["in_house", "external"]).fillna(0))


def distance_counts(result: ChildLevelSufficiency) -> pd.DataFrame:
    """Children by placement group and distance (within / over 20 miles, unknown) on the snapshot date."""
    table = result.within_20[result.within_20["placement_group"] != distance.ALL]
    return table.set_index(table["placement_group"].astype("string"))[["within_20_miles", "over_20_miles", "unknown"]]


_RECORDED: WeakKeyDictionary[Disclosure, ChildLevelSufficiency] = WeakKeyDictionary()
"""The result whose hidden cells each page's disclosure control holds (recorded once)."""


def disclosure_of(result: ChildLevelSufficiency, disclosure: Disclosure | None = None) -> Disclosure:
    """The page's disclosure control with the section's hidden cells recorded: provision
    ``("provision", group, in_house|external|Total)`` and distance ``("distance", group|Total, column)``.
    Every other table, sentence, chart and results file of the section asks it; the cells of
    one result are worked out once for a page's disclosure control, however often it asks."""
    disclosure = disclosure or Disclosure(result.threshold)
    if _RECORDED.get(disclosure) is not result:
        disclosure.table(provision_counts(result), "provision")
        disclosure.table(distance_counts(result), "distance")
        _RECORDED[disclosure] = result
    return disclosure


def own_places_from_data(params: SufficiencyParams) -> dict[str, bool]:
    """Per group, whether its own places are the in-house placements in use (a count of
    children from the 903 data) rather than a figure in the council's parameters."""
    given = {"fostering": params.capacity_in_house_fostering_places,
             "residential": params.capacity_in_house_residential_places,
             "semi_independence": params.capacity_in_house_semi_independence_places}
    return {group: value is None for group, value in given.items()}


def hidden_own_places(params: SufficiencyParams, disclosure: Disclosure) -> list[str]:
    """The groups whose own places must not be shown: counted from the 903 data, and that
    count (in-house children) hidden in the provision table."""
    return [g for g, from_data in own_places_from_data(params).items()
            if from_data and disclosure.is_hidden("provision", g, "in_house")]


GAP_FROM_OWN_PLACES = ["own_places", "gap", "gap_lower", "gap_upper", "local_gap",
                       "external_cost_gbp_per_year", "extra_own_cost_gbp_per_year"]
"""Columns of the gap worked out from own places: hidden with them."""


def gap_withheld(result: ChildLevelSufficiency, params: SufficiencyParams,
                 disclosure: Disclosure | None = None) -> pd.DataFrame:
    """The gap table with own places, and every figure worked out from them, blanked for the
    groups whose own places are a hidden count of children (:func:`hidden_own_places`)."""
    hidden = result.gap["placement_group"].isin(hidden_own_places(params, disclosure_of(result, disclosure)))
    return (disclosure or Disclosure(result.threshold)).withhold(result.gap, hidden, GAP_FROM_OWN_PLACES)


def suppress_long(table: pd.DataFrame, keys: list[str], column: str, threshold: int,
                   value: str = "children") -> pd.DataFrame:
    """A long table of counts with the cells its crosstab (rows ``keys``, columns ``column``)
    would hide set to NaN (count and share), and a ``suppressed`` flag."""
    wide = table.pivot_table(index=keys, columns=column, values=value, aggfunc="sum", observed=False)
    row_keys = wide.index.to_frame(index=False).rename_axis("row").reset_index()
    mask = suppression_mask(wide.reset_index(drop=True).astype("int64"), threshold)
    inner = mask.iloc[:-1, :-1].rename_axis(index="row", columns=column)
    hidden = inner.stack().rename("suppressed").reset_index().merge(row_keys, on="row").drop(columns="row")
    as_text = {key: "string" for key in [*keys, column]}
    merged = table.astype(as_text).merge(hidden.astype(as_text), on=[*keys, column], how="left")
    suppressed = merged["suppressed"].fillna(False).astype(bool)
    merged[value] = merged[value].astype("float64").mask(suppressed)
    if "share" in merged:
        merged["share"] = merged["share"].mask(suppressed)
    return merged.assign(suppressed=suppressed)


def distance_results(trend: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Distance counts per date and group (suppressed, long) and the shares within 20 miles
    against targets (a share is withheld when a count behind it is suppressed)."""
    groups = trend[trend["placement_group"] != distance.ALL]
    counts = groups[["date", "placement_group", *distance.DISTANCES]].melt(
        id_vars=["date", "placement_group"], var_name="distance", value_name="children")
    counts = suppress_long(counts, ["date", "placement_group"], "distance", threshold)
    hidden_groups = (counts[counts["distance"].isin(["within_20_miles", "over_20_miles"])]
                     .groupby(["date", "placement_group"])["suppressed"].any())
    key = pd.MultiIndex.from_frame(trend[["date", "placement_group"]].astype("string"))
    withheld = pd.Series(hidden_groups.reindex(key).fillna(False).to_numpy(dtype=bool), index=trend.index)
    shares = trend[["date", "placement_group", "share_within_20_miles", "target_within_20_miles"]].assign(
        share_within_20_miles=trend["share_within_20_miles"].mask(withheld),
        meets_target=trend["meets_target"].astype("object").mask(withheld),
        children=trend["children"].astype("float64").mask(withheld | (trend["children"] < threshold)),
    )
    return counts, shares


def observed_forecast(result: ChildLevelSufficiency, disclosure: Disclosure) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The forecast by group (with the total) and by group and age band, with their starting
    point (the children observed on the snapshot date) suppressed like the tables: a small
    or hidden count of a group, and the age bands its total would reveal, are blanked."""
    groups = pd.concat([result.forecast_groups, result.forecast_total.assign(placement_group="all")],
                       ignore_index=True)
    start = groups["date"] == groups["date"].min()
    hidden_total = disclosure.hidden_rows(groups.assign(column="Total"), "provision", ["placement_group", "column"])
    groups = disclosure.withhold(groups, start & (small(groups["children"], disclosure.threshold) | hidden_total),
                                 ["children", "lower", "upper"])
    states = result.forecast_states
    first = states[states["date"] == states["date"].min()]
    banded = suppress_long(first[["date", "placement_group", "age_band", "children"]].astype({"children": "int64"}),
                            ["date", "placement_group"], "age_band", disclosure.threshold)
    hidden = pd.Series(banded["suppressed"].to_numpy(), index=first.index)
    return groups, disclosure.withhold(states, hidden, ["children", "lower", "upper"])


def save_results(result: ChildLevelSufficiency, save: Callable[[str, Any], None],
                 params: SufficiencyParams | None = None, disclosure: Disclosure | None = None) -> None:
    """Write the section's tidy results: counts of children suppressed as in the tables, and
    own places (and the gaps worked out from them) hidden where the page hides them. Without
    ``params`` every group's own places are taken to be counted from the 903 data."""
    t = result.threshold
    disclosure = disclosure_of(result, disclosure)
    forecast_groups, forecast_states = observed_forecast(result, disclosure)
    on = {"date": result.on.date().isoformat()}
    save("sufficiency_903_placement_groups", suppress_long(result.groups, ["date"], "placement_group", t))
    save("sufficiency_903_provision", suppress_long(result.provision, ["date", "placement_group"], "provision", t))
    save("sufficiency_903_gender", suppress_long(result.gender, ["date", "placement_group", "provision"], "sex", t))
    save("sufficiency_903_legal_status",
         suppress_long(result.legal_status, ["date", "placement_group", "provision"], "legal_status", t))
    save("sufficiency_903_age_bands", suppress_long(result.age_bands, ["date"], "age_band", t))
    save("sufficiency_903_age_at_placement", suppress_long(
        result.age_at_placement, ["placement_group", "provision"], "age_band", t, value="placements"))
    distances, shares = distance_results(result.within_20_trend, t)
    save("sufficiency_903_distance_counts", distances)
    save("sufficiency_903_distance", shares)
    boundary = result.boundary.loc[result.boundary["placement_group"] != distance.ALL,
                                   ["date", "placement_group", "inside", "outside", "unknown"]].melt(
        id_vars=["date", "placement_group"], var_name="location", value_name="children")
    save("sufficiency_903_boundary", suppress_long(boundary, ["date", "placement_group"], "location", t))
    save("sufficiency_903_forecast", forecast_groups)
    save("sufficiency_903_forecast_age_bands", forecast_states)
    save("sufficiency_903_gap", gap_withheld(result, params or SufficiencyParams(), disclosure))
    save("sufficiency_903_summary", {
        **on, "source": result.source, "is_synthetic": result.is_synthetic, "suppression_threshold": t,
        "dfe_children_at_31_march": result.dfe["children"], "dfe_fostering": result.dfe["fostering"],
        "reference_months": result.rates.months,
    })

