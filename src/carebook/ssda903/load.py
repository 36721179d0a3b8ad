"""The extract a council's pages use: its own if configured, else a synthetic one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from carebook.ssda903.extract import Extract

if TYPE_CHECKING:
    from carebook.params import Council


def load_for_council(council: "Council") -> Extract:
    """The council's own 903 extract when its file sets ``ssda903.path`` (read and
    validated with its ``ssda903.mode``: strict or lenient, its folder and file names
    read with ``ssda903.convention``), else the deterministic
    synthetic extract calibrated to its published figures (``Extract.is_synthetic``
    True, and ``Extract.source`` says so)."""
    params = council.ssda903
    if params.path is not None:
        from carebook.paths import ROOT
        from carebook.ssda903.read import read_extract

        folder = Path(params.path).expanduser()
        return read_extract(folder if folder.is_absolute() else ROOT / folder, mode=params.mode,
                            convention=params.convention)
    from carebook.ssda903.synth import generate

    return generate(council, params.synth_start_year, params.synth_end_year, params.seed)
