"""Case sheets handed in to the trainer: the in-browser edition keeps each case in its
participant's browser only, so participants download their sheet (CSV) or case bundle (ZIP) and
the trainer adds the files to the dashboard's cases folder.

Each file is read with the workbook's own reader (complaint.sheet, tolerant of Excel re-saves);
a bundle counts by its sheet, the evidence files in it are not kept (the sheet lists each with
its name and SHA-256, which is what the dashboard shows). A sheet that passes is written, byte
for byte as handed in, to ``<cases folder>/_handed-in/<case id>.csv``, where the trainer's
index (complaint.trainer.index) lists it like a participant's folder on a JupyterHub. The folder
name starts with "_", which no hub username can (deploy/jupyterhub: ``[a-z0-9]`` first), so it
is never a participant's own folder; the dashboard shows it as "handed in" in its language.

The file name is the sheet's own case id, checked strictly (24 lowercase hex digits) because it
comes from an untrusted file: nothing in a sheet can name another path. The same case handed in
again replaces the copy here only when its ``updated_at`` is later. A case the workshop server
itself keeps (a sheet of that case id elsewhere in the cases folder) is not added a second time.
Each written sheet's summary goes to the folder's journal (complaint.trainer.saved), as a save of
the workbook does, so the dashboard's next look does not read it in full. A refused file leaves
nothing on disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..bundle import is_zip, read_bundle
from ..errors import WorkbookError
from ..files import atomic_write
from ..paths import folder_mode
from .saved import append_lines, journal_line
from .sheets import read_case, sheet_version
from .summary import summary_of

try:
    from fcntl import LOCK_EX, flock
except ImportError:  # Pyodide and other platforms without flock: one process, nothing to exclude
    flock = None

HANDIN_FOLDER = "_handed-in"
#: A workshop of 100, each handing in a sheet and perhaps a bundle: one upload takes them all.
MAX_HANDIN_FILES = 200
#: All files of one upload travel in one websocket message, and voila.json caps a message at
#: 10 MiB: the page refuses a larger selection before sending it (widgets/trainer.py says so).
MAX_HANDIN_TOTAL_BYTES = 9 * 1024 * 1024
CASE_ID = re.compile(r"[0-9a-f]{24}")
_LOCK_NAME = ".handin.lock"  # a dot-file: never taken for a sheet

ADDED, REPLACED, ALREADY_HERE, OLDER, ON_SERVER, REFUSED = (
    "added",
    "replaced",
    "already_here",
    "older",
    "on_server",
    "refused",
)


@dataclass(frozen=True)
class HandedIn:
    """What became of one handed-in file."""

    name: str  # the file's name as uploaded (untrusted: escape before showing)
    outcome: str  # ADDED, REPLACED, ALREADY_HERE, OLDER, ON_SERVER or REFUSED
    case_id: str = ""
    key: str = ""  # REFUSED: the message key saying why
    params: dict = field(default_factory=dict)
    bundle: bool = False  # the sheet came out of a case bundle (whose evidence files are not kept)


def handin_folder(root: Path | str) -> Path:
    return Path(root) / HANDIN_FOLDER


def _sheet_of(data: bytes) -> bytes:
    """The case sheet of a CSV or of a case bundle's ZIP (its evidence files are left out)."""
    return read_bundle(data)[0] if is_zip(data) else data


def _updated_at(data: bytes):
    try:
        return read_case(data)[0].updated_at
    except WorkbookError:
        return None  # a damaged copy here: any valid sheet of the case is better


def cases_elsewhere(root: Path | str) -> set[str]:
    """Case ids of the sheets the workshop server keeps (the cases folder and its participants'
    folders, not the handed-in one): one directory walk."""
    from .index import CaseIndex

    return {
        Path(relative).stem
        for relative in CaseIndex(root, index_file=None).sheet_files()
        if not relative.startswith(HANDIN_FOLDER + "/")
    }


def hand_in(
    root: Path | str, name: str, data: bytes, elsewhere: set[str] | frozenset = frozenset()
) -> HandedIn:
    """Add one handed-in file to ``root``'s hand-in folder; never raises for a bad file."""
    bundle = is_zip(data)
    try:
        sheet = _sheet_of(data)
        case, case_id = read_case(sheet)
    except WorkbookError as error:
        return HandedIn(name, REFUSED, key=error.key, params=dict(error.params), bundle=bundle)
    if not CASE_ID.fullmatch(case_id):
        return HandedIn(name, REFUSED, key="trainer.handin.bad_case_id", bundle=bundle)
    if case_id in elsewhere:
        return HandedIn(name, ON_SERVER, case_id, bundle=bundle)
    try:
        outcome = _file(root, sheet, case, case_id)
    except OSError:
        return HandedIn(name, REFUSED, case_id, "trainer.handin.not_written", bundle=bundle)
    return HandedIn(name, outcome, case_id, bundle=bundle)


def _file(root: Path | str, sheet: bytes, case, case_id: str) -> str:
    """Write ``sheet`` as ``case_id``'s copy unless the copy here is the same or newer."""
    folder = handin_folder(root)
    folder.mkdir(parents=True, exist_ok=True, mode=folder_mode())
    path = folder / f"{case_id}.csv"
    try:
        here = path.read_bytes()
    except FileNotFoundError:
        here = None
    outcome = ADDED
    if here is not None:
        if here == sheet:
            return ALREADY_HERE
        kept = _updated_at(here)
        if kept is not None and case.updated_at < kept:
            return OLDER
        if kept is not None and case.updated_at == kept:
            return ALREADY_HERE  # the same save, re-saved by a spreadsheet
        outcome = REPLACED
    atomic_write(path, sheet)
    try:  # derived data, as after a save of the workbook: the sheet stands whatever happens here
        summary = summary_of(case, case_id, sheet_version(sheet), "", "", date(2000, 1, 1))
        stat = os.stat(path)
        append_lines(folder, journal_line(path.name, (stat.st_size, stat.st_mtime_ns), summary))
    except Exception:
        pass  # the dashboard then reads the sheet in full
    return outcome


def hand_in_all(root: Path | str, files: list[tuple[str, bytes]]) -> list[HandedIn]:
    """Add each file in turn (a bad one does not stop the others); files past MAX_HANDIN_FILES
    are refused, unread. One hand-in at a time per folder (two dashboard tabs at once)."""
    files = list(files)
    folder = handin_folder(root)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=folder_mode())
        lock = os.open(folder / _LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:  # a cases folder the dashboard may not write to: every file says so
        return [HandedIn(name, REFUSED, key="trainer.handin.not_written") for name, _ in files]
    try:
        if flock is not None:
            flock(lock, LOCK_EX)  # released when the handle is closed
        elsewhere = cases_elsewhere(root)
        results = [hand_in(root, name, data, elsewhere) for name, data in files[:MAX_HANDIN_FILES]]
    finally:
        os.close(lock)
    too_many = {"limit": MAX_HANDIN_FILES}
    return results + [
        HandedIn(name, REFUSED, key="trainer.handin.too_many", params=too_many)
        for name, _ in files[MAX_HANDIN_FILES:]
    ]
