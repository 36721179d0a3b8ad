"""Practice-change scenarios: how far each change has gone in each year.

A scenario holds, for each of the three changes, its relative reduction at full effect
and its phasing (share of full effect per year, 0 in the base year, ending at 1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from carebook.errors import InputError
from carebook.flow.params import FlowParams, check_profile

CHANGES = ("re_referral", "direct_entry", "plan_to_care")


@dataclass(frozen=True)
class Change:
    """One practice change: a relative reduction (0-1) of a rate, phased in by year."""

    reduction: float
    phasing: tuple[float, ...]

    def multipliers(self) -> np.ndarray:
        """Factor on the base-year rate for the base year then each projected year (1 = no change)."""
        effect = np.concatenate([[0.0], np.asarray(self.phasing, dtype=float)])
        return 1.0 - self.reduction * effect


@dataclass(frozen=True)
class Scenario:
    """The three changes of the seed's new model of practice."""

    re_referral: Change
    direct_entry: Change
    plan_to_care: Change

    @property
    def years(self) -> int:
        """Number of projected years after the base year."""
        return len(self.re_referral.phasing)

    def with_reduction(self, change: str, reduction: float) -> Scenario:
        """The same scenario with one change's reduction (0-1) replaced."""
        return replace(self, **{change: replace(getattr(self, change), reduction=reduction)})

    def without_changes(self) -> Scenario:
        """The counterfactual: every reduction 0 (rates stay at the base year)."""
        scenario = self
        for change in CHANGES:
            scenario = scenario.with_reduction(change, 0.0)
        return scenario


def checked_profile(values: list[float], field: str) -> tuple[float, ...]:
    """A phasing profile validated as in the parameter file, or an InputError naming ``field``."""
    try:
        return tuple(check_profile(list(values)))
    except ValueError as error:
        raise InputError(str(error), where=field) from None


def scenario_from_params(params: FlowParams) -> Scenario:
    """The scenario a council's ``flow_model:`` section describes."""
    return Scenario(
        re_referral=Change(params.re_referral_reduction, tuple(params.phasing.re_referral)),
        direct_entry=Change(params.direct_entry_reduction, tuple(params.phasing.direct_entry)),
        plan_to_care=Change(params.plan_to_care_reduction, tuple(params.phasing.plan_to_care)),
    )
