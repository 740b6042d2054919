"""Step 3: what the user wants, decided before contacting anyone (the article's advice)."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from complaint.catalog import load_catalog
from complaint.model import DESCRIPTION_MAX, SHORT_TEXT_MAX
from complaint.validation import clean_text

from .common import catalog_options, char_counter, field, labelled, note, static_html
from .step import StepContext, StepView


class GoalStep(StepView):
    step = "goal"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        case, t = self.case, self.t
        self.suggestion = static_html("")
        self.choice = labelled(
            w.RadioButtons,
            t("field.goal"),
            options=catalog_options("goals", t),
            value=case.goal or None,
            _dom_classes=("wb-choices",),
        )
        self.first_control = self.choice
        self.other = field(
            w.Text(value=case.goal_other, placeholder=t("field.goal_other.placeholder")),
            t("field.goal_other"),
        )
        self.details = labelled(
            w.Textarea,
            t("field.goal_details"),
            value=case.goal_details,
            placeholder=t("field.goal_details.placeholder"),
            rows=3,
        )
        choice_error = self.bind(self.choice, "goal", lambda value: value or "")
        other_error = self.bind(
            self.other, "goal_other", lambda value: clean_text(value, SHORT_TEXT_MAX)
        )
        details_error = self.bind(
            self.details,
            "goal_details",
            lambda value: clean_text(value, DESCRIPTION_MAX, multiline=True),
        )
        self.clear_when_hidden(self.choice, self.other)
        self.widget.children += (
            self.suggestion,
            self.choice,
            choice_error,
            self.other,
            other_error,
            self.details,
            char_counter(self.details, DESCRIPTION_MAX, t, multiline=True),
            note(t("field.goal_details.hint")),
            details_error,
        )
        self.refresh()

    def refresh(self) -> None:
        """Name the goals that usually fit the chosen problem (from the catalog)."""
        catalog = load_catalog()
        problem = catalog.problem(self.case.problem)
        if problem is None or not problem.suggested_goals:
            self.suggestion.value = ""
            return
        names = self.t("common.list_separator").join(
            catalog.label("goals", g, self.t.language) for g in problem.suggested_goals
        )
        text = self.t("goal.suggested", problem=self.t.pick(problem.label), goals=names)
        self.suggestion.value = f"<p class='wb-hint'>{escape(text)}</p>"
