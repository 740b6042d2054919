"""Deadline arithmetic: calendar days and working days.

Working days skip Saturdays and Sundays only. Public holidays (and China's make-up working
days, 调休) are not known to this module: a deadline in working days that spans a holiday
falls later than computed here. The workbook says so next to every working-day date.
"""

from __future__ import annotations

from datetime import date, timedelta

CALENDAR_DAYS = "calendar_days"
WORKING_DAYS = "working_days"


def add_days(start: date, days: int, unit: str) -> date:
    if unit == CALENDAR_DAYS:
        return start + timedelta(days=days)
    if unit == WORKING_DAYS:
        current, left = start, days
        while left > 0:
            current += timedelta(days=1)
            if current.weekday() < 5:  # Monday..Friday
                left -= 1
        return current
    raise ValueError(f"unknown unit {unit!r}")
