"""A council's landing page as an executive summary, its edition details, charts and downloads:
read from a council's results folder written by hand here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from carebook import book, downloads, edition, landing_charts, runner, summary
from carebook.params import Contact, load_council
from test_text import html_of

ANSWER = "Nottingham has **93** children looked after per 10,000 children, more than England's 67."
CB_ANSWER = "The block contract saves **£211,250** over the plan, at its central estimate."


def write_json(path, content):
    path.write_text(json.dumps(content), encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A site with Nottingham's results: summaries for sufficiency and cost-benefit, headline
    figures alone for the flow model and edge-of-care volumes (the fallback), small tables."""
    monkeypatch.setenv("CAREBOOK_SITE", str(tmp_path))
    results = tmp_path / "book" / "councils" / "nottingham" / "results"
    results.mkdir(parents=True)
    write_json(results / "summary_sufficiency.json", {
        "notebook": "sufficiency", "answer": ANSWER, "decision": "Whether to commission more local foster places.",
        "certainty": "High: DfE's published figures.", "basis": ["comparator"], "figure": "rate_council"})
    write_json(results / "summary_cost_benefit.json", {
        "notebook": "cost_benefit", "answer": CB_ANSWER, "decision": "Whether to renew the block contract.",
        "certainty": "Low: P10 to P90 (£275,861) to £354,636; a 56% chance of saving.", "basis": ["illustrative"],
        "figure": "headline_net_saving"})
    write_json(results / "headlines_sufficiency.json", [
        {"notebook": "sufficiency", "key": "rate_council", "label": "Children looked after per 10,000 children",
         "value": 92.99, "text": "93"}])
    write_json(results / "headlines_flow_model.json", [
        {"notebook": "flow_model", "key": "fewer_entries", "label": "Fewer children entering care a year",
         "value": 57.49, "text": "57"}])
    write_json(results / "headlines_volume_sizing.json", [
        {"notebook": "volume_sizing", "key": "vs-eligible-a-year", "label": "Edge-of-care cases a year",
         "value": 13.04, "text": "13"}])
    write_json(results / "headlines_cost_benefit.json", [
        {"notebook": "cost_benefit", "key": "payback", "label": "Payback year", "value": "2015/16", "text": "2015/16"},
        {"notebook": "cost_benefit", "key": "headline_net_saving", "label": "Net saving over the plan",
         "value": 211250.0, "text": "£211,250"}])
    write_json(results / "volume_summary.json", {"synthetic_data": True})
    write_json(results / "cost_benefit_headlines.json", {"illustrative": False})
    write_json(results / "sufficiency_903_summary.json", {"date": "2015-03-31", "is_synthetic": True})
    pd.DataFrame({"area_type": ["council", "council", "england", "england", "region"],
                  "area": ["Nottingham", "Nottingham", "England", "England", "East Midlands"],
                  "time_period": [2024, 2025, 2024, 2025, 2025],
                  "children_count": [650.0, 639.0, 83630.0, 81770.0, 5000.0],
                  "rate_per_10000": [99.6, 92.99, 69.4, 67.2, 60.1]}).to_csv(results / "sufficiency_cla_rates.csv", index=False)
    pd.DataFrame({"option": ["1. Council budget"] * 3 + ["4. Do nothing"] * 3,
                  "financial_year": ["2015/16", "2016/17", "2017/18"] * 2,
                  "net_gbp": [-100000.0, 150000.0, 161250.0, 0.0, 0.0, 0.0]}).to_csv(
        results / "cost_benefit_options_by_year.csv", index=False)
    pd.DataFrame({"journeys": ["all", "all"], "journey_year": [1, 2], "children": [287.0, 265.0],
                  "cumulative_cost_gbp": [82081.4, 135874.7], "suppressed": [False, True]}).to_csv(
        results / "volume_journey_cost.csv", index=False)
    pd.DataFrame({"table": ["a.csv"] * 3, "time_period": [2023, 2024, 2024], "code": ["c"] * 3}).to_csv(
        results / "sufficiency_suppressed.csv", index=False)
    pd.DataFrame({"key": ["rate_council", "cla"], "data_files": ["dfe/cla_number_and_rate_per_10k_children.csv", None]}).to_csv(
        results / "figures_sufficiency.csv", index=False)
    return results


RUN = book.CouncilRun(slug="nottingham", name="Nottingham", ok=("sufficiency", "flow_model", "volume_sizing", "cost_benefit"),
                      failed=())
