"""`carebook fetch`: downloads from a local HTTP server, failures, idempotent skips, catalogue."""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from carebook import fetch as fetch_module
from carebook.errors import InputError
from carebook.fetch import fetch, load_sources, main_fetch

STPR = b"year_from,year_to,standard\n0,30,0.035\n31,75,0.030\n"
DEFLATOR = b'"year","value"\n2023,96.2507\n2024,100\n'
NEIGHBOURS = b"old_la_code,la_name,SN_1\n892,Nottingham,373\n"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


@pytest.fixture()
def mirror(tmp_path: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """A directory served on 127.0.0.1; yields (served directory, base URL, request paths)."""
    served = tmp_path / "served"
    (served / "greenbook").mkdir(parents=True)
    (served / "dfe").mkdir()
    (served / "greenbook" / "stpr_schedule.csv").write_bytes(STPR)
    (served / "greenbook" / "gdp_deflator_2024eq100.csv").write_bytes(DEFLATOR)
    (served / "dfe" / "sn_model_2025_wide.csv").write_bytes(NEIGHBOURS)
    requests: list[str] = []

    class Handler(_QuietHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def _entry(path: str, content: bytes | None, **extra: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "path": path,
        "title": "t",
        "publisher": "Department for Education",
        "licence": "OGL-3.0",
        "holds": "h",
        "years": "2025",
        "url": f"https://raw.githubusercontent.com/owner/repo/{'0' * 40}/{path}",
    }
    if content is not None:
        entry["size_bytes"] = len(content)
        entry["sha256"] = hashlib.sha256(content).hexdigest()
    entry.update(extra)
    return entry


def _catalogue(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    path = tmp_path / "public_sources.yml"
    path.write_text(yaml.safe_dump({"files": entries}), encoding="utf-8")
    return path


@pytest.fixture()
def catalogue(tmp_path: Path) -> Path:
    return _catalogue(
        tmp_path,
        [
            _entry("greenbook/stpr_schedule.csv", STPR),
            _entry("greenbook/gdp_deflator_2024eq100.csv", DEFLATOR),
            _entry("dfe/sn_model_2025_wide.csv", NEIGHBOURS),
        ],
    )


def test_downloads_each_file_to_its_path(tmp_path, mirror, catalogue):
    _, base, requests = mirror
    dest = tmp_path / "public"
    results = fetch(dest, base_url_override=base, catalogue=catalogue)
    assert [(r.path, r.status) for r in results] == [
        ("greenbook/stpr_schedule.csv", "downloaded"),
        ("greenbook/gdp_deflator_2024eq100.csv", "downloaded"),
        ("dfe/sn_model_2025_wide.csv", "downloaded"),
    ]
    assert (dest / "greenbook" / "stpr_schedule.csv").read_bytes() == STPR
    assert (dest / "greenbook" / "gdp_deflator_2024eq100.csv").read_bytes() == DEFLATOR
    assert (dest / "dfe" / "sn_model_2025_wide.csv").read_bytes() == NEIGHBOURS
    assert results[0].url == f"{base}/greenbook/stpr_schedule.csv"
    assert sorted(requests) == ["/dfe/sn_model_2025_wide.csv", "/greenbook/gdp_deflator_2024eq100.csv", "/greenbook/stpr_schedule.csv"]
    assert not list(dest.rglob("*.part")), "no temporary file left behind"


def test_second_run_skips_files_already_present(tmp_path, mirror, catalogue):
    _, base, requests = mirror
    dest = tmp_path / "public"
    fetch(dest, base_url_override=base, catalogue=catalogue)
    requests.clear()
    again = fetch(dest, base_url_override=base, catalogue=catalogue)
    assert [r.status for r in again] == ["skipped", "skipped", "skipped"]
    assert requests == [], "a file already present with the recorded sha256 is not downloaded again"


def test_changed_local_copy_is_downloaded_again(tmp_path, mirror, catalogue):
    _, base, _ = mirror
    dest = tmp_path / "public"
    fetch(dest, base_url_override=base, catalogue=catalogue)
    (dest / "greenbook" / "stpr_schedule.csv").write_bytes(b"edited\n")
    again = fetch(dest, base_url_override=base, catalogue=catalogue)
    assert [r.status for r in again] == ["downloaded", "skipped", "skipped"]
    assert (dest / "greenbook" / "stpr_schedule.csv").read_bytes() == STPR


def test_missing_file_fails_on_one_line_and_others_still_arrive(tmp_path, mirror, catalogue):
    served, base, _ = mirror
    (served / "greenbook" / "gdp_deflator_2024eq100.csv").unlink()
    dest = tmp_path / "public"
    results = fetch(dest, base_url_override=base, catalogue=catalogue)
    assert [r.status for r in results] == ["downloaded", "failed", "downloaded"]
    line = results[1].line()
    assert "\n" not in line
    assert line == (
        f"failed      greenbook/gdp_deflator_2024eq100.csv  from {base}/greenbook/gdp_deflator_2024eq100.csv: "
        "HTTP 404 File not found"
    )
    assert not (dest / "greenbook" / "gdp_deflator_2024eq100.csv").exists()
    assert (dest / "dfe" / "sn_model_2025_wide.csv").read_bytes() == NEIGHBOURS


def test_content_that_differs_from_the_record_is_not_installed(tmp_path, mirror):
    _, base, _ = mirror
    catalogue = _catalogue(tmp_path, [_entry("greenbook/stpr_schedule.csv", b"year_from,year_to,standard\n0,30,0.035\n")])
    dest = tmp_path / "public"
    [result] = fetch(dest, base_url_override=base, catalogue=catalogue)
    assert result.status == "failed"
    assert result.message == f"downloaded file differs from the documented version (expected 38 bytes, got {len(STPR)})"
    assert not (dest / "greenbook" / "stpr_schedule.csv").exists()
    assert not list(dest.rglob("*.part"))


def test_unreachable_server_is_reported(tmp_path, catalogue):
    with socket.socket() as probe:  # a loopback port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    [result] = fetch(tmp_path / "public", base_url_override=closed, only=["dfe/sn_model_2025_wide.csv"], catalogue=catalogue)
    assert result.status == "failed"
    assert result.message.startswith("could not connect (")
    assert result.url == f"{closed}/dfe/sn_model_2025_wide.csv"


def test_only_selects_files_and_folders(tmp_path, mirror, catalogue):
    _, base, _ = mirror
    results = fetch(tmp_path / "public", base_url_override=base, only=["greenbook/"], catalogue=catalogue)
    assert [r.path for r in results] == ["greenbook/stpr_schedule.csv", "greenbook/gdp_deflator_2024eq100.csv"]
    with pytest.raises(InputError, match=r"unknown file or folder dfe/nope.csv"):
        fetch(tmp_path / "public", base_url_override=base, only=["dfe/nope.csv"], catalogue=catalogue)


def test_derived_file_without_a_mirror_says_where_it_comes_from(tmp_path):
    source = "https://raw.githubusercontent.com/owner/repo/" + "1" * 40 + "/data/x.rds"
    entry = _entry("derived/x.csv", None, url=None, derived_from=source, how_made="converted to CSV")
    [result] = fetch(tmp_path / "public", catalogue=_catalogue(tmp_path, [entry]))
    assert result.status == "failed"
    assert result.message == (
        f"not published as a file: it is derived from {source} (`carebook fetch --list` says how); "
        "copy it from a mirror with --base-url"
    )


def test_bad_catalogue_is_an_input_error(tmp_path):
    entry = _entry("dfe/a.csv", b"a\n", licence="CC-BY")
    with pytest.raises(InputError, match=r"public_sources.yml: files.0.licence: Input should be 'OGL-3.0' or 'MIT', got 'CC-BY'$"):
        load_sources(_catalogue(tmp_path, [entry]))


def test_main_fetch_prints_lines_and_returns_1_on_failure(tmp_path, mirror, catalogue, capsys):
    served, base, _ = mirror
    (served / "dfe" / "sn_model_2025_wide.csv").unlink()
    args = argparse.Namespace(dest=tmp_path / "public", list=False, base_url=base, only=None)
    assert main_fetch(args, catalogue) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"2 downloaded, 0 skipped, 1 failed (into {tmp_path / 'public'})"
    assert out[2].startswith("failed      dfe/sn_model_2025_wide.csv  from ")
    (served / "dfe" / "sn_model_2025_wide.csv").write_bytes(NEIGHBOURS)
    assert main_fetch(args, catalogue) == 0


# The project's own catalogue -------------------------------------------------------------

RAW_URL = re.compile(r"^https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+$")
#: The published files whose address follows the repository's layout but was not seen there.
UNCONFIRMED_URLS = {
    "dfe/cla_number_and_rate_per_10k_children.csv",
    "dfe/LTLA-UTLA_Apr23_Lookup_England-Wales.csv",
    "dfe-sfr/post_2017_updated24_cla_number_and_rate_per_10k_children.csv",
    "dfe-sfr/post_2017_updated25_cla_time_series_1994_2024.csv",
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_distance_and_placement_locality.csv",
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_provider_placement_type_and_locality.csv",
}


def test_catalogue_documents_every_file_with_a_pinned_source():
    sources = load_sources()
    assert len(sources) == 31
    assert {s.path.split("/")[0] for s in sources} == {"dfe", "derived", "dfe-sfr", "greenbook"}
    for source in sources:
        if source.path.startswith("derived/"):
            assert source.url is None and RAW_URL.match(source.derived_from or ""), source.path
            assert source.how_made, source.path
        else:
            assert RAW_URL.match(source.url or ""), source.path
            assert source.url_checked is (source.path not in UNCONFIRMED_URLS), source.path
        assert source.size_bytes and source.sha256, source.path
    by_path = {s.path: s for s in sources}
    stpr = by_path["greenbook/stpr_schedule.csv"]
    assert stpr.licence == "MIT"
    assert stpr.url == (
        "https://raw.githubusercontent.com/charlescoverdale/greenbook/"
        "495fa4c67fed3d81bafe9d4d7f42230684fa54f7/inst/extdata/stpr_schedule.csv"
    )
    assert stpr.size_bytes == 208
    assert by_path["dfe/cla_number_and_rate_per_10k_children.csv"].licence == "OGL-3.0"


def test_describe_lists_every_file():
    text = fetch_module.describe()
    for source in load_sources():
        assert source.path in text
    assert "derived from https://raw.githubusercontent.com/" in text
