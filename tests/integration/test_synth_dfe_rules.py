"""The synthetic extract passes DfE's own SSDA903 validation rules (data-to-insight's
csc-validator-be-903, run in the isolated environment) in the last three collection
years with no error, apart from the listed validator exceptions, whose counts are
exactly the rows the validator gets wrong.

End to end (``slow``): the validator runs on three whole collection years of two councils,
about twenty seconds each, so ``make test`` runs it and ``make test-fast`` does not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from carebook import geo
from carebook.params import load_council
from carebook.ssda903.dfe_rules import dfe_rules_by_year
from carebook.ssda903.synth import generate, write_extract

pytestmark = pytest.mark.slow

YEARS = (2023, 2024, 2025)
#: Authorities in the postcode directory that the validator's April 2021 table lacks (rule 169).
NEWER_AUTHORITIES = ["E06000063", "E06000064", "E06000065", "E06000066", "E08000038", "E08000039"]


def _written(slug: str, folder: Path) -> dict[int, tuple[pd.DataFrame, pd.DataFrame]]:
    """The header and episodes files of the last three years, as text, as written."""
    write_extract(generate(slug), folder)
    read = {name: [pd.read_csv(folder / str(year) / f"{name}.csv", dtype=str, keep_default_na=False)
                   for year in YEARS] for name in ("header", "episodes")}
    return {year: (read["header"][i], read["episodes"][i]) for i, year in enumerate(YEARS)}


@pytest.mark.parametrize("slug", ["rotherham", "nottingham"])
def test_last_three_years_pass_dfe_rules_apart_from_listed_exceptions(slug, tmp_path_factory):
    years = _written(slug, tmp_path_factory.mktemp(slug))
    la_code = load_council(slug).codes[0]
    counts = dfe_rules_by_year(years, la_code)
    assert counts.loc[~counts["excepted"], ["year", "code", "count"]].values.tolist() == []
    flagged = {(row.year, row.code): row.count for row in counts.itertuples()}
    assert set(flagged) <= {(year, code) for year in YEARS for code in ("146", "169")}
    for year, (_, episodes) in years.items():
        # 146: the validator's lists lack K3 (2023-24) or spell it "k3" (2024-25); K3 starts 28 October 2023
        assert flagged.get((year, "146"), 0) == (episodes["PLACE"] == "K3").sum()
        # 169: every placement in an authority created or re-coded since April 2021, none other
        newer = geo.local_authority(episodes["PL_POST"]).isin(NEWER_AUTHORITIES)
        assert flagged.get((year, "169"), 0) == newer.sum()
    assert flagged[(2025, "146")] > 0
    if slug == "rotherham":  # Sheffield and Barnsley are its neighbours
        assert all(flagged[(year, "169")] > 50 for year in YEARS)
