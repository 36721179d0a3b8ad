"""Time the cost-benefit Monte Carlo (10,000 draws) for each default council.

Run: CAREBOOK_PUBLIC_DATA=../shared/data/public .venv/bin/python benchmarks/cost_benefit_bench.py
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from carebook.cost_benefit import uncertainty
from carebook.cost_benefit.params import parse_section

ROOT = Path(__file__).resolve().parents[1]
SLUGS = ("rotherham", "essex", "warwickshire", "buckinghamshire", "triborough", "nottingham")
REPEATS = 20


def best_seconds(slug: str) -> tuple[int, float]:
    """Draws and the best of REPEATS wall-clock times (s) of one Monte Carlo run."""
    path = ROOT / "data" / "councils" / f"{slug}.yml"
    params = parse_section(yaml.safe_load(path.read_text()).get("cost_benefit"), file=str(path))
    uncertainty.monte_carlo(params)  # warm the official-statistics cache
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        uncertainty.monte_carlo(params)
        times.append(time.perf_counter() - start)
    return params.monte_carlo_draws, min(times)


def main() -> None:
    for slug in SLUGS:
        draws, seconds = best_seconds(slug)
        print(f"{slug:16s} {draws:>7,d} draws  {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
