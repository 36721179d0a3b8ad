"""Execute the analysis notebooks for each council in parallel worker processes.

Each worker keeps one notebook kernel for the whole run (imports and the official
statistics it reads are paid once) and executes one council's notebooks after another in
it, clearing the kernel's namespace before each notebook; parameters are injected as
papermill does. Only what changed is run: each manifest row carries the fingerprint of the
job's inputs (:mod:`carebook.fingerprint`), and a job whose fingerprint is unchanged since it
last succeeded, and whose executed notebook is still installed, is skipped (``force`` runs
everything). The synthetic extract of a council is generated once per set of inputs and
shared by its notebooks (:mod:`carebook.ssda903.cache`, in ``book/councils/.cache``).

A run never spoils the last good book:

- Notebooks are executed into a staging area, ``book/councils/.staging/<run-id>/<slug>/``.
  A council's pages are replaced only when all its notebooks have finished (succeeded or
  failed with their error notebook kept): the complete folder is renamed into place, the
  previous one moved aside and then removed, and the run manifest
  (``book/councils/manifest.csv``) is rewritten atomically with that council's rows.
- One run at a time per site: a run takes a lock on ``book/councils/.lock`` and, when
  another run holds it, says so and waits. A run that waited adds its councils to the book
  of the run it waited for (as ``keep_previous`` does), so runs started together all stay.
- SIGINT and SIGTERM stop the run within seconds: no notebook starts, running kernels are
  stopped, councils that finished are installed and the others keep their previous pages
  (:class:`Interrupted`). Workers and their kernels stop when the run's process dies.
- A folder that cannot be written or a full disk stops the run with an :class:`OutputError`
  naming the folder; what was installed before stays as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import psutil

from carebook import fingerprint, registry
from carebook.council import Council
from carebook.errors import InputError
from carebook.paths import NOTEBOOKS, site
from carebook.text import markdown_literal, redact_personal

PARAMETERS = ("council", "results_dir")
KERNEL = "python3"
MANIFEST = "manifest.csv"
STAGING = ".staging"
LOCK = ".lock"
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
"""Errors of the disk rather than of a notebook: they stop the run."""
POLL = 0.5
"""Seconds between checks for a stop request or a dead parent."""
KERNEL_START_TIMEOUT = 60
"""Seconds a worker waits for its kernel to start."""
KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)
"""A worker's kernel keeps no history of the cells it ran: writing every cell of every
notebook to one history database shared by the workers cost a twentieth of a small notebook."""
RETIRE_TIMEOUT = 10
"""Seconds a worker with nothing left to do has to stop its kernel before it is killed."""


class OutputError(InputError):
    """The book's folder cannot be written (not writable, under a file, disk full)."""


class Interrupted(Exception):
    """A run stopped by SIGINT or SIGTERM: what finished is installed, the rest is not."""

    def __init__(self, signal_name: str, outcomes: list[Outcome], installed: list[str], unfinished: list[str], total: int):
        self.signal_name = signal_name
        self.outcomes = outcomes
        self.installed = installed
        self.unfinished = unfinished
        self.total = total
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line: what finished and what did not."""
        return (f"interrupted by {self.signal_name}: {len(self.outcomes)} of {self.total} notebooks finished; "
                f"installed: {_names(self.installed)}; not finished, previous pages kept: {_names(self.unfinished)}")


def _names(slugs: Sequence[str], most: int = 8) -> str:
    """Council slugs for a one-line message (the first few, then how many more)."""
    if not slugs:
        return "none"
    shown = ", ".join(slugs[:most])
    return shown + (f" and {len(slugs) - most} more" if len(slugs) > most else "")


def output_root() -> Path:
    """Where executed notebooks go: ``<site>/book/councils``."""
    return site() / "book" / "councils"


def notebooks_dir() -> Path:
    """The source notebooks: ``$CAREBOOK_NOTEBOOKS_DIR`` or the repository's ``notebooks/``."""
    return Path(os.environ.get("CAREBOOK_NOTEBOOKS_DIR") or NOTEBOOKS)


