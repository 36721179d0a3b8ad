"""The analyses of the book, in one registry: ``data/reference/analyses.yml``.

Each entry names an analysis, its title, its notebook, its package (whose ``analysis`` and
``page`` modules follow the analysis contract: :func:`analysis_module`, :func:`page_module`),
the model of its council-file section (a dotted import path, imported only when a council
file is read, so this module imports nothing of the analyses) and its assumptions-log files. The runner (which notebooks
run, in which order), the book (titles, "Councils at a glance", the assumptions log) and the
council files (:func:`carebook.params.council_file_model`) all read it. An entry without a
notebook is a council-file section shared by several analyses (the SSDA903 data).

``CAREBOOK_ANALYSES`` names further registry files (separated by ``os.pathsep``) whose
entries follow the repository's; the tests add an analysis that way.

A notebook in the notebooks folder that no entry names still runs, after the registered
ones, and shows under its own name; it has no council-file section.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from carebook.errors import InputError
from carebook.paths import REFERENCE, relative
from carebook.validation import describe_validation_error, error_location

REGISTRY = REFERENCE / "analyses.yml"
EXTRA_REGISTRIES = "CAREBOOK_ANALYSES"
"""Environment variable naming further registry files."""

NAME = r"^[a-z][a-z0-9_]*$"
DOTTED = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$"
PACKAGE = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"


class AssumptionsFile(BaseModel):
    """One file of the assumptions log and the title of its section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: Path = Field(description="YAML list of assumptions, relative to the registry file")
    title: str = Field(min_length=1, description="Section title in the assumptions log")

    @field_validator("file")
    @classmethod
    def _from_registry_folder(cls, file: Path, info: ValidationInfo) -> Path:
        folder = (info.context or {}).get("folder")
        return Path(folder) / file if folder else file


class Analysis(BaseModel):
    """One entry of the registry: an analysis of the book (with a notebook) or a council-file
    section several analyses share (without one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME, description="Pages, results and manifest rows are named after it")
    title: str = Field(min_length=1, description="Title in the book")
    notebook: str | None = Field(None, pattern=r"^[^/\\]+\.ipynb$", description="Notebook file in the notebooks folder")
    parameters: str | None = Field(None, pattern=DOTTED, description="Dotted path of the section's pydantic model")
    package: str | None = Field(None, pattern=PACKAGE, description="Package of the analysis: its analysis and page modules")
    section: str | None = Field(None, pattern=NAME, description="Council-file key of the parameters (default: name)")
    optional: bool = Field(False, description="A council without the section has None, not the defaults")
    assumptions: tuple[AssumptionsFile, ...] = Field((), description="Assumptions-log files")
    _declared_in: str = PrivateAttr("")

    def model_post_init(self, context: Any) -> None:
        """Remember the registry file the entry was read from (for error messages)."""
        self._declared_in = (context or {}).get("source", "")

    @property
    def declared_in(self) -> str:
        """The registry file of the entry, as a user would name it."""
        return self._declared_in

    @model_validator(mode="after")
    def _section_needs_parameters(self) -> Analysis:
        if self.section and not self.parameters:
            raise ValueError(f"{self.name}: a section needs the parameters model that reads it")
        if not (self.notebook or self.parameters):
            raise ValueError(f"{self.name}: expected a notebook, parameters or both")
        return self

    @property
    def section_key(self) -> str | None:
        """The council-file key of the analysis's parameters; None when it has none."""
        return (self.section or self.name) if self.parameters else None

    def parameters_model(self) -> type[BaseModel]:
        """The pydantic model of the section, imported now (InputError naming the registry
        file when it cannot be)."""
        module, _, attribute = str(self.parameters).rpartition(".")
        try:
            model = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as error:
            raise InputError(f"the parameters of {self.name!r} ({self.parameters}) cannot be imported: {error}",
                             file=self.declared_in, where=self.name) from None
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise InputError(f"the parameters of {self.name!r} ({self.parameters}) are not a pydantic model",
                             file=self.declared_in, where=self.name)
        return model


class _RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    analyses: list[Analysis]


def registry_files() -> list[Path]:
    """The registry files: the repository's, then those ``CAREBOOK_ANALYSES`` names."""
    extra = [Path(p) for p in os.environ.get(EXTRA_REGISTRIES, "").split(os.pathsep) if p]
    return [REGISTRY, *extra]


