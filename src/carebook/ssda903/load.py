"""The extract a council's pages use: its own if configured, else a synthetic one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from carebook.council import Council
from carebook.ssda903.extract import Extract

if TYPE_CHECKING:
    from carebook.ssda903.raw import RawExtract


def load_for_council(council: Council) -> Extract:
    """The council's own 903 extract when its file sets ``ssda903.path`` (read and
    validated with its ``ssda903.mode``: strict or lenient, its folder and file names
    read with ``ssda903.convention``), else the deterministic
    synthetic extract calibrated to its published figures (``Extract.is_synthetic``
    True, and ``Extract.source`` says so), generated once per set of inputs
    (:mod:`carebook.ssda903.cache`). The council's own extract carries the counts
    of DfE's validation rules on each collection year (``Extract.dfe_rules``)."""
    params = council.ssda903
    if params.path is not None:
        from carebook.paths import ROOT
        from carebook.ssda903.read import extract_from_raw, read_raw

        folder = Path(params.path).expanduser()
        raw = read_raw(folder if folder.is_absolute() else ROOT / folder, convention=params.convention)
        return with_dfe_rules(extract_from_raw(raw, mode=params.mode), raw, council)
    from carebook.ssda903.cache import synthetic_extract

    return synthetic_extract(council)


DFE_RULES_NOT_RUN = ("DfE's validation rules could not be run on this extract here, so its rows were checked only "
                     "as they were read; the council can run them with its own validation tools.")
"""What the page says when DfE's rules cannot run (the validator is not installed, or failed)."""


def with_dfe_rules(extract: Extract, raw: RawExtract, council: Council) -> Extract:
    """The extract with DfE's validation rules counted on each collection year's files
    (with the council's code where it is one council); where they cannot run (no
    isolated environment, a validator failure) the note says why and the page goes on."""
    from carebook.errors import InputError
    from carebook.ssda903.report import dfe_rules_by_year

    try:
        rules, note = dfe_rules_by_year(raw, council.codes[0] if len(council.codes) == 1 else None)
    except InputError:
        return replace(extract, dfe_note=DFE_RULES_NOT_RUN)
    return replace(extract, dfe_rules=rules, dfe_note=note)
