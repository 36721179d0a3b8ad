"""Unit costs of placements and the cost of a care journey (seed 001: unit costing by
mapping 903 placement groups to Section 251 / RO3 spend lines).

A group's weekly cost is official spend (£) on its spend line divided by the days
children spent in that group's placements in the same financial year (from the 903
extract), times 7. Groups with no spend line (or no spend, or no days) use the weekly
cost parameters. Spend lines:
- Section 251 outturn 2012-13 and 2013-14 (``dfe-sfr/LA_Spend_outturn_*.csv``, £):
  residential care -> R; fostering services and children placed with family and
  friends -> F; adoption services -> A; other children looked after services -> I;
- MHCLG RO3 2023-24 and 2024-25 (``derived/ro3_*.csv``, £ thousands): residential
  care -> R; fostering services -> F ("other" mixes placements with other services
  and is not used).
"""

from __future__ import annotations

import pandas as pd

from carebook import public
from carebook.council import Council
from carebook.prices import Group, PricesParams, price_source, weekly_price
from carebook.volume.care_days import placement_days
from carebook.volume.params import PLACEMENT_GROUP_NAMES, VolumeSizingParams
from carebook.care_entry import entry_cost_gbp
from carebook.units import DAYS_A_WEEK, DAYS_A_YEAR

GROUPS = ["F", "A", "R", "I", "U"]
RO3_FILE = "derived/ro3_{year}_children_looked_after_expenditure_by_la_gbp_thousands.csv"
RO3_COLUMN = "Children's social care - Children Looked After{line} - Total Expenditure (C3 = C1 + C2)"
RO3_LINES = {"R": " of which residential care", "F": " of which fostering services", "total": ""}
S251_FILE = "dfe-sfr/LA_Spend_outturn_{short}.csv"
S251_LINES = {
    "Residential care": "R",
    "Fostering services": "F",
    "Children placed with family and friends": "F",
    "Adoption services": "A",
    "Other children looked after": "I",
    "Other children looked after services": "I",
    "Total Children Looked After": "total",
}
#: Financial years with official spend by placement line, and the return they come from.
SPEND_YEARS: dict[str, str] = {"2012-13": "s251", "2013-14": "s251", "2023-24": "ro3", "2024-25": "ro3"}
CLA_FILE = "dfe/cla_number_and_rate_per_10k_children.csv"


