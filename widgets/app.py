"""The workbook application: language switch, start screen, steps, autosave and download."""

from __future__ import annotations

import os
from datetime import date
from html import escape

import ipywidgets as w

from complaint.errors import WorkbookError
from complaint.i18n import LANGUAGES, Translator, normalise_language, query_parameters
from complaint.model import STEPS, Case
from complaint.progress import step_status
from complaint.sheet import write_sheet
from complaint.storage import CaseStore

from .autosave import Debouncer, _call_later_on_running_loop
from .common import stylesheet
from .facts import FactsStep
from .goal import GoalStep
from .problem import ProblemStep
from .savebar import SaveBar
from .start import StartPanel
from .stepper import Stepper

STEP_VIEWS = {"problem": ProblemStep, "facts": FactsStep, "goal": GoalStep}
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
AUTOSAVE_DELAY_SECONDS = 0.6


def close_tree(widget: w.Widget) -> None:
    """Close a widget and everything inside it, so a re-render leaves no orphan comms behind."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


class WorkbookApp:
    """One visitor's workbook. Display it with ``display(app)`` or as a cell's last expression."""

    def __init__(
        self,
        store: CaseStore | None = None,
        language: str | None = None,
        *,
        resume_code: str | None = None,
        call_later=_call_later_on_running_loop,
        today: date | None = None,
    ) -> None:
        self.store = store or CaseStore()
        self.language = normalise_language(language)
        self.t = Translator(self.language)
        self.today = today
        self.case: Case | None = None
        self.current_step = STEPS[0]
        self.autosave = Debouncer(self.save, AUTOSAVE_DELAY_SECONDS, call_later)
        self.language_switch = w.ToggleButtons(
            options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value=self.language, style={"button_width": "auto"}
        )
        self.language_switch.add_class("wb-language")
        self.language_switch.observe(lambda change: self.switch_language(change["new"]), names="value")
        self.title = w.HTML()
        header = w.Box([self.title, self.language_switch], layout=w.Layout(flex_flow="row wrap", justify_content="space-between", align_items="center", width="100%"))
        header.add_class("wb-header")
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.root = w.VBox([stylesheet(), header, self.body])
        self.root.add_class("wb-app")
        self.start: StartPanel | None = None
        self.views: dict[str, object] = {}
        self._render()
        if resume_code:
            self.resume(resume_code)

    @classmethod
    def from_environment(cls, **kwargs) -> "WorkbookApp":
        """Read ``?lang=`` and ``?case=`` from the page URL (Voilà passes it as QUERY_STRING)."""
        params = query_parameters(os.environ.get("QUERY_STRING", ""))
        return cls(language=params.get("lang"), resume_code=params.get("case"), **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.root._repr_mimebundle_(**kwargs)

    # -- screens -----------------------------------------------------------------------------

    def _render(self) -> None:
        for child in self.body.children:
            close_tree(child)
        self.title.value = f"<h1 class='wb-title'>{escape(self.t('app.title'))}</h1>"
        if self.case is None:
            self.start = StartPanel(self.t, self.start_new_case, self.resume)
            self.body.children = (self.start.widget,)
            return
        self.start = None
        self.savebar = SaveBar(self.t, self.case.code, self.save_now)
        self.stepper = Stepper(self.t, lambda step: self.go(step, focus=True))
        self.views = {
            "problem": ProblemStep(self.case, self.t, self._changed),
            "facts": FactsStep(self.case, self.t, self._changed, today=self.today),
            "goal": GoalStep(self.case, self.t, self._changed),
        }
        self.step_area = w.VBox(layout=w.Layout(width="100%"))
        self.body.children = (self.savebar.widget, self.stepper.steps_bar, self.stepper.progress, self.step_area, self.stepper.nav_bar)
        if self.store.path_for(self.case.code).exists():
            self._show_saved(write_sheet(self.case))
        else:
            self.savebar.set_status("save.not_yet")
        self.go(self.current_step)

    def start_new_case(self) -> None:
        self.case = self.store.new_case(self.language)
        self.current_step = STEPS[0]
        self._render()
        self.save()  # on disk at once, so the code shown already works

    def resume(self, typed_code: str) -> None:
        try:
            case = self.store.load(typed_code)
        except WorkbookError as error:
            # Nothing is written here: a sheet that failed to load is left exactly as it is.
            if self.start is not None:
                self.start.show_error(error)
            return
        self.case = case
        self.current_step = STEPS[0]
        language_changed = case.language != self.language
        case.language = self.language
        self._render()
        if language_changed:
            self._changed("")

    def switch_language(self, language: str) -> None:
        self.language = normalise_language(language)
        self.t = Translator(self.language)
        if self.case is not None:
            self.case.language = self.language  # the sheet's labels follow the user's language
            self.autosave.trigger()
        self._render()

    def go(self, step: str, focus: bool = False) -> None:
        self.current_step = step
        view = self.views[step]
        if isinstance(view, GoalStep):
            view.refresh_suggestion()
        self.step_area.children = (view.widget,)
        self._update_progress()
        if focus:  # moves keyboard focus, and the phone's viewport, to the top of the new step
            view.first_control.focus()

    # -- changes and saving ------------------------------------------------------------------

    def _update_progress(self) -> None:
        self.stepper.update(self.current_step, {step: step_status(self.case, step) for step in STEPS})

    def _changed(self, _step: str) -> None:
        self.savebar.set_status("save.pending")
        self._update_progress()
        self.autosave.trigger()

    def save_now(self) -> None:
        self.autosave.cancel()
        self.save()

    def save(self) -> None:
        try:
            data = self.store.save(self.case)
        except OSError:  # disk full, read-only volume...: say so, keep the answers on the page
            self.savebar.set_status("save.failed")
            return
        self._show_saved(data)

    def _show_saved(self, data: bytes) -> None:
        """Status line and download link for the sheet just saved: the link carries these bytes."""
        self.savebar.set_status("save.saved", time=self.case.updated_at.astimezone().strftime("%H:%M:%S"))
        self.savebar.set_download(data, f"case-sheet-{self.case.case_id[:8]}.csv")
