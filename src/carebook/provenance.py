"""Where every number on a page comes from.

Each figure a page glues (``Page.glue``) is recorded in ``results/figures_<notebook>.csv``,
one row per figure: its key and label, the value and the text the page shows, the function
that produced it (found from the call stack: the package function that called ``glue``, or
the notebook cell), the parameters it used (council file section and key, with their values)
and the data files it read, and where those come from (the council file and the source it
gives, or the national default's source; the official statistics file's title and publisher
from ``data/reference/public_sources.yml``).

The records hold figures only: the values and texts the page shows, never a child's data.
They feed the book's "Figures and their sources" page of each council, the tooltip of each
glued number in the HTML (``carebook.sphinx_figures``), ``carebook diff`` and the back-tests.
"""

from __future__ import annotations

import csv
import functools
import inspect
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from carebook.defaults import default_source

FIGURES = "figures_{notebook}.csv"
"""Each notebook records its figures in its own file (notebooks run in parallel)."""
COLUMNS = ("key", "label", "value", "text", "function", "parameters", "data_files", "sources", "based_on", "documents")
SSDA903 = "ssda903"
"""The input naming the council's SSDA903 extract (its own or the synthetic one)."""
INTERNAL = ("carebook.notebook", "carebook.provenance")
"""Modules that relay a figure: the producer is the first caller outside them."""
SEPARATOR = "; "

_NUMBER = re.compile(r"^(?P<sign>[−\-+]?)(?P<pound>£?)(?P<digits>\d{1,3}(?:,\d{3})*|\d+)(?P<decimals>\.\d+)?(?P<unit>%|m)?$")
_BRACKETED = re.compile(r"^\((?P<inner>[^()]+)\)$")
"""A loss written as finance reports write it (:func:`carebook.formats.money`): ``(£1,234)``."""


@dataclass(frozen=True)
class Figure:
    """One glued figure and where it comes from (the columns of ``figures_<notebook>.csv``)."""

    key: str
    label: str
    value: int | float | None
    text: str
    function: str
    parameters: str
    data_files: str
    sources: str
    based_on: str = ""
    documents: str = ""


def number_in(text: str) -> int | float | None:
    """The number a figure's text states, when the text is one number: ``"1,234"`` -> 1234,
    ``"85%"`` -> 0.85, ``"£4.21m"`` -> 4210000.0, ``"(£1,234)"`` and ``"−£1,234"`` -> -1234.0; ``None`` for
    words or sentences. A plain whole number stays an ``int`` (a count); money, shares and
    decimals are floats."""
    bracketed = _BRACKETED.match(text.strip())
    if bracketed:
        inner = number_in(bracketed["inner"])
        return -inner if inner is not None and not bracketed["inner"].startswith(("−", "-", "+")) else None
    found = _NUMBER.match(text.strip())
    if not found:
        return None
    digits = found["digits"].replace(",", "")
    sign = -1 if found["sign"] in ("−", "-") else 1
    if not (found["decimals"] or found["pound"] or found["unit"]):
        return sign * int(digits)
    number = sign * float(digits + (found["decimals"] or ""))
    return number / 100 if found["unit"] == "%" else number * 1e6 if found["unit"] == "m" else number


