"""Read the DfE SSDA903 XML submission into header and episodes text columns.

The return's root element is ``EXPSSDA903``; one ``CHILD`` element per child holds a
``HEADER`` (``CHILDID``, ``UPN``, ``SEX``, ``DOB``, ``ETHNIC``, ``UASC``, ``MOTHER``,
``MC_DOB`` and nested ``AREVIEW``, ``AMISSING``, ``OC2``, ``OC3``, ``AD1``,
``PERMANENCE``, ``AD_PLACED`` elements, which are not read here) and then the child's
``EPISODE`` elements (``DECOM``, ``RNE``, ``LS``, ``CIN``, ``PL``, ``PL_POST``,
``HOME_POST``, ``URN``, ``PLACE_PROVIDER``, ``DEC``, ``REC``, ``REASON_PLACE_CHANGE``),
the element names data-to-insight's csc-validator-be-903 reads. ``CHILDID`` is the
CSV's ``CHILD`` and ``PL`` its ``PLACE``; an empty element (``<DEC />``) is blank.

Row numbers: ``_row`` of a header row is the ordinal of its ``CHILD`` element in the
file (1 for the first child) and ``_row`` of an episode the ordinal of its ``EPISODE``
element, so each row of each kind has its own number ("row 12" of the episodes of
``return_2025.xml`` is the twelfth EPISODE element of the return).

Speed (a national return has 100,000 children and ten million elements): building an
ElementTree of every element costs several microseconds each, so the file is read in
two C-speed passes instead. First ``pyexpat`` parses it with no handlers, which proves
it well-formed XML (a truncated or broken file is an InputError giving expat's line and
column). Then one regular expression lists its tokens in document order: the start of
each ``CHILD``, ``HEADER`` and ``EPISODE`` element, and each leaf element's name and text
(``<DEC>01/04/2024</DEC>``, ``<DEC />``, attributes allowed; values trimmed). Each leaf belongs to the
child and episode of the markers before it; columns are filled with numpy by those
numbers, with no per-row Python work. Comments are removed and CDATA sections escaped
before the tokens are listed; entities (``&amp;``) are decoded in the values holding one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from xml.parsers import expat

import numpy as np
import pandas as pd

from carebook.errors import InputError
from carebook.ssda903 import codes

ROOT = "EXPSSDA903"
#: Element name of each header column (CSV column -> XML element).
HEADER_ELEMENTS: dict[str, str] = {column: column for column in codes.HEADER_COLUMNS} | {"CHILD": "CHILDID"}
#: Element name of each episode column; CHILD comes from the child's HEADER.
EPISODE_ELEMENTS: dict[str, str] = {column: column for column in codes.EPISODE_COLUMNS if column != "CHILD"} | {
    "PLACE": "PL"}
_MARKERS = ("CHILD", "HEADER", "EPISODE")
_LEAF = r"<([A-Za-z_][\w.-]*)(?:\s[^>]*)?(?:/>|>{value}</\2\s*>)"
_TOKENS = re.compile(rf"<({'|'.join(_MARKERS)})[\s>/]|" + _LEAF.format(value=r"([^<]*)"))
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([\w.-]+)")


def _check_well_formed(path: Path, label: str) -> None:
    """InputError (expat's message: what, line, column) when the file is not well-formed XML."""
    parser = expat.ParserCreate()
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except expat.ExpatError as error:
        raise InputError(f"expected a well-formed XML file: {error}", file=label) from None


def _text(path: Path, label: str) -> str:
    """The file as text (its declared encoding, else UTF-8), comments removed, CDATA escaped."""
    data = path.read_bytes()
    declared = _ENCODING.match(data)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding)
    except (LookupError, UnicodeDecodeError):
        raise InputError(f"expected XML text in its declared encoding ({encoding})", file=label) from None
    if "<!--" in text:
        text = _COMMENT.sub("", text)
    if "<![CDATA[" in text:
        text = _CDATA.sub(lambda match: html.escape(match.group(1), quote=False), text)
    return text