def available_notebooks() -> list[str]:
    """The analyses whose notebooks are in the notebooks folder, in book order (the order of
    the analyses registry; a notebook it does not name last, alphabetically)."""
    return registry.notebooks_in(path.name for path in notebooks_dir().glob("*.ipynb"))


def notebook_source(name: str, folder: Path | None = None) -> Path:
    """The source notebook of analysis ``name`` (its registered notebook file)."""
    return (folder or notebooks_dir()) / registry.notebook_file(name)


def check_notebook_parameters(name: str) -> None:
    """Fail before running if the notebook's ``parameters`` cell lacks what the runner passes."""
    path = notebook_source(name)
    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise InputError("expected a code cell tagged 'parameters'", file=f"notebooks/{path.name}")
    assigned = set(re.findall(r"^(\w+)\s*=", cells[0].source, flags=re.MULTILINE))
    missing = [p for p in PARAMETERS if p not in assigned]
    if missing:
        raise InputError(
            f"the parameters cell must assign {', '.join(PARAMETERS)}; missing {', '.join(missing)}",
            file=f"notebooks/{path.name}",
        )


@dataclass(frozen=True)
class Job:
    """One notebook for one council, with the fingerprint of its inputs."""

    council_ref: str
    slug: str
    name: str
    notebook: str
    fingerprint: str = ""


@dataclass
class Outcome:
    """What happened to a job: the run manifest has one row per outcome (its columns are
    :data:`MANIFEST_COLUMNS`); ``skipped`` marks a job left as it was because nothing it
    depends on changed since it last succeeded."""

    council: str
    council_name: str
    notebook: str
    status: str
    seconds: float
    error: str
    fingerprint: str = ""
    skipped: bool = False


MANIFEST_COLUMNS = ("council", "council_name", "notebook", "status", "seconds", "error", "fingerprint")
"""The run manifest's columns: one row per council and notebook."""


def job_for(council: Council, notebook: str, shared: fingerprint.Shared | None = None) -> Job:
    """The job of ``notebook`` for ``council``, passing a reference the notebook can resolve;
    with ``shared`` (the run's shared inputs) it carries the fingerprint of its inputs."""
    ref = council.slug if council.has_own_file or council.is_group else council.codes[0]
    found = fingerprint.fingerprint(council, notebook, notebook_source(notebook), {"council": ref}, shared) if shared else ""
    return Job(ref, council.slug, council.name, notebook, found)


def storage_errno(failure: BaseException) -> int | None:
    """The errno of a full or read-only disk behind ``failure`` (also when a notebook's cell
    raised it), else None."""
    if isinstance(failure, OSError) and failure.errno in STORAGE_ERRNOS:
        return failure.errno
    found = re.match(r"\[Errno (\d+)\]", str(getattr(failure, "evalue", "")))
    if found and int(found.group(1)) in STORAGE_ERRNOS:
        return int(found.group(1))
    return None


