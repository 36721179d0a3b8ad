"""Fingerprints of what a notebook's pages for a council depend on, so that a run re-executes
only what changed.

A fingerprint is a short hash of:

- the council: its council file's contents (none for a council on national defaults) and its
  resolved parameters;
- the notebook's contents;
- the package: its version, the source of ``src/carebook`` and the reference data of
  ``data/reference`` (file contents), and the repository council file whose programme the
  illustrative cost-benefit appraisal borrows, for a council that has no programme of its own;
- the data it reads: the listing of the official statistics folder (names, sizes and
  modification times) and of the council's own SSDA903 extract when its file names one;
- the parameters: those the runner passes and the ``CAREBOOK_*`` environment the notebooks
  read (all but the site, which says where the pages go, not what they hold).

The package, data-folder and environment parts are the same for every job of a run
(:class:`Shared`, computed once); only the council's and the notebook's are read per job.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from carebook import __version__
from carebook.council import Council
from carebook.paths import DATA, REFERENCE, ROOT

PACKAGE = Path(__file__).resolve().parent
"""The source of the package (``src/carebook``)."""
PROGRAMME_FILE = DATA / "councils" / "rotherham.yml"
"""The repository's council file whose service cost lines the illustrative cost-benefit
appraisal uses (:data:`carebook.cost_benefit.illustrative.PROGRAMME_COUNCIL`)."""
IGNORED_ENVIRONMENT = frozenset({"CAREBOOK_SITE", "CAREBOOK_EXTRACT_CACHE"})
"""``CAREBOOK_*`` variables that say where outputs go, not what they hold."""


def digest(parts: Iterable[str | bytes]) -> str:
    """A short hex digest (16 characters of SHA-256) of ``parts`` in order."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "little"))
        hashed.update(data)
    return hashed.hexdigest()[:16]


def file_digest(path: Path) -> str:
    """The digest of a file's contents ("" when it does not exist)."""
    try:
        return digest([path.read_bytes()])
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ""


def _files(folder: Path, pattern: str) -> list[Path]:
    """The files under ``folder`` matching ``pattern``, in a fixed order (caches left out)."""
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def contents_digest(folder: Path, pattern: str = "*") -> str:
    """The digest of the names and contents of the files under ``folder``."""
    parts: list[str | bytes] = []
    for path in _files(folder, pattern):
        parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(parts)


def listing_digest(folder: Path) -> str:
    """The digest of the listing of ``folder`` (each file's relative name, size and
    modification time in nanoseconds), without reading the files: a file replaced, grown or
    touched changes it. "" when the folder does not exist; a single file lists itself."""
    folder = Path(folder)
    if folder.is_file():
        stat = folder.stat()
        return digest([folder.name, str(stat.st_size), str(stat.st_mtime_ns)])
    if not folder.is_dir():
        return ""
    parts: list[str] = []
    for path in _files(folder, "*"):
        stat = path.stat()
        parts += [path.relative_to(folder).as_posix(), str(stat.st_size), str(stat.st_mtime_ns)]
    return digest(parts)


def package_digest() -> str:
    """The package's version, its source files and the reference data it reads."""
    return digest([__version__, contents_digest(PACKAGE, "*.py"), contents_digest(REFERENCE)])


@functools.cache
def process_package_digest() -> str:
    """:func:`package_digest` read once per process: what a build or a kernel's extract cache
    keys its outputs on (the package does not change under a running process)."""
    return package_digest()


def environment(variables: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``CAREBOOK_*`` variables a notebook's kernel sees that can change its pages."""
    variables = os.environ if variables is None else variables
    return {k: v for k, v in sorted(variables.items()) if k.startswith("CAREBOOK_") and k not in IGNORED_ENVIRONMENT}


@dataclass(frozen=True)
class Shared:
    """The inputs every job of a run shares: the package and the official statistics."""

    package: str
    public_data: str
    environment: str

    @classmethod
    def now(cls, public_data: Path | None = None) -> Shared:
        """The shared inputs as they are now (``public_data``: the official statistics folder)."""
        if public_data is None:
            from carebook.public import data_dir

            public_data = data_dir()
        return cls(package_digest(), listing_digest(public_data), digest([json.dumps(environment())]))


def council_file(council: Council) -> Path | None:
    """The council's own file (None for a council on national defaults)."""
    if not council.source_file:
        return None
    path = Path(council.source_file)
    return path if path.is_absolute() else ROOT / path


def extract_folder(council: Council) -> Path | None:
    """The council's own SSDA903 extract named in its file (None for a synthetic extract)."""
    section = getattr(council, "ssda903", None)
    if section is None or section.path is None:
        return None
    folder = Path(section.path).expanduser()
    return folder if folder.is_absolute() else ROOT / folder


def council_digest(council: Council) -> str:
    """The council's file contents, resolved parameters and own extract's listing."""
    own = council_file(council)
    extract = extract_folder(council)
    return digest([
        file_digest(own) if own else "",
        council.model_dump_json(),
        listing_digest(extract) if extract else "",
    ])


def borrowed_files(council: Council, notebook: str) -> list[Path]:
    """Files of other councils a notebook reads for ``council``: the illustrative cost-benefit
    appraisal's programme for a council with no programme of its own."""
    if notebook == "cost_benefit" and getattr(council, "cost_benefit", None) is None:
        return [PROGRAMME_FILE]
    return []


def fingerprint(council: Council, notebook: str, notebook_file: Path, parameters: Mapping[str, str],
                shared: Shared) -> str:
    """The fingerprint of ``notebook`` (its source ``notebook_file``) for ``council`` executed
    with ``parameters``: it changes when any of its inputs does (see the module's docstring)."""
    return digest([
        shared.package, shared.public_data, shared.environment,
        council_digest(council),
        notebook, file_digest(notebook_file),
        json.dumps(dict(parameters), sort_keys=True),
        *[file_digest(path) for path in borrowed_files(council, notebook)],
    ])