DETAILS = summary.Details(version="1.2.0", built="14 May 2026", data_as_at="official statistics up to 31 March 2025",
                          contact="Children's commissioning team, Nottingham City Council")


def test_landing_page_gives_each_answer_decision_and_certainty_in_book_order(site):
    page = book.landing_page(RUN, DETAILS)
    assert ANSWER in page and CB_ANSWER in page
    assert "- **The decision it informs:** Whether to commission more local foster places." in page
    assert "- **How sure:** Low: P10 to P90 (£275,861) to £354,636; a 56% chance of saving." in page
    titles = [page.index(f"### {t}") for t in ("Placement sufficiency", "Flows from referral into care",
                                                "Edge\\-of\\-care volumes and care journeys", "Cost\\-benefit and financing")]
    assert titles == sorted(titles)
    # an analysis that recorded no answer shows its headline figures
    assert "- Fewer children entering care a year: **57**" in page
    assert "- Read the analysis: {doc}`Flows from referral into care <flow_model>`" in page


def test_every_figure_on_synthetic_illustrative_or_comparator_figures_has_a_badge(site):
    page = book.landing_page(RUN, DETAILS)
    sections = dict(zip(["intro", "sufficiency", "flow", "volume", "cb"], page.split("### ")))
    assert "**Rests on:** {bdg-secondary}`Comparator's figures`" in sections["sufficiency"]
    assert "{bdg-" not in sections["flow"]
    assert "**Rests on:** {bdg-warning}`Synthetic data`" in sections["volume"]  # volume_summary.json says so
    assert "**Rests on:** {bdg-info}`Illustrative parameters`" in sections["cb"]
    # the key figures of the answered analyses carry the badges in a column of their own
    assert "| Placement sufficiency | Children looked after per 10,000 children | 93 | {bdg-secondary}`Comparator's figures` |" in page
    assert "| Cost\\-benefit and financing | Net saving over the plan | £211,250 | {bdg-info}`Illustrative parameters` |" in page
    html = html_of(page)
    assert "Synthetic data" in html and "Illustrative parameters" in html and "Comparator's figures" in html


def test_data_as_at_publication_details_and_quality_notes(site):
    page = book.landing_page(RUN, book.publication_details(RUN))
    as_at = "official statistics up to 31 March 2025; children's records \\(SSDA903, synthetic\\) at 31 March 2015"
    assert f"**Data as at:** {as_at}." in page
    assert f"- **Data as at:** {as_at}" in page
    assert "- **Contact:** Children's commissioning team, Nottingham City Council" in page  # from the council file
    assert "- **Version of the book:** " in page and "- **Date built:** " in page
    assert "3 of the council's published figures are withheld" in page  # three rows of sufficiency_suppressed.csv
    assert "{bdg-warning}`Synthetic data` (edge\\-of\\-care volumes and care journeys): the figures come from a synthetic" in page


def test_a_failed_analysis_is_said_in_readers_words(site):
    run = book.CouncilRun(slug="nottingham", name="Nottingham", ok=("sufficiency",),
                          failed=(("flow_model", "KeyError: 'referral_count' in book/councils/nottingham/flow_model.ipynb"),))
    page = book.landing_page(run, DETAILS)
    assert ("The flows from referral into care analysis did not complete for Nottingham in this run, so its pages and "
            "figures are not in this edition. The analysts' run log records what went wrong.") in page
    for internal in (".ipynb", "book/councils", "KeyError", "referral_count"):
        assert internal not in page


def test_the_pdf_is_linked_once_built_and_said_not_built_otherwise(site, tmp_path):
    page = book.landing_page(RUN, DETAILS)
    assert "The council's PDF: not built yet." in page and 'href="nottingham.pdf"' not in page
    html_page = tmp_path / "html" / "book" / "councils" / "nottingham" / "index.html"
    html_page.parent.mkdir(parents=True)
    html_page.write_text(f"<main>{downloads.pdf_paragraph('nottingham', False)}</main>", encoding="utf-8")
    pdf = tmp_path / "nottingham.pdf"
    pdf.write_bytes(b"%PDF-1.5 test")
    assert downloads.publish_pdf("nottingham", pdf, tmp_path / "html")
    shown = html_page.read_text(encoding="utf-8")
    assert '<a href="nottingham.pdf" download>' in shown and "not built yet" not in shown
    assert (html_page.parent / "nottingham.pdf").read_bytes() == b"%PDF-1.5 test"
    assert not downloads.publish_pdf("nottingham", pdf, tmp_path / "no-site")
    assert downloads.pdf_is_current(pdf, site.parent)  # built after the results were installed


