"""The glossary and the hand-written book pages: terms resolve, headings are well formed."""

from __future__ import annotations

import re

import pytest
import yaml

from carebook.paths import BOOK, REFERENCE

PAGES = ["intro.md", "method.md", "data_sources.md"]
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def glossary() -> list[dict[str, str]]:
    return yaml.safe_load((REFERENCE / "glossary.yml").read_text(encoding="utf-8"))


def test_glossary_entries_are_complete_and_unique():
    entries = glossary()
    assert all(set(entry) == {"term", "definition"} for entry in entries)
    terms = [entry["term"] for entry in entries]
    assert len({term.lower() for term in terms}) == len(terms), "terms are unique (case-insensitive)"
    assert not [term for term in terms if ":" in term], "a colon would split a Sphinx glossary term"
    assert all(len(str(entry["definition"]).split()) >= 2 for entry in entries)
    for needed in ["SSDA903", "DECOM", "RNE", "Section 20", "PLACE_PROVIDER", "STPR", "NPV", "Life Chances Fund"]:
        assert needed in terms


@pytest.mark.parametrize("page", PAGES)
def test_every_term_used_on_a_page_is_in_the_glossary(page):
    known = {entry["term"].lower() for entry in glossary()}
    used = TERM_ROLE.findall((BOOK / page).read_text(encoding="utf-8"))
    targets = [re.sub(r"^.*<(.+)>$", r"\1", text).lower() for text in used]
    assert [t for t in targets if t not in known] == []


@pytest.mark.parametrize("page", PAGES)
def test_headings_start_at_one_title_and_do_not_skip_levels(page):
    text = (BOOK / page).read_text(encoding="utf-8")
    levels = [len(match) for match in re.findall(r"^(#+) ", text, flags=re.MULTILINE)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:]))
