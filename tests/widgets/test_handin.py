"""The dashboard's "add handed-in case sheets" as a trainer uses it: several files chosen at once
(the FileUpload's value as ipywidgets 8 sets it), then the table and the report, in both languages."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta

import pytest

from complaint.bundle import make_bundle
from complaint.model import Case, EvidenceFile, EvidenceItem
from complaint.sheet import write_sheet
from complaint.trainer.handin import HANDIN_FOLDER, MAX_HANDIN_TOTAL_BYTES
from tests.widgets.conftest import choose_files
from tests.widgets.test_trainer import XSS, Posted
from widgets.trainer import TrainerDashboard

SAVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def hand_in(board: TrainerDashboard, *files: tuple[str, bytes]) -> None:
    choose_files(board.handin.upload, *files)


def a_case(label: str, provider: str = "alipay", updated: datetime = SAVED) -> Case:
    case = Case(language="en")
    case.problem, case.provider, case.participant_label = "funds_not_arriving", provider, label
    case.updated_at = updated
    return case


@pytest.fixture
def board(tmp_path, today) -> TrainerDashboard:
    return TrainerDashboard(tmp_path / "cases", language="en", today=today, index_file=None)


def test_sheets_and_a_bundle_handed_in_at_once_appear_in_the_table(board, today, tmp_path):
    first, second, third = a_case("Seat 1"), a_case("Seat 2", "wechat_pay"), a_case("Seat 3")
    photo = b"evidence photo"
    record = EvidenceFile(
        "photo.png", len(photo), "image/png", SAVED, hashlib.sha256(photo).hexdigest()
    )
    record.kept = True
    third.evidence = {"transaction_record": EvidenceItem("have", "", [record])}
    bundle = make_bundle(third, today, write_sheet(third), lambda _r: photo).data
    assert "No case matches yet" in board.table.value
    hand_in(
        board,
        ("seat1.csv", write_sheet(first)),
        ("seat2.csv", write_sheet(second)),
        ("seat3.zip", bundle),
        (f"{XSS}.csv", b"name,amount\r\nA,1\r\n"),
    )
    assert board.handin.upload.value == ()  # no file's bytes stay in the widget's state
    table = board.table.value
    for case in (first, second, third):
        assert case.case_id[:8] in table
    assert table.count("<bdi>handed in</bdi>") == 3 and HANDIN_FOLDER not in table
    assert "3 cases" in board.status.value
    report = board.handin.result.value
    assert "3 added, 1 refused." in report
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in report and "<img" not in report
    assert "not a case sheet of this workbook" in report
    assert "evidence files in them are not kept" in report
    assert any(label.startswith("handed in · Seat") for label, _ in board.case_picker.options)
    board.search.value = "handed in"  # as the participant column says
    assert len(board.filtered()) == 3
    board.search.value = "Seat 2"
    assert [c.case_id for c in board.filtered()] == [second.case_id]
    board.search.value = ""
    assert sorted(p.name for p in (board.index.root / HANDIN_FOLDER).glob("*.csv")) == sorted(
        f"{c.case_id}.csv" for c in (first, second, third)
    )


def test_handed_in_again_in_chinese_newer_replaces_older_and_the_same_stays(tmp_path, today):
    board = TrainerDashboard(tmp_path / "cases", language="zh", today=today, index_file=None)
    case = a_case("座位 7")
    older = write_sheet(case)
    hand_in(board, ("第一次.csv", older))
    assert "新增 1 份。" in board.handin.result.value
    assert "<bdi>交来的表</bdi>" in board.table.value
    board.search.value = "交来"
    assert [c.case_id for c in board.filtered()] == [case.case_id]
    board.search.value = ""
    case.provider = "wechat_pay"
    case.updated_at = SAVED + timedelta(hours=3)
    newer = write_sheet(case)
    hand_in(board, ("第二次.csv", newer), ("又一次.csv", newer), ("旧的.csv", older))
    report = board.handin.result.value
    assert "1 份换成了更新的版本，2 份已经在这里。" in report
    assert "旧的.csv</bdi>: 这里已有这个案例更晚保存的版本，保留了那一份。" in report
    assert "微信支付" in board.table.value and "支付宝" not in board.table.value
    assert "共 1 个案例" in board.status.value


def test_the_limits_are_stated_and_given_to_the_page_guard(board):
    note = board.handin.widget.children[1].value
    assert "wb-upload-limit" in note and f"data-limit-total='{MAX_HANDIN_TOTAL_BYTES}'" in note
    assert "Up to 200 files per upload, 9 MB in all, 8 MB per file." in note
    assert "data-too-large-total='These files are too large together" in note
    assert "data-too-large='One of the files chosen is too large" in note
    assert board.handin.upload.multiple and ".zip" in board.handin.upload.accept


def test_sheets_handed_in_while_a_refresh_runs_are_shown_once_it_ends(tmp_path, today):
    posted = Posted()
    board = TrainerDashboard(
        tmp_path / "cases", language="en", today=today, index_file=None, post=posted
    )
    posted.finish(board.job)
    scanned, go_on, looks = threading.Event(), threading.Event(), []
    look = board.index.refresh

    def slow_look(progress=None):
        """A refresh that has looked at the folder (still empty) and is not done yet."""
        overview = look(progress=progress)
        looks.append(len(overview.cases))
        scanned.set()
        go_on.wait(timeout=60)
        return overview

    board.index.refresh = slow_look
    board.refresh()
    assert scanned.wait(timeout=60)
    case = a_case("Seat 9")
    hand_in(board, ("seat9.csv", write_sheet(case)))  # comes in while that refresh runs
    assert "1 added." in board.handin.result.value
    go_on.set()
    while board.job is not None:  # that refresh ends, then the one asked for runs
        posted.finish(board.job)
    assert looks == [0, 1] and case.case_id[:8] in board.table.value


def test_the_language_switch_labels_the_panel_anew(board):
    board.language_switch.value = "zh"
    panel = board.handin.widget
    assert "添加参与者交来的投诉记录表" in panel.children[0].value
    assert board.handin.upload.description == "选择交来的文件"
