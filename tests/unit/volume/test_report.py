"""Published tables: the funnel in the seed's layout with small counts suppressed, and
results tables with figures of small groups blanked."""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.volume.charts import funnel_chart, funnel_stages
from carebook.volume.funnel import funnel_counts, funnel_periods
from carebook.volume.page import funnel_table, hide_small_groups
from volume_cases import OBSERVED_FROM, OBSERVED_TO


def test_funnel_table_layout_and_suppression(header, episodes, params):
    """Every count of the hand-built funnel is 0 to 5: 1-4 show as "c" (0 and 5 stay),
    and #4-#6, derived from #3 = 5, are shown."""
    funnel = funnel_counts(header, episodes, funnel_periods(OBSERVED_FROM, OBSERVED_TO, params), params)
    table = funnel_table(funnel)
    assert table.columns.tolist() == ["#", "Filter", "2018", "2019", "2020", "Over the years", "A year"]
    assert table["#"].tolist() == ["1", "2a", "2b", "3", "4", "5", "6"]
    rows = table.set_index("#")
    assert rows.loc["1", ["2018", "2019", "2020"]].tolist() == ["c", "c", "c"]
    assert rows.loc["2b", "2018"] == "0"
    assert rows.loc["3", "Over the years"] == "5"
    assert rows.loc["6", "A year"] == "1"  # 0.76 rounded
    notes = funnel_table(funnel, params).set_index("#")["Notes"]
    assert notes["1"] == "Started a period of care in the year: DECOM in the year, RNE = S; aged 11-16 at the start; legal status not V3/V4"
    assert notes["6"] == "#5 x 65%"
    hidden = funnel_table(funnel.assign(children=funnel["children"].where(funnel["step"] != "3", 4.0)))
    assert hidden.set_index("#").loc[["3", "4", "5", "6"], ["Over the years", "A year"]].apply("".join, axis=1).tolist() == ["c", "c", "c", "c"]


def test_hide_small_groups():
    table = pd.DataFrame({"age": [11, 12, 13], "children": [0, 3, 12], "share": [0.0, 0.5, 0.25]})
    hidden = hide_small_groups(table)
    assert hidden["suppressed"].tolist() == [False, True, False]
    assert hidden["children"].isna().tolist() == [False, True, False]
    assert hidden["share"].tolist()[2] == 0.25


def test_funnel_chart_stages(header, episodes, params):
    funnel = funnel_counts(header, episodes, funnel_periods(OBSERVED_FROM, OBSERVED_TO, params), params)
    stages = funnel_stages(funnel)
    assert stages["children_a_year"].tolist()[:2] == [7 / 3, 2.0]
    assert funnel_chart(funnel).to_dict()["layer"][0]["mark"]["type"] == "bar"


def test_results_hold_no_child_level_data(header, episodes):
    """Every saved table and the summary: no identifier columns, no child's code, date of
    birth or postcode among the values, counts of 1 to 4 blanked."""
    from carebook.params import load_council
    from carebook.ssda903 import Extract
    from carebook.volume.analysis import Inputs, analyse
    from carebook.volume.page import headline_figures, results_tables

    header = header.assign(CHILD="child-" + header["CHILD"])  # codes unlike any group letter
    episodes = episodes.assign(CHILD="child-" + episodes["CHILD"])
    extract = Extract(header=header, episodes=episodes, is_synthetic=True, source="hand-built extract",
                      start=OBSERVED_FROM, end=OBSERVED_TO)
    result = analyse(load_council("nottingham"), Inputs(extract))
    tables = results_tables(result)
    identifiers = {"CHILD", "DOB", "UPN", "HOME_POST", "PL_POST", "MC_DOB", "MOTHER"}
    for name, table in tables.items():
        assert not identifiers & set(table.columns), name
        values = set(table.astype(str).to_numpy().ravel())
        assert not values & (set(header["CHILD"]) | set(header["DOB"].astype(str))), name
        counts = table[~table["step"].isin(["4", "5", "6"])] if "step" in table else table  # 4-6: averages
        if "children" in table:
            assert not counts["children"].between(1, 4).any(), name
    figures = headline_figures(result)
    assert figures["journey_cohort_children"] is None  # 4 children
    assert figures["eligible_cases_a_year"] == pytest.approx(5 / 3 * 0.7 * 0.65)
    assert figures["journey_cost_years"] == 4


def test_the_cost_of_a_care_entry_is_the_cohorts_weeks_in_care_times_its_weighted_weekly_cost(header, episodes):
    """Costed as every care entry is: weighted years in care x 52.18 weeks x the unit costs
    weighted by the cohort's care days (all ages)."""
    from carebook.params import load_council
    from carebook.ssda903 import Extract
    from carebook.units import WEEKS_A_YEAR
    from carebook.volume.analysis import Inputs, analyse

    extract = Extract(header=header, episodes=episodes, is_synthetic=True, source="hand-built extract",
                      start=OBSERVED_FROM, end=OBSERVED_TO)
    result = analyse(load_council("nottingham"), Inputs(extract))
    mix = result.mix[result.mix["age_at_entry"] == -1].set_index("sf_group")["share"]
    weekly = result.unit_costs.set_index("sf_group")["weekly_cost_gbp"]
    years = result.by_age.query("journeys == 'all' and age_at_entry == -1")["years_in_care"].iloc[0]
    expected = (mix * weekly.reindex(mix.index)).sum() * years * WEEKS_A_YEAR
    assert result.care_entry.cost_gbp == pytest.approx(expected)
    assert result.synthetic
