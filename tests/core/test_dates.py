from datetime import date

import pytest

from complaint.dates import CALENDAR_DAYS, WORKING_DAYS, add_days


def test_calendar_days_count_every_day():
    assert add_days(date(2026, 11, 25), 15, CALENDAR_DAYS) == date(2026, 12, 10)
    assert add_days(date(2026, 12, 25), 7, CALENDAR_DAYS) == date(2027, 1, 1)


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 11, 25), 7, date(2026, 12, 4)),  # Wednesday + 7 working days: over one weekend
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1: Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday + 1: Monday
        (date(2026, 11, 25), 45, date(2027, 1, 27)),  # 45 working days = 9 weeks
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert add_days(start, days, WORKING_DAYS) == expected


def test_an_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError):
        add_days(date(2026, 1, 1), 1, "fortnights")
