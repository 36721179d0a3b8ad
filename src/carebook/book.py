"""Render the book: the HTML site with every council that was run, and one PDF per council.

The fixed pages are listed in the top-level ``_toc.yml``. Before each build the pages that
come from data are written to ``book/_generated/`` (glossary, assumptions log, the
councils overview) and ``book/councils/<slug>/index.md`` (each council's landing page),
and the table of contents is extended with the councils in the run manifest.
"""

from __future__ import annotations

import functools
import multiprocessing
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from carebook import charts, downloads, edition, formats, landing_charts, national, provenance, registry, runner, summary
from carebook.catalogue import load_sources
from carebook.defaults import assumption_entries
from carebook.errors import InputError
from carebook.tables import markdown_table
from carebook.params import load_council
from carebook.paths import REFERENCE, ROOT, relative, site
from carebook.text import latex_escape, markdown_literal, one_line

SOURCES = ("_config.yml", "_toc.yml", "book/intro.md", "book/method.md", "book/data_sources.md", "book/_static", "book/_templates", "book/latex")
"""The book's hand-written sources, copied into a site that is not the repository."""
RAG = {"red": "Red", "amber": "Amber", "green": "Green"}


@dataclass(frozen=True)
class CouncilRun:
    """A council in the run manifest and its notebooks that succeeded and failed."""

    slug: str
    name: str
    ok: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]


def councils_in_manifest(manifest: pd.DataFrame) -> list[CouncilRun]:
    """The councils of a run, in run order, with their succeeded (in book order) and failed notebooks."""
    runs = []
    for slug, rows in manifest.groupby("council", sort=False):
        ok = rows.loc[rows["status"] == "ok", "notebook"]
        failed = rows.loc[rows["status"] != "ok", ["notebook", "error"]]
        runs.append(CouncilRun(
            slug=str(slug),
            name=str(rows["council_name"].iloc[0]),
            ok=tuple(registry.book_order(ok)),
            failed=tuple(failed.itertuples(index=False, name=None)),
        ))
    return runs


def generated() -> Path:
    """Pages made from data: ``<site>/book/_generated``."""
    return site() / "book" / "_generated"


def build_dir() -> Path:
    """Build outputs and logs: ``<site>/_build``."""
    return site() / "_build"


def prepare_site() -> None:
    """Copy the hand-written sources into the site (when it is not the repository) and write
    the vega bundle served from ``_static`` (no CDN)."""
    target = site()
    if target.resolve() != ROOT.resolve():
        for name in SOURCES:
            source, copy = ROOT / name, target / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, copy, dirs_exist_ok=True)
            elif source.exists():
                shutil.copy2(source, copy)  # with its time: Sphinx reads again only what changed
    bundle = target / "book" / "_static" / "vega-bundle.js"
    if not bundle.exists():
        bundle.parent.mkdir(parents=True, exist_ok=True)
        partial = bundle.with_suffix(".js.partial")
        partial.write_text(charts.javascript_bundle(), encoding="utf-8")
        partial.replace(bundle)


def glossary_page() -> str:
    """The glossary of 903 and care terms, from ``data/reference/glossary.yml``."""
    entries = _yaml_list(REFERENCE / "glossary.yml")
    lines = ["# Glossary", "", "Terms used in this book, from the SSDA903 return and children's social care commissioning.", "", ":::{glossary}", ":sorted:", ""]
    for entry in entries:
        lines += [entry["term"], f"  {' '.join(str(entry['definition']).split())}", ""]
    return "\n".join(lines + [":::", ""])


def assumptions_page() -> str:
    """The assumptions-and-caveats log with RAG ratings: the assumptions files of the analyses
    registry (``data/reference/assumptions/*.yml``), in book order."""
    lines = [
        "# Assumptions and caveats",
        "",
        "Every assumption the analyses rest on, with its source and two ratings in the style of "
        "the Government Analysis Function's quality assurance guidance: **quality** (how good the "
        "evidence is: Green good, Amber some concerns, Red weak) and **impact** (how much the "
        "results depend on it). Council-specific values are listed on each council's pages.",
        "",
    ]
    for part in registry.assumption_files():
        path, title = part.file, part.title
        if not path.is_file():
            raise InputError("an assumptions file named in the analyses registry does not exist", file=relative(path))
        entries = pd.DataFrame(assumption_entries(path))
        if entries.empty:
            continue
        table = pd.DataFrame({
            "Assumption": entries["assumption"],
            "Source": entries["source"],
            "Quality": entries["quality"].str.lower().map(RAG),
            "Impact": entries["impact"].str.capitalize(),
        })
        lines += [f"## {title}", "", markdown_table(table, caption=f"Assumptions: {title.lower()}", name=f"assumptions-{path.stem}"), ""]
    return "\n".join(lines)


