"""Benchmark: read, validate and compute care journeys for a national-scale 903 extract.

Builds (once, outside the timing) an extract of 100,000 children and about 600,000
episodes over ten collection years (2015-16 to 2024-25), written as councils hold
them: one folder per collection year with header.csv and episodes.csv, an episode
open across 31 March appearing in both years' files. Then times
``carebook.ssda903.read_extract`` (read, merge years, validate) and the volume
analysis (funnel, journey cohort, journey years, care days by placement group,
profile, length of care by age, placement mix, journey cost).

Target: read + validate + journeys under 30 seconds.

    .venv/bin/python benchmarks/volume_bench.py [--children 100000] [--folder /tmp/carebook-bench-903]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carebook.ssda903.read import read_extract
from carebook.volume.costs import journey_cost, unit_costs
from carebook.volume.funnel import funnel_counts, funnel_periods
from carebook.volume.journeys import journey_profile, length_of_care_by_age, placement_mix, sample_sizes
from carebook.volume.params import VolumeSizingParams
from carebook.volume.report import journeys_of

FIRST_YEAR, LAST_YEAR = 2016, 2025  # collection years (ending 31 March)
START = pd.Timestamp(FIRST_YEAR - 1, 4, 1)
END = pd.Timestamp(LAST_YEAR, 3, 31)
PLACES = np.array(["U1", "U3", "U4", "U6", "U6", "U6", "K2", "K2", "R1", "P1", "H5", "S1"])
LEGAL = np.array(["C1", "C2", "C2", "V2", "V2", "E1", "V3", "J1"])
NEEDS = np.array(["N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"])
PROVIDERS = np.array(["PR1", "PR2", "PR4", "PR5"])
CONTINUING_RNE = np.array(["P", "L", "T", "B", "U"])


def within_child_cumsum(values: np.ndarray, first: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Running sum of ``values`` restarting at each child's first episode."""
    total = np.cumsum(values)
    return total - np.repeat(total[first] - values[first], counts)


