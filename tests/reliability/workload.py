"""The work the reliability tests put under stress, and the checks they make afterwards.

Run in a real kernel, in a forked child, or in a spawned process: the same code, so "the
kernel" and "the subprocess" variants save the same way. Everything here writes through the
workbook's own paths: the step views' controls and the Save button (WorkbookApp), or
CaseStore.save with the digest a window would pass.

A *revision* n sets every field below to a value that names n, so a sheet read back says
which revision it is, and a sheet that mixed two revisions could not pass as either.
"""

from __future__ import annotations

import os
import re
import signal
import time
from decimal import Decimal
from pathlib import Path

#: (step, control, case attribute) of every field a revision sets.
REVISION_FIELDS = (
    ("problem", "other", "problem_other"),
    ("facts", "provider_other", "provider_other"),
    ("facts", "amount", "amount"),
    ("facts", "transaction_id", "transaction_id"),
    ("facts", "description", "description"),
    ("goal", "other", "goal_other"),
    ("goal", "details", "goal_details"),
)
#: Dot-files a save leaves beside a sheet: the lock, the folder's journal of summaries for the
#: trainer (complaint.trainer.saved, checked against the sheet before use) and, after a kill, a
#: temp file of the sheet or of a journal being compacted.
_BESIDE_A_SHEET = re.compile(r"\.(?P<id>[0-9a-f]{24})\.lock|\.trainer-journal")
_TEMP_NAME = re.compile(r"\.[0-9a-f]{24}\.csv\.[^/]+\.tmp|\.trainer-journal\.[^/]+\.tmp")


def revision_values(n: int, writer: str = "") -> dict[str, str]:
    """What the user types for revision ``n`` (by ``writer``, when several processes write):
    already clean text, formula and HTML payloads included."""
    return {
        "problem_other": f"第 {n} 版：扣款未到账",
        "provider_other": f'=HYPERLINK("http://x.example/{writer}{n}")',
        "amount": f"{n}.{n % 100:02d}",
        "transaction_id": f"T-{writer}{n:08d}",
        "description": f"第 {n} 次保存\n<script>alert({n})</script>\n- 行 {n}",
        "goal_other": f"@退款 {n}",
        "goal_details": f"+{n} 天内退回原账户",
    }


def _typed_to_case(attribute: str, typed: str):
    return Decimal(typed) if attribute == "amount" else typed


def revision_of(case) -> int:
    """The revision a loaded case holds (0: the empty case as first saved), checking that every
    field says the same revision of the same writer: a mix of two versions fails here."""
    if not case.transaction_id:
        assert all(not getattr(case, attribute) for _s, _c, attribute in REVISION_FIELDS), case
        return 0
    writer, n = re.fullmatch(r"T-(.*)([0-9]{8})", case.transaction_id).groups()
    for attribute, typed in revision_values(int(n), writer).items():
        assert getattr(case, attribute) == _typed_to_case(attribute, typed), (
            attribute,
            getattr(case, attribute),
            typed,
        )
    return int(n)


def apply_revision(case, n: int, writer: str = "") -> None:
    """Revision ``n`` set on the case directly: for tests of the store without the widgets."""
    for attribute, typed in revision_values(n, writer).items():
        setattr(case, attribute, _typed_to_case(attribute, typed))


def new_app(**kwargs):
    """A WorkbookApp whose autosave never fires by itself: only the Save button saves."""
    from widgets.app import WorkbookApp

    return WorkbookApp(language="zh", call_later=lambda _delay, _callback: None, **kwargs)


def type_revision(app, n: int, writer: str = "") -> None:
    """Type revision ``n`` into the step views, as a person (or the browser) sets .value."""
    app.views["problem"].choice.value = "other"
    app.views["facts"].provider.value = "other"
    app.views["goal"].choice.value = "other"
    typed = revision_values(n, writer)
    for step, control, attribute in REVISION_FIELDS:
        getattr(app.views[step], control).value = typed[attribute]


