"""Shared fixtures: cost_benefit sections read from the council files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from carebook.cost_benefit.params import CostBenefitParams, parse_section
from carebook.prices import PricesParams

ROOT = Path(__file__).resolve().parents[3]


def council_params(slug: str) -> CostBenefitParams:
    """The ``cost_benefit:`` section of a council file, validated, with the council's weekly
    prices (its ``prices:`` section, else the national catalogue)."""
    path = ROOT / "data" / "councils" / f"{slug}.yml"
    content = yaml.safe_load(path.read_text())
    prices = PricesParams.model_validate(content.get("prices") or {})
    return parse_section(content["cost_benefit"], file=str(path)).with_prices(prices)


@pytest.fixture(scope="session")
def section():
    """Function reading a council's section: ``section("essex")``."""
    return council_params


@pytest.fixture(scope="session")
def rotherham() -> CostBenefitParams:
    return council_params("rotherham")


@pytest.fixture(scope="session")
def buckinghamshire() -> CostBenefitParams:
    return council_params("buckinghamshire")
