"""No seed council's figures are defaults in the code: the headline numbers of the seed documents
(Rotherham's MST-FIT plan, the Tri-borough bid, Nottingham's strategy, Essex's, Warwickshire's
and Buckinghamshire's papers) live in their council files and the national defaults files only.

Every number and every string written in ``src/carebook`` (docstrings and comments apart, which
may quote a seed to explain a method) is searched; a hit fails naming its file and line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "carebook"

SEED_NUMBERS = {
    175_000: "Rotherham: cost of an out-of-authority residential placement, £ a year",
    3_721: "Rotherham: estimated cost reduction, £3.721m", 3_721_000: "Rotherham: estimated cost reduction",
    3_721_250: "Rotherham: cumulative saving 2023/24", 22_975_000: "Rotherham: original placement forecast",
    11_796_856: "Rotherham: the model's net saving", 85_000: "Rotherham: Life Chances Fund grant a year",
    570_000: "Rotherham: residential (ITM) cost line", 20_180_806: "Rotherham: date of the Cabinet meeting",
    3_700: "Tri-borough: assessments", 4_200: "Tri-borough: referrals", 8_452_000: "Tri-borough: net saving",
    1_418_000: "Tri-borough: funding request 2014/15", 3_540_000: "Tri-borough: funding request 2015/16",
    3_000: "Nottingham: spot price of residential care, £ a week", 2_700: "Nottingham: block price, £ a week",
    52_000: "Essex: cost of the placement avoided", 1_180_000: "Essex: MST service cost",
    244_972: "Warwickshire: cost of the placement avoided", 4_711: "Warwickshire: weekly price",
    1_491_360: "Warwickshire: Life Chances Fund cap", 3_600: "Buckinghamshire: block price", 3_960: "Buckinghamshire: spot price",
}
"""The seed tables' headline numbers (in any of their spellings: 175000, 175_000)."""

SEED_TEXT = re.compile(r"175,000|3[.,]721|11,796,856|3,700|4,200|22[.,]975|£3,000|£2,700|1,491,360|244,972|£4,711|£3,600|£3,960")
"""The same numbers as a string would write them."""

ALLOWED: dict[tuple[str, int], str] = {}
"""Documented exceptions, by file (relative to src/carebook) and line: none today."""


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings or bare strings documenting a name."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def seed_figures(path: Path, root: Path = SRC) -> list[str]:
    """``file:line: what`` for every seed figure written in the code of ``path`` (named from ``root``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip, name = docstrings(tree), str(path.relative_to(root))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in skip or (name, node.lineno) in ALLOWED:
            continue
        value = node.value
        if isinstance(value, int | float) and not isinstance(value, bool) and value in SEED_NUMBERS:
            found.append((node.lineno, f"{name}:{node.lineno}: {value} ({SEED_NUMBERS[value]})"))
        elif isinstance(value, str) and (hit := SEED_TEXT.search(value)):
            found.append((node.lineno, f"{name}:{node.lineno}: '{hit.group()}' in a string"))
    return [text for _, text in sorted(found)]


def test_no_seed_figure_is_written_in_the_code():
    hits = [hit for path in sorted(SRC.rglob("*.py")) for hit in seed_figures(path)]
    assert hits == [], "seed figures in src/carebook (move them to a council file or data/reference/defaults):\n" + "\n".join(hits)


def test_the_search_finds_a_seed_default_and_names_its_line(tmp_path):
    module = tmp_path / "toy.py"
    module.write_text('"""A toy: 175,000 in a docstring is an explanation."""\n\nCOST = 175_000\n'
                      'TEXT = f"the bid\'s 3,700 per {1}"\nPRICE = 3000.0\n')
    assert seed_figures(module, tmp_path) == [
        "toy.py:3: 175000 (Rotherham: cost of an out-of-authority residential placement, £ a year)",
        "toy.py:4: '3,700' in a string",
        "toy.py:5: 3000.0 (Nottingham: spot price of residential care, £ a week)"]
