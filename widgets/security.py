"""Step 6: the security self-audit: password strength, settings, a phishing quiz, score and actions.

The password typed here goes from the widget to ``check_password`` and nowhere else: the
field is emptied before the check runs, only the strength score is kept in the case. It is
never bound nor registered as a draft (widgets/step.py): a re-render drops it, nothing carries it.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w
from traitlets import Unicode

from complaint.audit import evaluate, load_security
from complaint.errors import InvalidInput
from complaint.passwords import (
    check_password,
    context_words,
    crack_time_parts,
    falls_within_a_day_of_a_leak,
    feedback_texts,
)

from .common import (
    auto_width_buttons,
    error_line,
    labelled,
    plain,
    shared_layout,
    show_error,
    static_html,
)
from .step import StepContext, StepView


class SecretField(w.Password):
    """A password field whose value the kernel never sends back to the page.

    ipywidgets 8 answers every value a page sends with an "echo" of it; for a password that
    would put it on the wire a second time. The value is also emptied as soon as it is checked.
    """

    value = Unicode(help="String value").tag(sync=True, echo_update=False)


def _answer(choice: str | None) -> str:
    return choice or ""  # no choice: the answer is removed


class SecurityStep(StepView):
    step = "security"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        case, t = self.case, self.t
        content = load_security()
        # -- password check
        self.password = labelled(SecretField, t("password.field"), continuous_update=False)
        self.context = labelled(
            w.Text,
            t("password.context"),
            placeholder=t("password.context.placeholder"),
            continuous_update=False,
        )
        self.check = plain(w.Button, description=t("password.check"), button_style="primary")
        self.check.on_click(self.safely(lambda _b: self.check_now()))
        # Enter in the field checks too. The page sends "submit" on the key press and the typed
        # value just after it (continuous_update=False syncs it on the change event that follows),
        # so a submit with an empty field waits for the value to arrive.
        self._submitted = False
        self.password.on_msg(self.safely(self._on_password_message))
        self.password.observe(self.safely(self._on_password_value), names="value")
        self.password_error = error_line()
        self.password_result = static_html("")
        guidance = (
            f"<details class='wb-guidance'><summary>{escape(t('audit.guidance_title'))}</summary>"
            f"<p>{escape(t.pick(content.guidance_note))}</p></details>"
        )
        password_box = w.VBox(
            [static_html(f"<h3>{escape(t('password.title'))}</h3><p class='wb-note'>{escape(t('password.promise'))}</p>"),
             self.password, self.context, self.check, self.password_error, self.password_result, static_html(guidance)],
            layout=shared_layout(width="100%"), _dom_classes=("wb-card",),
        )  # fmt: skip
        # -- settings questions
        self.questions: dict[str, w.ValueWidget] = {}
        question_cards = []
        for question in content.questions:
            options = [(t.pick(o.label), o.id) for o in content.answer_sets[question.answers]]
            value = case.audit.answers.get(question.id) or None
            if question.answers == "yes_no":
                control = plain(
                    w.ToggleButtons,
                    options=options,
                    value=value,
                    style=auto_width_buttons(),
                    _dom_classes=("wb-status-buttons",),
                )
            else:
                control = plain(
                    w.RadioButtons,
                    options=options,
                    value=value,
                    layout=shared_layout(width="100%"),
                    _dom_classes=("wb-choices",),
                )
            self.bind(
                control,
                question.id,
                _answer,
                target=lambda: self.case.audit.answers,
                then=self._show_result,
                key=f"audit.{question.id}",
                errors=False,
            )
            self.questions[question.id] = control
            head = static_html(
                f"<div class='wb-item-head'><strong>{escape(t.pick(question.label))}</strong><p class='wb-note'>{escape(t.pick(question.why))}</p></div>"
            )
            card = w.VBox(
                [head, control], layout=shared_layout(width="100%"), _dom_classes=("wb-card",)
            )
            question_cards.append(card)
        # -- phishing quiz
        self.quiz: dict[str, w.ToggleButtons] = {}
        self.explanations: dict[str, w.HTML] = {}
        quiz_cards = []
        for example in content.phishing:
            options = [(t.pick(content.answer_labels[a]), a) for a in ("safe", "suspicious")]
            control = plain(
                w.ToggleButtons,
                options=options,
                value=case.audit.phishing.get(example.id) or None,
                style=auto_width_buttons(),
                _dom_classes=("wb-status-buttons",),
            )
            then = lambda eid=example.id: (self._explain(eid), self._show_result())  # noqa: E731
            self.bind(
                control,
                example.id,
                _answer,
                target=lambda: self.case.audit.phishing,
                then=then,
                key=f"audit.phishing.{example.id}",
                errors=False,
            )
            self.quiz[example.id] = control
            self.explanations[example.id] = static_html("")
            shown = static_html(
                f"<blockquote class='wb-example'>{escape(t.pick(example.example))}</blockquote>"
            )
            card = w.VBox(
                [shown, control, self.explanations[example.id]],
                layout=shared_layout(width="100%"),
                _dom_classes=("wb-card",),
            )
            quiz_cards.append(card)
        self.result = static_html("")
        self.summary = static_html(
            ""
        )  # the score again at the top: the full result is at the end of a long page
        self.first_control = self.password
        self.widget.children += (
            self.summary,
            password_box,
            static_html(f"<h3>{escape(t('audit.questions_title'))}</h3>"),
            *question_cards,
            static_html(f"<h3>{escape(t('audit.quiz_title'))}</h3>"),
            *quiz_cards,
            self.result,
        )
        for example_id in self.quiz:
            self._explain(example_id)
        self._show_result()

    # -- password ----------------------------------------------------------------------------

    def _on_password_message(self, _widget, content: dict, _buffers) -> None:
        if content.get("event") != "submit":
            return
        if self.password.value:
            self.check_now()
        else:
            self._submitted = True

    def _on_password_value(self, change: dict) -> None:
        if change["new"] and self._submitted:
            self.check_now()

    def check_now(self) -> None:
        self._submitted = False
        password = self.password.value
        self.password.value = ""  # gone from the page and the widget state before anything else
        try:
            report = check_password(password, context_words(self.case, self.context.value))
        except InvalidInput as error:
            show_error(self.password_error, self.t, error)
            self.password_result.value = ""
            return
        finally:
            del password
        show_error(self.password_error, self.t, None)
        self.case.audit.password_score = report.score
        self._show_strength(report)
        self._show_result()
        self.changed()

    def _show_strength(self, report) -> None:
        t = self.t

        def duration(seconds: float) -> str:
            key, n = crack_time_parts(seconds)
            return t(key, n=n)

        texts = feedback_texts()
        # zxcvbn's own English words where the feedback file has no translation of them
        advice = [t.pick(texts.get(report.warning, report.warning))] if report.warning else []
        advice += [t.pick(texts.get(s, s)) for s in report.suggestions]
        items = "".join(f"<li>{escape(line)}</li>" for line in advice if line)
        label = t(f"password.score.{report.score}")
        # a "moderate" rating beside "2 hours" must say what those hours mean
        leak = (
            f"<p class='wb-missing'>{escape(t('password.leaks_fast'))}</p>"
            if report.score >= 3 and falls_within_a_day_of_a_leak(report)
            else ""
        )
        self.password_result.value = (
            f"<div class='wb-strength wb-strength-{report.score}' role='status'>"
            f"<div class='wb-meter'><div class='wb-meter-bar' style='width:{(report.score + 1) * 20}%'></div></div>"
            f"<p><strong>{escape(t('password.strength', label=label, score=report.score))}</strong></p>"
            f"<p>{escape(t('password.offline', time=duration(report.offline_seconds)))}<br>"
            f"{escape(t('password.online', time=duration(report.online_seconds)))}</p>"
            f"{leak}"
            f"{f'<ul>{items}</ul>' if items else ''}"
            f"<p class='wb-note'>{escape(t('password.no_chinese_dictionary'))}</p>"
            f"<p class='wb-hint'>{escape(t('password.cleared'))}</p></div>"
        )

    # -- questions, quiz, result -------------------------------------------------------------

    def _explain(self, example_id: str) -> None:
        t, content = self.t, load_security()
        example = next(e for e in content.phishing if e.id == example_id)
        answer = self.case.audit.phishing.get(example_id)
        if not answer:
            self.explanations[example_id].value = ""
            return
        right = answer == example.answer
        verdict = t("audit.quiz.right") if right else t("audit.quiz.wrong")
        text = t("audit.quiz.explanation", verdict=verdict, explanation=t.pick(example.explanation))
        self.explanations[
            example_id
        ].value = (
            f"<p class='{'wb-hint' if right else 'wb-missing'}' role='status'>{escape(text)}</p>"
        )

    def refresh(self) -> None:
        """Coming back after changing the provider: the advice follows the wallet in use."""
        self._show_result()

    def _show_result(self) -> None:
        t, content = self.t, load_security()
        result = evaluate(self.case.audit, content)
        actions = "".join(
            f"<li><span class='wb-priority wb-priority-{a.priority}'>{escape(t(f'audit.priority.{a.priority}'))}</span> "
            f"<strong>{escape(t.pick(content.action_text(a, self.case.provider)))}</strong><br><span class='wb-note'>{escape(t.pick(content.action_why(a, self.case.provider)))}</span></li>"
            for a in result.actions
        )
        progress = t(
            "audit.progress",
            answered=result.answered,
            questions=result.questions,
            right=result.phishing_right,
            total=len(content.phishing),
        )
        if self.case.audit.is_empty():  # a score of unanswered questions would only mislead
            not_started = escape(t("audit.not_started"))
            self.summary.value = (
                f"<p class='wb-audit-summary wb-audit-not-started' role='status'>{not_started}</p>"
            )
            self.result.value = f"<div class='wb-card wb-audit-result' aria-live='polite'><p>{not_started}</p><p class='wb-note'>{escape(progress)}</p></div>"
            return
        summary = t("audit.summary", score=result.score, actions=len(result.actions))
        self.summary.value = f"<p class='wb-audit-summary' role='status'>{escape(summary)}</p>"
        self.result.value = (
            f"<div class='wb-card wb-audit-result' aria-live='polite'>"
            f"<h3 class='wb-score'>{escape(t('audit.score', score=result.score))}</h3>"
            f"<p class='wb-note'>{escape(progress)}</p>"
            f"<h4>{escape(t('audit.actions_title'))}</h4>"
            + (
                f"<ol class='wb-actions'>{actions}</ol>"
                if actions
                else f"<p>{escape(t('audit.no_actions'))}</p>"
            )
            + "</div>"
        )
