"""Back and forth between steps that stay rendered in the page, hidden (wb-step-kept): a new user's
complaint walked with Next and Back, a file attached and a contact logged on a step left and come
back to, the review counting what changed elsewhere, and not one error in the browser's console."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP
from .test_evidence_contacts import RECEIPT, add_contact, attach_through_file_chooser
from .test_workbook_flow import open_workbook, start_new_case

pytestmark = pytest.mark.browser

ON_SCREEN = """() => {
  const shown = [...document.querySelectorAll('.wb-app .wb-step, .wb-app .wb-step-kept')]
    .filter(step => step.offsetParent !== null);
  const focused = document.activeElement;
  return {shown: shown.length, heading: shown.length === 1 && focused === shown[0].querySelector('.wb-step-title')};
}"""


def on_screen(page: Page, heading: str):
    """The one step on screen, once its heading has arrived and has the keyboard focus."""
    expect(page.locator(".wb-step .wb-step-title")).to_have_text(heading)
    expect(page.locator(".wb-step .wb-step-title")).to_be_focused()
    assert page.evaluate(ON_SCREEN) == {"shown": 1, "heading": True}
    return page.locator(".wb-step")


def next_step(page: Page, heading: str):
    page.get_by_role("button", name="Next →").click()
    return on_screen(page, heading)


def test_a_complaint_walked_back_and_forth(new_page, voila_url, shoot, tmp_path):
    receipt = tmp_path / RECEIPT
    receipt.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    chat = tmp_path / "chat.txt"
    chat.write_text("客服：账户冻结需要 7 个工作日审核。", encoding="utf-8")
    page = new_page(DESKTOP)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    open_workbook(page, voila_url + "?lang=en")
    start_new_case(page)
    page.get_by_text("Account locked", exact=True).click()

    next_step(page, "The facts of your case")
    page.get_by_label("Provider", exact=True).select_option(label="Alipay (支付宝)")
    page.get_by_label("Date it happened").fill("2026-11-20")
    page.get_by_label("Amount involved").fill("3200")
    page.get_by_label("What happened (in your own words)").fill(
        "支付宝账户被冻结，余额 3,200 元无法提现. Frozen since 20 Nov."
    )
    goal = next_step(page, "What outcome do you want?")
    goal.get_by_role("radio").first.check()

    evidence = next_step(page, "Evidence checklist")
    record = evidence.locator(".wb-card").filter(has_text="Transaction record / bill screenshot")
    attach_through_file_chooser(page, record, receipt)
    expect(record.locator(".wb-file")).to_contain_text(RECEIPT)

    contacts = next_step(page, "Channels and contact log")
    expect(page.locator(".wb-step-notice")).to_contain_text("Step 4, Evidence, still needs")
    add_contact(page, "2026-11-21T10:00", "Online chat", "Staff 1234")

    page.get_by_role("button", name="← Back").click()  # the evidence step, as it was left
    evidence = on_screen(page, "Evidence checklist")
    expect(page.locator(".wb-step-notice")).to_be_hidden()
    expect(record.locator(".wb-file")).to_contain_text(RECEIPT)
    chats = evidence.locator(".wb-card").filter(has_text="Chats or e-mails with customer service")
    attach_through_file_chooser(page, chats, chat)
    expect(chats.locator(".wb-file")).to_contain_text("chat.txt")

    contacts = next_step(page, "Channels and contact log")  # its guide redrawn: a channel tried
    expect(contacts.locator(".wb-guide")).to_contain_text("✓ 1. Official website")
    add_contact(page, "2026-11-23T15:30", "Phone hotline", "Staff 5678")
    expect(contacts.locator(".wb-contact")).to_have_count(2)

    page.locator(".wb-steps").get_by_role("button", name=re.compile(r"^(✓ |… )?9 ")).click()
    review = on_screen(page, "Review and export")
    expect(review).to_contain_text("Contact log: 2")
    expect(review).to_contain_text("Evidence: 2 of 7 items ready")
    shoot(page, "kept-steps-review")
    assert console_errors == []