def financial_year_span(year: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day and the day after the last day of a financial year such as "2024-25"."""
    first = int(year[:4])
    return pd.Timestamp(first, 4, 1), pd.Timestamp(first + 1, 4, 1)


def latest_spend_year(observed_from: pd.Timestamp, observed_to: pd.Timestamp) -> str | None:
    """The latest financial year with official spend lines that the 903 data cover wholly."""
    covered = [
        year
        for year in SPEND_YEARS
        if financial_year_span(year)[0] >= observed_from
        and financial_year_span(year)[1] <= pd.Timestamp(observed_to) + pd.Timedelta(days=1)
    ]
    return covered[-1] if covered else None


def official_spend(council: Council, year: str) -> pd.Series:
    """Official spend (£) of the council (summed over a group's members) on the spend
    lines mapped to placement groups in a financial year, indexed F/A/R/I and "total"
    (all children looked after spend). Empty when the year has no spend lines or the
    council's figures are missing or suppressed."""
    kind = SPEND_YEARS.get(year)
    if kind == "ro3":
        columns = {group: RO3_COLUMN.format(line=line) for group, line in RO3_LINES.items()}
        table = public.read(RO3_FILE.format(year=year.replace("-", "_")), numeric=columns.values())
        rows = table[table["ONS Code"].isin(council.codes)]
        spend = pd.Series({group: rows[column].sum(min_count=len(rows)) * 1000 for group, column in columns.items()})
    elif kind == "s251":
        table = public.read(S251_FILE.format(short=year[2:4] + year[5:7]), numeric=["TotalExpenditure"])
        line = table["CYPServiceDescription"].str.replace(r"^\s*\d+\s*", "", regex=True).str.strip()
        rows = table.assign(sf_group=line.map(S251_LINES))
        rows = rows[rows["LA"].isin(council.old_codes) & rows["sf_group"].notna()]
        spend = rows["TotalExpenditure"].groupby(rows["sf_group"]).sum(min_count=1)
    else:
        return pd.Series(dtype=float)
    return spend.dropna().rename("spend_gbp")


#: The group of the catalogue of placement prices (carebook.prices) of each placement group.
PRICE_GROUP: dict[str, Group] = {"F": "fostering", "A": "adoption", "R": "residential", "I": "other", "U": "unknown"}


def weekly_costs_gbp(prices: PricesParams | None = None) -> dict[str, float]:
    """Weekly cost (£ a week) of each placement group F/A/R/I/U over all providers: the
    council's ``prices:`` section, else the national catalogue."""
    return {sf_group: weekly_price(prices, group, "all") for sf_group, group in PRICE_GROUP.items()}


#: An official weekly cost is used only within this multiple of the group's parameter
#: (national figure); outside it the spend line evidently books the placements elsewhere
#: (e.g. a council recording residential spend under "other") and the parameter is kept.
PLAUSIBLE_RANGE: tuple[float, float] = (1 / 3, 3.0)


def unit_costs(
    params: VolumeSizingParams,
    spend: pd.Series | None = None,
    days: pd.Series | None = None,
    year: str | None = None,
    prices: PricesParams | None = None,
) -> pd.DataFrame:
    """Weekly cost (£ a week) of each placement group F/A/R/I/U.

    With ``params.unit_cost_basis == "official_spend"``, a group with spend (£, indexed
    by group) and placement days (days, indexed by group) in ``year`` costs
    spend / days x 7 when that is within ``PLAUSIBLE_RANGE`` times the parameter;
    other groups take the weekly cost of the group over all providers from ``prices`` (the
    council's ``prices:`` section, else the national catalogue). Returns columns
    sf_group, placement_group, weekly_cost_gbp, spend_gbp, placement_days, basis, source.
    """
    table = pd.DataFrame({"sf_group": GROUPS})
    table["placement_group"] = table["sf_group"].map(PLACEMENT_GROUP_NAMES)
    spend = (spend if spend is not None else pd.Series(dtype=float)).reindex(GROUPS)
    days = (days if days is not None else pd.Series(dtype=float)).reindex(GROUPS)
    table["spend_gbp"] = spend.to_numpy(dtype=float)
    table["placement_days"] = days.to_numpy(dtype=float)
    parameter = table["sf_group"].map(weekly_costs_gbp(prices))
    official = table["spend_gbp"] / table["placement_days"] * 7
    available = (
        (params.unit_cost_basis == "official_spend")
        & (table["spend_gbp"] > 0)
        & (table["placement_days"] > 0)
    )
    plausible = official.between(parameter * PLAUSIBLE_RANGE[0], parameter * PLAUSIBLE_RANGE[1])
    use_official = available & plausible
    table["weekly_cost_gbp"] = official.where(use_official, parameter)
    implausible = "parameter (official spend / placement days gave £" + official.round().map("{:,.0f}".format) + (
        " a week, outside a third to three times the national figure)"
    )
    table["basis"] = use_official.map({True: "official spend / placement days", False: "parameter"}).where(
        ~(available & ~plausible), implausible
    )
    parameter_source = table["sf_group"].map(
        {sf_group: price_source(prices, group, "all") for sf_group, group in PRICE_GROUP.items()})
    official_source = f"Council spend {year} (Section 251 / RO3 line of the group) / days in those placements in the 903 data x 7"
    table["source"] = parameter_source.where(~use_official, official_source)
    return table[["sf_group", "placement_group", "weekly_cost_gbp", "spend_gbp", "placement_days", "basis", "source"]]


#: The 903 data's child-years in care in the spend year, as a multiple of the council's
#: published children looked after at 31 March, within which official spend is divided
#: by the data's placement days (outside it the data are not the council's scale).
SCALE_RANGE: tuple[float, float] = (0.67, 1.5)


def children_looked_after(council: Council, year: str) -> float:
    """DfE children looked after at 31 March at the end of a financial year (children,
    summed over a group's members); NaN where not published."""
    _, end = financial_year_span(year)
    cla = public.read(CLA_FILE, numeric=["children_count"])
    rows = cla[
        (cla["time_period"] == str(end.year))
        & (cla["population_type"] == "Children looked after on 31 March each year")
        & (cla["new_la_code"].isin(council.codes))
        & (cla["geographic_level"] == public.LOCAL_AUTHORITY)
    ]
    return float(rows["children_count"].sum(min_count=len(council.codes))) if len(rows) else float("nan")


def child_years_in_care(intervals: pd.DataFrame, year: str) -> float:
    """Days in care of all children in a financial year / 365.25 (child-years)."""
    start, end = financial_year_span(year)
    return float(placement_days(intervals, start, end).sum()) / DAYS_A_YEAR


def council_unit_costs(
    council: Council,
    intervals: pd.DataFrame,
    observed_from: pd.Timestamp,
    observed_to: pd.Timestamp,
) -> tuple[pd.DataFrame, str | None, str]:
    """Unit costs for a council from its official spend and the placement days of its
    903 data in the latest financial year both cover; the parameters alone when no such
    year exists, or when the data's child-years in care that year are outside
    ``SCALE_RANGE`` times the council's published children looked after (the data are
    then not at the council's scale). Returns the table, the spend year used (or None)
    and a sentence for the page saying which basis was used."""
    params = council.volume_sizing
    if params.unit_cost_basis == "parameters":
        return unit_costs(params, prices=council.prices), None, "Weekly costs are the prices of the catalogue of placement prices, as the council file asks."
    year = latest_spend_year(observed_from, observed_to)
    if year is None:
        return unit_costs(params, prices=council.prices), None, (
            "Weekly costs are the national prices: the SSDA903 data cover no financial year with "
            f"published spend by placement line ({', '.join(SPEND_YEARS)})."
        )
    published = children_looked_after(council, year)
    in_data = child_years_in_care(intervals, year)
    ratio = in_data / published if published > 0 else float("nan")
    if pd.notna(ratio) and not SCALE_RANGE[0] <= ratio <= SCALE_RANGE[1]:
        return unit_costs(params, prices=council.prices), None, (
            f"Weekly costs are the national prices: in {year} the SSDA903 data hold {in_data:,.0f} child-years "
            f"in care against {published:,.0f} children looked after published for the council, so the "
            "council's spend cannot be divided by the data's placement days."
        )
    start, end = financial_year_span(year)
    spend = official_spend(council, year)
    table = unit_costs(params, spend, placement_days(intervals, start, end), year, prices=council.prices)
    return table, year, (
        f"Weekly costs use the council's {year} spend divided by the placement days in the SSDA903 data where "
        "both exist, and the national prices for the other groups."
    )


def spend_per_child_check(
    council: Council, year: str | None, spend: pd.Series, intervals: pd.DataFrame
) -> pd.DataFrame:
    """Sense check of unit costs against official spend per child looked after.

    Returns columns measure, value_gbp (£ a year), source: official spend on children
    looked after divided by children looked after at 31 March (DfE, where published
    for the year), and the same spend divided by child-years of care in the 903 data
    (days in care / 365.25).
    """
    if year is None or "total" not in spend:
        return pd.DataFrame(columns=["measure", "value_gbp", "source"])
    published = children_looked_after(council, year)
    child_years = child_years_in_care(intervals, year)
    rows = [
        (
            "Spend on children looked after per child looked after at 31 March",
            spend["total"] / published if published > 0 else float("nan"),
            f"Official spend {year} / DfE children looked after at 31 March {financial_year_span(year)[1].year}",
        ),
        (
            "Spend on children looked after per child-year in care",
            spend["total"] / child_years if child_years > 0 else float("nan"),
            f"Official spend {year} / days in care in the 903 data / 365.25",
        ),
    ]
    return pd.DataFrame(rows, columns=["measure", "value_gbp", "source"])


def journey_cost(care: pd.DataFrame, costs: pd.DataFrame, observation_years: int) -> pd.DataFrame:
    """Average placement cost (£) of a care journey by year since entry, all journeys
    beside complete journeys, costed as every care entry is (:func:`carebook.care_entry.entry_cost_gbp`).

    ``care`` is :func:`carebook.volume.journeys.journey_care_days`; ``costs`` has
    sf_group and weekly_cost_gbp. For each journey year, the weeks in care of the average
    child in that year's sample times the weekly cost weighted by that year's mix of care
    days by group (the same as the average over children of days x weekly cost / 7).
    Returns columns journeys, journey_year, children, mean_cost_gbp (£ in that year),
    cumulative_cost_gbp (£ from entry to the end of that year).
    """
    care = care[care["journey_year"] <= observation_years]
    tables = pd.concat([care.assign(journeys="all"), care[care["complete"]].assign(journeys="complete")],
                       ignore_index=True)
    keys = ["journeys", "journey_year"]
    days = tables.pivot_table(index=keys, columns="sf_group", values="care_days", aggfunc="sum", fill_value=0)
    children = tables.groupby(keys)["CHILD"].nunique().rename("children")
    total = days.sum(axis=1)
    weeks = total / children / DAYS_A_WEEK
    mix = days.div(total.where(total > 0), axis=0).fillna(0.0)
    cost = entry_cost_gbp(mix, costs.set_index("sf_group")["weekly_cost_gbp"], weeks)
    summary = pd.DataFrame({"children": children, "mean_cost_gbp": cost.astype("float64")}).reset_index()
    summary = summary.sort_values(keys, ignore_index=True)
    return summary.assign(cumulative_cost_gbp=summary.groupby("journeys")["mean_cost_gbp"].cumsum())
