"""The synthetic extract of a council, generated once per set of inputs and shared by the
notebooks of a run.

The key is the fingerprint of what the generator reads: the council (its parameters,
including the ``ssda903`` section's years and seed), the package (version, source and
reference data) and the listing of the official statistics folder it calibrates to
(:mod:`carebook.fingerprint`). Within a process the last extracts are kept in memory; the
runner also names a folder in ``CAREBOOK_EXTRACT_CACHE`` (in the run's output folder, never
in the repository) where each extract is written once, atomically, for the other notebooks
and worker processes of the run and of later runs; it keeps the latest extract of each
council only. Every call returns a fresh copy, so a
notebook that changes its extract's frames cannot change another's.

The files are pickles written by carebook itself into the book's own output folder; they
hold synthetic children only (a council's own extract is never cached).
"""

from __future__ import annotations

import os
import pickle
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from carebook.council import Council
from carebook.fingerprint import digest, listing_digest, process_package_digest
from carebook.ssda903.extract import Extract

ENVIRONMENT = "CAREBOOK_EXTRACT_CACHE"
"""The folder of cached synthetic extracts (set by the runner for its workers)."""
KEPT_IN_MEMORY = 4
"""Extracts kept in memory by one process (a council's notebooks run one after another)."""

_memory: OrderedDict[str, bytes] = OrderedDict()


def extract_key(council: Council, public_data: Path) -> str:
    """The fingerprint of the synthetic extract's inputs: the council, the package and the
    listing of the official statistics folder ``public_data``."""
    return digest(["ssda903-synthetic", council.model_dump_json(), process_package_digest(), listing_digest(public_data)])


def cache_dir() -> Path | None:
    """The folder of cached extracts named by :data:`ENVIRONMENT` (None: memory only)."""
    configured = os.environ.get(ENVIRONMENT)
    return Path(configured) if configured else None


def cached_extract(key: str, make: Callable[[], Extract], folder: Path | None = None, name: str = "extract") -> Extract:
    """The extract of ``key``: from memory, else from ``folder/<name>-<key>.pickle``, else
    ``make()`` (then kept in memory and written to ``folder`` through a temporary file and a
    rename). The folder keeps one extract per ``name`` (a council): writing a new one removes
    that council's older ones, so the cache never outgrows one extract per council."""
    data = _memory.get(key)
    path = folder / f"{name}-{key}.pickle" if folder else None
    if data is None and path is not None and path.is_file():
        data = path.read_bytes()
    if data is None:
        data = pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL)
        if path is not None:
            _write_atomically(path, data)
            for older in path.parent.glob(f"{name}-*.pickle"):
                if older != path:
                    older.unlink(missing_ok=True)
    _memory[key] = data
    _memory.move_to_end(key)
    while len(_memory) > KEPT_IN_MEMORY:
        _memory.popitem(last=False)
    return pickle.loads(data)  # noqa: S301 - written above by this package, in the run's own folder


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder; a folder that
    cannot be written leaves the extract uncached (the page does not depend on the cache)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def synthetic_extract(council: Council) -> Extract:
    """The deterministic synthetic extract of ``council`` (over its ``ssda903`` years and
    seed), generated once per set of inputs (:func:`cached_extract`)."""
    from carebook.public import data_dir
    from carebook.ssda903.synth import generate

    params = council.ssda903
    return cached_extract(
        extract_key(council, data_dir()),
        lambda: generate(council, params.synth_start_year, params.synth_end_year, params.seed),
        cache_dir(),
        council.slug,
    )


def clear_memory() -> None:
    """Forget the extracts kept in memory (the files stay)."""
    _memory.clear()
