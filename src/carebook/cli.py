"""The ``carebook`` command: list councils, run notebooks, build the book and PDFs, make data.

Bad input (an unknown council, a malformed council file, a missing data folder) prints one
line naming the problem and exits 2; a run where some notebook failed exits 1; a run stopped
by Ctrl-C or SIGTERM exits 130.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from carebook.errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def _councils(args: argparse.Namespace) -> int:
    from carebook.params import council_files, load_council
    from carebook.public import local_authorities

    if args.all_england:
        table = local_authorities()
        for row in table.itertuples(index=False):
            print(f"{row.new_la_code}  {row.old_la_code}  {row.la_name}  ({row.region_name})")
        print(f"{len(table)} English councils; run any of them by code or name, e.g. 'carebook run Leeds'.")
        return EXIT_OK
    for slug in council_files():
        council = load_council(slug)
        print(f"{slug:16} {council.name:16} {', '.join(council.codes)}  {council.description or ''}")
    print("Council files in data/councils; 'carebook councils --all-england' lists every English council.")
    return EXIT_OK


def selected_councils(args: argparse.Namespace) -> list:
    """The councils a run names: given names/codes, ``--all`` files, or ``--all-england``;
    bad input raises the first problem."""
    councils, problems = councils_to_run(args)
    if problems:
        raise problems[0]
    return councils


def councils_to_run(args: argparse.Namespace) -> tuple[list, list[InputError]]:
    """The councils a run names and the problems of council files that ``--all`` or
    ``--all-england`` found but could not read (those are left out; a council named on the
    command line that cannot be read raises at once)."""
    from carebook.params import council_files, load_council
    from carebook.public import local_authorities

    found: list[str] = []
    if args.all:
        found += list(council_files())
    if args.all_england:
        found += list(local_authorities()["new_la_code"])
    if not args.councils and not found:
        raise InputError("name one or more councils (a file name, ONS code or name), or use --all or --all-england", where="carebook run")
    councils = {}
    for ref in args.councils:
        council = load_council(ref)
        councils.setdefault(council.slug, council)
    problems: dict[str, InputError] = {}
    for ref in found:
        try:
            council = load_council(ref)
        except InputError as problem:
            problems.setdefault(str(problem), problem)
            continue
        councils.setdefault(council.slug, council)
    if not councils and problems:
        raise next(iter(problems.values()))
    return list(councils.values()), list(problems.values())


def selected_notebooks(names: str | None) -> list[str]:
    """The notebooks a run names (comma-separated), checked against the notebooks folder."""
    from carebook.runner import available_notebooks

    available = available_notebooks()
    if names is None:
        return available
    chosen = list(dict.fromkeys(n.strip() for n in names.split(",") if n.strip()))
    if not chosen:
        raise InputError(f"expected one or more notebook names separated by commas ({', '.join(available)}), got {names!r}", where="--notebooks")
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise InputError(f"unknown notebook {unknown[0]!r}: expected one of {', '.join(available)}", where="--notebooks")
    return chosen


def _run(args: argparse.Namespace) -> int:
    """``carebook run``: exit 0 when every notebook succeeded, 1 when some failed, 2 for bad
    input (also when a council file that ``--all`` found could not be read: the other councils
    are still run) or a folder that cannot be written, 130 when stopped by SIGINT or SIGTERM."""
    from tqdm import tqdm

    from carebook import public, runner

    councils, problems = councils_to_run(args)
    public.data_dir()
    notebooks = selected_notebooks(args.notebooks)
    if args.jobs < 1:
        raise InputError(f"expected a whole number of processes of 1 or more, got {args.jobs}", where="--jobs")
    if args.no_pdf_charts or (args.all_england and not args.pdf_charts):
        os.environ["CAREBOOK_PDF_CHARTS"] = "0"
    total = len(councils) * len(notebooks)
    with tqdm(total=total, unit="notebook", desc="carebook run", disable=args.quiet) as bar:
        def advance(outcome: runner.Outcome) -> None:
            bar.set_postfix_str(f"{outcome.council}/{outcome.notebook} {outcome.status}")
            bar.update(1)

        def planned(to_run: int, skipped: int) -> None:
            bar.total = to_run
            bar.refresh()
            if skipped:
                print(f"carebook: {plan_line(to_run, skipped)}", flush=True)

        try:
            outcomes = runner.run(councils, notebooks, jobs=args.jobs, keep_previous=args.keep, progress=advance,
                                  retain=[Path(p.file).stem for p in problems if p.file], force=args.force,
                                  planned=planned)
        except runner.Interrupted as stopped:
            bar.close()
            print(f"carebook: {stopped.summary()}", file=sys.stderr)
            return EXIT_INTERRUPTED
    ran = [o for o in outcomes if not o.skipped]
    failed = [o for o in ran if o.status != "ok"]
    skipped = len(outcomes) - len(ran)
    print(f"{len(ran) - len(failed)} of {len(ran)} notebooks succeeded"
          + (f" ({plan_line(len(ran), skipped)})" if skipped else "")
          + f"; manifest: {runner.output_root() / runner.MANIFEST}")
    for outcome in failed:
        print(f"FAILED {outcome.council}/{outcome.notebook}: {outcome.error} (kept in {runner.output_root() / outcome.council / outcome.notebook}.ipynb)")
    for problem in problems:
        print(f"carebook: error: {problem} (not run; the other councils were)", file=sys.stderr)
    return EXIT_BAD_INPUT if problems else EXIT_FAILED if failed else EXIT_OK


def plan_line(to_run: int, skipped: int) -> str:
    """What a run does with its notebooks, e.g. ``12 unchanged, skipped; 2 run``."""
    return f"{skipped} unchanged, skipped; {to_run} run"


@contextmanager
def writing_book() -> Iterator[None]:
    """A folder of the book that cannot be written (not writable, under a file, a full disk)
    is one line of bad input naming the file, not a traceback."""
    try:
        yield
    except OSError as failure:
        reason = (failure.strerror or str(failure)).lower()
        raise InputError(f"cannot write the book here: {reason}",
                         file=str(failure.filename) if failure.filename else None) from None


def _build(args: argparse.Namespace) -> int:
    from carebook import book

    try:
        with writing_book():
            index = book.build_html(jobs=args.jobs)
    except book.BuildError as error:
        print(f"carebook: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"HTML book: {index}")
    return EXIT_OK


def _pdf_one(slug: str) -> tuple[str, str, bool]:
    from carebook import book

    try:
        return slug, str(book.build_pdf(slug)), True
    except (book.BuildError, InputError) as error:
        return slug, str(error), False


def _pdf(args: argparse.Namespace) -> int:
    from carebook import book
    from carebook.params import load_council

    runs = book.current_runs()
    slugs = [book.council_run(load_council(ref).slug, runs).slug for ref in args.councils] or [r.slug for r in runs]
    with writing_book():
        book.prepare(runs, max(1, args.jobs))
    # new interpreters, not forks, as for the pages: preparing them started the chart renderer's threads
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_pdf_one, slugs))
    for slug, message, ok in results:
        print(f"PDF {slug}: {message}" if ok else f"FAILED PDF {slug}: {message}")
    return EXIT_OK if all(ok for *_, ok in results) else EXIT_FAILED


def _synth(args: argparse.Namespace) -> int:
    first, _, last = args.years.partition("-")
    if not (first.isdigit() and last.isdigit() and int(first) <= int(last)):
        raise InputError(f"expected a span of collection years like 2008-2025, got {args.years!r}", where="--years")
    from carebook.params import load_council
    from carebook.ssda903 import synth

    council = load_council(args.council)
    extract = synth.generate(council, int(first), int(last), seed=args.seed)
    folders = synth.write_extract(extract, args.out)
    print(f"Synthetic SSDA903 extract for {council.name}: {len(extract.header):,} children, "
          f"{len(extract.episodes):,} episodes, {len(folders)} collection years in {args.out}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    """Read, repair and check an extract; print the report (and write it as JSON)."""
    import json
    from pathlib import Path

    from carebook.ssda903 import report
    from carebook.ssda903.read import extract_from_raw, read_raw

    raw = read_raw(Path(args.path), convention=args.convention)
    extract = extract_from_raw(raw, mode=args.mode)
    found = report.build_report(raw, extract, la_code=args.la_code, dfe=not args.no_dfe_rules)
    print(report.as_text(found))
    if args.json:
        target = Path(args.json)
        try:
            target.write_text(json.dumps(report.as_json(found), indent=1))
        except OSError as error:
            raise InputError(f"could not write the JSON report ({error.strerror})", file=str(target)) from None
    return EXIT_OK if found.usable else EXIT_BAD_INPUT


def _fetch(args: argparse.Namespace) -> int:
    from carebook import fetch

    return fetch.main_fetch(args)


def _diff(args: argparse.Namespace) -> int:
    """``carebook diff RUN_A RUN_B``: the figures that moved between two runs; exit 0."""
    from carebook import diff

    print(diff.as_text(diff.compare_runs(Path(args.run_a), Path(args.run_b))))
    return EXIT_OK


def _backtest(args: argparse.Namespace) -> int:
    """``carebook backtest``: compare a run of the default councils with the signed-off figures
    (exit 1 when some moved beyond their tolerance); ``--update`` shows every difference and
    writes the new signed-off files with ``--yes`` (or when confirmed at a terminal)."""
    import tempfile

    from carebook import backtest, diff

    councils = backtest.default_councils()
    with tempfile.TemporaryDirectory(prefix="carebook-backtest-") as scratch:
        run = Path(args.run) if args.run else Path(scratch)
        if not args.run:
            print(f"Running every notebook for {', '.join(councils)}…", file=sys.stderr)
            done = backtest.run_councils(run, args.jobs)
            if done.returncode != 0:
                print(f"carebook: the run of the default councils failed:\n{done.stdout}{done.stderr}", file=sys.stderr)
                return EXIT_FAILED
        now = backtest.figures_of(run, councils)
    if now.empty:
        raise InputError("no figures of the default councils in this run", file=str(args.run))
    signed = backtest.signed_off()
    if not args.update:
        found = backtest.moved(signed, now)
        print(backtest.moved_as_text(found))
        return EXIT_FAILED if len(found) else EXIT_OK
    print(diff.as_text(backtest.differences(signed, now)))
    confirmed = args.yes or (sys.stdin.isatty() and input("Write these as the signed-off figures? [y/N] ").strip().lower() == "y")
    if not confirmed:
        print("Nothing written: run again with --yes to write the signed-off figures.")
        return EXIT_OK
    written = backtest.write(backtest.proposal(signed, now))
    print(f"Wrote {len(written)} files of signed-off figures in {written[0].parent if written else backtest.BACKTESTS}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The command line."""
    top = argparse.ArgumentParser(prog="carebook", description="Commissioning analysis for children's social care, one book per council.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    councils = commands.add_parser("councils", help="list the council files (and with --all-england every English council)")
    councils.add_argument("--all-england", action="store_true", help="list all English councils with children's services")
    councils.set_defaults(handler=_councils)

    run = commands.add_parser("run", help="execute the notebooks for councils with papermill")
    run.add_argument("councils", nargs="*", metavar="COUNCIL", help="council file name, ONS code or name (e.g. rotherham, E08000035, Leeds)")
    run.add_argument("--all", action="store_true", help="every council file in data/councils")
    run.add_argument("--all-england", action="store_true", help="every English council (council files where they exist, national defaults otherwise)")
    run.add_argument("--notebooks", metavar="NAMES", help="comma-separated notebooks to run (default: all)")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="parallel processes (default: one per core)")
    run.add_argument("--keep", action="store_true", help="keep the councils of earlier runs in the book")
    run.add_argument("--no-pdf-charts", action="store_true", help="skip the PDF rendering of charts (when no PDF will be built)")
    run.add_argument("--pdf-charts", action="store_true", help="render charts for PDF even with --all-england")
    run.add_argument("--force", action="store_true", help="run every notebook, also those whose inputs have not changed since they last succeeded")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(handler=_run)

    build = commands.add_parser("build", help="build the HTML book of the councils that were run")
    build.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="parallel Sphinx processes (default: one per core)")
    build.set_defaults(handler=_build)

    pdf = commands.add_parser("pdf", help="build the PDF of each named council (default: all that were run)")
    pdf.add_argument("councils", nargs="*", metavar="COUNCIL")
    pdf.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="PDFs built at once")
    pdf.set_defaults(handler=_pdf)

    synth = commands.add_parser("synth", help="write a synthetic SSDA903 extract for a council")
    synth.add_argument("council", metavar="COUNCIL")
    synth.add_argument("--out", required=True, metavar="DIR", help="folder for one sub-folder per collection year")
    synth.add_argument("--years", default="2008-2025", metavar="FIRST-LAST", help="collection years (year ending 31 March), default 2008-2025")
    synth.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    synth.set_defaults(handler=_synth)

    validate = commands.add_parser("validate", help="read and check a council's SSDA903 extract; report layout, repairs, DfE rules and yearly figures")
    validate.add_argument("path", metavar="PATH", help="the extract: a folder (year folders, flat files or XML) or one XML file")
    validate.add_argument("--json", metavar="FILE", help="also write the report as one JSON object")
    validate.add_argument("--convention", choices=("auto", "end", "start"), default="auto",
                          help="how folders and files name collection years: by the year they end (DfE) or start; default: from the dates")
    validate.add_argument("--mode", choices=("lenient", "strict"), default="lenient", help="lenient: repair and report (default); strict: stop at the first problems")
    validate.add_argument("--la-code", metavar="CODE", help="the council's ONS code, for DfE's rules on postcodes and local authorities")
    validate.add_argument("--no-dfe-rules", action="store_true", help="skip DfE's validation rules")
    validate.set_defaults(handler=_validate)

    fetch = commands.add_parser("fetch", help="download the official statistics from their publishers into data/public")
    fetch.add_argument("--dest", metavar="DIR", help="destination folder (default data/public)")
    fetch.add_argument("--list", action="store_true", help="list the files, publishers and licences; download nothing")
    fetch.add_argument("--base-url", metavar="URL", help="fetch every file from under this URL instead (a mirror)")
    fetch.set_defaults(handler=_fetch)

    compare = commands.add_parser("diff", help="compare two runs figure by figure: the figures that moved")
    compare.add_argument("run_a", metavar="RUN_A", help="a site or its book/councils folder")
    compare.add_argument("run_b", metavar="RUN_B", help="a site or its book/councils folder")
    compare.set_defaults(handler=_diff)

    back = commands.add_parser("backtest", help="check the default councils' figures against the signed-off ones in tests/backtests")
    back.add_argument("--run", metavar="DIR", help="read this run (a site or its book/councils folder) instead of running the councils")
    back.add_argument("--update", action="store_true", help="show every difference and rewrite the signed-off figures (with --yes)")
    back.add_argument("--yes", action="store_true", help="with --update: write without asking")
    back.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="parallel processes (default: one per core)")
    back.set_defaults(handler=_backtest)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: one clear line and exit status 2 for bad input."""
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except InputError as error:
        print(f"carebook: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
