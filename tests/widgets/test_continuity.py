"""The kernel's half of keeping a user with their case (widgets/continuity.py): the page's texts,
reopening through the hidden bridge, the saved-at time, the two-window alert, the save on exit."""

from __future__ import annotations

import re
from html import unescape

from complaint.codes import format_code


def data_attributes(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in re.findall(r"data-([a-z-]+)='([^']*)'", html)}


def test_the_page_holds_the_connection_texts_in_the_users_language_before_anything_breaks(make_app):
    app = make_app("zh")
    texts = data_attributes(app.page_texts.widget.value)
    assert texts["lost-title"].startswith("连接已断开")
    assert (
        "{time}" in texts["lost-since"]
    )  # the page fills in the time of the last acknowledged save
    assert texts["reload"] == "重新加载并继续"
    assert app.page_texts.widget.layout.display == "none"
    app.language_switch.value = "en"
    assert data_attributes(app.page_texts.widget.value)["reload"] == "Reload and continue"


def test_texts_are_escaped_into_attributes(make_app, monkeypatch):
    app = make_app("en")
    from widgets.continuity import PageTexts

    hostile = PageTexts(lambda key, **_: "' onmouseover='alert(1)")
    assert "onmouseover='alert" not in hostile.widget.value
    assert data_attributes(hostile.widget.value)["reload"] == "' onmouseover='alert(1)"
    assert app.page_texts.widget.value.count("data-") == 7


def test_the_bridge_reopens_the_tabs_case_like_a_typed_code(make_app, store):
    first = make_app("en")
    first.start.new_button.click()
    first.views["problem"].choice.value = "account_locked"
    first.save_now()
    app = make_app("en")
    app.bridge.widget.value = format_code(first.case.code)
    assert app.case is not None and app.case.code == first.case.code
    assert app.case.problem == "account_locked"
    assert (
        app.bridge.widget.value == "" and "wb-reopen-failed" not in app.bridge.widget._dom_classes
    )


def test_the_bridge_reopens_at_the_step_the_tab_was_on(app_with_case, make_app):
    app = make_app("en")
    app.bridge.widget.value = f"{app_with_case.case.code}#4"
    assert app.current_step == "contacts"
    again = make_app("en")
    again.bridge.widget.value = (
        f"{app_with_case.case.code}#99"  # a step that does not exist: the first
    )
    assert again.case is not None and again.current_step == "problem"


def test_a_case_that_cannot_be_reopened_tells_the_page_and_the_user(make_app):
    app = make_app("en")
    app.bridge.widget.value = "0000-0000-0000-0000"
    assert app.case is None
    assert (
        "wb-reopen-failed" in app.bridge.widget._dom_classes
    )  # the page stops waiting, forgets the code
    assert "could not be reopened automatically" in app.start.message.value


def test_the_bridge_never_replaces_an_open_case(app_with_case, make_app):
    other = make_app("en")
    other.start.new_button.click()
    code = app_with_case.case.code
    app_with_case.bridge.widget.value = other.case.code
    assert app_with_case.case.code == code


def test_the_status_carries_the_time_of_the_last_acknowledged_save(app_with_case):
    app = app_with_case
    saved_at = data_attributes(app.savebar.status.value)["wb-saved-at"]
    assert re.fullmatch(r"\d\d:\d\d", saved_at)
    app.views["problem"].choice.value = "account_locked"  # pending: the time stays the last save's
    assert "Unsaved" in app.savebar.status.value
    assert data_attributes(app.savebar.status.value)["wb-saved-at"] == saved_at
    app.language_switch.value = "zh"  # a new save bar keeps it too
    assert data_attributes(app.savebar.status.value)["wb-saved-at"] == saved_at


def test_the_start_screen_and_the_case_offer_the_device_controls(make_app):
    app = make_app("en")
    assert (
        "wb-remembered" in app.body.children[0].value and " hidden>" in app.body.children[0].value
    )
    app.start.new_button.click()
    device = [
        child
        for child in app.case_panel.panel.children
        if "wb-remember-box" in getattr(child, "value", "")
    ]
    assert device and "Remember this complaint on this device" in device[0].value
    assert "type='checkbox' class='wb-remember-box'>" in device[0].value  # unticked: off by default


def test_two_windows_the_stale_one_gets_an_alert_its_answers_and_the_newer_version(make_app, clock):
    stale = make_app("en")
    stale.start.new_button.click()
    newer = make_app("en", resume_code=stale.case.code)
    newer.views["problem"].choice.value = "account_locked"
    newer.save_now()
    stale.views["problem"].choice.value = "slow_service"
    clock.run_due()
    assert stale.save_state == "conflict"
    (alert,) = stale.conflict_area.children
    assert "wb-conflict-alert" in alert._dom_classes
    text = alert.children[0].value
    assert "role='alert'" in text and "A newer version of this complaint" in text
    assert "data:text/csv" in text  # this window's own answers, as a case sheet
    alert.children[1].click()  # load the newer version
    assert stale.save_state == "saved" and stale.case.problem == "account_locked"
    assert stale.conflict_area.children == ()
    stale.views["problem"].choice.value = "privacy_security"
    clock.run_due()
    assert stale.save_state == "saved", "after loading the newer version, the window saves again"


def test_a_change_waiting_for_the_autosave_is_saved_when_the_kernel_exits(make_app, store, clock):
    from widgets.app import _save_pending_changes_at_exit

    app = make_app("en")
    app.start.new_button.click()
    app.views["problem"].choice.value = "account_locked"
    assert app.autosave.waiting
    _save_pending_changes_at_exit()
    case, _data = store.load_sheet(app.case.code)
    assert case.problem == "account_locked"
    assert not app.autosave.waiting
