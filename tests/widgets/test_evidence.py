"""The evidence step driven as a person would, including simulated uploads."""

import hashlib

from complaint.catalog import load_catalog
from complaint.evidence import UPLOAD_LIMIT_BYTES


def upload(card, name="转账截图.png", content=b"\x89PNG fake image bytes", media_type="image/png"):
    """What the browser sends when a file is chosen (ipywidgets 8 FileUpload state)."""
    card.upload.set_state(
        {
            "value": [
                {
                    "name": name,
                    "type": media_type,
                    "size": len(content),
                    "content": memoryview(content),
                    "last_modified": 0,
                }
            ]
        }
    )


def evidence_view(app, problem="funds_not_arriving"):
    app.views["problem"].choice.value = problem
    app.stepper.buttons["evidence"].click()
    return app.views["evidence"]


def test_checklist_follows_the_problem(app_with_case):
    view = evidence_view(app_with_case, "account_locked")
    assert "identity_documents" in view.cards and "advertisement" not in view.cards
    app_with_case.stepper.buttons["problem"].click()
    app_with_case.views["problem"].choice.value = "false_advertising"
    app_with_case.stepper.buttons["evidence"].click()
    assert "advertisement" in view.cards and "identity_documents" not in view.cards


def test_meter_and_missing_list(app_with_case):
    view = evidence_view(app_with_case)
    total = len(load_catalog().evidence_for("funds_not_arriving"))
    assert f"0 of {total} items ready" in view.meter.value
    view.cards["transaction_record"].status.value = "have"
    view.cards["timeline"].status.value = "na"
    assert f"1 of {total - 1} items ready" in view.meter.value
    assert "Transfer receipt" in view.missing.value or "transfer" in view.missing.value.lower()
    for card in view.cards.values():
        card.status.value = card.status.value or "have"
    assert "Every item you need is ready" in view.missing.value
    assert app_with_case.stepper.buttons["evidence"].description.startswith("✓")


def test_upload_records_name_size_time_and_fingerprint_but_not_the_file(
    app_with_case, clock, store
):
    view = evidence_view(app_with_case)
    card = view.cards["transaction_record"]
    upload(card)
    files = app_with_case.case.evidence["transaction_record"].files
    assert len(files) == 1
    record = files[0]
    content = b"\x89PNG fake image bytes"
    assert (record.name, record.size, record.sha256, record.kept) == (
        "转账截图.png",
        len(content),
        hashlib.sha256(content).hexdigest(),
        False,
    )
    assert card.status.value == "have"  # attaching a file is having it
    assert card.upload.value == ()  # the bytes do not stay in the widget
    assert "转账截图.png" in card.files.children[0].children[0].value
    clock.run_due()
    sheet = store.path_for(app_with_case.case.code).read_bytes()
    assert record.sha256.encode() in sheet
    assert not (store.root / f"{app_with_case.case.case_id}.files").exists(), "no copy unless asked"


def test_keep_a_copy_stores_it_in_the_cases_folder_and_remove_deletes_it(
    app_with_case, store, clock
):
    view = evidence_view(app_with_case)
    card = view.cards["service_chat"]
    card.keep.value = True
    upload(card, name="../../chat.png", content=b"chat screenshot")
    record = app_with_case.case.evidence["service_chat"].files[0]
    kept = store.kept_file_path(app_with_case.case, record)
    assert record.kept and record.name == "chat.png" and kept.read_bytes() == b"chat screenshot"
    remove = card.files.children[0].children[1]
    remove.click()
    assert app_with_case.case.evidence["service_chat"].files == []
    assert kept.exists(), "deleted only once the sheet without it is saved"
    clock.run_due()
    assert not kept.exists()


def test_a_window_in_conflict_never_deletes_a_copy_the_saved_sheet_lists(make_app, clock, store):
    window_a = make_app("en")
    window_a.start.new_button.click()
    card = evidence_view(window_a).cards["service_chat"]
    card.keep.value = True
    upload(card, name="chat.png", content=b"chat")
    clock.run_due()
    kept = store.kept_file_path(window_a.case, window_a.case.evidence["service_chat"].files[0])
    window_b = make_app("en")
    window_b.start.code.value = window_a.case.code
    window_b.views["facts"].description.value = "newer work in window B"
    clock.run_due()
    card.files.children[0].children[1].click()  # window A removes the file...
    clock.run_due()  # ...but its save is refused
    assert "another window" in window_a.savebar.status.value
    assert kept.exists()


