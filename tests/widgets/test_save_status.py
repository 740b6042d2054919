"""The save status is honest: never "Saved" while a change or a refused value is not saved;
long fields count their characters; the statement and review say what is not in them."""

import html

from complaint.model import DESCRIPTION_MAX, NOTE_MAX
from tests.widgets.test_contacts import contacts_view
from tests.widgets.test_escalation_statement_review import downloads

TOO_LONG = "x" * (DESCRIPTION_MAX + 1)


def status(app) -> str:
    return html.unescape(app.savebar.status.value)


def test_an_over_long_description_is_not_reported_as_saved(app_with_case, clock, store):
    app = app_with_case
    app.stepper.buttons["facts"].click()
    facts = app.views["facts"]
    facts.description.value = "First version."
    clock.run_due()
    assert "Saved" in status(app)
    facts.description.value = TOO_LONG
    assert (
        "1 answer not saved: see the red message" in status(app)
        and "wb-status-refused" in app.savebar.status.value
    )
    assert "Saved" not in status(app)
    clock.run_due()  # nothing to save: the case still holds the first version
    assert "1 answer not saved" in status(app)
    assert store.load(app.case.code).description == "First version."
    facts.description.value = "Second version."
    assert "Unsaved changes" in status(app)
    clock.run_due()
    assert "Saved" in status(app) and store.load(app.case.code).description == "Second version."


def test_refused_values_are_counted_across_steps_and_languages(app_with_case, clock):
    app = app_with_case
    app.stepper.buttons["facts"].click()
    app.views["facts"].description.value = TOO_LONG
    app.views["facts"].amount.value = "abc"
    assert "2 answers not saved: see the red messages" in status(app)
    app.stepper.buttons["goal"].click()
    app.views["goal"].details.value = TOO_LONG
    assert "3 answers not saved" in status(app)
    app.language_switch.value = "zh"  # the views are rebuilt; what was typed is carried over
    assert "3 个回答未保存：请看红色提示" in status(app)
    app.stepper.buttons["goal"].click()
    app.views["goal"].details.value = "七天内退款"
    assert "2 个回答未保存" in status(app)
    app.stepper.buttons["facts"].click()
    app.views["facts"].amount.value = "88"
    app.views["facts"].description.value = "正常长度"
    clock.run_due()
    assert "已保存" in status(app) and "未保存" not in status(app)


