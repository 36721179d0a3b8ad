"""Smart quotes only where a block of text has something to change (carebook.sphinx_quotes):
the pages come out exactly as Sphinx's own smart quotes make them."""

from __future__ import annotations

from pathlib import Path

import pytest

PAGE = """# The council's "plan" -- in brief

Children 'placed' over 20 miles -- 43%... and . . . more; a path C:\\\\temp\\\\x and \\"escaped\\" quotes.

| Group | Children | Share |
|---|---:|---:|
| Fostering | 1,234 | 46% |
| Residential -- external | 56 | "4%" |

Plain text with no quote, dash or ellipsis at all, and a number 2024-25.

```text
"left" -- as it is...
```

- a list item's 'quote'
- another -- item
"""


def _build(folder: Path, extensions: list[str]) -> str:
    from sphinx.application import Sphinx

    source = folder / "source"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(f"extensions = {extensions!r}\n", encoding="utf-8")
    (source / "index.md").write_text(PAGE, encoding="utf-8")
    app = Sphinx(str(source), str(source), str(folder / "html"), str(folder / "doctrees"), "html",
                 status=None, warning=None, freshenv=True)
    app.build()
    html = (folder / "html" / "index.html").read_text(encoding="utf-8")
    return html[html.index('<div class="body"'):html.index('<div class="sphinxsidebar"')]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_smart_quotes_where_they_change_something_make_the_same_page(tmp_path):
    sphinx_own = _build(tmp_path / "sphinx", ["myst_parser"])
    ours = _build(tmp_path / "ours", ["myst_parser", "carebook.sphinx_quotes"])
    assert ours == sphinx_own
    assert "“plan”" in ours and "‘placed’" in ours and "–" in ours and "…" in ours  # the quotes did run
    assert "“left”" not in ours and "left" in ours  # a code block is left as it is


def test_a_block_is_changeable_only_with_a_quote_dash_ellipsis_or_escape():
    from docutils import nodes

    from carebook.sphinx_quotes import changeable

    assert not changeable(nodes.paragraph(text="1,234 children in 2024-25 (46%)."))
    for text in ['say "yes"', "it's", "a -- b", "wait...", "a . . . b", "C:\\x"]:
        assert changeable(nodes.paragraph(text=text)), text