def _values(values: np.ndarray, text: str) -> np.ndarray:
    """Token values trimmed (only if some value has spaces around it), blanks as None,
    and entities decoded (only if the file has any)."""
    joined = "\x00" + "\x00".join(values.tolist()) + "\x00"
    if any(f"{space}\x00" in joined or f"\x00{space}" in joined for space in " \t\r\n"):
        values = np.array([value.strip() for value in values], dtype=object)
    values = np.where(values == "", None, values)
    if "&" in text:
        entity = np.array([value is not None and "&" in value for value in values], dtype=bool)
        values[entity] = [html.unescape(value) for value in values[entity]]
    return values


def _column(values: np.ndarray, selected: np.ndarray, row: np.ndarray, rows: int) -> pd.Series:
    """``rows`` values: each selected token's value at its row (NA elsewhere or blank)."""
    out = np.full(rows, None, dtype=object)
    out[row[selected]] = values[selected]
    return pd.Series(pd.array(out, dtype="string"))


def read_xml(path: Path | str, label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Header and episodes rows of one XML return as text columns (the 903 CSV columns,
    NA where blank) plus ``_file`` (``label``) and ``_row`` (ordinal of the CHILD element for
    a header row, of the EPISODE element for an episode).

    InputError when the file is empty or not well-formed XML, its root is not
    ``EXPSSDA903``, it holds no CHILD, or a CHILD has no HEADER.
    """
    path = Path(path)
    if path.stat().st_size == 0:
        raise InputError("expected a DfE SSDA903 XML return; the file is empty", file=label)
    _check_well_formed(path, label)
    text = _text(path, label)
    root = _FIRST_TAG.search(text)
    if root is None or root.group(1) != ROOT:
        raise InputError(f"not an SSDA903 XML return: expected the root element {ROOT}, found "
                         f"{root.group(1) if root else 'none'}", file=label)
    tokens = np.array(_TOKENS.findall(text), dtype=object).reshape(-1, 3)
    marker, tag, value = tokens[:, 0], tokens[:, 1], _values(tokens[:, 2], text)
    is_child, is_header, is_episode = (marker == name for name in _MARKERS)
    children = int(is_child.sum())
    if not children:
        raise InputError(f"expected CHILD elements in the {ROOT} return; none", file=label)
    child_no = np.cumsum(is_child) - 1
    without_header = np.setdiff1d(np.arange(children), child_no[is_header])
    if without_header.size:
        row = int(without_header[0]) + 1
        raise InputError("expected a HEADER element in each CHILD; none", file=label, where=f"row {row} (CHILD {row})")
    is_marker = marker != ""
    last_marker = np.maximum.accumulate(np.where(is_marker, np.arange(len(marker)), 0))
    in_episode = is_episode[last_marker] & ~is_marker
    in_header = ~in_episode & ~is_marker & (child_no >= 0)
    episode_no = np.cumsum(is_episode) - 1
    tag_code, tag_names = pd.factorize(tag)
    code_of = {name: number for number, name in enumerate(tag_names)}
    episodes_n = int(is_episode.sum())
    header = {column: _column(value, in_header & (tag_code == code_of.get(name, -2)), child_no, children)
              for column, name in HEADER_ELEMENTS.items()}  # seven columns, each over all tokens at once
    episodes = {column: _column(value, in_episode & (tag_code == code_of.get(name, -2)), episode_no, episodes_n)
                for column, name in EPISODE_ELEMENTS.items()}  # twelve columns
    episode_child = child_no[is_episode]
    episodes["CHILD"] = header["CHILD"].iloc[episode_child].reset_index(drop=True)
    rows = {"header": np.arange(1, children + 1), "episodes": np.arange(1, episodes_n + 1)}
    return (pd.DataFrame(header).assign(_file=label, _row=rows["header"]),
            pd.DataFrame(episodes)[list(codes.EPISODE_COLUMNS)].assign(_file=label, _row=rows["episodes"]))
