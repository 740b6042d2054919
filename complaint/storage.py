"""Case sheets on disk: one CSV per case, written atomically, found only by resume code.

File names are derived from the code (:func:`complaint.codes.case_id_for`), never from
anything else a user types, so no input can name a path; and a file name does not reveal
the code, so seeing the directory does not let anyone resume someone else's case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .codes import case_id_for, normalise_code
from .errors import CaseNotFound, CaseSheetError, SaveConflict
from .files import atomic_write
from .model import Case, EvidenceFile, utc_now
from .paths import cases_dir, folder_mode
from .sheet import read_sheet, write_sheet
from .trainer.saved import write_saved_summary

try:
    from fcntl import LOCK_EX, LOCK_UN, flock
except ImportError:  # Pyodide has an fcntl module, but no flock in it; other platforms none at all
    flock = None

SHEET_SUFFIX = ".csv"
#: Pass as ``expected`` to :meth:`CaseStore.save` to overwrite whatever is on disk (tools, tests).
UNCHECKED = object()


def sheet_digest(data: bytes | None) -> str | None:
    """Fingerprint of a sheet's bytes (None for "no file"): what a save expects to replace."""
    return None if data is None else hashlib.sha256(data).hexdigest()


class FileLocks:
    """Saves of one case serialised across processes (the kernels of a workbook server) by an
    exclusive ``flock`` on a lock file beside the sheet."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def held(self, code: str) -> Iterator[None]:
        with open(self.root / f".{case_id_for(code)}.lock", "a") as lock:
            flock(lock, LOCK_EX)
            try:
                yield
            finally:
                flock(lock, LOCK_UN)


class NoLocks:
    """For a platform without ``flock`` (Pyodide, the in-browser edition): there the cases folder
    belongs to one browser tab, which is one process running one save at a time, so there is no
    other process to exclude. A save's conflict check (``expected``) still applies."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def held(self, code: str) -> Iterator[None]:
        yield


def platform_locks():
    """The lock backend this platform supports: FileLocks wherever ``flock`` exists."""
    return FileLocks if flock is not None else NoLocks


