"""Summaries written at save time, so that the trainer's first look at a workshop need not read
every sheet.

Reading and checking a whole sheet costs about half a millisecond; at 100,000 sheets that is a
minute. So each save of the workbook appends the sheet's summary to one journal in the sheet's
folder (``.trainer-journal``): a line with the sheet's file name, its size and modification time
right after the save, the summary version and content it was made with, and the summary itself
(:func:`complaint.trainer.summary.summary_record`). The trainer's index reads each folder's
journal in one go, takes the last line of each sheet, and uses it only when the sheet on disk
still has that size and modification time (the test the index itself uses to decide that a
sheet is unchanged) and the summary version and content still match; otherwise it reads the
sheet in full (a sheet edited by hand, copied in, or written by an older version). The journal is
derived data: no fsync, and nothing that goes wrong with it ever fails a save.

Several kernels save cases of one folder at once. Each line is one ``write()`` to the journal
opened with O_APPEND, under an exclusive ``flock`` on it where the platform has one (the
in-browser edition is one process and has none). Each line *starts* with a line break, so a line
cut short by a killed process ends there and spoils no other line. The journal grows by a line
per save; once it is more than twice the size it had after its last compaction (and over
COMPACT_FROM bytes), the saving kernel rewrites it with the last line of each sheet still there,
atomically and under the same lock; a saver that was waiting for the lock notices that the file
was replaced and appends to the new one.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from ..files import atomic_write
from ..model import Case
from ..paths import file_mode
from .summary import (
    INDEX_VERSION,
    CaseSummary,
    content_fingerprint,
    summary_from_record,
    summary_of,
    summary_record,
)

try:
    from fcntl import LOCK_EX, flock
except (
    ImportError
):  # Pyodide has no flock (one process, see complaint.storage.NoLocks); other platforms no fcntl
    flock = None

JOURNAL_NAME = ".trainer-journal"  # a dot-file: never taken for a case sheet, never served
#: A journal smaller than this is never compacted (a line is about 350 bytes: some 3,000 saves).
COMPACT_FROM = 1 << 20
_COMPACTED = b"#compacted"
_decode = (
    json.JSONDecoder().decode
)  # text straight to the decoder: json.loads would first guess the bytes' encoding


def summary_tag() -> bytes:
    """What a line must carry to be used: the summary version and the content's fingerprint."""
    return f"{INDEX_VERSION}:{content_fingerprint()}".encode()


def journal_line(name: str, stamp: tuple[int, int], summary: CaseSummary) -> bytes:
    """One line of the journal (starting with its line break) for the sheet ``name`` with ``stamp``
    (size, modification time in ns) as it is on disk right after the save."""
    record = json.dumps(summary_record(summary), ensure_ascii=False, separators=(",", ":"))
    return b"\n" + b"\t".join(
        (
            name.encode(),
            str(stamp[0]).encode(),
            str(stamp[1]).encode(),
            summary_tag(),
            record.encode(),
        )
    )


def write_saved_summary(sheet: Path, case: Case, data: bytes) -> None:
    """Called by the store after each save, under the case's lock; never fails a save."""
    from ..sheet import FORMAT_VERSION

    try:
        summary = summary_of(
            case, case.case_id, FORMAT_VERSION, "", "", date(2000, 1, 1)
        )  # the day plays no part
        stat = os.stat(sheet)
        append_lines(
            sheet.parent, journal_line(sheet.name, (stat.st_size, stat.st_mtime_ns), summary)
        )
    except Exception:  # derived data: whatever goes wrong here, the save stands
        pass  # and the dashboard reads the sheet itself


def append_lines(folder: Path, lines: bytes) -> None:
    """Append ``lines`` (each starting with its line break) to ``folder``'s journal, in one write."""
    path = folder / JOURNAL_NAME
    for _attempt in range(
        3
    ):  # a compaction between open and lock, twice in a row, is already unlikely
        handle = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            if flock is not None:
                flock(handle, LOCK_EX)  # released when the handle is closed
            try:
                if os.fstat(handle).st_ino != os.stat(path).st_ino:
                    continue  # compacted (replaced) while this saver waited for the lock
            except FileNotFoundError:
                continue
            if os.fstat(handle).st_size == 0:
                os.fchmod(
                    handle, file_mode()
                )  # a new journal: readable by the trainers' group where sheets are
            view = memoryview(lines)
            while view:
                view = view[os.write(handle, view) :]
            size = os.fstat(handle).st_size
            if size > COMPACT_FROM and size > 2 * _compacted_size(handle):
                compact(path)
            return
        finally:
            os.close(handle)
    raise OSError(f"{path} kept being replaced")


def _compacted_size(handle: int) -> int:
    """The size the journal had after its last compaction (its first line says), 0 if never compacted."""
    first = os.pread(handle, 64, 0).split(b"\n", 2)
    if len(first) > 1 and first[1].startswith(_COMPACTED + b"\t"):
        try:
            return int(first[1].split(b"\t")[1])
        except ValueError:
            return 0
    return 0


def compact(path: Path) -> None:
    """Rewrite the journal with the last line of each sheet that still exists (the caller holds its lock)."""
    latest = last_lines(path.read_bytes())
    folder = path.parent
    body = b"".join(
        b"\n" + line
        for name, line in latest.items()
        if name != _COMPACTED and (folder / name.decode()).exists()
    )
    atomic_write(path, b"\n" + _COMPACTED + b"\t" + str(len(body)).encode() + body)


def last_lines(data: bytes) -> dict[bytes, bytes]:
    """sheet file name -> its last line in ``data`` (a journal, or what was appended to one)."""
    latest = {}
    for line in data.split(b"\n"):
        tab = line.find(b"\t")
        if tab > 0:
            latest[line[:tab]] = line  # a later line of the same sheet replaces an earlier one
    return latest


class Journal:
    """What the trainer's index has read of one folder's journal, so that a refresh reads only the
    lines appended since the one before (all of them the first time, or after a compaction)."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, JOURNAL_NAME)
        self.inode: int | None = None
        self.offset = 0

    def new_lines(self) -> dict[bytes, bytes]:
        """sheet file name -> its last line appended since the previous call."""
        try:
            with open(self.path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                if stat.st_ino != self.inode or stat.st_size < self.offset:
                    self.inode, self.offset = (
                        stat.st_ino,
                        0,
                    )  # a new (compacted) journal: from its start
                handle.seek(self.offset)
                data = handle.read()
        except OSError:
            return {}
        # The last line may be half-written still (it has no end mark): it is read again next time.
        end = data.rfind(b"\n")
        if end > 0:
            self.offset += end
        return last_lines(data)


def saved_summary(
    line: bytes | None, stamp: tuple[int, int], tag: bytes, relative: str, participant: str
) -> CaseSummary | None:
    """The summary a journal line gives for a sheet with ``stamp`` now, or None when it does not
    describe the sheet as it is (other size or time, other summary version or content, damaged)."""
    if line is None:
        return None
    fields = line.split(b"\t", 4)
    if len(fields) != 5 or fields[3] != tag:
        return None
    try:
        if int(fields[1]) != stamp[0] or int(fields[2]) != stamp[1]:
            return None
        return summary_from_record(_decode(fields[4].decode()), relative, participant)
    except (ValueError, TypeError):
        return None
