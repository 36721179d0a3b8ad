"""The placement cost of one entry into care, costed the same way for every council.

A care entry avoided saves the placements the child would have had over the episode of
care: the weekly price of a placement, weighted by the mix of placements, times the mean
length of a care episode in weeks::

    cost of a care entry (£) = sum over groups of (share of care in the group x weekly price)
                               x mean weeks of a care episode

The flow model costs its avoided entries with it (mix and length from the council's
published figures, prices from the catalogue :mod:`carebook.prices`), and volume sizing
costs a care journey with it (mix and length from the SSDA903 extract, weekly costs from
the council's spend or the catalogue), so the headlines of different councils compare like
with like: never total looked-after spend divided by children starting care, which counts
spend that is not on placements.

The mean length of a care episode is estimated from published figures by Little's law: in
a steady state, children looked after at 31 March = children starting care in a year x
mean years in care, so mean weeks = looked after / starting a year x weeks a year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carebook import public
from carebook.council import Council
from carebook.errors import InputError
from carebook.prices import Group, PricesParams, Provider, Source, price, weekly_price
from carebook.units import WEEKS_A_YEAR

CHARACTERISTICS_FILE = "derived/la_cla_on_31_march_by_characteristics_2021_2025_from_dfe_rds.csv"
NUMBERS_FILE = "dfe/cla_number_and_rate_per_10k_children.csv"
YEAR = "2025"
"""The year (to 31 March) of the published placements and numbers the cost is built from."""
LOOKED_AFTER = "Children looked after on 31 March each year"
STARTING = "Children starting to be looked after each year"

#: Placement groups of a care entry's cost: (group of the price catalogue, provider), in table order.
PRICED_GROUPS: dict[str, tuple[Group, Provider]] = {
    "fostering": ("fostering", "all"),
    "residential": ("residential", "all"),
    "semi_independence": ("semi_independence", "external"),
    "adoption": ("adoption", "all"),
    "with_parents": ("unknown", "all"),
    "other": ("other", "all"),
}
GROUP_LABELS: dict[str, str] = {
    "fostering": "Foster care",
    "residential": "Children's homes and residential schools",
    "semi_independence": "Independent and semi-independent living",
    "adoption": "Placed for adoption",
    "with_parents": "Placed with parents (no placement fee)",
    "other": "Other placements",
}
#: DfE's placement categories of children looked after at 31 March -> group of a care entry's cost.
DFE_PLACEMENTS: dict[str, str] = {
    "Foster placements": "fostering",
    "Secure homes and children's homes": "residential",
    "Residential schools": "residential",
    "Independent and semi-independent living arrangements/supported accommodation": "semi_independence",
    "Placed for adoption": "adoption",
    "Placed with parents or other person with parental responsibility": "with_parents",
    "Other residential settings": "other",
    "Other placements": "other",
}
PLACEMENTS_SOURCE = "Department for Education, Children looked after in England including adoptions, 2025: placements at 31 March"
NUMBERS_SOURCE = ("Department for Education, Children looked after in England including adoptions, 2025: "
                  "children looked after at 31 March and children starting to be looked after in the year")


def entry_cost_gbp(mix: pd.Series | pd.DataFrame, weekly_gbp: pd.Series, weeks: float | pd.Series) -> float | pd.Series:
    """£ of placements for one care entry: (mix x weekly price, summed over groups) x weeks.

    ``mix`` holds shares (0-1) of care by group (a Series, or a DataFrame with a row per case
    and a column per group); ``weekly_gbp`` the £ a week of each group (a group it lacks
    costs nothing); ``weeks`` the weeks in care (a number, or one per row of ``mix``).
    """
    if isinstance(mix, pd.DataFrame):
        weekly = mix.mul(weekly_gbp.reindex(mix.columns).fillna(0.0), axis=1).sum(axis=1)
        return weekly * weeks
    return float((mix * weekly_gbp.reindex(mix.index).fillna(0.0)).sum() * weeks)


@dataclass(frozen=True)
class CareEntryCost:
    """The placement cost of one care entry and what it is built from."""

    mix: pd.Series  #: share (0-1) of care by group (index: group)
    weekly_gbp: pd.Series  #: £ a week by group
    price_sources: pd.Series  #: where each weekly price comes from, by group
    episode_weeks: float  #: mean length of a care episode, weeks
    mix_source: str
    weeks_source: str
    labels: dict[str, str]  #: readers' name of each group

    @property
    def weekly_cost_gbp(self) -> float:
        """£ a week of an average placement, weighted by the mix."""
        return entry_cost_gbp(self.mix, self.weekly_gbp, 1.0)

    @property
    def cost_gbp(self) -> float:
        """£ of placements for one care entry (weekly cost x weeks of an episode)."""
        return entry_cost_gbp(self.mix, self.weekly_gbp, self.episode_weeks)

    def table(self) -> pd.DataFrame:
        """One row per group: group (readers' name), share (0-1), weekly_gbp, weekly_share_gbp
        (share x weekly price), source of the price; then a row for the mix-weighted week."""
        rows = pd.DataFrame({
            "group": [self.labels.get(g, g) for g in self.mix.index],
            "share": self.mix.to_numpy(dtype=float),
            "weekly_gbp": self.weekly_gbp.reindex(self.mix.index).to_numpy(dtype=float),
            "source": self.price_sources.reindex(self.mix.index).fillna("").to_numpy(),
        })  # fmt: skip
        rows["weekly_share_gbp"] = rows["share"] * rows["weekly_gbp"]
        total = pd.DataFrame({"group": ["Average placement (weighted by the mix)"], "share": [rows["share"].sum()],
                              "weekly_gbp": [self.weekly_cost_gbp], "source": [self.mix_source],
                              "weekly_share_gbp": [self.weekly_cost_gbp]})  # fmt: skip
        return pd.concat([rows, total], ignore_index=True)[["group", "share", "weekly_gbp", "weekly_share_gbp", "source"]]


def _placement_counts(frame: pd.DataFrame) -> pd.Series:
    """Children at 31 March by group of a care entry's cost (suppressed cells left out)."""
    rows = frame[frame["characteristic"].isin(list(DFE_PLACEMENTS))]
    counts = rows.groupby(rows["characteristic"].map(DFE_PLACEMENTS))["number"].sum(min_count=1)
    return counts.reindex(list(PRICED_GROUPS)).fillna(0.0)


def official_placement_mix(council: Council) -> tuple[pd.Series, str]:
    """Share (0-1) of children looked after at 31 March by group, summed over the council's
    members, and its source; England's mix where a member's placements are not published.

    Suppressed cells (1 to 4 children) are left out of the shares."""
    table = public.read(CHARACTERISTICS_FILE, numeric=["number"])
    table = table[(table["time_period"] == YEAR) & (table["cla_group"] == "Placement")]
    own = public.for_council(table, council)
    totals = own[own["characteristic"] == "Total"]["number"]
    if len(totals) == len(council.codes) and totals.notna().all() and totals.sum() > 0:
        counts = _placement_counts(own)
        return counts / counts.sum(), f"{PLACEMENTS_SOURCE}, {council.name}"
    england = table[table["geographic_level"] == "National"]
    counts = _placement_counts(england)
    if not counts.sum() > 0:
        raise InputError(f"expected England's children looked after at 31 March {YEAR} by placement",
                         file=CHARACTERISTICS_FILE)
    return counts / counts.sum(), f"{PLACEMENTS_SOURCE}, England ({council.name}'s own are not published)"


def episode_weeks_from_counts(looked_after: float, starting_a_year: float) -> float:
    """Mean weeks of a care episode in a steady state: looked after / starting a year x weeks a year."""
    return looked_after / starting_a_year * WEEKS_A_YEAR


def official_episode_weeks(council: Council) -> tuple[float, str]:
    """Mean weeks of a care episode from the council's children looked after at 31 March and
    children starting care in the year (summed over members), and its source; England's
    where a member's figures are not published."""
    numbers = public.read(NUMBERS_FILE, numeric=["children_count"])
    numbers = numbers[numbers["time_period"] == YEAR]
    own = public.for_council(numbers, council)
    stock = own[own["population_type"] == LOOKED_AFTER]["children_count"]
    starts = own[own["population_type"] == STARTING]["children_count"]
    members = len(council.codes)
    if len(stock) == members == len(starts) and stock.notna().all() and starts.notna().all() and starts.sum() > 0:
        return episode_weeks_from_counts(stock.sum(), starts.sum()), f"{NUMBERS_SOURCE}, {council.name}"
    england = numbers[numbers["geographic_level"] == "National"].set_index("population_type")["children_count"]
    if not england.get(STARTING, 0) > 0:
        raise InputError(f"expected England's children starting to be looked after in {YEAR}", file=NUMBERS_FILE)
    return (episode_weeks_from_counts(england[LOOKED_AFTER], england[STARTING]),
            f"{NUMBERS_SOURCE}, England ({council.name}'s own are not published)")


def catalogue_weekly_prices(prices: PricesParams | None) -> tuple[pd.Series, pd.Series]:
    """£ a week of each group of a care entry's cost and where each comes from (the council's
    ``prices:`` section, else the national catalogue)."""
    weekly = pd.Series({g: weekly_price(prices, *key) for g, key in PRICED_GROUPS.items()}, dtype=float)
    sources = pd.Series({g: document(price(prices, *key).source) for g, key in PRICED_GROUPS.items()}, dtype=object)
    return weekly, sources


def document(source: Source | str | None) -> str:
    """A price's source as a document: publisher, title (year); a council's own text as it is."""
    if isinstance(source, Source):
        return f"{source.publisher}, {source.title} ({source.date:%Y})"
    return source or "Council file"


def checked_mix(mix: dict[str, float], where: str) -> pd.Series:
    """A stated placement mix as shares summing to 1 (InputError naming ``where`` otherwise)."""
    shares = pd.Series(mix, dtype=float).reindex(list(PRICED_GROUPS)).fillna(0.0)
    if abs(shares.sum() - 1) > 0.005:
        raise InputError(f"expected the shares of the placement mix to add up to 1, got {shares.sum():.3f}",
                         where=where)
    return shares


def council_care_entry_cost(
    council: Council,
    mix: dict[str, float] | None = None,
    mix_source: str | None = None,
    episode_weeks: float | None = None,
    weeks_source: str | None = None,
) -> CareEntryCost:
    """The cost of a care entry for ``council``: the mix and the length stated (with their
    sources), else the council's published figures (England's where its own are not
    published); weekly prices from the council's ``prices:`` section, else the catalogue."""
    if mix is None:
        shares, mix_source = official_placement_mix(council)
    else:
        shares = checked_mix(mix, "placement_mix")
    if episode_weeks is None:
        episode_weeks, weeks_source = official_episode_weeks(council)
    weekly, sources = catalogue_weekly_prices(getattr(council, "prices", None))
    return CareEntryCost(mix=shares, weekly_gbp=weekly, price_sources=sources, episode_weeks=float(episode_weeks),
                         mix_source=mix_source or "Council file", weeks_source=weeks_source or "Council file",
                         labels=GROUP_LABELS)
