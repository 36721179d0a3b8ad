"""Read the DfE SSDA903 XML submission into header and episodes text columns.

The return's root element is ``EXPSSDA903``; one ``CHILD`` element per child holds a
``HEADER`` (``CHILDID``, ``UPN``, ``SEX``, ``DOB``, ``ETHNIC``, ``UASC``, ``MOTHER``,
``MC_DOB`` and nested ``AREVIEW``, ``AMISSING``, ``OC2``, ``OC3``, ``AD1``,
``PERMANENCE``, ``AD_PLACED`` elements, which are not read here) and then the child's
``EPISODE`` elements (``DECOM``, ``RNE``, ``LS``, ``CIN``, ``PL``, ``PL_POST``,
``HOME_POST``, ``URN``, ``PLACE_PROVIDER``, ``DEC``, ``REC``, ``REASON_PLACE_CHANGE``),
the element names data-to-insight's csc-validator-be-903 reads. ``CHILDID`` is the
CSV's ``CHILD`` and ``PL`` its ``PLACE``; an empty element (``<DEC />``) is blank.

Row numbers: ``_row`` of a header row and of each of its episodes is the ordinal of
the child's ``CHILD`` element in the file (1 for the first child), so "row 12 of
return_2025.xml" is the twelfth child of the return. (ElementTree's fast parser does
not record line numbers, and a return written on one line has none worth giving.)

The file is read with ``xml.etree.ElementTree.iterparse``: each ``CHILD`` element is
read into column lists when it ends and then cleared, so a national-scale return
(100,000 children) is read in one pass without holding its tree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from carebook.errors import InputError
from carebook.ssda903 import codes

ROOT = "EXPSSDA903"
#: Element name of each header column (CSV column -> XML element).
HEADER_ELEMENTS: dict[str, str] = {column: column for column in codes.HEADER_COLUMNS} | {"CHILD": "CHILDID"}
#: Element name of each episode column; CHILD comes from the child's HEADER.
EPISODE_ELEMENTS: dict[str, str] = {column: column for column in codes.EPISODE_COLUMNS if column != "CHILD"} | {
    "PLACE": "PL"}


def _root_tag(path: Path, label: str) -> str:
    """The name of the file's root element (InputError when it is not XML)."""
    try:
        with path.open("rb") as handle:
            for _, element in ET.iterparse(handle, events=("start",)):
                return str(element.tag)
    except ET.ParseError as error:
        raise InputError(f"expected a well-formed XML file: {error}", file=label) from None
    raise InputError("expected an XML file; the file is empty", file=label)


def _frame(columns: dict[str, list[str | None]], rows: list[int], label: str) -> pd.DataFrame:
    """Text columns (trimmed, blanks NA) with ``_file`` and ``_row``."""
    text = {}
    for column, values in columns.items():  # a dozen columns
        stripped = pd.Series(values, dtype="string").str.strip()
        text[column] = stripped.mask(stripped == "")
    return pd.DataFrame(text).assign(_file=label, _row=pd.array(rows, dtype="int64"))


def read_xml(path: Path | str, label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Header and episodes rows of one XML return as text columns (the 903 CSV columns,
    NA where blank) plus ``_file`` (``label``) and ``_row`` (ordinal of the CHILD element).

    InputError when the file is not XML, its root is not ``EXPSSDA903``, a child has no
    HEADER, or there are no children.
    """
    path = Path(path)
    if path.stat().st_size == 0:
        raise InputError("expected a DfE SSDA903 XML return; the file is empty", file=label)
    tag = _root_tag(path, label)
    if tag != ROOT:
        raise InputError(f"not an SSDA903 XML return: expected the root element {ROOT}, found {tag}", file=label)
    header: dict[str, list[str | None]] = {column: [] for column in HEADER_ELEMENTS}
    episodes: dict[str, list[str | None]] = {column: [] for column in codes.EPISODE_COLUMNS}
    header_rows: list[int] = []
    episode_rows: list[int] = []
    ordinal = 0
    try:
        for _, element in ET.iterparse(path, events=("end",)):  # one pass over the file
            if element.tag != "CHILD":
                continue
            ordinal += 1
            head = element.find("HEADER")
            if head is None:
                raise InputError("expected a HEADER element in each CHILD; none", file=label,
                                 where=f"row {ordinal} (CHILD element {ordinal})")
            values = {item.tag: item.text for item in head}
            for column, name in HEADER_ELEMENTS.items():  # seven columns
                header[column].append(values.get(name))
            header_rows.append(ordinal)
            child = values.get("CHILDID")
            for episode in element.iterfind("EPISODE"):  # the child's episodes
                values = {item.tag: item.text for item in episode}
                episodes["CHILD"].append(child)
                for column, name in EPISODE_ELEMENTS.items():  # twelve columns
                    episodes[column].append(values.get(name))
                episode_rows.append(ordinal)
            element.clear()
    except ET.ParseError as error:
        raise InputError(f"expected a well-formed XML file: {error}", file=label) from None
    if not ordinal:
        raise InputError(f"expected CHILD elements in the {ROOT} return; none", file=label)
    return _frame(header, header_rows, label), _frame(episodes, episode_rows, label)
