"""The workbook as a person uses it: real voila server, real kernel, headless Chromium.

Flow: start a new case in English, fill the three steps, save, reload the page, resume with
the code and find every value back; the default language is Chinese; the same flow at phone
size (390×844) without horizontal scrolling. Screenshots land in artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, jump_to_step

pytestmark = pytest.mark.browser

ANSWERS = {
    "problem": "Money has not arrived",
    "provider": "Alipay (支付宝)",
    "date": "2026-11-20",
    "amount": "1280.50",
    "transaction": "=2026112012345",  # formula-looking on purpose
    "account": "6222 0212 3456 7890",
    "description": "Transferred 1280.50 to my landlord on 20 Nov; the app says success, he has nothing.\n房东说没收到。",
    "goal": "A refund / get my money back",
    "details": "Refund to the original account within 7 days",
}


def open_workbook(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".wb-app")).to_be_visible(timeout=60_000)


def start_new_case(page: Page) -> str:
    page.get_by_role("button", name="Start a new complaint").click()
    code = page.locator(".wb-code-value")
    expect(code).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
    expect(page.locator(".wb-status")).to_contain_text("Saved")
    return code.inner_text()


def wait_saved(page: Page) -> None:
    expect(page.locator(".wb-status")).to_contain_text("Saved", timeout=10_000)


def fill_case(page: Page, shoot, prefix: str) -> None:
    page.get_by_text(ANSWERS["problem"], exact=True).click()
    expect(page.locator(".wb-advice")).to_contain_text("re-check the recipient")
    shoot(page, f"{prefix}-1-problem")
    page.get_by_role("button", name="Next →").click()

    expect(page.get_by_role("heading", name="The facts of your case")).to_be_visible()
    page.get_by_label("Provider", exact=True).select_option(label=ANSWERS["provider"])
    page.get_by_label("Date it happened").fill(ANSWERS["date"])
    page.get_by_label("Amount involved").fill(ANSWERS["amount"])
    page.get_by_label("Transaction / order number").fill(ANSWERS["transaction"])
    account = page.get_by_label(re.compile("^Account identifier"))
    account.fill(ANSWERS["account"])
    account.press("Tab")  # leaving the field masks it
    expect(account).to_have_value("••••7890")
    page.get_by_label("What happened (in your own words)").fill(ANSWERS["description"])
    wait_saved(page)
    shoot(page, f"{prefix}-2-facts")
    page.get_by_role("button", name="Save").click()
    wait_saved(page)
    page.get_by_role("button", name="Next →").click()

    expect(page.get_by_role("heading", name="What outcome do you want?")).to_be_visible()
    expect(page.locator(".wb-hint")).to_contain_text("A refund / get my money back")
    page.get_by_text(ANSWERS["goal"], exact=True).click()
    page.get_by_label("Precise demand (optional)").fill(ANSWERS["details"])
    # No Save click for the last field: autosave (debounced) must catch it.
    expect(page.locator(".wb-status")).to_contain_text("Unsaved")
    wait_saved(page)
    shoot(page, f"{prefix}-3-goal")


def resume_and_check(page: Page, url: str, code: str, shoot, prefix: str) -> None:
    # In a new tab, which knows no case: this tab's reload would reopen it by itself
    # (test_continuity.py), and clearing its storage first races the page's own script.
    page = page.context.new_page()
    page.goto(url)
    expect(page.get_by_role("button", name="Start a new complaint")).to_be_visible(timeout=60_000)
    page.get_by_label("Resume code").fill(code.lower().replace("-", " "))
    page.get_by_label("Resume code").press("Enter")
    expect(page.locator(".wb-code-value")).to_have_text(code)
    expect(page.get_by_label(ANSWERS["problem"], exact=True)).to_be_checked()
    expect(page.locator(".wb-steps")).to_contain_text("✓ 1 Problem")
    expect(page.locator(".wb-steps")).to_contain_text("✓ 2 Facts")
    expect(page.locator(".wb-steps")).to_contain_text("✓ 3 Goal")
    jump_to_step(page, 2)
    provider = page.get_by_label("Provider", exact=True)
    expect(provider.locator("option:checked")).to_have_text(ANSWERS["provider"])
    expect(page.get_by_label("Date it happened")).to_have_value(ANSWERS["date"])
    expect(page.get_by_label("Amount involved")).to_have_value(ANSWERS["amount"])
    expect(page.get_by_label("Transaction / order number")).to_have_value(ANSWERS["transaction"])
    expect(page.get_by_label(re.compile("^Account identifier"))).to_have_value("••••7890")
    expect(page.get_by_label("What happened (in your own words)")).to_have_value(
        ANSWERS["description"]
    )
    jump_to_step(page, 3)
    expect(page.get_by_label(ANSWERS["goal"], exact=True)).to_be_checked()
    expect(page.get_by_label("Precise demand (optional)")).to_have_value(ANSWERS["details"])
    shoot(page, f"{prefix}-4-resumed")


def assert_no_horizontal_scroll(page: Page) -> None:
    """Neither the document nor Voilà's scrolling container (#rendered_cells) is wider than the screen."""
    widths = page.evaluate(
        "[document.documentElement, document.getElementById('rendered_cells')].map(e => [e.scrollWidth, e.clientWidth])"
    )
    for scroll_width, client_width in widths:
        assert scroll_width <= client_width, (
            f"content is {scroll_width}px wide in a {client_width}px box"
        )


