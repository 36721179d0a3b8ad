"""Typed parameters of the cost_benefit analysis, read from a council file's section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class CostBenefitParams(BaseModel):
    """Parameters with national defaults; a council file overrides them."""

    model_config = ConfigDict(extra="forbid")
