"""Savings by year and the Innovation Programme funding request (seed 004)."""

from __future__ import annotations

import pytest

from carebook.errors import InputError
from carebook.flow.analysis import run_flow_model
from carebook.flow.savings import (
    check_funding_ties,
    funding_lines,
    funding_request_table,
    recurring_saving,
    savings_display,
    variance_summary,
)
from carebook.params import load_council

SAVINGS_YEARS = ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
#: Seed 004, "Projected recurring cost savings (original proposal)", £ millions.
PLACEMENT_M = [0.68, 1.35, 2.03, 2.70, 2.70]
STAFF_M = [0.0, 0.25, 0.70, 1.50, 1.50]
TOTAL_M = [0.68, 1.60, 2.73, 4.20, 4.20]


@pytest.fixture(scope="module")
def triborough():
    council = load_council("triborough")
    return council, run_flow_model(council)


def _by_year(savings, kind):
    rows = savings[savings["saving"] == kind].set_index("year")
    return (rows.loc[SAVINGS_YEARS, "saving_gbp"] / 1e6).tolist()


def test_recurring_savings_reproduce_the_seed(triborough):
    savings = triborough[1].savings
    assert _by_year(savings, "placements") == pytest.approx(PLACEMENT_M, rel=0.02)
    assert _by_year(savings, "staff") == pytest.approx(STAFF_M, rel=0.02, abs=0.005)
    assert _by_year(savings, "total") == pytest.approx(TOTAL_M, rel=0.02)
    assert _by_year(savings, "total")[3] == pytest.approx(4.20, abs=0.02)  # £4.2m a year from 2018/19


def test_placement_saving_is_avoided_entries_times_cost_of_a_care_episode(triborough):
    run = triborough[1]
    avoided = run.projection["entries_into_care"].iloc[0] - run.projection["entries_into_care"].iloc[-1]
    full = _by_year(run.savings, "placements")[-1] * 1e6
    assert full == pytest.approx(avoided * 45_000)


def test_hand_worked_recurring_saving():
    # 10 fewer entries x £50,000, reached 25%, 50%, 100%
    assert recurring_saving(10, 50_000, [0.25, 0.5, 1.0]).tolist() == [125_000, 250_000, 500_000]


def test_savings_display_in_millions(triborough):
    table = savings_display(triborough[1].savings)
    assert table.loc["Total savings", "2018/19"] == pytest.approx(4.20, abs=0.02)


def test_funding_request_totals_tie_to_the_lines(triborough):
    request = triborough[0].flow_model.funding_request
    table = funding_request_table(request)
    assert table.loc["Total funding request", ["2014/15", "2015/16"]].tolist() == [1418, 3540]
    assert table.loc["Total funding request", "Total"] == 4958
    assert table.drop("Total funding request")[["2014/15", "2015/16"]].sum().tolist() == [1418, 3540]
    # per line, as in the 'Financial support request' and 'alternative' tables of the seed
    assert table.loc["Family therapists or psychologists (24 posts)", ["2014/15", "2015/16"]].tolist() == [400, 1080]
    assert table.loc["Career pathway for social workers", ["2014/15", "2015/16"]].tolist() == [100, 200]
    assert table["Total"].drop("Total funding request").tolist() == [111, 660, 50, 291, 1480, 839, 300, 1227]
    check_funding_ties(request)


def test_variance_table_matches_the_seed(triborough):
    summary = variance_summary(triborough[0].flow_model.funding_request)
    expected = {
        "Previous proposal": [1800, 3460],
        "Revised 2014/15 recruitment profile": [-621, 0],
        "Revised training estimate": [100, 400],
        "External observation on quality of engagement and impact of training": [20, 30],
        "Revised tracking programme team costs": [119, 150],
        "Amounts part-funded by Tri-borough": [0, -500],
        "Revised funding request": [1418, 3540],
    }
    assert list(summary.index) == list(expected)
    for row, values in expected.items():
        assert summary.loc[row].tolist() == values, row
    # the variances add up from the previous proposal to the revised request
    assert (summary.iloc[:-1].sum() == summary.iloc[-1]).all()


def test_request_lines_are_previous_plus_variances(triborough):
    lines = funding_lines(triborough[0].flow_model.funding_request)
    heads = lines[(lines["item"] == "Heads of Clinical Practice (3 posts)") & (lines["year"] == "2014/15")].iloc[0]
    assert heads["previous_gbp_thousands"] == 140
    assert heads["request_gbp_thousands"] == 140 + 70 - 59 - 70 == 81


def test_a_request_that_does_not_tie_is_an_input_error(triborough):
    request = triborough[0].flow_model.funding_request.model_copy(update={"stated_request_gbp_thousands": [1418, 3900]})
    with pytest.raises(InputError, match="stated_request_gbp_thousands") as error:
        check_funding_ties(request)
    assert "3900" in str(error.value)