@pytest.mark.parametrize(
    "viewport, prefix", [(DESKTOP, "desktop"), (PHONE, "phone")], ids=["desktop", "phone"]
)
def test_new_case_fill_save_reload_resume(new_page, voila_url, shoot, viewport, prefix, cases_dir):
    page = new_page(viewport)
    open_workbook(page, voila_url + "?lang=en")
    shoot(page, f"{prefix}-0-start")
    code = start_new_case(page)
    fill_case(page, shoot, prefix)
    if viewport is PHONE:
        for step in (1, 2, 3):
            jump_to_step(page, step)
            assert_no_horizontal_scroll(page)
    resume_and_check(page, voila_url + "?lang=en", code, shoot, prefix)
    if viewport is PHONE:
        assert_no_horizontal_scroll(page)
    sheets = list(cases_dir.glob("*.csv"))
    assert sheets and all(
        b"6222 0212 3456 7890" not in s.read_bytes() and b"62220212" not in s.read_bytes()
        for s in sheets
    )


def test_default_language_is_chinese_and_the_switch_gives_english(new_page, voila_url, shoot):
    page = new_page(PHONE)
    open_workbook(page, voila_url)
    expect(page.get_by_role("heading", name="数字钱包投诉助手")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("button", name="开始新的投诉")).to_be_visible()
    shoot(page, "phone-zh-start")
    page.get_by_role("button", name="开始新的投诉").click()
    expect(page.locator(".wb-code")).to_contain_text("你的恢复码")
    page.get_by_text("账户被锁定", exact=True).click()
    expect(page.locator(".wb-advice")).to_contain_text("身份证明文件")
    shoot(page, "phone-zh-problem")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="What went wrong?")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Account locked", exact=True)).to_be_checked()
    assert_no_horizontal_scroll(page)


def test_keyboard_reaches_the_controls(new_page, voila_url):
    page = new_page(DESKTOP)
    open_workbook(page, voila_url + "?lang=en")
    start_new_case(page)
    page.get_by_role("button", name="Next →").click()
    expect(
        page.get_by_role("heading", name="The facts of your case")
    ).to_be_focused()  # moving to a step focuses its heading
    page.keyboard.press("Tab")
    expect(
        page.get_by_label("Provider", exact=True)
    ).to_be_focused()  # and one Tab its first control
    page.keyboard.press("Tab")
    reached = set()
    for _ in range(12):
        reached.add(
            page.evaluate(
                "document.activeElement && (document.activeElement.labels && document.activeElement.labels[0] ? document.activeElement.labels[0].innerText : document.activeElement.innerText)"
            )
        )
        page.keyboard.press("Tab")
    for label in (
        "Date it happened",
        "Amount involved",
        "Transaction / order number",
        "What happened (in your own words)",
    ):
        assert label in reached, reached


def test_bad_input_gets_a_clear_message_in_the_users_language(new_page, voila_url, shoot):
    page = new_page(PHONE)
    open_workbook(page, voila_url)
    page.get_by_role("button", name="开始新的投诉").click()
    page.get_by_role("button", name="下一步 →").click()
    # Next on an empty step moves on, and says what that step still needs
    expect(page.get_by_role("status").filter(has_text="还缺")).to_contain_text(
        "第 1 步「问题」还缺：问题类型"
    )
    expect(page.get_by_role("heading", name="事情经过")).to_be_visible()
    shoot(page, "phone-zh-next-on-empty-step")
    page.get_by_label("涉及金额").fill("-5")
    expect(page.get_by_role("alert")).to_contain_text("金额不能是负数")
    page.get_by_label("涉及金额").fill("abc")
    expect(page.get_by_role("alert")).to_contain_text("请输入数字金额")
    page.get_by_label("涉及金额").fill("200")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_label("恢复码", exact=True).count()  # not on this screen: no error either
    expect(page.locator(".jp-OutputArea-output pre")).to_have_count(
        0
    )  # no traceback output anywhere


def test_a_resume_link_opens_the_case_and_leaves_no_code_in_the_address_bar(new_page, voila_url):
    page = new_page(DESKTOP)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    page.get_by_text("Account locked", exact=True).click()
    wait_saved(page)
    other = new_page(PHONE)
    open_workbook(other, voila_url + f"?lang=en&case={code}")
    expect(other.locator(".wb-code-value")).to_have_text(code)
    expect(other.get_by_label("Account locked", exact=True)).to_be_checked()
    assert "case=" not in other.url and "lang=en" in other.url


def test_unknown_code_via_the_button(new_page, voila_url):
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?lang=en")
    page.get_by_label("Resume code").fill("0000-0000-0000-0000")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("No complaint has this resume code")