class Kernel:
    """The notebook kernel of a worker process, started once and reused by every notebook the
    worker executes (a new one only after a kernel died). Before each notebook the kernel runs
    :func:`carebook.worker_kernel.prepare`: its namespace is cleared and its working folder
    set, so notebooks see nothing of each other but the modules already imported (and what
    they cache, such as official statistics read)."""

    PRELUDE = '__import__("carebook.worker_kernel").worker_kernel.prepare({cwd!r})'
    """The cell run before each notebook."""

    def __init__(self) -> None:
        self.manager: Any = None
        self.client: Any = None

    def ensure(self, cwd: Path) -> None:
        """Start the kernel unless one is alive."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.manager is not None and run_sync(self.manager.is_alive)():
            return
        self.stop()
        self.manager = AsyncKernelManager(kernel_name=KERNEL)
        run_sync(self.manager.start_kernel)(cwd=str(cwd), extra_arguments=list(KERNEL_OPTIONS))
        self.client = self.manager.client()
        self.client.start_channels()
        run_sync(self.client.wait_for_ready)(timeout=KERNEL_START_TIMEOUT)

    def execute(self, notebook: nbformat.NotebookNode, cwd: Path) -> None:
        """Execute ``notebook`` in the kernel, in folder ``cwd``, after clearing its namespace;
        raises what :mod:`nbclient` raises for a cell's error or a kernel that died."""
        from nbclient import NotebookClient

        self.ensure(cwd)
        notebook.cells.insert(0, nbformat.v4.new_code_cell(self.PRELUDE.format(cwd=str(cwd))))
        runner = NotebookClient(notebook, km=self.manager, kernel_name=KERNEL, timeout=None, record_timing=False)
        runner.kc = self.client
        main = threading.current_thread() is threading.main_thread()
        saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)} if main else {}
        try:
            runner.execute()
        finally:
            notebook.cells.pop(0)
            for number, handler in saved.items():  # nbclient leaves the default handlers behind
                signal.signal(number, handler)

    def stop(self) -> None:
        """Stop the kernel now (if any)."""
        from jupyter_core.utils import run_sync

        if self.client is not None:
            with suppress(Exception):
                self.client.stop_channels()
        if self.manager is not None:
            with suppress(Exception):
                run_sync(self.manager.shutdown_kernel)(now=True)
        self.manager = self.client = None


def parameterized(job: Job, source: Path | None, results: Path) -> nbformat.NotebookNode:
    """The job's notebook with its parameters injected after its ``parameters`` cell."""
    from papermill.parameterize import parameterize_notebook

    notebook = nbformat.read(notebook_source(job.notebook, source), as_version=4)
    notebook.metadata.setdefault("papermill", {"default_parameters": {}, "parameters": {}})
    for cell in notebook.cells:
        cell.metadata.setdefault("tags", [])
    return parameterize_notebook(notebook, {"council": job.council_ref, "results_dir": str(results)},
                                 kernel_name=KERNEL, language="python")


def execute(job: Job, root: Path, source: Path | None = None, kernel: Kernel | None = None) -> Outcome:
    """Run one job in ``kernel`` (a new one of its own when None) into ``root/<slug>``; a
    failure becomes a failed outcome, with the executed notebook and its error kept.

    A full or read-only disk is not the notebook's failure: it raises :class:`OSError` so
    that the run stops.
    """
    from nbclient.exceptions import CellExecutionError

    own = kernel is None
    kernel = kernel or Kernel()
    folder = root / job.slug
    results = folder / "results"
    results.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    error, notebook = "", None
    try:
        notebook = parameterized(job, source, results)
        kernel.execute(notebook, folder)
    except Exception as failure:  # noqa: BLE001 - a kernel that dies must not stop the batch
        code = storage_errno(failure)
        if code:
            raise OSError(code, os.strerror(code), str(folder)) from None
        error = (f"{failure.ename}: {failure.evalue}" if isinstance(failure, CellExecutionError)
                 else f"{type(failure).__name__}: {failure}").strip()
    finally:
        if own:
            kernel.stop()
    if notebook is not None:
        prepare_notebook(notebook, job)
        write_notebook(notebook, folder / f"{job.notebook}.ipynb")
    return Outcome(
        council=job.slug,
        council_name=job.name,
        notebook=job.notebook,
        status="failed" if error else "ok",
        seconds=round(time.perf_counter() - started, 2),
        error=redact_personal(error.splitlines()[0]) if error else "",
        fingerprint=job.fingerprint,
    )


def _log_stderr_to(path: Path) -> None:
    """Send this worker's standard error (and its kernels') to a log file, not the terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 2)
    os.close(log)


def write_notebook(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write an executed notebook (the one place the runner writes notebooks)."""
    nbformat.write(notebook, path)


