"""Execute the analysis notebooks for each council with papermill, in parallel processes.

Each council's executed notebooks go to ``book/councils/<slug>/`` with their tidy results in
``results/``. A notebook that fails keeps its error notebook and is recorded in the run
manifest; it never stops or spoils the other councils.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
import pandas as pd

from carebook.errors import InputError
from carebook.params import Council
from carebook.paths import NOTEBOOKS, site
from carebook.text import markdown_literal

NOTEBOOK_ORDER = ("sufficiency", "flow_model", "volume_sizing", "cost_benefit")
"""The analyses in the order the book presents them."""
PARAMETERS = ("council", "results_dir")
KERNEL = "python3"
MANIFEST = "manifest.csv"


def output_root() -> Path:
    """Where executed notebooks go: ``<site>/book/councils``."""
    return site() / "book" / "councils"


def available_notebooks() -> list[str]:
    """Names of the source notebooks, in book order (unknown ones last, alphabetically)."""
    names = {path.stem for path in NOTEBOOKS.glob("*.ipynb")}
    ordered = [n for n in NOTEBOOK_ORDER if n in names]
    return ordered + sorted(names - set(ordered))


def check_notebook_parameters(name: str) -> None:
    """Fail before running if the notebook's ``parameters`` cell lacks what the runner passes."""
    path = NOTEBOOKS / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise InputError("expected a code cell tagged 'parameters'", file=f"notebooks/{name}.ipynb")
    assigned = set(re.findall(r"^(\w+)\s*=", cells[0].source, flags=re.MULTILINE))
    missing = [p for p in PARAMETERS if p not in assigned]
    if missing:
        raise InputError(
            f"the parameters cell must assign {', '.join(PARAMETERS)}; missing {', '.join(missing)}",
            file=f"notebooks/{name}.ipynb",
        )


@dataclass(frozen=True)
class Job:
    """One notebook for one council."""

    council_ref: str
    slug: str
    name: str
    notebook: str


@dataclass
class Outcome:
    """What happened to a job: the run manifest has one row per outcome."""

    council: str
    council_name: str
    notebook: str
    status: str
    seconds: float
    error: str


def job_for(council: Council, notebook: str) -> Job:
    """The job of ``notebook`` for ``council``, passing a reference the notebook can resolve."""
    ref = council.slug if council.has_own_file else council.codes[0]
    return Job(ref, council.slug, council.name, notebook)


def execute(job: Job, root: Path) -> Outcome:
    """Run one job with papermill; any failure becomes a failed outcome, never an exception."""
    import papermill

    folder = root / job.slug
    results = folder / "results"
    results.mkdir(parents=True, exist_ok=True)
    output = folder / f"{job.notebook}.ipynb"
    started = time.perf_counter()
    error = ""
    try:
        _log_stderr_to(folder / "logs" / f"{job.notebook}.log")
        papermill.execute_notebook(
            str(NOTEBOOKS / f"{job.notebook}.ipynb"),
            str(output),
            parameters={"council": job.council_ref, "results_dir": str(results)},
            kernel_name=KERNEL,
            cwd=str(folder),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,  # write the notebook once, at the end
        )
    except papermill.PapermillExecutionError as failure:
        error = f"{failure.ename}: {failure.evalue}".strip()
    except Exception as failure:  # noqa: BLE001 - a kernel that dies must not stop the batch
        error = f"{type(failure).__name__}: {failure}"
    if output.exists():
        prepare_for_book(output, job)
    return Outcome(
        council=job.slug,
        council_name=job.name,
        notebook=job.notebook,
        status="failed" if error else "ok",
        seconds=round(time.perf_counter() - started, 2),
        error=error.splitlines()[0] if error else "",
    )


def _log_stderr_to(path: Path) -> None:
    """Send this worker's standard error (and its kernels') to a log file, not the terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 2)
    os.close(log)


def prepare_for_book(path: Path, job: Job) -> None:
    """Make an executed notebook ready for the book.

    The injected parameters cell is hidden; the title names the council; figure and table
    labels get the council's slug so that labels stay unique across the whole book.
    """
    notebook = nbformat.read(path, as_version=4)
    titled = False
    for cell in notebook.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
        if cell.cell_type != "markdown":
            continue
        cell.source = qualify_labels(cell.source, job.slug)
        if not titled and cell.source.lstrip().startswith("# "):
            first, _, rest = cell.source.lstrip().partition("\n")
            cell.source = f"{first}: {markdown_literal(job.name)}\n{rest}"
            titled = True
    nbformat.write(notebook, path)


def qualify_labels(markdown: str, slug: str) -> str:
    """Prefix ``:name:`` labels and the roles that refer to them with the council's slug."""
    markdown = re.sub(r"^(\s*:name:\s*)(\S+)", rf"\g<1>{slug}-\g<2>", markdown, flags=re.MULTILINE)
    markdown = re.sub(r"\{(numref|ref)\}`([^`<]*<)?([^`>]+)(>?)`", rf"{{\1}}`\2{slug}-\3\4`", markdown)
    return markdown


def run(
    councils: Sequence[Council],
    notebooks: Sequence[str],
    jobs: int = 1,
    root: Path | None = None,
    keep_previous: bool = False,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Execute every notebook for every council in ``jobs`` processes; write the manifest.

    The manifest (``book/councils/manifest.csv``) lists this run's councils; with
    ``keep_previous`` earlier outcomes of other councils or notebooks stay in it.
    """
    root = root or output_root()
    for name in notebooks:
        check_notebook_parameters(name)
    work = [job_for(c, n) for c in councils for n in notebooks]
    previous = read_manifest(root) if keep_previous else pd.DataFrame()
    if not keep_previous:
        for council in councils:
            shutil.rmtree(root / council.slug, ignore_errors=True)
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(execute, job, root) for job in work]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    order = {(j.slug, j.notebook): i for i, j in enumerate(work)}
    outcomes.sort(key=lambda o: order[(o.council, o.notebook)])
    write_manifest(root, outcomes, previous)
    return outcomes


def write_manifest(root: Path, outcomes: Sequence[Outcome], previous: pd.DataFrame) -> Path:
    """Write the run manifest as CSV (one row per council and notebook)."""
    root.mkdir(parents=True, exist_ok=True)
    current = pd.DataFrame([asdict(o) for o in outcomes], columns=list(Outcome.__dataclass_fields__))
    if not previous.empty:
        done = set(zip(current["council"], current["notebook"]))
        keep = ~pd.Series(list(zip(previous["council"], previous["notebook"])), index=previous.index).isin(done)
        current = pd.concat([previous[keep], current], ignore_index=True)
    path = root / MANIFEST
    current.to_csv(path, index=False)
    return path


def read_manifest(root: Path | None = None) -> pd.DataFrame:
    """The last run's manifest (empty when nothing has been run)."""
    path = (root or output_root()) / MANIFEST
    if not path.exists():
        return pd.DataFrame(columns=list(Outcome.__dataclass_fields__))
    return pd.read_csv(path, dtype={"error": str}, keep_default_na=False)


def headlines(slug: str, root: Path | None = None) -> list[dict]:
    """The headline figures a council's notebooks recorded (``results/headlines_*.json``)."""
    folder = (root or output_root()) / slug / "results"
    return [entry for path in sorted(folder.glob("headlines_*.json")) for entry in json.loads(path.read_text())]
