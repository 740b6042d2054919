"""Escalation, statement and review driven as a person would."""

import base64
import html
import re
from datetime import date, datetime

from tests.widgets.test_contacts import contacts_view, fill


def log_contact(app, when=datetime(2026, 11, 25, 10, 0), **answers):
    view = contacts_view(app, app.case.problem or "funds_not_arriving")
    view.add_button.click()
    fill(view.form, when=when, channel=answers.pop("channel", "online_chat"), **answers)
    view.form.save.click()


def downloads(view) -> dict[str, bytes]:
    """file name -> bytes of every download link a view shows."""
    found = re.findall(r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', view.downloads.value if hasattr(view, "downloads") else view)
    return {html.unescape(name): base64.b64decode(payload) for name, payload in found}


def test_the_plan_follows_the_contact_log(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "funds_not_arriving"
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    assert "First complain to the company" in view.next_box.value
    log_contact(app)
    app.stepper.buttons["escalation"].click()
    assert "You may go now" in view.next_box.value
    view.ladder.children[0].children[1].value = date(2026, 11, 25)  # went to the complaints department
    assert "From 10 December 2026 (to verify) you may go to: People&#x27;s Bank of China (hotline 12363)" in view.next_box.value
    regulator = view.ladder.children[1].children[0].value
    assert "(to verify)" in regulator and "PBoC Order" in regulator and "Checked against the project brief" in regulator and "(2026-11-25)" in regulator
    assert app.case.escalation.filed == {"company": date(2026, 11, 25)}


def test_fraud_comes_first_and_details_are_checked_off(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "false_advertising"
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    view.fraud.value = True
    assert "96110" in view.next_box.value and "role='alert'" in view.next_box.value
    assert "✗ your address" in view.ladder.children[1].children[0].value
    view.details["your_address"].value = "1 Example Road"
    assert "✓ your address" in view.ladder.children[1].children[0].value
    assert app.case.escalation.your_address == "1 Example Road" and app.case.escalation.fraud


def test_handling_stages_and_jurisdiction_are_saved(make_app, clock):
    app = make_app("en")
    app.start.new_button.click()
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    view.handling["received"].value = date(2026, 11, 21)
    view.jurisdiction.value = "us"
    assert "CFPB" in view.ladder.children[1].children[0].value
    clock.run_due()
    again = make_app("en")
    again.start.code.value = app.case.code
    assert again.case.escalation.handling == {"received": date(2026, 11, 21)} and again.case.escalation.jurisdiction == "us"


def test_the_statement_is_generated_editable_and_resettable(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "account_locked"
    app.stepper.buttons["statement"].click()
    view = app.views["statement"]
    generated = view.texts["company"].value
    assert "Account locked" in generated and app.case.statement_company == ""
    view.texts["company"].value = generated + "Please call me back."
    assert app.case.statement_company.endswith("Please call me back.")
    assert "You have edited this statement" in view.edited_notes["company"].value
    name, data = next(iter(downloads(view.links["company"].value).items()))
    assert name.endswith(".txt") and data.startswith(b"\xef\xbb\xbf") and b"Please call me back." in data
    view.widget.children[3].children[-1].children[1].click()  # reset (after the title, intro, unsaved note)
    assert app.case.statement_company == "" and view.texts["company"].value == generated


def test_review_lists_what_is_missing_and_offers_every_download(app_with_case, clock):
    app = app_with_case
    app.views["problem"].choice.value = "funds_not_arriving"
    clock.run_due()
    app.stepper.buttons["review"].click()
    view = app.views["review"]
    assert "✓ 1 What went wrong?" in html.unescape(view.summary.value)
    assert "Missing: provider, date, what happened" in view.summary.value
    files = downloads(view)
    assert len(files) == 4
    csv_name = next(n for n in files if n.endswith(".csv"))
    assert files[csv_name] == app.saved_bytes
    page = next(data for name, data in files.items() if name.endswith(".html")).decode("utf-8")
    assert "<!DOCTYPE html>" in page and "Money has not arrived" in page


def test_handling_dates_can_be_taken_from_the_contact_log(app_with_case):
    app = app_with_case
    log_contact(app, when=datetime(2026, 11, 21, 9, 0), reference="C-1001")
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    assert "C-1001" in view.handling_hints["received"].value and view.handling_use["received"].layout.display == ""
    view.handling_use["received"].click()
    assert app.case.escalation.handling == {"received": date(2026, 11, 21)}
    assert view.handling_use["received"].layout.display == "none"


def test_typing_a_date_keystroke_by_keystroke_keeps_the_picker_and_only_the_real_date(app_with_case):
    """Chromium sends a change for every digit of the year: 0002, 0020, 0202, 2026."""
    app = app_with_case
    log_contact(app)
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    picker = view.rung_filed["company"]
    for year in (2, 20, 202, 2026):
        picker.set_state({"value": {"year": year, "month": 10, "date": 25}})  # as the browser sends it (month from 0)
        assert picker.comm is not None, "the picker must survive its own change"
    assert app.case.escalation.filed == {"company": date(2026, 11, 25)}
    assert view.rung_filed["company"] is picker
    picker.value = date(2031, 1, 1)
    assert app.case.escalation.filed == {"company": date(2026, 11, 25)}
    assert "cannot be in the future" in view.rung_cards["company"].children[2].value


def test_the_fraud_box_is_shown_only_where_the_pack_names_somewhere_to_call(app_with_case):
    app = app_with_case
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    assert view.fraud.layout.display != "none"
    view.jurisdiction.value = "us"
    assert view.fraud.layout.display == "none"


def test_the_review_follows_each_save(app_with_case, clock):
    app = app_with_case
    app.stepper.buttons["review"].click()
    view = app.views["review"]
    app.views["problem"].choice.value = "other"  # a change on another view while the review is shown
    assert "unsaved changes" in view.downloads.value
    clock.run_due()
    assert "unsaved changes" not in view.downloads.value
