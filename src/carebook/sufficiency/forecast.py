"""Placement demand forecast: a stock-and-flow projection of children in care by
placement group and age band, set against the council's capacity.

Method
------
States are (placement group, age band): 4 groups × 5 bands = 20. From the 903
episodes the council's children are observed at every month end of a reference
period. Pairing each child's state at one month end with their state at the
next gives

* monthly **transition probabilities** between states, plus leaving care (a row
  per state that sums to 1; ageing into the next band is one of the moves), and
* monthly **entries** to each state (children in care at a month end who were not
  at the previous one: new and returning children).

The projection starts from the children in care at the end of the reference
period and steps month by month: ``stock' = stock · P + entries``. The central
line uses the measured rates; the uncertainty band comes from simulations that
redraw the rates (Dirichlet and gamma around the observed counts: parameter
uncertainty) and then move children and entries at random (multinomial and
Poisson: chance), all simulations at once as arrays.

Capacity is the council's own places (in-house and block contracts) from its
parameters; the gap is the placements it must buy, within 20 miles and in
total, costed at external weekly prices (£ a week → £ a year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.prices import PricesParams, weekly_price
from carebook.sufficiency.params import SufficiencyParams
from carebook.sufficiency.snapshot import AGE_BANDS, PLACEMENT_GROUPS, PROVISION_GROUPS, in_care_on, month_ends
from carebook.units import WEEKS_A_YEAR

LEFT_CARE = "left_care"
STATES = pd.MultiIndex.from_product([PLACEMENT_GROUPS, AGE_BANDS], names=["placement_group", "age_band"])
"""The projection's states: every placement group × age band (20)."""


@dataclass(frozen=True)
class FlowRates:
    """Rates measured from 903 data over a reference period (all per month).

    transitions: states × (states + left_care) probabilities (0-1), rows sum to 1;
                 columns are (placement_group, age_band) pairs and ("left_care", "").
    transition_counts: the observed month-to-month moves behind them (children).
    entries: children entering each state per month (mean over the period).
    entry_counts: children entering each state over the whole period.
    stock: children in each state at ``start`` (the last month end observed).
    months: month-to-month steps observed; start: the forecast's first day.
    """

    transitions: pd.DataFrame
    transition_counts: pd.DataFrame
    entries: pd.Series
    entry_counts: pd.Series
    stock: pd.Series
    months: int
    start: pd.Timestamp


def _state_codes(rows: pd.DataFrame) -> np.ndarray:
    """Position of each row's (placement group, age band) in :data:`STATES`."""
    group = pd.Categorical(rows["placement_group"], categories=list(PLACEMENT_GROUPS)).codes
    band = pd.Categorical(rows["age_band"], categories=list(AGE_BANDS)).codes
    return group.astype("int64") * len(AGE_BANDS) + band.astype("int64")


def measure_rates(episodes: pd.DataFrame, header: pd.DataFrame, reference_start: pd.Timestamp | str,
                  reference_end: pd.Timestamp | str) -> FlowRates:
    """Transition and entry rates from the month ends between ``reference_start`` and ``reference_end``.

    Needs at least two month ends. Vectorised over children: one row per child
    per month end, paired with the same child's row a month later.
    """
    months = month_ends(reference_start, reference_end)
    if len(months) < 2:
        raise InputError(f"expected a reference period of at least two month ends, got {reference_start} to "
                         f"{reference_end}", where="sufficiency.forecast_reference_years")
    return rates_from_month_ends(in_care_on(episodes, header, months), months)


