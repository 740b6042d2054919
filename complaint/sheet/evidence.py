"""The evidence checklist (format version 2): each item's status and note, and the fingerprint of
every file kept for it, one answer per row (``evidence.transaction_record.file.1.sha256``)."""

from __future__ import annotations

import re

from .. import validation as v
from ..catalog import load_catalog
from ..errors import InvalidInput
from ..evidence import STATUSES, safe_filename
from ..i18n import Translator
from ..model import NOTE_MAX, SHORT_TEXT_MAX, Case, EvidenceFile, EvidenceItem
from .cells import NO, YES, Cells, Row, bad_value, timestamp, unescape_cell, yes_no
from .sections import Section

FILE_PARTS = ("name", "size", "type", "uploaded_at", "sha256", "kept")
_EVIDENCE_KEY = re.compile(
    r"evidence\.([a-z0-9_]+)\.(status|note|file\.([1-9][0-9]{0,2})\.([a-z_0-9]+))"
)


def evidence_rows(case: Case, t: Translator) -> list[Row]:
    catalog = load_catalog()
    shown = {item.id for item in catalog.evidence_for(case.problem)}
    rows = []
    for item in catalog.evidence:
        state = case.evidence.get(item.id, EvidenceItem())
        if item.id not in shown and state.is_empty():
            continue
        name = t.pick(item.label)
        key = f"evidence.{item.id}"
        status_label = (
            catalog.label("evidence_statuses", state.status, case.language) if state.status else ""
        )
        rows.append(
            (f"{key}.status", t("sheet.evidence.status", item=name), state.status, status_label)
        )
        rows.append((f"{key}.note", t("sheet.evidence.note", item=name), state.note, ""))
        for number, record in enumerate(state.files, start=1):
            kept, kept_label = yes_no(t, record.kept)
            values = {
                "name": (record.name, ""),
                "size": (str(record.size), ""),
                "type": (record.media_type, ""),
                "uploaded_at": (record.uploaded_at.isoformat(), ""),
                "sha256": (record.sha256, ""),
                "kept": (kept, kept_label),
            }
            for part in FILE_PARTS:
                label = t(
                    "sheet.evidence.file", item=name, number=number, part=t(f"sheet.file.{part}")
                )
                rows.append((f"{key}.file.{number}.{part}", label, *values[part]))
    return rows


def read_evidence(cells: Cells) -> tuple[dict[str, object], set[str]]:
    """The evidence checklist from its cells; every value is checked."""
    evidence_ids = set(load_catalog().ids("evidence"))
    evidence: dict[str, EvidenceItem] = {}
    files: dict[tuple[str, int], dict[str, tuple[int, str]]] = {}
    consumed: set[str] = set()
    for key, (row, raw) in cells.items():
        match = _EVIDENCE_KEY.fullmatch(key)
        if not match:
            continue
        item_id, part, number, file_part = match.groups()
        if item_id not in evidence_ids:
            continue  # an item this version does not know: kept as an extra row
        value = unescape_cell(raw)
        state = evidence.setdefault(item_id, EvidenceItem())
        try:
            if part == "status":
                state.status = v.check_choice(value.strip(), STATUSES)
            elif part == "note":
                state.note = v.clean_text(value, NOTE_MAX, multiline=True)
            elif file_part in FILE_PARTS:
                files.setdefault((item_id, int(number)), {})[file_part] = (row, value)
            else:
                continue  # e.g. a comment column added by hand: kept as an extra row
        except InvalidInput:
            raise bad_value(row, key) from None
        consumed.add(key)
    for (item_id, _number), parts in sorted(files.items()):
        evidence[item_id].files.append(_read_file(parts))
    return {
        "evidence": {item_id: state for item_id, state in evidence.items() if not state.is_empty()}
    }, consumed


def _read_file(parts: dict[str, tuple[int, str]]) -> EvidenceFile:
    missing = [p for p in FILE_PARTS if p not in parts]
    if missing:
        row = min(r for r, _ in parts.values())
        raise bad_value(row, missing[0])
    name_row, name = parts["name"]
    if not name.strip():
        raise bad_value(name_row, "name")
    name = safe_filename(
        name
    )  # a hand edit cannot smuggle a path in; an odd name is cleaned, not fatal
    size_row, size = parts["size"]
    if not re.fullmatch(r"[0-9]{1,12}", size.strip()):
        raise bad_value(size_row, "size")
    sha_row, sha = parts["sha256"]
    if not re.fullmatch(r"[0-9a-f]{64}", sha.strip()):
        raise bad_value(sha_row, "sha256")
    kept_row, kept = parts["kept"]
    if kept.strip() not in (YES, NO):
        raise bad_value(kept_row, "kept")
    type_row, media = parts["type"]
    if len(media) > SHORT_TEXT_MAX:
        raise bad_value(type_row, "type")
    return EvidenceFile(
        name=name,
        size=int(size),
        media_type=media.strip(),
        uploaded_at=timestamp(parts["uploaded_at"][1], parts["uploaded_at"][0], "uploaded_at"),
        sha256=sha.strip(),
        kept=kept.strip() == YES,
    )


SECTION = Section("evidence", ("evidence",), evidence_rows, read_evidence)
