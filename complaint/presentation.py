"""How a case's values read wherever they are shown: in the statement, the printable record,
the channel guide, the timeline, the reminders and the views. One home, so a date, an amount or
an account reads the same on screen, on paper and in a letter.

A leaf of the core: it imports only the catalogue, the translator, the model's types and the
content files, so
any module may use it without an import cycle. A legal figure and its source read the same way
everywhere too, from complaint/escalation.py beside the figures (``figure_lines``,
``source_text``, ``evidence_text``).
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from .catalog import load_catalog
from .i18n import locale, long_date, pick
from .model import Case
from .paths import CONTENT_DIR
from .validation import format_amount


def date_time_text(moment: datetime, language: str) -> str:
    """A contact's time in a letter, in the same date format as the rest of the letter."""
    return locale(language).date_time.format(
        date=long_date(moment.date(), language), time=moment.strftime("%H:%M")
    )


def contact_time(moment: datetime | None) -> str:
    """A contact's time in a table or list (the contact log, the printable record): 2026-11-20 14:05."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


@lru_cache(maxsize=1)
def _written_amounts() -> dict[str, dict[str, str]]:
    with open(CONTENT_DIR / "currencies.json", encoding="utf-8") as handle:
        return {c["id"]: c["written"] for c in json.load(handle)["currencies"]}


def written_amount(case: Case, language: str) -> str:
    """An amount as a letter writes it: 人民币2,000.00元 / CNY 2,000.00."""
    if case.amount is None:
        return ""
    number = format(case.amount, ",.2f")
    form = pick(_written_amounts().get(case.currency, {}), language)
    return form.format(amount=number) if form else f"{number} {case.currency}"


def amount_text(amount: Decimal | None, currency: str) -> str:
    """An amount as a record or table shows it: 2000 CNY, 19.99 USD ("" when none was given)."""
    return f"{format_amount(amount)} {currency}" if amount is not None else ""


def masked_account(last4: str) -> str:
    """The account as the case keeps it: its last four characters after four dots."""
    return f"••••{last4}" if last4 else ""


def choice_text(family: str, value: str, other: str, language: str) -> str:
    """A choice's label, or the user's own words when they chose "other"."""
    return other if value == "other" else load_catalog().label(family, value, language)
