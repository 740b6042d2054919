"""The case on a timeline: which dates, in which order and state, drawn escaped in both languages."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from xml.etree import ElementTree

import pytest

from complaint.escalation import plan
from complaint.model import Case, Contact
from complaint.presentation import long_date
from complaint.printable import TIMELINE_ROWS_PER_PAGE, printable_html
from complaint.statement import compose, reply_by
from complaint.timeline import (
    COLOURS,
    FONT,
    INK,
    LINE_EM,
    MUTED,
    SMALL,
    _lines,
    _width,
    timeline_html,
    timeline_items,
)

TODAY = date(2026, 11, 29)
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
RTL = "Wang \u202eevil\u202c"


def broken_promise_case(language: str = "en") -> Case:
    """Money not arrived; a promise broken, one kept, one still open; the PBoC complaint filed."""
    case = Case(language=language)
    case.problem, case.provider, case.event_date = "funds_not_arriving", "alipay", date(2026, 11, 2)
    case.contacts = [  # out of order on purpose: the timeline sorts them
        Contact(
            when=datetime(2026, 11, 25, 16, 0),
            channel="phone_hotline",
            agent="Zhao",
            promised="call back",
            promised_by=date(2026, 12, 3),
            outcome="pending",
        ),
        Contact(
            when=datetime(2026, 11, 3, 10, 0),
            channel="online_chat",
            agent=f"{SCRIPT} {RTL}",
            reference=ATTRIBUTE,
            promised=f"Refund within 5 days {ATTRIBUTE}",
            promised_by=date(2026, 11, 8),
            outcome="pending",
        ),
        Contact(
            when=datetime(2026, 11, 10, 9, 0),
            channel="phone_hotline",
            agent="Li",
            promised="unfreeze",
            promised_by=date(2026, 11, 12),
            outcome="resolved",
        ),
    ]
    case.escalation.filed = {"regulator": date(2026, 11, 20)}
    return case


def test_a_broken_promise_and_a_filed_regulator_complaint_in_order():
    case = broken_promise_case()
    items = timeline_items(case, TODAY)
    regulator = next(r for r in plan(case, TODAY).rungs if r.id == "regulator")
    assert [(i.day, i.kind, i.state) for i in items] == [
        (date(2026, 11, 2), "event", ""),
        (date(2026, 11, 3), "contact", ""),
        (
            date(2026, 11, 3),
            "route_opens",
            "",
        ),  # the company's complaints department, from the first contact
        (date(2026, 11, 8), "promise", "broken"),
        (date(2026, 11, 10), "contact", ""),
        (date(2026, 11, 12), "promise", "kept"),
        (date(2026, 11, 20), "filed", ""),  # the regulator: filed, so its opening day is not shown
        (date(2026, 11, 25), "contact", ""),
        (TODAY, "today", ""),
        (date(2026, 12, 3), "promise", "pending"),
        (regulator.answer_by, "answer_due", ""),
        (reply_by(case, TODAY), "reply_due", ""),
    ]
    assert regulator.answer_by == date(2026, 12, 5)  # 15 days from filing, as the plan counts them
    labels = {i.kind + i.state: i.label for i in items}
    assert labels["promisebroken"] == "Promised for this day — not kept"
    assert labels["filed"] == "Complaint filed: People's Bank of China (hotline 12363)"
    assert (
        "no earlier than this day" in labels["answer_due"]
    )  # the PBoC's clock runs from forwarding
    assert items[0].detail == "Money has not arrived"
    assert items[3].detail.endswith(
        f"Refund within 5 days {ATTRIBUTE}"
    )  # kept as typed: escaped when drawn


def test_the_reply_date_is_the_one_the_statement_asks_for():
    case = broken_promise_case()
    reply = next(i for i in timeline_items(case, TODAY) if i.kind == "reply_due")
    assert long_date(reply.day, "en") in compose(case, "company", "en", TODAY)


def test_without_contacts_the_regulator_opens_no_day_and_today_is_always_there():
    case = Case(language="en")
    kinds = [i.kind for i in timeline_items(case, TODAY)]
    assert kinds == ["today", "reply_due"]  # no event date, no contact: nothing else is invented


def test_an_unfiled_regulator_shows_the_day_it_opens_as_the_plan_says():
    case = broken_promise_case()
    case.escalation.filed = {}
    regulator = next(r for r in plan(case, TODAY).rungs if r.id == "regulator")
    opens = [i for i in timeline_items(case, TODAY) if i.kind == "route_opens"]
    assert [i.day for i in opens] == [date(2026, 11, 3), regulator.available_from]
    assert "People's Bank of China" in opens[1].label
    assert not any(i.kind in ("filed", "answer_due") for i in timeline_items(case, TODAY))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_picture_is_well_formed_escaped_and_has_no_bidi_controls(language):
    page = timeline_html(broken_promise_case(language), TODAY)
    for payload in (SCRIPT, ATTRIBUTE, "<img", "\u202e", "\u202c"):
        assert payload not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&quot;&gt;&lt;img" in page
    assert "\ufffd" in page  # the override shows as "something was here"
    figure = ElementTree.fromstring(
        page
    )  # well-formed: nothing broke out of an element or attribute
    svg = figure.find("svg")
    assert (
        svg.get("role") == "img"
        and svg.get("aria-labelledby") == "wb-timeline-title wb-timeline-desc"
    )
    ns = ""  # inline SVG in HTML: no namespace, nothing that names an outside address
    assert svg.find(f"{ns}title").text and svg.find(f"{ns}desc").text
    listed = figure.find("ol")
    assert len(listed) == len(timeline_items(broken_promise_case(language), TODAY))
    assert [li.find("time").get("datetime") for li in listed][:2] == ["2026-11-02", "2026-11-03"]
    # every item has its own shape (not colour alone) and a tooltip with its whole text
    groups = svg.findall(f"{ns}g")
    assert [g.get("class") for g in groups][3] == "wb-timeline-promise-broken"
    assert all(g.find(f"{ns}title") is not None for g in groups)
    broken = groups[3]
    assert (
        broken.find(f"{ns}path") is not None and broken.find(f"{ns}rect") is not None
    )  # the ✗ in its box


def test_dates_and_words_in_each_language():
    zh = timeline_html(broken_promise_case("zh"), TODAY)
    assert "2026年11月8日" in zh and "承诺这天前办好——没有兑现" in zh and "今天" in zh
    assert "其中1个承诺没有兑现" in zh  # the summary a screen reader hears first
    en = timeline_html(broken_promise_case("en"), TODAY)
    assert (
        "8 November 2026" in en
        and "1 promise was not kept" in en
        and "11 dates, from 2 November 2026 to 6 December 2026." in en
    )


def test_long_text_wraps_within_the_picture_and_is_cut_with_an_ellipsis():
    for text in ("word " * 60, "很长的承诺" * 30, "x" * 300):
        lines = _lines(text, LINE_EM, 2)
        assert len(lines) == 2 and lines[-1].endswith("…")
        assert all(sum(map(_width, line)) <= LINE_EM for line in lines)
    assert _lines("Li: call back", LINE_EM, 2) == ["Li: call back"]
    case = broken_promise_case()
    case.contacts[0].agent = "A" * 100
    page = timeline_html(case, TODAY)
    assert "A" * 100 in page  # whole in the tooltip and the list
    drawn = [html.unescape(t) for t in re.findall(r"<text [^>]*>([^<]*)</text>", page)]
    assert all(sum(map(_width, t)) <= LINE_EM * FONT / SMALL for t in drawn)


def test_the_printable_record_carries_the_timeline_for_print_and_the_trainer():
    case = broken_promise_case()
    page = printable_html(case, TODAY)
    assert page.count('<svg role="img"') == 1 and "Your case on a timeline" in page
    assert SCRIPT not in page and "\u202e" not in page
    assert page.index("Your case on a timeline") < page.index("Contact log")


def test_a_long_wait_looks_longer_than_a_short_one_but_stays_on_the_page():
    case = Case(language="en", event_date=TODAY - timedelta(days=700))
    height = int(re.search(r'viewBox="0 0 \d+ (\d+)"', timeline_html(case, TODAY)).group(1))
    assert height < 400  # a gap of two years takes at most a few lines, not two years of pixels


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_every_colour_of_text_has_at_least_4_5_to_1_contrast_on_white():
    for colour in {*COLOURS.values(), INK, MUTED}:
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, colour


def test_a_long_log_prints_as_pictures_short_enough_for_a_page_with_one_name():
    case = broken_promise_case()
    case.contacts = [
        Contact(
            when=datetime(2026, 11, 3 + n // 3, 9 + n % 3, 0),
            channel="online_chat",
            agent=f"Agent {n}",
        )
        for n in range(20)
    ]
    figure = ElementTree.fromstring(timeline_html(case, TODAY, rows_per_picture=8))
    pictures = figure.findall("svg")
    count = len(timeline_items(case, TODAY))
    assert (
        count == 26
        and len(pictures) == 4
        and sum(len(p.findall("g")) for p in pictures) == len(figure.find("ol")) == count
    )
    assert pictures[0].get("role") == "img" and all(
        p.get("aria-hidden") == "true" and p.get("role") is None for p in pictures[1:]
    )
    assert (
        max(int(p.get("viewBox").split()[3]) for p in pictures) < 900
    )  # an A4 page at 95 mm is about 980 px
    record = printable_html(case, TODAY)
    pieces = -(-count // TIMELINE_ROWS_PER_PAGE)  # short pieces in print: no half-empty pages
    assert record.count("<svg ") == pieces and record.count('role="img"') == 1


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_reply_due_date_names_the_statement_as_its_step_does(language):
    """The date a reply is due counts from sending the statement of step 8: the timeline calls
    it by that step's name (in Chinese 投诉书, not 申诉书, an appeal, which is another thing)."""
    from complaint.i18n import Translator

    t = Translator(language)
    assert t("step.statement.short").lower() in t("timeline.reply_due").lower()
