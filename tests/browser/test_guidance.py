"""Guidance in a real browser at phone size: the escalation plan's routes and sources, and the
copy button of every statement (the page's own script copies in the browser)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, jump_to_step
from .test_workbook_flow import assert_no_horizontal_scroll, open_workbook

pytestmark = pytest.mark.browser


def test_the_escalation_plan_shows_choices_and_how_sure_each_figure_is(new_page, voila_url, shoot):
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?scenario=wrong-account-rent-transfer")
    jump_to_step(page, 7)
    plan = page.locator(".wb-app")
    expect(plan).to_contain_text("公司之后：可以选择的途径")
    expect(plan).to_contain_text("途径2：中国人民银行（电话 12363）")
    expect(plan).to_contain_text("被投诉的持牌机构：支付宝（中国）网络技术有限公司")
    expect(plan).to_contain_text("据二手资料，条文待核，2026-11-29核对")
    expect(plan).to_contain_text("已对照条文原文核对，2026-11-29")
    expect(plan).not_to_contain_text("PRODUCT.md")
    assert_no_horizontal_scroll(page)
    shoot(page, "phone-escalation-routes")


def test_every_statement_has_a_copy_button_that_copies_its_text(new_page, voila_url, shoot):
    page = new_page(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_workbook(page, voila_url + "?scenario=wrong-account-rent-transfer")
    jump_to_step(page, 8)
    buttons = page.locator("button.wb-copy")
    expect(buttons).to_have_count(3)  # company, regulator, the 12315 form summary
    regulator = page.locator(".wb-copy-group").nth(1)
    regulator.locator("button.wb-copy").click()
    expect(regulator.locator(".wb-copy-status")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("致中国人民银行××分行：") and "附件：证据清单" in copied
    summary = page.locator(".wb-copy-group").nth(2)
    summary.locator("button.wb-copy").click()
    expect(summary.locator(".wb-copy-status")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()").startswith("投诉人姓名：")
    assert_no_horizontal_scroll(page)
    shoot(page, "phone-statement-copy")
