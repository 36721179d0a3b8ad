"""Councils' own extracts at their most revealing: one child, two children in one cell, and
an extract that fails strict validation. Their child-level pages are built as HTML and as a
PDF, and no CHILD id, date of birth or postcode of the extracts is found in any page, the
search index, the PDF, the manifest or a results file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

pytestmark = pytest.mark.slow

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
#: The one child: an identifier, a date of birth and two postcodes that must appear nowhere.
ONE = {"id": "1007913", "dob": "27/03/2008", "home": "TS24 7PW", "placement": "TS25 5JA"}
#: Two children in an in-house children's home beside ten in in-house foster care.
TWO_IN_A_CELL = [(f"20001{n:02d}", f"{10 + n:02d}/0{1 + n % 9}/2009", "K2" if n < 2 else "U4") for n in range(12)]
NOTEBOOKS = "sufficiency,volume_sizing"


def _write(folder: Path, year: str, header: list[str], episodes: list[str]) -> None:
    (folder / year).mkdir(parents=True, exist_ok=True)
    (folder / year / "header.csv").write_text("\n".join([HEADER, *header]) + "\n")
    (folder / year / "episodes.csv").write_text("\n".join([EPISODES, *episodes]) + "\n")


def _extracts(root: Path) -> dict[str, Path]:
    one, two, failing = root / "one", root / "two", root / "failing"
    for year in ("2024", "2025"):  # the same open episodes in both years' files
        _write(one, year, [f"{ONE['id']},1,{ONE['dob']},WBRI,UN1,,"],
               [f"{ONE['id']},01/05/2023,S,C2,N1,K2,PR1,,,,{ONE['home']},{ONE['placement']},SC123456"])
        _write(two, year, [f"{child},2,{dob},WBRI,UN1,0," for child, dob, _ in TWO_IN_A_CELL],
               [f"{child},01/06/2023,S,C2,N1,{place},PR1,,,,TS24 7PW,TS26 9JJ,{'SC123456' if place == 'K2' else ''}"
                for child, _, place in TWO_IN_A_CELL])
    _write(failing, "2025", [f"{ONE['id']},1,{ONE['dob']},WBRI,UN1,,"],
           [f"{ONE['id']},01/05/2024,S,C2,N1,K2,PR1,01/04/2024,E4A,,{ONE['home']},{ONE['placement']},"])
    return {"one": one, "two": two, "failing": failing}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    councils = tmp_path_factory.mktemp("councils")
    extracts = _extracts(tmp_path_factory.mktemp("extracts"))
    files = {"one": ("Hartlepool", "E06000001", "lenient"), "two": ("Middlesbrough", "E06000002", "lenient"),
             "failing": ("Redcar and Cleveland", "E06000003", "strict")}
    for slug, (name, code, mode) in files.items():  # three council files
        (councils / f"{slug}.yml").write_text(yaml.safe_dump(
            {"name": name, "members": [code], "ssda903": {"path": str(extracts[slug]), "mode": mode}}))
    env = {**os.environ, "CAREBOOK_SITE": str(folder), "CAREBOOK_COUNCILS_DIR": str(councils)}
    command = str(Path(sys.executable).parent / "carebook")
    run = subprocess.run([command, "run", "one", "two", "failing", "--notebooks", NOTEBOOKS, "--jobs", "2", "--quiet"],
                         capture_output=True, text=True, env=env, check=False)
    build = subprocess.run([command, "build"], capture_output=True, text=True, env=env, check=False)
    pdf = subprocess.run([command, "pdf", "one"], capture_output=True, text=True, env=env, check=False)
    return {"folder": folder, "run": run, "build": build, "pdf": pdf,
            "html": folder / "_build" / "site" / "_build" / "html", "pdf_path": folder / "_build" / "pdf" / "one.pdf"}


def test_the_small_extracts_build_and_the_failing_one_fails_cleanly(site):
    run = site["run"]
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    manifest = (site["folder"] / "book" / "councils" / "manifest.csv").read_text()
    rows = [line.split(",") for line in manifest.splitlines()[1:]]
    assert {(r[0], r[3]) for r in rows} == {("one", "ok"), ("two", "ok"), ("failing", "failed")}
    assert "row 2 of 2025/episodes.csv, field DEC" in manifest  # the culprit named, without its values
    assert site["build"].returncode == 0, site["build"].stdout + site["build"].stderr
    assert site["pdf"].returncode == 0, site["pdf"].stdout + site["pdf"].stderr


def test_no_identifier_date_of_birth_or_postcode_reaches_any_output(site):
    folder, html = site["folder"], site["html"]
    outputs = [*html.rglob("*.html"), *html.rglob("searchindex.js"), folder / "book" / "councils" / "manifest.csv",
               *(folder / "book" / "councils").glob("*/results/*")]
    text = "\n".join(p.read_text(errors="replace") for p in outputs if p.is_file())
    text += "\n".join(page.extract_text() for page in PdfReader(site["pdf_path"]).pages)
    private = {ONE["id"], ONE["dob"], "2008-03-27", ONE["home"], ONE["placement"], "TS26 9JJ"}
    private |= {child for child, _, _ in TWO_IN_A_CELL} | {dob for _, dob, _ in TWO_IN_A_CELL}
    found = {value for value in private if re.search(rf"(?<![\w/]){re.escape(value)}(?![\w/])", text)}
    assert found == set()


def test_the_two_children_in_one_cell_are_never_counted_on_the_page(site):
    page = (site["html"] / "book" / "councils" / "two" / "sufficiency.html").read_text()
    table = re.search(r"Children in each placement group with in-house.*?</table>", page, flags=re.S)
    assert table, "the provision table is on the page"
    cells = re.findall(r"<td[^>]*>\s*(?:<p>)?([^<]*)", table.group(0))
    assert "2" not in [c.strip() for c in cells]
