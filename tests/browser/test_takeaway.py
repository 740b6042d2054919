"""In a real browser at phone size: Add to calendar and Download everything (ZIP) on the review
step, then the bundle uploaded on the start screen brings the case and its kept file back."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from .conftest import PHONE, jump_to_step
from .test_evidence_contacts import add_contact, attach_through_file_chooser, card
from .test_sheet_resume import no_horizontal_scroll, upload_sheet
from .test_workbook_flow import open_workbook, start_new_case, wait_saved

pytestmark = pytest.mark.browser


def click_and_download(page: Page, button: str, link: re.Pattern, folder):
    page.get_by_role("button", name=button).click()
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_calendar_and_bundle_download_and_the_bundle_resumes_the_case_at_phone_size(
    new_page, voila_url, shoot, tmp_path
):
    chat = tmp_path / "聊天记录.txt"
    chat.write_text("客服：三个工作日内退款。", encoding="utf-8")
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    page.get_by_text("Money has not arrived", exact=True).click()
    jump_to_step(page, 4)
    chats = card(page, "Chats or e-mails with customer service")
    chats.get_by_text("Keep a copy of the file on this server").click()
    attach_through_file_chooser(page, chats, chat)
    expect(chats.locator(".wb-file")).to_contain_text("copy kept")
    jump_to_step(page, 5)
    add_contact(
        page,
        "2026-11-22T15:00",
        "Phone hotline",
        "Staff 8823",
        promised_by="2026-11-28",
        outcome="Waiting for an answer",
    )
    wait_saved(page)
    jump_to_step(page, 9)

    ics = click_and_download(
        page, "Add to calendar (.ics)", re.compile(r"Calendar file with \d+ reminders"), tmp_path
    )
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert ics.suffix == ".ics" and len(events) >= 2
    assert any(str(e["SUMMARY"]).startswith("Due today: what") for e in events)
    assert code not in ics.read_text(encoding="utf-8") and code.replace(
        "-", ""
    ) not in ics.read_text(encoding="utf-8")
    bundle = click_and_download(
        page, "Download everything (ZIP)", re.compile("Your case bundle"), tmp_path
    )
    archive = zipfile.ZipFile(io.BytesIO(bundle.read_bytes()))
    info = archive.getinfo("evidence/聊天记录.txt")
    assert info.flag_bits & 0x800 and archive.read(info) == chat.read_bytes()
    assert (
        "MANIFEST.txt" in archive.namelist()
        and "matches the fingerprint taken at upload"
        in archive.read("MANIFEST.txt").decode("utf-8")
    )
    no_horizontal_scroll(page)
    page.locator(".wb-takeaway").scroll_into_view_if_needed()
    shoot(page, "phone-review-calendar-bundle")

    other = new_page(PHONE)
    open_workbook(other, voila_url + "?lang=en")
    upload_sheet(other, bundle, "Upload case sheet (CSV) or bundle (ZIP)")
    expect(other.locator(".wb-imported")).to_contain_text(
        f"The case bundle “{bundle.name}” is back, with 1 kept evidence file"
    )
    new_code = other.locator(".wb-code-value").inner_text()
    assert new_code != code
    wait_saved(other)
    jump_to_step(other, 4)
    expect(
        card(other, "Chats or e-mails with customer service").locator(".wb-file")
    ).to_contain_text("copy kept")
    no_horizontal_scroll(other)
    shoot(other, "phone-bundle-resumed")
