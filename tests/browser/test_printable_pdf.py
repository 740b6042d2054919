"""The printable record as it comes out of a printer: Chromium prints it to an A4 PDF (what "Save
as PDF" and a printer get), poppler reads it back (pdftotext, pdftoppm), and the pages are checked
as a person holding them would: a footer with the case id, the date and "page 2 of 5" on every
page, no section heading left alone at the foot of a page, no page left half empty before the
last, and margins on a phone screen. The page images land in artifacts/printable/ to look at."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import pytest
from PIL import Image

from complaint.i18n import Translator
from complaint.model import Case, Contact
from complaint.printable import printable_html
from complaint.scenarios import fill_case

from .conftest import PHONE, ROOT

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 25)
PAGES = ROOT / "artifacts" / "printable"
SECTIONS = (
    "printable.facts",
    "printable.evidence",
    "printable.contacts",
    "printable.audit",
    "printable.escalation",
    "printable.statement",
    "timeline.title",
)


def long_case(language: str) -> Case:
    """A practice case with a long contact log: a record of several pages."""
    case = fill_case(Case(language=language), "refund-week-no-answer", TODAY)
    for n in range(6):
        case.contacts.append(
            Contact(when=datetime(2026, 11, 10 + n, 9, 0), channel="phone_hotline", agent=f"Agent {n}", reference=f"T{n:05}",
                    asked="Please refund the order. " * 4, offered="Please wait. " * 5, outcome="pending")
        )  # fmt: skip
    return case


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_printed_record_has_footers_keeps_headings_with_their_text_and_fills_its_pages(
    browser, language, tmp_path
):
    case = long_case(language)
    t = Translator(language)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(printable_html(case, TODAY))
        pdf = tmp_path / "record.pdf"
        pdf.write_bytes(page.pdf(format="A4"))
    finally:
        context.close()
    count = int(
        next(
            line.split()[-1]
            for line in run("pdfinfo", str(pdf)).splitlines()
            if line.startswith("Pages:")
        )
    )
    assert count >= 3, "the long case fills several pages"
    made_on = t("printable.footer", case_id=case.case_id, date="").rstrip(" ·")
    headings = {t(key) for key in SECTIONS}
    for number in range(1, count + 1):
        text = run("pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        footer = lines[-1]
        assert made_on in footer and t("printable.page", page=number, pages=count) in footer, footer
        assert lines[-2] not in headings, f"page {number} ends with the heading {lines[-2]!r}"
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob(
        f"record-{language}-[0-9]*.png"
    ):  # a longer record's pages from an earlier run
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(PAGES / f"record-{language}")], check=True
    )
    images = sorted(PAGES.glob(f"record-{language}-[0-9]*.png"))
    assert len(images) == count
    for number, path in enumerate(images[:-1], start=1):
        picture = Image.open(path).convert("L")
        width, height = picture.size
        body_end = int(
            height * (1 - 20 / 297)
        )  # above the 20 mm bottom margin, where the footer is
        inked = [
            y for y in range(body_end) if picture.crop((0, y, width, y + 1)).getextrema()[0] < 200
        ]
        body_start = int(height * 18 / 297)
        filled = (max(inked) - body_start) / (body_end - body_start)
        assert filled > 0.7, f"page {number} of {count} is only {filled:.0%} full"


def test_the_record_keeps_margins_on_a_phone_screen(browser):
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.set_content(printable_html(long_case("zh"), TODAY))
        left = page.evaluate("document.querySelector('h1').getBoundingClientRect().left")
        right = page.evaluate(
            "PHONE => PHONE - document.querySelector('table').getBoundingClientRect().right",
            PHONE["width"],
        )
        assert left >= 12 and right >= 12, (left, right)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        PAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(PAGES / "record-zh-phone.png"))
    finally:
        context.close()
