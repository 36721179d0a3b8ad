"""The unit tier reads the official statistics from the fixture ``tests/fixtures/public``.

The fixture holds the rows of England, a few regions and the councils the tests name (see its
README.md), so the unit tests need no external folder. A test module whose figures need the
full national files (every council, England-wide rankings) is marked ``public_data``: it reads
the real folder (``$CAREBOOK_PUBLIC_DATA`` or ``../shared/data/public``) instead. Such modules
belong in ``tests/national/``, which ``make test-fast`` leaves out.
"""

from __future__ import annotations

import pytest

from public_folders import FIXTURE_PUBLIC, REAL_PUBLIC


@pytest.fixture(scope="module", autouse=True)
def official_statistics_folder(request):
    """``CAREBOOK_PUBLIC_DATA`` for the module: the fixture unless the module is marked
    ``public_data``. Module-scoped so that module-scoped fixtures read the same folder."""
    folder = REAL_PUBLIC if request.node.get_closest_marker("public_data") else FIXTURE_PUBLIC
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREBOOK_PUBLIC_DATA", str(folder))
        yield folder