def plain_value(value: Any, text: str) -> int | float | None:
    """A figure's value as a plain number: the number glued (``bool`` and missing values
    excepted), else the number its text states (:func:`number_in`), else ``None``."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (TypeError, ValueError):
            value = None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return number_in(text)
    return None if isinstance(value, float) and math.isnan(value) else value


def producer(skip: Sequence[str] = INTERNAL) -> str:
    """The function that glued the figure, from the call stack: ``module.function`` of the
    first caller outside ``skip``, or ``notebook cell [n]`` when the call comes from a
    notebook cell (``n`` is the cell's execution count)."""
    frame = inspect.currentframe()
    try:
        while frame is not None and frame.f_globals.get("__name__", "") in skip:
            frame = frame.f_back
        if frame is None:
            return "unknown"
        module = frame.f_globals.get("__name__", "")
        if module != "__main__" and frame.f_code.co_name != "<module>":
            return f"{module}.{frame.f_code.co_qualname}"
        return f"notebook cell [{_execution_count()}]" if module == "__main__" else module
    finally:
        del frame


def _execution_count() -> Any:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks
        shell = None
    return getattr(shell, "execution_count", "?") if shell is not None else "?"


def is_data_file(name: str) -> bool:
    """An input is a data file when it is a path (``dfe/…csv``) or the SSDA903 extract;
    otherwise it is a parameter ``section.key``."""
    return name == SSDA903 or "/" in name


@functools.cache
def catalogue() -> dict[str, str]:
    """The official statistics files by path, each as ``title (publisher)``."""
    from carebook.catalogue import load_sources

    return {s.path: f"{s.title} ({s.publisher})" for s in load_sources()}


def data_file_source(council: Any, name: str) -> str:
    """Where a data file comes from: its title and publisher in the catalogue, or for the
    SSDA903 extract whether it is the council's own or the synthetic one."""
    if name == SSDA903:
        own = getattr(getattr(council, "ssda903", None), "path", None)
        return ("the council's own SSDA903 extract (council file, ssda903.path)" if own
                else "a synthetic SSDA903 extract calibrated to the council's published figures")
    return catalogue().get(name, "not in the catalogue of official statistics")


@dataclass(frozen=True)
class Input:
    """One parameter a figure used: its value, its description (the model's), and where it
    comes from: the council file (``given_in``) and the source that file cites, or the
    national default's source."""

    value: Any
    description: str
    given_in: str | None
    source: str

    @property
    def where(self) -> str:
        """Where the value comes from, for the analysts' record: the council file or the
        national default, then the source cited."""
        origin = self.given_in if self.given_in else "national default"
        return origin + (f": {self.source}" if self.source else "")


def parameter_input(council: Any, name: str) -> Input:
    """Parameter ``section.key`` (``key`` may be dotted into a nested model) of ``council``:
    its value, description and source. ValueError for a name no section holds."""
    section, _, path = name.partition(".")
    if not path or section not in _section_models():
        raise ValueError(f"expected an input 'section.key' of a council file section, got {name!r}")
    params = getattr(council, section)
    model = type(params) if params is not None else _section_model(council, section)
    given_in_file = params is not None and council.has_own_file
    params = params if params is not None else model.model_construct()
    top = path.split(".")[0]
    if top not in model.model_fields:
        raise ValueError(f"the {section} section has no parameter {top!r} (input {name!r})")
    value: Any = params
    for part in path.split("."):
        value = getattr(value, part, None)
    description = " ".join((model.model_fields[top].description or top.replace("_", " ")).split())
    if given_in_file and top in params.model_fields_set:
        given = getattr(params, "sources", {}) or {}
        where = council.source_file or "the council file"
        said = (given.get(top) or getattr(getattr(params, top, None), "source", None) or getattr(params, "source", None)
                or file_comment(where, section, top))
        return Input(value, description, str(where), " ".join(str(said).split()) if said else "")
    default = default_source(model, top)
    return Input(value, description, None, " ".join(str(default).split()) if default else "")


def parameter(council: Any, name: str) -> tuple[Any, str]:
    """The value of parameter ``section.key`` and where it comes from (:func:`parameter_input`)."""
    found = parameter_input(council, name)
    return found.value, found.where


@functools.cache
def _lines(path: str) -> tuple[str, ...]:
    from carebook.paths import ROOT

    file = Path(path) if Path(path).is_absolute() else ROOT / path
    return tuple(file.read_text(encoding="utf-8").splitlines()) if file.is_file() else ()


def file_comment(path: str, section: str, key: str) -> str:
    """The source a council file gives for ``section.key`` in a comment: the comment on the
    key's line, else the nearest block of comment lines above it within the section (council
    files cite their sources so); empty when there is none."""
    lines = _lines(path)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"{section}:"), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].isalnum()), len(lines))
    at = next((i for i in range(start + 1, end) if lines[i].lstrip().startswith(f"{key}:") and lines[i][:1] == " "), None)
    if at is None:
        return ""
    _, hash_, inline = lines[at].partition(" #")
    if hash_:
        return inline.strip()
    above = [i for i in range(start + 1, at) if lines[i].lstrip().startswith("#")]
    block = above[-1:] if above else []
    while block and block[0] - 1 in above:
        block.insert(0, block[0] - 1)
    return " ".join(lines[i].lstrip().lstrip("#").strip() for i in block)


def _section_models() -> dict[str, Any]:
    """The registered council-file sections by name (:mod:`carebook.registry`)."""
    from carebook import registry

    return {entry.section_key: entry for entry in registry.sections()}


