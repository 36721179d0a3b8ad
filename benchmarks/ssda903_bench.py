"""Benchmark: read, validate and build periods of care for a national-scale 903 extract.

Builds (once, outside the timing) an extract of 100,000 children and about 600,000
episodes from the synthetic generator: the children of the six default councils'
extracts (2007-08 to 2024-25) with five or more episodes, copied under new CHILD
identifiers until there are enough. It is written as councils hold it (one folder
per collection year, header.csv and episodes.csv, an episode open across 31 March
in both years' files). Then times, separately:

- ``read_extract`` in strict mode: read every year's files, merge the years (the
  latest row wins), validate every rule;
- ``periods_of_care``, ``merge_unchanged`` and ``with_groups`` on the result;
- ``generate`` for one large council (Essex, 2008-2025) and for ten years only;
- ``read_raw`` of another national-scale extract (100,000 children, 600,000 episodes
  made with numpy: six episodes a child) written by ``carebook.ssda903.write`` as
  DfE XML returns (one a year) and as CSV year folders.

Targets: read + validate + periods under 30 seconds; ``read_raw`` of the CSV year
folders under 10 seconds and of the XML returns under 30 seconds.

    .venv/bin/python benchmarks/ssda903_bench.py [--children 100000] [--folder /tmp/carebook-bench-ssda903]
        [--raw-only]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carebook.ssda903 import periods
from carebook.ssda903 import write
from carebook.ssda903.extract import Extract
from carebook.ssda903.raw import read_raw
from carebook.ssda903.read import extract_from_raw, read_extract
from carebook.ssda903.synth import generate, write_extract

COUNCILS = ("rotherham", "nottingham", "triborough", "essex", "warwickshire", "buckinghamshire")
MIN_EPISODES = 5


def national_extract(children: int) -> Extract:
    """About ``children`` children (five or more episodes each) copied from the default
    councils' synthetic extracts under new identifiers."""
    extracts = [generate(slug) for slug in COUNCILS]
    headers, episodes = [], []
    for number, extract in enumerate(extracts):  # six councils
        counts = extract.episodes.groupby("CHILD").size()
        keep = counts[counts >= MIN_EPISODES].index
        prefix = f"{number}"
        headers.append(extract.header[extract.header["CHILD"].isin(keep)].assign(
            CHILD=lambda f, p=prefix: p + f["CHILD"]))
        episodes.append(extract.episodes[extract.episodes["CHILD"].isin(keep)].assign(
            CHILD=lambda f, p=prefix: p + f["CHILD"]))
    header, episode = pd.concat(headers, ignore_index=True), pd.concat(episodes, ignore_index=True)
    copies = int(np.ceil(children / len(header)))
    tags = [f"{c:03d}" for c in range(copies)]
    header = pd.concat([header.assign(CHILD=tag + header["CHILD"]) for tag in tags], ignore_index=True)
    episode = pd.concat([episode.assign(CHILD=tag + episode["CHILD"]) for tag in tags], ignore_index=True)
    keep = header["CHILD"].iloc[:children]
    return Extract(header=header[header["CHILD"].isin(keep)], episodes=episode[episode["CHILD"].isin(keep)],
                   is_synthetic=True, source="benchmark", start=extracts[0].start, end=extracts[0].end)