def test_data_as_at_reads_the_latest_official_year_and_the_extract(site, tmp_path):
    assert edition.results_period(site) == 2025
    assert edition.data_as_at(site) == ("official statistics up to 31 March 2025; "
                                        "children's records (SSDA903, synthetic) at 31 March 2015")
    assert edition.data_as_at(tmp_path / "nothing") == "not recorded"


def test_version_and_date_built(monkeypatch):
    assert edition.built_on(dt.date(2026, 5, 4)) == "4 May 2026"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026, 00:00 UTC
    assert edition.built_on() == "1 January 2026"
    answers = {("describe", "--tags", "--dirty"): None, ("describe", "--always", "--dirty"): "6711a58"}
    monkeypatch.setattr(edition, "_git", lambda *args, repository=None: answers[args])
    monkeypatch.setattr(edition, "package_version", lambda: "0.1.0")
    assert edition.book_version() == "0.1.0, commit 6711a58"
    answers[("describe", "--tags", "--dirty")] = "v1.0-3-g6711a58"
    assert edition.book_version() == "v1.0-3-g6711a58"
    monkeypatch.setattr(edition, "_git", lambda *args, repository=None: None)  # no git
    assert edition.book_version() == "0.1.0"


def test_charts_from_the_results_with_their_figures_in_words(site, tmp_path):
    charts = landing_charts.landing_charts(site, "Nottingham", RUN.ok)
    assert [c.name for c in charts] == ["rate", "journey", "options"]  # no flow projection in the results
    rate, journey, options = charts
    assert rate.alt.endswith("in the latest year Nottingham 93 and England 67.")
    assert list(rate.data["Area"]) == ["Nottingham", "Nottingham", "England", "England"]  # the region is left out
    # cumulative net saving: -100,000, then +150,000 = 50,000, then +161,250 = 211,250
    budget = options.data[options.data["Option"] == "1. Council budget"]["Cumulative net saving (£)"]
    assert list(budget) == [-100000, 50000, 211250]
    assert "1. Council budget £211,250" in options.alt
    assert journey.alt.endswith("after 2 years £135,875.")
    written = landing_charts.write_chart(rate, tmp_path / "charts")
    assert written.with_suffix(".svg").read_text().startswith("<svg")
    assert written.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert [c.name for c in landing_charts.landing_charts(site, "Nottingham", ("sufficiency",))] == ["rate"]


def test_the_workbook_holds_every_table_with_numbers_equal_to_the_results(site):
    found = downloads.write_downloads("nottingham", downloads.Edition("Nottingham", "1.2.0", "14 May 2026",
                                                                       "official statistics up to 31 March 2025",
                                                                       "Commissioning team"), site.parent)
    workbook = load_workbook(site.parent / found.workbook)
    front = workbook["About"]
    rows = [[c for c in row if c is not None] for row in front.iter_rows(values_only=True)]
    assert ["Council", "Nottingham"] in rows and ["Version of the book", "1.2.0"] in rows
    assert ["Date built", "14 May 2026"] in rows and ["Data as at", "official statistics up to 31 March 2025"] in rows
    assert ["Children looked after: numbers and rates per 10,000 children", "Department for Education", "2021-2025",
            "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions"] in rows \
        or any(r[:2] == ["Children looked after: numbers and rates per 10,000 children", "Department for Education"] for r in rows)
    assert workbook.sheetnames == ["About", "Key figures", "Cost-benefit net position by op",
                                   "Placement sufficiency children", "Edge-of-care volumes cost of a"]
    rates = workbook["Placement sufficiency children"]
    assert rates["A1"].value == "Placement sufficiency: children looked after per 10,000 children"
    assert [c.value for c in rates[3]] == ["Area type", "Area", "Year ending 31 March", "Children", "Rate per 10,000 children"]
    values = [[c.value for c in row] for row in rates.iter_rows(min_row=4)]
    source = pd.read_csv(site / "sufficiency_cla_rates.csv")
    assert [row[4] for row in values] == list(source["rate_per_10000"])  # numbers, equal to the results file
    assert all(isinstance(row[4], float) and isinstance(row[2], int) for row in values)
    money = workbook["Cost-benefit net position by op"]
    assert [c.value for c in money["C"][3:]] == [-100000, 150000, 161250, 0, 0, 0]
    assert money["C4"].number_format == downloads.MONEY_FORMAT
    journey = workbook["Edge-of-care volumes cost of a"]
    assert [c.value for c in journey["E"][2:]] == ["Suppressed", "no", "yes"]
    key = workbook["Key figures"]
    assert [c.value for c in key[5]] == ["Cost-benefit and financing", "Net saving over the plan", 211250, "£211,250"]
    assert key["C4"].value is None  # the payback year is not a number

    # every table as CSV: the same numbers under the same headings; the zip holds them all
    csv = pd.read_csv(site.parent / "downloads" / "csv" / "sufficiency_cla_rates.csv")
    assert list(csv.columns) == [c.value for c in rates[3]]
    assert csv["Rate per 10,000 children"].tolist() == [row[4] for row in values]
    assert [t for t, _ in found.csvs] == ["Cost-benefit: net position by option and year",
                                          "Placement sufficiency: children looked after per 10,000 children",
                                          "Edge-of-care volumes: cost of a care journey"]
    with zipfile.ZipFile(site.parent / found.csv_zip) as archive:
        assert sorted(archive.namelist()) == ["nottingham/cost_benefit_options_by_year.csv",
                                              "nottingham/sufficiency_cla_rates.csv", "nottingham/volume_journey_cost.csv"]


