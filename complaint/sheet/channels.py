"""The channels tried (format version 2): one yes/no row per channel shown for the problem, or
ticked (``channel.hotline.tried``)."""

from __future__ import annotations

import re

from ..catalog import load_catalog
from ..i18n import Translator
from ..model import Case
from .cells import NO, YES, Cells, Row, bad_value, unescape_cell, yes_no
from .sections import Section

_CHANNEL_KEY = re.compile(r"channel\.([a-z0-9_]+)\.tried")


def channel_rows(case: Case, t: Translator) -> list[Row]:
    catalog = load_catalog()
    shown = {
        channel.id for channel in catalog.channels_for(case.problem, case.escalation.jurisdiction)
    }
    rows = []
    for channel in catalog.channels:
        tried = channel.id in case.channels_tried
        if channel.id in shown or tried:
            rows.append(
                (
                    f"channel.{channel.id}.tried",
                    t("sheet.channel.tried", channel=t.pick(channel.label)),
                    *yes_no(t, tried),
                )
            )
    return rows


def read_channels(cells: Cells) -> tuple[dict[str, object], set[str]]:
    channel_ids = load_catalog().ids("channels")
    tried, consumed = set(), set()
    for key, (row, raw) in cells.items():
        match = _CHANNEL_KEY.fullmatch(key)
        if not match or match.group(1) not in channel_ids:
            continue  # a channel this version does not know: kept as an extra row
        value = unescape_cell(raw).strip()
        if value not in (YES, NO, ""):
            raise bad_value(row, key)
        if value == YES:
            tried.add(match.group(1))
        consumed.add(key)
    return {"channels_tried": [channel for channel in channel_ids if channel in tried]}, consumed


SECTION = Section("channels", ("channel",), channel_rows, read_channels)
