"""Case sheets on disk: one CSV per case, written atomically, found only by resume code.

File names are derived from the code (:func:`complaint.codes.case_id_for`), never from
anything else a user types, so no input can name a path; and a file name does not reveal
the code, so seeing the directory does not let anyone resume someone else's case.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .codes import case_id_for, normalise_code
from .errors import CaseNotFound, CaseSheetError
from .model import Case, utc_now
from .paths import cases_dir
from .sheet import read_sheet, write_sheet

SHEET_SUFFIX = ".csv"


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash at any moment leaves the old or the new file.

    Temp file in the same directory (same file system, so the rename is atomic), fsync of the
    data before the rename, fsync of the directory after it so the rename itself is durable.
    """
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class CaseStore:
    """The case sheets of one workbook server."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else cases_dir()

    def path_for(self, code: str) -> Path:
        return self.root / f"{case_id_for(code)}{SHEET_SUFFIX}"

    def new_case(self, language: str) -> Case:
        """A fresh case with a code no existing case has (80 random bits: a clash is theoretical)."""
        while True:
            case = Case(language=language)
            if not self.path_for(case.code).exists():
                return case

    def save(self, case: Case) -> bytes:
        """Write the case's sheet (stamping ``updated_at``) and return the bytes written."""
        case.updated_at = utc_now()
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = write_sheet(case)
        atomic_write(self.path_for(case.code), data)
        return data

    def load(self, typed_code: str) -> Case:
        """The case for a resume code as the user typed it.

        Raises InvalidInput for a malformed code, CaseNotFound when no sheet exists and
        CaseSheetError when the sheet cannot be read. Reading never writes anything.
        """
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
        return Case(code=code, **answers)
