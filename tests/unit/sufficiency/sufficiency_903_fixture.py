"""A hand-built 903 extract whose counts at 31 March 2015 are worked out by hand.

Children at 31.03.2015 (10): A, B, C, D, G, H, I, J, K, L. E left on the day,
F starts the day after, M left in January. K has two open episodes (bad data):
only the later one counts.
"""

from __future__ import annotations

import pandas as pd

HEADER = pd.DataFrame(
    [
        ("A", "1", "2010-05-01"), ("B", "2", "2000-03-31"), ("C", "2", "1998-04-01"),
        ("D", "1", "2014-12-01"), ("E", "1", "2005-01-01"), ("F", "2", "2012-02-02"),
        ("G", "1", "2008-07-07"), ("H", "2", "2009-09-09"), ("I", "1", "2003-03-03"),
        ("J", "2", "2001-01-01"), ("K", "1", "2006-06-06"), ("L", "1", "1999-12-12"),
        ("M", "2", "2010-10-10"),
    ],
    columns=["CHILD", "SEX", "DOB"],
).assign(DOB=lambda frame: pd.to_datetime(frame["DOB"]))

_EPISODES = [
    # CHILD, DECOM, RNE, LS, PLACE, PLACE_PROVIDER, DEC, REC, HOME_POST, PL_POST
    ("A", "2014-01-01", "S", "C2", "Q2", "PR1", None, None, "NG7 1", "NG5 5"),
    ("B", "2013-06-01", "S", "V2", "Q2", "PR4", "2014-09-01", "X1", "NG7 1", "NG5 5"),
    ("B", "2014-09-01", "P", "C2", "K2", "PR4", None, None, "NG7 1", "LE11 1"),
    ("C", "2014-10-01", "S", "V2", "H5", "PR4", None, None, "NG3 5", "NG1 1"),
    ("D", "2015-01-01", "S", "C1", "Q1", "PR1", None, None, "NG3 5", "NG2 9"),
    ("E", "2014-06-01", "S", "C2", "Q2", "PR4", "2015-03-31", "E4A", "NG3 5", "S60 1"),
    ("F", "2015-04-01", "S", "V2", "Q2", "PR1", None, None, "NG3 5", "NG2 9"),
    ("G", "2014-11-11", "P", "E1", "A5", "PR1", None, None, "NG6 8", "DE1 1"),
    ("H", "2014-02-02", "S", "C2", "P1", "PR0", None, None, "NG6 8", None),
    ("I", "2014-05-05", "S", "E1", "Q2", "PR5", None, None, "NG6 8", "ZZ9 9"),
    ("J", "2013-01-01", "S", "V2", "R1", "PR1", None, None, "NG6 8", "NG6 8"),
    ("K", "2014-01-01", "S", "C2", "Q2", "PR4", None, None, "NG2 9", "NG5 5"),
    ("K", "2015-02-01", "P", "C2", "K2", "PR4", None, None, "NG2 9", "M1 1"),
    ("L", "2015-03-31", "S", "J1", "Q2", "PR4", None, None, "NG2 9", "NG2 9"),
    ("M", "2014-04-10", "S", "C1", "Q2", "PR1", "2014-08-01", "X1", "NG2 9", "NG2 9"),
    ("M", "2014-08-01", "L", "C2", "Q2", "PR1", "2015-01-01", "E11", "NG2 9", "NG2 9"),
]
EPISODES = pd.DataFrame(
    _EPISODES,
    columns=["CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "HOME_POST", "PL_POST"],
).assign(
    DECOM=lambda frame: pd.to_datetime(frame["DECOM"]),
    DEC=lambda frame: pd.to_datetime(frame["DEC"]),
)
