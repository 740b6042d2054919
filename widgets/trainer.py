"""The trainer's dashboard: every case of the workshop at a glance, charts, exports, CFPB material.

Served by its own Voilà server (``make trainer``, loopback only): the participants' server serves
nothing but the workbook, so no participant can reach this page or the sheets behind it.
Every string that comes from a sheet or a file is escaped before it becomes HTML, with its
bidirectional controls replaced (complaint/bidi.py); a case is shown read-only, in a sandboxed
frame that may run no script at all. Reading the sheets and exporting run in a worker thread
with a progress bar (widgets/background.py); the table can refresh itself every few seconds.
"""

from __future__ import annotations

import os
from datetime import date
from html import escape
from pathlib import Path

import ipywidgets as w

from complaint import clock
from complaint.bidi import isolated_html, neutralise_bidi, safe_html
from complaint.catalog import load_catalog
from complaint.charts import bar_chart, format_count
from complaint.errors import WorkbookError
from complaint.escalation import RUNGS
from complaint.i18n import Translator, normalise_language, query_parameters
from complaint.model import utc_now
from complaint.paths import cases_dir
from complaint.trainer.counts import EVIDENCE_BANDS, SCORE_BANDS, counts, matches
from complaint.trainer.handin import HANDIN_FOLDER
from complaint.trainer.index import CaseIndex, Overview
from complaint.trainer.summary import (
    AUDIT_DONE,
    AUDIT_NOT_STARTED,
    AUDIT_PARTLY,
    WORK_STEPS,
    CaseSummary,
)

from .background import Job, ProgressLine, kernel_poster, later_on_kernel_loop
from .common import close_tree, language_header, mark_language, stylesheet
from .savebar import download_link_html

#: Rows of the case table drawn at once; filters narrow a big workshop down.
TABLE_LIMIT = 200
STEP_MARKS = {"done": "✓", "started": "◐", "todo": "·"}
#: The table's own refresh, when the trainer turns it on: a look at the folder is a directory walk
#: (sheets are read only when they changed), and nothing is redrawn when nothing changed.
AUTO_REFRESH_SECONDS = 15