def rates_from_month_ends(rows: pd.DataFrame, months: pd.DatetimeIndex) -> FlowRates:
    """:func:`measure_rates` from rows already built by ``in_care_on(..., months)``
    (consecutive month ends; rows on other dates, and children whose age is unknown, are
    left out)."""
    rows = rows[rows["date"].isin(months) & rows["age_band"].notna()]
    n_states = len(STATES)
    panel = pd.DataFrame({"CHILD": rows["CHILD"].to_numpy(), "month": months.get_indexer(rows["date"]),
                          "state": _state_codes(rows)})
    following = panel.assign(month=panel["month"] - 1).rename(columns={"state": "next_state"})
    paired = panel[panel["month"] < len(months) - 1].merge(following, on=["CHILD", "month"], how="left")
    moves = paired["next_state"].fillna(n_states).astype("int64").to_numpy()
    counts = np.bincount(paired["state"].to_numpy() * (n_states + 1) + moves,
                         minlength=n_states * (n_states + 1)).reshape(n_states, n_states + 1)
    previous = panel.assign(month=panel["month"] + 1)[["CHILD", "month"]].assign(was_in=True)
    arrivals = panel[panel["month"] > 0].merge(previous, on=["CHILD", "month"], how="left")
    entry_counts = np.bincount(arrivals.loc[arrivals["was_in"].isna(), "state"], minlength=n_states)
    steps = len(months) - 1
    columns = pd.MultiIndex.from_tuples([*STATES, (LEFT_CARE, "")], names=STATES.names)
    last = panel[panel["month"] == len(months) - 1]
    return FlowRates(
        transitions=pd.DataFrame(_probabilities(counts), index=STATES, columns=columns),
        transition_counts=pd.DataFrame(counts, index=STATES, columns=columns),
        entries=pd.Series(entry_counts / steps, index=STATES, name="children_per_month"),
        entry_counts=pd.Series(entry_counts, index=STATES, name="children"),
        stock=pd.Series(np.bincount(last["state"], minlength=n_states), index=STATES, name="children"),
        months=steps,
        start=months[-1],
    )


def _probabilities(counts: np.ndarray) -> np.ndarray:
    """Row-normalised moves; a state nobody was in borrows the pooled moves of its age band
    (then of everyone), so children ageing into it still move on and leave."""
    n_states = counts.shape[0]
    band_of = np.arange(n_states) % len(AGE_BANDS)
    band_pooled = np.stack([counts[band_of == band].sum(axis=0) for band in band_of])
    pooled = np.where(band_pooled.sum(axis=1, keepdims=True) > 0, band_pooled, counts.sum(axis=0, keepdims=True))
    chosen = np.where(counts.sum(axis=1, keepdims=True) > 0, counts, pooled).astype("float64")
    totals = chosen.sum(axis=1, keepdims=True)
    if (totals == 0).any():
        raise InputError("expected children in care during the reference period to measure rates from",
                         where="sufficiency.forecast")
    return chosen / totals


def _simulate(rates: FlowRates, months: int, entry_multiplier: float, simulations: int,
              rng: np.random.Generator) -> np.ndarray:
    """Stocks (simulations × months+1 × states) with parameter and chance uncertainty."""
    n_states = len(STATES)
    probabilities = rates.transitions.to_numpy()
    # parameter uncertainty: Dirichlet rows around the observed moves (weight of the observations)
    weight = np.maximum(rates.transition_counts.to_numpy().sum(axis=1, keepdims=True), 1.0)
    shapes = probabilities * weight
    draws = rng.gamma(np.broadcast_to(shapes, (simulations, *shapes.shape)) + 1e-12)
    draws = np.where(shapes > 0, draws, 0.0)
    sampled_p = draws / draws.sum(axis=2, keepdims=True)
    entry_rate = rng.gamma(rates.entry_counts.to_numpy(), 1.0 / rates.months,
                           size=(simulations, n_states)) * entry_multiplier  # a state nobody entered stays 0
    stocks = np.empty((simulations, months + 1, n_states))
    stocks[:, 0] = rates.stock.to_numpy()
    current = np.broadcast_to(rates.stock.to_numpy(), (simulations, n_states)).astype("int64")
    for month in range(1, months + 1):
        moved = rng.multinomial(current, sampled_p)
        current = moved[:, :, :n_states].sum(axis=1) + rng.poisson(entry_rate)
        stocks[:, month] = current
    return stocks


def _central(rates: FlowRates, months: int, entry_multiplier: float) -> np.ndarray:
    """Expected stocks (months+1 × states) from the measured rates."""
    staying = rates.transitions.to_numpy()[:, :-1]
    entries = rates.entries.to_numpy() * entry_multiplier
    stocks = np.empty((months + 1, len(STATES)))
    stocks[0] = rates.stock.to_numpy()
    for month in range(1, months + 1):
        stocks[month] = stocks[month - 1] @ staying + entries
    return stocks


