"""The start screen as a visitor meets it: every way in reachable, the less common ones built when
their button is clicked (fewer widget models for every visitor, docs/performance.md)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from complaint.i18n import Translator

from .conftest import DESKTOP, PHONE
from .test_workbook_flow import assert_no_horizontal_scroll, open_workbook

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_start_screen_opens_the_sheet_upload_and_the_practice_cases_in_place(
    new_page, voila_url, shoot, viewport, name
):
    t = Translator("zh")
    page = new_page(viewport)
    open_workbook(page, voila_url)
    start = page.locator(".wb-start")
    expect(start.get_by_role("button", name=t("start.new"))).to_be_visible()
    expect(page.get_by_label(t("start.code_label"), exact=True)).to_be_visible()
    shoot(page, f"{name}-start-screen")
    start.get_by_role("button", name=t("start.sheet_title")).click()
    upload = start.locator(".wb-upload").get_by_role("button", name=t("start.sheet_upload"))
    expect(upload).to_be_focused()  # keyboard and screen-reader users land on what they opened
    expect(start.locator(".wb-upload-limit")).to_contain_text(t("start.sheet_hint")[:12])
    expect(start.get_by_role("button", name=t("start.sheet_title"))).to_have_count(0)
    start.get_by_role("button", name=t("practice.title")).click()
    chooser = page.get_by_label(t("practice.choose"), exact=True)
    expect(chooser).to_be_focused()
    expect(start.get_by_role("heading", name=t("practice.title"))).to_be_visible()
    expect(start.get_by_role("button", name=t("practice.start"))).to_be_visible()
    assert_no_horizontal_scroll(page)
    shoot(page, f"{name}-start-screen-opened")
