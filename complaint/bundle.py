"""One case bundle (ZIP): every file of a case, a MANIFEST of fingerprints, and the way back.

The bundle holds the case sheet (CSV and XLSX), both statements, the printable record with a
note on printing it to PDF, the calendar reminders, the evidence files the user chose to keep,
and ``MANIFEST.txt``: every other file with its SHA-256, in the format ``sha256sum -c`` reads,
then each evidence file compared with the fingerprint taken when it was uploaded (a kept copy
that no longer matches, or is gone, is marked there and reported to the caller).

Names work on Windows, macOS and Linux: no reserved characters or device names (CON, NUL…),
no two names differing only in case, at most 150 bytes; Chinese names stay Chinese (zipfile
sets the UTF-8 flag, bit 11, for any name that is not ASCII).

Reading a bundle back (:func:`read_bundle`) trusts nothing in it: the upload's size, the number
of members, each member's and the total unpacked size (counted while reading, not taken from
the headers, which a zip bomb fakes), and every name (no absolute path, no "..", no drive).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

from .errors import InvalidInput
from .evidence import UPLOAD_LIMIT_BYTES, human_size, safe_filename
from .i18n import Translator
from .model import Case, EvidenceFile
from .printable import printable_html
from .reminders import ics_bytes
from .statement import statement_for

MEDIA_TYPE = "application/zip"
MANIFEST_NAME = "MANIFEST.txt"
#: The bundle travels to the kernel over the page's websocket, like an evidence file.
MAX_BUNDLE_BYTES = UPLOAD_LIMIT_BYTES
MAX_MEMBERS = 200
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024
_WINDOWS_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE)


def portable_name(name: str) -> str:
    """A file name every common file system accepts (see :func:`complaint.evidence.safe_filename`
    for separators, control characters, length), and not a Windows device name ("con.txt")."""
    cleaned = safe_filename(name)
    stem = cleaned.split(".", 1)[0].rstrip(" ")
    return f"_{cleaned}" if _WINDOWS_DEVICES.fullmatch(stem) else cleaned


class _Names:
    """Hands out names unique within a folder, compared without case (Windows and macOS)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def unique(self, folder: str, name: str) -> str:
        name = portable_name(name)
        stem, dot, suffix = name.rpartition(".")
        stem, suffix = (stem, f".{suffix}") if dot and stem else (name, "")
        candidate, number = name, 1
        while f"{folder}{candidate}".casefold() in self.taken:
            number += 1
            candidate = f"{stem}-{number}{suffix}"
        self.taken.add(f"{folder}{candidate}".casefold())
        return f"{folder}{candidate}"


@dataclass
class Bundle:
    data: bytes
    names: list[str]  # every member, MANIFEST last
    mismatched: list[str] = field(
        default_factory=list
    )  # evidence whose kept copy differs from its fingerprint
    missing: list[str] = field(default_factory=list)  # evidence marked kept whose copy is gone

    @property
    def size_text(self) -> str:
        return human_size(len(self.data))


def _kept_records(case: Case) -> list[EvidenceFile]:
    """Each kept evidence file once (one file can be attached to two items)."""
    seen, records = set(), []
    for item in case.evidence.values():
        for record in item.files:
            if record.kept and (record.sha256, record.name) not in seen:
                seen.add((record.sha256, record.name))
                records.append(record)
    return records


