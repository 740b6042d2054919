"""The trainer's overview of every case sheet of a workshop, kept up to date cheaply.

A :class:`CaseIndex` walks the cases folder (``<root>/<case id>.csv`` on one server, or
``<root>/<participant>/<case id>.csv`` on a JupyterHub) and keeps one
:class:`~complaint.trainer.summary.CaseSummary` per sheet. A refresh re-reads only sheets whose
size or modification time changed, so looking again at 10,000 unchanged sheets costs one
directory walk. The summaries are also kept in an index file beside the sheets
and each save of the workbook appends the sheet's summary to a journal in the sheet's folder
(complaint.trainer.saved), so even a first look rarely has to read a whole sheet; the index file
(``.trainer-index.json``) keeps what had to be read in full, so a dashboard opened again later
reads only sheets that changed meanwhile. Sheets are read with the workbook's own
reader: a sheet the workbook could not open is reported (which file, what is wrong), never
fatal, and never shown as a case.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import CaseSheetError
from ..files import atomic_write
from .saved import Journal, saved_summary, summary_tag
from .summary import (
    INDEX_VERSION,
    CaseSummary,
    SheetProblem,
    content_fingerprint,
    summarise,
    summary_from_record,
    summary_record,
)

#: Case sheets are named by the SHA-256 prefix of their resume code (complaint.codes.case_id_for).
_SHEET_NAME = re.compile(r"[0-9a-f]{24}\.csv")
INDEX_NAME = ".trainer-index.json"  # a dot-file: never taken for a case sheet, never served


@dataclass(slots=True)
class _Entry:
    stamp: tuple[int, int]  # (size, mtime in ns): a changed file has a different stamp
    summary: CaseSummary | None
    problem: SheetProblem | None
    read_in_full: bool = (
        True  # False: the summary came from the folder's journal (not kept in the index file)
    )


@dataclass(frozen=True)
class Overview:
    """Everything the dashboard shows after a refresh."""

    cases: tuple[CaseSummary, ...]  # newest change first
    problems: tuple[SheetProblem, ...]
    read: int  # sheets whose summary this refresh took up anew (from their folder's journal, or read in full)
    unchanged: int  # sheets whose summary was kept
    read_in_full: int = 0  # of ``read``: sheets read and checked in full (no journal line matched)


class CaseIndex:
    """Summaries of all case sheets under ``root``, refreshed incrementally.

    ``index_file``: where the summaries of sheets read in full are kept between dashboard sessions
    (default: beside the sheets; ``None`` keeps them in memory only). ``saved_summaries=False``
    ignores the journals and reads every sheet in full (for measuring). The summaries do not
    depend on the day: the ladder's dates are absolute, so the same sheet always gives the same
    summary.
    """

    def __init__(
        self,
        root: Path | str,
        today: date | None = None,
        index_file: Path | str | None | object = ...,
        saved_summaries: bool = True,
    ) -> None:
        self.root = Path(root)
        self.saved_summaries = saved_summaries
        self._today = today
        self._entries: dict[str, _Entry] = {}
        self._journals: dict[str, Journal] = {}  # folder -> what has been read of its journal
        self.index_file = (
            self.root / INDEX_NAME
            if index_file is ...
            else (Path(index_file) if index_file is not None else None)
        )
        self._index_loaded = False
        self._sorted: tuple[tuple[CaseSummary, ...], tuple[SheetProblem, ...]] | None = (
            None  # unchanged: not sorted again
        )

    def today(self) -> date:
        if self._today is not None:
            return self._today
        from ..clock import today

        return today()

    def sheet_files(self) -> dict[str, tuple[str, str, tuple[int, int]]]:
        """relative path -> (absolute path, participant, stamp) of every case sheet, one level deep at most."""
        found: dict[str, tuple[str, str, tuple[int, int]]] = {}
        is_sheet = _SHEET_NAME.fullmatch

        def scan(directory: str, participant: str, prefix: str) -> None:
            try:
                entries = list(os.scandir(directory))
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                return
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue  # lock files, the journal, temp files of a save in progress
                if is_sheet(name):
                    try:
                        if entry.is_file(follow_symlinks=False):
                            stat = entry.stat(follow_symlinks=False)
                            found[prefix + name] = (
                                entry.path,
                                participant,
                                (stat.st_size, stat.st_mtime_ns),
                            )
                    except OSError:
                        continue
                elif (
                    not participant
                    and not name.endswith(".files")
                    and entry.is_dir(follow_symlinks=False)
                ):
                    scan(
                        entry.path, name, prefix + name + "/"
                    )  # a participant's folder on a JupyterHub

        scan(str(self.root), "", "")
        return found

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> Overview:
        """Re-read the sheets that changed since the last refresh; forget those that are gone.

        ``progress(done, total)`` is called before each sheet that has to be read.
        """
        today = self.today()
        # Thousands of new objects and no cycles among them: the cyclic garbage collector would
        # only walk them again and again (at 100,000 sheets, much of the time went there).
        collecting = gc.isenabled()
        gc.disable()
        try:
            if not self._index_loaded:
                self._index_loaded = True
                self._load_index()
            files = self.sheet_files()
            vanished = set(self._entries) - set(files)
            for relative in vanished:
                del self._entries[relative]
            changed = [
                (relative, absolute, participant, stamp)
                for relative, (absolute, participant, stamp) in files.items()
                if (entry := self._entries.get(relative)) is None or entry.stamp != stamp
            ]
            read = read_in_full = 0
            lines: dict[
                str, dict[bytes, bytes]
            ] = {}  # folder -> sheet name -> its journal line, read once per refresh
            tag = summary_tag()
            for relative, absolute, participant, stamp in changed:
                if progress is not None:
                    progress(read, len(changed))
                read += 1
                summary = None
                if self.saved_summaries:
                    folder, _, name = absolute.rpartition(os.sep)
                    if folder not in lines:
                        lines[folder] = self._journals.setdefault(
                            folder, Journal(folder)
                        ).new_lines()
                    summary = saved_summary(
                        lines[folder].get(name.encode()), stamp, tag, relative, participant
                    )
                if summary is not None:
                    self._entries[relative] = _Entry(stamp, summary, None, False)
                else:
                    read_in_full += 1
                    self._entries[relative] = self._read(
                        relative, absolute, stamp, participant, today
                    )
        finally:
            if collecting:
                gc.enable()
        if read_in_full:
            self._save_index()
        if read or vanished or self._sorted is None:
            # Newest save first; the sheet's modification time breaks ties (times in a sheet are to the second).
            entries = sorted(
                (e for e in self._entries.values() if e.summary is not None),
                key=lambda e: (e.summary.updated_at, e.stamp[1]),
                reverse=True,
            )
            summaries = [e.summary for e in entries]
            problems = sorted(
                (e.problem for e in self._entries.values() if e.problem is not None),
                key=lambda p: p.path,
            )
            self._sorted = (tuple(summaries), tuple(problems))
        return Overview(*self._sorted, read, len(files) - read, read_in_full)

    def _load_index(self) -> None:
        """Summaries kept by an earlier session; anything odd about the file means starting afresh."""
        if self.index_file is None:
            return
        try:
            saved = json.loads(self.index_file.read_bytes())
            if (
                saved.get("version") != INDEX_VERSION
                or saved.get("content") != content_fingerprint()
            ):
                return
            for relative, (size, mtime, record) in saved["sheets"].items():
                summary = summary_from_record(record, relative, relative.rpartition("/")[0])
                self._entries[relative] = _Entry((int(size), int(mtime)), summary, None)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self._entries.clear()

    def _save_index(self) -> None:
        """Keep the summaries of the sheets read in full (the journals give the others again)."""
        if self.index_file is None:
            return
        sheets = {
            relative: [entry.stamp[0], entry.stamp[1], summary_record(entry.summary)]
            for relative, entry in self._entries.items()
            if entry.summary is not None
            and entry.read_in_full  # unreadable sheets are read again next time, and reported again
        }
        data = json.dumps(
            {"version": INDEX_VERSION, "content": content_fingerprint(), "sheets": sheets},
            ensure_ascii=False,
        )
        try:
            atomic_write(self.index_file, data.encode("utf-8"))
        except OSError:
            pass  # a read-only cases folder: the dashboard still works, it just reads everything next time

    @staticmethod
    def _read(
        relative: str, absolute: str, stamp: tuple[int, int], participant: str, today: date
    ) -> _Entry:
        try:
            with open(absolute, "rb") as handle:
                data = handle.read()
        except OSError:
            return _Entry(stamp, None, SheetProblem(relative, "sheet.unreadable"))
        try:
            return _Entry(stamp, summarise(data, relative, participant, today), None)
        except CaseSheetError as error:
            return _Entry(stamp, None, SheetProblem(relative, error.key, dict(error.params)))

    def sheet_bytes(self, relative: str) -> bytes:
        """The bytes of one listed sheet (only a path this index listed: nothing else is opened)."""
        if relative not in self._entries:
            raise KeyError(relative)
        return (self.root / relative).read_bytes()