@dataclass(frozen=True)
class Projection:
    """A forecast: ``table`` (long: date, placement_group, age_band, children = central
    projection, lower, upper), the raw ``simulations`` (simulations × months+1 ×
    states, children) and the ``band`` they were summarised with (e.g. 0.9)."""

    table: pd.DataFrame
    simulations: np.ndarray
    band: float


def project(rates: FlowRates, years: int = 5, *, entry_multiplier: float = 1.0, simulations: int = 500,
            band: float = 0.9, seed: int = 0) -> Projection:
    """Children in care by placement group and age band at each month end for ``years`` years.

    ``entry_multiplier`` scales the measured entry rates (1 = as measured, 2 =
    doubled). The table's ``children`` is the central projection; ``lower`` and
    ``upper`` bound the central ``band`` of the simulations (5th and 95th
    percentiles for 0.9). Month 0 is the observed stock.
    """
    if not 1 <= years <= 10:
        raise InputError(f"expected a forecast of 1 to 10 years, got {years}", where="sufficiency.forecast_years")
    if entry_multiplier < 0:
        raise InputError(f"expected a non-negative entry multiplier, got {entry_multiplier}",
                         where="sufficiency.forecast")
    months = 12 * years
    central = _central(rates, months, entry_multiplier)
    stocks = _simulate(rates, months, entry_multiplier, simulations, np.random.default_rng(seed))
    lower, upper = np.quantile(stocks, [(1 - band) / 2, (1 + band) / 2], axis=0)
    dates = pd.date_range(rates.start, periods=months + 1, freq="ME")
    table = pd.DataFrame({
        "date": np.repeat(dates, len(STATES)),
        "placement_group": np.tile(STATES.get_level_values(0), months + 1),
        "age_band": np.tile(STATES.get_level_values(1), months + 1),
        "children": central.ravel(), "lower": lower.ravel(), "upper": upper.ravel(),
    })
    return Projection(table=table, simulations=stocks, band=band)


def totals(projection: Projection, by: str | None = "placement_group") -> pd.DataFrame:
    """The projection summed over age bands (``by="placement_group"``) or over everything (``by=None``).

    The band of a total comes from the simulations' totals (not the sum of the
    states' bands). Columns: date, [placement_group], children, lower, upper.
    """
    stocks, band, table = projection.simulations, projection.band, projection.table
    quantiles = [(1 - band) / 2, (1 + band) / 2]
    dates = table["date"].unique()
    if by is None:
        lower, upper = np.quantile(stocks.sum(axis=2), quantiles, axis=0)
        central = table.groupby("date", sort=True)["children"].sum().to_numpy()
        return pd.DataFrame({"date": dates, "children": central, "lower": lower, "upper": upper})
    groups = stocks.reshape(*stocks.shape[:2], len(PLACEMENT_GROUPS), len(AGE_BANDS)).sum(axis=3)
    lower, upper = np.quantile(groups, quantiles, axis=0)
    central = table["children"].to_numpy().reshape(len(dates), len(PLACEMENT_GROUPS), len(AGE_BANDS)).sum(axis=2)
    return pd.DataFrame({
        "date": np.repeat(dates, len(PLACEMENT_GROUPS)),
        "placement_group": np.tile(list(PLACEMENT_GROUPS), len(dates)),
        "children": central.ravel(), "lower": lower.ravel(), "upper": upper.ravel(),
    })


def own_capacity(params: SufficiencyParams, in_house_now: pd.Series) -> pd.Series:
    """Places the council provides itself per group (children): in-house places plus block contracts.

    A capacity the council file leaves out is the number of children in in-house
    placements of that group now (``in_house_now``, by placement group).
    """
    in_house = {
        "fostering": params.capacity_in_house_fostering_places,
        "residential": params.capacity_in_house_residential_places,
        "semi_independence": params.capacity_in_house_semi_independence_places,
    }
    places = pd.Series({group: in_house_now.get(group, 0) if value is None else value
                        for group, value in in_house.items()}, dtype="float64")
    places["residential"] += params.capacity_block_contract_residential_places
    return places.rename("places")