def test_readers_headings_titles_and_sheet_names():
    assert downloads.heading("rate_per_10000") == "Rate per 10,000 children"
    assert downloads.heading("npv_low_gbp") == "Npv low (£)"
    assert downloads.table_title("sufficiency_903_gap") == "Placement sufficiency (children's records): gap"
    assert downloads.table_title("cost_benefit_risk") == "Cost-benefit: who bears the risk"
    assert downloads.sheet_names(["A: b/c", "x" * 40, "x" * 40]) == ["A b c", "x" * 31, "x" * 28 + " 2"]


def test_contact_from_the_council_file():
    assert load_council("nottingham").contact.text() == "Children's commissioning team, Nottingham City Council"
    assert Contact(team="Commissioning", email="team@example.gov.uk").text() == "Commissioning (team@example.gov.uk)"
    with pytest.raises(ValidationError, match="expected an email address"):
        Contact(team="Commissioning", email="not an address")
    assert book.council_contact("no-such-council") == "the council's children's services commissioning team"


def test_only_figures_from_the_extract_carry_the_synthetic_badge(site):
    """Sufficiency rests on a synthetic extract for its child-level part: its published rate
    keeps no badge; the share placed within 20 miles from the extract is marked."""
    write_json(site / "summary_sufficiency.json", {
        "notebook": "sufficiency", "answer": ANSWER, "decision": "d", "certainty": "c", "basis": ["synthetic"]})
    write_json(site / "headlines_sufficiency.json", [
        {"notebook": "sufficiency", "key": "rate_council", "label": "Children looked after per 10,000 children", "value": 93, "text": "93"},
        {"notebook": "sufficiency", "key": "c903_within_20", "label": "Placed within 20 miles (SSDA903)", "value": 0.7, "text": "70%"}])
    pd.DataFrame({"key": ["rate_council", "c903_within_20"],
                  "data_files": ["dfe/cla_number_and_rate_per_10k_children.csv", "ssda903; dfe/sn_model_2025_wide.csv"]}).to_csv(
        site / "figures_sufficiency.csv", index=False)
    page = book.landing_page(RUN, DETAILS)
    assert "| Placement sufficiency | Children looked after per 10,000 children | 93 |  |" in page
    assert "| Placement sufficiency | Placed within 20 miles \\(SSDA903\\) | 70\\% | {bdg-warning}`Synthetic data` |" in page


def test_a_chart_of_published_figures_carries_no_synthetic_badge(site):
    write_json(site / "summary_sufficiency.json", {
        "notebook": "sufficiency", "answer": ANSWER, "decision": "d", "certainty": "c", "basis": ["synthetic"]})
    page = book.landing_page(RUN, DETAILS, charts=landing_charts.landing_charts(site, "Nottingham", RUN.ok))
    captions = [line for line in page.splitlines() if line.startswith(("Children looked after per", "Placement cost of a care journey"))]
    assert captions == ["Children looked after per 10,000 children",
                        "Placement cost of a care journey, cumulative by year from entry. Rests on: {bdg-warning}`Synthetic data`"]