def _yaml_list(path: Path) -> list[dict]:
    if not path.exists():
        return []
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(content, list):
        raise InputError("expected a list of entries", file=relative(path))
    return content


def sources_page() -> str:
    """The official statistics the book reads, as documents: title (linked to the publisher's
    page where there is one), publisher, years and licence."""
    sources = pd.DataFrame([s.model_dump() for s in load_sources()])
    titles = sources["title"].map(markdown_literal)
    linked = sources["publication"].fillna("").astype(str).str.match(r"^https?://")
    table = pd.DataFrame({
        "Statistics": titles.where(~linked, "[" + titles + "](" + sources["publication"].astype(str) + ")"),
        "Publisher": sources["publisher"],
        "Years": sources["years"],
        "Licence": sources["licence"].replace({"OGL-3.0": "Open Government Licence v3.0", "MIT": "MIT licence"}),
    }).drop_duplicates()
    return "\n".join([
        "# Official statistics used",
        "",
        "Every table of official statistics the analyses read, with its publisher, the years it "
        "covers and its licence. Each title links to the publisher's page for the statistics.",
        "",
        markdown_table(table, caption="Official statistics read by the book", name="sources-catalogue",
                       markup=frozenset({"Statistics"})),
    ])


def council_contact(slug: str) -> str:
    """Who to contact about a council's pages: the ``contact`` of its council file, else the
    council's children's commissioning team."""
    try:
        contact = getattr(load_council(slug), "contact", None)
    except InputError:
        contact = None
    return contact.text() if contact is not None else "the council's children's services commissioning team"


def publication_details(run: CouncilRun, version: str | None = None) -> summary.Details:
    """The publication details of a council's pages: version (the book's, unless given),
    date built, data as at, contact."""
    return summary.Details(version=version or edition.book_version(), built=edition.built_on(),
                           data_as_at=edition.data_as_at(runner.output_root() / run.slug / "results"),
                           contact=council_contact(run.slug))


def landing_page(run: CouncilRun, details: summary.Details | None = None, charts: Sequence[landing_charts.Chart] = (),
                 found: downloads.Downloads | None = None) -> str:
    """A council's landing page: its executive summary (:mod:`carebook.summary`), with the
    charts and downloads written by :func:`write_pages`. The council's name is shown literally;
    a notebook that failed is said in readers' words (the run log has the error)."""
    folder = runner.output_root() / run.slug
    pdf = downloads.pdf_is_current(build_dir() / "pdf" / f"{run.slug}.pdf", folder)
    return summary.landing_markdown(run.slug, run.name, run.ok, [n for n, _ in run.failed], folder / "results",
                                    runner.headlines(run.slug), details or publication_details(run), charts, found, pdf)


def landing_assets(run: CouncilRun, details: summary.Details, for_pdf: bool = True) -> tuple[list[landing_charts.Chart], downloads.Downloads]:
    """Write a council's landing-page charts (as PDF too ``for_pdf``) and its downloads beside its pages."""
    folder = runner.output_root() / run.slug
    charts = landing_charts.landing_charts(folder / "results", run.name, run.ok)
    for chart in charts:  # four charts
        landing_charts.write_chart(chart, folder / landing_charts.FOLDER, pdf=for_pdf)
    found = downloads.write_downloads(run.slug, downloads.Edition(run.name, details.version, details.built,
                                                                  details.data_as_at, details.contact), folder)
    return charts, found


