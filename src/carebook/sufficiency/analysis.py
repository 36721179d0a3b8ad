"""The placement sufficiency analysis of one council: official statistics beside England,
the region and statistical neighbours; the child-level (SSDA903) tables and forecast; and
the council's own published tables beside the model's (no display, no files)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook.council import Council
from carebook.ssda903.extract import Extract
from carebook.sufficiency import child_level, official, reconcile
from carebook.sufficiency.child_level import ChildLevelSufficiency
from carebook.sufficiency.official import OfficialSufficiency
from carebook.sufficiency.official_tables import OfficialTables, read_tables


@dataclass(frozen=True)
class Inputs:
    """The data the analysis reads: the official tables and the council's 903 extract (its
    own, else a synthetic one)."""

    tables: OfficialTables
    extract: Extract


@dataclass(frozen=True)
class Result:
    """Everything the sufficiency page shows for one council."""

    official: OfficialSufficiency
    child: ChildLevelSufficiency
    extract: Extract  #: the 903 data behind ``child`` (where they come from, their quality)
    reconciliation: pd.DataFrame  #: :func:`carebook.sufficiency.reconcile.reconcile` (no rows without source tables)
    reconciliation_source: str  #: the document the reproduced tables come from ("" without them)


def load_inputs(council: Council) -> Inputs:
    """Read the official tables and load the council's 903 extract."""
    from carebook.ssda903 import load_for_council  # noqa: PLC0415 - the synthetic generator is heavy

    return Inputs(tables=read_tables(), extract=load_for_council(council))


def analyse(council: Council, inputs: Inputs | None = None) -> Result:
    """The sufficiency analysis of ``council`` (inputs loaded when not given)."""
    inputs = inputs or load_inputs(council)
    child = child_level.analyse(council, inputs.extract)
    snapshots = council.ssda903.snapshots
    return Result(
        official=official.for_council(council, inputs.tables),
        child=child,
        extract=inputs.extract,
        reconciliation=reconcile.reconcile(snapshots, child),
        reconciliation_source=reconcile.source_note(snapshots, child),
    )
