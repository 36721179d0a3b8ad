"""The wording of pydantic's validation errors for users: one sentence naming the problem.

Shared by every reader of a user's YAML (council files, the catalogue of official
statistics, the analyses registry), so it depends on nothing else of carebook.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError


def describe_validation_error(error: ValidationError, model: type[BaseModel]) -> str:
    """The first problem of a pydantic error as one sentence a user can act on."""
    first = error.errors()[0]
    more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
    if first["type"] == "extra_forbidden":
        allowed = _allowed_keys(model, first["loc"][:-1])
        key = str(first["loc"][-1])
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(allowed)}"
        return f"unknown key {key!r}{hint}{more}"
    message = first["msg"].removeprefix("Value error, ")
    got = first.get("input")
    shown = "" if isinstance(got, dict | list) or first["type"] == "missing" else f", got {_as_written(got)}"
    return f"{message}{shown}{more}"


def _as_written(value: Any) -> str:
    """A value as a YAML file writes it: a date as ``2024-11-15``, anything else quoted as Python shows it."""
    return value.isoformat() if isinstance(value, date) else repr(value)


def error_location(error: ValidationError) -> str:
    """Where the first problem is, as dotted keys (``cost_benefit.success_rate``)."""
    return ".".join(str(part) for part in error.errors()[0]["loc"])


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names at a location in a nested model (for 'did you mean')."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        annotation = getattr(field, "annotation", None)
        nested = _model_in(annotation)
        if nested is None:
            return []
        model = nested
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
