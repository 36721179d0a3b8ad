"""The official statistics the sufficiency page reads: DfE's children-looked-after tables
(SSDA903 returns published by local authority), DfE's statistical neighbour model and
MHCLG's revenue outturn (RO3), each read once from ``$CAREBOOK_PUBLIC_DATA``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook import public

CLA_FILE = "dfe/cla_number_and_rate_per_10k_children.csv"
CHARACTERISTICS_FILE = "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv"
NEW_PLACEMENTS_FILE = "dfe/la_cla_during_year_new_placements.csv"
STABILITY_FILE = "dfe/la_cla_placement_stability.csv"
NEIGHBOURS_FILE = "dfe/sn_model_2025_wide.csv"
NATIONAL_DISTANCE_FILE = (
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_distance_and_placement_locality.csv"
)
NATIONAL_PROVIDER_FILE = (
    "dfe-sfr/post_2017_updated25_national_cla_on_31_march_by_placement_provider_placement_type_and_locality.csv"
)
# RO3 files by the year whose 31 March ends the financial year (2024-25 -> 2025).
SPEND_FILES: dict[str, str] = {
    "2024": "derived/ro3_2023_24_children_looked_after_expenditure_by_la_gbp_thousands.csv",
    "2025": "derived/ro3_2024_25_children_looked_after_expenditure_by_la_gbp_thousands.csv",
}
SPEND_COLUMN_PREFIX = "Children's social care - Children Looked After"
SPEND_NET = "Net Current Expenditure (C7 = C3 - C6)"
SPEND_PARTS: dict[str, str] = {
    "all": f"{SPEND_COLUMN_PREFIX} - {SPEND_NET}",
    "residential care": f"{SPEND_COLUMN_PREFIX} of which residential care - {SPEND_NET}",
    "fostering services": f"{SPEND_COLUMN_PREFIX} of which fostering services - {SPEND_NET}",
    "asylum-seeking children": (
        f"{SPEND_COLUMN_PREFIX} of which asylum seeking children who are looked after - {SPEND_NET}"
    ),
    "other": f"{SPEND_COLUMN_PREFIX} of which other - {SPEND_NET}",
}

# Net spend under £1,000 a year per child looked after is not the council's spend on
# care: a children's trust paid under another line (Sandwell's RO3 shows -£20,000 for
# 816 children in 2024-25). Such a figure is treated as missing, not compared.
MIN_SPEND_PER_CHILD_GBP = 1_000


@dataclass(frozen=True)
class OfficialTables:
    """The official tables the sufficiency page uses, each read once."""

    cla: pd.DataFrame
    characteristics: pd.DataFrame
    new_placements: pd.DataFrame
    stability: pd.DataFrame
    neighbour_model: pd.DataFrame
    national_distance: pd.DataFrame
    national_providers: pd.DataFrame
    ro3: dict[str, pd.DataFrame]


def read_tables() -> OfficialTables:
    """Read the official tables from ``$CAREBOOK_PUBLIC_DATA`` (suppression codes as NaN)."""
    return OfficialTables(
        cla=public.read(CLA_FILE, numeric=["population_estimate", "children_count", "rate_per_10000"]),
        characteristics=public.read(CHARACTERISTICS_FILE, numeric=["number"]),
        new_placements=public.read(NEW_PLACEMENTS_FILE, numeric=["children_count"]),
        stability=public.read(STABILITY_FILE, numeric=["children_count"]),
        neighbour_model=public.read(NEIGHBOURS_FILE),
        national_distance=public.read(NATIONAL_DISTANCE_FILE, numeric=["number"]),
        national_providers=public.read(NATIONAL_PROVIDER_FILE, numeric=["number"]),
        ro3={year: public.read(path, numeric=list(SPEND_PARTS.values())) for year, path in SPEND_FILES.items()},
    )

