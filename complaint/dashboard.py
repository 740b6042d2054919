"""The trainer's overview of every case sheet of a workshop, kept up to date cheaply.

A :class:`CaseIndex` walks the cases folder (``<root>/<case id>.csv`` on one server, or
``<root>/<participant>/<case id>.csv`` on a JupyterHub) and keeps one :class:`CaseSummary` per
sheet. A refresh re-reads only sheets whose size or modification time changed, so looking
again at 10,000 unchanged sheets costs one directory walk. The summaries are also kept in an
index file beside the sheets (``.trainer-index.json``), so a dashboard opened again later reads
only what changed meanwhile; and each save of the workbook leaves the sheet's summary beside it,
so even a first look rarely has to read a whole sheet (see "summaries written at save time"). Sheets are read with the workbook's own reader: a sheet the workbook
could not open is reported (which file, what is wrong), never fatal, and never shown as a case.

Nothing here is trusted as HTML: the widgets escape every string of a summary.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .codes import participant_number
from .errors import CaseSheetError, WorkbookError
from .model import Case
from .steps import work_step_ids
from .storage import atomic_write

#: The steps a participant works through; the review is where they read the result back.
WORK_STEPS = work_step_ids()
#: Case sheets are named by the SHA-256 prefix of their resume code (complaint.codes.case_id_for).
_SHEET_NAME = re.compile(r"[0-9a-f]{24}\.csv")
_VERSION_ROW = re.compile(rb"\r?\nformat_version,[^\r\n]*?,\s*([0-9]{1,4})\s*,")


@dataclass(frozen=True)
class CaseSummary:
    """What the trainer's table and charts show of one case sheet."""

    path: str  # relative to the cases folder, with "/" separators
    participant: str  # the sub-folder on a JupyterHub (the participant's user name); "" on one server
    case_id: str
    format_version: int
    language: str
    practice: str
    created_at: datetime
    updated_at: datetime
    problem: str
    provider: str
    amount: str  # as written in the sheet, "" when not given
    currency: str
    steps: tuple[str, ...]  # status of each of WORK_STEPS: progress.NOT_STARTED / STARTED / DONE
    evidence_ready: int
    evidence_total: int
    audit_score: int | None  # None until a question of the self-audit is answered
    audit_answered: int  # questions and quiz examples answered (a password check is not an answer)
    audit_items: int  # questions and quiz examples in all
    rung_taken: str  # the highest rung of the escalation ladder the participant has gone to ("" = none)
    next_rung: str  # where the plan says to go next
    next_date: date | None  # from when the next rung is open (None: no date can be worked out yet)
    next_to_verify: bool  # that date rests on a figure not confirmed at its source
    contacts: int
    label: str  # the name or seat the participant gave for the trainer ("" = none)

    @property
    def audit_status(self) -> str:
        """AUDIT_DONE when every question and quiz example is answered, AUDIT_PARTLY, AUDIT_NOT_STARTED."""
        if self.audit_items and self.audit_answered >= self.audit_items:
            return AUDIT_DONE
        return AUDIT_PARTLY if self.audit_answered else AUDIT_NOT_STARTED

    @property
    def number(self) -> str:
        return participant_number(self.case_id)

    @property
    def steps_done(self) -> int:
        return sum(status == "done" for status in self.steps)

    @property
    def evidence_percent(self) -> int | None:
        return round(100 * self.evidence_ready / self.evidence_total) if self.evidence_total else None


_FIELDS = tuple(f.name for f in fields(CaseSummary))
AUDIT_DONE, AUDIT_PARTLY, AUDIT_NOT_STARTED = "done", "partly", "not_started"



@dataclass(frozen=True)
class SheetProblem:
    """A file in the cases folder that could not be read as a case sheet."""

    path: str
    key: str  # message key (sheet.*), translated by the dashboard
    params: dict = field(default_factory=dict)


def sheet_version(data: bytes) -> int:
    """The format version a sheet says it has (0 when it does not say)."""
    match = _VERSION_ROW.search(data[:4096])
    return int(match.group(1)) if match else 0


def read_case(data: bytes) -> tuple[Case, str]:
    """A sheet's case, for reading only (it has no resume code), and the case id it names."""
    from .sheet import read_sheet

    answers = read_sheet(data)
    case_id = str(answers.pop("case_id"))
    return Case(code="", **answers), case_id


