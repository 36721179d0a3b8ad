"""Care journeys of the hand-built extract, worked by hand.

Cohort (first eligible entry aged 11-16, not in care the year before):
  A entered 01/03/2018 aged 13; D 01/10/2015 aged 14; F 01/05/2018 aged 11; G 01/02/2020 aged 16.
  C and E are left out (in care in the year before their eligible entry); B is 17.
Journey years in the sample (whole year, or to the 18th birthday, inside the data to 31/03/2021):
  A  y1 365 days, in care 365 (92 fostering, 273 residential); y2 366, 0; y3 365, 0.
  D  y1 366, 183 residential; y2 365, 181 fostering; y3 365, 0; y4 335 (to 01/09/2019, 18), 0.
  F  y1 365, 122 fostering (92 + 30); y2 366, 0.
  G  y1 366, 182 (29 other, 153 unknown, open episode to 31/01/2021).
"""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.volume.care_days import add_years, age_on
from carebook.volume.costs import journey_cost, unit_costs
from carebook.volume.journeys import (
    journey_care_days,
    journey_cohort,
    journey_profile,
    journey_years,
    length_of_care_by_age,
    placement_mix,
    sample_sizes,
)
from volume_cases import OBSERVED_FROM, OBSERVED_TO


@pytest.fixture
def years(header, episodes, params):
    cohort = journey_cohort(header, episodes, OBSERVED_FROM, OBSERVED_TO, params)
    return journey_years(cohort, OBSERVED_TO, params)


@pytest.fixture
def care(years, episodes):
    return journey_care_days(years, episodes, OBSERVED_TO)


def test_age_and_anniversaries():
    dob = pd.Series(pd.to_datetime(["2004-06-15", "2008-02-29", "2008-02-29"]))
    day = pd.Series(pd.to_datetime(["2018-06-14", "2026-02-28", "2026-03-01"]))
    assert age_on(dob, day).tolist() == [13, 17, 18]
    assert add_years(dob, 18).tolist() == [pd.Timestamp("2022-06-15"), pd.Timestamp("2026-02-28"), pd.Timestamp("2026-02-28")]


def test_cohort(header, episodes, params):
    cohort = journey_cohort(header, episodes, OBSERVED_FROM, OBSERVED_TO, params)
    assert cohort["CHILD"].tolist() == ["A", "D", "F", "G"]
    assert cohort["age_at_entry"].tolist() == [13, 14, 11, 16]
    assert cohort["complete"].tolist() == [False, True, False, False]


def test_days_in_care_by_child_and_year(care):
    days = care.groupby(["CHILD", "journey_year"])["care_days"].sum().to_dict()
    assert days == {
        ("A", 1): 365, ("A", 2): 0, ("A", 3): 0,
        ("D", 1): 183, ("D", 2): 181, ("D", 3): 0, ("D", 4): 0,
        ("F", 1): 122, ("F", 2): 0,
        ("G", 1): 182,
    }  # fmt: skip
    childhood = care.drop_duplicates(["CHILD", "journey_year"]).set_index(["CHILD", "journey_year"])["childhood_days"]
    assert childhood[("D", 4)] == 335
    assert childhood[("G", 1)] == 366


def test_adjustable_sample_profile(care):
    profile = journey_profile(care, observation_years=5).set_index(["journeys", "journey_year"])
    assert profile.loc["all", "children"].tolist() == [4, 3, 2, 1]
    assert profile.loc["all", "share_in_care"].tolist() == pytest.approx([852 / 1462, 181 / 1097, 0, 0], abs=1e-12)
    assert profile.loc["all", "cumulative_care_days"].tolist() == pytest.approx([213, 213 + 181 / 3, 213 + 181 / 3, 213 + 181 / 3], abs=1e-9)
    assert profile.loc[("all", 2), "cumulative_share_in_care"] == pytest.approx((213 + 181 / 3) / (1462 / 4 + 1097 / 3), abs=1e-12)
    assert profile.loc["complete", "share_in_care"].tolist() == pytest.approx([183 / 366, 181 / 365, 0, 0], abs=1e-12)
    assert journey_profile(care, observation_years=2)["journey_year"].max() == 2


