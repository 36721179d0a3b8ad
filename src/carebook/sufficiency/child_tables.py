"""The child-level section for readers: its tables (small counts suppressed) and the
figures its narrative quotes, as text."""

from __future__ import annotations

import pandas as pd

from carebook import formats
from carebook.disclosure import SUPPRESSED, Disclosure, suppress_table
from carebook.sufficiency import distance, snapshot
from carebook.sufficiency.child_disclosure import (
    distance_counts, disclosure_of, gap_withheld, hidden_own_places, provision_counts,
)
from carebook.sufficiency.child_level import GROUP_LABELS, LEGAL_LABELS, PROVISION_LABELS, SEX_LABELS, ChildLevelSufficiency
from carebook.sufficiency.params import SufficiencyParams


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