def _section_model(council: Any, section: str) -> type[BaseModel]:
    return _section_models()[section].parameters_model()


def shown(value: Any) -> str:
    """A parameter's value in one short line."""
    if isinstance(value, BaseModel):
        value = {k: v for k, v in value.model_dump().items() if v is not None and not isinstance(v, dict | list)}
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return "none" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def describe_inputs(council: Any, inputs: Sequence[str]) -> tuple[str, str, str]:
    """The ``parameters``, ``data_files`` and ``sources`` columns of a figure's record."""
    names = list(dict.fromkeys(inputs))
    params = [n for n in names if not is_data_file(n)]
    files = [n for n in names if is_data_file(n)]
    found = {n: parameter(council, n) for n in params}
    return (
        SEPARATOR.join(f"{n} = {shown(value)}" for n, (value, _) in found.items()),
        SEPARATOR.join(files),
        SEPARATOR.join([f"{n}: {source}" for n, (_, source) in found.items()]
                       + [f"{n}: {data_file_source(council, n)}" for n in files]),
    )


def reader_inputs(council: Any, inputs: Sequence[str]) -> tuple[str, str]:
    """The ``based_on`` and ``documents`` columns of a figure's record, in readers' words:
    what the figure rests on (each parameter's description, each data file's title) and the
    documents they come from, each once, without file names or parameter keys."""
    names = list(dict.fromkeys(inputs))
    found = [parameter_input(council, n) for n in names if not is_data_file(n)]
    files = [data_file_source(council, n) for n in names if is_data_file(n)]
    based_on = [_sentence_case(i.description) for i in found] + files
    documents = [i.source or ("the council's own figures" if i.given_in else "national default") for i in found] + files
    return SEPARATOR.join(dict.fromkeys(based_on)), SEPARATOR.join(dict.fromkeys(documents))


_UNIT_HINT = re.compile(r"\s*\((?:0-1|0 to 1|a share|£|GBP)[^)]*\)")


def _sentence_case(text: str) -> str:
    """A parameter's description as a reader's phrase: its first clause, without the unit
    hints written for council-file authors ("(0-1)"), with a capital."""
    text = _UNIT_HINT.sub("", text).split(";")[0].strip().rstrip(".")
    return text[:1].upper() + text[1:]


_WORDS = {"vs": "against", "england": "England", "dfe": "DfE", "npv": "net present value", "ob": "optimism bias",
          "bcr": "benefit-cost ratio", "cla": "children looked after", "p10": "10th percentile", "p50": "median",
          "p90": "90th percentile", "n": "number of", "semi": "semi-independence", "gbp": "£", "ssda903": "SSDA903",
          "text": "", "sentence": "", "20": "20 miles"}
"""Words of the figures' keys as a reader says them (a key is its label when the page gives none)."""


def readable_key(key: str) -> str:
    """A figure's key in words, for the figures the pages glue without a label:
    ``"npv_without_ob"`` -> ``"Net present value without optimism bias"``, ``"c903_within_20"``
    -> ``"Within 20 miles (children's records)"``, ``"vs-eligible-a-year"`` -> ``"Eligible a year"``."""
    words = re.split(r"[_\-]+", key.removeprefix("vs-"))
    from_records = words[:1] == ["c903"]
    text = " ".join(w for w in (_WORDS.get(w, w) for w in words[from_records:]) if w)
    text = text.replace("in house", "in-house") + (" (children's records)" if from_records else "")
    return text[:1].upper() + text[1:]


def make_figure(council: Any, key: str, value: Any, text: str, label: str | None = None,
                inputs: Sequence[str] | None = None, function: str | None = None) -> Figure:
    """The record of one glued figure; the producer is found from the call stack unless given."""
    parameters, data_files, sources = describe_inputs(council, inputs or ())
    based_on, documents = reader_inputs(council, inputs or ())
    return Figure(key=key, label=label or readable_key(key), value=plain_value(value, text),
                  text=text, function=function or producer(), parameters=parameters,
                  data_files=data_files, sources=sources, based_on=based_on, documents=documents)


def figure_row(figure: Figure) -> list[str]:
    """A figure's row of ``figures_<notebook>.csv``, in the order of :data:`COLUMNS`."""
    record = asdict(figure) | {"value": "" if figure.value is None else repr(figure.value)}
    return [record[column] for column in COLUMNS]