class CaseStore:
    """The case sheets of one workbook server (or of one browser, in the in-browser edition)."""

    def __init__(
        self,
        root: Path | str | None = None,
        summaries: bool = True,
        locks=None,
        kept_in_folders: bool = True,
    ) -> None:
        self.root = Path(root) if root is not None else cases_dir()
        self.summaries = summaries  # leave a summary beside each saved sheet (complaint.trainer)
        self.locks = (locks or platform_locks())(self.root)
        # False: a kept copy of an evidence file is a file beside the sheets, not in a folder of
        # the case's (the in-browser edition: its drive keeps no folder the kernel makes, and
        # making one there stalled the page).
        self.kept_in_folders = kept_in_folders

    def path_for(self, code: str) -> Path:
        return self.root / f"{case_id_for(code)}{SHEET_SUFFIX}"

    def new_case(self, language: str) -> Case:
        """A fresh case with a code no existing case has (80 random bits: a clash is theoretical)."""
        while True:
            case = Case(language=language)
            if not self.path_for(case.code).exists():
                return case

    def save(self, case: Case, expected: str | None | object = UNCHECKED) -> bytes:
        """Write the case's sheet (stamping ``updated_at``) and return the bytes written.

        ``expected`` is the :func:`sheet_digest` of the sheet this case was loaded from (None for
        a new case). If the file on disk is no longer that sheet, another window or device has
        saved since, and SaveConflict is raised instead of silently overwriting its work.
        """
        self.root.mkdir(parents=True, exist_ok=True, mode=folder_mode())
        path = self.path_for(case.code)
        with self.locks.held(case.code):  # check-then-replace is atomic across kernels
            if expected is not UNCHECKED:
                try:
                    current = sheet_digest(path.read_bytes())
                except FileNotFoundError:
                    current = None
                if current != expected:
                    raise SaveConflict("save.conflict")
            case.updated_at = utc_now()
            data = write_sheet(case)
            # Under the case's lock, so one fixed temp name per case: a save killed mid-write
            # leaves at most this one file, which the case's next save overwrites and renames away.
            atomic_write(path, data, temp=path.with_name(f".{path.name}.saving.tmp"))
            if self.summaries:
                write_saved_summary(
                    path, case, data
                )  # for the trainer's overview; never fails a save
        return data

    def load_sheet(self, typed_code: str) -> tuple[Case, bytes]:
        """The case for a resume code and the exact bytes it was read from."""
        code = normalise_code(typed_code)
        path = self.path_for(code)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CaseNotFound("code.not_found") from None
        except OSError:
            raise CaseSheetError("sheet.unreadable") from None
        answers = read_sheet(data)
        if answers.pop("case_id") != case_id_for(code):  # a sheet copied over another case's file
            raise CaseSheetError("sheet.wrong_case")
        return Case(code=code, **answers), data

    # -- kept copies of evidence files --------------------------------------------------------
    # Only when the user ticks "keep a copy". They live in the case's own folder, named by the
    # case id and the file's fingerprint: nothing another participant types can point there.

    def kept_file_path(self, case: Case, record: EvidenceFile) -> Path:
        name = f"{record.sha256[:16]}-{record.name}"
        if not self.kept_in_folders:  # never a case sheet's name: those are <24 hex>.csv
            return self.root / f"{case.case_id}.files-{name}"
        return self.root / f"{case.case_id}.files" / name

    def keep_file(self, case: Case, record: EvidenceFile, data: bytes) -> Path:
        path = self.kept_file_path(case, record)
        path.parent.mkdir(parents=True, exist_ok=True, mode=folder_mode())
        atomic_write(path, data)
        return path

    def discard_file(self, case: Case, record: EvidenceFile) -> None:
        """Delete a kept copy once no record of the case refers to it any more."""
        still_used = any(
            other is not record
            and other.kept
            and self.kept_file_path(case, other) == self.kept_file_path(case, record)
            for item in case.evidence.values()
            for other in item.files
        )
        if record.kept and not still_used:
            self.kept_file_path(case, record).unlink(missing_ok=True)

    def import_sheet(self, data: bytes, language: str) -> Case:
        """A new case, with a new resume code, holding every answer of a downloaded case sheet.

        The sheet's case id opens nothing: it names the case the sheet was downloaded from, and
        whoever holds a sheet must not reach that case (the code is never in a sheet). Raises
        CaseSheetError for anything that is not a complete, valid sheet. Nothing is written:
        the caller saves the case (see :meth:`save`), so a refused file leaves the disk as it was.
        """
        answers = read_sheet(data)
        for key in ("case_id", "created_at", "updated_at"):
            answers.pop(key)  # a new case: its own id and its own dates
        case = self.new_case(language)
        for key, value in answers.items():
            setattr(case, key, value)
        case.language = language
        for item in case.evidence.values():
            for record in item.files:
                record.kept = (
                    False  # a kept copy stays with the old case; the fingerprint comes along
                )
        return case

    def import_upload(
        self, data: bytes, language: str
    ) -> tuple[Case, list[tuple[EvidenceFile, bytes]]]:
        """A new case from an uploaded case sheet (CSV) or case bundle (ZIP, see
        :mod:`complaint.bundle`), and the evidence files to keep for it: each file of the bundle
        whose SHA-256 is the fingerprint of one of the sheet's evidence records. Nothing is
        written: the caller keeps the files (:meth:`keep_file`) and saves the case."""
        from .bundle import is_zip, read_bundle

        if not is_zip(data):
            return self.import_sheet(data, language), []
        sheet, by_fingerprint = read_bundle(data)
        case = self.import_sheet(sheet, language)
        kept = []
        for item in case.evidence.values():
            for record in item.files:
                if record.sha256 in by_fingerprint:
                    record.kept = True
                    kept.append((record, by_fingerprint[record.sha256]))
        return case, kept

    def load(self, typed_code: str) -> Case:
        """The case for a resume code as the user typed it.

        Raises InvalidInput for a malformed code, CaseNotFound when no sheet exists and
        CaseSheetError when the sheet cannot be read. Reading never writes anything.
        """
        return self.load_sheet(typed_code)[0]
