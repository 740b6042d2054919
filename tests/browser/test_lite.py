"""The in-browser edition (lite/build.py): the static site in headless Chromium, offline.

The site is built once per set of inputs (a hash of everything that goes into it, kept beside the
build) and served by a plain static server on loopback; every request that would leave that
server is aborted and fails the test. A case is walked in Chinese at phone size: render, new
case, three steps, reload, resume by code, download the CSV and read it with the core reader.
Another, in English, downloads everything the workbook offers (the .xlsx, the CSV, both
statements, the printable record) and continues from the downloaded sheet in a new tab.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from complaint.i18n import Translator
from complaint.sheet import read_sheet
from lite.build import ensure_built, static_server

from .conftest import PHONE, jump_to_step
from .test_evidence_contacts import attach_through_file_chooser, card
from .test_takeaway import click_and_download

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


def start_new_case(page, button: str) -> str:
    """Clicks the start screen's button (once the kernel has drawn it) and returns the case's resume code."""
    page.get_by_role("button", name=button).click(timeout=RENDER_TIMEOUT)
    code = page.locator(".wb-code-value")
    expect(code).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
    return code.inner_text()


def test_a_case_in_chinese_saves_reloads_resumes_and_downloads(offline_page, lite_url, shoot):
    page, _outside = offline_page
    workbook = lite_url + "voici/render/workbook.html"
    page.goto(workbook)
    expect(page.locator(".wb-app")).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(page.locator("h1.wb-title")).to_have_text(Translator("zh")("app.title"))
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert (
        page.locator(".jp-InputArea, .jp-Notebook-toolbar, .jp-NotebookPanel-toolbar").count() == 0
    )  # no code, no notebook UI
    expect(page.locator(".wb-storage-notice")).to_contain_text("只保存在这台设备的这个浏览器中")
    shoot(page, "lite-zh-1-start")

    code = start_new_case(page, "开始新的投诉")
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

    page = (
        page.context.new_page()
    )  # a new tab knows no case: the code opens it from the browser's storage
    page.goto(workbook)
    expect(page.get_by_role("button", name="开始新的投诉")).to_be_visible(timeout=RENDER_TIMEOUT)
    page.get_by_label("恢复码").fill(code.lower())
    page.get_by_label("恢复码").press("Enter")
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=30_000)
    expect(page.get_by_label("资金不到账", exact=True)).to_be_checked()
    shoot(page, "lite-zh-3-resumed")

    page.get_by_role(
        "button", name="恢复码和下载 ▾"
    ).click()  # opened with its code: the downloads are one tap away
    with page.expect_download() as download:
        page.locator(".wb-savebar a[download]").first.click()
    answers = read_sheet(Path(download.value.path()).read_bytes())
    assert answers["problem"] == "funds_not_arriving" and answers["goal"] == "refund"
    assert (
        str(answers["amount"]) == "1280.50" and answers["description"] == "转账给房东，他说没收到。"
    )


def test_the_page_query_reaches_the_workbook(offline_page, lite_url):
    page, _outside = offline_page
    page.goto(lite_url + "?lang=en")  # the site's address opens the workbook
    expect(page.locator("h1.wb-title")).to_have_text(
        "Digital-wallet complaint workbook", timeout=RENDER_TIMEOUT
    )
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator(".wb-storage-notice")).to_contain_text(
        "only in this browser on this device"
    )


def downloaded(page, link, folder: Path) -> Path:
    with page.expect_download() as info:
        link.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_every_download_and_a_downloaded_sheet_resumes_the_case(
    offline_page, lite_url, shoot, tmp_path
):
    page, _outside = offline_page
    workbook = lite_url + "voici/render/workbook.html?lang=en"
    page.goto(workbook)
    code = start_new_case(page, "Start a new complaint")
    page.get_by_text("Money has not arrived", exact=True).click()
    page.get_by_role("button", name="Next →").click()
    page.get_by_label("Amount involved").fill("88")
    page.get_by_label("Transaction / order number").fill("20261125000012345678")
    page.get_by_label("What happened (in your own words)").fill("Sent 88 yuan; it never arrived.")

    page.get_by_role(
        "button", name="Excel file (.xlsx)"
    ).click()  # saves first, then makes the file (openpyxl in Pyodide)
    xlsx = downloaded(
        page,
        page.locator(".wb-savebar").get_by_role("link", name="Download case sheet (.xlsx)"),
        tmp_path,
    )
    cells = {
        row[0].value: row[2]
        for row in openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes())).active.iter_rows(min_row=2)
    }
    assert (
        cells["transaction_id"].value == "20261125000012345678"
        and cells["transaction_id"].data_type == "s"
    )
    assert cells["description"].value == "Sent 88 yuan; it never arrived."

    progress = page.locator(".wb-progress")  # "Step 2 of 9 · …"
    for _step in range(12):  # to the last step, "Review and export"
        if page.get_by_role("heading", name="Review and export").is_visible():
            break
        shown = progress.inner_text()
        page.get_by_role("button", name="Next →").click()
        expect(progress).not_to_have_text(shown)  # the next step is drawn before the next look
    expect(page.get_by_role("heading", name="Review and export")).to_be_visible()
    expect(page.locator(".wb-status")).to_contain_text("Saved", timeout=30_000)
    shoot(page, "lite-en-review")
    downloads = page.locator(".wb-downloads")
    sheet = downloaded(page, downloads.get_by_role("link", name="Case sheet (CSV)"), tmp_path)
    answers = read_sheet(sheet.read_bytes())
    assert (
        answers["problem"] == "funds_not_arriving"
        and answers["transaction_id"] == "20261125000012345678"
    )
    for statement in ("Statement for the company (.txt)", "Statement for a regulator (.txt)"):
        text = downloaded(page, downloads.get_by_role("link", name=statement), tmp_path).read_text(
            encoding="utf-8-sig"
        )
        assert "What happened: Sent 88 yuan; it never arrived." in text, statement
    printable = downloaded(
        page, downloads.get_by_role("link", name=re.compile("Printable case record")), tmp_path
    )
    record = (
        page.context.new_page()
    )  # in the guarded context: the record may not load anything from elsewhere
    record.set_content(printable.read_text(encoding="utf-8"))
    expect(record.get_by_role("heading", name="Complaint record")).to_be_visible()
    expect(record.locator("body")).to_contain_text("Sent 88 yuan; it never arrived.")
    record.close()

    page = page.context.new_page()  # a new tab: the downloaded sheet comes back as a new case
    page.goto(workbook)
    # The start screen builds the sheet upload when asked for (docs/performance.md).
    page.get_by_role("button", name=Translator("en")("start.sheet_title"), exact=True).click(
        timeout=RENDER_TIMEOUT
    )
    with page.expect_file_chooser(timeout=RENDER_TIMEOUT) as chooser:
        page.locator(".wb-start .wb-upload").get_by_role(
            "button", name=re.compile(re.escape("Upload case sheet (CSV) or bundle (ZIP)"))
        ).click(timeout=RENDER_TIMEOUT)
    chooser.value.set_files(str(sheet))
    banner = page.locator(".wb-imported")
    expect(banner).to_contain_text(
        f"The answers of the case sheet “{sheet.name}” are back, in a new case", timeout=30_000
    )
    new_code = page.locator(".wb-code-value").inner_text()
    assert new_code != code and new_code in banner.inner_text()
    expect(page.locator(".wb-status")).to_contain_text("Saved", timeout=30_000)
    page.get_by_role("button", name="Next →").click()
    expect(page.get_by_label("Transaction / order number")).to_have_value("20261125000012345678")
    expect(page.get_by_label("What happened (in your own words)")).to_have_value(
        "Sent 88 yuan; it never arrived."
    )
    shoot(page, "lite-en-resumed-from-sheet")


def test_a_kept_copy_of_an_evidence_file_survives_a_reload_and_goes_into_the_bundle(
    offline_page, lite_url, tmp_path
):
    """Ticking "keep a copy" once stalled the page (the copy went into a folder, which the
    browser's drive does not keep): now the copy lies beside the sheet, comes back after a
    reload, and the case bundle holds its bytes."""
    page, _outside = offline_page
    screenshot = tmp_path / "聊天截图.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)  # binary, not text
    page.goto(lite_url + "voici/render/workbook.html?lang=en")
    start_new_case(page, "Start a new complaint")
    page.get_by_text("Money has not arrived", exact=True).click()
    jump_to_step(page, 4)
    chats = card(page, "Chats or e-mails with customer service")
    chats.get_by_text("Keep a copy of the file in this browser").click()
    attach_through_file_chooser(page, chats, screenshot)
    expect(chats.locator(".wb-file")).to_contain_text("copy kept", timeout=30_000)
    expect(page.locator(".wb-status")).to_contain_text("Saved", timeout=30_000)

    page.reload()  # the tab reopens its case from the browser's drive
    expect(page.locator(".wb-code-value")).to_be_attached(timeout=RENDER_TIMEOUT)
    jump_to_step(page, 9)
    bundle = click_and_download(
        page, "Download everything (ZIP)", re.compile("Your case bundle"), tmp_path
    )
    archive = zipfile.ZipFile(io.BytesIO(bundle.read_bytes()))
    assert archive.read("evidence/聊天截图.png") == screenshot.read_bytes()
    assert "matches the fingerprint taken at upload" in archive.read("MANIFEST.txt").decode()


def test_without_service_workers_the_page_says_why_it_cannot_run(browser, lite_url):
    """No service worker (an http:// address other than localhost, some private windows): JupyterLite
    would never start the kernel, so the loading screen says what to do instead of "Opening…" for ever."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(
        script='Object.defineProperty(Navigator.prototype, "serviceWorker", { get: () => undefined });'
    )
    try:
        page = context.new_page()
        page.goto(lite_url + "voici/render/workbook.html")
        loading = page.locator("#loading_text")
        expect(loading).to_contain_text("这个浏览器在这里无法运行网页版")
        expect(loading.locator("[lang=en]")).to_contain_text(
            "open it from an https:// address or from localhost"
        )
    finally:
        context.close()
