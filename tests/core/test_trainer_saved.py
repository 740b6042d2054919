"""The journal of summaries each save appends for the trainer (complaint.trainer.saved): kept
small by compaction, and whole when many processes append at once."""

from __future__ import annotations

import multiprocessing
from datetime import date

from complaint.storage import CaseStore
from complaint.trainer import saved
from complaint.trainer.index import CaseIndex
from complaint.trainer.saved import JOURNAL_NAME, Journal, last_lines


def test_the_journal_is_compacted_to_the_last_line_of_each_sheet_still_there(tmp_path, monkeypatch):
    monkeypatch.setattr(saved, "COMPACT_FROM", 4_000)
    store = CaseStore(tmp_path)
    cases = [store.new_case("zh") for _ in range(3)]
    for case in cases:
        store.save(case)
    store.path_for(cases[2].code).unlink()  # a sheet deleted: its lines go at the next compaction
    journal = tmp_path / JOURNAL_NAME
    sizes = []
    for number in range(40):
        cases[number % 2].provider = f"Pay {number}"
        store.save(cases[number % 2])
        sizes.append(journal.stat().st_size)
    assert max(sizes) < 3 * 4_000  # without compaction: 40 lines of about 400 bytes
    lines = last_lines(journal.read_bytes())
    assert set(lines) == {
        b"#compacted",
        store.path_for(cases[0].code).name.encode(),
        store.path_for(cases[1].code).name.encode(),
    }
    overview = CaseIndex(tmp_path, today=date(2026, 11, 25), index_file=None).refresh()
    assert overview.read_in_full == 0 and {s.provider for s in overview.cases} == {
        "Pay 38",
        "Pay 39",
    }


def test_a_dashboard_reads_a_compacted_journal_from_its_start(tmp_path, monkeypatch):
    store = CaseStore(tmp_path)
    case = store.new_case("en")
    store.save(case)
    index = CaseIndex(tmp_path, today=date(2026, 11, 25), index_file=None)
    index.refresh()
    monkeypatch.setattr(
        saved, "COMPACT_FROM", 0
    )  # the next save compacts: a new file, shorter than what was read
    case.provider = "Example Pay"
    store.save(case)
    overview = index.refresh()
    assert (overview.read, overview.read_in_full, overview.cases[0].provider) == (
        1,
        0,
        "Example Pay",
    )


def _save_many(root: str, count: int) -> None:
    store = CaseStore(root)
    for number in range(count):
        case = store.new_case("zh")
        case.provider = f"Pay {number}"
        store.save(case)


def test_processes_saving_at_once_leave_one_whole_line_per_save(tmp_path, monkeypatch):
    monkeypatch.setattr(
        saved, "COMPACT_FROM", 20_000
    )  # inherited by the forked savers: they compact too
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_save_many, args=(str(tmp_path), 25)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    overview = CaseIndex(tmp_path, today=date(2026, 11, 25), index_file=None).refresh()
    assert (
        len(overview.cases) == 100 and overview.read_in_full == 0
    )  # every sheet's line was found whole
    assert len(Journal(str(tmp_path)).new_lines()) == 100 + (
        b"#compacted" in (tmp_path / JOURNAL_NAME).read_bytes()
    )


def test_without_flock_the_journal_is_still_written_and_used(tmp_path):
    """The in-browser edition (Pyodide: an fcntl module without flock, one process) keeps the journal too."""
    import subprocess
    import sys

    probe = (
        "import sys, types\n"
        "sys.modules['fcntl'] = types.ModuleType('fcntl')  # Pyodide's: no flock\n"
        "from complaint.storage import CaseStore\n"
        "from complaint.trainer import saved\n"
        "from complaint.trainer.index import CaseIndex\n"
        "assert saved.flock is None\n"
        "store = CaseStore(sys.argv[1])\n"
        "for _ in range(3): store.save(store.new_case('zh'))\n"
        "overview = CaseIndex(sys.argv[1], index_file=None).refresh()\n"
        "assert (len(overview.cases), overview.read_in_full) == (3, 0), overview\n"
    )
    subprocess.run([sys.executable, "-c", probe, str(tmp_path)], check=True)
