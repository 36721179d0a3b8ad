"""Financial years, months and quarters of a plan (English councils' years start on 1 April)."""

from __future__ import annotations

import datetime as dt

import numpy as np


def financial_year_label(start_year: int) -> str:
    """'2018/19' for the financial year starting 1 April 2018."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def year_labels(first_year: int, years: int) -> list[str]:
    """Labels of ``years`` financial years from ``first_year``."""
    return [financial_year_label(first_year + i) for i in range(years)]


def month_starts(first_year: int, years: int) -> np.ndarray:
    """First day of each month of the plan (datetime64[D]), April of ``first_year`` onwards."""
    first = np.datetime64(f"{first_year}-04", "M")
    return (first + np.arange(years * 12)).astype("datetime64[D]")


def quarter_starts(first_year: int, years: int) -> np.ndarray:
    """First day of each quarter of the plan (datetime64[D])."""
    first = np.datetime64(f"{first_year}-04", "M")
    return (first + 3 * np.arange(years * 4)).astype("datetime64[D]")


def share_of_months_active(first_year: int, years: int, start: dt.date, end: dt.date) -> np.ndarray:
    """Share (0-1) of each plan month that falls between ``start`` and ``end`` inclusive."""
    month_first = month_starts(first_year, years)
    month_next = (month_first.astype("datetime64[M]") + 1).astype("datetime64[D]")
    begin = np.maximum(month_first, np.datetime64(start, "D"))
    finish = np.minimum(month_next, np.datetime64(end, "D") + 1)
    days = (finish - begin).astype(int).clip(min=0)
    return days / (month_next - month_first).astype(int)


def by_year(monthly: np.ndarray, per: int = 12) -> np.ndarray:
    """Sum a monthly (``per`` = 12) or quarterly (``per`` = 4) series, last axis, into financial years."""
    shape = monthly.shape[:-1] + (monthly.shape[-1] // per, per)
    return monthly.reshape(shape).sum(axis=-1)