class SideLog:
    """What the saving process tells the test: lines appended with O_APPEND, acks fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def write(self, line: str, durable: bool = False) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)

    def lines(self) -> list[list[str]]:
        if not self.path.exists():
            return []
        return [line.split() for line in self.path.read_text().splitlines() if line.strip()]

    def acks(self) -> list[tuple[int, str]]:
        return [
            (int(n), digest)
            for kind, n, digest in (line for line in self.lines() if line[0] == "ack")
        ]

    def begun(self) -> set[int]:
        return {int(line[1]) for line in self.lines() if line[0] == "begin"}

    def code(self) -> str:
        return next(line[1] for line in self.lines() if line[0] == "code")


def start_case(log_path: str) -> str:
    """Start a new case the way the start screen does; its first save is acknowledged as revision 0."""
    from complaint.storage import sheet_digest

    log = SideLog(log_path)
    app = new_app()
    app.start.new_button.click()
    assert app.save_state == "saved", app.save_state
    log.write(f"code {app.case.code}", durable=True)
    log.write(f"ack 0 {sheet_digest(app.saved_bytes)}", durable=True)
    return app.case.code


def save_forever(
    log_path: str, code: str, kill_point: str | None = None, kill_at: int | None = None
) -> None:
    """Resume the case (as ``?case=`` does) and save revision after revision with the Save button.

    ``begin n`` is logged before a save, ``ack n <digest>`` (fsynced) only after the save returned
    and the app said "saved". With ``kill_point``, the process SIGKILLs itself at that point of
    the save of revision ``kill_at`` (see :func:`arm`)."""
    from complaint.storage import sheet_digest

    log = SideLog(log_path)
    app = new_app(resume_code=code)
    assert app.case is not None, app.start.message.value if app.start else "no case"
    n = revision_of(app.case)
    while True:
        n += 1
        type_revision(app, n)
        log.write(f"begin {n}")
        if kill_point is not None and n == kill_at:
            arm(kill_point)
        app.savebar.save_button.click()
        if kill_point == "after_save_returned" and n == kill_at:
            die()
        assert app.save_state == "saved", (app.save_state, app.savebar.status.value)
        log.write(f"ack {n} {sheet_digest(app.saved_bytes)}", durable=True)


# ---- fault injection at exact points of an atomic save ----------------------------------------

#: Where a save can be cut short, in order; the first four happen before the rename.
KILL_POINTS = (
    "after_temp_created",
    "mid_write",
    "before_fsync",
    "before_rename",
    "after_rename",
    "after_save_returned",
)
BEFORE_RENAME = KILL_POINTS[:4]


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(60)  # never reached


def arm(point: str) -> None:
    """Make the next save of this process SIGKILL it at ``point`` (only ever called in a throwaway child)."""
    import tempfile

    if (
        point == "after_temp_created"
    ):  # a save's temp file has a fixed name (os.open); other writes use mkstemp
        real_mkstemp, real_open = tempfile.mkstemp, os.open
        tempfile.mkstemp = lambda *a, **k: (real_mkstemp(*a, **k), die())[0]
        os.open = lambda path, *a, **k: (
            real_open(path, *a, **k),
            str(path).endswith(".tmp") and die(),
        )[0]
    elif point == "mid_write":
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])
                self.handle.flush()
                die()

        os.fdopen = lambda *a, **k: HalfWriter(real_fdopen(*a, **k))
    elif point == "before_fsync":
        os.fsync = lambda _fd: die()
    elif point in ("before_rename", "after_rename"):
        real_replace = os.replace

        def replace(*args):
            if point == "after_rename":
                real_replace(*args)
            die()

        os.replace = replace
    elif point != "after_save_returned":
        raise ValueError(point)


# ---- what the directory must look like after a kill -------------------------------------------


def check_after_kill(root: Path, log: SideLog, before: bytes) -> dict:
    """Every sheet loads and is a version the user saved; nothing else looks like a sheet.

    "A version the user saved" means one of, byte for byte where the bytes are known:
    - the last save acknowledged (the call returned, the app showed "Saved");
    - the sheet as it was when the killed process resumed it (``before``), when that process had
      not saved since (it may be an earlier process's unacknowledged save, which the user saw);
    - the save in flight when the kill came (begun, never acknowledged): complete, exactly the
      revision typed (its bytes are unknown only by the time stamp of the save).
    Never a mix of two versions, never anything half-written.
    Returns {"outcome": "acknowledged" | "as_resumed" | "in_flight", "revision": n, "temp_files": k,
    "mid_save": the kill came between a save's start and its acknowledgement}.
    """
    from complaint.model import Case
    from complaint.sheet import read_sheet
    from complaint.storage import CaseStore, sheet_digest

    store = CaseStore(root)
    code = log.code()
    sheet = store.path_for(code)
    names = sorted(p.name for p in root.iterdir())
    visible = [name for name in names if not name.startswith(".")]
    assert visible == [sheet.name], names
    hidden = [name for name in names if name.startswith(".")]
    temps = [name for name in hidden if not _BESIDE_A_SHEET.fullmatch(name)]
    assert all(_TEMP_NAME.fullmatch(name) for name in temps), temps  # never named like a sheet
    case, data = store.load_sheet(code)
    n = revision_of(case)
    last_n, last_digest = log.acks()[-1]
    last_begun = max(log.begun(), default=0)
    if sheet_digest(data) == last_digest:
        outcome = "acknowledged"
        assert n == last_n
    elif data == before:
        outcome = "as_resumed"
    else:
        outcome = "in_flight"
        assert n == last_begun > last_n, (n, last_begun, last_n)
    resumed = revision_of(
        Case(code=code, **{k: v for k, v in read_sheet(before).items() if k != "case_id"})
    )
    return {
        "outcome": outcome,
        "revision": n,
        "temp_files": len(temps),
        "mid_save": last_begun > max(last_n, resumed),
    }


# ---- many processes at once (multiprocessing, spawn: each a fresh interpreter like a kernel) ----


def store_writer(
    root: str, code: str, writer: str, seconds: float, checked: bool, barrier, results
) -> None:
    """Save one case in a tight loop through CaseStore.save for ``seconds``.

    ``checked``: pass the digest of the sheet this process last read or wrote, as a window does;
    on SaveConflict reload the sheet and go on (a careful tool). Otherwise overwrite whatever
    is there (``UNCHECKED``, for tools). Reports every successful save as (expected, new digest)."""
    from complaint.errors import SaveConflict
    from complaint.storage import UNCHECKED, CaseStore, sheet_digest

    store = CaseStore(root)
    case, data = store.load_sheet(code)
    digest, saves, conflicts, n = sheet_digest(data), [], 0, 0
    barrier.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        n += 1
        apply_revision(case, n, writer)
        try:
            new = sheet_digest(store.save(case, expected=digest if checked else UNCHECKED))
        except SaveConflict:
            conflicts += 1
            case, data = store.load_sheet(code)
            digest = sheet_digest(data)
            continue
        saves.append((digest, new))
        digest = new
    results.put(
        {"writer": writer, "code": code, "saves": saves, "conflicts": conflicts, "typed": n}
    )


def app_writer(code: str, writer: str, seconds: float, barrier, results) -> None:
    """A browser window: the case resumed in a WorkbookApp, typed into and saved with the Save
    button in a tight loop, until ``seconds`` pass or the app reports a conflict."""
    import base64

    from complaint.storage import sheet_digest

    app = new_app(resume_code=code)
    saved, n = [], 0
    barrier.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end and app.save_state != "conflict":
        n += 1
        type_revision(app, n, writer)
        app.savebar.save_button.click()
        if app.save_state == "saved":
            saved.append(sheet_digest(app.saved_bytes))
    download = re.search(r"base64,([^\"]+)", app.savebar.download.value).group(1)
    results.put(
        {
            "writer": writer,
            "saved": saved,
            "typed": n,
            "state": app.save_state,
            "status": app.savebar.status.value,
            "download": base64.b64decode(download),
        }
    )


def sheet_reader(root: str, seconds: float, barrier, results) -> None:
    """Read every sheet in the directory over and over while others write: each read must be a
    complete sheet holding one revision of one writer."""
    from types import SimpleNamespace

    from complaint.sheet import read_sheet

    reads, failures = 0, []
    barrier.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for path in Path(root).glob("*.csv"):
            try:
                revision_of(SimpleNamespace(**read_sheet(path.read_bytes())))
            except Exception as error:  # reported, not raised: the test shows them all
                failures.append(f"{path.name}: {error!r}")
            else:
                reads += 1
    results.put(
        {"reader": True, "reads": reads, "failures": failures[:20], "failed": len(failures)}
    )
