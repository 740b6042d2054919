"""The shape every step view shares: a title, its controls, and a way to report changes."""

from __future__ import annotations

import functools
import logging
from html import escape
from typing import Callable

import ipywidgets as w

from complaint.errors import InvalidInput
from complaint.i18n import Translator
from complaint.model import Case

from .common import error_line, note, show, show_error


log = logging.getLogger("workbook")


class StepView:
    """Base of the step views. Subclasses set ``step`` and build ``self.body`` children."""

    step = ""
    #: The control that gets focus when the user moves to this step (set by each subclass).
    first_control: w.DOMWidget

    def __init__(self, case: Case, t: Translator, on_change: Callable[[str], None]) -> None:
        self.case = case
        self.t = t
        self._on_change = on_change
        self.widget = w.VBox(
            [w.HTML(f"<h2 class='wb-step-title'>{escape(t(f'step.{self.step}.title'))}</h2>"), note(t(f"step.{self.step}.intro"))],
            layout=w.Layout(width="100%"),
        )
        self._bound: dict[str, w.ValueWidget] = {}
        self._invalid: dict[str, object] = {}
        self._invalid_labels: dict[str, str] = {}  # key of a refused value -> the field's label
        self.widget.add_class("wb-step")
        self.widget.add_class(f"wb-step-{self.step}")

    #: Set by the app: shows a plain message when a callback fails unexpectedly (ipywidgets
    #: would swallow the exception and the user would see nothing happen).
    on_error: Callable[[], None] | None = None

    def safely(self, handler: Callable) -> Callable:
        """Wrap a widget callback so that an unexpected error is logged and reported, not lost."""

        @functools.wraps(handler)
        def run(*args, **kwargs):
            try:
                return handler(*args, **kwargs)
            except Exception:
                log.exception("workbook: %s step callback failed", self.step)
                if self.on_error is not None:
                    self.on_error()

        return run

    #: Set by the app: called whenever a field starts or stops holding a refused value, so the
    #: save status never says "Saved" while something typed is not in the case.
    on_validity: Callable[[], None] | None = None

    def changed(self) -> None:
        self._on_change(self.step)

    def validity_changed(self) -> None:
        if self.on_validity is not None:
            self.on_validity()

    def refuse(self, key: str, raw: object, label: str) -> None:
        """Remember a value the user typed that was refused (it stays in its field, not in the case)."""
        known = key in self._invalid
        self._invalid[key], self._invalid_labels[key] = raw, label
        if not known:
            self.validity_changed()

    def accept(self, key: str) -> None:
        """The field no longer holds a refused value."""
        self._invalid_labels.pop(key, None)
        if key in self._invalid:
            del self._invalid[key]
            self.validity_changed()

    def refused_inputs(self) -> list[str]:
        """The labels of the fields whose value was refused and so is not saved."""
        return [self._invalid_labels.get(key, "") for key in self._invalid]

    def unsaved_drafts(self) -> list[str]:
        """Forms with typing that is only saved once the user presses their own save button."""
        return []

    def refresh(self) -> None:
        """Bring the view up to date with the rest of the case when the user comes back to it."""

    def bind(
        self,
        control: w.ValueWidget,
        attribute: str,
        clean: Callable[[object], object],
        target: object | None = None,
        then: Callable[[], None] | None = None,
    ) -> w.HTML:
        """Keep ``<target>.<attribute>`` (the case by default) in step with ``control``: valid input
        is stored, invalid input is explained under the control and not stored (and survives a
        re-render). ``then`` runs after a stored change. Returns the error line to place below it."""
        line = error_line()
        self._bound[attribute] = control

        def update(change: dict) -> None:
            holder = self.case if target is None else target
            try:
                value = clean(change["new"])
            except InvalidInput as error:
                show_error(line, self.t, error)
                self.refuse(attribute, change["new"], control.description)
                return
            show_error(line, self.t, None)
            self.accept(attribute)
            if getattr(holder, attribute) != value:
                setattr(holder, attribute, value)
                self.changed()
                if then is not None:
                    then()

        control.observe(self.safely(update), names="value")
        return line

    def invalid_inputs(self) -> dict[str, object]:
        """What the user typed that is not (yet) in the case: invalid input, open forms.
        Carried over when the view is rebuilt, e.g. after a language switch."""
        return dict(self._invalid)

    def restore_invalid_inputs(self, raw_values: dict[str, object]) -> None:
        """Put such input back into a rebuilt view, with its message in the new language:
        the user's typing is never silently lost."""
        for attribute, raw in raw_values.items():
            if attribute in self._bound:
                self._bound[attribute].value = raw

    def clear_when_hidden(self, choice: w.ValueWidget, other: w.Text, shown_for: str = "other") -> None:
        """Show ``other`` only while ``choice`` is ``shown_for``; when hidden its answer is cleared,
        so the sheet never carries an answer the user can no longer see."""

        def refresh(_change=None) -> None:
            visible = choice.value == shown_for
            show(other, visible)
            if not visible and other.value:
                other.value = ""

        choice.observe(refresh, names="value")
        show(other, choice.value == shown_for)
