"""Evidence and contacts in a real browser: a real file through the file chooser, a file too
large for the websocket refused by the page, two contacts, then reload, resume, all back."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, jump_to_step
from .test_workbook_flow import (
    assert_no_horizontal_scroll,
    open_workbook,
    start_new_case,
    wait_saved,
)

pytestmark = pytest.mark.browser

RECEIPT = "转账回单 receipt.png"


def card(page: Page, title: str):
    return page.locator(".wb-card").filter(has=page.get_by_text(title, exact=True))


def attach_through_file_chooser(page: Page, item, path) -> None:
    with page.expect_file_chooser() as chooser:
        item.get_by_role("button", name=re.compile("Attach a file")).click()
    chooser.value.set_files(str(path))


def add_contact(
    page: Page, when: str, channel: str, agent: str, promised_by: str = "", outcome: str = ""
) -> None:
    page.get_by_role("button", name="Add a contact").click()
    form = page.locator(".wb-contact-form")
    form.get_by_label("When").fill(when)
    form.get_by_label("Channel").select_option(label=channel)
    form.get_by_label("Agent's name or ID").fill(agent)
    if promised_by:
        form.get_by_label("Promised by (date)").fill(promised_by)
    if outcome:
        form.get_by_label("Outcome").select_option(label=outcome)
    form.get_by_role("button", name="Save this entry").click()
    expect(form).to_be_hidden()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_attach_files_log_contacts_reload_resume(
    new_page, voila_url, shoot, cases_dir, tmp_path, viewport
):
    prefix = "desktop" if viewport is DESKTOP else "phone"
    receipt = tmp_path / RECEIPT
    receipt.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    chat = tmp_path / "chat.txt"
    chat.write_text("客服：请耐心等待。", encoding="utf-8")
    huge = tmp_path / "huge.png"
    huge.write_bytes(
        b"\0" * (12 * 1024 * 1024)
    )  # over the websocket's 10 MiB: only the page can say no

    page = new_page(viewport)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    page.get_by_text("Money has not arrived", exact=True).click()
    jump_to_step(page, 4)
    expect(page.get_by_role("heading", name="Evidence checklist")).to_be_visible()

    record = card(page, "Transaction record / bill screenshot")
    attach_through_file_chooser(page, record, receipt)
    expect(record.locator(".wb-file")).to_contain_text(RECEIPT)
    expect(record.locator(".wb-file")).to_contain_text(
        hashlib.sha256(receipt.read_bytes()).hexdigest()[:12]
    )
    expect(record.get_by_role("button", name="Have it")).to_have_class(re.compile("mod-active"))

    chats = card(page, "Chats or e-mails with customer service")
    chats.get_by_text("Keep a copy of the file on this server").click()
    attach_through_file_chooser(page, chats, chat)
    expect(chats.locator(".wb-file")).to_contain_text("copy kept")

    losses = card(page, "Proof of your loss")
    attach_through_file_chooser(page, losses, huge)
    expect(losses.get_by_role("alert")).to_contain_text("at most 8 MB")
    expect(losses.locator(".wb-file")).to_have_count(0)
    attach_through_file_chooser(page, losses, chat)  # the connection is intact: the next file works
    expect(losses.locator(".wb-file")).to_contain_text("chat.txt")
    expect(losses.get_by_role("alert")).to_have_count(0)
    card(page, "Transfer receipt").get_by_role("button", name="Still need it").click()
    card(page, "A timeline of what happened").get_by_role("button", name="Not applicable").click()
    expect(page.locator(".wb-meter-text")).to_contain_text("3 of 6 items ready")
    wait_saved(page)
    assert_no_horizontal_scroll(page)
    shoot(page, f"{prefix}-5-evidence")

    jump_to_step(page, 5)
    expect(page.locator(".wb-guide")).to_contain_text("1. Official website / in-app online service")
    expect(page.locator(".wb-channel").first).to_contain_text("Have ready")
    add_contact(
        page,
        "2026-11-22T15:00",
        "Phone hotline",
        "Staff 8823",
        promised_by="2026-11-24",
        outcome="Waiting for an answer",
    )
    add_contact(page, "2026-11-20T09:30", "Online chat", "=Agent Li")
    entries = page.locator(".wb-contact")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("2026-11-20 09:30")
    expect(entries.nth(1)).to_contain_text("overdue")
    wait_saved(page)
    assert_no_horizontal_scroll(page)
    shoot(page, f"{prefix}-6-contacts")

    page.reload()  # the tab reopens its case by itself (tests/browser/test_continuity.py)
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=60_000)
    expect(page.locator(".wb-code-value")).to_have_text(code)
    jump_to_step(page, 4)
    expect(card(page, "Transaction record / bill screenshot").locator(".wb-file")).to_contain_text(
        RECEIPT
    )
    expect(
        card(page, "Transfer receipt").get_by_role("button", name="Still need it")
    ).to_have_class(re.compile("mod-active"))
    expect(page.locator(".wb-meter-text")).to_contain_text("3 of 6 items ready")
    jump_to_step(page, 5)
    expect(page.locator(".wb-contact")).to_have_count(2)
    expect(page.locator(".wb-contact").nth(0)).to_contain_text("=Agent Li")
    expect(page.locator(".wb-contact").nth(1)).to_contain_text("Staff 8823")

    case_id = next(
        p
        for p in cases_dir.glob("*.csv")
        if hashlib.sha256(receipt.read_bytes()).hexdigest().encode() in p.read_bytes()
    ).stem
    kept = list((cases_dir / f"{case_id}.files").iterdir())
    assert [p.read_bytes() for p in kept] == [chat.read_bytes()], (
        "only the file the user asked to keep is stored"
    )


def test_the_attach_button_holds_its_title_with_room_around_it_on_a_phone(new_page, voila_url):
    """Its font size is 0 (the title is drawn after it): padding in em was none at all, and
    "Attach a file" touched the button's edges."""
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?lang=en")
    start_new_case(page)
    jump_to_step(page, 4)
    button = page.locator(".wb-step .widget-upload").first
    expect(button).to_be_visible()
    room = button.evaluate(
        "b => { const s = getComputedStyle(b); const text = document.createElement('span');"
        " text.style.font = getComputedStyle(b, '::after').font; text.textContent = b.title;"
        " document.body.append(text); const width = text.getBoundingClientRect().width; text.remove();"
        " return {padding: parseFloat(s.paddingLeft), spare: b.clientWidth - width}; }"
    )
    assert room["padding"] >= 8 and room["spare"] >= 16, room
