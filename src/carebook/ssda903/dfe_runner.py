"""Run DfE's SSDA903 validation rules on year folders and print rule codes and counts.

This script runs under the isolated interpreter of ``.venv-dfe`` (pandas 1.5,
data-to-insight's ``csc-validator-be-903``), never in carebook's environment, and
imports nothing from carebook. Usage::

    python dfe_runner.py '{"la_code": "E08000025", "years": [[2025, "lac2024_25", "/tmp/x/2025"], ...]}'

Each folder holds ``header.csv`` and ``episodes.csv`` as the return writes them.
Only rule codes, counts of rows flagged and the rules' own messages are printed
(one JSON object on stdout); the validator's logging and printing are silenced
because they can quote children's ids.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import logging
import sys
from pathlib import Path

#: Names a rule reads when it needs the council's own code (placement inside or
#: outside the council's area); without a code these rules are not run.
COUNCIL_FIELDS = ("localAuthority", "PL_LOCATION")


def _needs_council(rule) -> bool:
    """Whether a rule's code reads the council's code or fields derived from it."""
    try:
        source = inspect.getsource(rule.func)
    except (OSError, TypeError):
        return False
    return any(name in source for name in COUNCIL_FIELDS)


def _flag_counts(results: dict) -> dict[str, int]:
    """Rows flagged per rule, summed over the tables (header and episodes)."""
    counts: dict[str, int] = {}
    for table, frame in results.items():  # a handful of tables
        if table == "metadata":
            continue
        flags = frame[[c for c in frame.columns if c.startswith("ERR_")]]
        for column, flagged in flags.fillna(False).astype(bool).sum().items():
            if flagged:
                counts[column[4:]] = counts.get(column[4:], 0) + int(flagged)
    return counts


def run_year(year: int, ruleset: str, folder: str, la_code: str | None) -> dict:
    """Codes and counts of the rules of ``ruleset`` on one year folder."""
    from lac_validator.ingress import read_files
    from lac_validator.lac_validator import LacValidator

    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    not_applicable = [] if la_code else sorted(c for c, r in registry.items() if _needs_council(r))
    selected = [str(c) for c in registry if c not in not_applicable]
    files = read_files([str(Path(folder) / "header.csv"), str(Path(folder) / "episodes.csv")])
    validator = LacValidator(
        metadata={"collectionYear": str(year), "localAuthority": la_code or ""},
        files=files,
        registry=registry,
        selected_rules=selected,
    )
    return {
        "counts": _flag_counts(validator.ds_results),
        "messages": {str(c): str(r.message) for c, r in registry.items()},
        "skipped": sorted(map(str, validator.skips)),
        "failed": sorted(map(str, validator.fails)),
        "needs_council": not_applicable,
    }


def main(argv: list[str]) -> int:
    job = json.loads(argv[1])
    logging.disable(logging.CRITICAL)
    out = {}
    # Rules and the validator may print; nothing of theirs reaches our stdout.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for year, ruleset, folder in job["years"]:  # one iteration per collection year
            try:
                out[str(year)] = run_year(int(year), ruleset, folder, job.get("la_code"))
            except Exception as error:  # noqa: BLE001 - reported by year, without the traceback
                out[str(year)] = {"error": type(error).__name__}
    sys.stdout.write(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
