"""Benchmark: every English council's notebooks, the HTML book, and a second run with nothing
changed, with where the time goes.

Builds in its own site (``_build/all-england``) so the book of the default councils is left
as it is. Prints, in one run:

- the floor: an empty notebook (its parameters cell alone) executed in a new kernel, as each
  notebook was when every notebook started its own kernel, and in a kernel already running,
  as a run's workers now execute them;
- kernel start (a new kernel ready) and the imports of the notebooks (carebook's page and
  analysis modules, pandas, altair) in it;
- the run of every council (wall clock), the per-notebook median (from the run manifest) and
  its ratio to the floor, the median of each notebook and the slowest;
- the HTML build (wall clock), and a second run and build with nothing changed (every
  notebook skipped, no page read or written again).

Nothing is asserted: the figures are for the record. ``--fresh`` starts from an empty site.

    .venv/bin/python benchmarks/all_england.py --notebooks sufficiency,flow_model,volume_sizing,cost_benefit --jobs 2
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = ("from carebook import notebook, registry\n"
           "for analysis in registry.analyses():\n"
           "    registry.analysis_module(analysis.name), registry.page_module(analysis.name)")
"""What the notebooks import, every registered analysis's contract (timed in a new kernel)."""


def _empty_notebook(folder: Path) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell('council = "nottingham"\nresults_dir = "results"')
    cell.metadata["tags"] = ["parameters"]
    notebook.cells = [cell]
    path = folder / "empty.ipynb"
    nbformat.write(notebook, path)
    return path


def floor(repeats: int = 3) -> dict[str, float]:
    """Median seconds of an empty notebook in a new kernel and in a running one, of starting a
    kernel, and of the notebooks' imports in a new kernel."""
    import nbformat
    from nbclient import NotebookClient

    from carebook import runner

    with tempfile.TemporaryDirectory(prefix="carebook-floor-") as scratch:
        folder = Path(scratch)
        _empty_notebook(folder)
        job = runner.Job("nottingham", "nottingham", "Nottingham", "empty")
        registry_file = runner.registry.notebook_file
        runner.registry.notebook_file = lambda name: f"{name}.ipynb"  # the empty notebook is not registered
        try:
            cold = [runner.execute(job, folder / "out", folder).seconds for _ in range(repeats)]
            kernel = runner.Kernel()
            starts, warm = [], []
            try:
                for _ in range(repeats):
                    kernel.stop()
                    started = time.perf_counter()
                    kernel.ensure(folder)
                    starts.append(time.perf_counter() - started)
                for _ in range(repeats):
                    warm.append(runner.execute(job, folder / "out", folder, kernel).seconds)
                kernel.stop()
                kernel.ensure(folder)
                imports = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(IMPORTS)])
                started = time.perf_counter()
                client = NotebookClient(imports, km=kernel.manager, kernel_name=runner.KERNEL, timeout=None)
                client.kc = kernel.client
                client.execute()
                imported = time.perf_counter() - started
            finally:
                kernel.stop()
        finally:
            runner.registry.notebook_file = registry_file
    return {"cold": statistics.median(cold), "warm": statistics.median(warm),
            "kernel_start": statistics.median(starts), "imports": imported}


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send this process's standard error (and its kernels') to /dev/null meanwhile."""
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(null)
        os.close(saved)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=False)
    return time.perf_counter() - started, done.returncode


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    options.add_argument("--notebooks", default="sufficiency,flow_model,volume_sizing,cost_benefit")
    options.add_argument("--site", type=Path, default=ROOT / "_build" / "all-england")
    options.add_argument("--fresh", action="store_true", help="start from an empty site (no earlier run to skip)")
    args = options.parse_args()
    if args.fresh and args.site.exists():
        shutil.rmtree(args.site)
    env = {**os.environ, "CAREBOOK_SITE": str(args.site)}
    carebook = str(Path(sys.executable).parent / "carebook")
    run = [carebook, "run", "--all-england", "--notebooks", args.notebooks, "--jobs", str(args.jobs), "--quiet"]

    with quiet_stderr():  # the kernels' start-up warnings
        measured = floor()
    ran, run_status = timed(run, env)
    built, build_status = timed([carebook, "build", "--jobs", str(args.jobs)], env)
    again, _ = timed(run, env)
    rebuilt, _ = timed([carebook, "build", "--jobs", str(args.jobs)], env)

    import pandas as pd

    manifest = pd.read_csv(args.site / "book" / "councils" / "manifest.csv", keep_default_na=False)
    ok = (manifest["status"] == "ok").sum()
    median = manifest["seconds"].median()
    print(f"councils: {manifest['council'].nunique()}, notebooks: {len(manifest)}, succeeded: {ok}, jobs: {args.jobs}")
    print(f"floor: empty notebook {measured['cold']:.2f} s in a new kernel, {measured['warm']:.2f} s in a running kernel")
    print(f"kernel start: {measured['kernel_start']:.2f} s; the notebooks' imports in a new kernel: {measured['imports']:.2f} s")
    print(f"per notebook: median {median:.2f} s ({median / measured['cold']:.2f} x the empty notebook in a new kernel, "
          f"{median / max(measured['warm'], 0.01):.1f} x in a running kernel), max {manifest['seconds'].max():.1f} s")
    by_notebook = manifest.groupby("notebook", sort=False)["seconds"].median()
    print("median by notebook: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in by_notebook.items()))
    print(f"run: {ran:.0f} s; HTML build: {built:.0f} s; total: {ran + built:.0f} s ({(ran + built) / 60:.1f} min)")
    print(f"second run, nothing changed: {again:.1f} s; second HTML build: {rebuilt:.1f} s")
    for row in manifest[manifest["status"] != "ok"].itertuples():
        print(f"FAILED {row.council}/{row.notebook}: {row.error}")
    return run_status or build_status


if __name__ == "__main__":
    sys.exit(main())
