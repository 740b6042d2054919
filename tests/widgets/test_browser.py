"""The in-browser edition's workbook: cases on the browser drive, and a notice saying so."""

import ipywidgets as w

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


def test_no_trainer_and_no_server_in_the_browser(monkeypatch, store):
    """Nobody but the visitor sees a case here: no participant card for a trainer, and the texts
    that speak of the server speak of this browser (in both languages, after a switch too)."""
    monkeypatch.setenv("QUERY_STRING", "lang=en")
    app = browser_workbook(store=store)
    app.start_new_case()
    assert not [
        child
        for child in app.body.children
        if "wb-participant" in getattr(child, "_dom_classes", ())
    ]
    assert app.t("step.review.intro") == Translator("en")("browser.review_intro")
    assert "server" not in app.t("step.review.intro") and "trainer can open" not in app.t(
        "step.review.intro"
    )
    app.switch_language("zh")
    assert app.t("code.not_found") == Translator("zh")("browser.code_not_found")
    assert "服务器" not in app.t("evidence.copies_who")
    app.go("review")
    assert Translator("zh")("browser.review_intro") in " ".join(
        html_values(app.views["review"].widget)
    )


def html_values(widget):
    """The text of every HTML widget under ``widget``."""
    if isinstance(widget, w.HTML):
        yield widget.value
    for child in getattr(widget, "children", ()):
        yield from html_values(child)
