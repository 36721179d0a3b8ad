"""DfE's own SSDA903 validation rules, run in their own environment.

data-to-insight's ``csc-validator-be-903`` implements DfE's validation rules of the
903 return, one ruleset per collection year. It needs pandas 1.5, so it lives in
its own virtual environment (``.venv-dfe``, made by ``make setup``) and runs as a
separate process (``dfe_runner.py``) on a private temporary copy of the year's
header and episodes files. Only rule codes, rule messages and counts of rows
flagged come back; no child id, date of birth or postcode leaves that process,
and the temporary folder is deleted.

Collection years are named by the year in which they end: 2025 is 1 April 2024 to
31 March 2025, checked by the ruleset ``lac2024_25``.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from carebook.errors import InputError
from carebook.paths import REFERENCE, ROOT
from carebook.ssda903 import codes

#: The runner script executed by the isolated interpreter.
RUNNER = Path(__file__).with_name("dfe_runner.py")
#: DfE's rules as published with the package: collection years 2023 (2022-23) to 2027 (2026-27).
FIRST_RULES_YEAR, LAST_RULES_YEAR = 2023, 2027
#: Seconds the validator may take for one collection year before it is stopped.
SECONDS_PER_YEAR = 300
EXCEPTIONS_YML = REFERENCE / "dfe_rule_exceptions.yml"

#: Why a rule was not run, as the page says it.
NOT_RUN_REASONS = {
    "skipped": "needs files other than header and episodes",
    "failed": "the validator could not run it on these data",
    "needs_council": "needs the council's code",
}
COUNT_COLUMNS = ["code", "message", "count", "excepted"]
NOT_RUN_COLUMNS = ["code", "message", "reason"]


@dataclass(frozen=True)
class DfeRun:
    """Outcome of DfE's rules over one or more collection years.

    counts:  year, code, message, count (rows flagged, > 0), excepted (bool), one row per
             rule that flagged rows, sorted by year and code.
    not_run: year, code, message, reason: rules the validator did not run on these data.
    years_without_rules: collection years given for which the package has no ruleset.
    """

    counts: pd.DataFrame
    not_run: pd.DataFrame
    years_without_rules: tuple[int, ...] = ()


def year_name(year: int) -> str:
    """A collection year as people write it: 2025 -> "2024-25"."""
    return f"{year - 1}-{year % 100:02d}"


def ruleset_for(year: int) -> str | None:
    """The package's ruleset for a collection year (2025 -> "lac2024_25"); None before 2023
    or after 2027, where it has none."""
    if not FIRST_RULES_YEAR <= year <= LAST_RULES_YEAR:
        return None
    return f"lac{year - 1}_{year % 100:02d}"


def dfe_python() -> Path:
    """The isolated interpreter: ``$CAREBOOK_DFE_PYTHON`` or ``.venv-dfe/bin/python``."""
    return Path(os.environ.get("CAREBOOK_DFE_PYTHON", ROOT / ".venv-dfe" / "bin" / "python"))


@lru_cache(maxsize=1)
def dfe_exceptions() -> pd.DataFrame:
    """Rules where the validator is known to be wrong or cannot apply to an extract:
    one row per (year, code) with the reason and its source title."""
    entries = yaml.safe_load(EXCEPTIONS_YML.read_text(encoding="utf-8")) or []
    rows = [(year, str(e["code"]), e["reason"], e["source"]["title"]) for e in entries for year in e["years"]]
    return pd.DataFrame(rows, columns=["year", "code", "reason", "source"]).astype({"year": "int64"})


def _return_dates(values: pd.Series) -> pd.Series:
    """Dates as the return writes them (dd/mm/yyyy): datetime64 or ISO text converted,
    other text (already dd/mm/yyyy, or not a date) kept for the rules to judge."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%d/%m/%Y")
    text = values.astype("string").str.strip()
    iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]00:00:00)?").fillna(False).astype(bool)
    return text.mask(iso, text.str[8:10] + "/" + text.str[5:7] + "/" + text.str[0:4])


