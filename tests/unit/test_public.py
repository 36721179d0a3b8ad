"""The official statistics loader: suppression codes, code changes, clear errors."""

from __future__ import annotations


import pandas as pd
import pytest

from carebook import public
from carebook.errors import InputError
from carebook.params import load_council
from public_folders import FIXTURE_PUBLIC

TABLE = "dfe/cla_number_and_rate_per_10k_children.csv"
NUMERIC = ["children_count", "rate_per_10000"]


def write(folder, relpath, text):
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_suppression_codes_become_missing_and_are_listed(public_dir):
    write(public_dir, "t.csv", "time_period,geographic_level,new_la_code,la_name,number\n"
          "2025,Local authority,E06000001,Hartlepool,12\n"
          "2025,Local authority,E06000002,Middlesbrough,c\n"
          "2025,Local authority,E06000003,Redcar,x\n"
          "2025,Local authority,E06000004,Stockton,\n")
    table = public.read("t.csv", numeric=["number"])
    assert table["number"].iloc[0] == 12
    assert table["number"].iloc[1:].isna().all()  # never 0
    cells = public.suppressed(table)
    assert list(cells["la_name"]) == ["Middlesbrough", "Redcar", "Stockton"]
    assert list(cells["code"]) == ["c", "x", ""]
    assert list(cells["meaning"]) == ["confidential (a small number)", "not available", "blank"]


def test_bracketed_codes_in_the_gss_style(public_dir):
    write(public_dir, "ro3.csv", "Local authority,spend\nA,[x]\nB,[note 4]\nC,1234.5\n")
    table = public.read("ro3.csv", numeric=["spend"])
    assert table["spend"].iloc[2] == 1234.5 and table["spend"].iloc[:2].isna().all()
    assert list(public.suppressed(table)["meaning"]) == ["not available", "marked [note 4] by the publisher"]


def test_suppressed_cells_follow_a_filter(public_dir):
    write(public_dir, "t.csv", "la_name,number\nA,c\nB,3\nC,z\n")
    table = public.read("t.csv", numeric=["number"])
    assert list(public.suppressed(table[table["la_name"] != "A"])["la_name"]) == ["C"]


def test_a_value_that_is_neither_number_nor_code_names_file_line_and_column(public_dir):
    write(public_dir, "t.csv", "la_name,number\nA,1\nB,twelve\n")
    with pytest.raises(InputError, match=r"t\.csv: line 3, column number: expected a number or a suppression code.*'twelve'"):
        public.read("t.csv", numeric=["number"])


def test_tables_read_by_the_loader_concatenate(public_dir):
    write(public_dir, "t.csv", "la_name,number\nA,c\nB,3\n")
    table = public.read("t.csv", numeric=["number"])
    assert len(pd.concat([table, table])) == 4


def test_missing_folder_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREBOOK_PUBLIC_DATA", str(tmp_path / "nowhere"))
    public._read_cached.cache_clear()
    with pytest.raises(InputError, match="nowhere: the official statistics folder does not exist"):
        public.read(TABLE)


def test_missing_file_is_named(public_dir):
    with pytest.raises(InputError, match=r"cla_number_and_rate_per_10k_children\.csv: an official statistics file is missing"):
        public.read(TABLE)


def test_old_la_codes_map_to_current_codes(public_dir):
    write(public_dir, "t.csv", "time_period,new_la_code,la_name,number\n2019,E10000002,Buckinghamshire,480\n2021,E06000060,Buckinghamshire,500\n")
    table = public.read("t.csv", numeric=["number"])
    assert set(table["new_la_code"]) == {"E06000060"}


def test_real_table_nottingham_2025():
    """Nottingham's children looked after at 31 March, read from the DfE file."""
    table = public.read(TABLE, numeric=NUMERIC)
    nottingham = public.for_council(table, load_council("nottingham"))
    at_31_march = nottingham[(nottingham["population_type"] == "Children looked after on 31 March each year")]
    by_year = at_31_march.set_index("time_period")["children_count"]
    assert by_year["2025"] == 639 and by_year["2021"] == 684
    assert at_31_march.set_index("time_period")["rate_per_10000"]["2025"] == 93


def test_group_rows_are_the_members():
    table = public.read(TABLE, numeric=NUMERIC)
    rows = public.for_council(table, load_council("triborough"))
    assert set(rows["la_name"]) == {"Hammersmith and Fulham", "Kensington and Chelsea", "Westminster"}


def test_registry_has_every_english_council():
    registry = public.local_authorities()
    assert len(registry) == 153  # 152 until Cumbria split in two (April 2023)
    assert registry["new_la_code"].is_unique


SN_MODEL = "dfe/sn_model_2025_wide.csv"


def _neighbour_rows(folder, *extra: str):
    """The fixture's statistical neighbour model (eleven councils) written into ``folder``,
    with ``extra`` lines appended."""
    text = (FIXTURE_PUBLIC / SN_MODEL).read_text(encoding="utf-8-sig")
    return write(folder, SN_MODEL, text + "".join(extra))


def test_a_fixture_folder_is_read_without_the_completeness_checks(public_dir):
    """A slice of eleven councils: refused in a published folder (every council is expected),
    read in a folder marked FIXTURE."""
    _neighbour_rows(public_dir)
    with pytest.raises(InputError, match=r"expected a row for every English council .* and 137 more"):
        public.read(SN_MODEL)
    (public_dir / public.FIXTURE_MARKER).write_text("a slice\n", encoding="utf-8")
    assert public.is_fixture(public_dir)
    assert len(public.read(SN_MODEL)) == 11


def test_a_fixture_folder_keeps_the_format_checks(public_dir):
    (public_dir / public.FIXTURE_MARKER).write_text("a slice\n", encoding="utf-8")
    first = (FIXTURE_PUBLIC / SN_MODEL).read_text(encoding="utf-8-sig").splitlines(keepends=True)[1]
    _neighbour_rows(public_dir, first)
    with pytest.raises(InputError, match=r"line 13: line 2 and 13 both hold old_la_code='825' \(the same row twice\)"):
        public.read(SN_MODEL)


def test_checks_relaxed_in_a_fixture_are_only_the_completeness_checks(public_dir):
    (public_dir / public.FIXTURE_MARKER).write_text("a slice\n", encoding="utf-8")
    published = public.catalogued_checks()[TABLE]
    relaxed = public.checks_for(public_dir, TABLE)
    assert published.same_rows_each_period and not relaxed.same_rows_each_period
    assert relaxed.model_dump(exclude={"same_rows_each_period", "min_local_authorities", "every_council"}) == \
        published.model_dump(exclude={"same_rows_each_period", "min_local_authorities", "every_council"})
    assert public.checks_for(public_dir, "dfe/sn_model_2025_wide.csv").every_council is None
    assert public.catalogued_checks()["dfe/sn_model_2025_wide.csv"].every_council.column == "old_la_code"
