"""The in-browser edition's workbook: cases on the browser drive, and a notice saying so."""

from complaint.i18n import Translator
from widgets.browser import BROWSER_CASES_DIR, browser_workbook


def notice_text(app) -> str:
    (notice,) = [child for child in app.root.children if "wb-storage-notice" in child._dom_classes]
    return notice.value


def test_the_notice_says_where_the_case_is_and_follows_the_language_switch(monkeypatch, store):
    monkeypatch.setenv("QUERY_STRING", "lang=zh")
    app = browser_workbook(store=store)
    assert Translator("zh")("browser.storage_notice") in notice_text(app)
    assert "只保存在这台设备的这个浏览器中" in notice_text(app)
    app.switch_language("en")
    assert "only in this browser on this device" in notice_text(app)
    assert "Download your case sheet" in notice_text(app)


def test_cases_go_to_the_browser_drive_unless_configured(monkeypatch):
    from complaint.paths import CASES_DIR_ENV, cases_dir

    monkeypatch.delenv(CASES_DIR_ENV)
    monkeypatch.setenv("QUERY_STRING", "")
    app = browser_workbook()
    assert str(app.store.root) == BROWSER_CASES_DIR == str(cases_dir())
