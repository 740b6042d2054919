"""Contact-log rules: what makes an entry, its order, and when a promise is overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .errors import InvalidInput
from .model import NOTE_MAX, SHORT_TEXT_MAX, Contact
from .validation import EARLIEST_EVENT_DATE, check_choice, clean_text

#: A promise counts as kept once the contact's outcome is one of these.
SETTLED_OUTCOMES = ("resolved",)


def make_contact(
    *,
    when: datetime | None,
    channel: str,
    agent: str = "",
    reference: str = "",
    asked: str = "",
    offered: str = "",
    promised: str = "",
    promised_by: date | None = None,
    outcome: str = "",
    channels: tuple[str, ...],
    outcomes: tuple[str, ...],
    today: date,
) -> Contact:
    """A checked contact entry; InvalidInput(key, field=...) names the first problem found."""
    if when is None:
        raise InvalidInput("contact.when_missing")
    if when.date() > today + timedelta(days=1):  # one day of grace, as for the event date
        raise InvalidInput("contact.when_future", today=today.isoformat())
    if when.date() < EARLIEST_EVENT_DATE:  # a mistyped year ("0226"): the sheet could not hold it
        raise InvalidInput("date.too_old", earliest=EARLIEST_EVENT_DATE.isoformat())
    if not channel:
        raise InvalidInput("contact.channel_missing")
    if promised_by is not None and promised_by < when.date():
        raise InvalidInput("contact.promised_before_contact")
    return Contact(
        when=when.replace(second=0, microsecond=0, tzinfo=None),
        channel=check_choice(channel, channels),
        agent=clean_text(agent, SHORT_TEXT_MAX),
        reference=clean_text(reference, SHORT_TEXT_MAX),
        asked=clean_text(asked, NOTE_MAX, multiline=True),
        offered=clean_text(offered, NOTE_MAX, multiline=True),
        promised=clean_text(promised, NOTE_MAX, multiline=True),
        promised_by=promised_by,
        outcome=check_choice(outcome, outcomes),
    )


def sorted_contacts(contacts: list[Contact]) -> list[Contact]:
    """Oldest first, the order a company or regulator reads a complaint history in."""
    return sorted(contacts, key=lambda c: (c.when is None, c.when or datetime.min))


def is_overdue(contact: Contact, today: date) -> bool:
    """A promised-by date has passed and the contact's outcome does not say it was kept."""
    return contact.promised_by is not None and contact.promised_by < today and contact.outcome not in SETTLED_OUTCOMES
