"""Savings by year and the Innovation Programme funding request (seed 004)."""

from __future__ import annotations

import pytest

from carebook.errors import InputError
from carebook.flow.analysis import analyse
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
    return council, analyse(council)


def _by_year(savings, kind):
    rows = savings[savings["saving"] == kind].set_index("year")
    return (rows.loc[SAVINGS_YEARS, "saving_gbp"] / 1e6).tolist()


def test_staff_savings_reproduce_the_bid_and_placements_use_the_cost_of_a_care_entry(triborough):
    run = triborough[1]
    savings = run.savings
    assert _by_year(savings, "staff") == pytest.approx(STAFF_M, rel=0.02, abs=0.005)
    # placements: 60.23 fewer entries x the cost of a care entry, reached 25%, 50%, 75%, 100%, 100%
    full = run.fewer_entries * run.care_entry.cost_gbp / 1e6
    assert _by_year(savings, "placements") == pytest.approx([full * r for r in (0.25, 0.5, 0.75, 1, 1)])
    assert _by_year(savings, "total")[3] == pytest.approx(full + 1.50, abs=0.005)


def test_placement_saving_is_avoided_entries_times_the_cost_of_a_care_entry(triborough):
    run = triborough[1]
    avoided = run.projection["entries_into_care"].iloc[0] - run.projection["entries_into_care"].iloc[-1]
    full = _by_year(run.savings, "placements")[-1] * 1e6
    assert full == pytest.approx(avoided * run.care_entry.weekly_cost_gbp * run.care_entry.episode_weeks)


def test_the_bids_savings_beside_the_model_from_the_council_file(triborough):
    """The bid's savings (read from the council file) beside the model's, with the differences."""
    council, run = triborough
    published = council.flow_model.published.savings_gbp_millions
    assert published.placements == PLACEMENT_M and published.total == TOTAL_M
    table = run.savings_vs_paper.set_index(["item", "year"])
    assert table.loc[("Placement cost savings", "2018/19"), "source"] == 2.70
    model = run.fewer_entries * run.care_entry.cost_gbp / 1e6
    assert table.loc[("Placement cost savings", "2018/19"), "difference"] == pytest.approx(model - 2.70)
    assert bool(table.loc[("Placement cost savings", "2018/19"), "departs"])
    assert not table.loc[(slice(None), slice(None)), "departs"].xs("Staff cost savings").any()


def test_the_reason_names_the_bids_value_of_an_avoided_entry(triborough):
    from carebook.flow.published import savings_reasons

    council, run = triborough
    entry = run.care_entry
    reasons = savings_reasons(run.savings_vs_paper, council.flow_model.published.projection, entry.cost_gbp,
                              entry.weekly_cost_gbp, entry.episode_weeks)
    # £2.70m for 280 - 220 = 60 fewer entries: £45,000 an entry
    assert reasons["Placement cost savings"].startswith("the paper values an avoided entry at £45,000 (£2.70m for 60")
    assert set(reasons) == {"Placement cost savings", "Total savings"}


def test_the_bids_projection_beside_the_model(triborough):
    from carebook.flow.published import comparison_display, projection_reasons

    comparison = triborough[1].projection_vs_paper.set_index(["item", "year"])
    # referrals reproduced exactly; 2018/19 3,735.9 against the bid's 3,736 is rounding
    assert comparison.loc[("Referrals", "2016/17"), "difference"] == pytest.approx(0)
    assert not comparison.loc["Referrals", "departs"].any()
    # conferences 2018/19: 397.7 against 395
    assert comparison.loc[("Child protection conferences", "2018/19"), "difference"] == pytest.approx(2.717, abs=0.001)
    reasons = projection_reasons(triborough[1].projection_vs_paper)
    assert set(reasons) == {"Child protection conferences", "Child protection plans", "Entered into care"}
    assert reasons["Child protection conferences"].endswith("within 0.7%")
    shown = comparison_display(triborough[1].projection_vs_paper)
    assert shown["Figure"].tolist()[:3] == ["Paper", "Model", "Difference"]
    assert shown.iloc[0]["2014/15"] == 4200 and shown.iloc[0]["Item"] == "Referrals"


def test_hand_worked_recurring_saving():
    # 10 fewer entries x £50,000, reached 25%, 50%, 100%
    assert recurring_saving(10, 50_000, [0.25, 0.5, 1.0]).tolist() == [125_000, 250_000, 500_000]


def test_savings_display_in_millions(triborough):
    table = savings_display(triborough[1].savings)
    assert table.loc["Staff cost savings", "2018/19"] == pytest.approx(1.50, abs=0.005)
    assert table.loc["Total savings", "2018/19"] == pytest.approx(
        table.loc["Placement cost savings", "2018/19"] + table.loc["Staff cost savings", "2018/19"], abs=0.01)


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
