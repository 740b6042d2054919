"""The workbook application: language switch, start screen, steps, autosave and download."""

from __future__ import annotations

import atexit
import functools
import importlib
import logging
import os
import weakref
from datetime import date
from html import escape

import ipywidgets as w

from complaint import clock
from complaint.codes import format_code
from complaint.errors import SaveConflict, WorkbookError
from complaint.evidence import safe_filename
from complaint.i18n import Translator, languages, normalise_language, query_parameters
from complaint.model import Case
from complaint.progress import missing_text, step_marks
from complaint.sheet import write_sheet
from complaint.steps import spec_for, step_ids
from complaint.storage import CaseStore, sheet_digest

from . import preheat
from .autosave import Debouncer, _call_later_on_running_loop
from .casebar import CLOSED, NEW, CasePanel
from .common import (
    close_tree,
    language_header,
    mark_language,
    shared_layout,
    show,
    static_html,
    stylesheet_html,
)
from .continuity import (
    ConflictAlert,
    PageTexts,
    ReopenBridge,
    device_controls_html,
    remembered_case_html,
)
from .problem import ProblemStep  # noqa: F401  (the first step: loaded with the app, not on first use)
from .savebar import SaveBar
from .start import StartPanel
from .step import StepContext
from .stepper import Stepper

log = logging.getLogger("workbook")

AUTOSAVE_DELAY_SECONDS = 0.6
_APPS: weakref.WeakSet[WorkbookApp] = weakref.WeakSet()


@atexit.register
def _save_pending_changes_at_exit() -> None:
    """A page that is reloaded or closed shuts its kernel down at once (Voilà's shutdown request):
    changes still waiting for the autosave delay are saved on the way out, not dropped."""
    for app in list(_APPS):
        app.save_pending_quietly()