def write_figures(path: Path, figures: Mapping[str, Figure]) -> None:
    """Write the records of a page (in the order they were glued) to ``path``."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(figure_row(f) for f in figures.values())
    partial.replace(path)


def append_figure(path: Path, figure: Figure) -> None:
    """Add one figure's record to the end of ``path`` (written by :func:`write_figures`)."""
    with path.open("a", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerow(figure_row(figure))


def read_figures(path: Path) -> pd.DataFrame:
    """A ``figures_<notebook>.csv`` as written: every column text (a value ``"12"`` is a
    count, ``"12.0"`` a measured number), missing cells empty."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.reindex(columns=list(COLUMNS), fill_value="")


def run_folder(path: Path) -> Path:
    """The folder of councils of a run: ``path`` itself, or ``path/book/councils`` when
    ``path`` is a site."""
    nested = Path(path) / "book" / "councils"
    return nested if nested.is_dir() else Path(path)


def read_run(path: Path) -> pd.DataFrame:
    """Every figure of a run (a site or its ``book/councils`` folder): the columns of
    :data:`COLUMNS` with ``council`` and ``notebook`` first. InputError when the folder
    does not exist."""
    from carebook.errors import InputError

    folder = run_folder(path)
    if not folder.is_dir():
        raise InputError("expected a run folder (a site, or its book/councils folder)", file=str(path))
    files = sorted(p for p in folder.glob("*/results/figures_*.csv") if not p.parts[-3].startswith("."))
    frames = [read_figures(p).assign(council=p.parts[-3], notebook=p.stem.removeprefix("figures_")) for p in files]
    columns = ["council", "notebook", *COLUMNS]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns, dtype=str)


def anchor(notebook: str, key: str) -> str:
    """The HTML id of a figure's row on the figures page."""
    return "figure-" + re.sub(r"[^a-z0-9]+", "-", f"{notebook}-{key}".lower()).strip("-")


def tooltip(record: Mapping[str, str]) -> str:
    """What a reader sees on hovering a glued number: what it rests on and the documents
    those come from, in readers' words."""
    parts = [f"{record['label'][:1].upper()}{record['label'][1:]}."]
    if record.get("based_on"):
        parts.append(f"Based on: {record['based_on'].rstrip('.')}.")
    if record.get("documents"):
        parts.append(f"Sources: {record['documents'].rstrip('.')}.")
    return " ".join(parts + ["Select for all the figures and their sources."])


FIGURES_PAGE = "figures"
"""The name of each council's page of figures and their sources (``figures.md``)."""


def figures_page(name: str, results: Path, notebooks: Sequence[str], titles: Mapping[str, str]) -> str:
    """The Markdown of a council's "Figures and their sources" page: one table per analysis
    listing every figure quoted on its page, what it rests on and the documents those come
    from, in readers' words. ``name`` is shown literally. The analysts' record (the function
    that computed each figure, the parameters by key with their values, the data files) is
    the results file itself, offered with the council's downloads."""
    from carebook.tables import markdown_table
    from carebook.text import markdown_literal

    lines = [f"# Figures and their sources: {markdown_literal(name)}", "",
             "Every number quoted on this council's pages, what it rests on and the documents those come from. "
             "The evidence rating of each assumption is in the "
             "{doc}`assumptions log </book/_generated/assumptions>`. Each number on the pages links to its row here; "
             "the full record, with the calculation that produced each figure and the value of every input, "
             "is among the council's downloads.", ""]
    for notebook in notebooks:
        path = Path(results) / FIGURES.format(notebook=notebook)
        if not path.exists():
            continue
        records = read_figures(path)
        if records.empty:
            continue
        table = pd.DataFrame({
            "Figure": [f'<span id="{anchor(notebook, k)}"></span>{markdown_literal(label)}'
                       for k, label in zip(records["key"], records["label"])],
            "Shown": records["text"],
            "Based on": records["based_on"].replace("", "the analysis's own calculation"),
            "Sources": records["documents"].replace("", "see the page"),
        })
        title = titles.get(notebook, notebook)
        lines += [f"## {title}", "", f"The figures of {{doc}}`{title} <{notebook}>`.", "",
                  markdown_table(table, markup=frozenset({"Figure"})), ""]
    return "\n".join(lines)
