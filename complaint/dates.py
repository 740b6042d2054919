"""Deadline arithmetic: calendar days and working days.

For China, working days follow the State Council's yearly holiday notice, make-up working
days (调休) included, from the ``chinesecalendar`` package; a calendar-day period whose last
day is a public holiday ends on the next working day instead (Civil Code Art. 203). The
package knows only the years whose notice has been published (up to 2026 in 1.11.0) and
refuses later years: for those, working days skip Saturdays and Sundays only and the
workbook says so next to every working-day figure (``known_years``). Other countries: weekends only.

The package is imported on first use, not when this module is: the start screen of every
visitor's kernel needs no calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

CALENDAR_DAYS = "calendar_days"
WORKING_DAYS = "working_days"
CHINA = "cn"


@lru_cache(maxsize=1)
def _china_calendar():
    """(holidays, make-up working days, first year, last year) from chinesecalendar."""
    from chinese_calendar.constants import (  # here: off the page's start-up (tests/widgets/test_startup.py)
        holidays,
        workdays,
    )

    years = [day.year for day in holidays]
    return frozenset(holidays), frozenset(workdays), min(years), max(years)


def known_years(country: str = CHINA) -> tuple[int, int] | None:
    """The years whose public holidays are known for ``country`` (None: none are)."""
    if country != CHINA:
        return None
    _holidays, _workdays, first, last = _china_calendar()
    return first, last


def holidays_known(day: date, country: str = CHINA) -> bool:
    """Whether ``day``'s year has the official holiday calendar (else: weekends only)."""
    years = known_years(country)
    return years is not None and years[0] <= day.year <= years[1]


def is_working_day(day: date, country: str = CHINA) -> bool:
    if holidays_known(day, country):
        holidays, workdays, _first, _last = _china_calendar()
        return day in workdays or (day.weekday() < 5 and day not in holidays)
    return day.weekday() < 5  # a year without a published calendar: Monday..Friday


def is_public_holiday(day: date, country: str = CHINA) -> bool:
    """A day of an official holiday period (weekends inside the period included)."""
    return holidays_known(day, country) and day in _china_calendar()[0]


def add_days(start: date, days: int, unit: str, country: str = CHINA) -> date:
    """The last day of a period of ``days`` counted from the day after ``start`` (Civil Code
    Art. 201). Calendar days: a last day that falls on a public holiday moves to the next
    working day (Art. 203)."""
    if unit == CALENDAR_DAYS:
        end = start + timedelta(days=days)
        if is_public_holiday(end, country):
            while not is_working_day(end, country):
                end += timedelta(days=1)
        return end
    if unit == WORKING_DAYS:
        current, left = start, days
        while left > 0:
            current += timedelta(days=1)
            if is_working_day(current, country):
                left -= 1
        return current
    raise ValueError(f"unknown unit {unit!r}")
