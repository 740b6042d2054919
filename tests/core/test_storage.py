"""Case sheets on disk: atomic saves, resume by code only, loads that never write."""

import os
import threading

import pytest

from complaint.codes import format_code, new_code
from complaint.errors import CaseNotFound, CaseSheetError, InvalidInput
from complaint.storage import CaseStore, atomic_write


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
    assert [p.name for p in store.root.iterdir()] == [path.name]


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
    assert [p.name for p in store.root.iterdir()] == [store.path_for(case.code).name], "temp file left behind"
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
    assert len(list(store.root.iterdir())) == len(cases)


def test_store_defaults_to_the_configured_directory(isolated_cases_dir):
    assert CaseStore().root == isolated_cases_dir