def _return_file(frame: pd.DataFrame, columns: tuple[str, ...], dates: tuple[str, ...], kind: str) -> pd.DataFrame:
    """The columns of one 903 file, dates as dd/mm/yyyy; InputError naming missing columns."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"expected the {kind} columns {', '.join(missing)}", where=f"{kind} for DfE's rules")
    out = frame.loc[:, list(columns)].copy()
    for column in dates:
        out[column] = _return_dates(out[column])
    return out


def _write_year(folder: Path, header: pd.DataFrame, episodes: pd.DataFrame) -> None:
    """header.csv and episodes.csv of one collection year as the return writes them."""
    files = {"header.csv": _return_file(header, codes.HEADER_COLUMNS, codes.HEADER_DATES, "header"),
             "episodes.csv": _return_file(episodes, codes.EPISODE_COLUMNS, codes.EPISODE_DATES, "episodes")}
    folder.mkdir(parents=True)
    for name, frame in files.items():  # the two files
        frame.to_csv(folder / name, index=False)


def _run_validator(job: dict, years: list[int], workdir: Path) -> dict:
    """Run the runner script in the isolated interpreter; its JSON output by year."""
    python = dfe_python()
    if not python.exists():
        raise InputError("DfE's validation rules need their own environment: run `make setup`")
    names = ", ".join(year_name(y) for y in years)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    try:
        done = subprocess.run([str(python), str(RUNNER), json.dumps(job)], capture_output=True, text=True,
                              timeout=SECONDS_PER_YEAR * len(years), cwd=workdir, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"DfE's validator took too long on collection year {names}") from None
    try:
        return json.loads(done.stdout) if done.returncode == 0 else {}
    except json.JSONDecodeError:
        return {}


def _year_frames(year: int, result: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """counts and not_run rows of one year's runner output."""
    messages = result["messages"]
    counts = pd.DataFrame({"code": list(result["counts"]), "count": list(result["counts"].values())})
    counts = counts.assign(year=year, message=counts["code"].map(messages))
    not_run = pd.DataFrame(
        [(code, reason) for key, reason in NOT_RUN_REASONS.items() for code in result[key]],
        columns=["code", "reason"])
    not_run = not_run.assign(year=year, message=not_run["code"].map(messages))
    return counts, not_run


def run_dfe_rules(extract_years: dict[int, tuple[pd.DataFrame, pd.DataFrame]], la_code: str | None = None) -> DfeRun:
    """DfE's rules over several collection years in one validator process.

    ``extract_years`` maps a collection year (the year it ends) to its (header, episodes)
    rows (columns ``codes.HEADER_COLUMNS`` / ``codes.EPISODE_COLUMNS``; dates as
    dd/mm/yyyy or ISO text or datetime64). ``la_code`` is the council's ONS code
    (e.g. "E08000025"); without it the rules about placements inside or outside the
    council's area are not run. InputError when the isolated environment is missing or
    the validator fails on a year (named, without its traceback).
    """
    ruled = sorted(y for y in extract_years if ruleset_for(y))
    without = tuple(sorted(y for y in extract_years if not ruleset_for(y)))
    counts, not_run = [pd.DataFrame(columns=["year", *COUNT_COLUMNS[:-1]])], [pd.DataFrame(columns=["year", *NOT_RUN_COLUMNS])]
    if ruled:
        with tempfile.TemporaryDirectory(prefix="carebook-dfe-") as tmp:  # private (0700), deleted after
            for year in ruled:  # one iteration per collection year
                _write_year(Path(tmp) / str(year), *extract_years[year])
            job = {"la_code": la_code, "years": [[y, ruleset_for(y), str(Path(tmp) / str(y))] for y in ruled]}
            results = _run_validator(job, ruled, Path(tmp))
        for year in ruled:
            result = results.get(str(year))
            if not result or "error" in result:
                raise InputError(f"DfE's validator failed on collection year {year_name(year)}")
            year_counts, year_not_run = _year_frames(year, result)
            counts.append(year_counts)
            not_run.append(year_not_run)
    counts_frame = _with_exceptions(pd.concat(counts, ignore_index=True))
    not_run_frame = pd.concat(not_run, ignore_index=True).astype({"year": "int64"})
    return DfeRun(
        counts=counts_frame.sort_values(["year", "code"], ignore_index=True),
        not_run=not_run_frame[["year", *NOT_RUN_COLUMNS]].sort_values(["year", "code"], ignore_index=True),
        years_without_rules=without,
    )