def entries() -> tuple[Analysis, ...]:
    """Every entry of the registry, in book order (read again when a file changes)."""
    stamps = []
    for path in registry_files():
        try:
            stat = path.stat()
        except OSError:
            how = f" (named by {EXTRA_REGISTRIES})" if path != REGISTRY else ""
            raise InputError(f"the analyses registry cannot be read{how}", file=relative(path)) from None
        stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return _read_all(tuple(stamps))


@functools.lru_cache(maxsize=8)
def _read_all(stamps: tuple[tuple[Path, int, int], ...]) -> tuple[Analysis, ...]:
    found: list[Analysis] = []
    for path, _, _ in stamps:  # the repository's registry and a test's
        found += _read(path)
    for key in ("name", "section_key", "notebook"):
        _check_once(found, key)
    return tuple(found)


def _read(path: Path) -> list[Analysis]:
    label = relative(path)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError(f"expected a readable YAML file ({type(error).__name__})", file=label) from None
    try:
        parsed = _RegistryFile.model_validate(content, context={"folder": path.parent, "source": label})
    except ValidationError as error:
        raise InputError(describe_validation_error(error, _RegistryFile), file=label, where=error_location(error)) from None
    return parsed.analyses


def _check_once(found: list[Analysis], key: str) -> None:
    """Each name, council-file section and notebook belongs to one entry."""
    seen: dict[str, Analysis] = {}
    for entry in found:  # a handful of analyses
        value = getattr(entry, key)
        if value is None:
            continue
        first = seen.setdefault(value, entry)
        if first is not entry:
            raise InputError(f"{key.removesuffix('_key')} {value!r} of {entry.name!r} is also that of {first.name!r} "
                             f"(in {first.declared_in}): expected each once", file=entry.declared_in, where=entry.name)


def analyses() -> list[Analysis]:
    """The analyses of the book (the entries with a notebook), in book order."""
    return [entry for entry in entries() if entry.notebook]


def sections() -> list[Analysis]:
    """The entries with a council-file section, in book order."""
    return [entry for entry in entries() if entry.section_key]


def title(name: str) -> str:
    """The title of analysis ``name`` in the book; an unregistered notebook's own name."""
    return next((a.title for a in analyses() if a.name == name), name)


def notebook_file(name: str) -> str:
    """The notebook file of analysis ``name`` (``<name>.ipynb`` for an unregistered one)."""
    return next((str(a.notebook) for a in analyses() if a.name == name), f"{name}.ipynb")


def book_order(names: Iterable[str]) -> list[str]:
    """``names`` of analyses in book order: the registered ones as registered, then any
    other notebook alphabetically."""
    wanted = set(names)
    registered = [a.name for a in analyses() if a.name in wanted]
    return registered + sorted(wanted - set(registered))


def notebooks_in(files: Iterable[str]) -> list[str]:
    """The analyses whose notebooks are among ``files`` (notebook file names), in book order;
    a notebook no entry names counts as an analysis of its own name."""
    present = set(files)
    registered = {str(a.notebook): a.name for a in analyses()}
    return book_order(registered.get(file, file.removesuffix(".ipynb")) for file in present)


def _module(name: str, part: str) -> Any:
    entry = next((a for a in analyses() if a.name == name), None)
    if entry is None or entry.package is None:
        raise InputError(f"the analysis {name!r} has no package in the registry: expected an entry with package",
                         file=entry.declared_in if entry else relative(REGISTRY), where=name)
    try:
        return importlib.import_module(f"{entry.package}.{part}")
    except ImportError as error:
        raise InputError(f"the {part} module of {name!r} ({entry.package}.{part}) cannot be imported: {error}",
                         file=entry.declared_in, where=name) from None


def analysis_module(name: str) -> Any:
    """The ``analysis`` module of analysis ``name`` (its ``analyse``, ``Result``, ``Inputs``),
    imported now (InputError naming the registry file when it cannot be)."""
    return _module(name, "analysis")


def page_module(name: str) -> Any:
    """The ``page`` module of analysis ``name`` (its ``show`` and table functions), imported now."""
    return _module(name, "page")


def assumption_files() -> list[AssumptionsFile]:
    """The assumptions-log files of every entry, in book order."""
    return [file for entry in entries() for file in entry.assumptions]
