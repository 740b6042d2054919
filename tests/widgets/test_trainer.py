"""The trainer's dashboard as a trainer clicks it (widget level): table, filters, case view, exports, CFPB."""

from __future__ import annotations

import base64
import html
import io
import re
import zipfile
from pathlib import Path

import pytest

from complaint.storage import CaseStore
from complaint.synthetic import cfpb_export
from tests.seeded import PERSONAL, seeded_case
from widgets.trainer import TABLE_LIMIT, TrainerDashboard

XSS = "<img src=x onerror=alert(1)>"
CFPB_SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "cfpb-ccdb-v2-sample.csv"


@pytest.fixture
def workshop(tmp_path, today):
    """A hub-style cases folder: one participant with a hostile folder name, one ordinary one."""
    root = tmp_path / "workshop"
    hostile, plain = CaseStore(root / XSS), CaseStore(root / "bob")
    seeded = seeded_case(hostile.new_case("en"))
    seeded.description = XSS
    hostile.save(seeded)
    locked = plain.new_case("zh")
    locked.problem, locked.practice = "account_locked", "locked-after-new-phone"
    plain.save(locked)
    (root / "bob" / ("f" * 24 + ".csv")).write_text(
        XSS
    )  # not a sheet: reported, by its (escaped) name
    return root, seeded, locked


@pytest.fixture
def dashboard(workshop, today) -> TrainerDashboard:
    return TrainerDashboard(workshop[0], language="en", today=today)


def all_html(board: TrainerDashboard) -> str:
    return "".join(
        widget.value
        for widget in (
            board.table,
            board.problems,
            board.charts,
            board.viewer,
            board.status,
            board.export_result,
        )
    )


def test_every_case_is_listed_and_the_unreadable_sheet_reported(dashboard, workshop):
    _root, seeded, locked = workshop
    assert (
        seeded.case_id[:8] in dashboard.table.value and locked.case_id[:8] in dashboard.table.value
    )
    assert "2 cases" in dashboard.status.value and "unreadable sheets: 1" in dashboard.status.value
    assert (
        "bob/ffffffff" in dashboard.problems.value
        and "not a case sheet" in dashboard.problems.value
    )


def test_participant_supplied_strings_are_escaped_everywhere(dashboard):
    html = all_html(dashboard)
    assert "&lt;img src=x onerror=alert(1)&gt;" in dashboard.table.value
    assert "<img" not in html  # (the case picker's option labels are set as text by the browser)


def test_the_filters_narrow_table_picker_and_charts(dashboard, workshop):
    _root, seeded, locked = workshop
    dashboard.problem_filter.value = "account_locked"
    assert (
        locked.case_id[:8] in dashboard.table.value
        and seeded.case_id[:8] not in dashboard.table.value
    )
    assert len(dashboard.case_picker.options) == 1 and "1 · 100%" in dashboard.charts.value
    dashboard.problem_filter.value = ""
    dashboard.kind_filter.value = "real"
    assert [path for _, path in dashboard.case_picker.options] == [f"{XSS}/{seeded.case_id}.csv"]
    dashboard.kind_filter.value = "all"
    dashboard.search.value = "bob"
    assert [path for _, path in dashboard.case_picker.options] == [f"bob/{locked.case_id}.csv"]
    dashboard.search.value = ""
    dashboard.step_filter.value = (
        "statement"  # the seeded case's statements are written: still listed (other steps?)
    )
    assert all(case.steps[7] != "done" for case in dashboard.filtered())


def test_opening_a_case_shows_it_read_only_in_a_script_less_frame(dashboard, workshop):
    _root, seeded, _locked = workshop
    path = f"{XSS}/{seeded.case_id}.csv"
    dashboard.case_picker.value = path
    dashboard.open_button.click()
    viewer = dashboard.viewer.value
    assert "<iframe class='wb-case-frame' sandbox=''" in viewer
    assert (
        PERSONAL["statement_company"] in viewer and seeded.case_id in viewer
    )  # the case itself, by its id
    srcdoc = re.search(r"srcdoc='([^']*)'", viewer).group(1)
    assert "<" not in srcdoc and "'" not in srcdoc  # the whole record is one escaped attribute
    assert "&amp;lt;img" in srcdoc  # and inside it the payload is escaped once more, as text
    dashboard.close_button.click()
    assert dashboard.viewer.value == ""


