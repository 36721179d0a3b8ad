"""Financing options as cash flows by financial year (£; arrays broadcast over draws x years).

1. Council budget: the council pays the service and keeps the savings.
2. Social impact bond: an investor pays the service; the council pays for outcomes
   achieved, priced so that base-case outcomes repay the investor's capital with its
   return; the Life Chances Fund pays its share; the investor carries the risk of failure.
3. Hybrid: the lines flagged ``bond_financed_in_hybrid`` through the bond, the rest in-house.
4. Do nothing: no service, no savings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from carebook.cost_benefit.outcomes import lag, life_chances_fund, outcome_price

OPTIONS = {
    "council": "1. Council budget",
    "bond": "2. Social impact bond",
    "hybrid": "3. Hybrid (part through the bond)",
    "nothing": "4. Do nothing",
}


@dataclass(frozen=True)
class BondFlows:
    """Cash flows of a social impact bond by year, £: investor outlay, outcome payments, LCF share."""

    investor_outlay: np.ndarray
    outcome_payments: np.ndarray
    lcf: np.ndarray

    @property
    def council_payments(self) -> np.ndarray:
        """Outcome payments the council pays after the Life Chances Fund's share, £."""
        return self.outcome_payments - self.lcf

    @property
    def investor_net(self) -> np.ndarray:
        """Investor's net cash by year, £ (negative while funding the service)."""
        return self.outcome_payments - self.investor_outlay


def council_budget(savings: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """Option 1: council net position by year, £ (savings less service costs)."""
    return savings - costs


def bond_flows(params, funded_costs: np.ndarray, outcomes: np.ndarray, base_outcomes: np.ndarray,
               investor_return: float | np.ndarray) -> BondFlows:
    """Option 2 (or the bond part of 3): outcome payments for the outcomes achieved.

    ``outcomes`` / ``base_outcomes``: outcome units by year (children succeeding or care
    days saved), actual and base case. The price per unit repays the base-case funded cost
    with ``investor_return``; payments follow outcomes after ``payment_lag_years``.
    """
    price = outcome_price(float(np.sum(funded_costs)), np.asarray(investor_return, dtype=float), float(np.sum(base_outcomes)))
    price = price[..., None] if np.ndim(price) else price
    payments = lag(price * outcomes, params.payment_lag_years)
    return BondFlows(np.broadcast_to(funded_costs, payments.shape), payments, life_chances_fund(params, payments))


def social_impact_bond(savings: np.ndarray, flows: BondFlows) -> np.ndarray:
    """Option 2: council net position by year, £ (savings less outcome payments net of the LCF)."""
    return savings - flows.council_payments


def hybrid(savings: np.ndarray, in_house_costs: np.ndarray, flows: BondFlows) -> np.ndarray:
    """Option 3: council net position, £ (savings less in-house lines and bond payments net of the LCF)."""
    return savings - in_house_costs - flows.council_payments


def do_nothing(years: int) -> np.ndarray:
    """Option 4: no service and no saving, £ 0 each year."""
    return np.zeros(years)


def simple_return(flows: BondFlows) -> np.ndarray:
    """Investor's return over the life of the bond (payments / outlay - 1), rate."""
    return flows.outcome_payments.sum(axis=-1) / flows.investor_outlay.sum(axis=-1) - 1


def peak_capital(flows: BondFlows) -> np.ndarray:
    """Most capital the investor has outstanding at a year end (outlay less payments so far), £."""
    return np.max(np.cumsum(flows.investor_outlay - flows.outcome_payments, axis=-1), axis=-1)


def internal_rate_of_return(cash: np.ndarray) -> float | None:
    """Annual rate at which the cash flows (year 0 first) have zero present value; None if none in (-99%, 100%)."""
    def npv(rate: float) -> float:
        return float(np.sum(cash / (1 + rate) ** np.arange(len(cash))))

    low, high = -0.99, 1.0
    if np.sign(npv(low)) == np.sign(npv(high)):
        return None
    return float(brentq(npv, low, high, xtol=1e-10))
