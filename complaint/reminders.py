"""Calendar reminders: the dates that matter in a case as an iCalendar file (.ics, RFC 5545).

One all-day event per date: each promise in the contact log, the reply deadline the statement
gives the company, the day each escalation route opens, each regulator's answer date once
filed. The dates are the ones the escalation plan and the statement already compute (never a
second calculation), the words come from the i18n files in the case's language, and every
event says how to get back to the case without the resume code, which is never in the file.

Hand-written text rather than the ``icalendar`` package: the file needs one component type with
nine properties, which fits in a page of code (CRLF endings, escaping, folding at 75 octets
without splitting a UTF-8 character); a dependency would add start-up weight and a version to
pin for every visitor's kernel. The tests parse the output with ``icalendar`` itself, an
independent implementation, so a mistake here cannot hide behind its own reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .catalog import load_catalog
from .contacts import sorted_contacts
from .escalation import answer_by_text, plan
from .i18n import Translator
from .model import Case
from .presentation import choice_text, long_date
from .statement import reply_by

MEDIA_TYPE = "text/calendar"
PRODID = "-//Digital-wallet complaint workbook//Case reminders//EN"
_FOLD_OCTETS = 75  # RFC 5545 3.1: lines longer than 75 octets are folded
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Reminder:
    kind: str  # "promise", "reply", "route", "answer"
    key: str  # with ``kind``: what the UID is made of, so a re-download replaces the same event
    day: date
    summary: str
    place: str  # the LOCATION: a channel, a company or a body, short enough for a calendar's list
    what: str  # what to do that day, and where (how to reach the body)


def reminders(case: Case, today: date) -> list[Reminder]:
    """The case's dated reminders, in date order."""
    t, catalog, language = Translator(case.language), load_catalog(), case.language
    provider = (
        choice_text("providers", case.provider, case.provider_other, language)
        if case.provider
        else t("ics.the_company")
    )
    found: list[Reminder] = []
    seen: dict[str, int] = {}
    for contact in sorted_contacts(case.contacts):
        if contact.promised_by is None:
            continue
        # Two promises due the same day are two events: numbered in the log's order.
        day_key = contact.promised_by.isoformat()
        seen[day_key] = seen.get(day_key, 0) + 1
        channel = (
            catalog.label("contact_channels", contact.channel, language) if contact.channel else ""
        )
        place = channel + (
            t("ics.reference", reference=contact.reference) if contact.reference else ""
        )
        when = contact.when.strftime("%Y-%m-%d") if contact.when else ""
        promised = contact.promised or t("ics.promise_unspecified")
        found.append(
            Reminder(
                "promise",
                f"{day_key}-{seen[day_key]}",
                contact.promised_by,
                t("ics.promise.summary", provider=provider),
                place,
                t(
                    "ics.promise.what",
                    provider=provider,
                    when=when,
                    place=place or t("ics.the_channel"),
                    promised=promised,
                ),
            )
        )
    the_plan = plan(case, today, what_to_bring=False)
    rungs = {r.id: r for r in the_plan.rungs}
    if rungs["regulator"].filed is None:  # once a regulator has it, its own answer date counts
        # One reply deadline per case (the statement's): a later statement moves it, not adds one.
        regulator = rungs["regulator"].body
        found.append(
            Reminder(
                "reply",
                "statement",
                reply_by(case, today),
                t("ics.reply.summary", provider=provider),
                provider,
                t(
                    "ics.reply.what",
                    provider=provider,
                    regulator=t.pick(regulator.label),
                    how=t.pick(regulator.how),
                ),
            )
        )
    for rung in the_plan.rungs:
        if rung.id == "company" or rung.filed is not None or rung.available_from is None:
            continue
        body = t.pick(rung.body.label)
        marker = t("deadline.to_verify") if rung.to_verify else ""
        found.append(
            Reminder(
                "route",
                rung.id,
                rung.available_from,
                t("ics.route.summary", body=body),
                body,
                t(
                    "ics.route.what",
                    body=body,
                    date=long_date(rung.available_from, language) + marker,
                    how=t.pick(rung.body.how),
                ),
            )
        )
    for rung in the_plan.rungs:
        if rung.answer_by is None:
            continue
        body = t.pick(rung.body.label)
        found.append(
            Reminder(
                "answer",
                rung.id,
                rung.answer_by,
                t("ics.answer.summary", body=body),
                body,
                t(
                    "ics.answer.what",
                    due=answer_by_text(rung, t),
                    body=body,
                    how=t.pick(rung.body.how),
                ),
            )
        )
    return sorted(found, key=lambda r: (r.day, r.kind, r.key))


def uid_for(case: Case, reminder: Reminder) -> str:
    """Stable for the case and the reminder's kind and key: calendars replace an event with the
    same UID instead of adding a copy. Made from the case id (itself a one-way hash of the code),
    hashed again so the file does not even carry the case id's letters."""
    digest = hashlib.sha256(
        f"{case.case_id}/{reminder.kind}/{reminder.key}".encode("ascii")
    ).hexdigest()[:32]
    return f"{digest}@complaint-workbook"


def escape_text(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded into pieces of at most 75 octets (a continuation starts with a
    space, which counts), never splitting a UTF-8 character: Chinese is 3 octets a character."""
    pieces, current, size, limit = [], [], 0, _FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, _FOLD_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def ics_bytes(case: Case, today: date, stamp: datetime | None = None) -> bytes:
    """The .ics file: every reminder as an all-day event (DTEND is the next day, exclusive)."""
    t = Translator(case.language)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    # A later download has a higher SEQUENCE: calendars take it as the newer version of the event.
    sequence = max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds()) // 60)
    hint = t("ics.resume_hint")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(t('ics.calendar_name'))}",
    ]
    for reminder in reminders(case, today):
        description = f"{reminder.what}\n\n{hint}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid_for(case, reminder)}",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"SEQUENCE:{sequence}",
            f"DTSTART;VALUE=DATE:{reminder.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(reminder.day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(reminder.summary)}",
            f"DESCRIPTION:{escape_text(description)}",
        ]
        if reminder.place:
            lines.append(f"LOCATION:{escape_text(reminder.place)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]  # a reminder, not a busy day
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def ics_filename(case: Case) -> str:
    t = Translator(case.language)
    return f"{t('ics.filename')}-{case.case_id[:8]}.ics"
