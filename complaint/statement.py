"""The complaint statement, written from the case: one version for the company, one for a
regulator, in Chinese or English. Templates are data (data/content/statement.json): a line
is left out when a value it needs is missing, so the text never shows an empty blank.

The article's tips are built in rather than lectured: facts first (who, what, when, how much,
which transaction), what was already tried with ticket numbers, the evidence, one precise
demand and a reasonable deadline, in a polite professional tone.
"""

from __future__ import annotations

import json
import string
from datetime import date, timedelta
from functools import lru_cache

from .catalog import load_catalog
from .contacts import is_overdue, sorted_contacts
from .escalation import company_contacts, jurisdiction_for, plan
from .i18n import Translator
from .model import Case
from .paths import CONTENT_DIR
from .validation import format_amount

AUDIENCES = ("company", "regulator")


@lru_cache(maxsize=1)
def templates() -> dict:
    with open(CONTENT_DIR / "statement.json", encoding="utf-8") as handle:
        return json.load(handle)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def long_date(day: date, language: str) -> str:
    """A date as people write it: 2026年12月10日 / 10 December 2026 (not the server's locale)."""
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _values(case: Case, t: Translator, today: date) -> dict[str, str]:
    catalog, language, doc = load_catalog(), t.language, templates()
    pick = lambda family, value, other: other if value == "other" else catalog.label(family, value, language)  # noqa: E731
    contacts = sorted_contacts(case.contacts)
    style = doc["contact_line"][language]
    lines = []
    for contact in contacts:  # "- when, channel, agent, reference R: outcome", empty parts left out
        parts = [
            contact.when.strftime("%Y-%m-%d %H:%M") if contact.when else "",
            catalog.label("contact_channels", contact.channel, language),
            contact.agent,
            style["reference"].format(reference=contact.reference) if contact.reference else "",
        ]
        outcome = catalog.label("contact_outcomes", contact.outcome, language) or contact.offered or contact.promised
        line = style["bullet"] + style["separator"].join(p for p in parts if p)
        lines.append(line + (style["outcome"].format(outcome=outcome) if outcome else ""))
    the_plan = plan(case, today)
    with_company = company_contacts(case)  # what the company did: not what a regulator did
    refused = any(c.outcome == "refused" for c in with_company)
    overdue = [c for c in with_company if is_overdue(c, today)]
    if refused:
        result = t.pick(doc["company_result"]["refused"])
    elif overdue:
        result = t.pick(doc["company_result"]["overdue"]).format(promised_by=long_date(overdue[-1].promised_by, language))
    else:
        result = t.pick(doc["company_result"]["unresolved"])
    regulator = next(r for r in the_plan.rungs if r.id == "regulator").body
    reply_days = jurisdiction_for(case).own_deadline_days  # the same days the escalation plan counts
    have = [t.pick(item.label) for item in catalog.evidence if case.evidence.get(item.id) and case.evidence[item.id].status == "have"]
    amount = f"{format_amount(case.amount)} {case.currency}" if case.amount is not None else ""
    return {
        "provider": pick("providers", case.provider, case.provider_other),
        "last4": case.account_last4,
        "problem": pick("problems", case.problem, case.problem_other),
        "event_date": long_date(case.event_date, language) if case.event_date else "",
        "description": case.description,
        "amount": amount,
        "transaction_id": case.transaction_id,
        "contacts": "\n".join(lines),
        "evidence": t("common.list_separator").join(have),
        "goal": pick("goals", case.goal, case.goal_other),
        "goal_details": case.goal_details,
        "reply_by": long_date(today + timedelta(days=reply_days), language),
        "reply_days": str(reply_days),
        "regulator": t.pick(regulator.label),
        "first_contact": long_date(the_plan.first_contact, language) if the_plan.first_contact else "",
        "company_result": result,
        "your_name": case.escalation.your_name,
        "your_phone": case.escalation.your_phone,
        "your_address": case.escalation.your_address,
        "today": long_date(today, language),
    }


def _fill(template: str, values: dict[str, str]) -> str | None:
    """``template`` filled in; None when a value it needs is empty (the line is left out)."""
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            if not values.get(name):
                return None
            out.append(values[name])
    return "".join(out).rstrip()


def _line(template: str | list[str], values: dict[str, str], separator: str) -> str | None:
    """A string line, or a list of parts of which those with their values are joined."""
    if isinstance(template, str):
        return _fill(template, values)
    parts = [part for part in (_fill(p, values) for p in template) if part]
    return separator.join(parts) + ("。" if separator == "；" else ".") if parts else None


def compose(case: Case, audience: str, language: str, today: date) -> str:
    """The generated statement (what the user starts from before editing it)."""
    t = Translator(language)
    values = _values(case, t, today)
    lines = []
    for template in templates()[audience][t.language]:
        if template == "":
            if lines and lines[-1] != "":
                lines.append("")
            continue
        filled = _line(template, values, templates()["part_separator"][t.language])
        if filled is not None:
            lines.append(filled.replace(" .", ".").rstrip())
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def statement_for(case: Case, audience: str, today: date) -> str:
    """The statement to use: the user's edited text if they edited it, else the generated one."""
    edited = case.statement_company if audience == "company" else case.statement_regulator
    return edited or compose(case, audience, case.language, today)