def _with_exceptions(counts: pd.DataFrame) -> pd.DataFrame:
    """counts with ``excepted``: True where (year, code) is in the exceptions file."""
    counts = counts.astype({"year": "int64", "code": "str", "count": "int64", "message": "str"})
    known = dfe_exceptions()[["year", "code"]].drop_duplicates().assign(excepted=True)
    merged = counts.merge(known, on=["year", "code"], how="left")
    merged["excepted"] = merged["excepted"].fillna(False).astype(bool)
    return merged[["year", *COUNT_COLUMNS]]


def dfe_rules_by_year(extract_years: dict[int, tuple[pd.DataFrame, pd.DataFrame]],
                      la_code: str | None = None) -> pd.DataFrame:
    """Rules that flag rows, per collection year: year, code, message, count, excepted.
    Years without a ruleset are left out (see ``run_dfe_rules``)."""
    return run_dfe_rules(extract_years, la_code).counts


def dfe_rule_counts(header: pd.DataFrame, episodes: pd.DataFrame, year: int,
                    la_code: str | None = None) -> pd.DataFrame:
    """Rules that flag rows in one collection year: code, message, count, excepted.

    ``header`` and ``episodes`` are that year's rows (see ``run_dfe_rules``). InputError
    for a year the package has no ruleset for.
    """
    if ruleset_for(year) is None:
        raise InputError(f"DfE's validation rules cover collection years {year_name(FIRST_RULES_YEAR)} "
                         f"to {year_name(LAST_RULES_YEAR)}, not {year_name(year)}")
    return run_dfe_rules({year: (header, episodes)}, la_code).counts.drop(columns="year")


def _plural(number: int, word: str) -> str:
    """"1 row", "12 rows", "1,234 rows"."""
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def dfe_quality_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Page-ready table of rules that flag rows, from ``dfe_rules_by_year`` counts: collection
    year, rule, what it checks (the rule's message), rows flagged and a note ("validator
    exception" where the rule is listed in the exceptions file); by year, then most rows first."""
    ordered = counts.sort_values(["year", "count", "code"], ascending=[True, False, True])
    return pd.DataFrame({
        "Collection year": ordered["year"].map(year_name),
        "Rule": ordered["code"],
        "What it checks": ordered["message"],
        "Rows flagged": ordered["count"].astype("int64"),
        "Note": ordered["excepted"].map({True: "validator exception", False: ""}),
    }).reset_index(drop=True)


def _years_phrase(years: list[int]) -> str:
    """"in 2024-25", "in 2023-24 and 2024-25", "across 2021-22 to 2024-25"."""
    names = [year_name(y) for y in sorted(years)]
    if len(names) == 1:
        return f"in {names[0]}"
    if len(names) == 2:
        return f"in {names[0]} and {names[1]}"
    return f"across {names[0]} to {names[-1]}"


def dfe_summary_sentence(counts: pd.DataFrame, years: list[int] | None = None) -> str:
    """One plain-English sentence on ``dfe_rules_by_year`` counts, e.g. "DfE's validation rules
    flag 12 rows under 3 rules in 2024-25; 1 rule is a known validator exception."

    Rows are counted once per rule they break. ``years`` names the years checked (default: the
    years in ``counts``), so that a clean run can say which years it covers.
    """
    checked = sorted(set(years) if years is not None else set(counts["year"].astype(int)))
    where = f" {_years_phrase(checked)}" if checked else ""
    if counts.empty:
        return f"DfE's validation rules flag no rows{where}."
    rules = counts["code"].nunique()
    excepted = counts.loc[counts["excepted"], "code"].nunique()
    sentence = (f"DfE's validation rules flag {_plural(int(counts['count'].sum()), 'row')} "
                f"under {_plural(rules, 'rule')}{where}")
    if excepted == 1:
        sentence += "; 1 rule is a known validator exception"
    elif excepted:
        sentence += f"; {excepted:,} rules are known validator exceptions"
    return sentence + "."