def national_extract(children: int, episodes_a_child: float = 7.65, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A valid 903 header and episodes (typed) for ``children`` children, vectorised.

    Each child's episodes are chained (DEC of one = DECOM of the next, REC X1) with a
    15% chance that an episode starts a new period of care after a gap (RNE S).
    Episodes starting at 18 or after the end of the data are dropped; open episodes
    at the end have DEC blank.
    """
    rng = np.random.default_rng(seed)
    n_episodes = 1 + rng.poisson(episodes_a_child - 1, children)
    child = np.repeat(np.arange(children), n_episodes)
    first = np.r_[0, np.cumsum(n_episodes)[:-1]]
    position = np.arange(len(child)) - np.repeat(first, n_episodes)
    span_days = (END - START).days
    entry_day = rng.integers(0, span_days - 30, children)
    age_at_entry_days = rng.integers(0, 17 * 365, children)
    dob = START + pd.to_timedelta(entry_day - age_at_entry_days, unit="D")
    duration = np.maximum(1, rng.exponential(140, len(child)).astype("int64"))
    new_period = (rng.random(len(child)) < 0.15) | (position == 0)
    gap = np.where(new_period & (position > 0), rng.integers(30, 500, len(child)), 0)
    offset = within_child_cumsum(duration, first, n_episodes) - duration + within_child_cumsum(gap, first, n_episodes)
    decom = START + pd.to_timedelta(np.repeat(entry_day, n_episodes) + offset, unit="D")
    dec = decom + pd.to_timedelta(duration, unit="D")
    dob_each = np.repeat(dob.to_numpy(), n_episodes)
    birthday_18 = pd.DatetimeIndex(dob_each) + pd.DateOffset(years=18)
    keep = (decom <= END) & (decom < birthday_18)
    frame = pd.DataFrame(
        {
            "child": child, "DECOM": decom, "DEC": dec.where(dec <= birthday_18, birthday_18),
            "new_period": new_period,
            "PLACE": rng.choice(PLACES, len(child)), "LS": rng.choice(LEGAL, len(child)),
            "CIN": rng.choice(NEEDS, len(child)), "provider": rng.choice(PROVIDERS, len(child)),
            "rne": rng.choice(CONTINUING_RNE, len(child)),
        }
    )[keep]  # fmt: skip
    frame = frame.reset_index(drop=True)
    next_child = frame["child"].shift(-1)
    last_in_period = (next_child != frame["child"]) | frame["new_period"].shift(-1, fill_value=True)
    frame["DEC"] = frame["DEC"].mask(frame["DEC"] > END)
    cease = np.where(frame["DEC"].isna(), None, np.where(last_in_period, "E4A", "X1"))
    ids = pd.Series(np.char.add("C", frame["child"].to_numpy().astype(str)))
    episodes = pd.DataFrame(
        {
            "CHILD": ids, "DECOM": frame["DECOM"], "RNE": np.where(frame["new_period"], "S", frame["rne"]),
            "LS": frame["LS"], "CIN": frame["CIN"], "PLACE": frame["PLACE"],
            "PLACE_PROVIDER": np.where(frame["PLACE"] == "P1", "PR0", frame["provider"]),
            "DEC": frame["DEC"], "REC": pd.Series(cease, dtype="string"),
            "REASON_PLACE_CHANGE": pd.NA, "HOME_POST": pd.NA, "PL_POST": pd.NA, "URN": pd.NA,
        }
    )  # fmt: skip
    ids_all = pd.Series(np.char.add("C", np.arange(children).astype(str)))
    header = pd.DataFrame(
        {
            "CHILD": ids_all, "SEX": rng.choice(np.array(["1", "2"]), children), "DOB": dob,
            "ETHNIC": "WBRI", "UPN": pd.NA, "MOTHER": pd.NA, "MC_DOB": pd.NaT,
        }
    )[ids_all.isin(episodes["CHILD"]).to_numpy()]  # fmt: skip
    return header.reset_index(drop=True), episodes


def write_year_folders(header: pd.DataFrame, episodes: pd.DataFrame, folder: Path) -> int:
    """Write one folder per collection year as councils hold them; returns episode rows written."""
    rows = 0
    dated = episodes.assign(dob=episodes["CHILD"].map(header.set_index("CHILD")["DOB"]))
    for year in range(FIRST_YEAR, LAST_YEAR + 1):  # one iteration per collection year
        year_start, year_end = pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)
        in_year = dated[(dated["DECOM"] <= year_end) & (dated["DEC"].isna() | (dated["DEC"] >= year_start))]
        still_open = in_year["DEC"].isna() | (in_year["DEC"] > year_end)
        copy = in_year.assign(
            DECOM=in_year["DECOM"].dt.strftime("%d/%m/%Y"),
            DEC=in_year["DEC"].dt.strftime("%d/%m/%Y").mask(still_open),
            REC=in_year["REC"].mask(still_open),
        ).drop(columns="dob")
        people = header[header["CHILD"].isin(in_year["CHILD"])]
        people = people.assign(DOB=people["DOB"].dt.strftime("%d/%m/%Y"), MC_DOB=pd.NA)
        target = folder / str(year)
        target.mkdir(parents=True, exist_ok=True)
        people.to_csv(target / "header.csv", index=False)
        copy.to_csv(target / "episodes.csv", index=False)
        rows += len(copy)
    return rows


def run_journeys(extract, params: VolumeSizingParams) -> dict[str, float]:
    """The volume analysis on an extract; returns the cohort size and figures to print."""
    periods = funnel_periods(extract.start, extract.end, params)
    funnel = funnel_counts(extract.header, extract.episodes, periods, params)
    years, care = journeys_of(extract.header, extract.episodes, extract.start, extract.end, params)
    profile = journey_profile(care, params.observation_years)
    by_age = length_of_care_by_age(years, care)
    placement_mix(care)
    sizes = sample_sizes(years)
    cost = journey_cost(care, unit_costs(params), params.observation_years)
    return {
        "edge-of-care cases a year (#6)": float(funnel.loc[funnel["step"] == "6", "children"].iloc[0]),
        "journey cohort (children)": float(sizes["children"].iloc[0]),
        "share in care, year 1": float(profile["share_in_care"].iloc[0]),
        "weighted years in care": float(by_age.loc[by_age["age_at_entry"] == -1, "years_in_care"].iloc[0]),
        "cost over 4 years (£)": float(cost.loc[(cost["journeys"] == "all") & (cost["journey_year"] == 4), "cumulative_cost_gbp"].iloc[0]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/carebook-bench-903"))
    args = parser.parse_args()
    folder = args.folder / f"children-{args.children}"
    if not (folder / str(LAST_YEAR) / "episodes.csv").exists():
        started = time.perf_counter()
        header, episodes = national_extract(args.children)
        rows = write_year_folders(header, episodes, folder)
        print(f"built {len(header):,} children, {len(episodes):,} episodes ({rows:,} rows over "
              f"{LAST_YEAR - FIRST_YEAR + 1} year files) in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    extract = read_extract(folder, mode="lenient")
    read_seconds = time.perf_counter() - started
    print(f"read + validate: {read_seconds:.1f} s ({len(extract.header):,} children, "
          f"{len(extract.episodes):,} episodes, {len(extract.problems):,} problems)")
    started = time.perf_counter()
    figures = run_journeys(extract, VolumeSizingParams())
    journey_seconds = time.perf_counter() - started
    print(f"funnel + journeys + costs: {journey_seconds:.1f} s")
    for name, value in figures.items():
        print(f"  {name}: {value:,.2f}")
    total = read_seconds + journey_seconds
    print(f"total: {total:.1f} s (target 30 s) -> {'within' if total < 30 else 'OVER'} target")


if __name__ == "__main__":
    main()
