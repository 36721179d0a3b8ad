"""Council parameters: one YAML file per council or council group, validated into types.

A council file (``data/councils/<slug>.yml``) names the council and its member local
authorities and overrides the national defaults of each analysis. Any English council can
also be run by ONS code or name with no file of its own, on national defaults.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from carebook import registry, regions
from carebook.council import Council
from carebook.errors import InputError
from carebook.paths import councils_dir, relative
from carebook.public import local_authorities
from carebook.text import slugify
from carebook.validation import describe_validation_error, error_location

ONS_CODE = re.compile(r"^E(06|07|08|09|10)\d{6}$")


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Contact(BaseModel):
    """Who readers contact about a council's pages (a team, never a person's name is needed)."""

    model_config = ConfigDict(extra="forbid")

    team: str = Field(min_length=1, description="The team readers contact, e.g. 'Commissioning team, Nottingham City Council'")
    name: str | None = Field(None, description="A named role or person, where the council publishes one")
    email: str | None = Field(None, description="The team's email address")

    @field_validator("email")
    @classmethod
    def _an_address(cls, email: str | None) -> str | None:
        if email is not None and not EMAIL.match(email):
            raise ValueError("expected an email address like commissioning@council.gov.uk")
        return email

    def text(self) -> str:
        """The contact in one line: ``"Commissioning team, Nottingham City Council
        (commissioning@nottinghamcity.gov.uk)"``."""
        who = ", ".join(part for part in (self.name, self.team) if part)
        return f"{who} ({self.email})" if self.email else who


