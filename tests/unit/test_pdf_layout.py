"""The PDF's table layout, per-chapter numbering and edition details, worked by hand."""

from __future__ import annotations

import datetime as dt
import subprocess

import numpy as np
import pandas as pd

from carebook import edition
from carebook.book import title_page
from carebook.sphinx_numbering import renumbered
from carebook.tables import Layout, layout, markdown_table, numeric_columns


def test_a_narrow_table_keeps_its_natural_widths():
    # "year": 4 characters + 3.5 = 7.5 of the 92 a line holds -> 82/1000; "children" (8) -> 11.5 -> 125
    frame = pd.DataFrame({"year": ["2021", "2022"], "children": ["1,234", "56"]})
    assert layout(frame, frozenset({"children"})) == Layout(
        size="normalsize", landscape=False,
        columns=r">{\raggedright\arraybackslash}\X{82}{1000}>{\raggedleft\arraybackslash}\X{125}{1000}")


def test_a_long_text_column_wraps_and_the_line_is_shared():
    # natural widths: 60 (capped) and 60 (capped) = 120 > 92 - 7 = 85 of room;
    # least widths (longest words) 4 and 12: the spare 85 - 16 = 69 goes 56:48 to the columns
    # -> 4 + 69 * 56/104 + 3.5 = 44.65 and 12 + 69 * 48/104 + 3.5 = 47.35 characters of 92
    frame = pd.DataFrame({"a": ["word " * 20], "b": ["longestword1 " * 10]})
    shape = layout(frame)
    assert shape.size == "normalsize" and not shape.landscape
    assert shape.columns == r">{\raggedright\arraybackslash}\X{485}{1000}>{\raggedright\arraybackslash}\X{515}{1000}"


def test_a_wide_table_is_set_smaller_then_landscape():
    # eight columns of 11-character numbers: 8 * (11 + 3.5) = 116 > 115 (footnote size) -> landscape
    wide = pd.DataFrame({str(i): ["(1,234,567)"] for i in range(8)})
    assert layout(wide).landscape and layout(wide).size == "footnotesize"
    # seven: 101.5 fits a small line (102)
    assert layout(wide.iloc[:, :7]) == Layout("small", False, layout(wide.iloc[:, :7]).columns)
    text = markdown_table(wide, caption="Wide", name="wide")
    assert text.startswith("```{raw} latex\n\\begin{landscape}\n\\begingroup\\footnotesize\n```")
    assert text.rstrip().endswith("```{raw} latex\n\\endgroup\n\\end{landscape}\n```")
    assert ":class: longtable\n:name: wide" in text


def test_formatted_numbers_are_right_aligned():
    frame = pd.DataFrame({"Option": ["1. Council budget", "2. Bond"], "Net (£)": ["11,796,856", "(2,281,450)"],
                          "Share": ["46%", "not published"], "Year": ["2024/25", "2025/26"]})
    assert numeric_columns(frame) == frozenset({"Net (£)", "Share"})
    assert "|:---|---:|---:|:---|" in markdown_table(frame)


def test_numbers_restart_in_each_council_and_chapter():
    sphinx = {  # as Sphinx numbers them: every "chapter 1" of the site counted together
        "book/councils/a/index": {"table": {"t0": (1,)}},
        "book/councils/a/sufficiency": {"table": {"t1": (1, 1), "t2": (1, 2)}, "figure": {"f1": (1, 1)}},
        "book/councils/a/flow": {"table": {"t3": (2, 1)}},
        "book/councils/b/index": {"table": {"t0": (2,)}},
        "book/councils/b/sufficiency": {"table": {"t1": (1, 3)}, "figure": {"f1": (1, 2)}},
        "book/_generated/councils": {"table": {"c": (3,)}},
    }
    assert renumbered(sphinx) == {
        "book/councils/a/index": {"table": {"t0": (1,)}},
        "book/councils/a/sufficiency": {"table": {"t1": (1, 1), "t2": (1, 2)}, "figure": {"f1": (1, 1)}},
        "book/councils/a/flow": {"table": {"t3": (2, 1)}},
        "book/councils/b/index": {"table": {"t0": (1,)}},
        "book/councils/b/sufficiency": {"table": {"t1": (1, 1)}, "figure": {"f1": (1, 1)}},
        "book/_generated/councils": {"table": {"c": (3,)}},
    }


def test_data_as_at_is_the_end_of_the_latest_collection_year(tmp_path):
    pd.DataFrame({"time_period": ["2023", "2024"], "n": [1, 2]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"time_period": [202425], "n": [3]}).to_csv(tmp_path / "b.csv", index=False)
    pd.DataFrame({"other": [1]}).to_csv(tmp_path / "c.csv", index=False)
    assert edition.results_period(tmp_path) == 2025
    assert edition.data_as_at(tmp_path) == "official statistics up to 31 March 2025"
    assert edition.built_on(dt.date(2026, 1, 5)) == "5 January 2026"


def test_version_is_the_repositorys_description():
    described = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                               cwd=edition.ROOT, check=True).stdout.strip()
    assert edition.book_version() in (f"0.1.0, commit {described}", described)
    assert edition.book_version(edition.ROOT.parent / "no-such-folder") == "0.1.0"  # the package version without git


def test_title_page_names_the_council_and_the_edition():
    page = title_page("Kingston & Sutton", "6711a58", "1 December 2026", "31 March 2025")
    assert r"{\LARGE Kingston \& Sutton\par}" in page
    assert "Version & 6711a58\\\\" in page and "Built on & 1 December 2026\\\\" in page
    assert "Data as at & 31 March 2025\\\\" in page


def test_a_missing_cell_takes_no_width():
    with_missing = pd.DataFrame({"Area": ["Nottingham", None, np.nan], "Children": pd.array(["1,234", pd.NA, "5"], dtype="string")})
    with_blanks = pd.DataFrame({"Area": ["Nottingham", "", ""], "Children": ["1,234", "", "5"]})
    assert layout(with_missing) == layout(with_blanks)
    assert "nan" not in layout(with_missing).columns and layout(pd.DataFrame({"Area": [None, None]})).size == "normalsize"
