from datetime import date

import pytest

from complaint.dates import CALENDAR_DAYS, WORKING_DAYS, add_days, holidays_known, is_working_day


def test_calendar_days_count_every_day():
    assert add_days(date(2026, 11, 25), 15, CALENDAR_DAYS) == date(2026, 12, 10)
    assert add_days(date(2026, 12, 1), 7, CALENDAR_DAYS) == date(2026, 12, 8)


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (
            date(2026, 9, 25),
            7,
            date(2026, 10, 12),
        ),  # over National Day; Saturday 10 October is a make-up working day
        (
            date(2026, 2, 12),
            7,
            date(2026, 2, 28),
        ),  # over Spring Festival; Saturdays 14 and 28 February are working days
        (
            date(2026, 9, 18),
            45,
            date(2026, 11, 26),
        ),  # 12315's mediation period across both autumn holidays
        (date(2026, 11, 25), 7, date(2026, 12, 4)),  # no holiday: one weekend
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1: Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday + 1: Monday
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_working_days_follow_the_official_calendar(start, days, expected):
    assert add_days(start, days, WORKING_DAYS) == expected


def test_make_up_saturdays_are_working_days_and_holiday_weekdays_are_not():
    assert is_working_day(date(2026, 10, 10))  # Saturday, 调休
    assert not is_working_day(date(2026, 10, 5))  # Monday in the National Day holiday


def test_a_year_without_a_published_calendar_falls_back_to_weekends_without_crashing():
    # 2027's notice is not in the pinned package: Monday..Friday count, and the workbook says so.
    assert not holidays_known(date(2027, 1, 4))
    assert add_days(date(2027, 1, 29), 7, WORKING_DAYS) == date(
        2027, 2, 9
    )  # Spring Festival 2027 not known
    assert add_days(date(2026, 11, 25), 45, WORKING_DAYS) == date(
        2027, 1, 27
    )  # crosses into 2027: weekends only there
    assert add_days(date(2027, 9, 30), 1, CALENDAR_DAYS) == date(
        2027, 10, 1
    )  # no holiday roll without a calendar
    assert holidays_known(date(2026, 12, 31)) and not holidays_known(date(2027, 1, 1))


def test_a_calendar_day_period_ending_on_a_public_holiday_ends_on_the_next_working_day():
    # Civil Code Art. 203: 15 days from 2026-09-20 end on 5 October, a holiday: 8 October.
    assert add_days(date(2026, 9, 20), 15, CALENDAR_DAYS) == date(2026, 10, 8)
    # Ending on a make-up working day (Saturday 10 October) it stays.
    assert add_days(date(2026, 9, 25), 15, CALENDAR_DAYS) == date(2026, 10, 10)


def test_other_countries_count_weekends_only():
    assert add_days(date(2026, 9, 25), 7, WORKING_DAYS, "us") == date(2026, 10, 6)
    assert add_days(date(2026, 9, 20), 15, CALENDAR_DAYS, "us") == date(2026, 10, 5)


def test_an_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError):
        add_days(date(2026, 1, 1), 1, "fortnights")
