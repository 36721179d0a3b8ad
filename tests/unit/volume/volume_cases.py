"""The hand-built 903 extract of seven children (1 April 2014 to 31 March 2021) whose
funnel counts, journey days and costs are worked by hand in the volume tests."""

from __future__ import annotations

import pandas as pd

OBSERVED_FROM = pd.Timestamp("2014-04-01")
OBSERVED_TO = pd.Timestamp("2021-03-31")

# CHILD, DOB
HEADER = [
    ("A", "2004-06-15"),
    ("B", "2002-01-10"),
    ("C", "2005-05-05"),
    ("D", "2001-09-01"),
    ("E", "2006-02-20"),
    ("F", "2007-03-10"),
    ("G", "2004-01-01"),
]
# CHILD, DECOM, RNE, LS, CIN, PLACE, DEC, REC
EPISODES = [
    ("A", "2018-03-01", "S", "C2", "N4", "U4", "2018-06-01", "X1"),  # 13; 92 days fostering
    ("A", "2018-06-01", "P", "C2", "N4", "K2", "2019-03-01", "E4A"),  # 273 days residential
    ("B", "2019-07-01", "S", "V2", "N4", "U6", "2019-12-01", "E4A"),  # 17: outside 11-16
    ("C", "2019-06-01", "S", "V3", "N2", "U6", "2019-06-03", "E4A"),  # short break: excluded
    ("C", "2020-05-01", "S", "V2", "N5", "U6", None, None),  # 14; in care the year before
    ("D", "2015-10-01", "S", "C2", "N6", "K2", "2016-04-01", "E8"),  # 14; 183 days residential
    ("D", "2017-01-01", "S", "V2", "N6", "U1", "2017-07-01", "E4A"),  # 181 days fostering
    ("E", "2019-11-15", "S", "C1", "N1", "U4", "2020-01-15", "E4A"),  # 13; need N1
    ("E", "2020-08-01", "S", "V2", "N4", "U4", "2020-10-01", "E4A"),  # 14; in care the year before
    ("F", "2018-05-01", "S", "C2", "N5", "U6", "2018-08-01", "E4A"),  # 11; 92 days fostering
    ("F", "2019-04-01", "S", "V2", "N5", "U6", "2019-05-01", "E4A"),  # 12; 30 days fostering
    ("G", "2020-02-01", "S", "C2", "N4", "P2", "2020-03-01", "E4A"),  # 16; 29 days other
    ("G", "2020-09-01", "S", "C2", "N4", "T0", None, None),  # open: 153 days unknown to 31/01/2021
]
