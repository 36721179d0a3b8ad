"""The child-level (SSDA903) sufficiency analysis of a council on one date: the children
in care by placement group and provision, their distance from home, and the placement
demand forecast against the council's own places; and the section's parameters and
assumptions as tables.

Nothing here carries a CHILD id, date of birth or postcode: every table is a count of
children by group (the page's suppression of small counts is in
:mod:`carebook.sufficiency.child_disclosure`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook import formats
from carebook.council import Council
from carebook.errors import InputError
from carebook.prices import PricesParams, price_source, weekly_price
from carebook.ssda903.extract import Extract
from carebook.sufficiency import distance, forecast, snapshot
from carebook.sufficiency.params import SufficiencyParams

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
    within_20_trend = distance.within_20_miles(rows, params)
    within_20 = within_20_trend[within_20_trend["date"] == on].reset_index(drop=True)  # the snapshot is a month end
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
        within_20_trend=within_20_trend,
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