def councils_page(runs: Sequence[CouncilRun]) -> str:
    """The councils that were run, side by side: one table of key figures per analysis. Each
    council's name (shown literally) links to its landing page."""
    lines = ["# Councils at a glance", "", "The councils in this edition of the book and their key figures, "
             "one table per analysis. Each council's name links to its own pages.", ""]
    figures = pd.DataFrame([
        {**f, "council": f"[{markdown_literal(run.name)}](../councils/{run.slug}/index.md)"}
        for run in runs for f in runner.headlines(run.slug) if f["notebook"] in run.ok
    ])
    for notebook in registry.book_order(n for run in runs for n in run.ok):
        rows = figures[figures["notebook"] == notebook] if not figures.empty else figures
        if rows.empty:
            continue
        table = rows.pivot_table(index="council", columns="label", values="text", aggfunc="first", sort=False)
        table = table[list(dict.fromkeys(rows["label"]))].fillna(formats.NOT_PUBLISHED).reset_index().rename(columns={"council": "Council"})
        title = registry.title(notebook)
        lines += [f"## {title}", "", markdown_table(table, caption=f"{title}: key figures by council", name=f"councils-{notebook}",
                                                   markup=frozenset({"Council"})), ""]
    failed = [(r.name, n) for r in runs for n, _ in r.failed]
    if failed:
        lines += [":::{warning}", "Analyses that did not complete in this run: "
                  + "; ".join(f"{markdown_literal(name)} ({registry.title(n).lower()})" for name, n in failed)
                  + ".", ":::", ""]
    return "\n".join(lines)


def national_runs(runs: Sequence[CouncilRun]) -> list[national.RunCouncil]:
    """The councils of a run with the local authorities each covers (for the national overview);
    a council whose file can no longer be read is left off the map."""
    from carebook.params import load_council  # noqa: PLC0415 - the council files are read only here

    found = []
    for run in runs:  # the councils of one run
        try:
            found.append(national.RunCouncil(run.slug, run.name, tuple(load_council(run.slug).codes)))
        except InputError:
            continue
    return found


def council_chapter(run: CouncilRun) -> dict:
    """The table-of-contents entry of one council: its landing page and its analyses."""
    chapter: dict = {"file": f"book/councils/{run.slug}/index"}
    if run.ok:
        chapter["options"] = {"numbered": True}  # its analyses are its chapters 1, 2, ... as in its PDF
        chapter["sections"] = [{"file": f"book/councils/{run.slug}/{n}"} for n in [*run.ok, provenance.FIGURES_PAGE]]
    return chapter


def write_page(path: Path, text: str) -> None:
    """Write a page that comes from data, leaving it untouched when its text has not changed:
    Sphinx reads again only the pages whose files changed, so an unchanged council's pages
    are not rendered again."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_council_pages(run: CouncilRun, for_pdf: bool = True, version: str | None = None) -> None:
    """Write a council's landing page (with its charts, as PDF too ``for_pdf``, and its
    downloads) and its figures page; ``version``: the book's (asked of git when None)."""
    folder = runner.output_root() / run.slug
    folder.mkdir(parents=True, exist_ok=True)
    details = publication_details(run, version)
    write_page(folder / "index.md", landing_page(run, details, *landing_assets(run, details, for_pdf)))
    write_page(folder / f"{provenance.FIGURES_PAGE}.md", provenance.figures_page(
        run.name, folder / "results", run.ok, {n: registry.title(n) for n in run.ok}))


def write_book_pages(runs: Sequence[CouncilRun]) -> None:
    """Write the book's pages that come from data: glossary, assumptions, sources, the
    councils side by side and England at a glance."""
    pages = generated()
    pages.mkdir(parents=True, exist_ok=True)
    write_page(pages / "glossary.md", glossary_page())
    write_page(pages / "assumptions.md", assumptions_page())
    write_page(pages / "sources.md", sources_page())
    write_page(pages / "councils.md", councils_page(runs))
    write_page(pages / "england.md", national.england_page(national_runs(runs)))