class CouncilFile(BaseModel):
    """What every council file holds; :func:`council_file_model` adds the analyses' sections."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The council's name as the book shows it")
    members: list[str] = Field(min_length=1, description="ONS codes of the member local authorities")
    description: str | None = Field(None, description="One line on the council's programme")
    contact: Contact | None = Field(None, description="Who readers contact about the council's pages")

    @field_validator("members")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        known = set(local_authorities()["new_la_code"])
        for code in codes:
            if not ONS_CODE.match(code) or code not in known:
                raise ValueError(f"expected the ONS code of an English council (like E08000018), got {code!r}")
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"expected each member once; listed more than once: {', '.join(repeated)}")
        return codes


def council_file_model() -> type[CouncilFile]:
    """The schema of a council file: :class:`CouncilFile` with one section per entry of the
    analyses registry that has parameters (the section's defaults when a file leaves it
    out, or None for an optional one). Any other key is an error naming it."""
    return _council_file_model(registry.entries())


@functools.lru_cache(maxsize=8)
def _council_file_model(entries: tuple[registry.Analysis, ...]) -> type[CouncilFile]:
    fields: dict[str, Any] = {}
    for entry in entries:  # a handful of analyses
        key = entry.section_key
        if key is None:
            continue
        if key in CouncilFile.model_fields:
            raise InputError(f"the section {key!r} of {entry.name!r} is a key every council file has: expected another name",
                             file=entry.declared_in, where=entry.name)
        model = entry.parameters_model()
        fields[key] = (model | None, None) if entry.optional else (model, Field(default_factory=model))
    return create_model("CouncilFile", __base__=CouncilFile, **fields)


_FILE_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


def council_files() -> dict[str, Path]:
    """The council files by slug (file name without ``.yml``); InputError when the
    folder does not exist. Each file is checked against the others when it is loaded
    (:func:`check_distinct`)."""
    folder = councils_dir()
    if not folder.is_dir():
        how = "CAREBOOK_COUNCILS_DIR" if "CAREBOOK_COUNCILS_DIR" in os.environ else "the default data/councils"
        raise InputError(f"the council files folder does not exist (from {how})", file=str(folder))
    return {path.stem: path for path in sorted(folder.glob("*.yml"))}


def check_distinct(files: dict[str, Path], chosen: Path) -> None:
    """One file per council: ``chosen`` shares no name or member list with another file
    and borrows no other council's name. Conflicts that do not involve ``chosen`` and
    files that cannot be read are left to the loading of those files, so that one bad
    file never stops the other councils."""
    seen_names: dict[str, Path] = {}
    seen_members: dict[tuple[str, ...], Path] = {}
    authorities = local_authorities()
    names = dict(zip(authorities["la_name"].map(slugify), authorities["new_la_code"]))
    for path in files.values():  # a handful of council files
        try:
            content = _read_yaml(path)
            members = _members(path)
        except InputError:
            if path == chosen:
                raise
            continue
        name = content.get("name")
        if isinstance(name, str) and name.strip():
            first = seen_names.setdefault(slugify(name), path)
            if first != path and chosen in (first, path):
                raise InputError(
                    f"the council name {name!r} is also the name in {relative(first)}: expected one file per council",
                    file=relative(path), where="name",
                )
            borrowed = names.get(slugify(name))
            if path == chosen and len(members) == 1 and borrowed is not None and borrowed != members[0]:
                raise InputError(
                    f"the name {name!r} is the council {borrowed}, but members lists {members[0]}: "
                    "expected the name of the member council (or a name that is no other council's)",
                    file=relative(path), where="name",
                )
        if members:
            first = seen_members.setdefault(tuple(sorted(map(str, members))), path)
            if first != path and chosen in (first, path):
                raise InputError(
                    f"the members {', '.join(map(str, members))} are also the members in {relative(first)}: "
                    "expected one file per council",
                    file=relative(path), where="members",
                )


def region_council(ref: str) -> Council:
    """The group council of a region (:mod:`carebook.regions`): its members' figures summed,
    national defaults, slug ``region-<name>``."""
    code, name, members = regions.region_members(ref)
    council = _complete(council_file_model()(name=f"{name} region", members=members), slug=regions.region_slug(name), source=None)
    return council.model_copy(update={"region_code": code, "region_name": name})


def load_council(ref: str) -> Council:
    """A council by file slug, ONS code or name (``"rotherham"``, ``"E08000035"``, ``"Leeds"``),
    or a region run as a group (``"region:E12000004"``, see :mod:`carebook.regions`)."""
    if regions.is_region_ref(ref):
        return region_council(ref)
    files = council_files()
    if ref in files:
        return _from_file(files[ref])
    authorities = local_authorities()
    match = authorities[(authorities["new_la_code"] == ref.upper()) | (authorities["la_name"].map(slugify) == slugify(ref))]
    if match.empty:
        raise InputError(_unknown_council_message(ref, files, authorities), where="council")
    code, name = match["new_la_code"].iloc[0], match["la_name"].iloc[0]
    for path in files.values():  # a handful of council files
        if _readable_members(path, named=path.stem == slugify(name)) == [code]:
            return _from_file(path)
    return _complete(council_file_model()(name=name, members=[code]), slug=slugify(name), source=None)


def _unknown_council_message(ref: str, files: dict[str, Path], authorities: pd.DataFrame) -> str:
    choices = list(files) + list(authorities["la_name"])
    close = difflib.get_close_matches(ref, choices, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return (
        f"unknown council {ref!r}: expected a council file name ({', '.join(files)}), "
        f"an ONS code like E08000035 or a council name like 'Leeds' (see 'carebook councils'){hint}"
    )


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, first_line: int, line: int):
        super().__init__(f"the key {key!r} is given twice, on lines {first_line} and {line}: expected each key once")
        self.line = line


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key given twice in one mapping (plain YAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:  # the keys of one mapping
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    raise _DuplicateKey(key, seen[key], line)
                seen[key] = line
            except TypeError:  # an unhashable key: the base loader reports it
                continue
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> dict[str, Any]:
    """A council file's top-level mapping (cached while the file is unchanged)."""
    try:
        stat = path.stat()
    except OSError:
        raise InputError("the council file cannot be read", file=relative(path)) from None
    return _parse_yaml(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _parse_yaml(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"expected UTF-8 text; byte 0x{raw[error.start]:02x} is not UTF-8 (save the file as UTF-8)",
            file=relative(path), where=f"line {line}",
        ) from None
    try:
        content = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader
    except _DuplicateKey as error:
        raise InputError(str(error), file=relative(path), where=f"line {error.line}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise InputError(f"not valid YAML ({getattr(error, 'problem', error)})", file=relative(path), where=where) from None
    if not isinstance(content, dict):
        raise InputError("expected a mapping of keys (name, members, ...) at the top level", file=relative(path))
    return content


def _readable_members(path: Path, named: bool) -> list[str]:
    """The members of a council file; [] for a file that cannot be read, unless the file
    is ``named`` after the council looked for (its error is then that council's)."""
    try:
        return _members(path)
    except InputError:
        if named:
            raise
        return []


def _members(path: Path) -> list[str]:
    members = _read_yaml(path).get("members")
    return members if isinstance(members, list) else []


def council_from_file(path: Path) -> Council:
    """The council of one council file, wherever it is (e.g. a reference programme in the
    repository's ``data/councils``, whatever councils folder a run uses)."""
    return _from_file(path)


def _from_file(path: Path) -> Council:
    if not _FILE_SLUG.fullmatch(path.stem):
        raise InputError("expected a file name of lower-case letters, digits, '-' and '_' (it becomes the "
                         "council's web address in the book)", file=relative(path))
    check_distinct(council_files(), path)
    content = _read_yaml(path)
    _reject_booleans_as_numbers(content, path)
    try:
        parsed = council_file_model().model_validate(content)
    except ValidationError as error:
        raise InputError(_describe(error), file=relative(path), where=error_location(error)) from None
    return _complete(parsed, slug=path.stem, source=relative(path))


def _describe(error: ValidationError) -> str:
    """A council file's first problem in one sentence; an unknown section also says where
    the sections come from."""
    message = describe_validation_error(error, council_file_model())
    first = error.errors()[0]
    if first["type"] == "extra_forbidden" and len(first["loc"]) == 1:
        message += f" (the analyses' sections are those registered in {relative(registry.REGISTRY)})"
    return message


def _reject_booleans_as_numbers(content: dict[str, Any], path: Path) -> None:
    """A number field given true/false (YAML reads yes, no, on, off as those) is an error, never 1 or 0.

    The file is validated again in pydantic's strict mode, where a boolean is not a number.
    """
    try:
        council_file_model().model_validate(content, strict=True)
    except ValidationError as error:
        for problem in error.errors():  # the few problems of one file
            if isinstance(problem.get("input"), bool) and problem["type"] in ("float_type", "int_type"):
                where = ".".join(str(part) for part in problem["loc"])
                raise InputError(
                    f"expected a number, got {str(problem['input']).lower()} (YAML reads yes/no/on/off/true/false "
                    "as true or false, not as a number)",
                    file=relative(path), where=where,
                ) from None


def _with_prices(parsed: CouncilFile) -> dict[str, Any]:
    """The file's sections, each section whose model has ``with_prices`` completed from the
    council's weekly prices (its ``prices:`` section, else the national catalogue)."""
    sections = dict(parsed)
    prices = sections.get("prices")
    for key, section in sections.items():  # a handful of sections
        if hasattr(section, "with_prices"):
            sections[key] = section.with_prices(prices)
    return sections


def _complete(parsed: CouncilFile, slug: str, source: str | None) -> Council:
    authorities = local_authorities().set_index("new_la_code").loc[parsed.members]
    regions = authorities["region_name"].unique()
    return Council(
        **_with_prices(parsed),
        slug=slug,
        old_codes=list(authorities["old_la_code"]),
        region_code=authorities["region_code"].iloc[0] if len(regions) == 1 else "",
        region_name=" / ".join(regions),
        has_own_file=source is not None,
        source_file=source,
    )
