"""The complaint statement, written from the case: one version for the company, one for a
regulator, in Chinese or English. Templates are data (data/content/statement.json): a line
is left out when a value it needs is missing, so the text never shows an empty blank.

The usual advice is built in rather than lectured: facts first (who, what, when, how much,
which transaction), what was already tried with ticket numbers, the evidence, one precise
demand and a reasonable deadline, in a polite professional tone. The letter to a regulator is
addressed to the branch that handles it ("致中国人民银行××分行", the user fills in the place),
names the licensed company (from the provider directory), asks the regulator to act, and ends
with a numbered evidence list. ``samr_form`` gives the 12315 form's items in its own order.
"""

from __future__ import annotations

import json
import string
from datetime import date
from functools import lru_cache

from .catalog import load_catalog
from .contacts import is_overdue, sorted_contacts
from .dates import CALENDAR_DAYS, add_days
from .escalation import company_contacts, jurisdiction_for, plan
from .i18n import Translator
from .model import Case
from .paths import CONTENT_DIR
from .presentation import choice_text, date_time_text, long_date, written_amount
from .providers import entity_for

AUDIENCES = ("company", "regulator")
SAMR_FORM = "samr_form"


@lru_cache(maxsize=1)
def templates() -> dict:
    with open(CONTENT_DIR / "statement.json", encoding="utf-8") as handle:
        return json.load(handle)


def _values(case: Case, t: Translator, today: date) -> dict[str, str]:
    catalog, language, doc = load_catalog(), t.language, templates()
    contacts = sorted_contacts(case.contacts)
    style = t.pick(doc["contact_line"])
    lines = []
    for contact in contacts:  # "- when, channel, agent, reference R: outcome", empty parts left out
        parts = [
            date_time_text(contact.when, language) if contact.when else "",
            catalog.label("contact_channels", contact.channel, language),
            contact.agent,
            style["reference"].format(reference=contact.reference) if contact.reference else "",
        ]
        outcome = (
            catalog.label("contact_outcomes", contact.outcome, language)
            or contact.offered
            or contact.promised
        )
        line = style["bullet"] + style["separator"].join(p for p in parts if p)
        lines.append(line + (style["outcome"].format(outcome=outcome) if outcome else ""))
    the_plan = plan(case, today)
    with_company = company_contacts(case)  # what the company did: not what a regulator did
    refused = any(c.outcome == "refused" for c in with_company)
    overdue = [c for c in with_company if is_overdue(c, today)]
    if refused:
        result = t.pick(doc["company_result"]["refused"])
    elif overdue:
        result = t.pick(doc["company_result"]["overdue"]).format(
            promised_by=long_date(overdue[-1].promised_by, language)
        )
    else:
        result = t.pick(doc["company_result"]["unresolved"])
    regulator = next(r for r in the_plan.rungs if r.id == "regulator").body
    reply_days = jurisdiction_for(
        case
    ).own_deadline_days  # the same days the escalation plan counts
    have = [
        t.pick(item.label)
        for item in catalog.evidence
        if case.evidence.get(item.id) and case.evidence[item.id].status == "have"
    ]
    item_form = t.pick(doc["evidence_item"])
    entity = entity_for(case.provider)
    provider = choice_text("providers", case.provider, case.provider_other, language)
    return {
        "provider": provider,
        "entity": entity.name if entity else "",
        "respondent": entity.name
        if entity
        else provider,  # whom the regulator should press: the licensed company
        "last4": case.account_last4,
        "problem": choice_text("problems", case.problem, case.problem_other, language),
        "event_date": long_date(case.event_date, language) if case.event_date else "",
        "description": case.description,
        "amount": written_amount(case, language),
        "transaction_id": case.transaction_id,
        "contacts": "\n".join(lines),
        "evidence": t("common.list_separator").join(have),
        "evidence_list": "\n".join(
            item_form.format(number=n, item=item) for n, item in enumerate(have, start=1)
        ),
        "goal": choice_text("goals", case.goal, case.goal_other, language),
        "goal_details": case.goal_details,
        "reply_by": long_date(reply_by(case, today), language),
        "reply_days": str(reply_days),
        "regulator": t.pick(regulator.letter_name or regulator.label),
        "addressee": t.pick(regulator.addressee or regulator.letter_name or regulator.label),
        "first_contact": long_date(the_plan.first_contact, language)
        if the_plan.first_contact
        else "",
        "company_result": result,
        "your_name": case.escalation.your_name,
        "your_phone": case.escalation.your_phone,
        "your_address": case.escalation.your_address,
        "company_address": case.escalation.company_address,
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


def _line(
    template: str | list[str], values: dict[str, str], separator: str, end: str
) -> str | None:
    """A string line, or a list of parts of which those with their values are joined."""
    if isinstance(template, str):
        return _fill(template, values)
    parts = [part for part in (_fill(p, values) for p in template) if part]
    return separator.join(parts) + end if parts else None


def compose(case: Case, audience: str, language: str, today: date) -> str:
    """The generated statement (what the user starts from before editing it)."""
    t = Translator(language)
    values = _values(case, t, today)
    lines = []
    for template in t.pick(templates()[audience]):
        if template == "":
            if lines and lines[-1] != "":
                lines.append("")
            continue
        filled = _line(
            template, values, t.pick(templates()["part_separator"]), t.locale.sentence_end
        )
        if filled is not None:
            lines.append(filled.replace(" .", ".").rstrip())
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def samr_form_summary(case: Case, language: str, today: date) -> str:
    """The items the 12315 complaint form asks for (Interim Measures Art. 9), in the form's
    order, one per line, ready to paste: an item not filled in says so rather than vanish."""
    t = Translator(language)
    values, doc = _values(case, t, today), templates()[SAMR_FORM]
    punctuation = t.locale
    values["demand"] = punctuation.clause_separator.join(
        v for v in (values["goal"], values["goal_details"]) if v
    )
    sentences = []
    for template in t.pick(doc["facts"]):
        filled = _fill(template, values)
        if filled:
            sentences.append(
                filled if filled[-1] in "。.!?！？" else filled + punctuation.sentence_end
            )
    values["facts"] = punctuation.sentence_separator.join(sentences)
    missing, separator = t.pick(doc["missing"]), t.pick(doc["separator"])
    return (
        "\n".join(
            f"{label}{separator}{values.get(name) or missing}"
            for label, name in t.pick(doc["items"])
        )
        + "\n"
    )


def reply_by(case: Case, today: date) -> date:
    """The day the statement written ``today`` asks the company to reply by (also a calendar
    reminder): the plan's own-deadline days, counted as the plan counts them (a last day in a
    public holiday moves to the next working day)."""
    j = jurisdiction_for(case)
    return add_days(today, j.own_deadline_days, CALENDAR_DAYS, j.id)


def statement_for(case: Case, audience: str, today: date) -> str:
    """The statement to use: the user's edited text if they edited it, else the generated one."""
    edited = case.statement_company if audience == "company" else case.statement_regulator
    return edited or compose(case, audience, case.language, today)
