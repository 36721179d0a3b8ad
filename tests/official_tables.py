"""Cutting official tables into a test's own folder: the bad-input corpus of the unit tier
(on the fixture) and of the national tier (on the full published files) share these."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from carebook import public
from carebook.errors import InputError

Edit = Callable[[list[str]], list[str]]

CLA = "dfe/cla_number_and_rate_per_10k_children.csv"
CLA_NUMERIC = ["population_estimate", "children_count", "rate_per_10000"]
NEIGHBOURS = "dfe/sn_model_2025_wide.csv"
RO3 = "derived/ro3_2024_25_children_looked_after_expenditure_by_la_gbp_thousands.csv"
C1 = "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
STPR = "greenbook/stpr_schedule.csv"
DEFLATOR = "greenbook/gdp_deflator_2024eq100.csv"
STABILITY = "dfe/la_cla_placement_stability.csv"
NOTTINGHAM = "E06000018"
AT_31_MARCH = "Children looked after on 31 March each year"


def published_lines(folder: Path, relpath: str, keep: Callable[[str], bool] = lambda line: True) -> list[str]:
    """The header and the kept lines of an official file in ``folder`` (line endings kept)."""
    header, *rows = (folder / relpath).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    return [header, *[row for row in rows if keep(row)]]


def edited(folder: Path, relpath: str, edit: Edit, keep: Callable[[str], bool] = lambda row: True) -> Callable[[], str]:
    """A maker of the text of ``relpath``'s kept lines after ``edit``."""
    return lambda: "".join(edit(published_lines(folder, relpath, keep)))


def replace_field(line: str, index: int, value: str) -> str:
    fields = line.rstrip("\n").split(",")
    fields[index] = value
    return ",".join(fields) + "\n"


def set_field(index: int, field: int, value: str) -> Edit:
    """An edit putting ``value`` in field ``field`` of line ``index`` (0 = the header)."""
    return lambda lines: [*lines[:index], replace_field(lines[index], field, value), *lines[index + 1:]]


def write(folder: Path, relpath: str, content: str | bytes) -> Path:
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


@dataclass(frozen=True)
class BadTable:
    name: str
    relpath: str
    make: Callable[[], str | bytes]
    message: str  # a regular expression for the whole message after the file name
    numeric: tuple[str, ...] = ()


def assert_one_clear_error(case: BadTable, folder: Path) -> None:
    """Reading ``case``'s table written into ``folder`` is one ``InputError`` naming the file
    and matching ``case.message``."""
    write(folder, case.relpath, case.make())
    with pytest.raises(InputError) as error:
        public.read(case.relpath, numeric=case.numeric)
    message = str(error.value)
    assert error.value.file == case.relpath
    assert message.startswith(f"{case.relpath}: ")
    assert re.fullmatch(case.message, message.removeprefix(f"{case.relpath}: ")), message
    assert "Traceback" not in message
