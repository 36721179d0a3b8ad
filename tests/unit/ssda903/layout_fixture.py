"""One small set of children, looked after over collection years 2022-23 to 2024-25,
for writing in every layout councils hold and reading back.

Six children, twelve episodes (dates ISO for readability):

- A: 2022-06-01 to 2023-01-10 (E4A);
- B: 2022-11-15 to 2023-07-01 (X1), then from 2023-07-01, open: open across 31 March
  2023 (in the 2022-23 file with DEC blank, in 2023-24 with DEC filled in);
- C: 2023-05-01 to 2023-08-20 (E13); re-enters care 2024-01-05 to 2024-06-30 (X1),
  then to 2025-02-14 (E4A);
- D: 2021-10-01 (before the extract) to 2022-12-31 (X1), then to 2024-11-30 (E11);
- E: 2024-09-09 to 2024-12-01 (X1), then open; a mother (MC_DOB 2024-08-01);
- F: 2023-03-31 to 2023-04-02 (X1), then to 2024-03-31 (E41).

Children looked after at 31 March: 2023 B, D, F (3); 2024 B, C, D (3); 2025 B, E (2).
Rows per year: 2022-23 5 episodes (A1 B1 D1 D2 F1), 4 children; 2023-24 7 episodes
(B1 B2 C1 C2 D2 F1 F2), 4 children; 2024-25 6 episodes (B2 C2 C3 D2 E1 E2), 4 children.
"""

from __future__ import annotations

import pandas as pd

from carebook.ssda903 import codes
from carebook.ssda903.extract import Extract

HEADER_ROWS = [
    ("A", "1", "2010-05-14", "WBRI", "A123456789012", None, None),
    ("B", "2", "2012-09-03", "MWBC", "B123456789012", None, None),
    ("C", "1", "2008-02-29", "ABAN", "UN1", None, None),
    ("D", "2", "2015-12-01", "WBRI", "D123456789012", None, None),
    ("E", "2", "2008-03-01", "BAFR", "E123456789012", "1", "2024-08-01"),
    ("F", "2", "2019-07-07", "WBRI", "UN2", None, None),
]
EPISODE_ROWS = [
    ("A", "2022-06-01", "S", "V2", "N4", "U4", "PR1", "2023-01-10", "E4A", None, "S60 1AA", "S60 2BB", None),
    ("B", "2022-11-15", "S", "C1", "N1", "U6", "PR4", "2023-07-01", "X1", None, "NG7 1", "NG5 2", None),
    ("B", "2023-07-01", "P", "C2", "N1", "K2", "PR4", None, None, "CARPL", "NG7 1", "LS1 4", "SC123456"),
    ("C", "2023-05-01", "S", "V2", "N5", "U1", "PR1", "2023-08-20", "E13", None, "S60 1AA", "S61 1AB", None),
    ("C", "2024-01-05", "S", "V2", "N5", "U4", "PR1", "2024-06-30", "X1", None, "S60 1AA", "S61 1AB", None),
    ("C", "2024-06-30", "T", "V2", "N5", "U5", "PR1", "2025-02-14", "E4A", "CARPL", "S60 1AA", "S62 1AA", None),
    ("D", "2021-10-01", "S", "C2", "N1", "U4", "PR1", "2022-12-31", "X1", None, "S60 3", "S60 4", None),
    ("D", "2022-12-31", "P", "E1", "N1", "A4", "PR1", "2024-11-30", "E11", "CARPL", "S60 3", "S60 5", None),
    ("E", "2024-09-09", "S", "V2", "N4", "K2", "PR4", "2024-12-01", "X1", None, "B1 1AA", "B2 2BB", "SC654321"),
    ("E", "2024-12-01", "P", "V2", "N4", "H5", "PR4", None, None, "CARPL", "B1 1AA", "B3 3CC", None),
    ("F", "2023-03-31", "S", "L2", "N1", "U6", "PR1", "2023-04-02", "X1", None, "S60 1AA", "S60 6", None),
    ("F", "2023-04-02", "B", "C1", "N1", "U1", "PR1", "2024-03-31", "E41", "CARPL", "S60 1AA", "S60 7", None),
]
#: Children looked after at each 31 March, worked by hand from the rows above.
LOOKED_AFTER_AT_31_MARCH = {2023: ["B", "D", "F"], 2024: ["B", "C", "D"], 2025: ["B", "E"]}
#: Episode and header rows in each collection year's files.
ROWS_PER_YEAR = {2023: (4, 5), 2024: (4, 7), 2025: (4, 6)}


def _typed(rows: list[tuple], columns: tuple[str, ...], dates: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns)).astype("string")
    return frame.assign(**{c: pd.to_datetime(frame[c], format="%Y-%m-%d").astype("datetime64[ns]") for c in dates})


def children() -> Extract:
    """The six children as a merged extract (dates datetime64)."""
    return Extract(
        header=_typed(HEADER_ROWS, codes.HEADER_COLUMNS, codes.HEADER_DATES),
        episodes=_typed(EPISODE_ROWS, codes.EPISODE_COLUMNS, codes.EPISODE_DATES),
        is_synthetic=True, source="test", start=pd.Timestamp("2022-04-01"), end=pd.Timestamp("2025-03-31"),
    )
