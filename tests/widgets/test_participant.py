"""Who is stuck: the participant's number on screen, and an optional name or seat saved for the trainer."""

from __future__ import annotations

from complaint.codes import format_code, participant_number
from complaint.model import PARTICIPANT_LABEL_MAX
from complaint.trainer.index import CaseIndex


def test_the_number_is_on_screen_and_is_the_trainers(app_with_case, store, today):
    app = app_with_case
    number = participant_number(app.case.case_id)
    shown = app.participant.widget.children[0].value
    assert f"Your participant number: {number}" in shown and format_code(app.case.code) not in shown
    app.participant.label.value = "  Seat 7 · Mei  "
    app.save_now()
    (summary,) = CaseIndex(store.root, today=today, index_file=None).refresh().cases
    assert (summary.number, summary.label) == (number, "Seat 7 · Mei")


def test_a_too_long_label_is_explained_and_not_kept(app_with_case):
    card = app_with_case.participant
    card.label.value = "x" * (PARTICIPANT_LABEL_MAX + 1)
    assert 'role="alert"' in card.error.value and app_with_case.case.participant_label == ""
    card.label.value = "Row 3"
    assert card.error.value == "" and app_with_case.case.participant_label == "Row 3"


def test_the_label_survives_reload_and_language_switch(app_with_case, make_app):
    app = app_with_case
    app.participant.label.value = "靠窗 3 号"
    app.save_now()
    app.language_switch.value = "zh"
    assert (
        app.participant.label.value == "靠窗 3 号"
        and "你的参与者编号" in app.participant.widget.children[0].value
    )
    again = make_app("en", resume_code=app.case.code)
    assert again.participant.label.value == "靠窗 3 号"
