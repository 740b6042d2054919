"""Evidence rules: the checklist's completeness, file fingerprints, safe names, upload limits."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from .catalog import Catalog
from .errors import InvalidInput
from .model import SHORT_TEXT_MAX, Case, EvidenceFile

STATUSES = ("have", "need", "na")
#: Files travel to the kernel over the page's websocket, whose messages are capped at 10 MiB by
#: default; bigger ones are dropped without a word. Stay well below, and say so before sending.
UPLOAD_LIMIT_BYTES = 8 * 1024 * 1024
#: Screenshots, photos, PDFs and text: what evidence of a wallet complaint looks like.
ALLOWED_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".heic",
    ".heif",
    ".bmp",
    ".pdf",
    ".txt",
)
ACCEPT = ",".join(("image/*", "application/pdf", "text/plain") + ALLOWED_SUFFIXES)
NAME_MAX_BYTES = 150  # + 17 for the fingerprint prefix and ~20 for a temp name: far below 255

# Control and invisible formatting characters (incl. bidi overrides that disguise extensions).
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_RESERVED = re.compile(r'[<>:"|?*]')


def fingerprint(data: bytes) -> str:
    """SHA-256 of the file's bytes, as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def safe_filename(name: str) -> str:
    """A file name with no path, no traversal, no control or invisible characters, at most
    NAME_MAX_BYTES of UTF-8 (file systems limit bytes, and 60 Chinese characters are 180).

    Idempotent: cleaning a cleaned name changes nothing (stripping an invisible character can
    leave a sequence that normalises differently, so the steps repeat until nothing changes).
    """
    text = name or ""
    for _ in range(5):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text or "file"


def _clean_once(text: str) -> str:
    text = _UNSAFE_CHARS.sub("", unicodedata.normalize("NFKC", text))
    text = text.replace("\\", "/").split("/")[-1]  # no directories, whichever separator
    text = _RESERVED.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text).strip(" .")  # no "..", no hidden or trailing-dot names
    if len(text.encode("utf-8")) > NAME_MAX_BYTES:
        stem, dot, suffix = text.rpartition(".")
        suffix = suffix[:10] if dot and stem else ""
        stem = stem if suffix else text
        budget = NAME_MAX_BYTES - len(suffix.encode("utf-8")) - 1
        while len(stem.encode("utf-8")) > budget:
            stem = stem[:-1]
        text = stem.rstrip(" .") + (f".{suffix}" if suffix else "")
    return unicodedata.normalize("NFKC", text)


def check_upload(name: str, size: int) -> None:
    if size <= 0:
        raise InvalidInput("upload.empty")
    if size > UPLOAD_LIMIT_BYTES:
        raise InvalidInput("upload.too_large", limit_mb=UPLOAD_LIMIT_BYTES // (1024 * 1024))
    if PurePosixPath(safe_filename(name).lower()).suffix not in ALLOWED_SUFFIXES:
        raise InvalidInput("upload.wrong_type")


def evidence_file(
    name: str, media_type: str, data: bytes, uploaded_at: datetime, keep: bool
) -> EvidenceFile:
    """The record of an uploaded file, after checking it (InvalidInput says what is wrong)."""
    check_upload(name, len(data))
    # What the browser claims: kept only when it looks like a media type and fits the sheet's cell.
    plausible = len(media_type or "") <= SHORT_TEXT_MAX and re.fullmatch(
        r"[\w.+-]+/[\w.+-]+", media_type or ""
    )
    media = media_type if plausible else "application/octet-stream"
    return EvidenceFile(
        name=safe_filename(name),
        size=len(data),
        media_type=media,
        uploaded_at=uploaded_at,
        sha256=fingerprint(data),
        kept=keep,
    )


@dataclass(frozen=True)
class Completeness:
    ready: int  # items the user has
    total: int  # items that apply (not marked "not applicable")
    missing: tuple[str, ...]  # ids of items still needed or not answered, in checklist order


def completeness(case: Case, catalog: Catalog) -> Completeness:
    ready, total, missing = 0, 0, []
    for item in catalog.evidence_for(case.problem):
        state = case.evidence.get(item.id)
        status = state.status if state else ""
        if status == "na":
            continue
        total += 1
        if status == "have":
            ready += 1
        else:
            missing.append(item.id)
    return Completeness(ready, total, tuple(missing))


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
