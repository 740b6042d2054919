"""The case on a timeline: what happened and what is due, as one inline SVG and a text list.

Every date comes from where the rest of the workbook takes it, so the picture can never say
something else than the plan or the letter: the contact log (promises kept, broken or pending as
``contacts.is_overdue`` decides), the escalation plan (the day each route opens, the day the user
filed, a regulator's answer date, holiday-aware through ``dates.add_days``) and the statement's
reply date (``statement.reply_by``). Nothing is drawn for a date the case does not have.

The picture is a vertical line, oldest at the top: it reads the same on a 390 px phone and on
paper, and labels have the whole width. Kind and state are told by shape and by words, never by
colour alone (the printable record is printed in black and white). Every text is escaped and its
bidirectional controls are replaced (``bidi.safe_html``); a label too long for its line is cut
with an ellipsis in the picture and given whole in its tooltip and in the text list beside it,
which is what a screen reader reads (the picture itself has role="img" and a one-line summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .bidi import neutralise_bidi
from .bidi import safe_html as escape
from .catalog import load_catalog
from .contacts import SETTLED_OUTCOMES, is_overdue, sorted_contacts
from .escalation import plan
from .i18n import Translator
from .model import Case
from .presentation import choice_text, long_date
from .statement import reply_by

#: Kinds of item, in the order they are listed when they fall on the same day.
KINDS = ("event", "contact", "filed", "promise", "answer_due", "route_opens", "reply_due", "today")
PROMISE_STATES = ("kept", "broken", "pending")


@dataclass(frozen=True)
class TimelineItem:
    day: date
    kind: str  # one of KINDS
    label: str  # what happens that day, in the case's language (plain text, not escaped)
    detail: str = ""  # who or what, from the case (typed by the user: escaped when drawn)
    state: str = ""  # a promise's: one of PROMISE_STATES; "" for the other kinds


def timeline_items(case: Case, today: date) -> list[TimelineItem]:
    """Every dated thing of the case, oldest first, today included."""
    t, catalog, language = Translator(case.language), load_catalog(), case.language
    items: list[TimelineItem] = []
    if case.event_date:
        problem = choice_text("problems", case.problem, case.problem_other, language)
        items.append(TimelineItem(case.event_date, "event", t("timeline.event"), problem))
    for contact in sorted_contacts(case.contacts):
        channel = catalog.label("contact_channels", contact.channel, language)
        who = t("common.list_separator").join(p for p in (contact.agent, contact.reference) if p)
        outcome = (
            catalog.label("contact_outcomes", contact.outcome, language) if contact.outcome else ""
        )
        if contact.when:
            detail = t("common.colon").join(p for p in (who, outcome) if p)
            items.append(
                TimelineItem(
                    contact.when.date(), "contact", t("timeline.contact", channel=channel), detail
                )
            )
        if contact.promised_by:
            state = (
                "kept"
                if contact.outcome in SETTLED_OUTCOMES
                else "broken"
                if is_overdue(contact, today)
                else "pending"
            )
            detail = t("common.colon").join(p for p in (who, contact.promised) if p)
            items.append(
                TimelineItem(
                    contact.promised_by, "promise", t(f"timeline.promise.{state}"), detail, state
                )
            )
    the_plan = plan(case, today, what_to_bring=False)
    for rung in the_plan.rungs:
        body = t.pick(rung.body.label)
        if rung.filed:
            items.append(TimelineItem(rung.filed, "filed", t("timeline.filed", body=body)))
        elif rung.available_from:  # once filed, the day it opened no longer matters
            marker = t("deadline.to_verify") if rung.to_verify else ""
            items.append(
                TimelineItem(
                    rung.available_from,
                    "route_opens",
                    t("timeline.route_opens", body=body) + marker,
                )
            )
        if rung.answer_by and rung.filed:
            forwarded = rung.answer is not None and rung.answer.counted_from == "forwarded"
            marker = t("deadline.to_verify") if rung.answer and not rung.answer.verified else ""
            key = "timeline.answer_due_forwarded" if forwarded else "timeline.answer_due"
            items.append(TimelineItem(rung.answer_by, "answer_due", t(key, body=body) + marker))
    items.append(TimelineItem(reply_by(case, today), "reply_due", t("timeline.reply_due")))
    items.append(TimelineItem(today, "today", t("timeline.today")))
    return sorted(items, key=lambda item: (item.day, KINDS.index(item.kind)))


# ---- drawing ---------------------------------------------------------------------------------

WIDTH = 360  # the viewBox: drawn at about this size on a 390 px phone, at most MAX_WIDTH wide
MAX_WIDTH = 460
AXIS_X = 22
TEXT_X = 44
FONT = 14
SMALL = 13
LINE = 18  # one line of text
ROW_GAP = 12
MAX_GAP = 26  # the extra space a long wait between two dates gets, at most
LINE_EM = (WIDTH - TEXT_X - 6) / FONT  # what fits on one line, in em of the label's size

_NARROW, _WIDE = set(" il.,:;'!|ftjr()[]{}-"), set("mwMW@%&")


def _width(character: str) -> float:
    """A generous estimate of a character's width in em, the largest of Chromium's default sans and
    serif fonts and Noto Sans CJK's Latin letters (measured): a Chinese character, "…", "—" and the
    U+FFFD that stands for a bidi control are one em; Latin letters about 0.6."""
    if ord(character) >= 0x2000:
        return 1.0
    if character in _NARROW:
        return 0.4
    if character in _WIDE:
        return 1.05
    return 0.8 if character.isupper() else 0.62


INK = "#111111"
MUTED = "#444444"  # 9.7:1 on white
#: Colours help, never carry the meaning alone (shape and words do); each is ≥ 4.5:1 on white.
COLOURS = {
    "event": INK,
    "contact": "#1d4f91",
    "filed": "#1d4f91",
    "answer_due": "#5b2d9e",
    "route_opens": "#5b2d9e",
    "reply_due": "#7a4b00",
    "today": INK,
    "kept": "#17692e",
    "broken": "#b00020",
    "pending": "#7a4b00",
}


def _lines(text: str, units: float, most: int) -> list[str]:
    """``text`` broken into at most ``most`` lines ``units`` em wide (see _width), at spaces where the
    text has them (English), anywhere for Chinese; the last line cut with "…" if it overflows."""
    lines: list[str] = []
    current, used, last_space = "", 0, -1
    for character in " ".join(text.split()):
        width = _width(character)
        if used + width > units:
            if len(lines) == most - 1:
                while current and sum(map(_width, current)) + _width("…") > units:
                    current = current[:-1]
                return lines + [current.rstrip() + "…"]
            if character == " ":
                lines.append(current)
                current, used, last_space = "", 0, -1
                continue
            if last_space > 0:  # carry the unfinished word to the next line
                lines.append(current[:last_space])
                current = current[last_space + 1 :]
            else:
                lines.append(current)
                current = ""
            used, last_space = sum(map(_width, current)), -1
        if character == " ":
            last_space = len(current)
        current += character
        used += width
    return lines + [current] if current else lines


def _marker(item: TimelineItem, y: float, colour: str) -> str:
    """A shape per kind, so the picture reads without colour: ◆ the event, ● a contact, ■ filed,
    □ with ✓ / ✗ / nothing a promise kept / broken / pending, ▶ a route opening, ○ a date due."""
    x = AXIS_X
    if item.kind == "event":
        return f'<path d="M{x} {y - 8}L{x + 8} {y}L{x} {y + 8}L{x - 8} {y}Z" fill="{colour}"/>'
    if item.kind == "contact":
        return f'<circle cx="{x}" cy="{y}" r="6" fill="{colour}"/>'
    if item.kind == "filed":
        return f'<rect x="{x - 6}" y="{y - 6}" width="12" height="12" fill="{colour}"/>'
    if item.kind == "promise":
        box = f'<rect x="{x - 7}" y="{y - 7}" width="14" height="14" fill="#fff" stroke="{colour}" stroke-width="2"/>'
        if item.state == "kept":
            return (
                box
                + f'<path d="M{x - 4} {y}L{x - 1} {y + 3}L{x + 4} {y - 4}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        if item.state == "broken":
            return (
                box
                + f'<path d="M{x - 4} {y - 4}L{x + 4} {y + 4}M{x + 4} {y - 4}L{x - 4} {y + 4}" stroke="{colour}" stroke-width="2"/>'
            )
        return box
    if item.kind == "route_opens":
        return f'<path d="M{x - 5} {y - 7}L{x + 7} {y}L{x - 5} {y + 7}Z" fill="{colour}"/>'
    if item.kind == "today":
        return f'<rect x="{x - 9}" y="{y - 3}" width="18" height="6" fill="{colour}"/>'
    return f'<circle cx="{x}" cy="{y}" r="6" fill="#fff" stroke="{colour}" stroke-width="2"/>'  # answer / reply due


def _summary(items: list[TimelineItem], t: Translator, language: str) -> str:
    dated = [item for item in items if item.kind != "today"]
    first, last = items[0].day, items[-1].day
    broken = sum(1 for item in dated if item.state == "broken")
    text = t(
        "timeline.summary",
        count=len(dated),
        first=long_date(first, language),
        last=long_date(last, language),
    )
    return text + (t("timeline.summary_broken", count=broken) if broken else "")


def _row(item: TimelineItem, y: float, t: Translator, language: str) -> tuple[float, str, float]:
    """One item drawn from ``y`` down: (the y of its marker, its <g>, the y where the next may start)."""
    colour = COLOURS[item.state or item.kind]
    head = long_date(item.day, language)
    label_lines = _lines(neutralise_bidi(item.label), LINE_EM, 3)  # measured as it will be drawn
    detail_lines = (
        _lines(neutralise_bidi(item.detail), LINE_EM * FONT / SMALL, 2) if item.detail else []
    )
    text_y = y + FONT
    texts = [
        f'<text x="{TEXT_X}" y="{text_y:.0f}" font-size="{FONT}" font-weight="bold" fill="{INK}">{escape(head)}</text>'
    ]
    weight = ' font-weight="bold"' if item.state == "broken" or item.kind == "today" else ""
    for line in label_lines:
        text_y += LINE
        texts.append(
            f'<text x="{TEXT_X}" y="{text_y:.0f}" font-size="{FONT}"{weight} fill="{colour}">{escape(line)}</text>'
        )
    for line in detail_lines:
        text_y += LINE - 1
        texts.append(
            f'<text x="{TEXT_X}" y="{text_y:.0f}" font-size="{SMALL}" fill="{MUTED}">{escape(line)}</text>'
        )
    whole = t("common.colon").join((head, item.label)) + (
        f" · {item.detail}" if item.detail else ""
    )
    marker_y = round(y + FONT * 0.65)
    kind = f"{item.kind}-{item.state}" if item.state else item.kind
    group = f'<g class="wb-timeline-{kind}"><title>{escape(whole)}</title>{_marker(item, marker_y, colour)}{"".join(texts)}</g>'
    return marker_y, group, text_y + ROW_GAP


NAMED = 'role="img" aria-labelledby="wb-timeline-title wb-timeline-desc"'
HIDDEN = 'aria-hidden="true"'


def _picture(
    items: list[TimelineItem],
    today: date,
    t: Translator,
    language: str,
    name: tuple[str, str] | None,
    last: bool = True,
) -> str:
    """One SVG of ``items``. ``name``: its title and summary; None for a continuation, hidden from
    screen readers (the first picture and the text list speak for the whole timeline), whose line
    starts at its top edge. ``last``: False when another picture follows (the line runs on to
    the bottom edge)."""
    rows, y, previous = [], 8.0, None
    for item in items:
        if previous is not None:
            y += min(
                (item.day - previous).days, MAX_GAP
            )  # a long wait looks long: one px a day, at most MAX_GAP
        previous = item.day
        marker_y, group, y = _row(item, y, t, language)
        rows.append((marker_y, item, group))
    first_y, last_y = (rows[0][0] if name else 0), (rows[-1][0] if last else round(y))
    # the past is a solid line, what is still to come a dashed one
    today_y = next(
        (row_y for row_y, item, _g in rows if item.kind == "today"),
        first_y if items[0].day > today else last_y,
    )
    parts = [
        f'<svg {NAMED if name else HIDDEN} viewBox="0 0 {WIDTH} {round(y)}" width="100%" style="max-width:{MAX_WIDTH}px" font-family="inherit">',
        f'<title id="wb-timeline-title">{escape(name[0])}</title><desc id="wb-timeline-desc">{escape(name[1])}</desc>'
        if name
        else "",
        f'<line x1="{AXIS_X}" y1="{first_y}" x2="{AXIS_X}" y2="{today_y}" stroke="{INK}" stroke-width="2"/>'
        if today_y > first_y
        else "",
        f'<line x1="{AXIS_X}" y1="{today_y}" x2="{AXIS_X}" y2="{last_y}" stroke="{INK}" stroke-width="2" stroke-dasharray="5 4"/>'
        if last_y > today_y
        else "",
    ]
    parts.extend(group for _y, _item, group in rows)
    return "".join(parts) + "</svg>"


def timeline_html(case: Case, today: date, rows_per_picture: int | None = None) -> str:
    """The timeline as a <figure>: the SVG picture and, beside it, the same as a text list.

    ``rows_per_picture``: for print, cut the picture into several of at most this many items,
    since a browser does not split one picture across pages (it would cut it off)."""
    t, language = Translator(case.language), case.language
    items = timeline_items(case, today)
    title = t("timeline.title")
    size = rows_per_picture or len(items)
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    name = (title, _summary(items, t, language))
    pictures = [
        _picture(
            chunk, today, t, language, name if number == 0 else None, last=number == len(chunks) - 1
        )
        for number, chunk in enumerate(chunks)
    ]
    entries = []
    for item in items:
        detail = f" — {escape(item.detail)}" if item.detail else ""
        entries.append(
            f'<li><time datetime="{item.day.isoformat()}">{escape(long_date(item.day, language))}</time>{escape(t("common.colon"))}{escape(item.label)}{detail}</li>'
        )
    return (
        f'<figure class="wb-timeline"><figcaption>{escape(title)}</figcaption>{"".join(pictures)}'
        f'<ol class="wb-timeline-list" aria-label="{escape(t("timeline.list"))}">{"".join(entries)}</ol></figure>'
    )