def write_pages(runs: Sequence[CouncilRun], jobs: int = 1, for_pdf: bool = True) -> None:
    """Write every page that comes from data; the councils' pages in ``jobs`` processes (their
    charts drawn for the PDF too ``for_pdf``) while this one writes the book's own."""
    write = functools.partial(write_council_pages, for_pdf=for_pdf, version=edition.book_version())  # git asked once
    if jobs < 2 or len(runs) < 2:
        for run in runs:
            write(run)
        write_book_pages(runs)
        return
    # new interpreters, not forks: a fork of a process whose chart renderer has started its
    # threads (the vega bundle written just before) would wait on them for ever
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        councils = pool.map(write, runs, chunksize=max(1, len(runs) // (8 * jobs)))
        write_book_pages(runs)
        list(councils)  # a council's error is raised here


def site_toc(runs: Sequence[CouncilRun]) -> dict:
    """The whole book's table of contents: the fixed pages and a part for the councils."""
    toc = yaml.safe_load((site() / "_toc.yml").read_text(encoding="utf-8"))
    if runs:
        toc["parts"].append({
            "caption": "Councils",
            "chapters": [{"file": "book/_generated/england"}, {"file": "book/_generated/councils"}]
            + [council_chapter(r) for r in runs],
        })
    return toc


def council_toc(run: CouncilRun) -> dict:
    """A council's PDF: its landing page, its analyses and the assumptions log."""
    return {
        "format": "jb-book",
        "root": f"book/councils/{run.slug}/index",
        "chapters": [{"file": f"book/councils/{run.slug}/{n}"} for n in run.ok]
        + [{"file": "book/_generated/assumptions"}, {"file": "book/_generated/glossary"}],
    }


BOOK_TITLE = "Commissioning children's placements"
"""The title of every council's book, under the council's name."""
BOOK_SUBTITLE = ("Placement sufficiency, the flow of children into care, edge-of-care volumes "
                 "and the costs and benefits of an intervention")


def title_page(council: str, version: str, built: str, data_as_at: str) -> str:
    """The LaTeX title page of a council's PDF: the council, the book's title, its version, the
    date it was built and the date its data are as at. Every value is LaTeX-escaped."""
    details = "\n".join(f"{label} & {latex_escape(value)}\\\\" for label, value in
                        (("Version", version), ("Built on", built), ("Data as at", data_as_at)))
    return "\n".join([
        "\\begin{titlepage}",
        "\\sffamily\\raggedright",
        "\\vspace*{3cm}",
        f"{{\\LARGE {latex_escape(council)}\\par}}",
        "\\vspace{1.2cm}",
        f"{{\\Huge\\bfseries {latex_escape(BOOK_TITLE)}\\par}}",
        "\\vspace{0.8cm}",
        f"{{\\large {latex_escape(BOOK_SUBTITLE)}\\par}}",
        "\\vfill",
        "{\\large\\begin{tabular}{@{}lp{11cm}@{}}",
        details,
        "\\end{tabular}\\par}",
        "\\vspace*{1cm}",
        "\\end{titlepage}",
    ])


def council_config(run: CouncilRun) -> dict:
    """The book configuration of a council's PDF: its name on the title page (LaTeX-escaped:
    Sphinx writes the title into ``\\title{}`` as LaTeX) with the book's version, the date it
    was built and the date the council's data are as at (:mod:`carebook.edition`)."""
    config = yaml.safe_load((site() / "_config.yml").read_text(encoding="utf-8"))
    title = f"{one_line(run.name)}: {BOOK_TITLE.lower()}"
    config["title"] = title
    config["author"] = "carebook"
    config["latex"]["use_jupyterbook_latex"] = True
    config["latex"]["latex_documents"] = {"targetname": f"{run.slug}.tex", "title": latex_escape(title)}
    elements = config["sphinx"]["config"]["latex_elements"]
    elements["maketitle"] = title_page(run.name, edition.book_version(), edition.built_on(),
                                       edition.data_as_at(runner.output_root() / run.slug / "results"))
    return config


def _write_yaml(path: Path, content: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return path


def jupyter_book(args: Sequence[str], log: Path, jobs: int | None = None) -> subprocess.CompletedProcess:
    """Run ``jupyter-book build`` with warnings as errors; its output goes to ``log``. With
    ``jobs``, Sphinx reads and writes the pages in that many processes
    (:mod:`carebook.sphinx_parallel`, for HTML builds)."""
    options = [str(site()), "-W", "-n", "--keep-going", *args]
    command = ([sys.executable, "-m", "carebook.sphinx_parallel", str(jobs), *options] if jobs
               else [str(Path(sys.executable).parent / "jupyter-book"), "build", *options])
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        return subprocess.run(command, cwd=site(), stdout=out, stderr=subprocess.STDOUT, check=False)


def current_runs() -> list[CouncilRun]:
    """The councils of the last run; a clear error when nothing has been run."""
    manifest = runner.read_manifest()
    if manifest.empty:
        raise InputError("no council has been run yet: run 'carebook run COUNCIL ...' first", file=str(runner.output_root() / runner.MANIFEST))
    return councils_in_manifest(manifest)


def prepare(runs: Sequence[CouncilRun], jobs: int = 1, for_pdf: bool = True) -> None:
    """Write what every build reads that comes from data: the site's sources, the vega
    bundle and the generated pages (in ``jobs`` processes; the charts of the landing pages as
    PDF too ``for_pdf``). Done once, before any build (PDFs build in parallel)."""
    prepare_site()
    write_pages(runs, jobs, for_pdf)


def council_run(slug: str, runs: Sequence[CouncilRun]) -> CouncilRun:
    """The council ``slug`` of the last run; a clear error when it was not run."""
    found = {r.slug: r for r in runs}
    if slug not in found:
        raise InputError(f"council {slug!r} was not in the last run (run it with 'carebook run {slug}'); the last run had: {', '.join(found)}")
    return found[slug]


def build_html(jobs: int = 1) -> Path:
    """Build the HTML site for the councils of the last run (Sphinx in ``jobs`` processes);
    return its index page. Sphinx keeps its environment between builds, so pages whose
    sources have not changed are not read again."""
    runs = current_runs()
    prepare(runs, jobs, for_pdf=False)
    toc = _write_yaml(generated() / "_toc.yml", site_toc(runs))
    output = build_dir() / "site"
    log = build_dir() / "logs" / "html.log"
    result = jupyter_book(["--toc", str(toc), "--path-output", str(output)], log, jobs=jobs)
    if result.returncode != 0:
        raise BuildError(f"the HTML build reported problems (see {log}):\n{_problems(log)}")
    for run in runs:  # the councils whose PDF is current get it beside their landing page
        pdf = build_dir() / "pdf" / f"{run.slug}.pdf"
        if downloads.pdf_is_current(pdf, runner.output_root() / run.slug):
            downloads.publish_pdf(run.slug, pdf, output / "_build" / "html")
    index = output / "_build" / "html" / "index.html"
    write_page(index, REDIRECT_PAGE)
    return index


REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>carebook</title>
<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">
<meta http-equiv="Refresh" content="0; url=book/intro.html">
</head>
<body><main><p><a href="book/intro.html">Open the book</a></p></main></body>
</html>
"""
"""The site's front door: a page that sends the reader to the book's first page (Jupyter
Book writes only the bare refresh, which leaves a browser asking for a favicon the site does
not have, and a page with no language or title)."""


def build_pdf(slug: str) -> Path:
    """Build one council's PDF with xelatex, after :func:`prepare`; return the PDF's path
    (``_build/pdf/<slug>.pdf``)."""
    run = council_run(slug, current_runs())
    folder = generated() / "pdf" / slug
    toc = _write_yaml(folder / "_toc.yml", council_toc(run))
    config = _write_yaml(folder / "_config.yml", council_config(run))
    output = build_dir() / "pdf-work" / slug
    log = build_dir() / "logs" / f"pdf-{slug}.log"
    result = jupyter_book(["--builder", "pdflatex", "--toc", str(toc), "--config", str(config), "--path-output", str(output)], log)
    built = output / "_build" / "latex" / f"{slug}.pdf"
    if result.returncode != 0 or not built.exists():
        raise BuildError(f"the PDF of {slug} did not build (see {log}):\n{_problems(log)}")
    final = build_dir() / "pdf" / f"{slug}.pdf"
    final.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built, final)
    downloads.publish_pdf(slug, final, build_dir() / "site" / "_build" / "html")
    return final


class BuildError(Exception):
    """Jupyter Book or LaTeX reported a problem; the message quotes it."""


def _problems(log: Path, most: int = 15) -> str:
    lines = log.read_text(errors="replace").splitlines()
    found = [line for line in lines if "WARNING" in line or "ERROR" in line or line.startswith("!")]
    return "\n".join((found or lines[-most:])[:most])