def prepare_for_book(path: Path, job: Job) -> None:
    """Make the executed notebook at ``path`` ready for the book (:func:`prepare_notebook`)."""
    notebook = nbformat.read(path, as_version=4)
    prepare_notebook(notebook, job)
    write_notebook(notebook, path)


def prepare_notebook(notebook: nbformat.NotebookNode, job: Job) -> None:
    """Make an executed notebook ready for the book, in place.

    The injected parameters cell is hidden; the title names the council; figure and table
    labels get the council's slug so that labels stay unique across the whole book.
    """
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


def qualify_labels(markdown: str, slug: str) -> str:
    """Prefix ``:name:`` labels, ``(label)=`` targets and the roles that refer to them
    with the council's slug."""
    markdown = re.sub(r"^(\s*:name:\s*)(\S+)", rf"\g<1>{slug}-\g<2>", markdown, flags=re.MULTILINE)
    markdown = re.sub(r"^\(([\w-]+)\)=\s*$", rf"({slug}-\1)=", markdown, flags=re.MULTILINE)
    markdown = re.sub(r"\{(numref|ref)\}`([^`<]*<)?([^`>]+)(>?)`", rf"{{\1}}`\2{slug}-\3\4`", markdown)
    return markdown


# --- worker processes -------------------------------------------------------------------


def _kill_tree(pid: int, itself: bool = True) -> None:
    """Kill process ``pid`` (unless not ``itself``) and every process below it (its notebook
    kernels) at once; remove the kernels' connection files."""
    try:
        top = psutil.Process(pid)
        processes = top.children(recursive=True) + ([top] if itself else [])
    except psutil.Error:
        return
    for process in reversed(processes):  # the worker first: it starts no kernel after that
        try:
            command = process.cmdline()
            process.kill()
        except psutil.Error:
            continue
        connection = next((b for a, b in zip(command, command[1:]) if a == "-f" and b.endswith(".json")), None)
        if connection:
            Path(connection).unlink(missing_ok=True)


