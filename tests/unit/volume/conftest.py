"""A hand-built 903 extract of seven children (1 April 2014 to 31 March 2021) whose
funnel counts, journey days and costs are worked by hand in the tests."""

from __future__ import annotations

import pandas as pd
import pytest

from carebook.prices import Price, PricesParams
from carebook.volume.params import VolumeSizingParams
from volume_cases import EPISODES, HEADER


@pytest.fixture
def header() -> pd.DataFrame:
    frame = pd.DataFrame(HEADER, columns=["CHILD", "DOB"])
    return frame.assign(DOB=pd.to_datetime(frame["DOB"]))


@pytest.fixture
def episodes() -> pd.DataFrame:
    frame = pd.DataFrame(EPISODES, columns=["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "DEC", "REC"])
    return frame.assign(DECOM=pd.to_datetime(frame["DECOM"]), DEC=pd.to_datetime(frame["DEC"]))


@pytest.fixture
def params() -> VolumeSizingParams:
    """Defaults with round weekly costs: £100 a day fostering, £1,000 residential, £200 other."""
    return VolumeSizingParams()


@pytest.fixture
def prices() -> PricesParams:
    """Round weekly costs over all providers: £100 a day fostering, £1,000 residential, £200 other."""
    weekly = {"fostering": 700, "adoption": 700, "residential": 7000, "other": 1400, "unknown": 0}
    return PricesParams(**{group: {"all": Price(weekly_gbp=value)} for group, value in weekly.items()})
