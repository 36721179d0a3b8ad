"""One council's extract in several forms gives the same figures, and those figures agree
with DfE's published children looked after at 31 March and with an independent
stock-and-flow count (children at the start, plus periods started, less periods ended)."""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.params import load_council
from carebook.ssda903 import calibration, report, synth
from carebook.ssda903.read import extract_from_raw, read_raw
from carebook.ssda903.write import write_extract

FORMS = {
    "xml": dict(layout="xml"),
    "year folders named by the year they start, ISO dates": dict(layout="year_folders", convention="start",
                                                                   date_format="iso"),
    "flat files": dict(layout="flat_files"),
}


@pytest.fixture(scope="module")
def nottingham():
    council = load_council("nottingham")
    return council, synth.generate(council, 2019, 2025, seed=1)


@pytest.fixture(scope="module")
def figures(nottingham, tmp_path_factory) -> dict[str, pd.DataFrame]:
    _, extract = nottingham
    found = {}
    for name, options in FORMS.items():  # three forms of one extract
        folder = tmp_path_factory.mktemp("form")
        write_extract(extract, folder, **options)
        raw = read_raw(folder)
        found[name] = report.build_report(raw, extract_from_raw(raw, mode="strict"), dfe=False).by_year
    return found


def test_every_form_gives_identical_figures(figures):
    first, *others = figures.values()
    for other in others:
        pd.testing.assert_frame_equal(first, other)


def test_children_in_care_are_dfe_published_figures(nottingham, figures):
    council, _ = nottingham
    published = calibration.official_numbers(council).set_index("year")["children_at_31_march"]
    by_year = figures["xml"].set_index("year")["in_care_31_march"]
    years = [y for y in by_year.index if y in published.index]
    assert years == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    assert by_year[years].tolist() == published[years].astype(int).tolist()
    assert by_year[2025] == 639  # DfE: Nottingham, 31 March 2025


def test_an_independent_stock_and_flow_count_agrees(nottingham, figures):
    """Stock at each 31 March from the previous 31 March, plus children starting a period
    in the year, less children whose period ended in it: counted from the episodes alone
    (a period ends on an episode whose reason ceased is not X1)."""
    _, extract = nottingham
    episodes = extract.episodes
    by_year = figures["xml"].set_index("year")["in_care_31_march"]
    ended = episodes["DEC"].notna() & episodes["REC"].ne("X1")
    starts = episodes.loc[episodes["RNE"].eq("S"), "DECOM"]
    ends = episodes.loc[ended, "DEC"]
    for year in range(2020, 2026):  # one step per collection year
        first, last = pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)
        # a child who leaves on 31 March is not in care that day: ends on 31 March count in this year
        flow = int(starts.between(first, last).sum()) - int(ends.between(first, last).sum())
        assert abs(by_year[year - 1] + flow - by_year[year]) <= 0.02 * by_year[year]


def test_the_repairs_are_counted_the_same_in_every_form(tmp_path):
    """The six children of the layout fixture with a fault: a reason ceased on B's open
    episode (in the 2023-24 and 2024-25 files; the years are merged before repair)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from layout_fixture import children

    extract = children()
    episodes = extract.episodes.copy()
    episodes.loc[(episodes["CHILD"] == "B") & episodes["DEC"].isna(), "REC"] = "E4A"
    faulty = type(extract)(**{**extract.__dict__, "episodes": episodes})
    tables = {}
    for name, options in FORMS.items():  # three forms of one extract
        write_extract(faulty, tmp_path / name, **options)
        repaired = extract_from_raw(read_raw(tmp_path / name), mode="lenient")
        tables[name] = repaired.repairs[["rule", "action", "rows", "children", "care_days"]]
    first, *others = tables.values()
    assert first.set_index("rule").loc["rec_open", ["rows", "children"]].tolist() == [1, 1]
    for other in others:
        pd.testing.assert_frame_equal(first, other)
