"""Units of time, defined once for every analysis.

Two conventions, each named: calendar time (a year of 365.25 days, so a week is 1/52.18 of
a year) for ages, stays and care days; finance time (52 weeks a year, as councils' budgets
and business cases count weeks) where a seed's financial plan is reproduced to the pound.
"""

from __future__ import annotations

DAYS_A_WEEK = 7
DAYS_A_YEAR = 365.25
"""Mean calendar year (days), leap years included."""
WEEKS_A_YEAR = DAYS_A_YEAR / DAYS_A_WEEK
"""Calendar weeks in a year (52.18)."""
WEEKS_A_MONTH = WEEKS_A_YEAR / 12
"""Calendar weeks in a month (4.35)."""
MONTHS_A_YEAR = 12

FINANCE_WEEKS_A_YEAR = 52
"""Weeks in a year as councils' budgets and business cases count them (weekly price x 52)."""
FINANCE_WEEKS_A_MONTH = FINANCE_WEEKS_A_YEAR / MONTHS_A_YEAR
"""Weeks in a month of a budget counting 52 weeks a year (4.33)."""
