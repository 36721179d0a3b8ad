"""A care entry avoided is costed the same way for every council: weekly placement prices
weighted by the placement mix x the mean length of a care episode (carebook.care_entry)."""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.care_entry import (
    council_care_entry_cost,
    entry_cost_gbp,
    episode_weeks_from_counts,
    official_episode_weeks,
    official_placement_mix,
)
from carebook.errors import InputError
from carebook.params import load_council


def test_hand_worked_cost_of_an_entry():
    # half foster care at £700 a week, half residential at £7,000: £3,850 a week for 100 weeks
    mix = pd.Series({"fostering": 0.5, "residential": 0.5})
    weekly = pd.Series({"fostering": 700.0, "residential": 7000.0, "other": 1500.0})
    assert entry_cost_gbp(mix, weekly, 100) == pytest.approx(385_000)


def test_cost_of_many_cases_at_once():
    mix = pd.DataFrame({"F": [1.0, 0.0, 0.25], "R": [0.0, 1.0, 0.75]})
    weekly = pd.Series({"F": 700.0, "R": 7000.0})
    cost = entry_cost_gbp(mix, weekly, pd.Series([10.0, 2.0, 4.0]))
    assert cost.tolist() == pytest.approx([7_000, 14_000, 4 * (175 + 5250)])


def test_length_of_an_episode_by_littles_law():
    # 476 looked after at 31 March, 165 starting a year: 2.885 years = 150.5 weeks
    assert episode_weeks_from_counts(476, 165) == pytest.approx(476 / 165 * 365.25 / 7)
    assert episode_weeks_from_counts(476, 165) == pytest.approx(150.527, abs=0.001)


def test_rotherham_from_its_published_placements_and_numbers():
    """Rotherham 2025: 330 foster, 39 children's homes, 41 semi-independent, 8 adoption, 30 with
    parents, 25 other placements (two cells suppressed, left out) of 476; 165 starting care."""
    council = load_council("rotherham")
    mix, mix_source = official_placement_mix(council)
    assert mix["fostering"] == pytest.approx(330 / 473)
    assert mix["residential"] == pytest.approx(39 / 473)
    assert mix["with_parents"] == pytest.approx(30 / 473)
    assert "Rotherham" in mix_source and "Department for Education" in mix_source
    weeks, _ = official_episode_weeks(council)
    assert weeks == pytest.approx(150.527, abs=0.001)
    entry = council_care_entry_cost(council)
    # (330 x 756 + 39 x 7,628 + 41 x 1,000 + 8 x 756 + 30 x 0 + 25 x 1,500) / 473 = £1,335.14 a week
    assert entry.weekly_cost_gbp == pytest.approx(631_520 / 473)
    assert entry.cost_gbp == pytest.approx(631_520 / 473 * 476 / 165 * 365.25 / 7)
    assert round(entry.cost_gbp) == 200_975


def test_a_stated_mix_and_length_replace_the_published_ones():
    council = load_council("rotherham")
    entry = council_care_entry_cost(council, mix={"fostering": 0.8, "residential": 0.2}, mix_source="paper",
                                    episode_weeks=100, weeks_source="paper")
    assert entry.weekly_cost_gbp == pytest.approx(0.8 * 756 + 0.2 * 7628)
    assert entry.cost_gbp == pytest.approx((0.8 * 756 + 0.2 * 7628) * 100)
    assert entry.table()["weekly_share_gbp"].iloc[-1] == pytest.approx(entry.weekly_cost_gbp)


def test_a_mix_that_does_not_add_up_is_one_clear_error():
    with pytest.raises(InputError, match="add up to 1") as error:
        council_care_entry_cost(load_council("rotherham"), mix={"fostering": 0.8, "residential": 0.3})
    assert error.value.where == "placement_mix"