def test_the_opened_case_shows_its_timeline_inside_the_frame(dashboard, workshop):
    _root, seeded, _locked = workshop
    dashboard.case_picker.value = f"{XSS}/{seeded.case_id}.csv"
    dashboard.open_button.click()
    record = html.unescape(re.search(r"srcdoc='([^']*)'", dashboard.viewer.value).group(1))
    figure = record[record.index('<figure class="wb-timeline">') : record.index("</figure>")]
    assert (
        '<svg role="img"' in figure
        and PERSONAL["agent"] in figure
        and "wb-timeline-promise-pending" in figure
    )
    assert "<script" not in record


def test_a_case_that_vanished_meanwhile_gets_a_message(dashboard, workshop):
    root, seeded, _locked = workshop
    (root / XSS / f"{seeded.case_id}.csv").unlink()
    dashboard.open_case(f"{XSS}/{seeded.case_id}.csv")
    assert "role='alert'" in dashboard.viewer.value
    dashboard.open_case("../../etc/passwd")  # never listed: never opened
    assert "no longer there" in dashboard.viewer.value


def test_refresh_shows_a_case_saved_after_opening(dashboard, workshop):
    root, *_ = workshop
    store = CaseStore(root / "carol")
    store.save(store.new_case("zh"))
    assert "2 cases" in dashboard.status.value
    dashboard.refresh_button.click()
    assert "3 cases" in dashboard.status.value and re.search(
        r"sheets read at [0-9:]+: 1<", dashboard.status.value
    )


def downloaded(board: TrainerDashboard) -> tuple[str, bytes]:
    match = re.search(
        r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"',
        board.export_result.value,
    )
    return match.group(1), base64.b64decode(match.group(2))


@pytest.mark.parametrize("kind", ["combined", "zip", "table"])
def test_exports_anonymised_by_default(dashboard, kind):
    assert dashboard.anonymise.value is True
    dashboard.export_buttons[("combined", "zip", "table").index(kind)].click()
    name, data = downloaded(dashboard)
    assert name.endswith("-anonymised." + ("zip" if kind == "zip" else "csv"))
    text = (
        data.decode("utf-8-sig", "replace")
        if kind != "zip"
        else "".join(
            zipfile.ZipFile(io.BytesIO(data)).read(n).decode("utf-8-sig") + n
            for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
        )
    )
    assert not [value for value in PERSONAL.values() if value in text] and "onerror" not in text
    assert "2 cases exported" in dashboard.export_result.value


def test_a_changed_choice_takes_the_old_download_away(dashboard):
    dashboard.anonymise.value = False
    dashboard.export_buttons[0].click()
    assert "download=" in dashboard.export_result.value
    dashboard.anonymise.value = True  # the plain export must not stay on screen under a ticked box
    assert dashboard.export_result.value == ""
    dashboard.export_buttons[0].click()
    dashboard.problem_filter.value = "account_locked"
    assert dashboard.export_result.value == ""


def test_the_case_picker_starts_on_the_newest_case_and_open_works_at_once(dashboard, workshop):
    assert (
        dashboard.case_picker.value == dashboard.filtered()[0].path
        and not dashboard.open_button.disabled
    )
    dashboard.open_button.click()
    assert "wb-case-frame" in dashboard.viewer.value
    dashboard.search.value = "no such participant"
    assert dashboard.case_picker.value is None and dashboard.open_button.disabled
    assert "in this order: 1. " in TrainerDashboard(workshop[0], language="en").table.value


def test_a_plain_export_keeps_everything(dashboard):
    dashboard.anonymise.value = False
    dashboard.export_buttons[0].click()
    _name, data = downloaded(dashboard)
    assert PERSONAL["your_name"] in data.decode("utf-8-sig") and XSS in data.decode("utf-8-sig")


def test_the_language_switch_keeps_the_filters_and_the_tab(dashboard):
    dashboard.problem_filter.value = "account_locked"
    dashboard.tabs.selected_index = 1
    dashboard.language_switch.value = "zh"
    assert dashboard.problem_filter.value == "account_locked" and dashboard.tabs.selected_index == 1
    assert "共 2 个案例" in dashboard.status.value and "问题分布" in dashboard.charts.value


