"""Find the 903 files of an extract in whichever layout a council holds them.

Three layouts are recognised without configuration (file names case-insensitive,
``.csv`` or ``.CSV``):

- ``year_folders``: one folder per collection year named ``2025``, ``2024-25``,
  ``2024_25`` or ``2024-2025``, holding ``header.csv`` and ``episodes.csv`` (or the same
  names with an ``SSDA903_`` prefix or the year, e.g. ``SSDA903_2025_header.csv``: the
  folder's name gives the year);
- ``flat_files``: one folder with the year in each file name: ``SSDA903_2020_header.csv``,
  ``2020-header.csv``, ``header_2020.csv``, ``2019-20_episodes.csv`` (any of the year
  forms above, several years side by side);
- ``xml``: DfE XML returns (``*.xml``), any number in the folder, or the path of one;
- ``one_year``: a folder holding just ``header.csv`` and ``episodes.csv`` (a collection
  year's folder itself, or files with no year in their names): its year is the folder's
  name where that is a year, else the year in which its latest episode date falls.

A bare year (``2025``) may name the collection by the year it ends (DfE's way) or the
year it starts; the dates inside decide (see :mod:`carebook.ssda903.raw`). A name
giving both years (``2024-25``) is unambiguous.

Never a silent choice: a folder whose name looks like a year but is not one of the
forms above (``2025 final``, ``2025_old``), a non-year folder holding 903 files, two
files of the same kind for one year, a 903-looking file whose name gives no year, and
a folder holding more than one layout are each an InputError naming the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from carebook.errors import InputError

KINDS: tuple[str, ...] = ("header", "episodes")
LAYOUT_NAMES: dict[str, str] = {
    "one_year": "one collection year's header and episodes files",
    "year_folders": "one folder per collection year",
    "flat_files": "files named by collection year",
    "xml": "DfE XML return",
}
_YEAR = r"(?P<first>\d{4})(?:[-_](?P<second>\d{4}|\d{2}))?"
_KIND = r"(?P<kind>header|episodes)"
_YEAR_NAME = re.compile(rf"^{_YEAR}$")
_PREFIX = r"(?:(?:ssda)?903[-_ ]?)?"
_FLAT_NAMES = (
    re.compile(rf"^{_PREFIX}{_YEAR}[-_ ]{_KIND}$"),
    re.compile(rf"^{_PREFIX}{_KIND}[-_ ]{_YEAR}$"),
)
_PLAIN_NAME = re.compile(rf"^{_PREFIX}{_KIND}$")
_LOOKS_LIKE_YEAR = re.compile(r"(?:19|20)\d\d")
_LOOKS_903 = re.compile(r"header|episode")


@dataclass(frozen=True)
class YearName:
    """The year a folder or file name gives: ``number`` is the bare year (``2025``) or,
    for a name with both years (``2024-25``), the year it ends; ``span`` tells which."""

    text: str
    number: int
    span: bool

    def collection_year(self, convention: str) -> int:
        """The collection year (named by the year it ends) under ``convention`` "end"/"start"."""
        return self.number + 1 if convention == "start" and not self.span else self.number


@dataclass(frozen=True)
class YearFiles:
    """The header and episodes files of one collection year of a CSV extract."""

    name: YearName | None  # None: the dates decide
    paths: dict[str, Path]
    labels: dict[str, str]


@dataclass(frozen=True)
class Layout:
    """What :func:`find_layout` found: the layout, the extract root, and the files."""

    kind: str
    root: Path
    years: list[YearFiles] = field(default_factory=list)
    xml: dict[str, Path] = field(default_factory=dict)


def year_name(text: str) -> YearName | None:
    """The year a name stands for, else None: "2025" (bare), "2024-25" / "2024_25" /
    "2024-2025" (span ending 2025). A span whose years do not follow on is None."""
    match = _YEAR_NAME.match(text.strip())
    return _from_match(match, text.strip()) if match else None


def _from_match(match: re.Match[str], text: str) -> YearName | None:
    first, second = int(match.group("first")), match.group("second")
    if second is None:
        return YearName(text, first, span=False)
    end = int(second) if len(second) == 4 else (first + 1) // 100 * 100 + int(second)
    return YearName(text, end, span=True) if end == first + 1 else None


def _csv_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")


def _xml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".xml")


def _holds_903(folder: Path) -> bool:
    return bool(_xml_files(folder)) or any(_LOOKS_903.search(p.stem.lower()) for p in _csv_files(folder))


def _label(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _pick(found: dict[tuple, Path], key: tuple, path: Path, root: Path, what: str) -> None:
    """Add ``path`` under ``key``; InputError naming both files when one is already there."""
    if key in found:
        raise InputError(f"expected one {what}; found both {_label(found[key], root)} and {_label(path, root)}",
                         file=_label(path, root))
    found[key] = path


def _year_folder_files(folder: Path, name: YearName | None, root: Path) -> YearFiles:
    """The header and episodes file of a year folder (exactly one of each)."""
    found: dict[tuple, Path] = {}
    for path in _csv_files(folder):  # a handful of files
        stem = path.stem.lower()
        kind = _PLAIN_NAME.match(stem) or next((p.match(stem) for p in _FLAT_NAMES if p.match(stem)), None)
        if kind:
            _pick(found, (kind.group("kind"),), path, root, f"{kind.group('kind')} file in {folder.name}/")
        elif _LOOKS_903.search(stem):
            raise InputError(f"expected header.csv and episodes.csv in a collection-year folder; "
                             f"{path.name} looks like a 903 file but has another name", file=_label(path, root))
    for kind in KINDS:
        if (kind,) not in found:
            raise InputError(f"expected a file {kind}.csv in the collection-year folder", file=_label(folder, root))
    return YearFiles(name, {k: found[(k,)] for k in KINDS}, {k: _label(found[(k,)], root) for k in KINDS})


def _year_folders(root: Path) -> list[tuple[Path, YearName]]:
    """The collection-year folders of ``root`` and their years. InputError for a folder
    whose name looks like a year but is not one, and for another folder holding 903 files."""
    years = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        name = year_name(folder.name)
        if name is not None:
            years.append((folder, name))
        elif _LOOKS_LIKE_YEAR.search(folder.name):
            raise InputError("expected a collection-year folder named like 2025, 2024-25, 2024_25 or "
                             "2024-2025; this name cannot be read as one", file=_label(folder, root))
        elif _holds_903(folder):
            raise InputError("expected 903 files only in collection-year folders (e.g. 2025 or 2024-25); "
                             "this folder holds some", file=_label(folder, root))
    return years


def _flat_name(path: Path) -> tuple[str, YearName] | None:
    stem = path.stem.lower()
    for pattern in _FLAT_NAMES:  # two name patterns
        match = pattern.match(stem)
        if match:
            name = _from_match(match, path.name)
            return (match.group("kind"), name) if name else None
    return None


def _flat_files(root: Path, files: list[Path]) -> list[YearFiles]:
    found: dict[tuple, Path] = {}
    names: dict[tuple[int, bool], YearName] = {}
    for path in files:  # the 903-looking CSV files of the folder
        parsed = _flat_name(path)
        if parsed is None:
            raise InputError("expected the collection year in the name of a 903 file (e.g. SSDA903_2025_header.csv, "
                             "2025-header.csv, header_2025.csv or 2024-25_header.csv); this name has none",
                             file=_label(path, root))
        kind, name = parsed
        key = (name.number, name.span)
        _pick(found, (kind, *key), path, root, f"{kind} file for one collection year")
        names.setdefault(key, name)
    years = []
    for key, name in names.items():  # one per collection year
        missing = [k for k in KINDS if (k, *key) not in found]
        if missing:
            other = found[(next(k for k in KINDS if k not in missing), *key)]
            raise InputError(f"expected a {missing[0]} file for the same collection year beside this file; none",
                             file=_label(other, root))
        years.append(YearFiles(name, {k: found[(k, *key)] for k in KINDS},
                               {k: _label(found[(k, *key)], root) for k in KINDS}))
    return sorted(years, key=lambda y: (y.name.number, y.name.span))


def find_layout(path: Path | str) -> Layout:
    """The layout and files of the extract at ``path`` (a folder, or one XML file).

    InputError when nothing 903 is found, when more than one layout is present, or for
    any folder or file name that cannot be read without guessing (see module docstring).
    """
    root = Path(path)
    if root.is_file() and root.suffix.lower() == ".xml":
        return Layout("xml", root.parent, xml={root.name: root})
    if not root.is_dir():
        raise InputError("expected a folder holding a 903 extract, or a DfE XML return (.xml)", file=str(root))
    year_dirs = _year_folders(root)
    flat = [p for p in _csv_files(root) if _LOOKS_903.search(p.stem.lower())]
    xml = _xml_files(root)
    found = {"year_folders": [folder for folder, _ in year_dirs], "flat_files": flat, "xml": xml}
    present = {kind: paths[0] for kind, paths in found.items() if paths}
    if len(present) > 1:
        examples = " and ".join(f"{LAYOUT_NAMES[kind]} ({_label(path, root)})" for kind, path in present.items())
        raise InputError(f"expected one layout of 903 files in the folder; found {examples}", file=str(root))
    if "xml" in present:
        return Layout("xml", root, xml={_label(p, root): p for p in xml})
    if "flat_files" in present and all(_PLAIN_NAME.match(p.stem.lower()) for p in flat):
        return Layout("one_year", root, years=[_year_folder_files(root, year_name(root.name), root)])
    if "flat_files" in present:
        return Layout("flat_files", root, years=_flat_files(root, flat))
    if not year_dirs:
        raise InputError(
            "expected one folder per collection year named by the year (e.g. 2025 or 2024-25) holding "
            "header.csv and episodes.csv, 903 files named by year (e.g. SSDA903_2025_header.csv), "
            "or DfE XML returns; found none",
            file=str(root),
        )
    years = [_year_folder_files(folder, name, root) for folder, name in year_dirs]
    return Layout("year_folders", root, years=years)