def guarded(method):
    """Run a UI callback; an unexpected error is logged and shown as a plain message, because
    ipywidgets would swallow it and the user would see nothing happen."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception:
            log.exception("workbook: %s failed", method.__name__)
            self.show_unexpected_error()
            return None

    return run


class StepViews(dict):
    """step -> view, each built the first time it is asked for (and given back any invalid
    input its predecessor held before a re-render)."""

    def __init__(self, build, carried: dict[str, dict], on_error, on_validity) -> None:
        super().__init__()
        self._build, self.carried, self.on_error, self.on_validity = (
            build,
            carried,
            on_error,
            on_validity,
        )

    def __missing__(self, step: str):
        carried = self.carried.pop(step, {})  # first: building a view may count the others' input
        view = self[step] = self._build(step)
        view.on_error, view.on_validity = self.on_error, self.on_validity
        view.restore_drafts(carried)
        return view


class WorkbookApp:
    """One visitor's workbook. Display it with ``display(app)`` or as a cell's last expression."""

    def __init__(
        self,
        store: CaseStore | None = None,
        language: str | None = None,
        *,
        resume_code: str | None = None,
        module: str | None = None,
        scenario: str | None = None,
        call_later=_call_later_on_running_loop,
        today: date | None = None,
    ) -> None:
        self.store = store or CaseStore()
        self.language = normalise_language(language)
        self.t = Translator(self.language)
        self._today = today  # fixed only in tests; otherwise the workshop's date, read when needed
        self.case: Case | None = None
        self.current_step = step_ids()[0]
        # What this window knows of the file on disk: the digest of the sheet it last read or
        # wrote (a save expects to replace exactly that), and the state shown in the save bar.
        self.saved_digest: str | None = None
        self.saved_bytes: bytes | None = None
        self.save_state = "not_yet"
        self.saved_at = (
            ""  # HH:MM of the last save this window made or read (for the page's script)
        )
        self.pending_discards: list = []
        self.imported_from: str | None = None  # name of the case sheet this case was restored from
        self.imported_files: int | None = (
            None  # for a case bundle: how many kept evidence files came back
        )
        self.autosave = Debouncer(self.save, AUTOSAVE_DELAY_SECONDS, call_later)
        self.case_panel_mode = NEW  # the resume code stays in view until the user noted it
        _APPS.add(self)
        self.title = static_html("")
        header, self.language_switch = language_header(
            self.title, self.language, self.switch_language
        )
        self.body = w.VBox(layout=shared_layout())
        # Hidden: the stylesheet with what the page shows if the connection dies, and the way it
        # hands back this tab's case after a reload (widgets/continuity.py).
        self.page_texts = PageTexts(self.t, before=stylesheet_html())
        self.bridge = ReopenBridge(self.reopen)
        self.root = w.VBox(
            [self.page_texts.widget, self.bridge.widget, header, self.body],
            layout=shared_layout(),
            _dom_classes=("wb-app",),
        )
        self.start: StartPanel | None = None
        self.savebar: SaveBar | None = None
        self.views: dict[str, object] = {}
        # ?module=security: the self-audit on its own, for a workshop module on account safety.
        # It works on a scratch case that is never saved.
        self.scratch = Case(language=self.language) if module == "security" else None
        self._render()
        self.open_from_url(resume_code, scenario)

    def open_from_url(self, resume_code: str | None, scenario: str | None) -> None:
        """Open the case (``?case=``) or practice scenario (``?scenario=``) the page URL names."""
        if resume_code and self.scratch is None:
            self.resume(resume_code)
        elif scenario and self.scratch is None:
            self.start_practice(scenario)

    @property
    def today(self) -> date:
        return self._today or clock.today()

    @classmethod
    def from_environment(cls, **kwargs) -> WorkbookApp:
        """Read ``?lang=``, ``?case=``, ``?module=`` and ``?scenario=`` from the page URL.

        Voilà passes the URL's query as QUERY_STRING. A preheated kernel (``make workshop``) runs
        before anyone has asked for the page: it loads what every visitor needs and builds the
        start screen in each language, then waits for its visitor's request, so the parameters
        are read only once they exist. After the request it only picks a screen and fills it in:
        what is left of the page is ready at once (docs/performance.md).
        """
        ready: dict[str, WorkbookApp] = {}
        if preheat.wait_is_needed():
            preheat.warm_up()
            ready = {language: cls(language=language, **kwargs) for language in languages()}
            preheat.wait_for_request()
        params = query_parameters(os.environ.get("QUERY_STRING", ""))
        language, module = normalise_language(params.get("lang")), params.get("module")
        app = ready.pop(language, None) if module is None else None
        for unused in ready.values():  # so the browser never asks for the screen nobody wanted
            unused.discard()
        if app is None:
            return cls(
                language=language,
                resume_code=params.get("case"),
                module=module,
                scenario=params.get("scenario"),
                **kwargs,
            )
        app.open_from_url(params.get("case"), params.get("scenario"))
        return app

    def discard(self) -> None:
        """Close every widget of this app, a start screen built ahead that nobody asked for and
        no page has seen (no message is sent for it)."""
        _APPS.discard(self)
        close_tree(self.root, unseen=True)

    def _repr_mimebundle_(self, **kwargs):
        """The page's widget; as plain text (where widgets are not shown), the workbook's title.
        Not ipywidgets' default text, a repr of every widget on screen cut to 110 characters: it
        took 4 ms of every visitor's wait after the request (docs/performance.md)."""
        view = {"version_major": 2, "version_minor": 0, "model_id": self.root.model_id}
        return {"text/plain": self.t("app.title"), "application/vnd.jupyter.widget-view+json": view}

    # -- screens -----------------------------------------------------------------------------

    def _render(self) -> None:
        """(Re)build the screen for the current language from the case, the single source of truth."""
        # Invalid input of built views, plus what earlier re-renders carried for unvisited steps.
        carried = dict(getattr(self.views, "carried", {}))
        carried.update({step: view.drafts() for step, view in self.views.items()})
        for child in self.body.children:
            close_tree(child)
        for view in self.views.values():  # the hidden steps too, not only the one on screen
            close_tree(view.widget)
        mark_language(self.root, self.language)  # the page template sets <html lang> from it
        self.title.value = f"<h1 class='wb-title'>{escape(self.t('app.title'))}</h1>"
        self.page_texts.update(self.t)
        self.views: dict[str, object] = {}
        if self.scratch is not None:
            self.scratch.language = self.language
            from .security import SecurityStep

            view = SecurityStep(StepContext(self.scratch, self.t))
            view.on_error = self.show_unexpected_error
            self.views = {"security": view}
            note = w.HTML(f"<p class='wb-hint'>{escape(self.t('audit.standalone'))}</p>")
            self.body.children = (note, view.widget)
            return
        if self.case is None:
            self.start = StartPanel(
                self.t, self.start_new_case, self.resume, self.start_practice, self.resume_from_sheet, above=remembered_case_html(self.t), container=self.body
            )  # fmt: skip
            return
        self.start = None
        self.body.remove_class("wb-start")
        self.savebar = SaveBar(self.t, self.case.code, self.save_now, self.make_xlsx)
        self.stepper = Stepper(self.t, self.go, on_next=lambda step: self.go(step, by_next=True))
        self.views = StepViews(
            self._build_view, carried, self.show_unexpected_error, self._show_save_state
        )
        self.step_notice = w.HTML(layout=w.Layout(display="none"))  # what the left step still needs
        self.step_area = w.VBox([self.step_notice], layout=shared_layout(width="100%"))
        banner = ()
        if self.case.practice:  # never mistaken for a real complaint
            from complaint.scenarios import scenarios

            scenario = scenarios().get(self.case.practice)
            title = self.t.pick(scenario.title) if scenario else self.case.practice
            banner = (
                w.HTML(
                    f"<div class='wb-practice' role='note'>{escape(self.t('practice.banner', title=title))}</div>"
                ),
            )
        if (
            self.imported_from is not None
        ):  # told until the page is left: the code shown is a new one
            if self.imported_files is None:
                text = self.t(
                    "start.sheet_imported",
                    name=self.imported_from,
                    code=format_code(self.case.code),
                )
            else:
                text = self.t(
                    "start.bundle_imported",
                    name=self.imported_from,
                    count=self.imported_files,
                    code=format_code(self.case.code),
                )
            banner += (w.HTML(f"<div class='wb-imported' role='status'>{escape(text)}</div>"),)
        from .participant import ParticipantCard  # the number and name a workshop's trainer sees

        self.participant = ParticipantCard(self.case, self.t, self._changed)
        self.conflict_area = w.VBox(layout=shared_layout())
        device = static_html(device_controls_html(self.t))

        def toggled(mode: str) -> None:  # the panel stays as the user left it across re-renders
            self.case_panel_mode = mode

        self.case_panel = CasePanel(
            self.t,
            self.savebar,
            device,
            self.participant.widget,
            mode=self.case_panel_mode,
            on_toggle=toggled,
        )
        self.body.children = banner + (
            self.conflict_area, self.case_panel.bar, self.case_panel.panel, self.stepper.menu, self.stepper.steps_bar, self.stepper.progress, self.step_area, self.stepper.nav_bar
        )  # fmt: skip
        self._show_save_state()
        self.go(self.current_step)

    def _build_view(self, step: str):
        """Build one step's view on first use: a new case pays for one step, not all of them,
        and a step's module is imported only when someone opens that step."""
        module, _, name = spec_for(step).view.partition(":")
        context = StepContext(
            self.case, self.t, self._changed, lambda: self.today, keep_file=self._keep_file, discard_file=self._discard_file,
            read_kept=self._read_kept, sheet_bytes=self._sheet_for_download, unsaved=lambda: self.save_state != "saved", refused=self.refused_answers,
        )  # fmt: skip
        return getattr(importlib.import_module(module), name)(context)

    def _sheet_for_download(self) -> bytes:
        """The saved bytes when saved; otherwise the sheet of the answers on the page."""
        return (
            self.saved_bytes
            if self.save_state == "saved" and self.saved_bytes
            else write_sheet(self.case)
        )

    @guarded
    def start_new_case(self) -> None:
        self.case = self.store.new_case(self.language)
        self.current_step = step_ids()[0]
        self._render()
        self.save()  # on disk at once, so the code shown already works

    @guarded
    def start_practice(self, scenario_id: str) -> None:
        """A new case of the user's own, filled in from a fictional practice scenario."""
        from complaint.scenarios import fill_case, scenarios

        if scenario_id not in scenarios():
            if self.start is not None:
                self.start.show_message("practice.unknown")
            return
        self.case = fill_case(self.store.new_case(self.language), scenario_id, self.today)
        self.current_step = step_ids()[0]
        self._render()
        self.save()

    @guarded
    def resume(self, typed_code: str) -> None:
        try:
            case, data = self.store.load_sheet(typed_code)
        except WorkbookError as error:
            # Nothing is written here: a sheet that failed to load is left exactly as it is.
            if self.start is not None:
                self.start.show_error(error)
            return
        self.case_panel_mode = CLOSED  # opened with its code: no need to show it again
        self._show_loaded(case, data, step_ids()[0])

    def _show_loaded(self, case: Case, data: bytes, step: str) -> None:
        """Show a case just read from disk (``data``: the sheet's bytes), at ``step``."""
        case.language = self.language  # labels follow the reader; saved with the next change
        self.case, self.current_step, self.pending_discards = case, step, []
        self.saved_bytes, self.saved_digest, self.save_state = data, sheet_digest(data), "saved"
        self.saved_at = clock.local_time_text(case.updated_at)
        self._render()

    @guarded
    def resume_from_sheet(self, name: str, data: bytes) -> None:
        """Every answer of a downloaded case sheet or case bundle (with the bundle's kept evidence
        files), in a new case with a new resume code."""
        try:
            case, kept = self.store.import_upload(data, self.language)
        except WorkbookError as error:
            # Nothing was written: a damaged or foreign file changes nothing on disk.
            if self.start is not None:
                self.start.show_sheet_error(error)
            return
        self.case, self.current_step = case, step_ids()[0]
        for record, content in kept:  # before the sheet that says they are kept is saved
            self.store.keep_file(case, record, content)
        from complaint.bundle import is_zip  # loaded by import_upload already

        self.imported_from, self.imported_files = (
            safe_filename(name),
            (len(kept) if is_zip(data) else None),
        )
        self._render()
        self.save()  # on disk at once, so the new code shown already works

    @guarded
    def reopen(self, kept: str) -> None:
        """Open the case the page kept for this tab or device (after a reload, Back, a discarded
        tab), as if its code had been typed, at the step the tab was on ("CODE#3"); only from the
        start screen, never over an open case."""
        if self.case is not None or self.scratch is not None:
            self.bridge.clear()
            return
        code, _, step = kept.partition("#")
        self.resume(code)
        if self.case is None:  # gone or unreadable: the page stops waiting and forgets the code
            self.bridge.failed()
            if self.start is not None:
                self.start.show_message("connection.reopen_failed")
            return
        self.bridge.clear()
        if step.isdigit() and 0 < int(step) < len(step_ids()):
            self.go(step_ids()[int(step)])

    @guarded
    def load_newer_version(self) -> None:
        """After a save conflict: read the case again from disk, as the other window left it."""
        case, data = self.store.load_sheet(self.case.code)
        self._show_loaded(case, data, self.current_step)

    @guarded
    def switch_language(self, language: str) -> None:
        self.language = normalise_language(language)
        self.t = Translator(self.language)
        if self.case is not None:
            self.case.language = self.language  # the sheet's labels follow the user's language
            self.autosave.trigger()
        self._render()

    def go(self, step: str, by_next: bool = False) -> None:
        """Show ``step``. After Next from a step that still needs answers, say what it needs,
        above the new step: the user may go on, and knows what to come back for. The page's
        script (navigation.js) then brings the new step (with that note) to the top of the screen
        and moves keyboard focus to its heading."""
        left, self.current_step = self.current_step, step
        view = self.views[step]
        view.refresh()  # a step may show what other steps answered (and today's date)
        missing = missing_text(self.case, left, self.t) if by_next and spec_for(left).marked else ""
        if missing:
            number = step_ids().index(left) + 1
            text = self.t(
                "nav.missing", number=number, step=self.t(f"step.{left}.short"), items=missing
            )
            self.step_notice.value = (
                f"<p class='wb-missing wb-step-notice' role='status'>{escape(text)}</p>"
            )
        else:
            self.step_notice.value = ""
        # Every step visited stays in the page, hidden but rendered: the step left is hidden first
        # (a moment with no step, as when a view is replaced, rather than two steps at once), a
        # new one is appended (the browser keeps the views before it), the note is shown or not.
        for other_step, other in self.views.items():
            if other_step != step:
                other.set_on_screen(False)
        if view.widget not in self.step_area.children:
            self.step_area.children = (*self.step_area.children, view.widget)
        view.set_on_screen(True)
        show(self.step_notice, bool(missing))
        self._update_progress()

    def _keep_file(self, record, data: bytes) -> None:
        self.store.keep_file(self.case, record, data)

    def _read_kept(self, record) -> bytes | None:
        """A kept evidence file's bytes for the case bundle (None: the copy is gone)."""
        try:
            return self.store.kept_file_path(self.case, record).read_bytes()
        except FileNotFoundError:
            return None

    def _discard_file(self, record) -> None:
        # Deleted only once a save without the record succeeds: a window whose save is refused
        # (conflict) must not delete a copy that the sheet on disk still lists.
        self.pending_discards.append(record)

    def show_unexpected_error(self) -> None:
        if self.savebar is not None and self.case is not None:
            self.savebar.set_status("app.unexpected_error")
            self._offer_download_of_page()
        elif self.start is not None:
            self.start.show_message("app.unexpected_error")

    # -- changes and saving ------------------------------------------------------------------

    def _update_progress(self) -> None:
        self.stepper.update(self.current_step, step_marks(self.case))

    def _changed(self, _step: str) -> None:
        self.savebar.clear_xlsx()  # made from the answers before this change
        if self.save_state != "conflict":  # after a conflict, this window no longer saves
            self.save_state = "pending"
            self._show_save_state()
            self.autosave.trigger()
        self._update_progress()

    @guarded
    def make_xlsx(self) -> None:
        """The case sheet as .xlsx, made only when asked for (openpyxl is imported here)."""
        from complaint.xlsx import sheet_xlsx

        self.autosave.cancel()
        self.save()  # what the file holds is what is saved, as far as the disk allows
        self.savebar.set_xlsx(
            sheet_xlsx(self.case), self._download_name().removesuffix(".csv") + ".xlsx"
        )

    @guarded
    def save_now(self) -> None:
        self.autosave.cancel()
        self.save()

    def save(self) -> None:
        if self.case is None or self.save_state == "conflict":
            return
        try:
            data = self.store.save(self.case, expected=self.saved_digest)
        except SaveConflict:
            self.save_state = "conflict"
        except OSError:  # disk full, read-only volume...: say so, keep the answers on the page
            log.exception("workbook: saving a case sheet failed")
            self.save_state = "failed"
        else:
            self.saved_bytes, self.saved_digest, self.save_state = data, sheet_digest(data), "saved"
            self.saved_at = clock.local_time_text(self.case.updated_at)
            discards, self.pending_discards = self.pending_discards, []
            for record in discards:
                self.store.discard_file(self.case, record)
        self._show_save_state()

    def refused_answers(self) -> list[tuple[str, str]]:
        """(step, field label) of every field that holds a value the workbook refused (too long,
        not a date...): typed and shown, but not in the case, so not saved."""
        if not isinstance(self.views, StepViews):
            return []
        for step, raw in list(self.views.carried.items()):
            if raw and step in step_ids():
                self.views[step]  # rebuilt with that input (after a language switch) to count it
        return [
            (step, label)
            for step in step_ids()
            if step in self.views
            for label in self.views[step].refused_inputs()
        ]

    def save_pending_quietly(self) -> None:
        """Save a change still waiting for the autosave, without touching the page (it is gone)."""
        if not self.autosave.waiting or self.case is None or self.save_state == "conflict":
            return
        self.autosave.cancel()
        try:
            self.store.save(self.case, expected=self.saved_digest)
        except (SaveConflict, OSError):
            log.warning("workbook: a change pending at shutdown could not be saved")

    def _show_save_state(self) -> None:
        """The save status says what the kernel last saved against what the page holds: never
        "Saved" while a change is waiting or a field holds a refused, so unsaved, value."""
        bar = self.savebar
        if bar is None:
            return
        if self.current_step == "review" and "review" in self.views:
            self.views["review"].refresh()  # its downloads and "unsaved" note follow each save
        self._show_conflict()
        bar.saved_at = self.saved_at
        refused = len(self.refused_answers())
        drafts = [label for view in self.views.values() for label in view.unsaved_drafts()]
        if self.save_state == "saved":
            bar.set_download(self.saved_bytes, self._download_name())  # exactly the bytes on disk
        if refused and self.save_state not in ("failed", "conflict"):
            bar.set_status(
                "save.refused_one" if refused == 1 else "save.refused",
                state="refused",
                count=refused,
            )
        elif drafts and self.save_state not in ("failed", "conflict"):
            bar.set_status(
                "save.draft", state="draft", form=drafts[0], button=self.t("contacts.save_entry")
            )
        elif self.save_state == "saved":
            bar.set_status(
                "save.saved",
                saved_at=self.saved_at,
                time=clock.local_time_text(self.case.updated_at),
            )
        else:
            bar.set_status(f"save.{self.save_state}")
        if self.save_state in ("failed", "conflict"):
            self._offer_download_of_page()  # whatever happens to the file, the answers can leave

    def _show_conflict(self) -> None:
        """A save refused because another window saved meanwhile: a prominent alert that offers this
        window's answers and the newer version (the page makes everything else inert meanwhile)."""
        for child in self.conflict_area.children:
            close_tree(child)
        if self.save_state != "conflict":
            self.conflict_area.children = ()
            return
        alert = ConflictAlert(
            self.t, write_sheet(self.case), self._download_name(), self.load_newer_version
        )
        self.conflict_area.children = (alert.widget,)

    def _offer_download_of_page(self) -> None:
        self.savebar.set_download(write_sheet(self.case), self._download_name())

    def _download_name(self) -> str:
        return f"{self.t('save.filename')}-{self.case.case_id[:8]}.csv"