def test_the_table_is_capped_for_big_workshops(tmp_path, today):
    from complaint.synthetic import write_workshop

    write_workshop(tmp_path, TABLE_LIMIT + 5)
    board = TrainerDashboard(tmp_path, language="en", today=today, index_file=None)
    assert board.table.value.count("<tr>") == TABLE_LIMIT + 1  # + the header row
    assert (
        f"most recently saved of {TABLE_LIMIT + 5}" in board.table.value
        and len(board.case_picker.options) == TABLE_LIMIT
    )


def test_an_empty_workshop(tmp_path, today):
    board = TrainerDashboard(tmp_path / "nothing-yet", language="zh", today=today)
    assert "还没有符合条件的案例" in board.table.value and board.case_picker.options == ()


def upload(panel, content: bytes) -> None:
    """What the browser sends when a file is chosen (as in tests/widgets/test_evidence.py)."""
    panel.upload.set_state(
        {
            "value": [
                {
                    "name": "x.csv",
                    "type": "text/csv",
                    "size": len(content),
                    "content": memoryview(content),
                    "last_modified": 0,
                }
            ]
        }
    )


def test_cfpb_material_from_a_file_on_the_server_and_from_an_upload(dashboard, tmp_path):
    panel = dashboard.cfpb
    panel.path.value = str(CFPB_SAMPLE)
    panel.read_button.click()
    assert (
        "1 money-transfer and wallet complaints" in panel.result.value
        and "29 about other products skipped" in panel.result.value
    )
    assert "<svg" in panel.result.value
    upload(panel, b"a,b\r\n1,2\r\n")
    assert "not a CSV export of the CFPB" in panel.result.value and panel.upload.value == ()
    upload(panel, CFPB_SAMPLE.read_bytes())
    assert "1 money-transfer and wallet complaints" in panel.result.value
    for missing in ("", str(tmp_path / "nope.csv"), str(tmp_path)):
        panel.path.value = missing
        panel.read_button.click()
        assert "no readable file" in panel.result.value


def test_the_dashboard_notebook_is_three_lines():
    import json

    notebook = json.loads(
        (Path(__file__).resolve().parents[2] / "notebooks" / "trainer.ipynb").read_text()
    )
    (cell,) = notebook["cells"]
    assert len("".join(cell["source"]).strip().splitlines()) <= 4


def test_a_too_large_upload_is_refused_with_a_message(dashboard):
    from complaint.evidence import UPLOAD_LIMIT_BYTES

    upload(dashboard.cfpb, b"x" * (UPLOAD_LIMIT_BYTES + 1))
    assert (
        "too large to upload here" in dashboard.cfpb.result.value
        and dashboard.cfpb.upload.value == ()
    )


# ---- issue 13: long work in the background, who is stuck, figures that add up, bidi ----------


class Posted:
    """Stands in for the kernel's event loop: callbacks from a worker thread wait here until run."""

    def __init__(self) -> None:
        import queue

        self.queue = queue.Queue()

    def __call__(self, callback) -> None:
        self.queue.put(callback)

    def finish(self, job) -> None:
        job.thread.join(timeout=60)
        assert not job.thread.is_alive()
        while not self.queue.empty():
            self.queue.get()()


def test_a_cfpb_file_is_read_in_a_worker_thread_with_progress_and_the_read_button_waits(
    workshop, today, tmp_path
):
    posted = Posted()
    board = TrainerDashboard(workshop[0], language="en", today=today, post=posted)
    posted.finish(board.job)
    export = tmp_path / "export.csv"
    export.write_bytes(cfpb_export(2_000, 5))
    panel = board.cfpb
    panel.path.value = str(export)
    panel.read_button.click()
    job = panel.job
    assert job.thread is not None and panel.read_button.disabled and panel.upload.disabled
    assert (
        panel.progress.widget.layout.display == ""
        and "Reading the file: 0 rows" in panel.progress.text.value
    )
    panel.read_button.click()  # a second click while reading starts nothing
    assert panel.job is job
    posted.finish(job)
    assert (
        not panel.read_button.disabled
        and panel.progress.widget.layout.display == "none"
        and panel.job is None
    )
    assert re.search(
        r"<strong>[0-9,]+ of the 2,000 rows in the file read; [0-9]+ could not be read\.</strong>",
        panel.result.value,
    )
    assert (
        "(line " in panel.result.value
        and "holds bytes that are not UTF-8 text" in panel.result.value
    )


