"""A trainer's practice link in a real browser: a fresh fictional case, marked as practice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from complaint.scenarios import scenarios

from .conftest import PHONE, jump_to_step
from .test_workbook_flow import assert_no_horizontal_scroll, open_workbook

pytestmark = pytest.mark.browser


def test_a_practice_link_opens_a_filled_in_case_marked_as_practice(new_page, voila_url, shoot):
    scenario = scenarios()["locked-after-new-phone"]
    page = new_page(PHONE)
    open_workbook(page, voila_url + f"?scenario={scenario.id}")
    expect(page.locator(".wb-practice")).to_contain_text("练习案例（虚构）")
    expect(page.locator(".wb-practice")).to_contain_text(scenario.title["zh"])
    expect(page.locator(".wb-code-value")).to_have_text(
        re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
    )
    expect(page.get_by_label("账户被锁定", exact=True)).to_be_checked()
    jump_to_step(page, 2)
    expect(page.get_by_label("发生了什么（用你自己的话）")).to_have_value(
        scenario.data["description"]["zh"]
    )
    assert_no_horizontal_scroll(page)
    shoot(page, "phone-practice")