def summarise(data: bytes, path: str, participant: str, today: date) -> CaseSummary:
    """One sheet's summary; raises CaseSheetError when the workbook itself could not open it."""
    case, case_id = read_case(data)
    return summary_of(case, case_id or Path(path).stem, sheet_version(data), path, participant, today)


def summary_of(case: Case, case_id: str, format_version: int, path: str, participant: str, today: date) -> CaseSummary:
    from .audit import evaluate, load_security
    from .catalog import load_catalog
    from .escalation import RUNGS, plan
    from .evidence import completeness
    from .progress import step_status
    from .validation import format_amount

    the_plan = plan(case, today, what_to_bring=False)
    ready = completeness(case, load_catalog())
    taken = [rung for rung in RUNGS if rung in case.escalation.filed]
    nxt = the_plan.next_rung
    audit = None if case.audit.is_empty() else evaluate(case.audit)
    security = load_security()
    return CaseSummary(
        path=path, participant=participant, case_id=case_id, format_version=format_version,
        language=case.language, practice=case.practice, created_at=case.created_at, updated_at=case.updated_at,
        problem=case.problem, provider=case.provider, amount=format_amount(case.amount) if case.amount is not None else "",
        currency=case.currency, steps=tuple(step_status(case, step) for step in WORK_STEPS),
        evidence_ready=ready.ready, evidence_total=ready.total,
        audit_score=None if audit is None else audit.score,
        audit_answered=0 if audit is None else audit.answered + audit.phishing_answered,
        audit_items=len(security.questions) + len(security.phishing),
        rung_taken=taken[-1] if taken else "", next_rung=nxt.id if nxt else "",
        next_date=nxt.available_from if nxt else None, next_to_verify=bool(nxt and nxt.to_verify), contacts=len(case.contacts),
        label=case.participant_label,
    )  # fmt: skip


# ---- summaries written beside the sheets at save time ----------------------------------------
# Reading and checking a whole sheet costs about half a millisecond; at 10,000 sheets that is
# seconds for a dashboard's first look. So each save also leaves the sheet's summary beside it
# (``.<case id>.summary.json``), naming the SHA-256 of the sheet it summarises. The dashboard uses
# it only when that digest, the summary version and the content all still match, and reads the
# sheet itself otherwise (a sheet edited by hand, copied in, or written by an older version).


def saved_summary_path(sheet: Path) -> Path:
    return sheet.with_name(f".{sheet.stem}.summary.json")


def write_saved_summary(sheet: Path, case: Case, data: bytes) -> None:
    """Called by the store after each save. Derived data: no fsync, and never a failed save."""
    from .sheet import FORMAT_VERSION

    try:
        summary = summary_of(case, case.case_id, FORMAT_VERSION, "", "", date(2000, 1, 1))  # the day plays no part
        store_summary(sheet, summary_json(summary), data)
    except (OSError, WorkbookError, ValueError):
        pass  # the dashboard then reads the sheet itself


def store_summary(sheet: Path, summary: dict, data: bytes) -> None:
    """Write ``summary`` (as :func:`_to_json` gives it) beside ``sheet``, naming the digest of ``data``."""
    record = {"version": INDEX_VERSION, "content": content_fingerprint(), "sheet": hashlib.sha256(data).hexdigest(), "summary": summary}
    target = saved_summary_path(sheet)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, target)


def _saved_summary(absolute: str, data: bytes, relative: str, participant: str) -> CaseSummary | None:
    try:
        with open(saved_summary_path(Path(absolute)), "rb") as handle:
            record = json.loads(handle.read())
        if (
            record.get("version") != INDEX_VERSION
            or record.get("content") != content_fingerprint()
            or record.get("sheet") != hashlib.sha256(data).hexdigest()
        ):
            return None
        values = dict(record["summary"], path=relative, participant=participant)
        return _from_json(values)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


@dataclass
class _Entry:
    stamp: tuple[int, int]  # (size, mtime in ns): a changed file has a different stamp
    summary: CaseSummary | None
    problem: SheetProblem | None


@dataclass(frozen=True)
class Overview:
    """Everything the dashboard shows after a refresh."""

    cases: tuple[CaseSummary, ...]  # newest change first
    problems: tuple[SheetProblem, ...]
    read: int  # sheets (re-)read by this refresh
    unchanged: int  # sheets whose summary was kept