def test_a_cfpb_read_can_be_cancelled(dashboard, tmp_path, monkeypatch):
    import threading

    import complaint.cfpb as cfpb

    monkeypatch.setattr(cfpb, "PROGRESS_EVERY", 100)
    gate, real = threading.Event(), cfpb.summarise_cfpb
    monkeypatch.setattr(
        cfpb, "summarise_cfpb", lambda *args, **kwargs: gate.wait(30) and real(*args, **kwargs)
    )
    posted = Posted()
    panel = dashboard.cfpb
    panel._post = posted
    export = tmp_path / "export.csv"
    export.write_bytes(cfpb_export(3_000, 6))
    panel.path.value = str(export)
    panel.read_button.click()
    panel.progress.cancel_button.click()
    assert panel.progress.cancel_button.disabled
    gate.set()
    posted.finish(panel.job)
    assert (
        "Stopped at your request" in panel.result.value
        and "of the 100 rows in the file read" in panel.result.value
    )
    assert not panel.read_button.disabled


def test_large_cfpb_figures_have_thousands_separators(dashboard, tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes(cfpb_export(8_000, 8, damaged=False))
    dashboard.cfpb.path.value = str(export)
    dashboard.cfpb.read_button.click()
    assert "of the 8,000 rows in the file read" in dashboard.cfpb.result.value
    assert re.search(
        r"[0-9],[0-9]{3} · [0-9]+%", dashboard.cfpb.result.value
    )  # a count label in a chart


def test_the_sheets_are_read_in_the_background_with_a_progress_bar(workshop, today):
    posted = Posted()
    board = TrainerDashboard(workshop[0], language="en", today=today, index_file=None, post=posted)
    assert board.refresh_button.disabled and board.overview is None
    posted.finish(board.job)
    assert (
        not board.refresh_button.disabled
        and "2 cases" in board.status.value
        and board.progress.widget.layout.display == "none"
    )


def test_an_export_runs_in_the_background_and_a_changed_choice_drops_it(workshop, today):
    posted = Posted()
    board = TrainerDashboard(workshop[0], language="en", today=today, post=posted)
    posted.finish(board.job)
    board.export_buttons[0].click()
    assert all(button.disabled for button in board.export_buttons) and board.anonymise.disabled
    posted.finish(board.job)
    assert "2 cases exported" in board.export_result.value and not board.anonymise.disabled
    board.export_buttons[1].click()
    board.problem_filter.value = (
        "account_locked"  # while it runs: the file would not be what is chosen now
    )
    posted.finish(board.job)
    assert board.export_result.value == "" and not board.export_buttons[0].disabled


def test_the_table_refreshes_itself_when_asked_and_redraws_only_on_change(
    workshop, today, monkeypatch
):
    from tests.widgets.conftest import ManualClock

    clock = ManualClock()
    root = workshop[0]
    board = TrainerDashboard(root, language="en", today=today, call_later=clock.call_later)
    assert clock.pending == []  # off by default
    board.auto_refresh.value = True
    store = CaseStore(root / "carol")
    store.save(store.new_case("zh"))
    assert clock.run_due() == 1 and "3 cases" in board.status.value and len(clock.pending) == 1
    drawn = []
    monkeypatch.setattr(board, "_show", lambda: drawn.append(1))
    clock.run_due()
    assert drawn == [] and "3 cases" in board.status.value  # nothing changed: nothing redrawn
    board.auto_refresh.value = False
    assert clock.run_due() == 0 and clock.pending == []


def test_the_table_shows_the_participant_number_and_label_and_finds_by_them(workshop, today):
    from complaint.codes import participant_number

    root, seeded, locked = workshop
    board = TrainerDashboard(root, language="en", today=today)
    assert f"No. {participant_number(locked.case_id)}" in board.table.value
    assert PERSONAL["participant_label"] in board.table.value
    board.search.value = participant_number(locked.case_id)
    assert [path for _, path in board.case_picker.options] == [f"bob/{locked.case_id}.csv"]
    board.search.value = PERSONAL["participant_label"][:8]
    assert [path for _, path in board.case_picker.options] == [f"{XSS}/{seeded.case_id}.csv"]


def test_a_password_check_alone_is_not_an_answered_self_audit(tmp_path, today):
    store = CaseStore(tmp_path)
    case = store.new_case("en")
    case.audit.password_score = 4
    store.save(case)
    board = TrainerDashboard(tmp_path, language="en", today=today, index_file=None)
    assert (
        "a password check alone is not an answer" in board.charts.value
        and "<title>Not started: 1 (100%)</title>" in board.charts.value
    )
    assert (
        "0 participants have answered every question" not in board.charts.value
    )  # the score chart is empty: not drawn
    assert "Security self-audit scores" not in board.charts.value


BIDI = "\u202egnp.exe\u202c \u2066x\u2069 \u200f\u061c"


def test_bidi_controls_never_reach_the_trainers_screen(tmp_path, today):
    from complaint.bidi import BIDI_CONTROLS

    store = CaseStore(tmp_path / "ev\u202eil")
    case = seeded_case(store.new_case("en"))
    case.description, case.participant_label, case.provider_other = BIDI, "Seat\u202e 12", BIDI
    store.save(case)
    (tmp_path / "ev\u202eil" / ("e" * 24 + ".csv")).write_text("x")  # reported by its path
    board = TrainerDashboard(tmp_path, language="en", today=today, index_file=None)
    board.open_case(board.case_picker.value)
    shown = all_html(board) + "".join(label for label, _ in board.case_picker.options)
    assert (
        "srcdoc" in board.viewer.value
        and "Seat" in board.table.value
        and "<bdi>" in board.table.value
    )
    assert not [c for c in BIDI_CONTROLS if c in shown]
    assert "\ufffd" in board.viewer.value  # shown as a visible mark where it was


def test_a_failure_in_the_background_is_explained_and_logged(workshop, today, monkeypatch, caplog):
    board = TrainerDashboard(workshop[0], language="en", today=today)
    monkeypatch.setattr(board.index, "refresh", lambda progress=None: 1 / 0)
    board.refresh_button.click()
    assert (
        "Something went wrong and this was not done" in board.status.value
        and not board.refresh_button.disabled
    )
    assert "background work failed" in caplog.text and board.job is None


# ---- issue 17: the Excel export (pandas + openpyxl, on the click) ------------------------------


def test_the_excel_export_is_a_workbook_of_three_typed_sheets_anonymised_by_default(
    dashboard, workshop
):
    import ipywidgets
    import openpyxl

    button = dashboard.export_buttons[3]
    assert (
        button.description == "Cases, answers and contacts (Excel)"
        and dashboard.anonymise.value is True
    )
    button.click()
    name, data = downloaded(dashboard)
    assert name.endswith("-anonymised.xlsx") and "2 cases exported" in dashboard.export_result.value
    assert (
        "1 unreadable" not in dashboard.export_result.value
    )  # the broken file is not among the listed cases
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["cases", "answers", "contacts"]
    cells = [cell for table in book.worksheets for row in table.iter_rows() for cell in row]
    text = "\n".join(str(cell.value) for cell in cells)
    assert (
        not [value for value in PERSONAL.values() if value in text]
        and "onerror" not in text
        and workshop[1].case_id not in text
    )
    assert not [cell for cell in cells if cell.data_type == "f"]
    amounts = [
        row[list(c.value for c in book["cases"][1]).index("amount")].value
        for row in book["cases"].iter_rows(min_row=2)
    ]
    assert 1280.5 in amounts
    assert "notebooks/analysis.ipynb" in "".join(
        child.value
        for child in dashboard.tabs.children[2].children
        if isinstance(child, ipywidgets.HTML)
    )


def test_the_excel_export_shows_progress_and_a_plain_one_keeps_everything(workshop, today):
    import openpyxl

    posted = Posted()
    board = TrainerDashboard(workshop[0], language="zh", today=today, index_file=None, post=posted)
    posted.finish(board.job)
    board.anonymise.value = False
    shown = []
    board.progress.show = lambda fraction, text: shown.append(text)
    board.export_buttons[3].click()
    assert all(button.disabled for button in board.export_buttons)
    posted.finish(board.job)
    assert (
        any("2" in text for text in shown)
        and board.export_buttons[3].description == "案例、回答和联系记录（Excel）"
    )
    name, data = downloaded(board)
    assert name.endswith(".xlsx") and "anonymised" not in name
    book = openpyxl.load_workbook(io.BytesIO(data))
    text = "\n".join(
        str(cell.value) for table in book.worksheets for row in table.iter_rows() for cell in row
    )
    assert PERSONAL["your_name"] in text and XSS in text and workshop[1].case_id in text
    assert not [
        cell
        for table in book.worksheets
        for row in table.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
