"""The case on a timeline in a real browser: the review step at phone and desktop size, and the
printable record opened as a page of its own and printed, with participant text that tries to run."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from complaint.model import Contact
from complaint.storage import CaseStore

from .conftest import DESKTOP, PHONE, jump_to_step
from .test_export import download
from .test_injection import IMG, QUOTE, SCRIPT, SVG, assert_clean
from .test_workbook_flow import assert_no_horizontal_scroll, open_workbook

pytestmark = pytest.mark.browser

TITLE = {"en": "Your case on a timeline", "zh": "案件时间线"}
BROKEN = {"en": "Promised for this day — not kept", "zh": "承诺这天前办好——没有兑现"}


def save_case_with_a_broken_promise(cases_dir, language: str):
    """A case saved as the workbook saves it: three contacts (a promise broken, one kept, one
    open), a complaint filed with the regulator, and payloads in every text the timeline shows."""
    today = date.today()
    case = CaseStore(cases_dir).new_case(language)
    case.problem, case.provider, case.event_date = (
        "funds_not_arriving",
        "wechat_pay",
        today - timedelta(days=27),
    )

    def on(days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), datetime.min.time()).replace(
            hour=hour
        )

    case.contacts = [
        Contact(
            when=on(26),
            channel="online_chat",
            agent=f"{SCRIPT} Wang \u202eevil",
            reference=QUOTE,
            promised=f"Refund within 5 days {IMG}",
            promised_by=today - timedelta(days=21),
            outcome="pending",
        ),
        Contact(
            when=on(19),
            channel="phone_hotline",
            agent=SVG,
            promised="unfreeze",
            promised_by=today - timedelta(days=17),
            outcome="resolved",
        ),
        Contact(
            when=on(4, 16),
            channel="phone_hotline",
            agent="李四",
            promised="回电话",
            promised_by=today + timedelta(days=4),
            outcome="pending",
        ),
    ]
    case.escalation.filed = {"regulator": today - timedelta(days=9)}
    CaseStore(cases_dir).save(case)
    return case


@pytest.mark.parametrize(
    "viewport, language",
    [(PHONE, "zh"), (PHONE, "en"), (DESKTOP, "en")],
    ids=["phone-zh", "phone-en", "desktop-en"],
)
def test_the_timeline_on_the_review_step_and_in_the_printable_record(
    viewport, language, new_page, voila_url, cases_dir, shoot, tmp_path
):
    case = save_case_with_a_broken_promise(cases_dir, language)
    name = f"{'phone' if viewport is PHONE else 'desktop'}-{language}-timeline"
    page = new_page(viewport)
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = []
    open_workbook(page, voila_url + f"?lang={language}&case={case.code}")
    jump_to_step(page, 9)
    picture = page.get_by_role("img", name=TITLE[language])
    expect(picture).to_be_visible()
    picture.scroll_into_view_if_needed()
    expect(page.locator(".wb-timeline svg")).to_contain_text(BROKEN[language])
    box = picture.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (
        box
    )  # nothing cut off at the side
    assert box["width"] >= min(320, viewport["width"] - 70), (
        box
    )  # drawn near its own size: 14 px text stays readable
    assert_no_horizontal_scroll(page)
    # every line of text inside the picture, none running past its right edge
    overflow = page.evaluate(
        """() => { const box = document.querySelector('.wb-timeline svg').getBoundingClientRect();
             return [...document.querySelectorAll('.wb-timeline svg text')].map(t => [t.textContent, t.getBoundingClientRect()])
               .filter(([_, r]) => r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5 || r.left < box.left); }"""
    )
    review = shoot(page, f"{name}-review")
    page.set_viewport_size(
        {"width": viewport["width"], "height": 2400}
    )  # the whole figure in one shot
    page.locator(".wb-timeline").screenshot(path=str(review.with_name(f"{name}-figure.png")))
    page.set_viewport_size(viewport)
    assert overflow == []
    listed = page.locator(".wb-timeline-list li")
    assert (
        listed.count() == page.locator(".wb-timeline svg > g").count() >= 10
    )  # the text equivalent, item for item
    expect(listed.first).to_contain_text(str(case.event_date.year))
    expect(page.locator(".wb-timeline")).to_contain_text(SCRIPT)  # shown as text...
    assert_clean(page)  # ...never run

    record = new_page(viewport)
    record.on("dialog", lambda dialog: (record.dialogs.append(dialog.message), dialog.dismiss()))
    record.dialogs = []
    record.goto(download(page, re.compile("Printable|打印"), tmp_path).as_uri())
    figure = record.get_by_role("img", name=TITLE[language])
    expect(figure).to_be_visible()
    expect(record.locator(".wb-timeline svg").first).to_contain_text(
        BROKEN[language]
    )  # the first of the printed pictures
    assert record.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_clean(record)
    shoot(record, f"{name}-printable")
    record.emulate_media(
        media="print"
    )  # no picture taller than an A4 page's 261 mm (a browser would cut it off)
    heights = record.evaluate(
        "[...document.querySelectorAll('.wb-timeline svg')].map(s => s.getBoundingClientRect().height)"
    )
    assert heights and max(heights) < 261 / 25.4 * 96, heights
    pdf = record.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
