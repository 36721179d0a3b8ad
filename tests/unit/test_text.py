"""Text from council files, data files and error messages reaches the book literally:
escaped for MyST Markdown, for LaTeX and for a ``<script>`` element."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from carebook import book, runner
from carebook.text import latex_escape, markdown_literal, one_line, script_json

HOSTILE = r"<script>alert(1)</script> & $x$ *y* _z_ {a} ~ ^ \ %"


def html_of(markdown: str) -> str:
    """The HTML MyST makes of a page, with the book's extensions (dollar maths...). Directives
    (``:::{table} caption``, ``:::{warning}``) are opened up: their arguments (which MyST
    parses as Markdown) and bodies are rendered as paragraphs."""
    opened = re.sub(r"^:::\{[\w-]+\} ?(.*)$", r"\n\1\n", markdown, flags=re.MULTILINE)
    opened = re.sub(r"^(:::|:name:.*)$", "", opened, flags=re.MULTILINE)
    config = MdParserConfig(enable_extensions={"dollarmath", "deflist", "substitution"})
    return create_md_parser(config, RendererHTML).render(opened)


def test_markdown_literal_escapes_every_character_myst_reads():
    assert markdown_literal("<b> & $x$") == r"\<b\> \& \$x\$"
    assert markdown_literal("*y* _z_ {a} `c` | %") == r"\*y\* \_z\_ \{a\} \`c\` \| \%"
    assert markdown_literal("Bournemouth, Christchurch and Poole") == "Bournemouth, Christchurch and Poole"
    assert markdown_literal("two\nlines\t here") == "two lines here"
    assert one_line("  a \n b ") == "a b"


def test_markdown_literal_renders_as_the_same_characters():
    html = html_of(f"# {markdown_literal(HOSTILE)}\n\n| a |\n|---|\n| {markdown_literal(HOSTILE)} |\n")
    shown = r"&lt;script&gt;alert(1)&lt;/script&gt; &amp; $x$ *y* _z_ {a} ~ ^ \ %"
    assert html.count(shown) == 2  # the heading and the table cell
    assert "<script" not in html and "<em>" not in html and "math" not in html


def test_latex_escape():
    assert latex_escape("A & B_1 {50%} #2 $3") == r"A \& B\_1 \{50\%\} \#2 \$3"
    assert latex_escape(r"~^\ ") == r"\textasciitilde{}\textasciicircum{}\textbackslash{}"


def test_script_json_cannot_close_the_script_element():
    text = script_json({"title": "</script><img src=x onerror=alert(1)> & co"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"title": "</script><img src=x onerror=alert(1)> & co"}


@pytest.fixture
def hostile_run(monkeypatch):
    figures = [{"notebook": "sufficiency", "key": "cla", "label": "Children looked after *now*", "value": 1, "text": "$1$"}]
    monkeypatch.setattr(runner, "headlines", lambda slug, root=None: figures)
    return book.CouncilRun(slug="hostile", name=HOSTILE, ok=("sufficiency",),
                           failed=(("flow_model", "InputError: bad <b>value</b> in $x$"),))


def test_landing_page_and_overview_show_the_name_literally(hostile_run):
    shown = r"&lt;script&gt;alert(1)&lt;/script&gt; &amp; $x$ *y* _z_ {a} ~ ^ \ %"
    landing = html_of(book.landing_page(hostile_run))
    assert f"<h1>{shown}</h1>" in landing
    assert f"did not complete for {shown} in this run" in landing
    assert "InputError" not in landing  # the error is in the run log, not on the page
    assert "Children looked after *now*: <strong>$1$</strong>" in landing
    overview = html_of(book.councils_page([hostile_run]))
    assert f'<a href="../councils/hostile/index.md">{shown}</a>' in overview
    assert f"{shown} (flows from referral into care)" in overview
    for html in (landing, overview):
        assert "<script" not in html and "<em>" not in html and "<b>" not in html and "math" not in html


def test_toc_and_pdf_title_are_safe(hostile_run):
    toc = book.council_toc(hostile_run)
    assert toc["root"] == "book/councils/hostile/index"  # names never reach the table of contents
    config = book.council_config(hostile_run)
    title = config["latex"]["latex_documents"]["title"]
    assert title.startswith(r"<script>alert(1)</script> \& \$x\$ *y* \_z\_ \{a\} \textasciitilde{} "
                            r"\textasciicircum{} \textbackslash{} \%: commissioning")
    assert not re.search(r"(?<!\\)[&%$#_{}]", title.replace("{}", ""))


def test_theme_titles_are_escaped_for_the_html():
    from markupsafe import Markup

    from carebook.sphinx_titles import escape_titles

    context = {"pagetitle": "<script>alert(1)</script> & co", "root_title": "carebook", "title": Markup("<b>x</b>")}
    escape_titles(None, "page", "page.html", context, None)
    assert context["pagetitle"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert context["root_title"] == "carebook" and context["title"] == "<b>x</b>"  # HTML already: left alone


def test_personal_values_in_an_error_message_are_withheld():
    from carebook.text import redact_personal

    message = "KeyError: '1007913' born 27/03/2008 (2008-03-27) at S60 1AA; see 2025/episodes.csv row 12"
    assert redact_personal(message) == ("KeyError: '[withheld]' born [withheld] ([withheld]) at [withheld]; "
                                        "see 2025/episodes.csv row 12")


def test_a_directive_option_reads_back_as_exactly_the_text():
    from docutils.parsers.rst.directives.images import Figure
    from myst_parser.parsers.directives import parse_directive_text

    from carebook.text import option_value

    for alt in ["Line chart; in 2028/29: Derby 88 and England 67.", '"Quoted" <b> & \\ back', "- [x] {y} #z: 1",
                "two\nlines"]:
        parsed = parse_directive_text(Figure, "charts/rate.*", f":alt: {option_value(alt)}\n:width: 340px\n\nCaption")
        assert not parsed.warnings
        assert parsed.options["alt"] == " ".join(alt.split())  # no backslash the reader would see
