"""In a real browser: continue from a downloaded case sheet (every format version, a damaged
file, a too-large one), the .xlsx download, and an over-long description reported as not saved
everywhere it is shown, at desktop and phone size."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, jump_to_step
from .test_workbook_flow import open_workbook, start_new_case, wait_saved

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TICKET = "20261125000012345678"
CODE = re.compile(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}")


def upload_sheet(page: Page, path: Path, button: str) -> None:
    opener = page.locator(
        ".wb-start .wb-opener"
    ).first  # the upload is built when its button is clicked
    if page.locator(".wb-start .wb-upload").count() == 0:
        opener.click()
    with page.expect_file_chooser() as chooser:
        page.locator(".wb-start .wb-upload").get_by_role(
            "button", name=re.compile(re.escape(button))
        ).click()
    chooser.value.set_files(str(path))


def save_bar_download(page: Page, link: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(".wb-savebar").get_by_role("link", name=link).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_downloaded_sheet_comes_back_as_a_new_case(new_page, voila_url, shoot, tmp_path):
    page = new_page(DESKTOP)
    open_workbook(page, voila_url + "?lang=en")
    old_code = start_new_case(page)
    page.get_by_role("button", name="Next →").click()
    page.get_by_label("Transaction / order number").fill(TICKET)
    page.get_by_label("What happened (in your own words)").fill("Sent 88 yuan; it never arrived.")
    page.get_by_role(
        "button", name="Excel file (.xlsx)"
    ).click()  # saves first, then makes the file
    xlsx = save_bar_download(page, "Download case sheet (.xlsx)", tmp_path)
    wait_saved(page)
    sheet = save_bar_download(page, "Download case sheet (CSV)", tmp_path)
    assert f'"=""{TICKET}"""'.encode() in sheet.read_bytes()
    cells = {
        row[0].value: row[2]
        for row in openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes())).active.iter_rows(min_row=2)
    }
    assert cells["transaction_id"].value == TICKET and cells["transaction_id"].data_type == "s"
    assert cells["created_at"].is_date and cells["format_version"].value == 6

    page = new_page(DESKTOP)
    open_workbook(page, voila_url + "?lang=en")
    upload_sheet(page, sheet, "Upload case sheet (CSV) or bundle (ZIP)")
    banner = page.locator(".wb-imported")
    expect(banner).to_contain_text(
        f"The answers of the case sheet “{sheet.name}” are back, in a new case"
    )
    new_code = page.locator(".wb-code-value").inner_text()
    assert CODE.fullmatch(new_code) and new_code != old_code and new_code in banner.inner_text()
    wait_saved(page)
    shoot(page, "desktop-resume-from-sheet")
    page.get_by_role("button", name="Next →").click()
    expect(page.get_by_label("Transaction / order number")).to_have_value(TICKET)
    expect(page.get_by_label("What happened (in your own words)")).to_have_value(
        "Sent 88 yuan; it never arrived."
    )


def test_every_sheet_version_and_a_bad_file_at_phone_size_in_chinese(
    new_page, voila_url, shoot, tmp_path
):
    page = new_page(PHONE)
    open_workbook(page, voila_url)
    not_a_sheet = tmp_path / "photo.csv"
    not_a_sheet.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    upload_sheet(page, not_a_sheet, "上传投诉记录表（CSV）或案件压缩包（ZIP）")
    alert = page.locator(".wb-start").get_by_role("alert")
    expect(alert).to_contain_text("这个文件不是文本格式的投诉记录表（CSV）。")
    too_large = tmp_path / "huge.csv"
    too_large.write_bytes(b"key,label,value,display\r\n" + b"x" * (9 * 1024 * 1024))
    upload_sheet(
        page, too_large, "上传投诉记录表（CSV）或案件压缩包（ZIP）"
    )  # refused in the page, never sent
    expect(page.locator(".wb-upload-refused")).to_contain_text(
        "这个文件太大，不会是投诉记录表或案件压缩包（最多 8 MB）"
    )
    no_horizontal_scroll(page)
    shoot(page, "phone-zh-sheet-refused")
    for version in range(1, 6):
        if version > 1:
            page = new_page(PHONE)
            open_workbook(page, voila_url)
        upload_sheet(
            page,
            FIXTURES / f"case-sheet-v{version}.csv",
            "上传投诉记录表（CSV）或案件压缩包（ZIP）",
        )
        expect(page.locator(".wb-imported")).to_contain_text(
            f"投诉记录表“case-sheet-v{version}.csv”中的回答已恢复到一个新案件中"
        )
        expect(page.locator(".wb-status")).to_contain_text("已保存")
        if version == 5:
            no_horizontal_scroll(page)
            shoot(page, "phone-zh-resume-from-sheet-v5")
            jump_to_step(page, 2)
            expect(page.get_by_label("交易号 / 订单号")).to_have_value(
                "4200001234202611240123456789"
            )


@pytest.mark.parametrize(
    "size, language", [(DESKTOP, "en"), (PHONE, "zh")], ids=["desktop-en", "phone-zh"]
)
def test_an_over_long_description_is_reported_as_not_saved_everywhere(
    size, language, new_page, voila_url, shoot
):
    en = language == "en"
    page = new_page(size)
    open_workbook(page, voila_url + f"?lang={language}")
    if en:
        start_new_case(page)
    else:
        page.get_by_role("button", name="开始新的投诉").click()
        expect(page.locator(".wb-status")).to_contain_text("已保存")
    page.get_by_role("button", name="Next →" if en else "下一步 →").click()
    description = page.get_by_label(
        "What happened (in your own words)" if en else "发生了什么（用你自己的话）"
    )
    description.fill("Sent 88 yuan." if en else "转账 88 元未到账。")
    expect(page.locator(".wb-status")).to_contain_text("Saved" if en else "已保存", timeout=10_000)
    description.fill("x" * 2001)
    status = page.locator(".wb-status")
    expect(status).to_contain_text(
        "1 answer not saved: see the red message" if en else "1 个回答未保存：请看红色提示"
    )
    expect(page.locator(".wb-counter-over")).to_contain_text("2001 / 2000")
    expect(page.locator(".wb-step-facts").get_by_role("alert")).to_contain_text("2000")
    shoot(page, f"{'desktop' if en else 'phone'}-{language}-description-too-long")
    for step, note in (
        ("statement", "Not in these statements" if en else "以下内容没有写进投诉书"),
        ("review", "Not saved:" if en else "未保存："),
    ):
        jump_to_step(page, 8 if step == "statement" else 9)
        unsaved = page.locator(f".wb-step-{step} .wb-unsaved")
        expect(unsaved).to_contain_text(note)
        expect(unsaved).to_contain_text("What happened" if en else "发生了什么")
        expect(status).not_to_contain_text("Saved" if en else "已保存")
        expect(status).to_contain_text("not saved" if en else "未保存")
        if step == "statement":  # the statement keeps the saved description, and says so
            expect(page.locator(".wb-step-statement textarea").first).to_have_value(
                re.compile("Sent 88 yuan." if en else "转账 88 元未到账。")
            )
        if not en:
            no_horizontal_scroll(page)
        shoot(page, f"{'desktop' if en else 'phone'}-{language}-{step}-description-not-saved")
