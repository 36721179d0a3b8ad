"""The book of the six default councils, built once for the tests that read it as a reader
would (readers' words, the PDFs, accessibility): every council file of data/councils run,
the HTML site built and each council's PDF, in a temporary site (the working tree's book is
left alone). ``CAREBOOK_TEST_BOOK`` names a site already built that way (``CAREBOOK_SITE`` of
``carebook run --all``, ``build`` and ``pdf``) to read instead, when looking at one change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COUNCILS = sorted(p.stem for p in (ROOT / "data" / "councils").glob("*.yml"))


def carebook(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "carebook"), *args], capture_output=True, text=True,
                          env=env, check=False)


@pytest.fixture(scope="session")
def default_book(tmp_path_factory) -> dict:
    """Run the default councils, build the HTML book and every council's PDF. Returns the
    site folder, the HTML folder, the PDFs by council and the three commands' results."""
    given = os.environ.get("CAREBOOK_TEST_BOOK")
    folder = Path(given) if given else tmp_path_factory.mktemp("default-book")
    if not given:
        env = {**os.environ, "CAREBOOK_SITE": str(folder)}
        for step in (carebook("run", "--all", "--jobs", "2", "--quiet", env=env), carebook("build", env=env),
                     carebook("pdf", "--jobs", "2", env=env)):
            assert step.returncode == 0, step.stdout[-3000:] + step.stderr[-3000:]
    return {"folder": folder, "html": folder / "_build" / "site" / "_build" / "html",
            "pdfs": {c: folder / "_build" / "pdf" / f"{c}.pdf" for c in DEFAULT_COUNCILS},
            "latex": folder / "_build" / "pdf-work"}
