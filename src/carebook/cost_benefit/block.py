"""A block contract's places over the plan: what its payments (``costs``) and its outcome
bonus (``outcomes``) both count."""

from __future__ import annotations

import numpy as np

from carebook.cost_benefit.params import CostBenefitParams
from carebook.cost_benefit.timeline import share_of_months_active


def open_places_by_month(params: CostBenefitParams) -> np.ndarray:
    """Block places open each plan month, places (opening in a straight line over the ramp-up)."""
    block = params.block_contract
    active = share_of_months_active(params.first_financial_year, params.plan_years, block.start, block.end)
    months_in = np.cumsum(active > 0)
    ramp = np.ones_like(active) if block.ramp_up_months == 0 else np.minimum(months_in / block.ramp_up_months, 1.0)
    return active * ramp * block.places
