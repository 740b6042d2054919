"""Add to calendar and Download everything, clicked as a person would; the bundle uploaded back."""

import hashlib
import html
import io
import re
import zipfile

from icalendar import Calendar

from complaint.codes import format_code
from tests.widgets.test_escalation_statement_review import downloads, log_contact
from tests.widgets.test_evidence import evidence_view, upload
from tests.widgets.test_resume_from_sheet import upload_sheet


def _one(view_html: str, suffix: str) -> tuple[str, bytes]:
    found = [(name, data) for name, data in downloads(view_html).items() if name.endswith(suffix)]
    assert len(found) == 1, view_html
    return found[0]


def test_the_review_makes_the_calendar_and_the_bundle_on_click_and_the_bundle_comes_back(
    app_with_case, make_app, store, clock
):
    app = app_with_case
    card = evidence_view(app, "funds_not_arriving").cards["service_chat"]
    card.keep.value = True
    upload(card, name="聊天记录.png", content=b"chat screenshot")
    log_contact(
        app,
        promised="refund",
        promised_by=__import__("datetime").date(2026, 11, 28),
        outcome="pending",
    )
    clock.run_due()
    app.stepper.buttons["review"].click()
    view = app.views["review"]
    assert view.files.ics.value == view.files.bundle.value == ""  # made only when asked for
    view.files.ics_button.click()
    name, ics = _one(view.files.ics.value, ".ics")
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert name.startswith("case-reminders-") and f"{len(events)} reminders" in html.unescape(
        view.files.ics.value
    )
    # the promise, the statement's reply date, the day the regulator opens
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == [
        "Due today: what the company promised",
        "Next step open from today: People's Bank of China (hotline 12363)",
        "Reply due today from the company",
    ]
    assert format_code(app.case.code) not in ics.decode("utf-8")
    view.files.bundle_button.click()
    name, data = _one(view.files.bundle.value, ".zip")
    assert name.startswith("case-bundle-") and "role='alert'" not in view.files.bundle.value
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("evidence/聊天记录.png") == b"chat screenshot"
    assert hashlib.sha256(b"chat screenshot").hexdigest() in archive.read("MANIFEST.txt").decode(
        "utf-8"
    )
    # a change takes the files away: they were made from the answers before it
    app.stepper.buttons["facts"].click()
    app.views["facts"].description.value = "changed"
    clock.run_due()
    app.stepper.buttons["review"].click()
    assert view.files.bundle.value == view.files.ics.value == ""

    reader = make_app("zh")
    upload_sheet(reader, data, name)
    banner = html.unescape(reader.body.children[0].value)
    assert (
        "案件压缩包" in banner
        and "含 1 个保存的证据文件" in banner
        and format_code(reader.case.code) in banner
    )
    record = reader.case.evidence["service_chat"].files[0]
    assert (
        record.kept and store.kept_file_path(reader.case, record).read_bytes() == b"chat screenshot"
    )
    assert store.load(reader.case.code).evidence["service_chat"].files[0].kept


def test_a_changed_kept_copy_is_flagged_on_screen(app_with_case, store, clock):
    app = app_with_case
    card = evidence_view(app, "funds_not_arriving").cards["service_chat"]
    card.keep.value = True
    upload(card, name="chat.png", content=b"chat screenshot")
    record = app.case.evidence["service_chat"].files[0]
    store.kept_file_path(app.case, record).write_bytes(b"tampered")
    app.stepper.buttons["review"].click()
    files = app.views["review"].files
    files.bundle_button.click()
    assert (
        re.search(r"role='alert'>[^<]*chat\.png", files.bundle.value)
        and "does not match" in files.bundle.value
    )


def test_a_hostile_zip_is_refused_on_the_start_screen_in_the_users_language(make_app, store):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil.csv", "x")
    app = make_app("zh")
    upload_sheet(app, buffer.getvalue(), "bundle.zip")
    assert app.case is None and "已拒绝，没有保存任何内容" in app.start.sheet_message.value
    assert not store.root.exists() or list(store.root.iterdir()) == []


def test_the_escalation_step_offers_the_calendar_too(app_with_case):
    app = app_with_case
    app.stepper.buttons["escalation"].click()
    view = app.views["escalation"]
    view.calendar.ics_button.click()
    assert (
        _one(view.calendar.ics.value, ".ics")[0].endswith(".ics")
        and view.calendar.bundle_button is None
    )
    view.fraud.value = not view.fraud.value
    assert view.calendar.ics.value == ""  # the plan changed
