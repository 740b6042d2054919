"""Case sheets on disk: atomic saves, resume by code only, loads that never write."""

import os
import threading
from datetime import UTC, datetime

import pytest

from complaint.codes import format_code, new_code
from complaint.errors import CaseNotFound, CaseSheetError, InvalidInput
from complaint.model import EvidenceItem
from complaint.storage import CaseStore, atomic_write
from complaint.trainer.saved import JOURNAL_NAME


def files_in(directory) -> list[str]:
    """Everything in the cases directory except the per-case lock files and the journal of
    summaries left for the trainer's overview (tests/core/test_dashboard.py)."""
    return sorted(
        p.name
        for p in directory.iterdir()
        if not p.name.endswith(".lock") and p.name != JOURNAL_NAME
    )


def test_save_then_load_with_the_code_as_written_down(store):
    case = store.new_case("zh")
    case.description = "钱没有到账"
    store.save(case)
    again = store.load(format_code(case.code).lower())
    assert again == case


def test_the_file_name_reveals_neither_the_code_nor_user_input(store):
    case = store.new_case("en")
    case.description = "../../etc/passwd"
    path = store.path_for(case.code)
    store.save(case)
    assert path.parent == store.root
    assert case.code not in path.name and path.name == f"{case.case_id}.csv"
    assert files_in(store.root) == [path.name]
    journal = (store.root / JOURNAL_NAME).read_text()
    assert case.case_id in journal and "passwd" not in journal and case.code not in journal


def test_unknown_and_malformed_codes(store):
    with pytest.raises(CaseNotFound):
        store.load(new_code())
    with pytest.raises(InvalidInput):
        store.load("../../../etc/passwd")


def test_a_crash_between_write_and_rename_keeps_the_previous_version(store, monkeypatch):
    case = store.new_case("zh")
    case.description = "version 1"
    store.save(case)
    before = store.path_for(case.code).read_bytes()

    def crash(*_args):
        raise OSError("simulated power cut before the rename")

    monkeypatch.setattr(os, "replace", crash)
    case.description = "version 2"
    with pytest.raises(OSError):
        store.save(case)
    assert store.path_for(case.code).read_bytes() == before
    assert files_in(store.root) == [store.path_for(case.code).name], "temp file left behind"
    monkeypatch.undo()
    assert store.load(case.code).description == "version 1"