class TrainerDashboard:
    """Display with ``display(dashboard)`` or as a cell's last expression."""

    FILTERS = ("problem_filter", "kind_filter", "step_filter", "search", "auto_refresh")

    def __init__(
        self,
        root: Path | str | None = None,
        language: str | None = None,
        today: date | None = None,
        index_file=...,
        post=...,
        call_later=later_on_kernel_loop,
    ) -> None:
        self.index = CaseIndex(
            root if root is not None else cases_dir(), today=today, index_file=index_file
        )
        self.language = normalise_language(language)
        self.t = Translator(self.language)
        self.overview: Overview | None = None
        self.root = w.VBox(layout=w.Layout(width="100%"))
        self.root.add_class("wb-app")
        self.root.add_class("wb-trainer")
        self.refreshed_at = ""
        self._paused = False
        self._post = post  # ...: the kernel's event loop when one runs (see widgets/background.py)
        self._call_later = call_later
        self._timer = None
        self.job: Job | None = None  # a refresh or an export: one at a time
        self._export_generation = 0
        self._refresh_after_job = False  # sheets were handed in while a job ran
        self._build()
        self.refresh()

    @classmethod
    def from_environment(cls, **kwargs) -> TrainerDashboard:
        params = query_parameters(os.environ.get("QUERY_STRING", ""))
        return cls(language=params.get("lang"), **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.root._repr_mimebundle_(**kwargs)

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        t = self.t
        for child in self.root.children:
            close_tree(child)
        mark_language(self.root, self.language)
        title = w.HTML(f"<h1 class='wb-title'>{escape(t('trainer.title'))}</h1>")
        header, self.language_switch = language_header(title, self.language, self.switch_language)
        self.refresh_button = w.Button(
            description=t("trainer.refresh"), icon="refresh", layout=w.Layout(width="auto")
        )
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.auto_refresh = w.Checkbox(
            value=False,
            description=t("trainer.auto_refresh", seconds=AUTO_REFRESH_SECONDS),
            indent=False,
            layout=w.Layout(width="auto"),
        )
        self.auto_refresh.observe(
            lambda change: self._schedule_refresh(change["new"]), names="value"
        )
        self.status = w.HTML()
        self.progress = ProgressLine()

        catalog = load_catalog()
        self.problem_filter = w.Dropdown(
            options=[(t("trainer.filter.all_problems"), "")]
            + [(t.pick(p.label), p.id) for p in catalog.problems],
            description=t("trainer.filter.problem"),
            style={"description_width": "initial"},
        )
        self.kind_filter = w.ToggleButtons(
            options=[
                (t(f"trainer.filter.kind.{kind}"), kind) for kind in ("all", "real", "practice")
            ],
            style={"button_width": "auto"},
        )
        self.step_filter = w.Dropdown(
            options=[(t("trainer.filter.any_step"), "")]
            + [(t(f"step.{step}.short"), step) for step in WORK_STEPS],
            description=t("trainer.filter.stuck_at"),
            style={"description_width": "initial"},
        )
        self.search = w.Text(
            description=t("trainer.filter.search"),
            placeholder=t("trainer.filter.search_hint"),
            style={"description_width": "initial"},
            continuous_update=False,
        )
        for control in (self.problem_filter, self.kind_filter, self.step_filter, self.search):
            control.observe(lambda _change: self._show(), names="value")
            control.observe(lambda _change: self._forget_export(), names="value")
        filters = w.Box(
            [self.problem_filter, self.kind_filter, self.step_filter, self.search],
            layout=w.Layout(flex_flow="row wrap", width="100%"),
        )
        filters.add_class("wb-row")
        self.table = w.HTML()
        self.problems = w.HTML()
        self.case_picker = w.Dropdown(
            description=t("trainer.open.pick"),
            style={"description_width": "initial"},
            layout=w.Layout(width="auto", min_width="320px"),
        )
        self.open_button = w.Button(
            description=t("trainer.open.button"), layout=w.Layout(width="auto")
        )
        self.open_button.on_click(lambda _b: self.open_case(self.case_picker.value))
        self.close_button = w.Button(
            description=t("trainer.open.close"), layout=w.Layout(width="auto", display="none")
        )
        self.close_button.on_click(lambda _b: self.close_case())
        self.viewer = w.HTML()
        opener = w.Box(
            [self.case_picker, self.open_button, self.close_button],
            layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"),
        )
        opener.add_class("wb-row")
        from .handin import HandInPanel

        self.handin = HandInPanel(t, self.index.root, lambda _results: self._files_added())
        cases_tab = w.VBox(
            [
                self.handin.widget,
                filters,
                self.problems,
                w.HTML(f"<h2 class='wb-step-title'>{escape(t('trainer.open.title'))}</h2>"),
                opener,
                self.viewer,
                self.table,
            ]
        )

        self.charts = w.HTML()
        self.anonymise = w.Checkbox(
            value=True,
            description=t("trainer.export.anonymise"),
            indent=False,
            layout=w.Layout(width="auto"),
        )
        # A link made before the choice changed would hand out what the trainer no longer chose.
        self.anonymise.observe(lambda _change: self._forget_export(), names="value")
        self.export_buttons = []
        for kind in ("combined", "zip", "table", "xlsx"):
            button = w.Button(
                description=t(f"trainer.export.{kind}"), layout=w.Layout(width="auto")
            )
            button.on_click(lambda _b, kind=kind: self.export(kind))
            self.export_buttons.append(button)
        self.export_result = w.HTML()
        export_tab = w.VBox(
            [
                w.HTML(
                    f"<p>{escape(t('trainer.export.intro'))}</p><p class='wb-hint'>{escape(t('trainer.export.anonymise_hint'))}</p>"
                ),
                self.anonymise,
                w.HBox(self.export_buttons, layout=w.Layout(flex_flow="row wrap")),
                self.export_result,
                w.HTML(f"<p class='wb-hint'>{escape(t('trainer.export.analysis'))}</p>"),
            ]
        )

        from .cfpb import CfpbPanel

        self.cfpb = CfpbPanel(t, self._post)
        self.tabs = w.Tab(children=[cases_tab, self.charts, export_tab, self.cfpb.widget])
        for number, key in enumerate(
            ("trainer.tab.cases", "trainer.tab.charts", "trainer.tab.export", "trainer.tab.cfpb")
        ):
            self.tabs.set_title(number, t(key))
        refresh_row = w.Box(
            [self.refresh_button, self.auto_refresh, self.status],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        refresh_row.add_class("wb-row")
        self.root.children = (stylesheet(), header, refresh_row, self.progress.widget, self.tabs)

    def switch_language(self, language: str) -> None:
        if language == self.language:
            return
        self.language = normalise_language(language)
        self.t = Translator(self.language)
        selected = self.tabs.selected_index
        filters = {name: getattr(self, name).value for name in self.FILTERS}
        self._build()
        self._paused = True  # one redraw at the end, not one per filter put back
        for name, value in filters.items():  # the same filters, now labelled in the other language
            getattr(self, name).value = value
        self._paused = False
        self.tabs.selected_index = selected
        self._show()

    # -- data ----------------------------------------------------------------------------------

    def _poster(self):
        return kernel_poster() if self._post is ... else self._post

    def _set_busy(self, busy: bool) -> None:
        for button in (self.refresh_button, *self.export_buttons):
            button.disabled = busy
        self.anonymise.disabled = busy

    def refresh(self) -> None:
        """Read the sheets that changed since the last look (all of them the first time), in the
        background with a progress bar; a refresh while another job runs is left out."""
        if self.job is not None:
            return
        self._set_busy(True)
        self.job = Job(
            lambda report, _stop: self.index.refresh(progress=report),
            self._refresh_progress,
            self._then_refresh_if_asked(self._refreshed),
            self._poster(),
        )
        self.job.start()

    def _files_added(self) -> None:
        """Handed-in sheets were filed: the table shows them now, or after the job running."""
        if self.job is None:
            self.refresh()
        else:
            self._refresh_after_job = True

    def _refresh_progress(self, done: int, total: int) -> None:
        self.progress.show(
            done / total if total else None,
            self.t("trainer.progress.index", done=format_count(done), total=format_count(total)),
        )

    def _then_refresh_if_asked(self, on_done):
        """``on_done`` of a job, followed by the refresh asked for while the job ran."""

        def done(*args) -> None:
            on_done(*args)
            if self._refresh_after_job and self.job is None:
                self._refresh_after_job = False
                self.refresh()

        return done

    def _refreshed(self, overview: Overview | None, error: BaseException | None) -> None:
        self.job = None
        self.progress.hide()
        self._set_busy(False)
        if error is not None:
            self.status.value = (
                f"<span class='wb-error' role='alert'>{escape(self.t('trainer.error'))}</span>"
            )
            return
        previous, self.overview = self.overview, overview
        self.refreshed_at = clock.local_time_text(utc_now())
        if previous is not None and (previous.cases, previous.problems) == (
            overview.cases,
            overview.problems,
        ):
            self._show_status()  # nothing changed: the table, picker and charts stay as they are
        else:
            self._show()

    def _schedule_refresh(self, on: bool) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if on:
            self._timer = self._call_later(AUTO_REFRESH_SECONDS, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self.auto_refresh.value and self.root.comm is not None:
            self.refresh()
            self._schedule_refresh(True)

    def filtered(self) -> list[CaseSummary]:
        if self.overview is None:
            return []
        problem, kind, text, stuck_at = (
            self.problem_filter.value,
            self.kind_filter.value,
            self.search.value,
            self.step_filter.value,
        )
        # The table names the hand-in folder "handed in" in the trainer's language: so does the search.
        needle = text.strip().casefold()
        handed_in = bool(needle) and needle in self.t("trainer.handin.participant").casefold()
        return [
            case
            for case in self.overview.cases
            if matches(case, problem, kind, text, stuck_at)
            or handed_in
            and case.participant == HANDIN_FOLDER
            and matches(case, problem, kind, "", stuck_at)
        ]

    def _show(self) -> None:
        overview = self.overview
        if overview is None or self._paused:
            return
        shown = self.filtered()
        self._show_status()
        self.table.value = self._table_html(shown)
        options = [(self._case_label(case), case.path) for case in shown[:TABLE_LIMIT]]
        chosen = self.case_picker.value
        self.case_picker.options = options
        paths = [path for _, path in options]
        self.case_picker.value = chosen if chosen in paths else (paths[0] if paths else None)
        self.open_button.disabled = not paths
        self.problems.value = self._problems_html()
        self.charts.value = self._charts_html(shown)

    def _show_status(self) -> None:
        overview, n = self.overview, format_count
        text = self.t(
            "trainer.status",
            cases=n(len(overview.cases)),
            problems=n(len(overview.problems)),
            read=n(overview.read),
            time=self.refreshed_at,
        )
        self.status.value = f"<span class='wb-status' role='status'>{escape(text)}</span>"

    # -- rendering (every sheet-supplied string escaped, its bidi controls replaced) --------------

    def _label(self, family: str, value: str) -> str:
        return load_catalog().label(family, value, self.language) or value or "—"

    def _participant(self, case: CaseSummary) -> str:
        """The participant's folder; sheets the trainer added by hand say so in the trainer's language."""
        if case.participant == HANDIN_FOLDER:
            return self.t("trainer.handin.participant")
        return case.participant

    def _case_label(self, case: CaseSummary) -> str:
        """An option of the case picker (set as text by the browser: no HTML, but no bidi controls either)."""
        who = "".join(f"{part} · " for part in (self._participant(case), case.label) if part)
        return neutralise_bidi(
            f"{who}{self.t('trainer.number', number=case.number)} · {case.case_id[:8]} · {self._label('problems', case.problem)}"
        )

    def _security_cell(self, case: CaseSummary) -> str:
        status = case.audit_status
        if status == AUDIT_DONE:
            return escape(str(case.audit_score))
        if status == AUDIT_PARTLY:
            return escape(
                self.t(
                    "trainer.security.partly", answered=case.audit_answered, items=case.audit_items
                )
            )
        return "—"

    def _table_html(self, cases: list[CaseSummary]) -> str:
        t = self.t
        if not cases:
            return f"<p class='wb-hint'>{escape(t('trainer.table.empty'))}</p>"
        heads = (
            "who",
            "problem",
            "provider",
            "progress",
            "evidence",
            "security",
            "ladder",
            "updated",
        )
        rows = []
        for case in cases[:TABLE_LIMIT]:
            marks = "".join(
                f"<span title='{escape(t(f'step.{step}.short'), quote=True)}: {escape(t(f'progress.{status}'), quote=True)}'>{STEP_MARKS[status]}</span>"
                for step, status in zip(WORK_STEPS, case.steps, strict=False)
            )
            evidence = (
                f"{case.evidence_ready}/{case.evidence_total}" if case.evidence_total else "—"
            )
            ladder = escape(t(f"trainer.rung.{case.rung_taken or 'none'}"))
            if case.next_rung:
                when = case.next_date.isoformat() if case.next_date else ""
                verify = t("deadline.to_verify") if case.next_to_verify and when else ""
                ladder += f" → {escape(t(f'trainer.rung.{case.next_rung}'))} <small>{escape(when + verify)}</small>"
            who = "".join(
                f"{isolated_html(part)}<br>"
                for part in (self._participant(case), case.label)
                if part
            )
            number = (
                f"<span class='wb-number'>{escape(t('trainer.number', number=case.number))}</span>"
            )
            practice = (
                f" <span class='wb-tag'>{escape(t('trainer.practice'))}</span>"
                if case.practice
                else ""
            )
            rows.append(
                "<tr>"
                f"<td>{who}{number} <code>{escape(case.case_id[:8])}</code>{practice}</td>"
                f"<td>{isolated_html(self._label('problems', case.problem))}</td>"
                f"<td>{isolated_html(self._label('providers', case.provider))}</td>"
                f"<td class='wb-marks'>{marks} <small>{case.steps_done}/{len(WORK_STEPS)}</small></td>"
                f"<td>{escape(evidence)}</td><td>{self._security_cell(case)}</td><td>{ladder}</td>"
                f"<td>{escape(clock.local_datetime_text(case.updated_at))}</td>"
                "</tr>"
            )
        more = ""
        if len(cases) > TABLE_LIMIT:
            more = f"<p class='wb-hint'>{escape(t('trainer.table.more', shown=format_count(TABLE_LIMIT), total=format_count(len(cases))))}</p>"
        steps = " ".join(
            f"{number}. {t(f'step.{step}.short')}"
            for number, step in enumerate(WORK_STEPS, start=1)
        )
        more += f"<p class='wb-source'>{escape(t('trainer.table.legend', steps=steps))}</p>"
        head = "".join(
            f"<th scope='col'>{escape(t(f'trainer.column.{name}'))}</th>" for name in heads
        )
        return f"<div class='wb-table-wrap'><table class='wb-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}"

    def _problems_html(self) -> str:
        t, problems = self.t, self.overview.problems if self.overview else ()
        if not problems:
            return ""
        items = "".join(
            f"<li><code>{isolated_html(p.path)}</code>: {safe_html(t(p.key, **p.params))}</li>"
            for p in problems
        )
        return f"<div class='wb-error' role='alert'><strong>{escape(t('trainer.unreadable', count=format_count(len(problems))))}</strong><ul>{items}</ul></div>"

    def _charts_html(self, cases: list[CaseSummary]) -> str:
        t = self.t
        if not cases:
            return f"<p class='wb-hint'>{escape(t('trainer.table.empty'))}</p>"
        tally = counts(cases)
        catalog = load_catalog()
        problem_bars = [(t.pick(p.label), tally["problem"][p.id]) for p in catalog.problems]
        if tally["problem"]["none"]:
            problem_bars.append((t("trainer.chart.not_chosen"), tally["problem"]["none"]))
        audit_items = cases[0].audit_items
        charts = [
            bar_chart(
                t("trainer.chart.problems"),
                problem_bars,
                t("trainer.chart.total", count=format_count(len(cases))),
            ),
            bar_chart(
                t("trainer.chart.evidence"),
                [(f"{band}%", tally["evidence"][band]) for band in EVIDENCE_BANDS],
            ),
            bar_chart(
                t("trainer.chart.audit", items=audit_items),
                [
                    (t(f"trainer.audit.{status}"), tally["audit"][status])
                    for status in (AUDIT_DONE, AUDIT_PARTLY, AUDIT_NOT_STARTED)
                ],
            ),
            bar_chart(
                t("trainer.chart.security"),
                [(band, tally["security"][band]) for band in SCORE_BANDS],
                t(
                    "trainer.chart.security_note",
                    count=format_count(sum(tally["security"].values())),
                ),
            ),
            bar_chart(
                t("trainer.chart.ladder"),
                [(t(f"trainer.rung.{rung}"), tally["ladder"][rung]) for rung in ("none", *RUNGS)],
            ),
            bar_chart(
                t("trainer.chart.steps"),
                [(str(done), tally["steps"][done]) for done in range(len(WORK_STEPS) + 1)],
            ),
        ]
        return "<div class='wb-charts'>" + "".join(charts) + "</div>"

    # -- one case, read-only -----------------------------------------------------------------

    def open_case(self, path: str | None) -> None:
        from complaint.printable import printable_html
        from complaint.trainer.sheets import read_case

        t = self.t
        if not path:
            return
        try:
            case, case_id = read_case(self.index.sheet_bytes(path))
        except KeyError:
            self.viewer.value = (
                f"<div class='wb-error' role='alert'>{escape(t('trainer.open.gone'))}</div>"
            )
            return
        except (OSError, WorkbookError) as error:
            key = error.key if isinstance(error, WorkbookError) else "sheet.unreadable"
            params = error.params if isinstance(error, WorkbookError) else {}
            self.viewer.value = (
                f"<div class='wb-error' role='alert'>{escape(t(key, **params))}</div>"
            )
            return
        record = printable_html(case, self.index.today(), case_id=case_id)
        # A frame with an empty sandbox: even if a string escaped the escaping, it could not run.
        self.viewer.value = (
            f"<p class='wb-hint'>{safe_html(t('trainer.open.read_only', path=path))}</p>"
            f"<iframe class='wb-case-frame' sandbox='' title='{escape(t('trainer.open.title'), quote=True)}' "
            f"srcdoc='{escape(record, quote=True)}'></iframe>"
        )
        self.close_button.layout.display = ""

    def close_case(self) -> None:
        self.viewer.value = ""
        self.close_button.layout.display = "none"

    # -- exports -------------------------------------------------------------------------------

    def _forget_export(self) -> None:
        self._export_generation += 1  # an export still running for the old choice is not shown
        self.export_result.value = ""

    def export(self, kind: str) -> None:
        """Build the file in the background (progress per sheet), then offer it as a download."""
        if self.job is not None:
            return
        anonymise, cases = self.anonymise.value, self.filtered()
        suffix = "-anonymised" if anonymise else ""
        stamp = self.index.today().isoformat()
        generation = self._export_generation

        def work(report, _stop):
            from complaint.export import SheetFile, case_table_csv, combined_csv, sheets_zip

            skipped: list[str] = []
            if kind == "table":
                return (
                    case_table_csv(cases, anonymise),
                    f"cases-table-{stamp}{suffix}.csv",
                    "text/csv",
                    skipped,
                    len(cases),
                )
            if kind == "xlsx":  # pandas and openpyxl: imported now, on the click, never before
                from complaint.analysis import tables_of
                from complaint.xlsx import MEDIA_TYPE, tables_xlsx

                result = tables_of(
                    cases, self.index.sheet_bytes, anonymise, self.language, progress=report
                )
                data = tables_xlsx(result.cases, result.answers, result.contacts)
                return (
                    data,
                    f"cases-{stamp}{suffix}.xlsx",
                    MEDIA_TYPE,
                    [u.path for u in result.unreadable],
                    len(cases),
                )

            def sheets():
                for number, case in enumerate(cases):
                    report(number, len(cases))
                    try:
                        data = self.index.sheet_bytes(case.path)
                    except (KeyError, OSError):
                        skipped.append(case.path)
                        continue
                    yield SheetFile(case.path, case.participant, data)

            if kind == "combined":
                data, more = combined_csv(sheets(), anonymise)
                name, media = f"cases-combined-{stamp}{suffix}.csv", "text/csv"
            else:
                data, more = sheets_zip(sheets(), anonymise)
                name, media = f"case-sheets-{stamp}{suffix}.zip", "application/zip"
            return data, name, media, skipped + more, len(cases)

        self.export_result.value = ""
        self._set_busy(True)
        self.job = Job(
            work,
            self._export_progress,
            self._then_refresh_if_asked(
                lambda result, error: self._exported(result, error, generation)
            ),
            self._poster(),
        )
        self.job.start()

    def _export_progress(self, done: int, total: int) -> None:
        self.progress.show(
            done / total if total else None,
            self.t("trainer.progress.export", done=format_count(done), total=format_count(total)),
        )

    def _exported(self, result, error: BaseException | None, generation: int) -> None:
        t = self.t
        self.job = None
        self._set_busy(False)
        if generation != self._export_generation or error is not None:
            self.progress.hide()
        if generation != self._export_generation:
            return  # the filter or the anonymise choice changed meanwhile: this file is not what is chosen now
        if error is not None:
            self.export_result.value = (
                f"<div class='wb-error' role='alert'>{escape(t('trainer.error'))}</div>"
            )
            return
        data, name, media, skipped, total = result
        note = t("trainer.export.done", count=format_count(total - len(skipped)), name=name)
        if skipped:
            note += " " + t("trainer.export.skipped", count=format_count(len(skipped)))
        # The link carries the file (megabytes for a big workshop): say so while it travels.
        self.progress.show(1.0, t("trainer.progress.sending", name=name))
        self.export_result.value = f"<p role='status'>{escape(note)}</p>" + download_link_html(
            data, name, t("trainer.export.download", name=name), media
        )
        self.progress.hide()
