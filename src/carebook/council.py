"""A council (or group of councils) ready to run: what every analysis is given.

This module imports no analysis, so every analysis can name :class:`Council`. The council's
parameter sections (``council.sufficiency``, ``council.flow_model``, ``council.ssda903``...)
are those of the analyses registry (:mod:`carebook.registry`), validated from the council
file by :func:`carebook.params.load_council`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field


class Council(BaseModel):
    """A council's file (or the national defaults) plus what the local-authority list knows.

    One attribute per registered council-file section holds that section's parameters model
    (or None for an optional section the file leaves out).
    """

    model_config = ConfigDict(extra="allow")

    name: str = Field(description="The council's name as the book shows it")
    members: list[str] = Field(min_length=1, description="ONS codes of the member local authorities")
    description: str | None = Field(None, description="One line on the council's programme")
    slug: str = Field(description="The council's web address in the book")
    old_codes: list[str] = Field(description="DfE's three-digit codes of the members")
    region_code: str = Field(description="ONS code of the region ('' for a group across regions)")
    region_name: str = Field(description="The region's name (names joined by ' / ' across regions)")
    has_own_file: bool = Field(description="True when the council has a council file")
    source_file: str | None = Field(None, description="The council file, relative to the repository")

    @property
    def codes(self) -> list[str]:
        """ONS ``new_la_code`` of the member local authorities."""
        return self.members

    @property
    def is_group(self) -> bool:
        """True for a group of councils such as the Tri-borough."""
        return len(self.members) > 1

    if TYPE_CHECKING:  # the registered sections, known only once the registry is read
        def __getattr__(self, section: str) -> Any: ...
