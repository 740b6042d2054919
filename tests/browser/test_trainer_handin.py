"""Handed-in case sheets through the real dashboard page (make trainer's notebook on a real Voilà):
the trainer chooses two sheets written by the workbook's own writer in the file chooser, both
appear in the table as "handed in"; a selection too large to travel is refused in the page.
Screenshots: artifacts/screenshots/trainer-*-handin.png."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from complaint.model import Case
from complaint.sheet import write_sheet
from complaint.storage import CaseStore
from complaint.trainer.handin import HANDIN_FOLDER, MAX_HANDIN_TOTAL_BYTES

from .conftest import DESKTOP, PHONE, running_voila

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    root = tmp_path_factory.mktemp("handin-cases")
    store = CaseStore(root)  # one case saved on the workshop server itself
    on_server = store.new_case("en")
    on_server.problem = "account_locked"
    store.save(on_server)
    log = tmp_path_factory.mktemp("handin") / "voila.log"
    with running_voila("notebooks/trainer.ipynb", root, log) as url:
        yield url, root, on_server


def open_dashboard(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.locator(".wb-trainer .wb-status")).to_be_visible(timeout=60_000)
    return page


def choose_files(page: Page, button, paths) -> None:
    """ipywidgets' FileUpload opens a file input that is not in the page: answer its chooser."""
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files([str(path) for path in paths])


def sheets(folder, *labels: str) -> tuple[list[Case], list]:
    cases, paths = [], []
    for number, label in enumerate(labels):
        case = Case(language="en", problem="funds_not_arriving", provider="alipay")
        case.participant_label = label
        case.updated_at = datetime(2026, 11, 20 + number, 9, 0, tzinfo=UTC)
        path = folder / f"case-sheet-{number}.csv"  # the name the download gives, more or less
        path.write_bytes(write_sheet(case))
        cases.append(case)
        paths.append(path)
    return cases, paths


def test_two_sheets_handed_in_through_the_page_appear_in_the_table(
    browser, trainer, tmp_path, shoot
):
    url, root, on_server = trainer
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(30_000)
    try:
        page = open_dashboard(context.new_page(), url + "?lang=en")
        expect(page.locator(".wb-table tbody tr")).to_have_count(1)
        cases, paths = sheets(tmp_path, "Seat Wren 4", "Seat Ibis 9")
        choose_files(page, page.get_by_role("button", name="Choose handed-in files"), paths)
        expect(page.get_by_role("status").filter(has_text="2 added.")).to_be_visible()
        rows = page.locator(".wb-table tbody tr")
        expect(rows).to_have_count(3)
        for case in cases:
            row = rows.filter(has_text=case.case_id[:8])
            expect(row).to_contain_text("handed in")
            expect(row).to_contain_text(case.participant_label)
        expect(rows.filter(has_text=on_server.case_id[:8])).not_to_contain_text("handed in")
        expect(page.locator(".wb-status").first).to_contain_text(re.compile("^3 cases"))
        assert sorted(p.name for p in (root / HANDIN_FOLDER).glob("*.csv")) == sorted(
            f"{c.case_id}.csv" for c in cases
        )
        shoot(page, "trainer-en-handin")

        # The same two again, and a selection too large to travel together: refused in the page.
        choose_files(page, page.get_by_role("button", name="Choose handed-in files"), paths)
        expect(page.get_by_role("status").filter(has_text="2 already here.")).to_be_visible()
        half = tmp_path / "half.csv"
        half.write_bytes(b"x" * (MAX_HANDIN_TOTAL_BYTES // 2 + 1))
        other = tmp_path / "other-half.csv"
        other.write_bytes(b"y" * (MAX_HANDIN_TOTAL_BYTES // 2 + 1))
        choose_files(page, page.get_by_role("button", name="Choose handed-in files"), [half, other])
        expect(page.get_by_role("alert")).to_contain_text("These files are too large together")
        expect(rows).to_have_count(3)
        # Just under the total, the selection travels in one websocket message (voila.json caps
        # one at 10 MiB) and each file gets its own answer.
        for path in (half, other):
            path.write_bytes(b"z" * (MAX_HANDIN_TOTAL_BYTES // 2 - 64 * 1024))
        choose_files(page, page.get_by_role("button", name="Choose handed-in files"), [half, other])
        expect(page.get_by_role("status").filter(has_text="2 refused.")).to_be_visible()
        refused = page.get_by_role("alert").filter(has_text="Not added")
        expect(refused).to_contain_text("half.csv")
        expect(refused).to_contain_text("cannot be read")
        expect(page.locator(".wb-upload-refused")).to_have_count(0)
        expect(rows).to_have_count(3)
    finally:
        context.close()


def test_the_chinese_dashboard_on_a_phone_names_handed_in_sheets(browser, trainer, shoot):
    url, _root, _on_server = trainer
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(30_000)
    try:
        page = open_dashboard(context.new_page(), url)
        expect(page.get_by_role("heading", name="添加参与者交来的投诉记录表")).to_be_visible()
        button = page.get_by_role("button", name="选择交来的文件")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        shoot(page, "trainer-zh-phone-handin")
    finally:
        context.close()