def _die_with_parent(parent: int) -> None:
    """Make this worker stop, with its kernel, when the run's process dies (even by SIGKILL).

    On Linux the kernel kills the worker at the parent's death (``PR_SET_PDEATHSIG``) and
    ipykernel stops a kernel whose parent has gone; a watchdog thread that polls the parent's
    pid kills the kernels and the worker everywhere (and covers a parent that died before
    ``prctl``).
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL)
        _kill_tree(os.getpid(), itself=False)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="carebook-parent-watchdog").start()


def _worker(root: Path, source: Path, parent: int, conn: Connection, log: Path) -> None:
    """A worker process with one kernel: it executes the batches (one council's jobs) it
    receives until it receives None, sending ``("done", outcome)`` for each job and
    ``("idle", None)`` after each batch, or ``("storage", errno)`` when the disk fails."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run's process decides what Ctrl-C stops
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _log_stderr_to(log)
    kernel = Kernel()
    try:
        for batch in iter(conn.recv, None):
            for job in batch:
                try:
                    conn.send(("done", execute(job, root, source, kernel)))
                except OSError as failure:
                    conn.send(("storage", failure.errno or errno.EIO))
                    return
                except Exception as failure:  # noqa: BLE001 - reported as the notebook's failure
                    conn.send(("done", _failed(job, f"{type(failure).__name__}: {failure}".splitlines()[0])))
            conn.send(("idle", None))
    finally:
        kernel.stop()


def _failed(job: Job, error: str) -> Outcome:
    return Outcome(job.slug, job.name, job.notebook, "failed", 0.0, error, job.fingerprint)


@dataclass
class _Running:
    """A worker process and the jobs of its batch not yet reported."""

    process: multiprocessing.process.BaseProcess
    conn: Connection
    batch: deque[Job] = field(default_factory=deque)


@dataclass
class _Stop:
    """Why the run stops early: a signal's name, or a full disk's errno."""

    signal_name: str = ""
    storage: int = 0

    def __call__(self, signum: int, frame: object) -> None:
        self.signal_name = self.signal_name or signal.Signals(signum).name

    def __bool__(self) -> bool:
        return bool(self.signal_name or self.storage)


def _start(root: Path, source: Path, log: Path) -> _Running:
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe(duplex=True)
    process = context.Process(target=_worker, args=(root, source, os.getpid(), there, log), daemon=False,
                              name="carebook worker")
    process.start()
    there.close()
    return _Running(process, here)


def _stop_all(running: Sequence[_Running]) -> None:
    """Stop running workers and their kernels at once (what they were writing is discarded)."""
    for worker in running:
        _kill_tree(worker.process.pid)
        worker.process.join()
        worker.conn.close()


def _receive(worker: _Running, stop: _Stop, finished: Callable[[Outcome], None]) -> bool:
    """Handle what ``worker`` sent; True when it is idle (its batch done), False otherwise.
    A worker that died without finishing its batch fails the jobs left."""
    while not stop:  # once stopping, nothing more is recorded (a kernel Ctrl-C interrupted is not done)
        try:
            if not worker.conn.poll():
                break
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            break
        if kind == "done":
            if worker.batch:
                worker.batch.popleft()
            finished(payload)
        elif kind == "storage":
            stop.storage = stop.storage or payload
            return False
        else:
            return True
    if not worker.process.is_alive():
        worker.process.join()
        while worker.batch and not stop:
            finished(_failed(worker.batch.popleft(), "the notebook's process stopped unexpectedly "
                                                     f"(exit status {worker.process.exitcode})"))
    return False


def _execute_all(batches: Sequence[Sequence[Job]], root: Path, source: Path, jobs: int, stop: _Stop,
                 finished: Callable[[Outcome], None], logs: Path) -> None:
    """Run ``batches`` (each one council's jobs, executed in turn in one kernel) in at most
    ``jobs`` worker processes, each with its own kernel, until done or asked to stop."""
    pending, running, retired, started = deque(batches), [], [], 0

    def assign(worker: _Running) -> None:
        if pending and not stop:
            worker.batch = deque(pending.popleft())
            worker.conn.send(list(worker.batch))
        else:  # nothing left: the worker stops its kernel and ends
            worker.conn.send(None)
            running.remove(worker)
            retired.append(worker)

    try:
        while running or (pending and not stop):
            while pending and len(running) < max(1, jobs) and not stop:
                started += 1
                running.append(_start(root, source, logs / f"worker-{started}.log"))
                assign(running[-1])
            ready = set(wait([w.process.sentinel for w in running] + [w.conn for w in running], timeout=POLL))
            for worker in [w for w in running if w.conn in ready or w.process.sentinel in ready]:
                if _receive(worker, stop, finished):
                    assign(worker)
                elif not worker.process.is_alive() and worker in running:
                    running.remove(worker)
                    worker.conn.close()
                if stop:
                    break
            if stop:
                break
    finally:
        if not stop:
            for worker in retired:
                worker.process.join(timeout=RETIRE_TIMEOUT)
        _stop_all(running + retired)


# --- the run ------------------------------------------------------------------------------


@contextmanager
def _writing(folder: Path) -> Iterator[None]:
    """Turn a failure to write under ``folder`` into one clear :class:`OutputError`."""
    try:
        yield
    except OSError as failure:
        raise _output_error(folder, failure.errno, failure.strerror or str(failure)) from None


def _output_error(folder: Path, code: int | None, reason: str | None = None) -> OutputError:
    reason = (reason or os.strerror(code or 0)).lower()
    return OutputError(f"cannot write the executed notebooks here: {reason}; the pages installed before are unchanged",
                       file=str(folder))


@contextmanager
def run_lock(root: Path, waiting: Callable[[str], None]) -> Iterator[bool]:
    """Hold the run lock of ``root``; yield whether this run had to wait for another one."""
    with _writing(root):
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / LOCK, "a+")  # noqa: SIM115 - held for the whole run
    with handle:
        waited = False
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"carebook: another carebook run is using {root.parent.parent}; waiting")
            fcntl.flock(handle, fcntl.LOCK_EX)
            waited = True
        try:
            yield waited
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(root: Path) -> None:
    """Clear what runs that died left in the staging area (call under the run lock).

    A council folder moved aside by a run that died before it renamed the new one in is put
    back; everything else in the staging area is removed.
    """
    staging = root / STAGING
    for aside in staging.glob("*/previous/*"):
        if not (root / aside.name).exists():
            aside.rename(root / aside.name)
    shutil.rmtree(staging, ignore_errors=True)