def test_identity_documents_offer_no_copy_on_the_server(app_with_case):
    view = evidence_view(app_with_case, "account_locked")
    card = view.cards["identity_documents"]
    assert card.keep not in card.widget.children[-2].children
    card.keep.value = True  # even if set, nothing is kept
    upload(card, name="id.jpg", content=b"id card photo")
    assert app_with_case.case.evidence["identity_documents"].files[0].kept is False


def test_a_name_too_long_to_keep_is_recorded_without_a_copy(app_with_case, store, monkeypatch):
    view = evidence_view(app_with_case)
    card = view.cards["service_chat"]
    card.keep.value = True

    def full_disk(*_args):
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "keep_file", full_disk)
    upload(card, name="聊天记录.png", content=b"chat")
    record = app_with_case.case.evidence["service_chat"].files[0]
    assert record.kept is False and record.sha256
    assert "could not keep a copy" in card.message.value


def test_attaching_a_file_to_an_item_still_needed_marks_it_had(app_with_case):
    view = evidence_view(app_with_case)
    card = view.cards["transfer_receipt"]
    card.status.value = "need"
    upload(card)
    assert card.status.value == "have"


def test_answers_under_an_earlier_problem_stay_visible_and_removable(app_with_case):
    view = evidence_view(app_with_case, "funds_not_arriving")
    view.cards["transfer_receipt"].status.value = "have"
    app_with_case.stepper.buttons["problem"].click()
    app_with_case.views["problem"].choice.value = "false_advertising"
    app_with_case.stepper.buttons["evidence"].click()
    assert (
        "transfer_receipt" in view.cards
        and "earlier choice" in view.cards["transfer_receipt"].widget.children[0].value
    )
    view.cards["transfer_receipt"].status.value = None
    app_with_case.stepper.buttons["goal"].click()
    app_with_case.stepper.buttons["evidence"].click()
    assert "transfer_receipt" not in view.cards


def test_an_over_long_note_survives_a_language_switch(app_with_case):
    view = evidence_view(app_with_case)
    view.cards["timeline"].note.value = "长" * 501
    app_with_case.language_switch.value = "zh"
    restored = app_with_case.views["evidence"].cards["timeline"]
    assert restored.note.value == "长" * 501 and "最多 500 个字符" in restored.note_error.value


def test_too_large_wrong_type_and_empty_files_are_refused_with_a_reason(app_with_case):
    view = evidence_view(app_with_case)
    card = view.cards["transaction_record"]
    upload(card, content=b"x" * (UPLOAD_LIMIT_BYTES + 1))
    assert "at most 8 MB" in card.message.value
    upload(card, name="setup.exe", content=b"MZ")
    assert "Only images, PDF or text" in card.message.value
    upload(card, name="empty.txt", content=b"")
    assert "empty" in card.message.value
    assert (
        app_with_case.case.evidence.get("transaction_record") is None
        or not app_with_case.case.evidence["transaction_record"].files
    )


def test_the_page_is_told_the_upload_limit(app_with_case):
    view = evidence_view(app_with_case)
    assert f"data-limit-bytes='{UPLOAD_LIMIT_BYTES}'" in view.limit_note.value
    assert "at most 8 MB" in view.limit_note.value


def test_notes_are_saved_and_restored(make_app, clock, store):
    app = make_app("en")
    app.start.new_button.click()
    view = evidence_view(app)
    view.cards["transaction_record"].note.value = "=bill page, 20 Nov"
    view.cards["transfer_receipt"].status.value = "need"
    upload(view.cards["transaction_record"])
    clock.run_due()
    again = make_app("zh")
    again.start.code.value = app.case.code
    assert again.case.evidence == app.case.evidence
    again.stepper.buttons["evidence"].click()
    restored = again.views["evidence"].cards
    assert restored["transaction_record"].note.value == "=bill page, 20 Nov"
    assert restored["transfer_receipt"].status.value == "need"
    assert "已有" in [label for label, _ in restored["transaction_record"].status.options]


def test_the_upload_note_joins_its_sentences_as_each_language_does(make_app):
    for language, joined in (("zh", "。不勾选时"), ("en", "text. If unticked")):
        app = make_app(language)
        app.start.new_button.click()
        app.stepper.buttons["evidence"].click()
        note = app.views["evidence"].limit_note.value
        assert joined in note and "。 " not in note, note
