"""Step 1: which of the article's problems this is, with its specific first advice."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from complaint.catalog import load_catalog
from complaint.model import SHORT_TEXT_MAX
from complaint.validation import clean_text

from .common import catalog_options, field, labelled, static_html
from .step import StepContext, StepView


class ProblemStep(StepView):
    step = "problem"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        case, t = self.case, self.t
        self.choice = labelled(
            w.RadioButtons,
            t("field.problem"),
            options=catalog_options("problems", t),
            value=case.problem or None,
            _dom_classes=("wb-choices",),
        )
        self.other = field(
            w.Text(value=case.problem_other, placeholder=t("field.problem_other.placeholder")),
            t("field.problem_other"),
        )
        self.first_control = self.choice
        self.advice = static_html("")
        choice_error = self.bind(
            self.choice, "problem", lambda value: value or "", then=self._refresh
        )
        other_error = self.bind(
            self.other, "problem_other", lambda value: clean_text(value, SHORT_TEXT_MAX)
        )
        self.clear_when_hidden(self.choice, self.other)
        self.widget.children += (self.choice, choice_error, self.other, other_error, self.advice)
        self._refresh()

    def _refresh(self) -> None:
        problem = load_catalog().problem(self.case.problem)
        if problem is None:
            self.advice.value = ""
            return
        items = "".join(f"<li>{escape(line)}</li>" for line in self.t.pick(problem.first_advice))
        self.advice.value = (
            # The problem's definition first, then the label right above the advice it names.
            f"<div class='wb-advice' role='note'><p class='wb-problem-hint'>{escape(self.t.pick(problem.hint))}</p>"
            f"<p class='wb-advice-title'><strong>{escape(self.t('problem.first_advice'))}</strong></p><ol>{items}</ol>"
            f"<p class='wb-source'>{escape(self.t('common.source'))}: {escape(self.t.pick(load_catalog().sources['problems']))}</p></div>"
        )