def test_a_chart_whose_spec_has_not_changed_is_not_drawn_again(site, tmp_path):
    rate = landing_charts.landing_charts(site, "Nottingham", ("sufficiency",))[0]
    written = landing_charts.write_chart(rate, tmp_path / "charts")
    svg = written.with_suffix(".svg")
    svg.write_text("<svg>kept</svg>")
    landing_charts.write_chart(rate, tmp_path / "charts")  # the same spec: left alone
    assert svg.read_text() == "<svg>kept</svg>"
    moved = dataclasses.replace(rate, spec={**rate.spec, "title": "Another"})
    landing_charts.write_chart(moved, tmp_path / "charts")
    assert svg.read_text().startswith("<svg") and "kept" not in svg.read_text()


def test_the_html_book_draws_its_landing_charts_without_a_pdf_and_a_councils_pdf_with_one(site, tmp_path):
    rate = landing_charts.landing_charts(site, "Nottingham", ("sufficiency",))[0]
    folder = tmp_path / "charts"
    written = landing_charts.write_chart(rate, folder, pdf=False)
    assert written.with_suffix(".svg").is_file() and not written.with_suffix(".pdf").exists()
    landing_charts.write_chart(rate, folder)  # a PDF build of the same spec draws the PDF
    assert written.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    moved = dataclasses.replace(rate, spec={**rate.spec, "title": "Another"})
    landing_charts.write_chart(moved, folder, pdf=False)  # no PDF of an older spec stays
    assert not written.with_suffix(".pdf").exists()


def test_downloads_made_from_the_same_inputs_are_left_as_they_are(site):
    """A second build with the same results and edition writes nothing (the HTML build then
    copies and re-reads nothing for the council); a changed results file, a new edition or a
    missing file makes them again."""
    edition = downloads.Edition("Nottingham", "1.2.0", "14 May 2026", "now", "team")
    found = downloads.write_downloads("nottingham", edition, site.parent)
    workbook = site.parent / found.workbook
    made = workbook.stat().st_mtime_ns
    assert downloads.write_downloads("nottingham", edition, site.parent) == found
    assert workbook.stat().st_mtime_ns == made

    rates = pd.read_csv(site / "sufficiency_cla_rates.csv")
    rates.loc[0, "rate_per_10000"] = 101.0
    rates.to_csv(site / "sufficiency_cla_rates.csv", index=False)
    downloads.write_downloads("nottingham", edition, site.parent)
    assert load_workbook(workbook)["Placement sufficiency children"]["E4"].value == 101.0

    made = workbook.stat().st_mtime_ns
    downloads.write_downloads("nottingham", dataclasses.replace(edition, built="15 May 2026"), site.parent)
    assert workbook.stat().st_mtime_ns != made

    (site.parent / found.csv_zip).unlink()
    assert downloads.write_downloads("nottingham", edition, site.parent) == found
    assert (site.parent / found.csv_zip).is_file()


def test_text_from_a_council_file_never_becomes_a_spreadsheet_formula(site):
    """A council named like a formula, and a table's text starting with "=", stay text: the
    workbook's cells are strings and the CSV's text is marked with a leading apostrophe."""
    name = '=HYPERLINK("http://example.invalid","x")'
    pd.DataFrame({"area": [name, "-5", "Nottingham"], "rate_per_10000": [-1.5, 2.0, 3.0]}).to_csv(
        site / "sufficiency_hostile.csv", index=False)
    found = downloads.write_downloads("nottingham", downloads.Edition(name, "1", "1 May 2026", "now", "team"), site.parent)
    workbook = load_workbook(site.parent / found.workbook)
    council = next(row for row in workbook["About"].iter_rows() if row[0].value == "Council")[1]
    assert (council.value, council.data_type) == (name, "s")
    csv = pd.read_csv(site.parent / downloads.FOLDER / "csv" / "sufficiency_hostile.csv")
    assert list(csv.iloc[:, 0]) == [f"'{name}", "-5", "Nottingham"] and list(csv.iloc[:, 1]) == [-1.5, 2.0, 3.0]


def test_a_workbook_that_cannot_be_written_raises_the_os_error_and_keeps_the_last_one(site):
    """The workbook is written beside its final name, then moved: a file that cannot be
    written is the OSError it was (for the command line's one line) and the last workbook stays."""
    edition_of = downloads.Edition("Nottingham", "1", "1 May 2026", "now", "team")
    found = downloads.write_downloads("nottingham", edition_of, site.parent)
    workbook = site.parent / found.workbook
    before = workbook.read_bytes()
    workbook.with_suffix(".partial").mkdir()
    with pytest.raises(IsADirectoryError):
        downloads.write_workbook(workbook, edition_of, downloads.results_tables(site),
                                 downloads.key_figures(site), downloads.sources_used(site))
    assert workbook.read_bytes() == before