#: Bump when CaseSummary or summarise() changes: an index file of another version is not used.
INDEX_VERSION = 3  # 3: step marks follow the one rule of complaint/progress.py
INDEX_NAME = ".trainer-index.json"  # a dot-file: never taken for a case sheet, never served


@lru_cache(maxsize=1)
def content_fingerprint() -> str:
    """Summaries depend on the content (checklists, audit points, deadlines): a change voids the index."""
    from .paths import DATA_DIR

    digest = hashlib.sha256()
    for path in sorted((DATA_DIR / "content").glob("*.json")) + sorted((DATA_DIR / "jurisdictions").glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


#: Fields whose values repeat across thousands of cases (ids): one shared string each, not one per case.
_SHARED_TEXT = ("language", "practice", "problem", "provider", "currency", "rung_taken", "next_rung", "participant")


def summary_json(summary: CaseSummary) -> dict:
    record = {name: getattr(summary, name) for name in _FIELDS}
    for name in ("created_at", "updated_at", "next_date"):
        record[name] = record[name].isoformat() if record[name] is not None else None
    record["steps"] = list(summary.steps)
    return record


def _from_json(record: dict) -> CaseSummary:
    values = {name: record[name] for name in _FIELDS}
    values["created_at"] = datetime.fromisoformat(values["created_at"])
    values["updated_at"] = datetime.fromisoformat(values["updated_at"])
    values["next_date"] = date.fromisoformat(values["next_date"]) if values["next_date"] else None
    values["steps"] = tuple(sys.intern(step) for step in values["steps"])
    for name in _SHARED_TEXT:
        values[name] = sys.intern(values[name])
    return CaseSummary(**values)


class CaseIndex:
    """Summaries of all case sheets under ``root``, refreshed incrementally.

    ``index_file``: where the summaries are kept between dashboard sessions (default: beside the
    sheets; ``None`` keeps them in memory only). The summaries do not depend on the day: the
    ladder's dates are absolute, so the same sheet always gives the same summary.
    """

    def __init__(
        self, root: Path | str, today: date | None = None, index_file: Path | str | None | object = ..., saved_summaries: bool = True
    ) -> None:
        self.root = Path(root)
        self.saved_summaries = saved_summaries  # False: read every sheet in full (for measuring)
        self._today = today
        self._entries: dict[str, _Entry] = {}
        self.index_file = self.root / INDEX_NAME if index_file is ... else (Path(index_file) if index_file is not None else None)
        self._index_loaded = False
        self._sorted: tuple[tuple[CaseSummary, ...], tuple[SheetProblem, ...]] | None = None  # unchanged: not sorted again

    def today(self) -> date:
        if self._today is not None:
            return self._today
        from .clock import today

        return today()

    def sheet_files(self) -> dict[str, tuple[str, str, tuple[int, int]]]:
        """relative path -> (absolute path, participant, stamp) of every case sheet, one level deep at most."""
        found: dict[str, tuple[str, str, tuple[int, int]]] = {}

        def scan(directory: str, participant: str, prefix: str) -> None:
            try:
                entries = list(os.scandir(directory))
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                return
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue  # lock files, temp files of a save in progress
                if _SHEET_NAME.fullmatch(name):
                    try:
                        if entry.is_file(follow_symlinks=False):
                            stat = entry.stat(follow_symlinks=False)
                            found[prefix + name] = (entry.path, participant, (stat.st_size, stat.st_mtime_ns))
                    except OSError:
                        continue
                elif not participant and not name.endswith(".files") and entry.is_dir(follow_symlinks=False):
                    scan(entry.path, name, prefix + name + "/")  # a participant's folder on a JupyterHub

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
            read = 0
            for relative, absolute, participant, stamp in changed:
                if progress is not None:
                    progress(read, len(changed))
                read += 1
                self._entries[relative] = self._read(relative, absolute, participant, stamp, today, self.saved_summaries)
        finally:
            if collecting:
                gc.enable()
        if read:
            self._save_index()
        if read or vanished or self._sorted is None:
            # Newest save first; the sheet's modification time breaks ties (times in a sheet are to the second).
            entries = sorted((e for e in self._entries.values() if e.summary is not None), key=lambda e: (e.summary.updated_at, e.stamp[1]), reverse=True)
            summaries = [e.summary for e in entries]
            problems = sorted((e.problem for e in self._entries.values() if e.problem is not None), key=lambda p: p.path)
            self._sorted = (tuple(summaries), tuple(problems))
        return Overview(*self._sorted, read, len(files) - read)

    def _load_index(self) -> None:
        """Summaries kept by an earlier session; anything odd about the file means starting afresh."""
        if self.index_file is None:
            return
        try:
            saved = json.loads(self.index_file.read_bytes())
            if saved.get("version") != INDEX_VERSION or saved.get("content") != content_fingerprint():
                return
            for relative, (size, mtime, record) in saved["sheets"].items():
                self._entries[relative] = _Entry((int(size), int(mtime)), _from_json(record), None)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self._entries.clear()

    def _save_index(self) -> None:
        if self.index_file is None:
            return
        sheets = {
            relative: [entry.stamp[0], entry.stamp[1], summary_json(entry.summary)]
            for relative, entry in self._entries.items()
            if entry.summary is not None  # unreadable sheets are read again next time, and reported again
        }
        data = json.dumps({"version": INDEX_VERSION, "content": content_fingerprint(), "sheets": sheets}, ensure_ascii=False)
        try:
            atomic_write(self.index_file, data.encode("utf-8"))
        except OSError:
            pass  # a read-only cases folder: the dashboard still works, it just reads everything next time

    @staticmethod
    def _read(relative: str, absolute: str, participant: str, stamp: tuple[int, int], today: date, saved_summaries: bool) -> _Entry:
        try:
            with open(absolute, "rb") as handle:
                data = handle.read()
        except OSError:
            return _Entry(stamp, None, SheetProblem(relative, "sheet.unreadable"))
        saved = _saved_summary(absolute, data, relative, participant) if saved_summaries else None
        if saved is not None:
            return _Entry(stamp, saved, None)
        try:
            return _Entry(stamp, summarise(data, relative, participant, today), None)
        except CaseSheetError as error:
            return _Entry(stamp, None, SheetProblem(relative, error.key, dict(error.params)))

    def sheet_bytes(self, relative: str) -> bytes:
        """The bytes of one listed sheet (only a path this index listed: nothing else is opened)."""
        if relative not in self._entries:
            raise KeyError(relative)
        return (self.root / relative).read_bytes()


# ---- what the charts count -------------------------------------------------------------------

EVIDENCE_BANDS = ("0", "1-49", "50-99", "100")
SCORE_BANDS = ("0-39", "40-59", "60-79", "80-100")


def evidence_band(summary: CaseSummary) -> str | None:
    percent = summary.evidence_percent
    if percent is None:
        return None
    return "0" if percent == 0 else "100" if percent == 100 else "50-99" if percent >= 50 else "1-49"


def score_band(score: int) -> str:
    return "80-100" if score >= 80 else "60-79" if score >= 60 else "40-59" if score >= 40 else "0-39"


def counts(cases: tuple[CaseSummary, ...] | list[CaseSummary]) -> dict[str, Counter]:
    """Tallies for the charts: problem mix, evidence completeness, how far the self-audit got,
    the scores of completed self-audits (only those: a half-answered audit's score says little),
    ladder position, steps complete."""
    tallies = {name: Counter() for name in ("problem", "evidence", "audit", "security", "ladder", "steps")}
    for case in cases:
        tallies["problem"][case.problem or "none"] += 1
        band = evidence_band(case)
        if band is not None:
            tallies["evidence"][band] += 1
        status = case.audit_status
        tallies["audit"][status] += 1
        if status == AUDIT_DONE and case.audit_score is not None:
            tallies["security"][score_band(case.audit_score)] += 1
        tallies["ladder"][case.rung_taken or "none"] += 1
        tallies["steps"][case.steps_done] += 1
    return tallies


def matches(case: CaseSummary, problem: str = "", kind: str = "all", text: str = "", stuck_at: str = "") -> bool:
    """The dashboard's filters: by problem, real or practice cases, a search text, a step not done."""
    if problem and case.problem != problem:
        return False
    if kind == "real" and case.practice or kind == "practice" and not case.practice:
        return False
    if stuck_at and case.steps[WORK_STEPS.index(stuck_at)] == "done":
        return False
    needle = text.strip().casefold()
    if not needle:
        return True
    if needle.replace("-", "").replace(" ", "").isdigit() and needle.replace("-", "").replace(" ", "") in case.number.replace("-", ""):
        return True
    return any(needle in value.casefold() for value in (case.participant, case.label, case.case_id, case.provider, case.path))
