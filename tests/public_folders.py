"""The two official statistics folders the tests read.

``REAL_PUBLIC``: the published files, ``$CAREBOOK_PUBLIC_DATA`` as the Makefile sets it, else
``../shared/data/public`` beside the checkout. The national tier (``tests/national``, marked
``public_data``), the notebooks and the end-to-end tests read it.

``FIXTURE_PUBLIC``: the slice of it committed in ``tests/fixtures/public`` (England, a few
regions and the councils the tests name), which the unit tier reads.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_PUBLIC = ROOT.parent / "shared" / "data" / "public"
FIXTURE_PUBLIC = ROOT / "tests" / "fixtures" / "public"

if "CAREBOOK_PUBLIC_DATA" not in os.environ and SHARED_PUBLIC.is_dir():
    os.environ["CAREBOOK_PUBLIC_DATA"] = str(SHARED_PUBLIC)
REAL_PUBLIC = Path(os.environ.get("CAREBOOK_PUBLIC_DATA", SHARED_PUBLIC))