def unchanged(job: Job, previous: pd.DataFrame, root: Path) -> Outcome | None:
    """The manifest row of ``job``'s last run as an outcome when it can be skipped: that run
    succeeded, its fingerprint is the job's and its executed notebook is still installed."""
    if not job.fingerprint:
        return None
    rows = previous[(previous["council"] == job.slug) & (previous["notebook"] == job.notebook)]
    if rows.empty or not (root / job.slug / f"{job.notebook}.ipynb").is_file():
        return None
    row = rows.iloc[-1]
    if row["status"] != "ok" or row["fingerprint"] != job.fingerprint:
        return None
    return Outcome(job.slug, str(row["council_name"]), job.notebook, "ok", float(row["seconds"]), "",
                   job.fingerprint, skipped=True)


@dataclass
class _Book:
    """The installed book during a run: the manifest rows it started from, the staging folder,
    the outcomes so far (and those skipped as unchanged), and how councils are installed as
    they finish."""

    root: Path
    run_dir: Path
    previous: pd.DataFrame
    keep_previous: bool
    order: dict[tuple[str, str], int]
    installed: list[Outcome] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    left: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, list[Outcome]] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path, work: Sequence[Job], keep_previous: bool, force: bool = False) -> _Book:
        """Clear what dead runs left (under the run lock) and make this run's staging folder;
        unless ``force``, the jobs whose inputs have not changed since they last succeeded
        are skipped (their rows kept)."""
        with _writing(root):
            recover(root)
            run_dir = root / STAGING / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
            run_dir.mkdir(parents=True)
        book = cls(root, run_dir, read_manifest(root), keep_previous, {(j.slug, j.notebook): i for i, j in enumerate(work)})
        for job in work:
            kept = None if force else unchanged(job, book.previous, root)
            if kept:
                book.skipped.setdefault(job.slug, []).append(kept)
            else:
                book.left[job.slug] = book.left.get(job.slug, 0) + 1
        for slug, kept in book.skipped.items():
            if slug not in book.left:  # nothing of this council runs: its pages stay as they are
                book.installed.extend(kept)
        return book

    def to_run(self, work: Sequence[Job]) -> list[list[Job]]:
        """The jobs of ``work`` that are not skipped, one batch per council in run order."""
        skipped = {(o.council, o.notebook) for kept in self.skipped.values() for o in kept}
        batches: dict[str, list[Job]] = {}
        for job in work:
            if (job.slug, job.notebook) not in skipped:
                batches.setdefault(job.slug, []).append(job)
        return list(batches.values())

    def record(self, outcome: Outcome) -> None:
        """Note a finished notebook; install its council when it was the council's last."""
        self.outcomes.append(outcome)
        self.left[outcome.council] -= 1
        if not self.left[outcome.council]:
            self.install(outcome.council, [o for o in self.outcomes if o.council == outcome.council])

    def conclude(self, stop: _Stop, prune: bool, retain: Sequence[str]) -> list[Outcome]:
        """After the workers: raise what stopped the run, or (with ``prune``) leave only this
        run's councils and the ``retain`` ones in the manifest; the outcomes in run order
        (the skipped ones included)."""
        if stop.storage:
            raise _output_error(self.root, stop.storage)
        if stop.signal_name:
            unfinished = [slug for slug, count in self.left.items() if count]
            installed = [slug for slug, count in self.left.items() if not count]
            raise Interrupted(stop.signal_name, self.outcomes, installed, unfinished, len(self.order) - self.n_skipped)
        if prune:
            with _writing(self.root):
                os.replace(_write_csv(self.manifest(prune=True, retain=retain), self.run_dir / MANIFEST), self.root / MANIFEST)
        return sorted(self.installed, key=lambda o: self.order[(o.council, o.notebook)])

    @property
    def n_skipped(self) -> int:
        """How many jobs are skipped as unchanged."""
        return sum(len(kept) for kept in self.skipped.values())

    def close(self) -> None:
        """Remove this run's staging folder (and the staging area when it is empty)."""
        shutil.rmtree(self.run_dir, ignore_errors=True)
        with suppress(OSError):
            self.run_dir.parent.rmdir()

    def manifest(self, prune: bool, retain: Sequence[str] = ()) -> pd.DataFrame:
        """This run's installed rows in run order, after the previous rows they do not replace
        (with ``prune``, only the previous rows of the ``retain`` councils are kept)."""
        ordered = sorted(self.installed, key=lambda o: self.order[(o.council, o.notebook)])
        current = pd.DataFrame([{c: getattr(o, c) for c in MANIFEST_COLUMNS} for o in ordered], columns=list(MANIFEST_COLUMNS))
        previous = self.previous
        if prune:
            previous = previous[previous["council"].isin(retain)]
        if self.keep_previous:
            replaced = pd.Series(list(zip(previous["council"], previous["notebook"])), index=previous.index, dtype=object)
            replaced = replaced.isin(set(zip(current["council"], current["notebook"])))
        else:
            replaced = previous["council"].isin(set(current["council"]))
        return pd.concat([previous[~replaced], current], ignore_index=True) if len(previous) else current

    def install(self, slug: str, outcomes: Sequence[Outcome]) -> None:
        """Replace council ``slug``'s pages by its staged folder and record its outcomes (and
        those of its notebooks skipped as unchanged, whose pages are carried over)."""
        staged, target = self.run_dir / slug, self.root / slug
        kept = self.skipped.get(slug, [])
        with _writing(self.root):
            if (self.keep_previous or kept) and target.is_dir():
                merged = self.run_dir / "merged" / slug
                shutil.copytree(target, merged)
                shutil.copytree(staged, merged, dirs_exist_ok=True)
                staged = merged
            self.installed.extend([*outcomes, *kept])
            pending = _write_csv(self.manifest(prune=False), self.run_dir / MANIFEST)
            aside = self.run_dir / "previous" / slug
            if target.exists():
                aside.parent.mkdir(exist_ok=True)
                target.rename(aside)
            staged.rename(target)
            os.replace(pending, self.root / MANIFEST)
            shutil.rmtree(aside, ignore_errors=True)


