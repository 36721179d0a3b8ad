"""Where the project's files are: the repository and its data folders."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
REFERENCE = DATA / "reference"
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"


def site() -> Path:
    """Where the book is assembled and built (``$CAREBOOK_SITE``, default the repository).

    Executed notebooks go to ``<site>/book/councils``, generated pages to
    ``<site>/book/_generated`` and builds to ``<site>/_build``. Tests build in a
    temporary site so they never touch the book in the working tree.
    """
    return Path(os.environ.get("CAREBOOK_SITE", ROOT))


def councils_dir() -> Path:
    """The folder of council parameter files (``$CAREBOOK_COUNCILS_DIR`` or ``data/councils``)."""
    return Path(os.environ.get("CAREBOOK_COUNCILS_DIR", DATA / "councils"))


def relative(path: Path) -> str:
    """A path as a user would name it: relative to the repository where it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