def numpy_extract(children: int, per_child: int = 6, seed: int = 1) -> Extract:
    """``children`` children of up to ``per_child`` episodes each (one run of X1 episodes
    of 1 to 120 days a child, the first starting between April 2014 and September
    2024); episodes starting after 31 March 2025 are dropped and one still running then
    is open, as in a council's extract to 2024-25."""
    rng = np.random.default_rng(seed)
    end = np.datetime64("2025-03-31")
    first = np.datetime64("2014-04-01") + rng.integers(0, 3835, children).astype("timedelta64[D]")
    lengths = rng.integers(1, 121, (children, per_child)).astype("timedelta64[D]")
    ends = (first[:, None] + np.cumsum(lengths, axis=1)).ravel()
    starts = np.concatenate([first[:, None], ends.reshape(children, per_child)[:, :-1]], axis=1).ravel()
    last = np.tile(np.arange(per_child) == per_child - 1, children)
    running = ends > end
    dec = np.where(running, np.datetime64("NaT"), ends)
    rec = np.where(running, None, np.where(last, "E4A", "X1"))
    ids = np.char.add("C", np.char.zfill(np.arange(children).astype(str), 7))
    n = children * per_child
    place = rng.choice(["U4", "U6", "K2", "U1"], n)
    episodes = pd.DataFrame({
        "CHILD": np.repeat(ids, per_child), "DECOM": starts.astype("datetime64[ns]"),
        "RNE": np.where(np.tile(np.arange(per_child), children) == 0, "S", "P"), "LS": rng.choice(["C2", "V2"], n),
        "CIN": rng.choice(["N1", "N4"], n), "PLACE": place, "PLACE_PROVIDER": rng.choice(["PR1", "PR4"], n),
        "DEC": dec.astype("datetime64[ns]"), "REC": rec, "REASON_PLACE_CHANGE": np.where(rec == "X1", "CARPL", None),
        "HOME_POST": rng.choice(["S60 1AA", "NG7 1"], n), "PL_POST": rng.choice(["S61 2BB", "NG5 2", "LS1 4"], n),
        "URN": np.where(place == "K2", "SC123456", None),
    })[starts <= end].astype({c: "string" for c in ("CHILD", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC",
                                                    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")})  # fmt: skip
    dob = first - rng.integers(0, 15 * 365, children).astype("timedelta64[D]")
    header = pd.DataFrame({
        "CHILD": ids, "SEX": rng.choice(["1", "2"], children), "DOB": dob.astype("datetime64[ns]"), "ETHNIC": "WBRI",
        "UPN": None, "MOTHER": None, "MC_DOB": pd.NaT,
    }).astype({"CHILD": "string", "SEX": "string", "ETHNIC": "string", "UPN": "string", "MOTHER": "string",
               "MC_DOB": "datetime64[ns]"})  # fmt: skip
    return Extract(header=header, episodes=episodes, is_synthetic=True, source="benchmark",
                   start=pd.Timestamp("2014-04-01"), end=pd.Timestamp("2025-03-31"))


def time_raw_reads(children: int, folder: Path) -> None:
    """Write a numpy-made national extract as XML returns and as CSV year folders, and
    time ``read_raw`` of each, then the merging of years and the repairs."""
    extract = timed("make a numpy national extract (not part of the target)", numpy_extract, children)
    shutil.rmtree(folder, ignore_errors=True)
    header, episodes = timed("split into collection years (not part of the target)", write.split_years, extract)
    print(f"numpy extract: {len(extract.header):,} children, {len(extract.episodes):,} episodes; "
          f"{len(header):,} header and {len(episodes):,} episode rows over the years")
    for layout in ("year_folders", "xml"):  # two layouts
        timed(f"write {layout} (not part of the target)", write.write_extract, (header, episodes),
              folder / layout, layout=layout)
        size = sum(f.stat().st_size for f in (folder / layout).rglob("*") if f.is_file()) / 1e6
        began = time.perf_counter()
        raw = timed(f"read_raw {layout} ({size:,.0f} MB; target {'10' if layout != 'xml' else '30'} s)",
                    read_raw, folder / layout)
        assert len(raw.episodes) == len(episodes) and len(raw.header) == len(header)
        repaired = timed(f"merge years + repair (lenient) {layout}", extract_from_raw, raw, mode="lenient")
        print(f"{'read + repair ' + layout:<58} {time.perf_counter() - began:6.1f} s  "
              f"({len(repaired.episodes):,} episodes, {int(repaired.repairs['rows'].sum()):,} rows in the repairs table)")
    shutil.rmtree(folder, ignore_errors=True)


def timed(label: str, function, *args, **kwargs):
    """Run ``function`` and print how long it took (seconds)."""
    began = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label:<58} {time.perf_counter() - began:6.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/carebook-bench-ssda903"))
    parser.add_argument("--raw-only", action="store_true", help="only time read_raw of the XML and CSV layouts")
    args = parser.parse_args()
    os.environ.setdefault("CAREBOOK_PUBLIC_DATA", str(Path(__file__).resolve().parents[2] / "shared/data/public"))
    if args.raw_only:
        time_raw_reads(args.children, args.folder / "raw")
        return

    extract = timed("build the national extract (not part of the target)", national_extract, args.children)
    shutil.rmtree(args.folder, ignore_errors=True)
    timed("write 18 collection-year folders (not part of the target)", write_extract, extract, args.folder)
    rows = sum(len(pd.read_csv(f / "episodes.csv", usecols=[0])) for f in sorted(args.folder.iterdir()))
    print(f"extract: {len(extract.header):,} children, {len(extract.episodes):,} episodes, "
          f"{rows:,} episode rows over the year files")

    began = time.perf_counter()
    read = timed("read + merge years + validate (strict)", read_extract, args.folder, mode="strict")
    table = timed("periods of care", periods.periods_of_care, read.episodes)
    merged = timed("merge episodes that change nothing relevant", periods.merge_unchanged, read.episodes)
    timed("placement groups", periods.with_groups, merged)
    total = time.perf_counter() - began
    print(f"{'read + validate + periods (target under 30 s)':<58} {total:6.1f} s  "
          f"({len(table):,} periods of care)")

    timed("generate Essex 2008-2025", generate, "essex", 2008, 2025, 1)
    timed("generate Essex ten years 2016-2025", generate, "essex", 2016, 2025, 1)
    shutil.rmtree(args.folder, ignore_errors=True)
    time_raw_reads(args.children, args.folder / "raw")


if __name__ == "__main__":
    main()
