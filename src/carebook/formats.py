"""How the book writes numbers, dates and missing values: one formatter for each kind of value.

Every page, table and sentence of the book formats through these functions, so a sum of money,
a share or a missing value reads the same on every page:

- money to the pound with thousands separators, a loss in brackets as the council's finance
  reports write it: ``1234`` -> ``"£1,234"``, ``-1234`` -> ``"(£1,234)"``; millions ``"£4.21m"``;
- shares as whole percentages (``"72%"``), one decimal where asked (``"7.2%"``);
- counts with thousands separators (``"1,234"``); rates per 10,000 children (``"61 per 10,000"``);
- dates as ``"31 March 2025"`` and collection years as ``"2024-25"``;
- two words for a value that is not there (:data:`NOT_PUBLISHED`, :data:`DOES_NOT_APPLY`).

:func:`parameters_table` turns a parameters model into the table every analysis page shows of
its parameters.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel

from carebook.defaults import default_source

NOT_PUBLISHED = "not published"
"""A value the source does not give: a statistic the DfE did not publish for the council, a
cell suppressed or missing in a table, a figure that cannot be computed from the data."""

DOES_NOT_APPLY = "does not apply"
"""A value that has no meaning in the case at hand: a parameter that is not set (no target),
the bond's saving of an appraisal without a bond, a rate without a base."""


def is_missing(value: Any) -> bool:
    """True for None, NaN and ``pd.NA`` / ``pd.NaT``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _or_missing(value: Any, missing: str, text: Callable[[Any], str]) -> str:
    return missing if is_missing(value) else text(value)


def money(value: float | None, missing: str = NOT_PUBLISHED) -> str:
    """Pounds to the pound with thousands separators, a negative in brackets:
    ``1234.4`` -> ``"£1,234"``, ``-1234.4`` -> ``"(£1,234)"``, ``-0.4`` -> ``"£0"``."""

    def text(v: float) -> str:
        pounds = f"£{abs(v):,.0f}"
        return f"({pounds})" if round(v) < 0 else pounds

    return _or_missing(value, missing, text)


def money_millions(value: float | None, missing: str = NOT_PUBLISHED) -> str:
    """Pounds in millions to two decimal places: ``4_205_000`` -> ``"£4.21m"``,
    ``-4_205_000`` -> ``"(£4.21m)"``."""

    def text(v: float) -> str:
        millions = f"£{abs(v) / 1e6:,.2f}m"
        return f"({millions})" if round(v / 1e4) < 0 else millions

    return _or_missing(value, missing, text)


def share(value: float | None, decimals: int = 0, signed: bool = False, missing: str = NOT_PUBLISHED) -> str:
    """A share (0-1) as a percentage: ``0.724`` -> ``"72%"``; ``decimals=1`` -> ``"72.4%"``;
    ``signed=True`` writes the sign of a change: ``0.05`` -> ``"+5%"``."""
    return _or_missing(value, missing, lambda v: f"{v:{'+' if signed else ''}.{decimals}%}")


def amount(value: float | None, missing: str = NOT_PUBLISHED) -> str:
    """Pounds in a table whose heading says £: :func:`money` without the sign,
    ``-1234.4`` -> ``"(1,234)"``."""
    return money(value, missing).replace("£", "")


def count(value: float | None, decimals: int = 0, missing: str = NOT_PUBLISHED) -> str:
    """A count with thousands separators: ``12345`` -> ``"12,345"``; ``decimals=1`` -> ``"12,345.0"``."""
    return _or_missing(value, missing, lambda v: f"{v:,.{decimals}f}")


def children(value: float) -> str:
    """A number of children in words: ``57.4`` -> ``"57 children"``, ``1`` -> ``"1 child"``,
    ``0.2`` -> ``"less than one child"``."""
    if value < 0.5:
        return "less than one child"
    shown = count(value)
    return f"{shown} child" if shown == "1" else f"{shown} children"


def rate_per_10000(value: float | None, decimals: int = 0, missing: str = NOT_PUBLISHED) -> str:
    """A rate per 10,000 children: ``61.2`` -> ``"61 per 10,000"``."""
    return _or_missing(value, missing, lambda v: f"{v:,.{decimals}f} per 10,000")


def date(value: dt.date | pd.Timestamp | None, missing: str = NOT_PUBLISHED) -> str:
    """A date as people write it: ``2025-03-31`` -> ``"31 March 2025"``."""
    return _or_missing(value, missing, lambda v: f"{v.day} {v:%B %Y}")


def collection_year(year: int) -> str:
    """A collection (or financial) year by the year it ends: ``2025`` -> ``"2024-25"``
    (1 April 2024 to 31 March 2025)."""
    return f"{year - 1}-{year % 100:02d}"


Unit = Literal["money", "money a week", "money a year", "share", "count", "date", "text"]
"""How :func:`parameters_table` writes a parameter's value."""


