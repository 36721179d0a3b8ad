"""Volume sizing: no small count, and none a total would reveal, in its tables, chart data or summary."""

from __future__ import annotations

import math

import pandas as pd

from carebook.volume import charts
from carebook.volume import page as report


def test_an_age_the_all_ages_row_would_reveal_is_hidden_too():
    # ages 11-14 with 10, 3, 8 and 7 children, all ages 28: the 3 is small and 28 - 25 would
    # give it back, so the next smallest age (7 children) is hidden as well
    by_age = pd.DataFrame({"journeys": "all", "age_at_entry": [11, 12, 13, 14, -1], "children": [10, 3, 8, 7, 28],
                           "remaining_childhood_years": [7.0, 6.0, 5.0, 4.0, 5.9], "years_in_care": [2.0, 1.5, 1.0, 0.5, 1.3],
                           "share_of_remaining_childhood": [0.29, 0.25, 0.2, 0.13, 0.22]})
    shown = report.by_age_table(by_age)
    assert shown["Children"].tolist() == ["10", "c", "8", "c", "28"]
    assert shown["Years in care"].tolist() == ["2.0", "c", "1.0", "c", "1.3"]
    saved = report.hide_small_groups(by_age)
    assert saved["suppressed"].tolist() == [False, True, False, True, False]
    assert saved["children"].isna().tolist() == [False, True, False, True, False]


def test_the_funnel_chart_and_summary_withhold_what_the_table_hides():
    funnel = pd.DataFrame({
        "step": ["1", "1", "2a", "2a", "2b", "2b", "3", "4", "5", "6"],
        "description": "",
        "period": ["2014", "2015", "2014", "2015", "2014", "2015", "all years", "a year", "a year", "a year"],
        "children": [20.0, 12.0, 6.0, 3.0, 2.0, 1.0, 3.0, 1.5, 1.2, 0.9],
    })
    published = report.published_funnel(funnel)
    assert published["children"].isna().tolist() == [False] * 3 + [True] * 7
    stages = charts.funnel_stages(published).set_index("stage")["children_a_year"]
    assert stages.iloc[0] == 16.0  # #1: (20 + 12) / 2
    assert stages.iloc[1:].isna().all()  # #2a's average would give back the hidden 3 (2 × 4.5 - 6)
    chart = charts.funnel_chart(published).to_dict()
    values = [row["children_a_year"] for rows in chart["datasets"].values() for row in rows]
    assert values[0] == 16.0 and all(v is None or math.isnan(v) for v in values[1:])


def test_hidden_rows_keep_their_keys_and_the_mix_chart_draws():
    mix = pd.DataFrame({"age_at_entry": [11, 11, 12, 12, -1, -1], "children": [6, 6, 2, 2, 8, 8],
                        "sf_group": ["F", "R"] * 3, "care_days": [300.0, 100.0, 50.0, 10.0, 350.0, 110.0],
                        "share": [0.75, 0.25, 0.83, 0.17, 0.76, 0.24]})
    hidden = report.hide_small_groups(mix)
    assert hidden["age_at_entry"].tolist() == [11, 11, 12, 12, -1, -1]
    # age 12 (2 children) is small, and 8 - 6 would give it back: age 11 goes too
    assert hidden["suppressed"].tolist() == [True, True, True, True, False, False]
    data = charts.placement_mix_chart(hidden).to_dict()
    rows = [row for rows in data["datasets"].values() for row in rows]
    assert {row["age"] for row in rows} == {"All ages"}
