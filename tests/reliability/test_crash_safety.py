"""Kill the process that is saving, at random moments and at every step of a save: every sheet
on disk afterwards loads and is a version the user saved (see check_after_kill)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

import pytest

from complaint.storage import CaseStore

from .kernels import RealKernel
from .workload import (
    BEFORE_RENAME,
    KILL_POINTS,
    SideLog,
    check_after_kill,
    save_forever,
    start_case,
)

SEED = 20261125


def wait_for_ack(log: SideLog, after: int, timeout: float = 60) -> None:
    """Until the saving process has acknowledged a save it made itself (its loop is running)."""
    deadline = time.monotonic() + timeout
    while not any(n > after for n, _ in log.acks()):
        assert time.monotonic() < deadline, "the saving process never saved"
        time.sleep(0.01)


def sheet_now(cases, log: SideLog) -> bytes:
    return CaseStore(cases).path_for(log.code()).read_bytes()


def checked_after_kill(figures, cases, log: SideLog, before: bytes, counter: str) -> dict:
    """check_after_kill, counted in the figures."""
    result = check_after_kill(cases, log, before)
    figures.add(counter)
    figures.add(f"outcome_{result['outcome']}")
    figures.add("killed_mid_save", result["mid_save"])
    figures.set("temp_files_left_behind", result["temp_files"])  # never cleaned: they add up
    figures.set("revisions_saved", result["revision"])
    return result


@pytest.mark.slow
def test_sigkill_a_real_kernel_during_a_long_series_of_saves(tmp_path, figures):
    """Each kernel resumes the case (as ``?case=`` does), saves with the Save button in a tight
    loop, and is SIGKILLed after a random delay; the next kernel continues the same case."""
    rng = random.Random(SEED)
    cases, log = tmp_path / "cases", SideLog(tmp_path / "side.log")
    kernel = RealKernel(tmp_path / "kernel", cases)
    kernel.run(f"from tests.reliability.workload import start_case; start_case({str(log.path)!r})")
    kernel.close()
    code = log.code()
    for _ in range(8):
        kernel = RealKernel(tmp_path / "kernel", cases)
        before = sheet_now(cases, log)
        kernel.submit(
            f"from tests.reliability.workload import save_forever; save_forever({str(log.path)!r}, {code!r})"
        )
        wait_for_ack(log, log.acks()[-1][0])
        time.sleep(rng.uniform(0, 0.3))
        kernel.kill()
        checked_after_kill(figures, cases, log, before, "kernels_killed")


def _fork():
    return multiprocessing.get_context("fork")


@pytest.mark.slow
def test_sigkill_a_saving_process_at_random_moments(isolated_cases_dir, tmp_path, figures):
    """The same save loop in forked processes (cheap to start), killed many more times."""
    rng = random.Random(SEED + 1)
    cases, log = isolated_cases_dir, SideLog(tmp_path / "side.log")
    start_case(str(log.path))
    code = log.code()
    for _ in range(150):
        before = sheet_now(cases, log)
        begun = len(log.begun())
        child = _fork().Process(target=save_forever, args=(str(log.path), code))
        child.start()
        # Kill only once the child is saving: on a busy machine a fixed delay could kill every
        # child while it is still resuming the case, and test nothing.
        deadline = time.monotonic() + 30
        while len(log.begun()) == begun and time.monotonic() < deadline and child.is_alive():
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        checked_after_kill(figures, cases, log, before, "processes_killed")


@pytest.mark.slow
@pytest.mark.parametrize("point", KILL_POINTS)
def test_sigkill_at_each_step_of_a_save(isolated_cases_dir, tmp_path, point, figures):
    """Killed after the temp file is created, halfway through writing it, before its fsync,
    before the rename, after the rename, after the save returned: before the rename the disk
    keeps the previous version, from the rename on it holds the new one, complete."""
    cases, log = isolated_cases_dir, SideLog(tmp_path / "side.log")
    start_case(str(log.path))
    code, on_disk = log.code(), 0
    rng = random.Random(f"{SEED}-{point}")
    for _ in range(5):
        kill_at = on_disk + rng.randint(2, 4)  # at least one acknowledged save first
        before = sheet_now(cases, log)
        child = _fork().Process(target=save_forever, args=(str(log.path), code, point, kill_at))
        child.start()
        child.join(timeout=60)
        assert child.exitcode == -signal.SIGKILL, child.exitcode
        result = checked_after_kill(figures, cases, log, before, "processes_killed")
        expected = "acknowledged" if point in BEFORE_RENAME else "in_flight"
        assert (result["outcome"], result["revision"]) == (
            expected,
            kill_at - (expected == "acknowledged"),
        ), result
        on_disk = result["revision"]
