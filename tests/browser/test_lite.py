"""The in-browser edition (lite/build.py): the static site in headless Chromium, offline.

The site is built once per set of inputs (a hash of everything that goes into it, kept beside the
build) and served by a plain static server on loopback; every request that would leave that
server is aborted and fails the test. A case is walked in Chinese at phone size: render, new
case, three steps, reload, resume by code, download the CSV and read it with the core reader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from complaint.i18n import Translator
from complaint.sheet import read_sheet
from lite.build import ensure_built, static_server

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RENDER_TIMEOUT = 180_000  # Pyodide starts in a web worker on a CPU shared with other tests


@pytest.fixture(scope="module")
def lite_site() -> Path:
    return ensure_built()


@pytest.fixture(scope="module")
def lite_url(lite_site):
    with static_server(lite_site) as url:
        yield url


@pytest.fixture
def offline_page(browser, lite_url):
    """A phone-size page whose requests may go to the local server only (recorded, then aborted)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(30_000)
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith((lite_url, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    yield context.new_page(), outside
    context.close()
    assert outside == [], f"requests left the local server: {outside}"


def test_a_case_in_chinese_saves_reloads_resumes_and_downloads(offline_page, lite_url, shoot):
    page, _outside = offline_page
    workbook = lite_url + "voici/render/workbook.html"
    page.goto(workbook)
    expect(page.locator(".wb-app")).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(page.locator("h1.wb-title")).to_have_text(Translator("zh")("app.title"))
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.locator(".jp-InputArea, .jp-Notebook-toolbar, .jp-NotebookPanel-toolbar").count() == 0  # no code, no notebook UI
    expect(page.locator(".wb-storage-notice")).to_contain_text("只保存在这台设备的这个浏览器中")
    shoot(page, "lite-zh-1-start")

    page.get_by_role("button", name="开始新的投诉").click()
    code = page.locator(".wb-code-value")
    expect(code).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
    code = code.inner_text()
    page.get_by_text("资金不到账", exact=True).click()
    page.get_by_role("button", name="下一步 →").click()
    page.get_by_label("事情发生的日期").fill("2026-11-20")
    page.get_by_label("涉及金额").fill("1280.50")
    page.get_by_label("发生了什么（用你自己的话）").fill("转账给房东，他说没收到。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".wb-status")).to_contain_text("已保存", timeout=30_000)
    page.get_by_role("button", name="下一步 →").click()
    page.get_by_text("退款 / 追回资金", exact=True).click()
    expect(page.locator(".wb-status")).to_contain_text("有未保存的修改")  # autosave is pending...
    expect(page.locator(".wb-status")).to_contain_text("已保存", timeout=30_000)  # ...and done
    shoot(page, "lite-zh-2-goal")

    page.reload()  # the tab reopens its own case (continuity.js, as in the Voilà edition)
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=RENDER_TIMEOUT)

    page = page.context.new_page()  # a new tab knows no case: the code opens it from the browser's storage
    page.goto(workbook)
    expect(page.get_by_role("button", name="开始新的投诉")).to_be_visible(timeout=RENDER_TIMEOUT)
    page.get_by_label("恢复码").fill(code.lower())
    page.get_by_label("恢复码").press("Enter")
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=30_000)
    expect(page.get_by_label("资金不到账", exact=True)).to_be_checked()
    shoot(page, "lite-zh-3-resumed")

    page.get_by_role("button", name="恢复码和下载 ▾").click()  # opened with its code: the downloads are one tap away
    with page.expect_download() as download:
        page.locator(".wb-savebar a[download]").first.click()
    answers = read_sheet(Path(download.value.path()).read_bytes())
    assert answers["problem"] == "funds_not_arriving" and answers["goal"] == "refund"
    assert str(answers["amount"]) == "1280.50" and answers["description"] == "转账给房东，他说没收到。"


def test_the_page_query_reaches_the_workbook(offline_page, lite_url):
    page, _outside = offline_page
    page.goto(lite_url + "?lang=en")  # the site's address opens the workbook
    expect(page.locator("h1.wb-title")).to_have_text("Digital-wallet complaint workbook", timeout=RENDER_TIMEOUT)
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator(".wb-storage-notice")).to_contain_text("only in this browser on this device")
