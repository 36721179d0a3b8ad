"""National defaults of the analyses' parameters: one file per section, one function to read it.

``data/reference/defaults/<section>.yml`` holds, for each parameter of a section, its national
default ``value``, its ``unit``, its ``source`` (document title, publisher and date, as the
reader sees it cited) and an ``evidence`` rating (red, amber, green). The parameters models keep
only types, bounds and descriptions and take their defaults from here (:func:`national`), so a
default and the source it cites live in one place. The assumptions log quotes the defaults
through templates (:func:`render`), so changing a value changes the text that describes it.
"""

from __future__ import annotations

import copy
import functools
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from carebook.errors import InputError
from carebook.paths import REFERENCE, relative
from carebook.validation import describe_validation_error, error_location

DEFAULTS = REFERENCE / "defaults"

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


class Default(BaseModel):
    """One national default: its value, unit, source and evidence rating."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Any
    unit: str
    source: str
    evidence: Literal["red", "amber", "green"]


def defaults_file(section: str) -> Path:
    """The file of a section's national defaults."""
    return DEFAULTS / f"{section}.yml"


@functools.cache
def national_defaults(section: str) -> dict[str, Default]:
    """The national defaults of ``section`` by parameter name (InputError naming the file and
    the key of an entry that is malformed)."""
    path = defaults_file(section)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"the national defaults of {section} cannot be read ({error})", file=relative(path)) from None
    if not isinstance(content, dict):
        raise InputError("expected a mapping of parameter names to entries (value, unit, source, evidence)",
                         file=relative(path))
    found: dict[str, Default] = {}
    for key, entry in content.items():
        try:
            found[str(key)] = Default.model_validate(entry)
        except ValidationError as error:
            where = error_location(error)
            raise InputError(describe_validation_error(error, Default), file=relative(path),
                             where=f"{key}.{where}" if where else str(key)) from None
    return found


def national_default(section: str, name: str) -> Default:
    """The national default of parameter ``name`` of ``section`` (InputError when it has none)."""
    entries = national_defaults(section)
    if name not in entries:
        raise InputError(f"no national default of {name}: expected an entry with value, unit, source and evidence",
                         file=relative(defaults_file(section)), where=name)
    return entries[name]


def national(section: str, name: str) -> Callable[[], Any]:
    """A ``default_factory`` for a parameters model's field: a fresh copy of the national value."""
    return lambda: copy.deepcopy(national_default(section, name).value)


def default_source(model: type[BaseModel], name: str) -> str:
    """The source a parameters model cites for its default of ``name``: the national defaults file
    of the model's ``defaults_section``, else the field's ``json_schema_extra["source"]``."""
    section = getattr(model, "defaults_section", None)
    if section is not None:
        return national_default(section, name).source
    extra = model.model_fields[name].json_schema_extra
    return str(extra.get("source", "")) if isinstance(extra, dict) else ""


def _words(value: int) -> str:
    return NUMBER_WORDS[value] if 0 <= value < len(NUMBER_WORDS) else f"{value:,}"


#: How a template writes a value: ``{name:share}`` -> "70%", ``{name:gbp}`` -> "£3,000", ...
STYLES: dict[str, Callable[[Any], str]] = {
    "share": lambda v: f"{v:.0%}",
    "gbp": lambda v: f"£{v:,.0f}",
    "words": lambda v: _words(int(v)),
    "count": lambda v: f"{v:,}",
    "below": lambda v: f"{int(v) - 1:,}",
    "band": lambda v: f"{round((1 - v) / 2 * 100)}th to {round((1 + v) / 2 * 100)}th percentile",
    "list": lambda v: ", ".join(map(str, v)),
}


def render(text: str, values: Mapping[str, Any], *, file: str | None = None, where: str | None = None) -> str:
    """``text`` with each ``{name}`` or ``{name:style}`` replaced by ``values[name]`` written in
    ``style`` (:data:`STYLES`; no style: as text). InputError naming ``file`` and ``where`` for a
    name without a value or an unknown style."""
    parts = []
    for literal, name, style, _ in string.Formatter().parse(text):
        parts.append(literal)
        if name is None:
            continue
        if name not in values:
            raise InputError(f"the template names {{{name}}}, which is not a parameter with a national default",
                             file=file, where=where)
        if style and style not in STYLES:
            raise InputError(f"the template's style {style!r} is unknown: expected one of {', '.join(STYLES)}",
                             file=file, where=where)
        value = values[name]
        parts.append(STYLES[style](value) if style else str(value))
    return "".join(parts)


def template_values(*sections: str) -> dict[str, Any]:
    """The values assumption templates may quote: every national default of ``sections`` by name,
    and every weekly price of the catalogue as ``price_<provider>_<group>`` (£ a week)."""
    from carebook.prices import catalogue  # noqa: PLC0415

    values: dict[str, Any] = {name: entry.value for section in sections for name, entry in national_defaults(section).items()}
    for group, providers in catalogue().model_dump().items():
        values |= {f"price_{provider}_{group}": entry["weekly_gbp"] for provider, entry in providers.items()}
    return values


def sections() -> list[str]:
    """The sections with a national defaults file (the catalogue of placement prices, read by
    :mod:`carebook.prices`, apart)."""
    return sorted(path.stem for path in DEFAULTS.glob("*.yml") if path.stem != "placement_prices")


def assumption_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of an assumptions file (``data/reference/assumptions/*.yml``) with their texts
    rendered from the national defaults (:func:`render`, :func:`template_values` of every section,
    each name also as ``section.name``): the log always states the values the analyses use."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"the assumptions file cannot be read ({error})", file=relative(path)) from None
    if not isinstance(content, list | type(None)):
        raise InputError("expected a list of entries", file=relative(path))
    values = template_values(*sections())
    values |= {f"{section}.{name}": entry.value for section in sections() for name, entry in national_defaults(section).items()}
    return [
        {key: render(text, values, file=relative(path), where=f"{entry.get('id', number + 1)}.{key}")
         if isinstance(text, str) else text for key, text in entry.items()}
        for number, entry in enumerate(content or [])
    ]
