"""The official-statistics part of the sufficiency page for readers: the formats and inputs
of its glued figures, its tables laid out for readers and the scope note."""

from __future__ import annotations

import pandas as pd

from carebook.formats import DOES_NOT_APPLY, NOT_PUBLISHED
from carebook.sufficiency import official_tables as official
from carebook.sufficiency.official import AREA_KEYS, OfficialSufficiency

SHARE = "{:.0%}"
RATE = "{:,.0f}"
POUNDS = "£{:,.0f}"
TEXT = "{}"

# Glued keys of the narrative and their formats; shares 0-1, rates per 10,000, £ a year.
FORMATS: dict[str, str] = {
    "year": TEXT, "first_year": TEXT, "spend_year": TEXT, "region": TEXT, "n_neighbours": RATE,
    "cla": RATE, "cla_first": RATE,
    "rate_vs_england": TEXT, "rate_vs_region": TEXT, "rate_vs_neighbours": TEXT,
    "within_20_vs_england": TEXT, "spend_vs_england": TEXT, "spend_vs_neighbours": TEXT,
    "target_sentence": TEXT,
}
MEASURE_FORMATS: dict[str, str] = {
    "rate": RATE, "within_20": SHARE, "outside_boundary": SHARE, "in_house": SHARE, "external": SHARE,
    "foster": SHARE, "homes": SHARE, "three_moves": SHARE, "same_carer": SHARE, "new_far": SHARE,
    "spend_per_child": POUNDS,
}

def key_formats() -> dict[str, str]:
    """Every glued key of the official-statistics part and its format."""
    return FORMATS | {key: MEASURE_FORMATS[measure] for measure, keys in AREA_KEYS.items() for key in keys}


# The data files and council-file parameters behind each measure (``carebook.provenance``).
MEASURE_INPUTS: dict[str, tuple[str, ...]] = {
    "cla": (official.CLA_FILE,), "rate": (official.CLA_FILE,),
    "within_20": (official.CHARACTERISTICS_FILE, "sufficiency.target_all_within_20_miles"),
    "outside_boundary": (official.CHARACTERISTICS_FILE,),
    "in_house": (official.CHARACTERISTICS_FILE, "sufficiency.target_fostering_in_house"),
    "external": (official.CHARACTERISTICS_FILE,), "foster": (official.CHARACTERISTICS_FILE,),
    "homes": (official.CHARACTERISTICS_FILE,), "three_moves": (official.STABILITY_FILE,),
    "same_carer": (official.STABILITY_FILE,), "new_far": (official.NEW_PLACEMENTS_FILE,),
    "spend_per_child": (*official.SPEND_FILES.values(), official.CHARACTERISTICS_FILE),
}


def inputs_of(key: str) -> tuple[str, ...]:
    """The inputs of a glued key: its measure's, with the statistical neighbour model for
    the neighbours' figures (``within_20_neighbours`` -> the distance file, the target and
    ``dfe/sn_model_2025_wide.csv``)."""
    measure = next((m for m in sorted(MEASURE_INPUTS, key=len, reverse=True) if key == m or key.startswith(f"{m}_")), None)
    found = MEASURE_INPUTS.get(measure, ()) if measure else ()
    return found + ((official.NEIGHBOURS_FILE,) if key.endswith("_neighbours") else ())


def scope_note(result: OfficialSufficiency) -> str:
    """Which authorities the figures cover and how a group's figures are made."""
    areas = result.areas
    comparators = (
        f"England, {areas.region_name} and the council's {len(areas.neighbour_codes)} DfE statistical neighbours"
        if areas.region_name
        else f"England and the council's {len(areas.neighbour_codes)} DfE statistical neighbours"
    )
    if len(areas.codes) == 1:
        return f"Official statistics for {areas.council}, compared with {comparators}." + comparator_estimate(result)
    return (
        f"The figures for {areas.council} are sums over its members ({', '.join(areas.member_names)}); every rate "
        f"and share is recomputed from the summed counts, and a total that needs a suppressed member figure is "
        f"shown as not published. Compared with {comparators} (the members' neighbours, members excluded)."
    )


def comparator_estimate(result: OfficialSufficiency) -> str:
    """Where DfE suppresses the council's number of children looked after in the latest year, a
    sentence estimating it from its statistical neighbours (their rate per 10,000 times the
    council's children aged 0-17), marked as a comparator's estimate; else nothing."""
    rates = result.rates[result.rates["time_period"] == result.year].set_index("area_type")
    if "council" not in rates.index or not pd.isna(rates.at["council", "children_count"]) or "neighbours" not in rates.index:
        return ""
    rate, children = rates.at["neighbours", "rate_per_10000"], rates.at["council", "population"]
    if pd.isna(rate) or pd.isna(children):
        return ""
    from carebook import comparator  # noqa: PLC0415

    return (f" The Department for Education does not publish how many children {result.areas.council} looked after at "
            f"31 March {result.year} (small numbers are suppressed), so its figures below read \"not published\". Its "
            f"statistical neighbours' rate of {rate:,.0f} per 10,000 children, applied to its {children:,.0f} children "
            f"aged 0 to 17, puts the number at about {comparator.scaled(rate, children):,.0f} "
            f"({comparator.LABEL}, not a published figure).")


def targets_for_display(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets table with reader-facing column names (shares 0-1); whether a target is met
    :data:`~carebook.formats.DOES_NOT_APPLY` without a target."""
    unknown = targets["target_share"].isna().map({True: DOES_NOT_APPLY, False: NOT_PUBLISHED})
    met = targets["meets_target"].map({True: "yes", False: "no"}).astype(object).where(targets["meets_target"].notna(), unknown)
    return pd.DataFrame(
        {
            "Measure": targets["measure"],
            "Target": targets["target_share"],
            "Council": targets["council_share"],
            "Council year": targets["council_year"].fillna(NOT_PUBLISHED),
            "England": targets["england_share"],
            "England year": targets["england_year"],
            "Target met": met,
        }
    )


TARGET_FORMATS = {"Target": SHARE, "Council": SHARE, "England": SHARE}


def spend_parts_for_display(parts: pd.DataFrame) -> pd.DataFrame:
    """The council's RO3 lines (£ a year) with their share of the total."""
    total = parts.loc[parts["line"] == "all", "spend_gbp"].iloc[0]
    lines = parts[parts["line"] != "all"]
    return pd.DataFrame(
        {
            "RO3 line (children looked after)": lines["line"].str.capitalize(),
            "Net spend (£ a year)": lines["spend_gbp"],
            "Share of the total": lines["spend_gbp"] / total if total > 0 else float("nan"),
        }
    )


SPEND_FORMATS = {"Net spend (£ a year)": POUNDS, "Share of the total": SHARE}