def test_a_crash_while_writing_keeps_the_previous_version(tmp_path, monkeypatch):
    target = tmp_path / "sheet.csv"
    atomic_write(target, b"old")

    def crash(_fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_load_writes_nothing(store):
    case = store.new_case("zh")
    store.save(case)
    path = store.path_for(case.code)
    damaged = path.read_bytes()[:-40]
    path.write_bytes(damaged)
    with pytest.raises(CaseSheetError):
        store.load(case.code)
    assert path.read_bytes() == damaged


def test_a_sheet_copied_over_another_case_is_refused(store):
    first, second = store.new_case("zh"), store.new_case("zh")
    store.save(first)
    store.save(second)
    store.path_for(second.code).write_bytes(store.path_for(first.code).read_bytes())
    with pytest.raises(CaseSheetError, match="sheet.wrong_case"):
        store.load(second.code)


def test_concurrent_saves_of_different_cases_do_not_interfere(store):
    cases = [store.new_case("zh") for _ in range(8)]

    def keep_saving(case):
        for number in range(40):
            case.description = f"{case.case_id} revision {number}"
            store.save(case)

    threads = [threading.Thread(target=keep_saving, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for case in cases:
        assert store.load(case.code).description == f"{case.case_id} revision 39"
    assert len(files_in(store.root)) == len(cases)


def test_store_defaults_to_the_configured_directory(isolated_cases_dir):
    assert CaseStore().root == isolated_cases_dir


def test_a_stale_window_cannot_overwrite_a_newer_save(store):
    from complaint.errors import SaveConflict
    from complaint.storage import sheet_digest

    case = store.new_case("zh")
    first = store.save(case, expected=None)
    window_a, a_bytes = store.load_sheet(case.code)
    window_b, b_bytes = store.load_sheet(case.code)
    assert a_bytes == b_bytes == first
    window_b.description = "typed in window B"
    saved_b = store.save(window_b, expected=sheet_digest(b_bytes))
    window_a.language = "en"  # window A still holds the old case and tries to save it
    with pytest.raises(SaveConflict):
        store.save(window_a, expected=sheet_digest(a_bytes))
    assert store.path_for(case.code).read_bytes() == saved_b
    assert store.load(case.code).description == "typed in window B"
    # B goes on saving: it expects its own last save.
    window_b.goal = "refund"
    store.save(window_b, expected=sheet_digest(saved_b))


def test_a_new_case_never_replaces_an_existing_file(store):
    from complaint.errors import SaveConflict

    case = store.new_case("zh")
    store.save(case)
    with pytest.raises(SaveConflict):
        store.save(case, expected=None)


def test_rows_added_by_hand_survive_a_save(store):
    case = store.new_case("zh")
    store.save(case)
    path = store.path_for(case.code)
    text = (
        path.read_bytes()
        .decode("utf-8-sig")
        .replace("end_of_sheet", "trainer_note,Trainer's note,=call back Monday,\r\nend_of_sheet")
    )
    path.write_bytes(text.encode("utf-8-sig"))
    loaded = store.load(case.code)
    assert loaded.extra_rows == [("trainer_note", "Trainer's note", "=call back Monday", "")]
    loaded.description = "edited"
    store.save(loaded)
    assert store.load(case.code).extra_rows == loaded.extra_rows
    assert b"'=call back Monday" in path.read_bytes()


def test_kept_evidence_files_live_in_the_cases_own_folder(store):
    from datetime import datetime

    from complaint.evidence import evidence_file
    from complaint.model import EvidenceItem

    case = store.new_case("zh")
    record = evidence_file(
        "../../../etc/截图.png", "image/png", b"PNGDATA", datetime.now(UTC), keep=True
    )
    path = store.keep_file(case, record, b"PNGDATA")
    assert path.read_bytes() == b"PNGDATA"
    assert path.parent == store.root / f"{case.case_id}.files"
    assert path.name == f"{record.sha256[:16]}-截图.png"
    case.evidence["transaction_record"] = EvidenceItem(files=[record])
    twin = evidence_file("截图.png", "image/png", b"PNGDATA", datetime.now(UTC), keep=True)
    case.evidence["service_chat"] = EvidenceItem(files=[twin])
    case.evidence["transaction_record"].files = []  # removed from one item, as the UI does...
    store.discard_file(case, record)  # ...but the same bytes are still attached to another: kept
    assert path.exists()
    case.evidence["service_chat"].files = []
    store.discard_file(case, twin)
    assert not path.exists()


@pytest.mark.parametrize(
    "shared, sheet_mode, folder_mode", [("", 0o600, 0o700), ("1", 0o640, 0o750)]
)
def test_sheets_are_private_unless_a_trainers_group_must_read_them(
    tmp_path, monkeypatch, shared, sheet_mode, folder_mode
):
    """WORKBOOK_SHARE_WITH_GROUP=1: a JupyterHub where each participant is an OS user (deploy/jupyterhub)."""
    import stat

    monkeypatch.setenv("WORKBOOK_SHARE_WITH_GROUP", shared)
    old_umask = os.umask(0o022)
    try:
        store = CaseStore(tmp_path / "cases")
        case = store.new_case("zh")
        store.save(case)
        assert stat.S_IMODE(store.path_for(case.code).stat().st_mode) == sheet_mode
        assert stat.S_IMODE(store.root.stat().st_mode) == folder_mode
    finally:
        os.umask(old_umask)


def test_the_server_locks_each_save_with_flock(store):
    from complaint.storage import FileLocks

    assert isinstance(store.locks, FileLocks)
    case = store.new_case("zh")
    store.save(case)
    assert (store.root / f".{case.case_id}.lock").exists()


def test_where_fcntl_has_no_flock_saves_run_unlocked_and_still_refuse_stale_windows(tmp_path):
    """Pyodide (the in-browser edition) has an fcntl module without flock: importing the store
    must not fail there, and saving, resuming and the stale-window check must still work."""
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import sys, types\n"
        "sys.modules['fcntl'] = types.ModuleType('fcntl')  # Pyodide's: no flock\n"
        "from complaint.errors import SaveConflict\n"
        "from complaint.storage import CaseStore, NoLocks, sheet_digest\n"
        "store = CaseStore(sys.argv[1])\n"
        "assert isinstance(store.locks, NoLocks)\n"
        "case = store.new_case('zh'); case.description = '钱没有到账'\n"
        "first = store.save(case, expected=None)\n"
        "again, data = store.load_sheet(case.code)\n"
        "assert again == case and data == first\n"
        "again.goal = 'refund'; store.save(again, expected=sheet_digest(data))\n"
        "try:\n"
        "    store.save(case, expected=sheet_digest(first))\n"
        "    raise SystemExit('a stale window overwrote a newer save')\n"
        "except SaveConflict:\n"
        "    pass\n"
        "print(store.load(case.code).goal)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "refund"
    assert not list(tmp_path.glob(".*.lock"))


def test_kept_copies_in_a_folder_of_the_case_or_beside_the_sheets(tmp_path):
    """The server keeps a case's evidence copies in a folder of the case's; the in-browser
    edition's drive keeps no folder the kernel makes, so there they lie beside the sheets, under
    names no sheet has and the dashboard never takes for a sheet."""
    from complaint.evidence import evidence_file
    from complaint.trainer.index import CaseIndex

    data = b"\x89PNG\r\n\x1a\n screenshot"
    for in_folders in (True, False):
        store = CaseStore(tmp_path / str(in_folders), kept_in_folders=in_folders)
        case = store.new_case("en")
        record = evidence_file("chat.png", "image/png", data, datetime.now(UTC), keep=True)
        case.evidence["chats"] = EvidenceItem(status="have", files=[record])
        store.save(case)
        path = store.keep_file(case, record, data)
        assert path.read_bytes() == data and path == store.kept_file_path(case, record)
        assert (path.parent == store.root) is not in_folders
        assert sorted(p.name for p in store.root.iterdir() if p.name.endswith(".csv")) == [
            f"{case.case_id}.csv"
        ]
        overview = CaseIndex(store.root, index_file=None).refresh()
        assert len(overview.cases) == 1 and overview.problems == ()
        store.discard_file(case, record)
        assert not path.exists()
