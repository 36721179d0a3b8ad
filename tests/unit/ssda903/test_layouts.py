"""The same children written in every layout councils hold read back as the same rows,
the same years and the same children in care at each 31 March."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from layout_fixture import LOOKED_AFTER_AT_31_MARCH, ROWS_PER_YEAR, children

from carebook.ssda903 import codes, periods
from carebook.ssda903.raw import RawExtract, read_raw
from carebook.ssda903.read import read_extract
from carebook.ssda903.write import write_extract

#: name -> (layout, convention, date format, file pattern or None for the default).
LAYOUTS: dict[str, tuple[str, str, str, str | None]] = {
    "xml, one return per year": ("xml", "end", "dmy", None),
    "xml, ISO dates": ("xml", "end", "iso", "{start}-{end2}.XML"),
    "folders 2025": ("year_folders", "end", "dmy", None),
    "folders 2024-25, ISO": ("year_folders", "end", "iso", "{start}-{end2}/{kind}.csv"),
    "folders 2024_25, .CSV": ("year_folders", "end", "dmy", "{start}_{end2}/{kind}.CSV"),
    "folders 2024-2025": ("year_folders", "end", "iso", "{start}-{end}/{kind}.csv"),
    "folders 2024 holding 2024-25": ("year_folders", "start", "dmy", None),
    "folders 2024 holding 2024-25, ISO, .CSV": ("year_folders", "start", "iso", "{year}/{kind}.CSV"),
    "flat SSDA903_2025_header": ("flat_files", "end", "dmy", None),
    "flat 2025-header, ISO": ("flat_files", "end", "iso", "{year}-{kind}.csv"),
    "flat header_2024 holding 2024-25": ("flat_files", "start", "dmy", "{kind}_{year}.CSV"),
    "flat 2024-25_episodes": ("flat_files", "end", "iso", "{start}-{end2}_{kind}.csv"),
    "flat 903_2025_Header": ("flat_files", "end", "dmy", "903_{year}_{kind}.csv"),
    "folders 2025 holding SSDA903_2025_header": ("year_folders", "end", "dmy", "{year}/SSDA903_{year}_{kind}.csv"),
    "folders 2024-25 holding ssda903_episodes": ("year_folders", "end", "iso", "{start}-{end2}/ssda903_{kind}.CSV"),
}
EXPECTED_CONVENTION = {("xml", "end"): "dates", ("year_folders", "end"): "end", ("year_folders", "start"): "start",
                       ("flat_files", "end"): "end", ("flat_files", "start"): "start"}
ROW_KEYS = ["_year", "CHILD", "DECOM"]


def _written(tmp_path: Path, name: str) -> Path:
    layout, convention, date_format, pattern = LAYOUTS[name]
    folder = tmp_path / "extract"
    write_extract(children(), folder, layout=layout, convention=convention, date_format=date_format, pattern=pattern)
    return folder


def _rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    keys = [k for k in ROW_KEYS if k in columns or k == "_year"]
    return frame[[*columns, "_year"]].sort_values(keys, ignore_index=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> RawExtract:
    """The children written as DfE year folders (2023/, 2024/, 2025/) and read back."""
    folder = tmp_path_factory.mktemp("reference")
    write_extract(children(), folder)
    return read_raw(folder)


def test_the_reference_rows_are_the_hand_worked_rows(reference):
    raw = reference
    assert raw.years == [2023, 2024, 2025]
    counts = {year: (int((raw.header["_year"] == year).sum()), int((raw.episodes["_year"] == year).sum()))
              for year in raw.years}
    assert counts == ROWS_PER_YEAR
    # B's first episode, open across 31 March 2023: DEC blank in 2022-23, filled in 2023-24
    first_b = raw.episodes[(raw.episodes["CHILD"] == "B") & (raw.episodes["DECOM"] == "2022-11-15")]
    assert first_b["_year"].tolist() == [2023, 2024]
    assert first_b["DEC"].fillna("blank").tolist() == ["blank", "2023-07-01"]
    assert first_b["_row"].tolist() == [3, 2]  # line 3 of 2023/episodes.csv, line 2 of 2024/episodes.csv
    assert first_b["_file"].tolist() == ["2023/episodes.csv", "2024/episodes.csv"]
    assert raw.header.loc[raw.header["CHILD"] == "E", "MC_DOB"].tolist() == ["2024-08-01"]
    assert raw.episodes.loc[raw.episodes["CHILD"] == "A", "HOME_POST"].tolist() == ["S60 1AA"]


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_reads_the_same_rows_and_years(tmp_path, reference, name):
    layout, convention, date_format, _ = LAYOUTS[name]
    raw = read_raw(_written(tmp_path, name))
    assert (raw.layout, raw.convention, raw.convention_forced) == (layout, EXPECTED_CONVENTION[(layout, convention)],
                                                                   False)
    assert raw.years == [2023, 2024, 2025]
    pd.testing.assert_frame_equal(_rows(raw.header, codes.HEADER_COLUMNS),
                                  _rows(reference.header, codes.HEADER_COLUMNS))
    pd.testing.assert_frame_equal(_rows(raw.episodes, codes.EPISODE_COLUMNS),
                                  _rows(reference.episodes, codes.EPISODE_COLUMNS))
    assert raw.files["rows"].sum() == 12 + 18
    assert set(raw.files["DECOM"].dropna()) == {date_format}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_gives_the_same_extract_and_children_in_care(tmp_path, name):
    extract = read_extract(_written(tmp_path, name))
    again = read_extract(_written(tmp_path / "again", "folders 2025"))
    assert extract.problems.empty
    columns = list(codes.EPISODE_COLUMNS)
    pd.testing.assert_frame_equal(extract.episodes[columns].reset_index(drop=True),
                                  again.episodes[columns].reset_index(drop=True))
    pd.testing.assert_frame_equal(extract.header[list(codes.HEADER_COLUMNS)].reset_index(drop=True),
                                  again.header[list(codes.HEADER_COLUMNS)].reset_index(drop=True))
    assert len(extract.episodes) == 12 and len(extract.header) == 6
    for year, expected in LOOKED_AFTER_AT_31_MARCH.items():
        on = extract.episodes[periods.open_on(extract.episodes, pd.Timestamp(year, 3, 31))]
        assert sorted(on["CHILD"]) == expected
    assert (extract.start, extract.end) == (pd.Timestamp("2022-04-01"), pd.Timestamp("2025-03-31"))
    assert "collection years 2022-23 to 2024-25, 6 children" in extract.source


def test_a_single_xml_return_and_a_folder_of_returns_hold_the_same_rows(tmp_path):
    files = write_extract(children(), tmp_path, layout="xml")
    singles = [read_raw(path) for path in files]
    assert [(r.years, r.layout, r.convention) for r in singles] == [([y], "xml", "dates") for y in (2023, 2024, 2025)]
    assert [len(r.episodes) for r in singles] == [5, 7, 6]
    joined = pd.concat([r.episodes for r in singles], ignore_index=True)
    pd.testing.assert_frame_equal(_rows(joined, codes.EPISODE_COLUMNS),
                                  _rows(read_raw(tmp_path).episodes, codes.EPISODE_COLUMNS))
    # an episode's _row is the ordinal of its EPISODE element: in 2024-25, B2 C2 C3 D2 E1 E2
    last = singles[-1].episodes
    assert last.loc[last["CHILD"] == "B", "_row"].tolist() == [1]
    assert last.loc[last["CHILD"] == "E", "_row"].tolist() == [5, 6]
    assert singles[-1].header.loc[singles[-1].header["CHILD"] == "E", "_row"].tolist() == [4]  # the fourth CHILD


def test_a_forced_convention_reads_bare_years_as_told(tmp_path):
    write_extract(children(), tmp_path, convention="start")  # folders 2022, 2023, 2024
    assert read_raw(tmp_path).years == [2023, 2024, 2025]
    forced = read_raw(tmp_path, convention="end")
    assert (forced.years, forced.convention, forced.convention_forced) == ([2022, 2023, 2024], "end", True)


def test_an_old_partial_year_does_not_vote(tmp_path):
    write_extract(children(), tmp_path)
    # a 2026 folder holding an old partial extract: its latest date (2025-02-14) is before 2025-26 begins
    partial = tmp_path / "2026"
    partial.mkdir()
    (partial / "header.csv").write_text((tmp_path / "2025" / "header.csv").read_text())
    (partial / "episodes.csv").write_text((tmp_path / "2025" / "episodes.csv").read_text())
    raw = read_raw(tmp_path)
    assert (raw.years, raw.convention) == ([2023, 2024, 2025, 2026], "end")


def test_other_folders_without_903_files_are_ignored(tmp_path):
    write_extract(children(), tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("how the extract was made")
    assert read_raw(tmp_path).years == [2023, 2024, 2025]


@pytest.mark.parametrize("folder", ["extract", "2024-25"])
def test_one_years_files_alone_are_read_as_that_year(folder, tmp_path, reference):
    """A folder holding just header.csv and episodes.csv: the 2024-25 files of the six
    children, in a folder named by no year (the dates decide) or named 2024-25."""
    write_extract(children(), tmp_path / "all")
    (tmp_path / folder).mkdir()
    for kind in ("header", "episodes"):  # the two files of 2024-25
        (tmp_path / folder / f"{kind}.csv").write_bytes((tmp_path / "all" / "2025" / f"{kind}.csv").read_bytes())
    raw = read_raw(tmp_path / folder)
    assert (raw.layout, raw.years, raw.convention) == ("one_year", [2025], "dates" if folder == "extract" else "end")
    expected = reference.episodes[reference.episodes["_year"] == 2025]
    assert len(raw.episodes) == len(expected) == ROWS_PER_YEAR[2025][1]
    on = codes.year_span(2025)[1]
    extract = read_extract(tmp_path / folder)
    assert sorted(extract.episodes.loc[periods.open_on(extract.episodes, on), "CHILD"]) == LOOKED_AFTER_AT_31_MARCH[2025]
