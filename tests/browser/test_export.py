"""A whole case, start to export, in a real browser: download the case sheet and open it with
pandas; download the printable record, open it in the browser and print it to A4."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from complaint.sheet import FORMAT_VERSION, read_sheet

from .conftest import DESKTOP
from .test_evidence_contacts import add_contact, card
from .test_workbook_flow import open_workbook, start_new_case, wait_saved

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def download(page, link_text: str, folder):
    with page.expect_download() as info:
        page.locator(".wb-downloads").get_by_role("link", name=link_text).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_start_to_export(new_page, voila_url, shoot, tmp_path):
    page = new_page(DESKTOP)
    open_workbook(page, voila_url + "?lang=en")
    start_new_case(page)
    page.get_by_text("Money has not arrived", exact=True).click()
    page.get_by_role("button", name="Next →").click()
    page.get_by_label("Provider", exact=True).select_option(label="WeChat Pay (微信支付)")
    page.get_by_label("Date it happened").fill("2026-11-18")
    page.get_by_label("Amount involved").fill("=1+1")  # refused: not a number
    expect(page.get_by_role("alert")).to_contain_text("Type the amount as a number")
    page.get_by_label("Amount involved").fill("520")
    page.get_by_label("Transaction / order number").fill("4200001234202611181234567890")
    page.get_by_label("What happened (in your own words)").fill(
        f"Paid a shop 520; it never arrived. {HOSTILE}"
    )
    page.get_by_role("button", name="Next →").click()
    page.get_by_text("A refund / get my money back", exact=True).click()
    page.get_by_role("button", name="Next →").click()
    card(page, "Transaction record / bill screenshot").get_by_role("button", name="Have it").click()
    page.get_by_role("button", name="Next →").click()
    add_contact(page, "2026-11-19T10:00", "Online chat", f"Agent {HOSTILE}", outcome="Refused")
    page.get_by_role("button", name="Next →").click()
    page.locator(".wb-card").filter(has_text="extra verification").first.get_by_text(
        "SMS codes only", exact=True
    ).click()
    page.get_by_role("button", name="Next →").click()

    expect(page.get_by_role("heading", name="Escalation plan")).to_be_visible()
    expect(page.locator(".wb-next")).to_contain_text("You may go now: People's Bank of China")
    page.get_by_label("Your name").fill("Test Person")
    wait_saved(page)
    shoot(page, "desktop-7-escalation")
    page.get_by_role("button", name="Next →").click()
    statement = page.get_by_label("Statement for the company")
    expect(statement).to_have_value(re.compile("Money has not arrived"))
    statement.fill(statement.input_value() + "\nI can be reached by e-mail.")
    wait_saved(page)
    page.get_by_role("button", name="Next →").click()

    expect(page.get_by_role("heading", name="Review and export")).to_be_visible()
    expect(page.locator(".wb-review")).to_contain_text("✓ 1 What went wrong?")
    shoot(page, "desktop-9-review")
    sheet_path = download(page, "Case sheet (CSV)", tmp_path)
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    values = dict(zip(sheet["key"], sheet["value"], strict=True))
    assert (
        values["format_version"] == str(FORMAT_VERSION)
        and values["provider"] == "wechat_pay"
        and values["amount"] == "520"
    )
    assert (
        values["transaction_id"] == '="4200001234202611181234567890"'
    )  # opens as text in a spreadsheet
    assert read_sheet(sheet_path.read_bytes())["transaction_id"] == "4200001234202611181234567890"
    assert (
        dict(zip(sheet["key"], sheet["display"], strict=True))["transaction_id"]
        == "4200 0012 3420 2611 1812 3456 7890"
    )
    assert (
        values["contact.1.outcome"] == "refused" and values["escalation.your_name"] == "Test Person"
    )
    assert values["statement.company"].endswith("I can be reached by e-mail.")
    statement_path = download(page, "Statement for the company (.txt)", tmp_path)
    assert statement_path.read_text(encoding="utf-8-sig").endswith("I can be reached by e-mail.")

    printable_path = download(page, re.compile("Printable case record"), tmp_path)
    record = new_page(DESKTOP)
    record.goto(printable_path.as_uri())
    expect(record.get_by_role("heading", name="Complaint record")).to_be_visible()
    expect(record.locator("body")).to_contain_text("Money has not arrived")
    expect(record.locator("body")).to_contain_text(HOSTILE)  # shown as text...
    assert record.evaluate("window.__pwned") is None  # ...never run
    shoot(record, "desktop-10-printable")
    pdf = record.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert page.evaluate("window.__pwned") is None
