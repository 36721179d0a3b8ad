"""Helpers to write small 903 extracts (one folder per collection year) in tests."""

from __future__ import annotations

from pathlib import Path

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"


def write_year(root: Path, year: str, header: list[str], episodes: list[str],
               header_line: str = HEADER, episodes_line: str = EPISODES) -> Path:
    """Write ``root/year/header.csv`` and ``episodes.csv`` from text rows."""
    folder = root / year
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "header.csv").write_text("\n".join([header_line, *header]) + "\n")
    (folder / "episodes.csv").write_text("\n".join([episodes_line, *episodes]) + "\n")
    return folder
