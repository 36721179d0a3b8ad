"""Benchmark: read, validate and build periods of care for a national-scale 903 extract.

Builds (once, outside the timing) an extract of 100,000 children and about 600,000
episodes from the synthetic generator: the children of the six default councils'
extracts (2007-08 to 2024-25) with five or more episodes, copied under new CHILD
identifiers until there are enough. It is written as councils hold it (one folder
per collection year, header.csv and episodes.csv, an episode open across 31 March
in both years' files). Then times, separately:

- ``read_extract`` in strict mode: read every year's files, merge the years (the
  latest row wins), validate every rule;
- ``periods_of_care``, ``merge_unchanged`` and ``with_groups`` on the result;
- ``generate`` for one large council (Essex, 2008-2025) and for ten years only.

Target: read + validate + periods under 30 seconds.

    .venv/bin/python benchmarks/ssda903_bench.py [--children 100000] [--folder /tmp/carebook-bench-ssda903]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carebook.ssda903 import periods
from carebook.ssda903.extract import Extract
from carebook.ssda903.read import read_extract
from carebook.ssda903.synth import generate, write_extract

COUNCILS = ("rotherham", "nottingham", "triborough", "essex", "warwickshire", "buckinghamshire")
MIN_EPISODES = 5


def national_extract(children: int) -> Extract:
    """About ``children`` children (five or more episodes each) copied from the default
    councils' synthetic extracts under new identifiers."""
    extracts = [generate(slug) for slug in COUNCILS]
    headers, episodes = [], []
    for number, extract in enumerate(extracts):  # six councils
        counts = extract.episodes.groupby("CHILD").size()
        keep = counts[counts >= MIN_EPISODES].index
        prefix = f"{number}"
        headers.append(extract.header[extract.header["CHILD"].isin(keep)].assign(
            CHILD=lambda f, p=prefix: p + f["CHILD"]))
        episodes.append(extract.episodes[extract.episodes["CHILD"].isin(keep)].assign(
            CHILD=lambda f, p=prefix: p + f["CHILD"]))
    header, episode = pd.concat(headers, ignore_index=True), pd.concat(episodes, ignore_index=True)
    copies = int(np.ceil(children / len(header)))
    tags = [f"{c:03d}" for c in range(copies)]
    header = pd.concat([header.assign(CHILD=tag + header["CHILD"]) for tag in tags], ignore_index=True)
    episode = pd.concat([episode.assign(CHILD=tag + episode["CHILD"]) for tag in tags], ignore_index=True)
    keep = header["CHILD"].iloc[:children]
    return Extract(header=header[header["CHILD"].isin(keep)], episodes=episode[episode["CHILD"].isin(keep)],
                   is_synthetic=True, source="benchmark", start=extracts[0].start, end=extracts[0].end)


def timed(label: str, function, *args, **kwargs):
    """Run ``function`` and print how long it took (seconds)."""
    began = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label:<58} {time.perf_counter() - began:6.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/carebook-bench-ssda903"))
    args = parser.parse_args()
    os.environ.setdefault("CAREBOOK_PUBLIC_DATA", str(Path(__file__).resolve().parents[2] / "shared/data/public"))

    extract = timed("build the national extract (not part of the target)", national_extract, args.children)
    shutil.rmtree(args.folder, ignore_errors=True)
    timed("write 18 collection-year folders (not part of the target)", write_extract, extract, args.folder)
    rows = sum(len(pd.read_csv(f / "episodes.csv", usecols=[0])) for f in sorted(args.folder.iterdir()))
    print(f"extract: {len(extract.header):,} children, {len(extract.episodes):,} episodes, "
          f"{rows:,} episode rows over the year files")

    began = time.perf_counter()
    read = timed("read + merge years + validate (strict)", read_extract, args.folder, mode="strict")
    table = timed("periods of care", periods.periods_of_care, read.episodes)
    merged = timed("merge episodes that change nothing relevant", periods.merge_unchanged, read.episodes)
    timed("placement groups", periods.with_groups, merged)
    total = time.perf_counter() - began
    print(f"{'read + validate + periods (target under 30 s)':<58} {total:6.1f} s  "
          f"({len(table):,} periods of care)")

    timed("generate Essex 2008-2025", generate, "essex", 2008, 2025, 1)
    timed("generate Essex ten years 2016-2025", generate, "essex", 2016, 2025, 1)
    shutil.rmtree(args.folder, ignore_errors=True)


if __name__ == "__main__":
    main()
