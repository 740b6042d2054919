from datetime import UTC, datetime

from complaint import clock


def test_default_zone_is_beijing_time(monkeypatch):
    monkeypatch.delenv(clock.TIMEZONE_ENV, raising=False)
    assert clock.local_time_text(datetime(2026, 11, 25, 17, 5, tzinfo=UTC)) == "01:05"


def test_zone_is_configurable_and_a_bad_name_falls_back_to_utc(monkeypatch):
    monkeypatch.setenv(clock.TIMEZONE_ENV, "Europe/London")
    assert clock.local_time_text(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "13:00"
    monkeypatch.setenv(clock.TIMEZONE_ENV, "Mars/Olympus_Mons")
    assert clock.local_time_text(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "12:00"


def test_today_is_the_date_in_the_workshop_zone(monkeypatch):
    monkeypatch.setenv(clock.TIMEZONE_ENV, "Pacific/Kiritimati")  # UTC+14: often a day ahead of UTC
    assert clock.today() == datetime.now(UTC).astimezone(clock.local_zone()).date()
