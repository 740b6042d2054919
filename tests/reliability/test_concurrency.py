"""Many processes saving at once (each a fresh interpreter, as each visitor has a kernel):
no sheet is ever corrupted or lost, and two writers of one case end with one complete version.

What the store does when two processes save the same case (complaint/storage.py):
- a window (WorkbookApp) passes the digest of the sheet it last read or wrote; a save over
  anything else raises SaveConflict: the window says so ("save.conflict"), stops saving and
  offers its answers as a download; the file keeps the other window's work;
- a tool that reloads after SaveConflict and tries again never overwrites a save it has not seen;
- without a digest (``UNCHECKED``, tools and tests) the last writer wins, whole.
"""

from __future__ import annotations

import multiprocessing
import queue
from html import escape

import pytest

from complaint.i18n import Translator
from complaint.sheet import read_sheet
from complaint.storage import sheet_digest

from .workload import app_writer, revision_of, sheet_reader, store_writer

pytestmark = pytest.mark.slow


def run_together(*jobs: tuple) -> list[dict]:
    """Start every (function, args) in its own spawned process; they begin at once (a barrier)."""
    context = multiprocessing.get_context("spawn")
    results, barrier = context.Queue(), context.Barrier(len(jobs))
    processes = [
        context.Process(target=function, args=(*args, barrier, results)) for function, args in jobs
    ]
    for process in processes:
        process.start()
    reports = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=120))
    except queue.Empty:
        pytest.fail(f"a process did not report; exit codes {[p.exitcode for p in processes]}")
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return reports


def readers(root, seconds: float, count: int = 2) -> list[tuple]:
    return [(sheet_reader, (str(root), seconds))] * count


def check_readers(reports: list[dict], figures) -> None:
    for report in (r for r in reports if r.get("reader")):
        assert report["failed"] == 0, report["failures"]
        figures.add("concurrent_reads", report["reads"])


def new_cases(store, count: int) -> list[str]:
    codes = []
    for _ in range(count):
        case = store.new_case("zh")
        store.save(case, expected=None)
        codes.append(case.code)
    return codes


def test_thirty_processes_saving_thirty_cases(store, figures):
    codes = new_cases(store, 30)
    writers = [
        (store_writer, (str(store.root), code, f"W{i}", 3.0, True)) for i, code in enumerate(codes)
    ]
    reports = run_together(*writers, *readers(store.root, 3.0))
    check_readers(reports, figures)
    for report in (r for r in reports if "writer" in r):
        assert report["conflicts"] == 0, report["writer"]  # nobody else writes this case
        assert len(report["saves"]) == report["typed"] > 0
        case, data = store.load_sheet(report["code"])
        assert sheet_digest(data) == report["saves"][-1][1], (
            "the last save is on disk, byte for byte"
        )
        assert revision_of(case) == report["typed"]
        figures.add("saves", len(report["saves"]))
    names = sorted(p.name for p in store.root.iterdir())
    assert len([n for n in names if n.endswith(".csv")]) == 30 and not [
        n for n in names if n.endswith(".tmp")
    ], names
    figures.set("writer_processes", 30)


def test_two_processes_racing_on_one_case_without_a_digest_last_writer_wins(store, figures):
    (code,) = new_cases(store, 1)
    writers = [(store_writer, (str(store.root), code, writer, 2.0, False)) for writer in ("A", "B")]
    reports = run_together(*writers, *readers(store.root, 2.0))
    check_readers(reports, figures)
    lasts = {r["writer"]: r["saves"][-1][1] for r in reports if "writer" in r}
    case, data = store.load_sheet(code)
    assert sheet_digest(data) in lasts.values(), "the file is one writer's last save, complete"
    revision_of(case)
    figures.add("saves", sum(len(r["saves"]) for r in reports if "writer" in r))


def test_two_processes_racing_on_one_case_with_digests_never_lose_a_save(store, figures):
    """Each writer passes the digest it last saw and reloads on SaveConflict. Every successful
    save replaced exactly the previous successful one: together they form a single chain, so no
    save was overwritten by a writer that had not seen it."""
    (code,) = new_cases(store, 1)
    initial = sheet_digest(store.path_for(code).read_bytes())
    writers = [(store_writer, (str(store.root), code, writer, 2.0, True)) for writer in ("A", "B")]
    reports = run_together(*writers, *readers(store.root, 2.0))
    check_readers(reports, figures)
    saves = [pair for r in reports if "writer" in r for pair in r["saves"]]
    successor = dict(saves)
    assert len(successor) == len(saves), "two saves replaced the same version: one was lost"
    digest, steps = initial, 0
    while digest in successor:
        digest, steps = successor[digest], steps + 1
    assert steps == len(saves) and digest == sheet_digest(store.path_for(code).read_bytes())
    figures.add("saves", len(saves))
    figures.add("conflicts", sum(r["conflicts"] for r in reports if "writer" in r))


def test_two_windows_on_one_case_one_saves_the_other_is_told(store, figures):
    """Two WorkbookApp windows resumed from the same sheet, typing and pressing Save in a tight
    loop: the first save wins; the other window's next save is refused with the conflict message,
    it stops saving, and its download carries what it typed."""
    (code,) = new_cases(store, 1)
    windows = [(app_writer, (code, writer, 2.0)) for writer in ("A", "B")]
    reports = run_together(*windows, *readers(store.root, 2.0))
    check_readers(reports, figures)
    by_state = {r["state"]: r for r in reports if "writer" in r}
    assert sorted(by_state) == ["conflict", "saved"], [r["state"] for r in reports if "writer" in r]
    winner, loser = by_state["saved"], by_state["conflict"]
    assert winner["saved"] and not loser["saved"]
    assert sheet_digest(store.path_for(code).read_bytes()) == winner["saved"][-1]
    assert (
        escape(Translator("zh")("save.conflict")) in loser["status"]
        and "Traceback" not in loser["status"]
    )
    mine = read_sheet(loser["download"])
    assert mine["transaction_id"] == f"T-{loser['writer']}{loser['typed']:08d}", (
        "the loser's answers can still leave"
    )
    figures.add("saves", len(winner["saved"]))