def external_prices(prices: PricesParams | None) -> pd.Series:
    """External weekly price per placement group (£ a week): the council's ``prices:``
    section, else the national catalogue (:func:`carebook.prices.weekly_price`)."""
    return pd.Series({group: weekly_price(prices, group, "external") for group in PROVISION_GROUPS},
                     dtype="float64", name="gbp_per_week")


def in_house_fostering_places(dates: pd.DatetimeIndex, demand: np.ndarray, own_now: float,
                               params: SufficiencyParams, start: pd.Timestamp) -> np.ndarray:
    """In-house fostering places (children) at each date under the council's in-house target.

    Places grow in a straight line from ``own_now`` at ``start`` to the target share
    (0-1) of the projected fostering ``demand`` at the target's date, then follow
    that share of demand; never below ``own_now``. Without a target: ``own_now``.
    """
    target, by = params.target_fostering_in_house, params.target_fostering_in_house_by
    if target is None:
        return np.full(len(dates), float(own_now))
    end = pd.Timestamp(by) if by is not None else start
    span = max((end - start).days, 1)
    progress = np.clip((dates - start).days.to_numpy() / span, 0.0, 1.0)
    return np.maximum(own_now + (target * demand - own_now) * progress, own_now)


def placement_gap(group_totals: pd.DataFrame, params: SufficiencyParams, capacity: pd.Series,
                  share_within_20_miles: pd.Series, start: pd.Timestamp,
                  prices: PricesParams | None = None) -> pd.DataFrame:
    """The placements to buy, within 20 miles and in total, and their cost, at each 31 March.

    ``group_totals``: :func:`totals` by placement group. ``capacity``: own places
    per group (:func:`own_capacity`). ``share_within_20_miles``: the share of each
    group that should be local (0-1; the council's target, else the measured
    share). ``start``: the forecast's first day. ``prices``: the council's ``prices:``
    section (None: the national catalogue).

    Two scenarios: ``current`` (own capacity as it is) and ``in_house_target``
    (in-house fostering places grow to the council's target share of projected
    fostering by its date: :func:`in_house_fostering_places`). Columns: scenario, date,
    placement_group, demand, demand_lower, demand_upper (children), own_places,
    gap, gap_lower, gap_upper (children placed externally), local_demand,
    local_gap (within 20 miles), external_cost_gbp_per_year (gap × external weekly
    price, £ a year), extra_own_cost_gbp_per_year (in-house fostering places added
    by the scenario × in-house weekly cost, £ a year).
    """
    years = group_totals[(group_totals["date"].dt.month == 3)
                         & group_totals["placement_group"].isin(PROVISION_GROUPS)].reset_index(drop=True)
    fostering = (years["placement_group"] == "fostering").to_numpy()
    own_now = years["placement_group"].map(capacity).to_numpy(dtype="float64")
    grown = in_house_fostering_places(pd.DatetimeIndex(years["date"]), years["children"].to_numpy(),
                                      float(capacity.get("fostering", 0.0)), params, pd.Timestamp(start))
    own_target = np.where(fostering, grown, own_now)
    local_share = years["placement_group"].map(share_within_20_miles).astype("float64").to_numpy()
    price = years["placement_group"].map(external_prices(prices)).to_numpy(dtype="float64")
    own_price = np.where(fostering, weekly_price(prices, "fostering", "in_house"), 0.0)
    scenarios = []
    for name, own in (("current", own_now), ("in_house_target", own_target)):
        gap = np.maximum(years["children"].to_numpy() - own, 0)
        scenarios.append(pd.DataFrame({
            "scenario": name, "date": years["date"], "placement_group": years["placement_group"],
            "demand": years["children"], "demand_lower": years["lower"], "demand_upper": years["upper"],
            "own_places": own, "gap": gap,
            "gap_lower": np.maximum(years["lower"].to_numpy() - own, 0),
            "gap_upper": np.maximum(years["upper"].to_numpy() - own, 0),
            "local_demand": years["children"].to_numpy() * local_share,
            "local_gap": np.maximum(years["children"].to_numpy() * local_share - own, 0),
            "external_cost_gbp_per_year": gap * price * WEEKS_A_YEAR,
            "extra_own_cost_gbp_per_year": (own - own_now) * own_price * WEEKS_A_YEAR,
        }))
    return pd.concat(scenarios, ignore_index=True)