def _write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write ``table`` to ``path`` and flush it to disk."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        table.to_csv(out, index=False)
        out.flush()
        os.fsync(out.fileno())
    return path


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def _stop_on_signals(stop: _Stop) -> Iterator[None]:
    """While running, SIGINT and SIGTERM ask the run to stop (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def run(
    councils: Sequence[Council],
    notebooks: Sequence[str],
    jobs: int = 1,
    root: Path | None = None,
    keep_previous: bool = False,
    progress: Callable[[Outcome], None] | None = None,
    retain: Sequence[str] = (),
    waiting: Callable[[str], None] = _say,
    force: bool = False,
    planned: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Execute every notebook for every council in ``jobs`` processes and install the results.

    Each worker process keeps one kernel and executes a council's notebooks one after the
    other in it (its namespace cleared between them). Each council is installed (its folder
    replaced, its manifest rows written) as soon as all its notebooks have finished. A
    notebook whose inputs have not changed since it last succeeded (:mod:`carebook.fingerprint`)
    and whose executed notebook is still installed is skipped and its row kept, unless
    ``force``; ``planned(to_run, skipped)`` is told how many of each before anything runs.
    At the end of a complete run the manifest lists this run's councils only, unless
    ``keep_previous`` (earlier outcomes of other councils or notebooks stay, and a council's
    other notebooks are kept) or this run waited for another one; ``retain`` names councils
    whose earlier rows stay anyway (e.g. a council whose file could not be read). Returns the
    outcomes in run order, the skipped ones (``Outcome.skipped``) included. Raises
    :class:`Interrupted` after SIGINT or SIGTERM and :class:`OutputError` when the folder
    cannot be written or the disk is full.
    """
    root = root or output_root()
    source = notebooks_dir()
    if not councils or not notebooks:
        raise InputError("nothing to run: expected at least one council and one notebook", where="carebook run")
    for name in notebooks:
        check_notebook_parameters(name)
    shared = fingerprint.Shared.now()
    work = [job_for(c, n, shared) for c in councils for n in notebooks]
    import nbclient  # noqa: F401 - imported once here, inherited by every forked worker
    import papermill.parameterize  # noqa: F401

    def finished(outcome: Outcome) -> None:
        book.record(outcome)
        if progress:
            progress(outcome)

    with run_lock(root, waiting) as waited, _extract_cache(root):
        book = _Book.open(root, work, keep_previous, force)
        batches = book.to_run(work)
        if planned:
            planned(sum(map(len, batches)), book.n_skipped)
        stop = _Stop()
        try:
            with _stop_on_signals(stop):
                _execute_all(batches, book.run_dir, source, jobs, stop, finished, book.run_dir / "logs")
            return book.conclude(stop, prune=not (keep_previous or waited), retain=retain)
        finally:
            book.close()