def test_an_over_long_evidence_note_counts_as_not_saved(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "funds_not_arriving"
    app.stepper.buttons["evidence"].click()
    card = next(iter(app.views["evidence"].cards.values()))
    card.note.value = "n" * (NOTE_MAX + 1)
    assert "1 answer not saved" in status(app)
    assert (
        f"{NOTE_MAX + 1} / {NOTE_MAX} characters" in card.note_counter.value
        and "wb-counter-over" in card.note_counter.value
    )
    card.note.value = "ok"
    assert "1 answer not saved" not in status(app)


def test_long_fields_count_characters_as_the_limit_counts_them(app_with_case):
    app = app_with_case
    app.stepper.buttons["facts"].click()
    facts = app.views["facts"]
    counter = next(c for c in facts.widget.children if "wb-counter" in str(getattr(c, "value", "")))
    assert f"0 / {DESCRIPTION_MAX} characters" in counter.value
    facts.description.value = "  abc\r\n"  # trimmed, like the limit
    assert (
        f"3 / {DESCRIPTION_MAX} characters" in counter.value
        and "wb-counter-over" not in counter.value
    )
    facts.description.value = TOO_LONG
    assert (
        f"{DESCRIPTION_MAX + 1} / {DESCRIPTION_MAX} characters" in counter.value
        and "wb-counter-over" in counter.value
    )
    app.stepper.buttons["contacts"].click()
    form = app.views["contacts"].form
    assert any(
        f"0 / {NOTE_MAX} characters" in str(getattr(c, "value", "")) for c in form.widget.children
    )


def test_the_statement_and_review_say_an_over_long_description_is_not_in_them(app_with_case, clock):
    app = app_with_case
    app.views["problem"].choice.value = "funds_not_arriving"
    app.stepper.buttons["facts"].click()
    app.views["facts"].description.value = "Sent 88 yuan."
    clock.run_due()
    app.views["facts"].description.value = "Sent 88 yuan. " + TOO_LONG
    app.stepper.buttons["statement"].click()
    statement = app.views["statement"]
    note = html.unescape(statement.unsaved_note.value)
    assert "Not in these statements: “What happened (in your own words)” (step 2, Facts)" in note
    assert (
        "Sent 88 yuan." in statement.texts["company"].value
        and TOO_LONG not in statement.texts["company"].value
    )
    app.stepper.buttons["review"].click()
    review = app.views["review"]
    text = html.unescape(review.summary.value)
    assert "Not saved: “What happened (in your own words)” (step 2, Facts)" in text
    sheet = next(data for name, data in downloads(review).items() if name.endswith(".csv"))
    assert TOO_LONG.encode() not in sheet
    assert "1 answer not saved" in status(app)
    app.stepper.buttons["facts"].click()
    app.views["facts"].description.value = "Sent 88 yuan, twice."
    app.stepper.buttons["statement"].click()
    assert (
        statement.unsaved_note.value == ""
        and "Sent 88 yuan, twice." in statement.texts["company"].value
    )


def test_an_over_long_statement_edit_stays_in_its_field_and_is_not_reported_saved(
    app_with_case, clock
):
    app = app_with_case
    app.stepper.buttons["statement"].click()
    view = app.views["statement"]
    long_edit = view.texts["company"].value + "y" * 6000
    view.texts["company"].value = long_edit
    assert "1 answer not saved" in status(app) and "at most 6000" in view.errors["company"].value
    app.stepper.buttons["review"].click()
    assert "Statement for the company" in html.unescape(app.views["review"].summary.value)
    app.stepper.buttons["statement"].click()  # coming back refreshes the statement, not this field
    assert view.texts["company"].value == long_edit
    app.language_switch.value = "zh"
    app.stepper.buttons["statement"].click()
    assert app.views["statement"].texts[
        "company"
    ].value == long_edit and "1 个回答未保存" in status(app)
    app.views["statement"].widget.children[3].children[-1].children[
        1
    ].click()  # reset to the generated text
    assert "个回答未保存" not in status(app) and "有未保存的修改" in status(app)


def test_the_xlsx_is_made_on_request_and_withdrawn_when_the_answers_change(
    app_with_case, clock, store
):
    import io

    import openpyxl

    app = app_with_case
    assert app.savebar.xlsx.value == ""  # nothing is made at a save
    app.stepper.buttons["facts"].click()
    app.views["facts"].transaction_id.value = "20261125000012345678"
    app.savebar.xlsx_button.click()
    assert (
        "Saved" in status(app)
        and store.load(app.case.code).transaction_id == "20261125000012345678"
    )
    ((name, data),) = downloads(app.savebar.xlsx.value).items()
    assert (
        name == f"case-sheet-{app.case.case_id[:8]}.xlsx"
        and "spreadsheetml" in app.savebar.xlsx.value
    )
    cells = {
        row[0].value: row[2].value
        for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2)
    }
    assert cells["transaction_id"] == "20261125000012345678"
    app.views["facts"].transaction_id.value = "0079"
    assert app.savebar.xlsx.value == ""


def test_a_contact_being_typed_is_not_reported_as_saved(app_with_case, clock):
    app = app_with_case
    view = contacts_view(app)
    clock.run_due()
    view.add_button.click()
    assert "Saved" in status(app)  # an empty form holds nothing yet
    view.form.agent.value = "0079"
    assert "“New contact” is not saved yet: press “Save this entry” to keep it" in status(app)
    app.language_switch.value = "zh"  # the open form and its typing are carried over
    assert "“新的联系记录”还没有保存：请点“保存这条记录”" in status(app)
    app.views["contacts"].form.cancel.click()
    assert "已保存" in status(app)
