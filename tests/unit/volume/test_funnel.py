"""Funnel counts (#1 to #6) of the hand-built extract, worked by hand.

Calendar years 2018-2020 are the three most recent complete years to 31/03/2021.
#1 2018: A (13, C2), F (11, C2).           2019: E (13, C1, N1), F (12, V2). (B is 17; C's V3 is a short break.)
   2020: C (14, V2), E (14, V2), G (16, two starts in the year, counted once).
#2a 2018: A, F.  2019: F.  2020: C, E, G.     #2b (V2) 2018: none. 2019: F. 2020: C, E.
#3 unique over the years: A, C, E, F, G = 5;  #4 5/3;  #5 x 0.70;  #6 x 0.65.
"""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.errors import InputError
from carebook.volume.funnel import eligible_a_year, funnel_counts, funnel_periods
from carebook.volume.params import VolumeSizingParams
from volume_cases import OBSERVED_FROM, OBSERVED_TO


def counts(table: pd.DataFrame, step: str) -> list[float]:
    return table.loc[table["step"] == step, "children"].tolist()


def test_three_most_recent_calendar_years():
    periods = funnel_periods(OBSERVED_FROM, OBSERVED_TO, VolumeSizingParams())
    assert periods["period"].tolist() == ["2018", "2019", "2020"]
    assert periods["period_end"].iloc[-1] == pd.Timestamp("2021-01-01")


def test_financial_years_end_on_the_last_31_march():
    periods = funnel_periods(OBSERVED_FROM, OBSERVED_TO, VolumeSizingParams(year_type="financial"))
    assert periods["period"].tolist() == ["2018-19", "2019-20", "2020-21"]
    assert periods["period_start"].iloc[0] == pd.Timestamp("2018-04-01")


def test_funnel_counts_by_hand(header, episodes, params):
    periods = funnel_periods(OBSERVED_FROM, OBSERVED_TO, params)
    table = funnel_counts(header, episodes, periods, params)
    assert counts(table, "1") == [2, 2, 3]
    assert counts(table, "2a") == [2, 1, 3]
    assert counts(table, "2b") == [0, 1, 2]
    assert counts(table, "3") == [5]
    assert counts(table, "4") == pytest.approx([5 / 3], abs=1e-12)
    assert counts(table, "5") == pytest.approx([5 / 3 * 0.7], abs=1e-12)
    assert eligible_a_year(table) == pytest.approx(5 / 3 * 0.7 * 0.65, abs=1e-12)


def test_funnel_financial_years_by_hand(header, episodes):
    """A's start (01/03/2018) falls in 2017-18, before the three years.
    2018-19: F (01/05/2018).  2019-20: F (01/04/2019), E (15/11/2019, N1), G (01/02/2020).
    2020-21: C (01/05/2020), E (01/08/2020), G (01/09/2020).  #3: C, E, F, G."""
    params = VolumeSizingParams(year_type="financial")
    table = funnel_counts(header, episodes, funnel_periods(OBSERVED_FROM, OBSERVED_TO, params), params)
    assert counts(table, "1") == [1, 3, 3]
    assert counts(table, "2a") == [1, 2, 3]
    assert counts(table, "3") == [4]


def test_parameters_change_the_funnel(header, episodes):
    """Need N1 only leaves E (2019); all of it counts when both rates are 1."""
    params = VolumeSizingParams(need_codes=["N1"], suitable_share=1.0, likelihood_of_entering_care=1.0)
    table = funnel_counts(header, episodes, funnel_periods(OBSERVED_FROM, OBSERVED_TO, params), params)
    assert counts(table, "2a") == [0, 1, 0]
    assert eligible_a_year(table) == pytest.approx(1 / 3, abs=1e-12)


def test_data_without_a_complete_year_is_a_clear_error():
    with pytest.raises(InputError, match="at least one complete calendar year"):
        funnel_periods(pd.Timestamp("2020-04-01"), pd.Timestamp("2020-12-30"), VolumeSizingParams())


def test_bad_parameters_are_rejected_with_what_was_expected():
    with pytest.raises(ValueError, match="less than or equal to 1"):
        VolumeSizingParams(suitable_share=1.7)
    with pytest.raises(ValueError, match="expected age_min"):
        VolumeSizingParams(age_min=15, age_max=12)
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        VolumeSizingParams(sutable_share=0.5)