def make_bundle(
    case: Case,
    today: date,
    sheet: bytes,
    read_kept: Callable[[EvidenceFile], bytes | None],
    stamp: datetime | None = None,
) -> Bundle:
    """The bundle of ``case``; ``sheet``: the CSV as the user would download it, ``read_kept``:
    a kept copy's bytes (None when it is gone)."""
    from .xlsx import (
        sheet_xlsx,  # imports openpyxl: only once a bundle is asked for, never on reading one
    )

    t = Translator(case.language)
    stamp = stamp or datetime.now(UTC)
    stem = case.case_id[:8]
    names = _Names()
    files: list[tuple[str, bytes]] = []
    sheet_name = names.unique("", f"{t('save.filename')}-{stem}.csv")
    files.append((sheet_name, sheet))
    files.append((names.unique("", f"{t('save.filename')}-{stem}.xlsx"), sheet_xlsx(case)))
    for audience in ("company", "regulator"):
        text = statement_for(case, audience, today).encode("utf-8-sig")
        files.append(
            (
                names.unique(
                    "", f"{t('statement.filename')}-{t(f'statement.{audience}')}-{stem}.txt"
                ),
                text,
            )
        )
    record_name = names.unique("", f"{t('printable.filename')}-{stem}.html")
    files.append((record_name, printable_html(case, today).encode("utf-8")))
    note = t("bundle.print_note", record=record_name).replace("\n", "\r\n")  # Notepad too
    files.append((names.unique("", f"{t('bundle.print_note_name')}.txt"), note.encode("utf-8-sig")))
    files.append(
        (names.unique("", f"{t('ics.filename')}-{stem}.ics"), ics_bytes(case, today, stamp))
    )
    folder = portable_name(t("bundle.evidence_folder")) + "/"
    evidence_lines, mismatched, missing = [], [], []
    for record in _kept_records(case):
        data = read_kept(record)
        if data is None:
            missing.append(record.name)
            evidence_lines.append(
                f"{record.name}: {t('bundle.manifest_missing', expected=record.sha256)}"
            )
            continue
        name = names.unique(folder, record.name)
        files.append((name, data))
        if hashlib.sha256(data).hexdigest() == record.sha256:
            evidence_lines.append(f"{name}: {t('bundle.manifest_ok')}")
        else:
            mismatched.append(record.name)
            evidence_lines.append(
                f"{name}: {t('bundle.manifest_mismatch', expected=record.sha256)}"
            )
    manifest = [
        f"# {t('bundle.manifest_title')}",
        f"# {t('bundle.manifest_made', date=today.isoformat(), case_id=stem)}",
        f"# {t('bundle.manifest_check')}",
        "",
        *(f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in files),
    ]
    if evidence_lines:
        manifest += [
            "",
            f"# {t('bundle.manifest_evidence')}",
            *(f"# {line}" for line in evidence_lines),
        ]
    files.append((MANIFEST_NAME, ("\r\n".join(manifest) + "\r\n").encode("utf-8")))
    buffer = io.BytesIO()
    moment = stamp.astimezone(UTC).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return Bundle(buffer.getvalue(), [name for name, _ in files], mismatched, missing)


def bundle_filename(case: Case) -> str:
    return f"{Translator(case.language)('bundle.folder')}-{case.case_id[:8]}.zip"


# ---- reading a bundle back -----------------------------------------------------------------


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or re.match(r"[A-Za-z]:", name) is not None
        or any(part in ("..", ".") for part in path.parts)
    )


def _shown(name: str) -> str:
    """A hostile name as a message may show it: cleaned and short."""
    text = re.sub(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", "", name)
    return text if len(text) <= 60 else text[:57] + "…"


def read_bundle(data: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The case sheet of a bundle and its other files by SHA-256. Raises InvalidInput (with a
    message for the user) for anything that is not a safe, plausible bundle; writes nothing."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise InvalidInput("start.sheet_too_large", limit_mb=MAX_BUNDLE_BYTES // (1024 * 1024))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InvalidInput("bundle.not_zip") from None
    if len(archive.infolist()) > MAX_MEMBERS:
        raise InvalidInput("bundle.too_many", limit=MAX_MEMBERS)
    for member in archive.infolist():
        if _unsafe(member.filename):
            raise InvalidInput("bundle.unsafe_name", name=_shown(member.filename))
    too_large = InvalidInput("bundle.too_large", limit_mb=MAX_UNPACKED_BYTES // (1024 * 1024))
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise too_large
    sheets = [m for m in members if "/" not in m.filename and m.filename.lower().endswith(".csv")]
    if not sheets:
        raise InvalidInput("bundle.no_sheet")
    if len(sheets) > 1:
        raise InvalidInput("bundle.many_sheets")
    unpacked, contents = 0, {}
    for member in members:
        limit = min(
            UPLOAD_LIMIT_BYTES, MAX_UNPACKED_BYTES - unpacked
        )  # one member: an evidence file at most
        chunks, size = [], 0
        try:
            with archive.open(member) as stream:  # sizes counted as read: headers can lie
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise too_large
                    chunks.append(chunk)
        except (
            zipfile.BadZipFile,
            RuntimeError,
            NotImplementedError,
            OSError,
            EOFError,
            ValueError,
        ):
            raise InvalidInput(
                "bundle.not_zip"
            ) from None  # damaged, encrypted, or an unknown method
        unpacked += size
        contents[member.filename] = b"".join(chunks)
    sheet = contents.pop(sheets[0].filename)
    return sheet, {hashlib.sha256(body).hexdigest(): body for body in contents.values()}