def unit_of(name: str, value: Any) -> Unit:
    """The unit of parameter ``name`` from its name and value: money for ``*_gbp`` and
    ``price_*`` (a week for ``weekly_*`` and ``*_per_week``), a date, a share for another number between 0 and 1
    that is not an integer, a count for other numbers (not for a year or a seed), else text."""
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, int) and not isinstance(value, bool) and (name.endswith("year") or name == "seed"):
        return "text"  # a year or a seed is a name, not a count: 2018, not 2,018
    if name.endswith("_gbp") or name.startswith("price_") or "_gbp_" in name:
        return "money a week" if name.startswith("weekly_") or name.endswith("per_week") else "money a year" if name.endswith("a_year") else "money"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "text"
    return "share" if isinstance(value, float) and 0 <= value <= 1 else "count"


def value_text(value: Any, unit: Unit) -> str:
    """A parameter's value written in its unit (a share with the decimals it needs, up to two:
    ``0.035`` -> ``"3.5%"``); a list item by item; an unset value
    :data:`DOES_NOT_APPLY`; an empty list ``"none"``; a choice in words (``"official spend"``)."""
    if value is None:
        return DOES_NOT_APPLY
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v, unit) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v, unit)}" for k, v in value.items()) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    writers: dict[str, Callable[[Any], str]] = {
        "money": money,
        "money a week": lambda v: f"{money(v)} a week",
        "money a year": lambda v: f"{money(v)} a year",
        "share": lambda v: share(v, next((d for d in (0, 1) if round(v * 100, d) == round(v * 100, 6)), 2)),
        "count": lambda v: count(v) if float(v).is_integer() else f"{v:,.4g}",
        "date": date,
    }
    if unit in writers:
        return writers[unit](value)
    return value.replace("_", " ") if isinstance(value, str) else str(value)  # a choice such as "official_spend", in words


def label(name: str) -> str:
    """A parameter's name as a label: ``weekly_cost_fostering_gbp`` -> ``"Weekly cost fostering (£)"``,
    ``failure_cost_gbp_a_year`` -> ``"Failure cost (£ a year)"``."""
    text, pounds, per = name.partition("_gbp")
    unit = f" (£{per.replace('_', ' ')})" if pounds else ""
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:] + unit


def schema_source(model: type[BaseModel], name: str) -> str:
    """The source a parameters model cites for the default of field ``name``: its national
    defaults file, else ``json_schema_extra["source"]`` (:func:`carebook.defaults.default_source`)."""
    return default_source(model, name)


def parameters_table(
    params: BaseModel,
    fields: Iterable[str] | None = None,
    *,
    units: Mapping[str, Unit] | None = None,
    labels: Mapping[str, str] | None = None,
    source: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """The reader's table of a parameters model: Parameter (label), Value (written in its unit),
    Meaning (the field's description) and Source, one row per field.

    ``fields`` chooses and orders the fields (default: all); ``units`` and ``labels`` override
    :func:`unit_of` and :func:`label` for some fields; ``source`` gives a field's source
    (default: :func:`schema_source`).
    """
    model = type(params)
    names = list(fields) if fields is not None else list(model.model_fields)
    units, labels = units or {}, labels or {}
    cite = source or (lambda name: schema_source(model, name))
    values = [getattr(params, name) for name in names]
    return pd.DataFrame({
        "Parameter": [labels.get(n, label(n)) for n in names],
        "Value": [value_text(v, units.get(n) or unit_of(n, v[0] if isinstance(v, list | tuple) and v else v))
                  for n, v in zip(names, values, strict=True)],
        "Meaning": [model.model_fields[n].description or "" for n in names],
        "Source": [cite(n) for n in names],
    })
