"""Benchmark: the sufficiency notebook for every English council, then the HTML book.

Builds in its own site (``_build/all-england``) so the book of the default councils is left
as it is. Prints the wall-clock time of the run and of the build, and the per-notebook median
from the run manifest. Nothing is asserted: the figures are for the record.

    .venv/bin/python benchmarks/all_england.py --jobs 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    options.add_argument("--notebooks", default="sufficiency")
    options.add_argument("--site", type=Path, default=ROOT / "_build" / "all-england")
    args = options.parse_args()
    env = {**os.environ, "CAREBOOK_SITE": str(args.site)}
    carebook = str(Path(sys.executable).parent / "carebook")

    started = time.perf_counter()
    run = subprocess.run([carebook, "run", "--all-england", "--notebooks", args.notebooks, "--jobs", str(args.jobs), "--quiet"], env=env, check=False)
    ran = time.perf_counter() - started
    build = subprocess.run([carebook, "build"], env=env, check=False)
    built = time.perf_counter() - started - ran

    import pandas as pd

    manifest = pd.read_csv(args.site / "book" / "councils" / "manifest.csv", keep_default_na=False)
    ok = (manifest["status"] == "ok").sum()
    print(f"councils: {manifest['council'].nunique()}, notebooks: {len(manifest)}, succeeded: {ok}, jobs: {args.jobs}")
    print(f"run: {ran:.0f} s; HTML build: {built:.0f} s; total: {ran + built:.0f} s ({(ran + built) / 60:.1f} min)")
    print(f"per notebook: median {manifest['seconds'].median():.1f} s, max {manifest['seconds'].max():.1f} s")
    for row in manifest[manifest["status"] != "ok"].itertuples():
        print(f"FAILED {row.council}/{row.notebook}: {row.error}")
    return run.returncode or build.returncode


if __name__ == "__main__":
    sys.exit(main())
