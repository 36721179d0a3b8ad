"""Download the official statistics carebook reads from their publishers.

The catalogue `data/reference/public_sources.yml` documents every file the
project reads from the public-data directory: publisher, licence, what it holds,
years, and the address to download it from. `fetch` downloads each file into a
destination directory (by default `data/public/` in the repository, which is
git-ignored), at the same relative path, so that `CAREBOOK_PUBLIC_DATA` can
point there.

Each download is written to a temporary file beside its target and renamed into
place only once complete and checked against the recorded size and sha256, so an
interrupted or wrong download never leaves a half-written table behind. A file
already present with the recorded size and sha256 is skipped. One file's failure
never stops the others; each is reported on one line.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from carebook.catalogue import CATALOGUE, PublicSource, load_sources
from carebook.errors import InputError
from carebook.paths import DATA, relative

DEFAULT_DEST = DATA / "public"

DOWNLOAD_TIMEOUT_SECONDS = 60
CHUNK_BYTES = 1 << 20

Status = Literal["downloaded", "skipped", "failed"]


@dataclass(frozen=True)
class FetchResult:
    """What happened to one file: downloaded, skipped (already present) or failed."""

    path: str
    url: str | None
    status: Status
    message: str

    def line(self) -> str:
        """One line for the terminal, e.g. `failed      dfe/x.csv  from https://...: HTTP 404 Not Found`."""
        where = f"  from {self.url}" if self.url else ""
        detail = f": {self.message}" if self.message else ""
        return f"{self.status:<11} {self.path}{where}{detail}"


def select_sources(sources: list[PublicSource], only: list[str] | None) -> list[PublicSource]:
    """The sources named by `only` (exact paths or folders such as `greenbook/`); all when None."""
    if not only:
        return sources
    wanted = [name.strip("/") for name in only]
    unknown = [name for name in wanted if not any(_matches(source.path, name) for source in sources)]
    if unknown:
        raise InputError(
            f"unknown file or folder {', '.join(unknown)}; expected a path listed by `carebook fetch --list`",
            where="--only",
        )
    return [source for source in sources if any(_matches(source.path, name) for name in wanted)]


def _matches(path: str, name: str) -> bool:
    return path == name or path.startswith(name + "/")


def download_url(source: PublicSource, base_url_override: str | None = None) -> str | None:
    """Where to download a file from: its catalogue URL, or `<base_url_override>/<path>` for a mirror."""
    if base_url_override:
        return f"{base_url_override.rstrip('/')}/{source.path}"
    return source.url


def file_digest(path: Path) -> tuple[int, str]:
    """Size (bytes) and sha256 hex digest of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def mismatch(source: PublicSource, size: int, sha256: str) -> str | None:
    """Why a copy differs from the catalogue's record (size, then sha256), or None when it matches."""
    if source.size_bytes is not None and size != source.size_bytes:
        return f"expected {source.size_bytes:,} bytes, got {size:,}"
    if source.sha256 is not None and sha256 != source.sha256:
        return f"expected sha256 {source.sha256[:12]}…, got {sha256[:12]}…"
    return None


def is_current(source: PublicSource, target: Path) -> bool:
    """True when `target` exists and matches the recorded size and sha256 (when recorded)."""
    if not target.is_file():
        return False
    return mismatch(source, *file_digest(target)) is None


def download_to(url: str, target: Path, source: PublicSource) -> None:
    """Download `url` into `target` atomically, checking it against the catalogue record.

    Raises OSError / urllib errors / ValueError on failure; the target is left untouched.
    """
    if not url.startswith(("https://", "http://")):
        raise ValueError("expected an http:// or https:// address")
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": "carebook-fetch"})
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            while chunk := response.read(CHUNK_BYTES):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        problem = mismatch(source, size, digest.hexdigest())
        if problem:
            raise ValueError(f"downloaded file differs from the documented version ({problem})")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def describe_error(error: BaseException) -> str:
    """A short, one-line account of a download failure."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return f"could not connect ({error.reason})"
    if isinstance(error, TimeoutError):
        return f"no answer within {DOWNLOAD_TIMEOUT_SECONDS} s"
    if isinstance(error, OSError):
        return f"{error.strerror or error.__class__.__name__}{f' ({error.filename})' if error.filename else ''}"
    return str(error).splitlines()[0] if str(error) else error.__class__.__name__


def fetch_one(source: PublicSource, dest: Path, base_url_override: str | None = None) -> FetchResult:
    """Fetch one file into `dest`; never raises for a download problem, reports it instead."""
    target = dest / source.path
    url = download_url(source, base_url_override)
    if is_current(source, target):
        return FetchResult(source.path, url, "skipped", "already present and matches the record")
    if url is None:
        return FetchResult(
            source.path,
            None,
            "failed",
            f"not published as a file: it is derived from {source.derived_from} "
            "(`carebook fetch --list` says how); copy it from a mirror with --base-url",
        )
    try:
        download_to(url, target, source)
    except Exception as error:  # noqa: BLE001 - every failure becomes one reported line
        return FetchResult(source.path, url, "failed", describe_error(error))
    return FetchResult(source.path, url, "downloaded", "")


def fetch(
    dest: Path = DEFAULT_DEST,
    base_url_override: str | None = None,
    only: list[str] | None = None,
    catalogue: Path = CATALOGUE,
) -> list[FetchResult]:
    """Download the catalogue's files into `dest` (same relative paths); one result per file.

    `base_url_override` fetches every file from `<base>/<path>` instead (a mirror of the
    public-data directory, derived files included). `only` limits the run to some paths or
    folders. Files already present with the recorded size and sha256 are skipped.
    """
    sources = select_sources(load_sources(catalogue), only)
    return [fetch_one(source, Path(dest), base_url_override) for source in sources]


def describe(catalogue: Path = CATALOGUE) -> str:
    """The catalogue as plain text: one block per file (path; title; publisher, licence, years; source)."""
    blocks = []
    for source in load_sources(catalogue):
        lines = [source.path, f"    {source.title}", f"    {source.publisher} | {source.licence} | {source.years}"]
        if source.url:
            checked = "" if source.url_checked else " (address not confirmed in the repository)"
            lines.append(f"    from {source.url}{checked}")
        else:
            lines.append(f"    derived from {source.derived_from}")
            lines.append(f"    how: {source.how_made}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def summary(results: list[FetchResult]) -> str:
    """One closing line: how many files were downloaded, skipped and failed."""
    counts = {status: sum(result.status == status for result in results) for status in ("downloaded", "skipped", "failed")}
    return ", ".join(f"{count} {status}" for status, count in counts.items())


def main_fetch(args: argparse.Namespace, catalogue: Path = CATALOGUE) -> int:
    """Run `carebook fetch` from parsed arguments; 0 when every file is present, 1 otherwise.

    Reads `args.list`, `args.dest`, `args.base_url` and (optionally) `args.only`.
    Raises InputError for a bad catalogue or an unknown `--only` name (the CLI exits 2).
    """
    if getattr(args, "list", False):
        print(describe(catalogue))
        return 0
    dest = Path(args.dest) if getattr(args, "dest", None) else DEFAULT_DEST
    results = fetch(
        dest, base_url_override=getattr(args, "base_url", None), only=getattr(args, "only", None), catalogue=catalogue
    )
    for result in results:
        print(result.line())
    print(f"{summary(results)} (into {relative(dest)})")
    return 1 if any(result.status == "failed" for result in results) else 0
