"""Step marks that tell the truth, Next that says what is missing, drafts kept by one mechanism,
and a step added from a test through the registry alone."""

import html
from datetime import date

import ipywidgets as w
import pytest

from complaint.i18n import messages
from complaint.model import PARTICIPANT_LABEL_MAX
from complaint.steps import StepSpec, register_step, unregister_step
from complaint.validation import clean_text
from tests.widgets.test_escalation_statement_review import log_contact
from widgets.step import StepContext, StepView


def on_screen(app) -> tuple:
    """What the step area shows: the note on the step left (when shown) and the step on screen
    (visited steps stay in the page, hidden)."""
    return tuple(
        child
        for child in app.step_area.children
        if child.layout.display != "none" and "wb-step-kept" not in child._dom_classes
    )


def button_texts(app) -> dict[str, str]:
    return {step: button.description for step, button in app.stepper.buttons.items()}


def review_rows(app) -> str:
    app.stepper.buttons["review"].click()
    return html.unescape(app.views["review"].summary.value)


def test_marks_follow_what_was_answered_in_each_step(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "funds_not_arriving"
    marks = button_texts(app)
    assert (
        marks["problem"] == "✓ 1 Problem" and marks["review"] == "9 Export"
    )  # the review has no answers to mark
    assert "1 complete" in app.stepper.progress.value
    app.stepper.next.click()
    facts = app.views["facts"]
    facts.provider.value, facts.event_date.value, facts.description.value = (
        "alipay",
        date(2026, 11, 20),
        "The transfer did not arrive.",
    )
    app.views["goal"].choice.value = "refund"
    log_contact(app)
    marks = button_texts(app)
    assert [marks[s][0] for s in ("facts", "goal", "contacts")] == ["✓"] * 3
    # made from other steps' answers, but never opened: not started
    assert marks["statement"] == "8 Statement" and marks["escalation"] == "7 Escalate"
    assert "4 complete" in app.stepper.progress.value
    rows = review_rows(app)
    assert "✗ 7 Escalation plan" in rows and "✗ 8 Complaint statement" in rows and "✓ 3 " in rows
    app.stepper.buttons["escalation"].click()
    app.views["escalation"].details["your_name"].value = "Li Lei"
    assert button_texts(app)["escalation"].startswith("✓")
    assert "✓ 7 Escalation plan" in review_rows(app)


def test_a_started_step_is_marked_and_its_gaps_are_listed_in_the_review(app_with_case):
    app = app_with_case
    app.stepper.buttons["facts"].click()
    app.views["facts"].transaction_id.value = "T-1"
    assert button_texts(app)["facts"] == "… 2 Facts"
    assert app.stepper.buttons["facts"].tooltip == "Started, something still missing"
    assert "… 2 " in review_rows(app) and "Missing: provider, date, what happened" in review_rows(
        app
    )


def test_next_on_an_empty_step_says_what_is_missing_and_moves_on(make_app):
    app = make_app("zh")
    app.start.new_button.click()
    app.stepper.next.click()
    assert app.current_step == "facts"
    notice = html.unescape(app.step_notice.value)
    assert "第 1 步「问题」还缺：问题类型" in notice and "role='status'" in notice
    assert on_screen(app) == (app.step_notice, app.views["facts"].widget)
    app.views["facts"].provider.value = "alipay"
    app.stepper.next.click()
    assert "服务商" not in app.step_notice.value and "日期、事情经过" in html.unescape(
        app.step_notice.value
    )
    app.views["goal"].choice.value = "refund"
    app.stepper.next.click()  # a complete step: nothing to say
    assert app.step_notice.value == "" and on_screen(app) == (app.views["evidence"].widget,)
    app.stepper.back.click()
    assert on_screen(app) == (app.views["goal"].widget,)  # Back and the step list say nothing
    # Every step visited stays in the page, hidden: a return is a class change, not a new render.
    assert app.step_area.children == (
        app.step_notice,
        *(app.views[step].widget for step in ("problem", "facts", "goal", "evidence")),
    )
    assert [
        "wb-step" in app.views[step].widget._dom_classes
        for step in ("problem", "facts", "goal", "evidence")
    ] == [False, False, True, False]


def test_an_invalid_date_in_the_escalation_step_survives_a_language_switch(app_with_case):
    app = app_with_case
    app.stepper.buttons["escalation"].click()
    app.views["escalation"].rung_filed["company"].value = date(2031, 1, 1)
    app.views["escalation"].handling["received"].value = date(2026, 11, 20)
    app.language_switch.value = "zh"
    view = app.views["escalation"]
    assert view.rung_filed["company"].value == date(2031, 1, 1)
    assert (
        "日期不能晚于今天" in view.rung_cards["company"].children[2].value
    )  # its message, in the new language
    assert app.case.escalation.filed == {} and app.case.escalation.handling == {
        "received": date(2026, 11, 20)
    }
    assert "refused" in app.savebar.status.value or "未保存" in app.savebar.status.value
    view.rung_filed["company"].value = date(2026, 11, 21)
    assert app.case.escalation.filed == {"company": date(2026, 11, 21)} and view.drafts() == {}


def test_a_typed_password_is_never_a_draft(app_with_case):
    app = app_with_case
    app.stepper.buttons["security"].click()
    view = app.views["security"]
    view.password.value = "correct horse battery staple 1913"  # typed, not checked yet
    assert all("correct horse" not in repr(v.drafts()) for v in app.views.values())
    app.language_switch.value = "zh"
    assert "correct horse" not in repr(app.views.carried)
    assert app.views["security"].password.value == "" and app.case.audit.password_score is None


def test_bind_writes_attributes_and_mapping_items_and_keeps_refused_values():
    from complaint.model import Case

    case, changes = Case(), []
    view = StepView(
        StepContext(case, __import__("complaint.i18n").i18n.Translator("en"), changes.append)
    )
    name, filed = w.Text(description="Name"), w.Text(description="Filed")
    view.bind(name, "your_name", lambda v: clean_text(v, 5), target=case.escalation)
    view.bind(
        filed,
        "company",
        lambda v: v.strip(),
        target=lambda: case.escalation.filed,
        key="filed.company",
    )
    name.value, filed.value = "Li", " 2026 "
    assert (
        case.escalation.your_name == "Li"
        and case.escalation.filed == {"company": "2026"}
        and len(changes) == 2
    )
    name.value = "far too long"
    assert (
        case.escalation.your_name == "Li"
        and view.refused_inputs() == ["Name"]
        and view.drafts() == {"your_name": "far too long"}
    )
    filed.value = ""  # an empty value removes the item
    assert case.escalation.filed == {}
    with view.showing():
        filed.value = "shown, not typed"
    assert case.escalation.filed == {}


# -- a step added from a test: one registry entry, its view, its data --------------------------------


class TrialStep(StepView):
    """A test-only step: a seat name for the trainer (stored in the case's participant label)."""

    step = "trial"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        self.seat = w.Text(value=self.case.participant_label, description="Seat")
        self.first_control = self.seat
        self.widget.children += (
            self.seat,
            self.bind(
                self.seat, "participant_label", lambda v: clean_text(v, PARTICIPANT_LABEL_MAX)
            ),
        )


@pytest.fixture
def trial_step(monkeypatch):
    for key, text in {
        "step.trial.title": "Trial step",
        "step.trial.short": "Trial",
        "step.trial.intro": "Where you sit.",
        "missing.seat": "seat",
    }.items():
        monkeypatch.setitem(messages("en"), key, text)
    spec = StepSpec(
        "trial",
        f"{__name__}:TrialStep",
        lambda case: [] if case.participant_label else ["seat"],
        lambda case: bool(case.participant_label),
    )
    register_step(spec, before="review")
    yield spec
    unregister_step("trial")


def test_a_step_registered_from_a_test_is_listed_marked_reviewed_and_saved(
    trial_step, make_app, clock, store
):
    app = make_app("en")
    app.start.new_button.click()
    assert (
        list(app.stepper.buttons)[-2:] == ["trial", "review"]
        and button_texts(app)["trial"] == "9 Trial"
    )
    app.stepper.buttons["statement"].click()
    app.stepper.next.click()
    assert app.current_step == "trial" and "Step 9 of 10" in app.stepper.progress.value
    assert (
        isinstance(app.views["trial"], TrialStep)
        and on_screen(app)[-1] is app.views["trial"].widget
    )
    app.stepper.next.click()
    assert "Step 9, Trial, still needs: seat" in app.step_notice.value
    assert "✗ 9 Trial step" in review_rows(app) and "Missing: seat" in review_rows(app)
    app.stepper.buttons["trial"].click()
    app.views["trial"].seat.value = "Row 3"
    assert button_texts(app)["trial"] == "✓ 9 Trial" and "✓ 9 Trial step" in review_rows(app)
    clock.run_due()
    assert store.load(app.case.code).participant_label == "Row 3"
