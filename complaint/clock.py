"""The workshop's clock: "today" and displayed times in one configured time zone.

The server may run on UTC while its users are in Beijing: eight hours apart, "today" differs
every night. ``WORKBOOK_TIMEZONE`` (an IANA name) sets the zone; Asia/Shanghai by default,
because the workbook is Chinese first. Stored timestamps stay in UTC.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TIMEZONE_ENV = "WORKBOOK_TIMEZONE"
DEFAULT_TIMEZONE = "Asia/Shanghai"


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC  # a mistyped setting must not stop the workbook


def local_zone() -> tzinfo:
    return _zone(os.environ.get(TIMEZONE_ENV, "").strip() or DEFAULT_TIMEZONE)


def today() -> date:
    return datetime.now(local_zone()).date()


def local_time_text(moment: datetime) -> str:
    """``HH:MM`` of an aware UTC timestamp in the workshop's zone."""
    return moment.astimezone(local_zone()).strftime("%H:%M")


def local_datetime_text(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` of an aware UTC timestamp in the workshop's zone."""
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")
