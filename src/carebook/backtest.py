"""Back-tests: the signed-off figures of the default councils, kept in the repository.

``tests/backtests/<council>_<notebook>.csv`` holds, for each council file of ``data/councils``
and each notebook, the figures signed off (``key, value, tolerance``). A later run fails the
back-test when a figure moved beyond its tolerance or is no longer recorded. Tolerances are
``exact`` (the default for counts: a whole number recorded as such) or a share of the value
such as ``0.5%`` (the default for money, rates and shares); edit a file's ``tolerance`` to set
one figure's. ``carebook backtest --update`` proposes new files from a run and writes them
with ``--yes``, keeping each figure's tolerance.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from carebook import diff, provenance
from carebook.errors import InputError
from carebook.paths import DATA, ROOT

BACKTESTS = ROOT / "tests" / "backtests"
COUNCILS = DATA / "councils"
EXACT = "exact"
MONEY_AND_RATES = "0.5%"
COLUMNS = ["key", "value", "tolerance"]


def default_tolerance(value: str, text: str, label: str = "") -> str:
    """``exact`` for a count (a whole number shown with no £, % or decimals, ``639.0`` shown as
    ``"639"``, whose label speaks of no £), else ``0.5%`` (money, rates, shares and decimals)."""
    number = float(value)
    count = number == round(number) and not any(mark in text for mark in "£%.m") and "£" not in label
    return EXACT if count else MONEY_AND_RATES


def parse_tolerance(text: str, file: str = "") -> float:
    """A tolerance as a share of the value: ``exact`` -> 0, ``0.5%`` -> 0.005, ``0.01`` -> 0.01."""
    cleaned = str(text).strip().lower()
    try:
        return 0.0 if cleaned in (EXACT, "") else float(cleaned[:-1]) / 100 if cleaned.endswith("%") else float(cleaned)
    except ValueError:
        raise InputError(f"expected a tolerance such as 'exact' or '0.5%', got {text!r}", file=file, where="tolerance") from None


def default_councils() -> list[str]:
    """The councils the back-tests cover: the council files of the repository."""
    return sorted(p.stem for p in COUNCILS.glob("*.yml"))


def signed_off(folder: Path | None = None) -> pd.DataFrame:
    """Every signed-off figure (in ``folder``, default :data:`BACKTESTS`): ``council, notebook,
    key, value, tolerance`` (text columns)."""
    frames = []
    for path in sorted((folder or BACKTESTS).glob("*.csv")):
        council, _, notebook = path.stem.partition("_")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(frame.columns) != COLUMNS:
            raise InputError(f"expected the columns {', '.join(COLUMNS)}", file=str(path))
        frame["tolerance"].map(lambda t, f=str(path): parse_tolerance(t, f))
        frames.append(frame.assign(council=council, notebook=notebook))
    columns = ["council", "notebook", *COLUMNS]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns, dtype=str)


def figures_of(run: Path, councils: list[str]) -> pd.DataFrame:
    """The figures with a value of ``councils`` in a run (a site or its ``book/councils``)."""
    figures = provenance.read_run(run)
    return figures[figures["council"].isin(councils) & (figures["value"] != "")].reset_index(drop=True)


def moved(signed: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """The signed-off figures that moved beyond their tolerance or are missing from ``now``:
    ``council, notebook, key, label, signed_off, now, change_pct, tolerance``."""
    both = signed.merge(now[[*diff.WHERE, "label", "value"]], on=diff.WHERE, how="left", suffixes=("", "_now"))
    expected, actual = diff.as_number(both["value"]), diff.as_number(both["value_now"])
    allowed = both["tolerance"].map(parse_tolerance) * expected.abs()
    beyond = ~(np.abs(actual - expected) <= allowed + 1e-9 * expected.abs().clip(lower=1))
    found = both.assign(signed_off=both["value"], now=both["value_now"].fillna(diff.ABSENT),
                        label=both["label"].fillna(""),
                        change_pct=((actual - expected) / expected.abs()).where(expected != 0))
    return found.loc[beyond, [*diff.WHERE, "label", "signed_off", "now", "change_pct", "tolerance"]].reset_index(drop=True)


def proposal(signed: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """The signed-off files a run would write: its figures with a value, each keeping its
    signed-off tolerance (new figures get :func:`default_tolerance`)."""
    kept = signed.set_index(diff.WHERE)["tolerance"]
    rows = now.set_index(diff.WHERE)
    tolerance = kept.reindex(rows.index)
    defaults = pd.Series([default_tolerance(v, t, label) for v, t, label in zip(rows["value"], rows["text"], rows["label"])],
                         index=rows.index, dtype=object)
    tolerance = tolerance.where(tolerance.notna(), defaults)
    return rows.assign(tolerance=tolerance).reset_index()[["council", "notebook", *COLUMNS]]


def write(files: pd.DataFrame, folder: Path | None = None) -> list[Path]:
    """Write one ``<council>_<notebook>.csv`` per council and notebook (in ``folder``, default
    :data:`BACKTESTS`); return the paths. Files of councils and notebooks no longer run are removed."""
    folder = folder or BACKTESTS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for (council, notebook), rows in files.groupby(["council", "notebook"], sort=True):
        path = folder / f"{council}_{notebook}.csv"
        rows[COLUMNS].to_csv(path, index=False)
        written.append(path)
    for stale in set(folder.glob("*.csv")) - set(written):
        stale.unlink()
    return written


def run_councils(site: Path, jobs: int) -> subprocess.CompletedProcess:
    """Run every notebook for the default councils into ``site`` (``carebook run --all``)."""
    env = {**os.environ, "CAREBOOK_SITE": str(site), "CAREBOOK_COUNCILS_DIR": str(COUNCILS)}
    command = [str(Path(sys.executable).parent / "carebook"), "run", "--all", "--jobs", str(jobs), "--quiet", "--no-pdf-charts"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def differences(signed: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every difference between the signed-off figures and a run, whatever the tolerance (what
    ``--update`` would change): :func:`carebook.diff.changes` of the two."""
    as_run = signed.assign(label="", text=signed["value"])
    return diff.changes(as_run, now.assign(text=now["value"]))


def moved_as_text(found: pd.DataFrame) -> str:
    """The moved figures as an aligned table, or a sentence when none moved."""
    if found.empty:
        return "Every signed-off figure is within its tolerance."
    shown = found.assign(change_pct=found["change_pct"].map(lambda v: "" if pd.isna(v) else f"{v:+.2%}"))
    return shown.to_string(index=False) + f"\n{len(found)} signed-off figures moved beyond their tolerance."
