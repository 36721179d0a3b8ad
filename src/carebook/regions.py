"""The nine English regions as groups of councils, run as the Tri-borough is.

``carebook run region:E12000004`` (or ``region:east-midlands``, or the group's slug
``region-east-midlands``) runs the region's councils as one group: every official figure is
the sum of its members' (Inner and Outer London form London, see
:func:`carebook.comparator.region`). The groups come from the registry of local authorities
(``data/reference/local_authorities.csv``), so no council file is needed.
"""

from __future__ import annotations

from carebook import comparator
from carebook.errors import InputError
from carebook.text import slugify as _slug

PREFIX = "region:"
SLUG_PREFIX = "region-"


def is_region_ref(ref: str) -> bool:
    """Whether ``ref`` names a region group (``region:E12000004``, ``region:east-midlands``, ``region-east-midlands``)."""
    return ref.lower().startswith((PREFIX, SLUG_PREFIX))


def region_members(ref: str) -> tuple[str, str, list[str]]:
    """The region a reference names: its code, name and member councils (ONS codes)."""
    wanted = ref[len(PREFIX):] if ref.lower().startswith(PREFIX) else ref[len(SLUG_PREFIX):]
    placed = comparator.regions()
    names = placed["region_name"].map(_slug)
    rows = placed[(placed["region_code"] == wanted.upper()) | (names == _slug(wanted))]
    if rows.empty:
        known = ", ".join(f"{code} ({name})" for code, name in placed[["region_code", "region_name"]].drop_duplicates().sort_values("region_code").itertuples(index=False))
        raise InputError(f"unknown region {wanted!r}: expected one of {known}", where="council")
    return rows["region_code"].iloc[0], rows["region_name"].iloc[0], list(rows["new_la_code"])


def region_slug(name: str) -> str:
    """The slug of a region's group council: ``"East Midlands"`` -> ``"region-east-midlands"``."""
    return f"{SLUG_PREFIX}{_slug(name)}"
