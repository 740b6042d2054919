"""A phone user's first minutes (issue 15), at 390×844 in a real voila server and headless Chromium.

- After "Start a new complaint" the first step's heading is on screen, below the new resume code,
  and has keyboard focus; one Tab reaches the first problem (not twelve through step buttons).
- After every Next, Back and a jump from the step menu the new step's heading is at the top of the
  screen and has keyboard focus; with the code noted, the header above a step is one slim bar.
- The language switch puts ?lang= into the address without reloading, keeping the other
  parameters, and a reload keeps the language.
- The security summary says "not started" before any answer, and Enter in the password field runs
  the check (and empties the field).
- Downloads look like buttons and give the file's type and size; the channel guide fits the screen.
Screenshots of every step land in artifacts/screenshots/ (phone-step-*).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from complaint.i18n import Translator
from complaint.steps import step_ids

from .conftest import PHONE

pytestmark = pytest.mark.browser

HEADING_TOP_AREA = 120  # px from the top of the screen: the heading is the first thing seen


def heading_state(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const heading = document.querySelector('.wb-app .wb-step .wb-step-title');
            return {text: heading ? heading.textContent : null, top: heading ? heading.getBoundingClientRect().top : null,
                    focused: Boolean(heading) && document.activeElement === heading};
        }"""
    )


def expect_heading_on_top(page: Page, title: str) -> None:
    """The step titled ``title`` is shown, its heading focused and (once rendered) at the top."""
    heading = page.locator(".wb-step .wb-step-title")
    expect(heading).to_have_text(title)
    expect(heading).to_be_focused()
    state = {}
    for _ in range(
        40
    ):  # the step's content arrives piece by piece; the heading is kept on top meanwhile
        state = heading_state(page)
        if 0 <= state["top"] <= HEADING_TOP_AREA + notice_height(page):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)
    state = heading_state(page)
    # After Next from a step that still needs answers, the note saying what it needs comes to the
    # top with the new step: the heading follows right under it.
    assert state["focused"] and 0 <= state["top"] <= HEADING_TOP_AREA + notice_height(page), state


def notice_height(page: Page) -> float:
    return page.evaluate(
        "() => { const n = document.querySelector('.wb-app .wb-step-notice');"
        " return n && n.textContent.trim() ? n.getBoundingClientRect().height : 0; }"
    )


def start(page: Page, url: str, t: Translator) -> None:
    page.goto(url)
    expect(page.locator(".wb-app")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name=t("start.new")).click()
    expect(page.locator(".wb-code-value")).to_be_visible()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_step_starts_at_the_top_of_a_phone_screen_with_focus_on_its_heading(
    language, new_page, voila_url, shoot
):
    t = Translator(language)
    page = new_page(PHONE)
    start(page, voila_url + f"?lang={language}", t)
    # The new code is shown, and the first step's heading is on screen below it, focused.
    heading = page.locator(".wb-step .wb-step-title")
    expect(heading).to_have_text(t("step.problem.title"))
    expect(heading).to_be_focused()
    top = heading_state(page)["top"]
    assert 0 <= top <= PHONE["height"] - 60, top
    expect(page.locator(".wb-code-value")).to_be_in_viewport()
    shoot(page, f"phone-{language}-step-1-new-code")
    # One Tab from the heading reaches the first problem.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.activeElement.closest('.wb-choices') !== null && document.activeElement.type === 'radio'"
    )
    heading.focus()
    # Noted: the code and the downloads go behind one tap; the step list is one menu on a phone.
    page.get_by_role("button", name=t("case.code_noted")).click()
    expect(page.locator(".wb-case-panel")).to_be_hidden()
    toggle = page.get_by_role("button", name=t("case.panel_open"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".wb-steps")).to_be_hidden()
    expect(page.locator(".wb-step-menu select")).to_be_visible()
    page.wait_for_function(
        "() => { const top = document.querySelector('.wb-step .wb-step-title').getBoundingClientRect().top; return top >= 0 && top <= 260; }"
    )
    shoot(
        page, f"phone-{language}-step-1-code-noted"
    )  # with the code noted, the step starts near the top
    page.locator(
        ".wb-choices .widget-radio-box label"
    ).first.click()  # a problem: the later steps show their advice

    for number, step in enumerate(step_ids()[1:], start=2):
        page.locator(".wb-nav").get_by_role("button", name=t("nav.next")).click()
        expect_heading_on_top(page, t(f"step.{step}.title"))
        expect(page.locator(".wb-step-menu select")).to_have_value(
            re.compile(rf"^(✓ |… )?{number}\D")
        )
        if step == "contacts":  # the channel guide fits the screen: its right border is not cut off
            guide = page.locator(".widget-accordion").first
            expect(guide).to_be_visible()
            box = guide.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] - 8, box
        shoot(page, f"phone-{language}-step-{number}-{step}")

    # The downloads: buttons that say what they are and how big.
    csv = page.locator(".wb-downloads a.wb-download").first
    expect(csv).to_contain_text(re.compile(r"CSV · \d+ (B|KB)"))
    looks = csv.evaluate(
        "a => { const s = getComputedStyle(a), r = a.getBoundingClientRect();"
        " return {border: parseFloat(s.borderTopWidth), background: s.backgroundColor, height: r.height, underline: s.textDecorationLine}; }"
    )
    assert (
        looks["border"] >= 1
        and looks["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
        and looks["height"] >= 44
    ), looks
    assert looks["underline"] == "none", looks

    # Back, and a jump from the step menu, do the same.
    page.locator(".wb-nav").get_by_role("button", name=t("nav.back")).click()
    expect_heading_on_top(page, t("step.statement.title"))
    page.locator(".wb-step-menu select").select_option(index=2)
    expect_heading_on_top(page, t("step.goal.title"))
    # The panel opens again with the code, the downloads and the device controls.
    toggle.click()
    expect(page.locator(".wb-case-panel")).to_be_visible()
    expect(page.get_by_role("button", name=t("case.panel_close"))).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(page.locator(".wb-savebar a.wb-download")).to_contain_text(
        re.compile(r"CSV · \d+ (B|KB)")
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_language_switch_keeps_its_place_in_the_address_and_the_security_check_on_its_own(
    new_page, voila_url
):
    page = new_page(PHONE)
    page.goto(voila_url + "?module=security")
    expect(page.locator(".wb-app")).to_be_visible(timeout=60_000)
    zh, en = Translator("zh"), Translator("en")
    # Before any answer: "not started", no score.
    expect(page.locator(".wb-audit-summary")).to_have_text(zh("audit.not_started"))
    page.evaluate("window.__samePage = true")
    history = page.evaluate("history.length")
    page.get_by_role("button", name="English").click()
    expect(page.locator(".wb-audit-summary")).to_have_text(en("audit.not_started"))
    expect(page).to_have_url(re.compile(r"\?module=security&lang=en$"))
    assert page.evaluate("window.__samePage") is True, "the switch did not reload the page"
    assert page.evaluate("history.length") == history, "nothing was added to the history"
    page.reload()
    expect(page.locator(".wb-audit-summary")).to_have_text(en("audit.not_started"), timeout=60_000)
    expect(page.get_by_role("button", name="English")).to_have_class(re.compile("mod-active"))

    # Enter in the password field runs the check and empties the field.
    field = page.get_by_label(en("password.field"))
    field.fill("password")
    field.press("Enter")
    expect(page.locator(".wb-strength")).to_contain_text(en("password.score.0"))
    expect(field).to_have_value("")
    page.get_by_role("button", name="中文").click()
    expect(page).to_have_url(re.compile(r"\?module=security&lang=zh$"))
