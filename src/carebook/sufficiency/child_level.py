"""The child-level (SSDA903) section of the sufficiency page: the analysis run for a
council, the tables readers see (with small counts suppressed), charts, glued
figures and the saved results.

Nothing here carries a CHILD id, date of birth or postcode to the page or the
results: every table is a count of children by group, and every count of 1 to
``threshold - 1`` children is suppressed (with secondary suppression) where it
is shown or saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

from carebook import formats
from carebook.charts import PALETTE, PLACEMENT_COLOURS, colour_scale
from carebook.council import Council
from carebook.disclosure import SUPPRESSED, Disclosure, small, suppress_table, suppression_mask
from carebook.errors import InputError
from carebook.prices import PricesParams, price_source, weekly_price
from carebook.ssda903.extract import Extract
from carebook.sufficiency import distance, forecast, snapshot
from carebook.sufficiency.params import SufficiencyParams

if TYPE_CHECKING:
    from carebook.notebook import Page  # IPython and myst-nb are loaded by the notebooks alone

GROUP_LABELS = {"fostering": "Fostering", "residential": "Residential", "semi_independence": "Semi-independence",
                "other": "Other", "all": "All children"}
PROVISION_LABELS = {"in_house": "In-house", "external": "External"}
LEGAL_LABELS = {"section_20": "Section 20 (voluntary)", "full_care_order": "Full care order",
                "interim_care_order": "Interim care order", "placement_order": "Placement order", "other": "Other"}
SEX_LABELS = {"male": "Male", "female": "Female", "unknown": "Unknown"}


@dataclass(frozen=True)
class ChildLevelSufficiency:
    """Everything the child-level section shows, for one council on one date.

    on: snapshot date; source / is_synthetic: where the 903 data come from;
    threshold: suppression threshold (children). Tables are counts of children
    (see :mod:`carebook.sufficiency.snapshot` / ``distance`` / ``forecast``).
    """

    on: pd.Timestamp
    source: str
    is_synthetic: bool
    threshold: int
    groups: pd.DataFrame
    provision: pd.DataFrame
    gender: pd.DataFrame
    legal_status: pd.DataFrame
    age_bands: pd.DataFrame
    age_at_placement: pd.DataFrame
    within_20: pd.DataFrame
    within_20_trend: pd.DataFrame
    boundary: pd.DataFrame
    stock_history: pd.DataFrame
    rates: forecast.FlowRates
    forecast_states: pd.DataFrame
    forecast_groups: pd.DataFrame
    forecast_total: pd.DataFrame
    capacity: pd.Series
    gap: pd.DataFrame
    dfe: dict[str, float | None]


def snapshot_date(params: SufficiencyParams, extract: Extract) -> pd.Timestamp:
    """The date of the tables: the council's ``snapshot_date``, else the extract's last 31 March."""
    if params.snapshot_date is not None:
        on = pd.Timestamp(params.snapshot_date)
    else:
        end = pd.Timestamp(extract.end)
        on = snapshot.march_31(end.year if (end.month, end.day) >= (3, 31) else end.year - 1)
    if not pd.Timestamp(extract.start) <= on <= pd.Timestamp(extract.end):
        raise InputError(f"expected a snapshot date inside the 903 extract ({pd.Timestamp(extract.start):%d/%m/%Y} "
                         f"to {pd.Timestamp(extract.end):%d/%m/%Y}), got {on:%d/%m/%Y}",
                         where="sufficiency.snapshot_date")
    return on


def local_shares(params: SufficiencyParams, within_20: pd.DataFrame) -> pd.Series:
    """Share of each group to be placed within 20 miles (0-1): the council's target for the
    group, else its overall target, else the share measured on the snapshot date."""
    measured = within_20.set_index("placement_group")["share_within_20_miles"]
    targets = distance.targets_within_20_miles(params)
    overall = targets[distance.ALL]
    return pd.Series({
        group: next(v for v in (targets.get(group), overall, measured.get(group), 1.0) if v is not None and v == v)
        for group in snapshot.PROVISION_GROUPS
    }, dtype="float64")


def dfe_figures(council: Council, year: int) -> dict[str, float | None]:
    """DfE's published children looked after at 31 March ``year`` and foster placements
    (None where unpublished or the official statistics are not available)."""
    from carebook.ssda903 import calibration  # noqa: PLC0415 - reads official statistics

    try:
        numbers = calibration.official_numbers(council)
        placements = calibration.official_placements(council)
    except InputError:
        return {"children": None, "fostering": None}
    stock = numbers.loc[numbers["year"] == year, "children_at_31_march"]
    fostered = placements.loc[(placements["year"] == year) & (placements["group"] == "fostering"), "children"]
    return {"children": float(stock.iloc[0]) if len(stock) else None,
            "fostering": float(fostered.iloc[0]) if len(fostered) else None}


def analyse(council: Council, extract: Extract) -> ChildLevelSufficiency:
    """Run the child-level analysis for a council on its 903 extract."""
    params = council.sufficiency
    on = snapshot_date(params, extract)
    reference_start = max(on - pd.DateOffset(years=params.forecast_reference_years), pd.Timestamp(extract.start))
    months = snapshot.month_ends(reference_start, on)
    rows = snapshot.in_care_on(extract.episodes, extract.header, months)
    today = rows[rows["date"] == on]
    provision = snapshot.by_provision(today)
    within_20 = distance.within_20_miles(today, params)
    rates = forecast.rates_from_month_ends(rows, months)
    projection = forecast.project(rates, params.forecast_years, simulations=params.forecast_simulations,
                                  band=params.forecast_band)
    groups = forecast.totals(projection)
    in_house_now = provision[provision["provision"] == "in_house"].set_index(
        provision.loc[provision["provision"] == "in_house", "placement_group"].astype("string"))["children"]
    capacity = forecast.own_capacity(params, in_house_now)
    return ChildLevelSufficiency(
        on=on, source=extract.source, is_synthetic=extract.is_synthetic, threshold=params.suppression_threshold,
        groups=snapshot.by_placement_group(today),
        provision=provision,
        gender=snapshot.gender_by_provision(today),
        legal_status=snapshot.legal_status_by_provision(today),
        age_bands=snapshot.age_bands_over_time(rows),
        age_at_placement=snapshot.age_at_placement(
            snapshot.new_placements(extract.episodes, extract.header, months[0] + pd.Timedelta(days=1), on)),
        within_20=within_20,
        within_20_trend=distance.within_20_miles(rows, params),
        boundary=distance.outside_boundary(today, council.codes),
        stock_history=snapshot.by_placement_group(rows),
        rates=rates,
        forecast_states=projection.table,
        forecast_groups=groups,
        forecast_total=forecast.totals(projection, by=None),
        capacity=capacity,
        gap=forecast.placement_gap(groups, params, capacity, local_shares(params, within_20), rates.start,
                                      prices=council.prices),
        dfe=dfe_figures(council, on.year) if (on.month, on.day) == (3, 31) else {"children": None, "fostering": None},
    )


# --- the page's suppressed cells ------------------------------------------------------------


def provision_counts(result: ChildLevelSufficiency) -> pd.DataFrame:
    """Children by placement group (rows: fostering, residential, semi_independence) and
    provision (columns: in_house, external) on the snapshot date."""
    return (result.provision.pivot(index="placement_group", columns="provision", values="children")
            .reindex(index=list(snapshot.PROVISION_GROUPS), columns=["in_house", "external"]).fillna(0))


def distance_counts(result: ChildLevelSufficiency) -> pd.DataFrame:
    """Children by placement group and distance (within / over 20 miles, unknown) on the snapshot date."""
    table = result.within_20[result.within_20["placement_group"] != distance.ALL]
    return table.set_index(table["placement_group"].astype("string"))[["within_20_miles", "over_20_miles", "unknown"]]


def disclosure_of(result: ChildLevelSufficiency, disclosure: Disclosure | None = None) -> Disclosure:
    """The page's disclosure control with the section's hidden cells recorded: provision
    ``("provision", group, in_house|external|Total)`` and distance ``("distance", group|Total, column)``.
    Every other table, sentence, chart and results file of the section asks it."""
    disclosure = disclosure or Disclosure(result.threshold)
    disclosure.table(provision_counts(result), "provision")
    disclosure.table(distance_counts(result), "distance")
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


# --- tables for readers (suppressed) -------------------------------------------------------


def provision_display(result: ChildLevelSufficiency, disclosure: Disclosure | None = None) -> pd.DataFrame:
    """In-house vs external by group as the strategy prints it: children and share, small
    counts suppressed (a suppressed count's share is suppressed too)."""
    counts = provision_counts(result)
    shown = disclosure_of(result, disclosure).table(counts, "provision")
    shown = shown.rename(index=GROUP_LABELS, columns=PROVISION_LABELS)
    counts.index = counts.index.map(GROUP_LABELS)
    shares = counts.div(counts.sum(axis=1).where(lambda s: s > 0), axis=0)
    for key, label in PROVISION_LABELS.items():
        text = shares[key].map(lambda v: "" if v != v else f"{v:.0%}")
        shown.insert(shown.columns.get_loc(label) + 1, f"{label} share",
                     text.reindex(shown.index).fillna("").mask(shown[label] == SUPPRESSED, SUPPRESSED))
    return shown.rename_axis("Placement group").reset_index()


def crosstab_display(table: pd.DataFrame, column: str, labels: dict[str, str], threshold: int) -> pd.DataFrame:
    """A provision-by-``column`` crosstab (e.g. sex, legal status) with totals, suppressed."""
    wide = snapshot.crosstab(table, column)
    empty_extra = [c for c in ("unknown", "other") if c in wide and wide[c].sum() == 0]
    wide = wide.drop(columns=empty_extra)  # an unknown sex or other legal status column only when used
    wide.columns = [labels.get(str(c), str(c)) for c in wide.columns]
    return suppress_table(wide, threshold).rename_axis("Provision").reset_index()


def within_20_display(result: ChildLevelSufficiency, disclosure: Disclosure | None = None) -> pd.DataFrame:
    """Share within 20 miles by group against target, with unknown distances counted."""
    table = result.within_20
    shown = disclosure_of(result, disclosure).table(distance_counts(result), "distance")
    shown = shown.rename(index={**GROUP_LABELS, "Total": GROUP_LABELS["all"]}).rename(columns={
        "within_20_miles": "Within 20 miles", "over_20_miles": "Over 20 miles", "unknown": "Unknown"})
    share = table.set_index(table["placement_group"].map(GROUP_LABELS))["share_within_20_miles"]
    target = table.set_index(table["placement_group"].map(GROUP_LABELS))["target_within_20_miles"]
    hidden = shown[["Within 20 miles", "Over 20 miles"]].eq("c").any(axis=1)
    shown["Share within 20 miles"] = share.map(lambda v: "" if v != v else f"{v:.0%}").mask(hidden, "c")
    shown["Target"] = target.map(lambda v: "none" if v != v else f"{v:.0%}")
    return shown.rename_axis("Placement group").reset_index()


GAP_FROM_OWN_PLACES = ["own_places", "gap", "gap_lower", "gap_upper", "local_gap",
                       "external_cost_gbp_per_year", "extra_own_cost_gbp_per_year"]
"""Columns of the gap worked out from own places: hidden with them."""


def gap_withheld(result: ChildLevelSufficiency, params: SufficiencyParams,
                 disclosure: Disclosure | None = None) -> pd.DataFrame:
    """The gap table with own places, and every figure worked out from them, blanked for the
    groups whose own places are a hidden count of children (:func:`hidden_own_places`)."""
    hidden = result.gap["placement_group"].isin(hidden_own_places(params, disclosure_of(result, disclosure)))
    return (disclosure or Disclosure(result.threshold)).withhold(result.gap, hidden, GAP_FROM_OWN_PLACES)


def _whole(values: pd.Series, fmt: str = "{:,.0f}") -> pd.Series:
    """Numbers as text, blanks as "c" (a hidden figure)."""
    return values.map(lambda v: SUPPRESSED if v != v else fmt.format(v))


def gap_display(result: ChildLevelSufficiency, scenario: str = "current",
                disclosure: Disclosure | None = None, params: SufficiencyParams | None = None) -> pd.DataFrame:
    """Projected demand against own places and the gap to buy, at each 31 March; own places
    that are a hidden count of children, and the gaps worked out from them, show as "c"."""
    gap = gap_withheld(result, params, disclosure) if params is not None else result.gap
    table = gap[gap["scenario"] == scenario]
    return pd.DataFrame({
        "31 March": table["date"].dt.year.astype("string"),
        "Placement group": table["placement_group"].map(GROUP_LABELS),
        "Demand (children)": table["demand"].round().astype("int64"),
        "Band": (table["demand_lower"].round().astype("int64").astype("string") + "–"
                 + table["demand_upper"].round().astype("int64").astype("string")),
        "Own places": _whole(table["own_places"].round()),
        "To buy": _whole(table["gap"].round()),
        "To buy within 20 miles": _whole(table["local_gap"].round()),
        "External cost (£ a year)": _whole(table["external_cost_gbp_per_year"].round(-3)),
    }).reset_index(drop=True)


def show_in_house_scenario(page: Page, result: ChildLevelSufficiency) -> None:
    """Show the gap under the council's in-house fostering target (only when it has one)."""
    if page.council.sufficiency.target_fostering_in_house is None:
        return
    page.table(gap_display(result, "in_house_target", page.disclosure, page.council.sufficiency),
               caption="The same with in-house fostering growing to the council's target share")


def forecast_age_display(result: ChildLevelSufficiency) -> pd.DataFrame:
    """Projected children in care (central) by placement group and age band at the last 31 March."""
    table = result.forecast_states
    last = table[(table["date"].dt.month == 3) & (table["date"] == table.loc[table["date"].dt.month == 3, "date"].max())]
    wide = (last.pivot_table(index="placement_group", columns="age_band", values="children", aggfunc="sum",
                             sort=False)
            .reindex(index=list(snapshot.PLACEMENT_GROUPS), columns=list(snapshot.AGE_BANDS)).round().astype("int64"))
    wide.index = wide.index.map(GROUP_LABELS)
    return wide.assign(Total=wide.sum(axis=1)).rename_axis("Placement group").rename_axis(columns=None).reset_index()


def capacity_display(params: SufficiencyParams, capacity: pd.Series,
                     disclosure: Disclosure | None = None) -> pd.DataFrame:
    """The council's own places per group and where each figure comes from. Places counted
    from the 903 data (in-house children) show "c" where the provision table hides that
    count (pass the page's ``disclosure``, after :func:`disclosure_of`)."""
    hidden = set(hidden_own_places(params, disclosure)) if disclosure is not None else set()
    given = {
        "fostering": params.capacity_in_house_fostering_places,
        "residential": params.capacity_in_house_residential_places,
        "semi_independence": params.capacity_in_house_semi_independence_places,
    }
    homes = {"residential": params.capacity_in_house_residential_homes,
             "semi_independence": params.capacity_in_house_semi_independence_homes}
    return pd.DataFrame({
        "Placement group": [GROUP_LABELS[g] for g in snapshot.PROVISION_GROUPS],
        "Own places": [SUPPRESSED if g in hidden else f"{capacity[g]:,.0f}" for g in snapshot.PROVISION_GROUPS],
        "Of which block contract": [params.capacity_block_contract_residential_places if g == "residential" else 0
                                    for g in snapshot.PROVISION_GROUPS],
        "Homes": ["" if homes.get(g) is None else str(homes[g]) for g in snapshot.PROVISION_GROUPS],
        "Source": ["council's parameters" if given[g] is not None else "in-house placements in use (903 data)"
                   for g in snapshot.PROVISION_GROUPS],
    })


def suppression_sentence(result: ChildLevelSufficiency, disclosure: Disclosure | None = None,
                         params: SufficiencyParams | None = None) -> str:
    """What was suppressed across the section's tables, for the page (with ``params``, the
    own places hidden with the in-house counts are said too)."""
    disclosure = disclosure_of(result, disclosure)
    tables = [provision_display(result, disclosure),
              crosstab_display(result.gender, "sex", SEX_LABELS, result.threshold),
              crosstab_display(result.legal_status, "legal_status", LEGAL_LABELS, result.threshold),
              within_20_display(result, disclosure)]
    hidden = sum(int(table.isin(["c"]).to_numpy().sum()) for table in tables)
    rule = (f"Counts of 1 to {result.threshold - 1} children from the child-level data are suppressed "
            f"(shown as c), as in DfE publications")
    own = hidden_own_places(params, disclosure) if params is not None else []
    also = (f" The council's own places in {' and '.join(GROUP_LABELS[g].lower() for g in own)}, counted from the "
            "in-house children, are hidden with them, and so are the places to buy worked out from them."
            if own else "")
    if hidden == 0:
        return f"{rule}; no cell of these tables needed suppressing.{also}"
    return (f"{rule}, with further cells hidden where a total would reveal them: "
            f"{hidden} cell{'s' if hidden != 1 else ''} in these tables.{also}")


# --- figures glued into the narrative -------------------------------------------------------


def _count_text(value: float | None, threshold: int) -> str:
    """A count of children for the narrative: suppressed below the threshold."""
    if value is None or value != value:
        return formats.NOT_PUBLISHED
    return f"fewer than {threshold}" if 0 < value < threshold else f"{value:,.0f}"


def _share_text(value: float | None) -> str:
    return "not known" if value is None or value != value else f"{value:.0%}"


def _millions(pounds: float) -> str:
    return f"£{pounds / 1e6:,.1f} million"


def figures(result: ChildLevelSufficiency, params: SufficiencyParams,
            disclosure: Disclosure | None = None) -> dict[str, str]:
    """The section's narrative figures as text: small counts read "fewer than 5", and a
    count hidden in a table of the page (or a share or gap worked out from it) reads "c"."""
    disclosure = disclosure_of(result, disclosure)
    count = disclosure.count_text
    in_house_hidden = disclosure.is_hidden("provision", "fostering", "in_house")
    own_hidden = bool(hidden_own_places(params, disclosure))
    groups = result.groups.set_index(result.groups["placement_group"].astype("string"))["children"]
    provision = result.provision.set_index(["placement_group", "provision"])
    within = result.within_20.set_index("placement_group").loc[distance.ALL]
    horizon = result.forecast_total.iloc[-1]
    final = result.gap[result.gap["date"] == result.gap["date"].max()]
    current = final[final["scenario"] == "current"]
    target = final[final["scenario"] == "in_house_target"]
    saving = (current["external_cost_gbp_per_year"].sum() - target["external_cost_gbp_per_year"].sum()
              - target["extra_own_cost_gbp_per_year"].sum())
    t = result.threshold
    in_house_target = params.target_fostering_in_house
    within_target = within["target_within_20_miles"]
    return {
        "c903_date": f"{result.on:%-d %B %Y}",
        "c903_children": _count_text(float(groups.sum()), t),
        "c903_fostering": count(float(groups["fostering"]), "provision", "fostering", "Total"),
        "c903_residential": count(float(groups["residential"]), "provision", "residential", "Total"),
        "c903_semi": count(float(groups["semi_independence"]), "provision", "semi_independence", "Total"),
        "c903_fostering_in_house": count(float(provision.loc[("fostering", "in_house"), "children"]),
                                         "provision", "fostering", "in_house"),
        "c903_fostering_in_house_share": SUPPRESSED if in_house_hidden
        else _share_text(provision.loc[("fostering", "in_house"), "share"]),
        "c903_in_house_target_sentence": "The council has set no target for in-house fostering."
        if in_house_target is None else f"The council's target is {in_house_target:.0%}"
        + ("." if params.target_fostering_in_house_by is None else f" by {params.target_fostering_in_house_by:%B %Y}."),
        "c903_dfe_children": _count_text(result.dfe["children"], t),
        "c903_dfe_fostering": _count_text(result.dfe["fostering"], t),
        "c903_within_20": _share_text(within["share_within_20_miles"]),
        "c903_within_20_target_sentence": "The council has set no target for placements within 20 miles."
        if pd.isna(within_target) else f"The council's target is {within_target:.0%} of all children.",
        "c903_unknown_distance": count(float(within["unknown"]), "distance", "Total", "unknown"),
        "c903_outside": _share_text(
            result.boundary.set_index("placement_group").loc[distance.ALL, "share_outside"]),
        "c903_horizon": f"{pd.Timestamp(horizon['date']):%B %Y}",
        "c903_band": f"{params.forecast_band:.0%}",
        "c903_forecast": f"{horizon['children']:,.0f}",
        "c903_forecast_lower": f"{horizon['lower']:,.0f}",
        "c903_forecast_upper": f"{horizon['upper']:,.0f}",
        "c903_gap": f"{current['gap'].sum():,.0f}",
        "c903_local_gap": f"{current['local_gap'].sum():,.0f}",
        "c903_gap_cost": _millions(current["external_cost_gbp_per_year"].sum()),
        "c903_target_sentence": "With no in-house fostering target set, there is no in-house scenario."
        if in_house_target is None else
        f"Growing in-house fostering to the council's target of {in_house_target:.0%} would change the cost "
        f"by {'−' if saving > 0 else '+'}{_millions(abs(saving))} a year by {pd.Timestamp(horizon['date']):%B %Y}, "
        f"after the cost of the extra in-house places.",
        "c903_reference": f"{result.rates.months} months to {result.on:%-d %B %Y}",
    }


def glue_narrative(page: Page, result: ChildLevelSufficiency) -> dict[str, str]:
    """Glue every figure of :func:`figures` and the suppression sentence as text; returns them.
    The hidden cells are recorded in ``page.disclosure`` (when the page has one) for the
    section's other tables, charts and results."""
    disclosure = disclosure_of(result, getattr(page, "disclosure", None))
    numbers = (figures(result, page.council.sufficiency, disclosure)
               | {"c903_suppression": suppression_sentence(result, disclosure, page.council.sufficiency)})
    for key, text in numbers.items():
        page.glue(key, text, fmt="{}")
    return numbers


def _suppress_long(table: pd.DataFrame, keys: list[str], column: str, threshold: int,
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


def _distance_results(trend: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Distance counts per date and group (suppressed, long) and the shares within 20 miles
    against targets (a share is withheld when a count behind it is suppressed)."""
    groups = trend[trend["placement_group"] != distance.ALL]
    counts = groups[["date", "placement_group", *distance.DISTANCES]].melt(
        id_vars=["date", "placement_group"], var_name="distance", value_name="children")
    counts = _suppress_long(counts, ["date", "placement_group"], "distance", threshold)
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


def _observed_forecast(result: ChildLevelSufficiency, disclosure: Disclosure) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    banded = _suppress_long(first[["date", "placement_group", "age_band", "children"]].astype({"children": "int64"}),
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
    forecast_groups, forecast_states = _observed_forecast(result, disclosure)
    on = {"date": result.on.date().isoformat()}
    save("sufficiency_903_placement_groups", _suppress_long(result.groups, ["date"], "placement_group", t))
    save("sufficiency_903_provision", _suppress_long(result.provision, ["date", "placement_group"], "provision", t))
    save("sufficiency_903_gender", _suppress_long(result.gender, ["date", "placement_group", "provision"], "sex", t))
    save("sufficiency_903_legal_status",
         _suppress_long(result.legal_status, ["date", "placement_group", "provision"], "legal_status", t))
    save("sufficiency_903_age_bands", _suppress_long(result.age_bands, ["date"], "age_band", t))
    save("sufficiency_903_age_at_placement", _suppress_long(
        result.age_at_placement, ["placement_group", "provision"], "age_band", t, value="placements"))
    distances, shares = _distance_results(result.within_20_trend, t)
    save("sufficiency_903_distance_counts", distances)
    save("sufficiency_903_distance", shares)
    boundary = result.boundary.loc[result.boundary["placement_group"] != distance.ALL,
                                   ["date", "placement_group", "inside", "outside", "unknown"]].melt(
        id_vars=["date", "placement_group"], var_name="location", value_name="children")
    save("sufficiency_903_boundary", _suppress_long(boundary, ["date", "placement_group"], "location", t))
    save("sufficiency_903_forecast", forecast_groups)
    save("sufficiency_903_forecast_age_bands", forecast_states)
    save("sufficiency_903_gap", gap_withheld(result, params or SufficiencyParams(), disclosure))
    save("sufficiency_903_summary", {
        **on, "source": result.source, "is_synthetic": result.is_synthetic, "suppression_threshold": t,
        "dfe_children_at_31_march": result.dfe["children"], "dfe_fostering": result.dfe["fostering"],
        "reference_months": result.rates.months,
    })


# --- charts ----------------------------------------------------------------------------------


MONTH_AXIS = alt.X("utcyearmonth(month):T", title="Month")
MONTH_TIP = alt.Tooltip("utcyearmonth(month):T", title="Month", format="%B %Y")


def _months(frame: pd.DataFrame) -> pd.DataFrame:
    """Chart data by month ("2015-03") instead of full dates."""
    return frame.assign(month=pd.to_datetime(frame["date"]).dt.strftime("%Y-%m")).drop(columns="date")


def age_band_chart(result: ChildLevelSufficiency) -> alt.Chart:
    """Share of children in care by age band at each month end (stacked areas); a share
    whose count is suppressed (as in the results) is left out, leaving the stack short."""
    shown = _suppress_long(result.age_bands, ["date"], "age_band", result.threshold).dropna(subset=["share"])
    data = shown.assign(age_band=shown["age_band"].astype("string"))
    return (alt.Chart(_months(data[["date", "age_band", "share"]])).mark_area()
            .encode(x=MONTH_AXIS,
                    y=alt.Y("share:Q", title="Share of children in care", stack=True,
                            axis=alt.Axis(format="%")),
                    color=alt.Color("age_band:N", title="Age", sort=list(snapshot.AGE_BANDS),
                                    scale=alt.Scale(range=PALETTE)),
                    order=alt.Order("band_order:Q"),
                    tooltip=[MONTH_TIP, alt.Tooltip("age_band:N", title="Age"),
                             alt.Tooltip("share:Q", format=".0%", title="Share")])
            .transform_calculate(band_order=f"indexof({list(snapshot.AGE_BANDS)}, datum.age_band)")
            .properties(width=520, height=240))


def within_20_trend_chart(result: ChildLevelSufficiency) -> alt.LayerChart:
    """Monthly share within 20 miles for fostering, residential and all, with dashed targets."""
    shown = ["fostering", "residential", "all"]
    _, shares = _distance_results(result.within_20_trend, result.threshold)  # shares of hidden counts withheld
    data = shares[shares["placement_group"].isin(shown)].dropna(subset=["share_within_20_miles"])
    data = _months(data.assign(group=data["placement_group"].map(GROUP_LABELS))[
        ["date", "group", "share_within_20_miles", "target_within_20_miles"]])
    order = [GROUP_LABELS[g] for g in shown]
    colour = alt.Color("group:N", title="Placements", sort=order, scale=colour_scale(PLACEMENT_COLOURS, order))
    lines = (alt.Chart(data).mark_line(point=True)
             .encode(x=MONTH_AXIS,
                     y=alt.Y("share_within_20_miles:Q", title="Share within 20 miles of home",
                             axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
                     color=colour,
                     tooltip=[MONTH_TIP, alt.Tooltip("group:N", title="Placements"),
                              alt.Tooltip("share_within_20_miles:Q", format=".0%", title="Within 20 miles")]))
    targets = data.dropna(subset=["target_within_20_miles"]).drop_duplicates("group")
    rules = (alt.Chart(targets).mark_rule(strokeDash=[6, 4])
             .encode(y="target_within_20_miles:Q", color=colour,
                     tooltip=[alt.Tooltip("group:N", title="Target for"),
                              alt.Tooltip("target_within_20_miles:Q", format=".0%", title="Target")]))
    return alt.layer(lines, rules).properties(width=520, height=260)


def forecast_chart(result: ChildLevelSufficiency, disclosure: Disclosure | None = None,
                   params: SufficiencyParams | None = None) -> alt.LayerChart:
    """Children in care by placement group: observed month ends, then the projection with its band,
    and the council's own places as dashed lines. Observed counts of 1 to 4, the projection's
    starting point where the page hides it and own places counted from hidden in-house
    children are left out."""
    disclosure = disclosure_of(result, disclosure)
    observed = result.stock_history.astype({"placement_group": "string"})
    history = disclosure.counts(observed.assign(lower=np.nan, upper=np.nan)[
        ["date", "placement_group", "children", "lower", "upper"]], ["children"]).assign(kind="observed")
    projected, _ = _observed_forecast(result, disclosure)
    projected = projected.assign(kind="projected")
    data = pd.concat([history.astype({"placement_group": "string"}), projected], ignore_index=True)
    data = data[data["placement_group"].isin(snapshot.PROVISION_GROUPS)]
    data = _months(data.assign(group=data["placement_group"].map(GROUP_LABELS))[
        ["date", "group", "children", "lower", "upper", "kind"]])
    order = [GROUP_LABELS[g] for g in snapshot.PROVISION_GROUPS]
    colour = alt.Color("group:N", title="Placements", sort=order, scale=colour_scale(PLACEMENT_COLOURS, order))
    base = alt.Chart(data).encode(x=MONTH_AXIS, color=colour)
    band = base.transform_filter("datum.kind == 'projected'").mark_area(opacity=0.2).encode(
        y=alt.Y("lower:Q", title="Children"), y2="upper:Q")
    line = base.mark_line().encode(
        y="children:Q", strokeDash=alt.StrokeDash("kind:N", title=None, sort=["observed", "projected"]),
        tooltip=[MONTH_TIP, alt.Tooltip("group:N", title="Placements"),
                 alt.Tooltip("kind:N", title="Figures"), alt.Tooltip("children:Q", format=",.0f", title="Children"),
                 alt.Tooltip("lower:Q", format=",.0f", title="Band from"),
                 alt.Tooltip("upper:Q", format=",.0f", title="Band to")])
    hidden = hidden_own_places(params or SufficiencyParams(), disclosure)
    places = result.capacity.drop(index=hidden, errors="ignore")
    capacity = pd.DataFrame({"group": [GROUP_LABELS[g] for g in places.index], "places": places.to_numpy()})
    rules = alt.Chart(capacity).mark_rule(strokeDash=[2, 2]).encode(
        y="places:Q", color=colour, tooltip=[alt.Tooltip("group:N", title="Own places"),
                                             alt.Tooltip("places:Q", format=",.0f", title="Places")])
    return alt.layer(band, line, rules).properties(width=520, height=300)


PRICE_ROWS: dict[str, tuple[str, str, str]] = {
    "price_external_fostering_gbp_per_week": ("fostering", "external", "Weekly price of an external (agency) foster placement (£ a week)."),
    "price_external_residential_gbp_per_week": ("residential", "external", "Weekly price of an external children's home placement (£ a week)."),
    "price_external_semi_independence_gbp_per_week": (
        "semi_independence", "external",
        "Weekly price of an external semi-independent or supported accommodation placement (£ a week)."),
    "price_in_house_fostering_gbp_per_week": (
        "fostering", "in_house", "Weekly cost of an in-house foster placement, carer allowances and support (£ a week)."),
}
"""The weekly prices the forecast uses (carebook.prices): row name -> group, provider, meaning."""


def parameters_table(params: SufficiencyParams, prices: PricesParams | None = None) -> pd.DataFrame:
    """The child-level parameters of the council (all but the share targets) and the weekly
    prices the forecast uses (the council's ``prices:`` section, else the national catalogue):
    name, value, meaning and source (:func:`carebook.formats.parameters_table`)."""
    rows = formats.parameters_table(params, (name for name in type(params).model_fields
                                             if not name.startswith("target_") or name == "target_fostering_in_house_by"))
    priced = pd.DataFrame({
        "Parameter": [formats.label(name) for name in PRICE_ROWS],
        "Value": [formats.value_text(weekly_price(prices, g, p), "money a week") for g, p, _ in PRICE_ROWS.values()],
        "Meaning": [meaning for _, _, meaning in PRICE_ROWS.values()],
        "Source": [price_source(prices, g, p) for g, p, _ in PRICE_ROWS.values()],
    })
    at = rows.index[rows["Parameter"] == formats.label("snapshot_date")][0]
    return pd.concat([rows.iloc[:at], priced, rows.iloc[at:]], ignore_index=True)


def assumptions_log() -> pd.DataFrame:
    """The child-level section's entries of the assumptions log (id, assumption, source, RAG),
    their texts stating the national defaults (:func:`carebook.defaults.assumption_entries`)."""
    from carebook.defaults import assumption_entries  # noqa: PLC0415
    from carebook.paths import REFERENCE  # noqa: PLC0415

    entries = assumption_entries(REFERENCE / "assumptions" / "sufficiency_903.yml")
    return pd.DataFrame(entries)[["assumption", "source", "quality", "impact"]].rename(columns=str.capitalize)
