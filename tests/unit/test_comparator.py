"""The comparator fallback: a comparator's rate per 10,000 children times the council's children."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from carebook import comparator

POPULATION = pd.DataFrame({
    "code": ["A", "B", "C", "A", "B", "C"],
    "year": [2023, 2023, 2023, 2024, 2024, 2024],
    "children": [800.0, 40_000.0, 60_000.0, 847.0, 40_000.0, 60_000.0],
})  # fmt: skip
PAIRS = pd.DataFrame({"code": ["A", "A"], "comparator": ["B", "C"]})
PUBLISHED = pd.DataFrame({
    "code": ["B", "C", "B", "C", "B", "C"],
    "year": [2024, 2024, 2025, 2025, 2025, 2025],
    "measure": ["plans", "plans", "plans", "plans", "referrals", "referrals"],
    "children": [200.0, 300.0, 220.0, float("nan"), 2_000.0, 3_000.0],
})  # fmt: skip


def test_scaled_is_a_rate_per_10000_times_the_children() -> None:
    # 50 plans per 10,000 children, 847 children: 50 x 847 / 10,000 = 4.235
    assert comparator.scaled(50.0, 847.0) == pytest.approx(4.235)


def test_comparator_rate_sums_the_published_counts_over_their_children() -> None:
    rates = comparator.comparator_rates(PUBLISHED, POPULATION, PAIRS).set_index(["year", "measure"])
    # 2024: (200 + 300) / (40,000 + 60,000) x 10,000 = 50 per 10,000, from both comparators
    assert rates.loc[(2024, "plans"), "rate_per_10k"] == pytest.approx(50.0)
    assert rates.loc[(2024, "plans"), "comparators"] == 2
    # 2025: C does not publish plans; B alone: 220 / 40,000 x 10,000 = 55 (population of 2024, the latest estimate)
    assert rates.loc[(2025, "plans"), "rate_per_10k"] == pytest.approx(55.0)
    assert rates.loc[(2025, "plans"), "comparators"] == 1
    # referrals 2025: 5,000 / 100,000 x 10,000 = 500
    assert rates.loc[(2025, "referrals"), "rate_per_10k"] == pytest.approx(500.0)


def test_fill_keeps_published_figures_and_estimates_the_others() -> None:
    counts = pd.DataFrame({
        "code": ["A", "A", "A", "A"],
        "year": [2024, 2025, 2025, 2023],
        "measure": ["plans", "plans", "referrals", "plans"],
        "children": [float("nan"), float("nan"), 57.0, float("nan")],
    })  # fmt: skip
    filled = comparator.fill_from_comparators(counts, POPULATION, PAIRS, PUBLISHED).set_index(["year", "measure"])
    # 2024: 50 per 10,000 x 847 children = 4.235 plans
    assert filled.loc[(2024, "plans"), "children"] == pytest.approx(4.235)
    assert filled.loc[(2024, "plans"), "basis"] == "comparator"
    # 2025: 55 per 10,000 x 847 (the 2024 estimate stands for 2025) = 4.6585
    assert filled.loc[(2025, "plans"), "children"] == pytest.approx(4.6585)
    # a published figure is kept as it is, with no comparator rate
    assert filled.loc[(2025, "referrals"), "children"] == 57.0
    assert filled.loc[(2025, "referrals"), "basis"] == "own"
    assert math.isnan(filled.loc[(2025, "referrals"), "rate_per_10k"])
    # 2023: no comparator publishes plans: neither figure, basis "none"
    assert math.isnan(filled.loc[(2023, "plans"), "children"])
    assert filled.loc[(2023, "plans"), "basis"] == "none"


def test_statistical_neighbours_come_from_dfes_model() -> None:
    # Nottingham (892): the 2025 model's closest neighbours are Birmingham (330) and Manchester (352)
    neighbours = comparator.statistical_neighbours("E06000018")
    assert len(neighbours) == 10
    assert neighbours[:2] == ("E08000025", "E08000003")
    chosen = comparator.comparator_for("E06000018")
    assert chosen.kind == "statistical neighbours"
    assert chosen.names[:2] == ("Birmingham", "Manchester")
    assert chosen.description.startswith("its ten statistical neighbours")


def test_inner_and_outer_london_are_the_london_region() -> None:
    placed = comparator.region(["E09000001", "E09000002", "E08000035"])
    assert list(placed["region_code"]) == ["E12000007", "E12000007", "E12000003"]
    assert list(placed["region_name"]) == ["London", "London", "Yorkshire and The Humber"]


def test_the_note_names_the_comparator_and_the_marking() -> None:
    chosen = comparator.Comparator("region", "the other councils of the South West region", ("E06000052",),
                                   ("Cornwall",), "DfE")
    text = comparator.note("Isles of Scilly", ["child protection plans started", "children starting to be looked after"], [chosen])
    assert "child protection plans started and children starting to be looked after for Isles of Scilly" in text
    assert "the other councils of the South West region (Cornwall)" in text
    assert "these figures are estimated" in text
    assert comparator.marked("Fewer referrals", True) == "Fewer referrals (estimated from a comparator)"
    assert comparator.marked("Fewer referrals", False) == "Fewer referrals"
