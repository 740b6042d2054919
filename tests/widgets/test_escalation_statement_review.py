"""Escalation, statement and review driven as a person would."""

import base64
import html
import re
from datetime import date, datetime

import pytest

from tests.widgets.test_contacts import contacts_view, fill


def log_contact(app, when=datetime(2026, 11, 25, 10, 0), **answers):
    view = contacts_view(app, app.case.problem or "funds_not_arriving")
    view.add_button.click()
    fill(view.form, when=when, channel=answers.pop("channel", "online_chat"), **answers)
    view.form.save.click()


def downloads(view) -> dict[str, bytes]:
    """file name -> bytes of every download link a view shows."""
    found = re.findall(
        r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"',
        view.downloads.value if hasattr(view, "downloads") else view,
    )
    return {html.unescape(name): base64.b64decode(payload) for name, payload in found}


def test_the_plan_follows_the_contact_log(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "funds_not_arriving"
    app.views["facts"].provider.value = "jd"
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    assert "First complain to the company" in view.next_box.value
    log_contact(app)
    app.stepper.buttons["escalation"].click()
    assert "You may go now" in view.next_box.value
    view.ladder.children[0].children[1].value = date(
        2026, 11, 25
    )  # went to the complaints department
    # the statement's own 7 days apply before the PBoC; its 15 days come after filing with it
    assert (
        "From 2 December 2026 you may go to: People&#x27;s Bank of China (hotline 12363)"
        in view.next_box.value
    )
    regulator = html.unescape(view.rung_text["regulator"].value)
    assert "counting the 7 days your statement gives it" in regulator
    assert (
        "once a PBoC branch forwards your complaint" in regulator
        and "15 calendar days (to verify)" in regulator
    )
    assert "from secondary sources; the article is not confirmed; checked 2026-11-29" in regulator
    assert "working days during office hours" in regulator and "12378" in regulator
    assert (
        "The licensed company to name: 网银在线（北京）支付科技有限公司 (formerly 网银在线（北京）科技有限公司)"
        in regulator
    )
    assert (
        "✗ identity document" not in regulator and "• identity document" in regulator
    )  # funds: nothing to tick it with
    assert "routes below are yours to choose" in html.unescape(view.routes_note.value)
    assert (
        "Route 3:" in view.rung_text["mediation"].value
        and "need not go to a regulator first" in view.rung_text["mediation"].value
    )
    assert app.case.escalation.filed == {"company": date(2026, 11, 25)}


def test_fraud_comes_first_and_details_are_checked_off(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "false_advertising"
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    view.fraud.value = True
    assert "role='alert'" in view.next_box.value
    assert view.next_box.value.index("110") < view.next_box.value.index(
        "96110"
    )  # the police first, 96110 for advice
    assert "✗ your address" in view.rung_text["regulator"].value
    view.details["your_address"].value = "1 Example Road"
    assert "✓ your address" in view.rung_text["regulator"].value
    assert app.case.escalation.your_address == "1 Example Road" and app.case.escalation.fraud


def test_handling_stages_and_jurisdiction_are_saved(make_app, clock):
    app = make_app("en")
    app.start.new_button.click()
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    view.handling["received"].value = date(2026, 11, 21)
    view.jurisdiction.value = "us"
    assert "CFPB" in view.rung_text["regulator"].value
    clock.run_due()
    again = make_app("en")
    again.start.code.value = app.case.code
    assert (
        again.case.escalation.handling == {"received": date(2026, 11, 21)}
        and again.case.escalation.jurisdiction == "us"
    )


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
    assert (
        name.endswith(".txt")
        and data.startswith(b"\xef\xbb\xbf")
        and b"Please call me back." in data
    )
    view.widget.children[3].children[-1].children[
        1
    ].click()  # reset (after the title, intro, unsaved note)
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
    assert (
        "C-1001" in view.handling_hints["received"].value
        and view.handling_use["received"].layout.display == ""
    )
    view.handling_use["received"].click()
    assert app.case.escalation.handling == {"received": date(2026, 11, 21)}
    assert view.handling_use["received"].layout.display == "none"


def test_typing_a_date_keystroke_by_keystroke_keeps_the_picker_and_only_the_real_date(
    app_with_case,
):
    """Chromium sends a change for every digit of the year: 0002, 0020, 0202, 2026."""
    app = app_with_case
    log_contact(app)
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    picker = view.rung_filed["company"]
    for year in (2, 20, 202, 2026):
        picker.set_state(
            {"value": {"year": year, "month": 10, "date": 25}}
        )  # as the browser sends it (month from 0)
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
    app.views[
        "problem"
    ].choice.value = "other"  # a change on another view while the review is shown
    assert "unsaved changes" in view.downloads.value
    clock.run_due()
    assert "unsaved changes" not in view.downloads.value


def test_the_us_page_has_no_wait_before_the_cfpb_and_its_clocks_run_from_forwarding(app_with_case):
    app = app_with_case
    log_contact(app)
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    view.jurisdiction.value = "us"
    regulator = html.unescape(view.rung_text["regulator"].value)
    assert "knows no deadline" not in regulator and "counting the 7 days" not in regulator
    assert "there is nothing to wait for, you may file now" in regulator
    assert "counted from when the CFPB sends it your complaint" in regulator
    assert "if the company marks its response “in progress”" in regulator
    assert "You may go now" in view.next_box.value or "CFPB" in view.next_box.value


def test_every_statement_and_the_12315_summary_have_a_copy_button(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "false_advertising"
    app.stepper.buttons["statement"].click()
    view = app.views["statement"]
    assert set(view.copy_buttons) == {"company", "regulator", "samr_form"}
    for audience, button in view.copy_buttons.items():
        assert "class='wb-copy " in button.value and "Copy" in button.value, audience
    summary = html.unescape(view.summary.value)
    assert (
        "<pre class='wb-copy-source wb-summary'>Your name: " in summary
        and "Name of the business complained about" in summary
    )
    assert view.summary_card.layout.display != "none"
    app.stepper.buttons["escalation"].click()
    app.views["escalation"].jurisdiction.value = "us"
    app.stepper.buttons["statement"].click()
    assert view.summary_card.layout.display == "none"  # no 12315 outside China


def test_the_review_shows_the_case_on_a_timeline_and_follows_the_log(app_with_case, clock):
    app = app_with_case
    log_contact(
        app,
        when=datetime(2026, 11, 20, 10, 0),
        agent="<script>alert(1)</script>\u202e",
        promised="refund",
        promised_by=date(2026, 11, 22),
        outcome="pending",
    )
    clock.run_due()
    app.stepper.buttons["review"].click()
    view = app.views["review"]
    picture = view.timeline.value
    assert view.timeline in view.widget.children
    assert '<svg role="img"' in picture and "Your case on a timeline" in picture
    assert (
        "22 November 2026" in picture
        and "Promised for this day — not kept" in picture
        and "Today" in picture
    )
    assert "<script>" not in picture and "\u202e" not in picture and "&lt;script&gt;" in picture
    log_contact(app, when=datetime(2026, 11, 24, 9, 0), channel="phone_hotline", outcome="refused")
    clock.run_due()
    app.stepper.buttons["review"].click()
    assert "Contact — Phone hotline" in view.timeline.value


@pytest.mark.parametrize(
    "language, sentence",
    [
        (
            "en",
            "Escalation: The company&#x27;s complaints department (ask for escalation), open to you now",
        ),
        ("zh", "升级计划：现在就可以去公司投诉部门（要求升级处理）"),
    ],
)
def test_the_review_says_in_a_sentence_that_the_next_step_is_open(make_app, language, sentence):
    """Not the escalation step's bare "now" glued after the body: "... (ask for escalation) now"."""
    app = make_app(language)
    app.start.new_button.click()
    log_contact(app, when=datetime(2026, 11, 20, 10, 0))
    app.stepper.buttons["review"].click()
    assert sentence in app.views["review"].summary.value
