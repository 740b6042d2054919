"""A printable case record: one self-contained HTML page that prints cleanly on A4 (or to PDF).

Everything the user typed is escaped; the page has no script and loads nothing from outside,
so it can be opened offline and handed over as it is.
"""

from __future__ import annotations

import re
from datetime import date

from .audit import evaluate, load_security
from .bidi import safe_html as escape  # the trainer reads this record too: no bidi controls
from .catalog import load_catalog
from .contacts import is_overdue, sorted_contacts
from .escalation import (
    answer_by_text,
    figure_lines,
    next_step_date_text,
    plan,
    source_text,
    working_days_note,
)
from .evidence import completeness, human_size
from .i18n import Translator
from .model import Case
from .presentation import amount_text, choice_text, contact_time, long_date, masked_account
from .providers import entity_for
from .statement import statement_for
from .timeline import timeline_html

#: A browser does not split one picture across printed pages: the timeline is cut into pictures
#: this long. Short ones: a picture that does not fit moves to the next page and leaves the rest
#: of this one empty (with 8 rows the timeline left most of page 1 blank).
TIMELINE_ROWS_PER_PAGE = 4

# Printing: a heading stays with what follows it (break-after), a table or the statement may run
# on to the next page row by row (a whole table kept in one piece left half-empty pages), and every
# page's footer gives the case id, the date and "page 2 of 5": @page margin boxes, which Chromium
# prints since version 131 (its "Save as PDF" too) and Firefox ignores. On a screen, a phone's
# edge does not touch the text.
_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
@media screen { body { padding: 0 4mm; } }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       font-size: 11pt; line-height: 1.5; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 2mm 0; } h2 { font-size: 13pt; margin: 6mm 0 2mm 0; border-bottom: 1px solid #999; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0; } th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #f0f0f0; width: 32%; } .meta { color: #555; font-size: 9pt; } .overdue { color: #b00; font-weight: bold; }
pre { white-space: pre-wrap; font-family: inherit; border: 1px solid #ccc; padding: 3mm; }
code { font-size: 8pt; word-break: break-all; }
h1, h2, .wb-timeline figcaption { break-after: avoid; break-inside: avoid; } tr, p { break-inside: avoid; } p, li { orphans: 2; widows: 2; }
.wb-timeline { margin: 0; } .wb-timeline figcaption { font-size: 13pt; font-weight: bold; margin: 6mm 0 2mm 0; border-bottom: 1px solid #999; }
.wb-timeline svg { display: block; break-inside: avoid; } @media print { .wb-timeline svg { max-width: 95mm !important; } }
.wb-timeline-list { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
"""


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (for ``content:``): quotes, backslashes, line breaks and
    angle brackets escaped, so nothing in it can end the string or the <style> element."""
    return (
        '"'
        + "".join(c if c.isprintable() and c not in '"\\<>' else f"\\{ord(c):x} " for c in text)
        + '"'
    )


_PAGE, _PAGES = (
    "\x00page\x00",
    "\x00pages\x00",
)  # where the page counters go in the translated label


def _footer_css(t: Translator, case_id: str, made_on: str) -> str:
    """Every printed page's footer: the case id and date at the left, "page 2 of 5" at the right."""
    counters = {_PAGE: "counter(page)", _PAGES: "counter(pages)"}
    label = t("printable.page", page=_PAGE, pages=_PAGES)
    right = " ".join(
        counters.get(part) or _css_string(part)
        for part in re.split("(\x00pages?\x00)", label)
        if part
    )
    left = _css_string(t("printable.footer", case_id=case_id, date=made_on))
    style = "font-size: 8pt; color: #555;"
    return f"@page {{ @bottom-left {{ content: {left}; {style} }} @bottom-right {{ content: {right}; {style} }} }}"


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" if value else ""


def printable_html(case: Case, today: date, case_id: str | None = None) -> str:
    """The record. ``case_id``: for a case read without its resume code (the trainer's view)."""
    t, catalog, language = Translator(case.language), load_catalog(), case.language
    made_on = long_date(today, language)
    footer = _footer_css(t, case_id or case.case_id, made_on)
    parts = [
        f"<!DOCTYPE html><html lang='{escape(t.locale.html_lang, quote=True)}'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{escape(t('printable.title'))}</title><style>{_CSS}{footer}</style></head><body><main>",
        f"<h1>{escape(t('printable.title'))}</h1>",
        f"<p class='meta'>{escape(t('printable.generated', date=made_on, case_id=case_id or case.case_id))}</p>",
        f"<h2>{escape(t('printable.facts'))}</h2><table>",
        _row(
            t("field.problem"), choice_text("problems", case.problem, case.problem_other, language)
        ),
        _row(
            t("field.provider"),
            choice_text("providers", case.provider, case.provider_other, language),
        ),
        _row(
            t("field.event_date"), long_date(case.event_date, language) if case.event_date else ""
        ),
        _row(t("field.amount"), amount_text(case.amount, case.currency)),
        _row(t("field.transaction_id"), case.transaction_id),
        _row(t("field.account_last4"), masked_account(case.account_last4)),
        _row(t("field.description"), case.description),
        _row(t("field.goal"), choice_text("goals", case.goal, case.goal_other, language)),
        _row(t("field.goal_details"), case.goal_details),
        "</table>",
        timeline_html(case, today, rows_per_picture=TIMELINE_ROWS_PER_PAGE),
    ]
    state = completeness(case, catalog)
    parts.append(
        f"<h2>{escape(t('printable.evidence'))}</h2><p>{escape(t('review.evidence', ready=state.ready, total=state.total))}</p><table>"
    )
    for item in catalog.evidence:
        answer = case.evidence.get(item.id)
        if (answer is None or answer.is_empty()) and item not in catalog.evidence_for(case.problem):
            continue
        status = (
            catalog.label("evidence_statuses", answer.status, language)
            if answer and answer.status
            else "—"
        )
        files = "".join(
            f"<br>{escape(f.name)} ({escape(human_size(f.size))}) <code>SHA-256 {escape(f.sha256)}</code>"
            for f in (answer.files if answer else [])
        )
        note = f"<br>{escape(answer.note)}" if answer and answer.note else ""
        parts.append(
            f"<tr><th>{escape(t.pick(item.label))}</th><td>{escape(status)}{note}{files}</td></tr>"
        )
    parts.append("</table>")
    contacts = sorted_contacts(case.contacts)
    if contacts:
        parts.append(f"<h2>{escape(t('printable.contacts'))}</h2><table>")
        for contact in contacts:
            head = f"{contact_time(contact.when)} · {catalog.label('contact_channels', contact.channel, language)}"
            lines = []
            for part in ("agent", "reference", "asked", "offered", "promised"):
                if getattr(contact, part):
                    lines.append(
                        f"{escape(t(f'contact.field.{part}') + t('common.colon'))}{escape(getattr(contact, part))}"
                    )
            if contact.promised_by:
                css = " class='overdue'" if is_overdue(contact, today) else ""
                lines.append(
                    f"<span{css}>{escape(t('contact.field.promised_by') + t('common.colon'))}{escape(contact.promised_by.isoformat())}</span>"
                )
            if contact.outcome:
                lines.append(
                    escape(
                        t("contact.field.outcome")
                        + t("common.colon")
                        + catalog.label("contact_outcomes", contact.outcome, language)
                    )
                )
            parts.append(f"<tr><th>{escape(head)}</th><td>{'<br>'.join(lines)}</td></tr>")
        parts.append("</table>")
    if not case.audit.is_empty():
        security = load_security()
        result = evaluate(case.audit, security)
        actions = "".join(
            f"<li>{escape(t.pick(security.action_text(a, case.provider)))}</li>"
            for a in result.actions
        )
        parts.append(
            f"<h2>{escape(t('printable.audit'))}</h2><p>{escape(t('audit.score', score=result.score))}</p>"
        )
        parts.append(
            f"<ol>{actions}</ol>" if actions else f"<p>{escape(t('audit.no_actions'))}</p>"
        )
    the_plan = plan(case, today)
    parts.append(f"<h2>{escape(t('printable.escalation'))}</h2>")
    if the_plan.fraud_first is not None:
        body = the_plan.fraud_first
        parts.append(
            f"<p class='overdue'>{escape(t('escalation.fraud_first') + t.pick(body.label))} {escape(t.pick(body.how))}</p>"
        )
    note = the_plan.jurisdiction.routes_note
    if note is not None:
        parts.append(
            f"<p>{escape(t.pick(note.text))}<br><span class='meta'>{escape(source_text(t, note))}</span></p>"
        )
    parts.append("<table>")
    entity = entity_for(case.provider)
    for number, rung in enumerate(the_plan.rungs, start=1):
        lines = [
            escape(
                t(
                    rung.reason,
                    date=next_step_date_text(rung, t),
                    days=the_plan.jurisdiction.own_deadline_days,
                )
            )
        ]
        if rung.body.note:  # e.g. 12363's hours and the 12378 fallback, 12315's refusals
            lines.append(escape(t.pick(rung.body.note)))
        if rung.id == "regulator" and entity is not None:
            name = entity.name + (
                t("escalation.entity_former", name=entity.former_name) if entity.former_name else ""
            )
            lines.append(escape(t("escalation.entity", name=name)))
            lines.append(f"<span class='meta'>{escape(source_text(t, entity))}</span>")
        if rung.filed:
            lines.append(
                escape(t("escalation.filed") + t("common.colon") + long_date(rung.filed, language))
            )
        if rung.answer_by:
            lines.append(escape(answer_by_text(rung, t)))
        for deadline in ((rung.deadline,) if rung.deadline else ()) + tuple(
            f for f in rung.figures if f != rung.deadline
        ):
            figure, source = figure_lines(t, deadline)
            working = (
                f"<br>{escape(working_days_note(t, the_plan.jurisdiction))}"
                if deadline.unit == "working_days"
                else ""
            )
            lines.append(f"<span class='meta'>{escape(figure)}<br>{escape(source)}{working}</span>")
        missing = t("common.list_separator").join(t(f"item.{i}") for i in rung.missing)
        if missing:
            lines.append(escape(t("review.missing", items=missing)))
        lines.append(f"<span class='meta'>{escape(source_text(t, rung.body))}</span>")
        parts.append(
            f"<tr><th>{escape(t('escalation.rung', number=number, body=t.pick(rung.body.label)))}</th><td>{'<br>'.join(lines)}</td></tr>"
        )
    parts.append("</table>")
    parts.append(
        f"<h2>{escape(t('printable.statement'))}</h2><pre>{escape(statement_for(case, 'company', today))}</pre>"
    )
    parts.append("</main></body></html>")
    return "".join(p for p in parts if p)
