"""Benchmark: DfE's SSDA903 validation rules over one large council's collection years.

Builds (outside the timing) Birmingham's synthetic extract for 2022-23 to 2024-25 (about
3,000 children and 4,500 episodes in each year's files), written and read back as
year folders. Then times, separately:

- ``dfe_rule_counts`` on the latest year (one validator process, one year);
- ``dfe_rules_by_year`` on the three years (one validator process for all of them);
- ``dfe_rule_counts`` once per year (three processes), for comparison.

Each line gives the wall-clock seconds and the CPU seconds of the validator processes
(the machine may be shared). Most of the validator's time goes on its postcode lookups
(merging each year's postcodes with the ONS postcode directory).

    .venv/bin/python benchmarks/dfe_rules_bench.py [--council birmingham] [--years 2023-2025]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time

from carebook.params import load_council
from carebook.ssda903 import synth
from carebook.ssda903.dfe_rules import dfe_rule_counts, dfe_rules_by_year, dfe_summary_sentence
from carebook.ssda903.read import read_years


def _child_cpu() -> float:
    """CPU seconds used so far by finished child processes (the validator runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _report(label: str, start: float, cpu: float) -> None:
    print(f"{label:<45} {time.perf_counter() - start:6.1f} s ({_child_cpu() - cpu:5.1f} s CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--council", default="birmingham")
    parser.add_argument("--years", default="2023-2025")
    args = parser.parse_args()
    first, _, last = args.years.partition("-")
    council = load_council(args.council)
    with tempfile.TemporaryDirectory(prefix="carebook-bench-dfe-") as folder:
        synth.write_extract(synth.generate(council, int(first), int(last)), folder)
        header, episodes, years = read_years(folder)
    by_year = {y: (header[header["_year"] == y], episodes[episodes["_year"] == y]) for y in years}
    la_code = council.codes[0]
    latest = years[-1]
    print(f"{council.name}, collection years {years[0]}-{years[-1]}: "
          + ", ".join(f"{y}: {len(h):,} children, {len(e):,} episodes" for y, (h, e) in by_year.items()))

    start, cpu = time.perf_counter(), _child_cpu()
    dfe_rule_counts(*by_year[latest], latest, la_code)
    _report(f"dfe_rule_counts, one year ({latest}):", start, cpu)

    start, cpu = time.perf_counter(), _child_cpu()
    counts = dfe_rules_by_year(by_year, la_code)
    _report(f"dfe_rules_by_year, {len(years)} years in one process:", start, cpu)

    start, cpu = time.perf_counter(), _child_cpu()
    for year, (year_header, year_episodes) in by_year.items():  # one process per year
        dfe_rule_counts(year_header, year_episodes, year, la_code)
    _report(f"dfe_rule_counts, {len(years)} years one by one:", start, cpu)
    print(dfe_summary_sentence(counts))


if __name__ == "__main__":
    main()