def test_length_of_care_by_age(years, care):
    """Years after the last observed one carry its share forward: G's year 2 (334 days to
    01/01/2022) at 182/366. Remaining childhood = 18th birthday - entry."""
    table = length_of_care_by_age(years, care).set_index(["journeys", "age_at_entry"])
    in_care_days = {11: 122, 13: 365, 14: 364, 16: 182 + 334 * 182 / 366}
    remaining_days = {11: 2505, 13: 1567, 14: 1431, 16: 700}
    for age, days in in_care_days.items():
        assert table.loc[("all", age), "years_in_care"] == pytest.approx(days / 365.25, abs=1e-12)
        assert table.loc[("all", age), "remaining_childhood_years"] == pytest.approx(remaining_days[age] / 365.25, abs=1e-12)
    overall = table.loc[("all", -1)]
    assert overall["children"] == 4
    assert overall["years_in_care"] == pytest.approx(sum(in_care_days.values()) / 4 / 365.25, abs=1e-12)
    assert overall["share_of_remaining_childhood"] == pytest.approx(sum(in_care_days.values()) / 6203, abs=1e-12)
    assert table.loc[("complete", -1), "years_in_care"] == pytest.approx(364 / 365.25, abs=1e-12)


def test_sample_sizes(years):
    sizes = sample_sizes(years).set_index("measure")["children"]
    assert sizes["Qualifying children"] == 4
    assert sizes["with complete care journeys (aged 18 within the data)"] == 1
    assert sizes["tracked over more than 1 year"] == 3
    assert sizes["tracked over more than 2 years"] == 2
    assert sizes["tracked over more than 3 years"] == 1


def test_placement_mix(care):
    mix = placement_mix(care).set_index(["age_at_entry", "sf_group"])
    assert mix.loc[-1, "care_days"].to_dict() == {"A": 0, "F": 395, "I": 29, "R": 456, "U": 153}
    assert mix.loc[(-1, "R"), "share"] == pytest.approx(456 / 1033, abs=1e-12)
    assert mix.loc[(13, "R"), "share"] == pytest.approx(273 / 365, abs=1e-12)
    assert mix.loc[(-1, "R"), "children"] == 4
    assert mix.loc[(13, "R"), "children"] == 1


def test_journey_cost(care, params, prices):
    """£100 a day fostering, £1,000 residential, £200 other, £0 unknown.
    Year 1: A 92x100 + 273x1000; D 183x1000; F 122x100; G 29x200 -> £483,200 / 4.
    Year 2: D 181x100 over 3 children."""
    cost = journey_cost(care, unit_costs(params, prices=prices), observation_years=5).set_index(["journeys", "journey_year"])
    assert cost.loc["all", "mean_cost_gbp"].tolist() == pytest.approx([120_800, 18_100 / 3, 0, 0], abs=1e-6)
    assert cost.loc[("all", 4), "cumulative_cost_gbp"] == pytest.approx(120_800 + 18_100 / 3, abs=1e-6)
    assert cost.loc[("complete", 2), "cumulative_cost_gbp"] == pytest.approx(201_100, abs=1e-6)
    assert cost.loc["all", "children"].tolist() == [4, 3, 2, 1]


def test_entries_in_the_first_year_of_data_are_left_out(header, episodes, params):
    """With data from 01/01/2015 the year before D's entry (01/10/2015) is not wholly
    observed (lookback from 01/01/2016), so D leaves the cohort."""
    cohort = journey_cohort(header, episodes, pd.Timestamp("2015-01-01"), OBSERVED_TO, params)
    assert cohort["CHILD"].tolist() == ["A", "F", "G"]


def test_lookback_parameter(header, episodes, params):
    """Without a look-back, C (short break in June 2019) and E (in care to 15/01/2020)
    join the cohort at their first eligible entries."""
    cohort = journey_cohort(header, episodes, OBSERVED_FROM, OBSERVED_TO, params.model_copy(update={"lookback_days": 0}))
    assert cohort.set_index("CHILD")["entry"].to_dict() == {
        "A": pd.Timestamp("2018-03-01"), "C": pd.Timestamp("2020-05-01"), "D": pd.Timestamp("2015-10-01"),
        "E": pd.Timestamp("2020-08-01"), "F": pd.Timestamp("2018-05-01"), "G": pd.Timestamp("2020-02-01"),
    }  # fmt: skip
