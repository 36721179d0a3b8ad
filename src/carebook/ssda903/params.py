"""Typed parameters of the ssda903 analysis, read from a council file's section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Ssda903Params(BaseModel):
    """Parameters with national defaults; a council file overrides them."""

    model_config = ConfigDict(extra="forbid")
