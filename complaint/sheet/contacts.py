"""The contact log (format version 2): every contact with the company or a regulator, one part
per row (``contact.2.promised_by``), in time order."""

from __future__ import annotations

import re
from datetime import date, datetime

from .. import validation as v
from ..catalog import Catalog, load_catalog
from ..contacts import sorted_contacts
from ..errors import InvalidInput
from ..i18n import Translator
from ..model import CONTACT_PARTS, NOTE_MAX, SHORT_TEXT_MAX, Case, Contact
from .cells import Cells, Row, bad_value, unescape_cell
from .sections import Section

_CONTACT_KEY = re.compile(r"contact\.([1-9][0-9]{0,3})\.([a-z_]+)")


def contact_rows(case: Case, t: Translator) -> list[Row]:
    catalog = load_catalog()
    rows = []
    for number, contact in enumerate(sorted_contacts(case.contacts), start=1):
        values = {
            "when": (contact.when.strftime("%Y-%m-%dT%H:%M") if contact.when else "", ""),
            "channel": (
                contact.channel,
                catalog.label("contact_channels", contact.channel, case.language),
            ),
            "agent": (contact.agent, ""),
            "reference": (contact.reference, ""),
            "asked": (contact.asked, ""),
            "offered": (contact.offered, ""),
            "promised": (contact.promised, ""),
            "promised_by": (contact.promised_by.isoformat() if contact.promised_by else "", ""),
            "outcome": (
                contact.outcome,
                catalog.label("contact_outcomes", contact.outcome, case.language)
                if contact.outcome
                else "",
            ),
        }
        for part in CONTACT_PARTS:
            rows.append(
                (
                    f"contact.{number}.{part}",
                    t("sheet.contact", number=number, part=t(f"contact.field.{part}")),
                    *values[part],
                )
            )
    return rows


def read_contacts(cells: Cells) -> tuple[dict[str, object], set[str]]:
    contacts: dict[int, dict[str, tuple[int, str]]] = {}
    consumed: set[str] = set()
    for key, (row, raw) in cells.items():
        match = _CONTACT_KEY.fullmatch(key)
        if not match or match.group(2) not in CONTACT_PARTS:
            continue  # a part this version does not know: kept as an extra row
        contacts.setdefault(int(match.group(1)), {})[match.group(2)] = (row, unescape_cell(raw))
        consumed.add(key)
    catalog = load_catalog()
    return {
        "contacts": [_read_contact(parts, catalog) for _, parts in sorted(contacts.items())]
    }, consumed


def _read_contact(parts: dict[str, tuple[int, str]], catalog: Catalog) -> Contact:
    def text(part: str, limit: int, multiline: bool = False) -> str:
        row, value = parts.get(part, (0, ""))
        try:
            return v.clean_text(value, limit, multiline=multiline)
        except InvalidInput:
            raise bad_value(row, part) from None

    def parsed(part: str, parse):
        row, value = parts.get(part, (0, ""))
        try:
            return parse(value.strip()) if value.strip() else None
        except ValueError:
            raise bad_value(row, part) from None

    def choice(part: str, family: str) -> str:
        row, value = parts.get(part, (0, ""))
        try:
            return v.check_choice(value.strip(), catalog.ids(family))
        except InvalidInput:
            raise bad_value(row, part) from None

    when = parsed("when", datetime.fromisoformat)
    if when is not None and when.tzinfo is not None:
        raise bad_value(parts["when"][0], "when")
    return Contact(
        when=when,
        channel=choice("channel", "contact_channels"),
        agent=text("agent", SHORT_TEXT_MAX),
        reference=text("reference", SHORT_TEXT_MAX),
        asked=text("asked", NOTE_MAX, True),
        offered=text("offered", NOTE_MAX, True),
        promised=text("promised", NOTE_MAX, True),
        promised_by=parsed("promised_by", date.fromisoformat),
        outcome=choice("outcome", "contact_outcomes"),
    )


SECTION = Section("contacts", ("contact",), contact_rows, read_contacts)
