"""The shape every step view shares: a title, its controls, and a way to report changes."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import date
from html import escape

import ipywidgets as w

from complaint import clock
from complaint.errors import InvalidInput
from complaint.i18n import Translator
from complaint.model import Case, EvidenceFile

from .common import error_line, note, show, show_error

log = logging.getLogger("workbook")

#: The classes of a step view's root: the one on screen, and a visited one kept hidden in the page.
STEP_ON_SCREEN, STEP_KEPT = "wb-step", "wb-step-kept"


def _no_change(_step: str) -> None:
    pass


def _nothing_unsaved() -> bool:
    return False


@dataclass
class StepContext:
    """Everything a step's view may use, the same for every step: the app makes one and hands it
    to each view it builds (a view takes what it needs and nothing else)."""

    case: Case
    t: Translator
    on_change: Callable[[str], None] = (
        _no_change  # "this step changed the case": autosave, progress
    )
    today: Callable[[], date] = clock.today  # read when needed: a session can cross midnight
    keep_file: Callable[[EvidenceFile, bytes], None] | None = (
        None  # evidence: keep a copy of a file
    )
    discard_file: Callable[[EvidenceFile], None] | None = (
        None  # evidence: a copy to delete once saved
    )
    read_kept: Callable[[EvidenceFile], bytes | None] | None = (
        None  # the case bundle: a kept copy's bytes
    )
    sheet_bytes: Callable[[], bytes] | None = None  # the review's download: the case sheet as saved
    unsaved: Callable[[], bool] = (
        _nothing_unsaved  # the review: whether changes are waiting to be saved
    )
    refused: Callable[[], list[tuple[str, str]]] = (
        list  # (step, field label) of every refused answer
    )


class _Unset:
    """What a mapping target holds for a key it does not have."""


def _store(holder: object, name: str, value: object) -> bool:
    """Put ``value`` into ``holder``; for a mapping an empty value removes the key. True if it changed."""
    if isinstance(holder, MutableMapping):
        if value in (None, ""):
            return holder.pop(name, _Unset) is not _Unset
        if holder.get(name, _Unset) == value:
            return False
        holder[name] = value
        return True
    if getattr(holder, name) == value:
        return False
    setattr(holder, name, value)
    return True


class StepView:
    """Base of the step views. Subclasses set ``step`` and build ``self.body`` children."""

    step = ""
    #: The control that gets focus when the user moves to this step (set by each subclass).
    first_control: w.DOMWidget

    def __init__(self, context: StepContext) -> None:
        self.context = context
        self.case, self.t, self.today = context.case, context.t, context.today
        self._on_change = context.on_change
        t = self.t
        self.widget = w.VBox(
            [
                w.HTML(f"<h2 class='wb-step-title'>{escape(t(f'step.{self.step}.title'))}</h2>"),
                note(t(f"step.{self.step}.intro")),
            ],
            layout=w.Layout(width="100%"),
            _dom_classes=(STEP_ON_SCREEN, f"wb-step-{self.step}"),
        )
        # Drafts, one mechanism for every step: each control that writes into the case is
        # registered under a key; what the user typed that is not in the case (a refused value,
        # typing in an open form) is carried over a re-render (a language switch) by that key.
        self._controls: dict[str, object] = {}  # key -> control (anything with a ``value``)
        self._unsaved_while: dict[
            str, Callable[[], bool]
        ] = {}  # key -> "its value is not in the case yet"
        self._invalid: dict[str, object] = {}
        self._invalid_labels: dict[str, str] = {}  # key of a refused value -> the field's label

    #: Set by the app: shows a plain message when a callback fails unexpectedly (ipywidgets
    #: would swallow the exception and the user would see nothing happen).
    on_error: Callable[[], None] | None = None

    def set_on_screen(self, on_screen: bool) -> None:
        """Show this step, or keep it in the page hidden (``wb-step-kept``, display: none) for a
        quick return: the browser keeps the step's rendered views, so coming back is one class
        change instead of every one of its widgets rendered again (issue 17). ``wb-step`` marks
        the step on screen for the page's script (navigation.js) and the tests."""
        mark, other = (STEP_ON_SCREEN, STEP_KEPT) if on_screen else (STEP_KEPT, STEP_ON_SCREEN)
        classes = tuple(c for c in self.widget._dom_classes if c != other)
        if mark not in classes:
            classes = (mark, *classes)
        if classes != tuple(self.widget._dom_classes):
            self.widget._dom_classes = classes  # one update, not a remove and an add

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

    def register(
        self, key: str, control: object, unsaved_while: Callable[[], bool] | None = None
    ) -> None:
        """Make ``control``'s typing a draft under ``key``: kept over a re-render while it is
        refused, or while ``unsaved_while()`` says it is not in the case yet (an open form).
        Registered in the order to restore: a form's state before its fields."""
        self._controls.pop(key, None)
        self._controls[key] = control
        if unsaved_while is not None:
            self._unsaved_while[key] = unsaved_while

    def unregister(self, prefix: str) -> None:
        """Forget the controls whose key starts with ``prefix`` (a part of the view rebuilt), and
        any value of theirs that was refused: it is no longer on the page."""
        refused = len(self._invalid)
        for key in [key for key in self._controls if key.startswith(prefix)]:
            del self._controls[key]
            self._unsaved_while.pop(key, None)
            self._invalid.pop(key, None)
            self._invalid_labels.pop(key, None)
        if len(self._invalid) != refused:
            self.validity_changed()

    def bind(
        self,
        control: w.ValueWidget,
        name: str,
        clean: Callable[[object], object],
        target: object | Callable[[], object] | None = None,
        then: Callable[[], None] | None = None,
        *,
        key: str | None = None,
        label: Callable[[], str] | None = None,
        errors: bool = True,
    ) -> w.HTML | None:
        """Keep ``target``'s ``name`` in step with ``control`` (like ipywidgets' ``dlink``, with a
        check on the way): valid input is stored, invalid input is explained under the control
        and not stored, and survives a re-render as a draft.

        ``target``: an object whose attribute ``name`` is set (the case by default), a mapping
        whose item ``name`` is set (an empty value removes it), or a function that returns one
        when a value is stored (e.g. an evidence item created only once it is answered).
        ``key``: the draft's key (``name`` by default; unique within the view). ``label``: the
        field's name in "not saved" notes (the control's description by default). ``then`` runs
        after a stored change. Returns the error line to place below the control (None when
        ``errors`` is False: a control whose ``clean`` never refuses).
        """
        key = key or name
        line = error_line() if errors else None
        self.register(key, control)

        def update(change: dict) -> None:
            if self._showing:
                return
            try:
                value = clean(change["new"])
            except InvalidInput as error:
                if line is not None:
                    show_error(line, self.t, error)
                self.refuse(key, change["new"], label() if label else control.description)
                return
            if line is not None:
                show_error(line, self.t, None)
            self.accept(key)
            holder = self.case if target is None else target() if callable(target) else target
            if _store(holder, name, value):
                self.changed()
                if then is not None:
                    then()

        control.observe(self.safely(update), names="value")
        return line

    _showing = False

    @contextlib.contextmanager
    def showing(self) -> Iterator[None]:
        """Set controls to what the case holds without it counting as the user's input."""
        self._showing = True
        try:
            yield
        finally:
            self._showing = False

    def drafts(self) -> dict[str, object]:
        """What the user typed that is not (yet) in the case: refused values, open forms.
        Carried over when the view is rebuilt, e.g. after a language switch."""
        drafts = {}
        for key, control in self._controls.items():
            if key in self._invalid:
                drafts[key] = self._invalid[key]
            elif key in self._unsaved_while and self._unsaved_while[key]():
                drafts[key] = control.value
        return drafts

    def restore_drafts(self, drafts: dict[str, object]) -> None:
        """Put such input back into a rebuilt view, with its message in the new language:
        the user's typing is never silently lost."""
        for key, raw in drafts.items():
            if key in self._controls:
                self._controls[key].value = raw

    def clear_when_hidden(
        self, choice: w.ValueWidget, other: w.Text, shown_for: str = "other"
    ) -> None:
        """Show ``other`` only while ``choice`` is ``shown_for``; when hidden its answer is cleared,
        so the sheet never carries an answer the user can no longer see."""

        def refresh(_change=None) -> None:
            visible = choice.value == shown_for
            show(other, visible)
            if not visible and other.value:
                other.value = ""

        choice.observe(refresh, names="value")
        show(other, choice.value == shown_for)
