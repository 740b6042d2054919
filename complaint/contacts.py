"""Contact-log rules: what makes an entry, its order, and when a promise is overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .catalog import load_catalog
from .errors import InvalidInput
from .model import NOTE_MAX, SHORT_TEXT_MAX, Case, Contact, EvidenceItem
from .validation import EARLIEST_EVENT_DATE, check_choice, clean_text

#: A promise counts as kept once the contact's outcome is one of these.
SETTLED_OUTCOMES = ("resolved",)
#: The evidence item a logged ticket number is: "ticket or complaint numbers and contact dates".
TICKETS_ITEM = "ticket_numbers"


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
    return (
        contact.promised_by is not None
        and contact.promised_by < today
        and contact.outcome not in SETTLED_OUTCOMES
    )


def guide_channel(contact_channel: str) -> str:
    """The channel of the guide a contact logged as ``contact_channel`` went through ("phone_hotline":
    the customer-service hotline), or "" when the log's channel does not say which: several share it
    ("regulator": the PBoC, 12315 or a consumer association) or none does ("email", "in_person")."""
    matching = [
        channel.id
        for channel in load_catalog().channels
        if channel.contact_channel == contact_channel
    ]
    return matching[0] if len(matching) == 1 else ""


def record_contact(
    case: Case, contact: Contact, replacing: Contact | None = None, via: str = ""
) -> None:
    """Put ``contact`` into the case's log (in place of ``replacing`` when an entry is edited) and
    keep what follows from it true everywhere the case is shown or written (one fact, one place):

    - its channel of the guide is marked tried: ``via`` (the guide's channel whose "Log a contact"
      opened the form) or the one its log channel names (``guide_channel``);
    - a ticket number logged with its date counts for the evidence item "ticket numbers and
      contact dates" of the problem's checklist: that item is then one the user has.
    """
    if replacing is not None:
        case.contacts = [contact if entry is replacing else entry for entry in case.contacts]
    else:
        case.contacts = case.contacts + [contact]
    tried = via or guide_channel(contact.channel)
    if tried and tried not in case.channels_tried:
        order = load_catalog().ids("channels")
        case.channels_tried = [
            channel for channel in order if channel in case.channels_tried or channel == tried
        ]
    ticket_on_list = any(
        item.id == TICKETS_ITEM for item in load_catalog().evidence_for(case.problem)
    )
    if contact.reference and contact.when is not None and ticket_on_list:
        case.evidence.setdefault(TICKETS_ITEM, EvidenceItem()).status = "have"