EXTRACT_CACHE = ".cache/ssda903"
"""Where a run's workers keep the synthetic extracts they generate (under the output root)."""


@contextmanager
def _extract_cache(root: Path) -> Iterator[None]:
    """While running, the workers' kernels share the synthetic extracts in ``root/.cache``."""
    from carebook.ssda903.cache import ENVIRONMENT

    saved = os.environ.get(ENVIRONMENT)
    os.environ[ENVIRONMENT] = str(root / EXTRACT_CACHE)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(ENVIRONMENT, None)
        else:
            os.environ[ENVIRONMENT] = saved


def write_manifest(root: Path, outcomes: Sequence[Outcome], previous: pd.DataFrame) -> Path:
    """Write the run manifest as CSV (one row per council and notebook), atomically; the
    ``previous`` rows of other councils or notebooks stay."""
    with _writing(root):
        root.mkdir(parents=True, exist_ok=True)
        book = _Book(root, root, previous, True, {(o.council, o.notebook): i for i, o in enumerate(outcomes)}, list(outcomes))
        path = root / MANIFEST
        temporary = _write_csv(book.manifest(prune=False), root / f".{MANIFEST}.{os.getpid()}.tmp")
        os.replace(temporary, path)
    return path


def read_manifest(root: Path | None = None) -> pd.DataFrame:
    """The last run's manifest (empty when nothing has been run); a manifest written before
    runs kept fingerprints reads with none (its notebooks run again)."""
    path = (root or output_root()) / MANIFEST
    if not path.exists():
        return pd.DataFrame(columns=list(MANIFEST_COLUMNS))
    table = pd.read_csv(path, dtype={"error": str, "fingerprint": str}, keep_default_na=False)
    if "fingerprint" not in table.columns:
        table["fingerprint"] = ""
    return table


def headlines(slug: str, root: Path | None = None) -> list[dict]:
    """The headline figures a council's notebooks recorded (``results/headlines_*.json``)."""
    folder = (root or output_root()) / slug / "results"
    return [entry for path in sorted(folder.glob("headlines_*.json")) for entry in json.loads(path.read_text())]
