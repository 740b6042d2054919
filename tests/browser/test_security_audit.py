"""The security self-audit in a real browser, and proof the password typed there goes nowhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from complaint.audit import load_security

from .conftest import PHONE, jump_to_step
from .test_workbook_flow import (
    assert_no_horizontal_scroll,
    open_workbook,
    start_new_case,
    wait_saved,
)

pytestmark = pytest.mark.browser

SECRET = "Lantern-Quokka-4429-Unmistakable"


def test_audit_end_to_end_with_score_actions_and_no_trace_of_the_password(
    new_page, voila_url, shoot, cases_dir, voila_log
):
    content = load_security()
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    jump_to_step(page, 6)
    expect(page.get_by_role("heading", name="Account security check")).to_be_visible()

    page.get_by_label("Password to check").fill(SECRET)
    page.get_by_role("button", name="Check strength").click()
    expect(page.locator(".wb-strength")).to_contain_text("Strength:")
    expect(page.locator(".wb-strength")).to_contain_text("the password was not saved")
    expect(page.get_by_label("Password to check")).to_have_value("")

    cards = page.locator(".wb-card")

    def answer(question_id: str, label: str) -> None:
        question = next(q for q in content.questions if q.id == question_id)
        cards.filter(has_text=question.label["en"]).get_by_text(label, exact=True).click()

    answer("two_factor", "SMS codes only")
    answer("unique_password", "No")
    answer("screen_lock", "Yes")
    example = next(e for e in content.phishing if e.id == "lookalike_domain")
    cards.filter(has_text=example.example["en"][:40]).get_by_role("button", name="Safe").click()
    expect(cards.filter(has_text=example.example["en"][:40])).to_contain_text("wrong")

    result = page.locator(".wb-audit-result")
    expect(result).to_contain_text(re.compile(r"Security score: \d+ / 100"))
    expect(result.locator("li").first).to_contain_text("Do now")
    expect(result).to_contain_text(content.actions["change_reused_password"].text["en"])
    expect(result).to_contain_text(content.actions["upgrade_from_sms"].text["en"])
    expect(result).to_contain_text(content.actions["practice_phishing"].text["en"])
    wait_saved(page)
    assert_no_horizontal_scroll(page)
    shoot(page, "phone-7-security")

    page.reload()  # the tab reopens its case by itself (tests/browser/test_continuity.py)
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=60_000)
    jump_to_step(page, 6)
    expect(page.locator(".wb-audit-result")).to_contain_text(
        content.actions["change_reused_password"].text["en"]
    )

    for path in [p for p in cases_dir.rglob("*") if p.is_file()] + [voila_log]:
        assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in page.content()


def test_the_audit_on_its_own(new_page, voila_url, cases_dir):
    before = sorted(p.name for p in cases_dir.glob("*.csv"))
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?module=security")
    expect(page.get_by_role("heading", name="账户安全自查")).to_be_visible()
    expect(page.locator(".wb-hint").first).to_contain_text("不会保存")
    page.locator(".wb-card").filter(has_text=load_security().questions[0].label["zh"]).get_by_text(
        "只有短信验证码", exact=True
    ).click()
    expect(page.locator(".wb-audit-result")).to_contain_text("安全得分：10 / 100")
    assert sorted(p.name for p in cases_dir.glob("*.csv")) == before
