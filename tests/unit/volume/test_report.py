"""Published tables: the funnel in the seed's layout with small counts suppressed, and
results tables with figures of small groups blanked."""

from __future__ import annotations

import pandas as pd

from carebook.volume.charts import funnel_chart, funnel_stages
from carebook.volume.funnel import funnel_counts, funnel_periods
from carebook.volume.report import funnel_table, hide_small_groups
from conftest import OBSERVED_FROM, OBSERVED_TO


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
