"""The case sheet: a case as CSV that people (Excel, LibreOffice, WPS) and programs can read.

Layout (documented in docs/case-sheet.md): a header ``key,label,value,display`` and one row
per answer. ``key`` is a stable machine key, ``label`` the question in the case's language,
``value`` the answer in a machine form (ids, ISO dates, plain decimals) and ``display`` the
answer as a person reads it (the chosen option's label). The first row is ``format_version``
and the last ``end_of_sheet``, so a truncated file is recognised as such.

Text cells are neutralised against formula injection (OWASP ASVS 5.0 1.2.10, CWE-1236) by
a leading apostrophe; :func:`unescape_cell` undoes exactly what :func:`escape_cell` did.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable

from . import validation as v
from .catalog import load_catalog
from .errors import CaseSheetError, InvalidInput
from .i18n import Translator, languages, locale, pick
from .evidence import STATUSES, safe_filename
from .model import DESCRIPTION_MAX, NOTE_MAX, PARTICIPANT_LABEL_MAX, SHORT_TEXT_MAX, AuditAnswers, Case, Contact, EvidenceFile, EvidenceItem

#: 1: problem, facts, goal. 2: + evidence checklist with file fingerprints, channels tried, contact log.
#: 3: + security self-audit (answers, password strength score, phishing quiz; score and actions).
#: 4: + escalation (jurisdiction, fraud, your details, handling stages, dates filed), statements.
#: 5: + practice: the practice scenario a case started from.
#: 6: a digit-only text value is written as ="0079", so spreadsheets show it as typed (see below).
FORMAT_VERSION = 6
#: The first version that writes digit-only text values as ="…" (older sheets never contain one).
DIGITS_AS_TEXT_SINCE = 6
HEADER = ("key", "label", "value", "display")
MAX_SHEET_BYTES = 5 * 1024 * 1024  # far above any real sheet; stops a runaway file early

# A cell Excel would evaluate starts with = + - @ tab or CR. Cells that already start with
# apostrophes before such a character get one more, so that reading back is exact.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def escape_cell(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


# Excel and LibreOffice read a digit-only cell of a CSV as a number: "0079" shows as 79, and an
# id of more than 15 digits loses its last digits (Excel keeps 15 significant digits). Quoting
# does not help; the one form both open as text is a formula whose result is that text,
# ="0079". It is a constant: no reference, no function, nothing a spreadsheet could run.
# Only values that are nothing but ASCII digits get it; every other cell is escaped as before,
# so a value a person typed that starts with = (even ="0079") still gets its apostrophe.
_DIGITS = re.compile(r"[0-9]+")
_DIGITS_AS_TEXT = re.compile(r'="([0-9]+)"')
#: Rows whose value is a number by nature (not text a person typed): they stay numbers.
_NUMBER_KEY = re.compile(r"format_version|amount|escalation\.figure\.[a-z0-9_]+|audit\.(?:password_)?score|evidence\.[a-z0-9_]+\.file\.[0-9]+\.size")


def is_number_key(key: str) -> bool:
    return _NUMBER_KEY.fullmatch(key) is not None


def value_cell(key: str, value: str) -> str:
    """The value column's cell for a row: numbers as they are, digit-only text as ="…" (shown as
    text, exactly as typed), anything else formula-escaped."""
    if key in NUMERIC_KEYS:
        return value
    if _DIGITS.fullmatch(value) and not is_number_key(key):
        return f'="{value}"'
    return escape_cell(value)


def digits_from_cell(raw: str) -> str:
    """Undo :func:`value_cell`'s ="…" (other cells are returned as they are)."""
    match = _DIGITS_AS_TEXT.fullmatch(raw)
    return match.group(1) if match else raw


@dataclass(frozen=True)
class SheetField:
    """How one attribute of :class:`Case` becomes a row, and back."""

    key: str
    to_cell: Callable[[object], str]
    from_cell: Callable[[str], object]
    family: str = ""  # catalog family whose label goes into ``display``
    numeric: bool = False  # numbers stay numbers: not formula-escaped
    display: Callable[[str], str] | None = None  # how a person should see the value, if not as is


def _text(limit: int, multiline: bool = False) -> tuple[Callable, Callable]:
    return (lambda value: value), (lambda cell: v.clean_text(cell, limit, multiline=multiline))


def _choice(family: str) -> tuple[Callable, Callable]:
    return (lambda value: value), (lambda cell: v.check_choice(cell, load_catalog().ids(family)))


def _date(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell else None


def _account(cell: str) -> str:
    if len(cell) > 4 or cell != v.mask_account(cell):  # a sheet must never smuggle a full account number in
        raise InvalidInput("account.not_masked")
    return cell


def _id_as_text(value: str) -> str:
    """Spreadsheets turn long digit strings into numbers (28-digit WeChat/Alipay ids lose digits,
    "0123" becomes 123). The display column shows such ids grouped by spaces, which stays text."""
    if value.isdigit() and (len(value) > 11 or value.startswith("0")):
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return ""


FIELDS: tuple[SheetField, ...] = (
    SheetField("problem", *_choice("problems"), family="problems"),
    SheetField("problem_other", *_text(SHORT_TEXT_MAX)),
    SheetField("provider", *_choice("providers"), family="providers"),
    SheetField("provider_other", *_text(SHORT_TEXT_MAX)),
    SheetField("event_date", lambda d: d.isoformat() if d else "", _date),
    SheetField("amount", v.format_amount, v.parse_amount, numeric=True),
    SheetField("currency", *_choice("currencies"), family="currencies"),
    SheetField("transaction_id", *_text(SHORT_TEXT_MAX), display=_id_as_text),
    SheetField("account_last4", lambda s: s, _account, display=lambda last4: f"••••{last4}" if last4 else ""),
    SheetField("description", *_text(DESCRIPTION_MAX, multiline=True)),
    SheetField("goal", *_choice("goals"), family="goals"),
    SheetField("goal_other", *_text(SHORT_TEXT_MAX)),
    SheetField("goal_details", *_text(DESCRIPTION_MAX, multiline=True)),
    SheetField("participant_label", *_text(PARTICIPANT_LABEL_MAX)),
)
_META_KEYS = ("format_version", "case_id", "language", "created_at", "updated_at", "practice")


def _practice_title(case: Case) -> str:
    if not case.practice:
        return ""
    from .scenarios import scenarios

    scenario = scenarios().get(case.practice)
    title = pick(scenario.title, case.language) if scenario else ""
    return Translator(case.language)("sheet.practice_display", title=title or case.practice)
_END_KEY = "end_of_sheet"


def sheet_rows(case: Case) -> list[tuple[str, str, str, str]]:
    """The rows of a case sheet, unescaped: (key, label, value, display)."""
    t = Translator(case.language)
    catalog = load_catalog()
    rows = [
        ("format_version", t("sheet.key.format_version"), str(FORMAT_VERSION), ""),
        ("case_id", t("sheet.key.case_id"), case.case_id, ""),
        ("language", t("sheet.key.language"), case.language, locale(case.language).full_name),
        ("created_at", t("sheet.key.created_at"), case.created_at.isoformat(), ""),
        ("updated_at", t("sheet.key.updated_at"), case.updated_at.isoformat(), ""),
        ("practice", t("sheet.key.practice"), case.practice, _practice_title(case)),
    ]
    for spec in FIELDS:
        value = spec.to_cell(getattr(case, spec.key))
        display = ""
        if spec.family and value:
            display = catalog.label(spec.family, value, case.language)
        elif spec.display and value:
            display = spec.display(value)
        rows.append((spec.key, t(f"field.{spec.key}"), value, display))
    rows.extend(_evidence_rows(case, t))
    rows.extend(_channel_rows(case, t))
    rows.extend(_contact_rows(case, t))
    rows.extend(_audit_rows(case, t))
    rows.extend(_escalation_rows(case, t))
    rows.extend(case.extra_rows)  # rows someone added by hand: kept, never dropped by a save
    rows.append((_END_KEY, t("sheet.key.end_of_sheet"), "", ""))
    return rows


def write_sheet(case: Case) -> bytes:
    """The case sheet as bytes: UTF-8 with BOM (so Excel on a Chinese Windows shows 中文), CRLF rows."""
    return rows_csv(HEADER, sheet_rows(case))


NUMERIC_KEYS = frozenset(spec.key for spec in FIELDS if spec.numeric)


def rows_csv(header: tuple[str, ...], rows, value_column: int = 2, key_column: int | None = 0) -> bytes:
    """CSV bytes as every file of the workbook is written: UTF-8 with BOM, CRLF, every cell
    neutralised against formula injection; in rows with a key, the value cell as :func:`value_cell`
    writes it (numbers stay numbers, digit-only text opens as text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        key = row[key_column] if key_column is not None else None
        writer.writerow(
            [value_cell(key, cell) if key is not None and column == value_column else escape_cell(cell) for column, cell in enumerate(row)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _decode(data: bytes) -> str:
    if len(data) > MAX_SHEET_BYTES:
        raise CaseSheetError("sheet.too_large", limit_mb=MAX_SHEET_BYTES // (1024 * 1024))
    if b"\x00" in data:
        raise CaseSheetError("sheet.not_text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # cut off in the middle of a character
            raise CaseSheetError("sheet.truncated") from None
        if data.startswith(b"\xef\xbb\xbf"):  # says it is UTF-8, but is not
            raise CaseSheetError("sheet.bad_encoding") from None
    try:  # a sheet re-saved by Excel on a Chinese Windows is GB18030/GBK, not UTF-8
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CaseSheetError("sheet.bad_encoding") from None


def read_sheet(data: bytes) -> dict[str, object]:
    """Parse a case sheet into the keyword arguments of :class:`Case` (without ``code``).

    Raises CaseSheetError, whose key says what is wrong, for anything that is not a complete,
    valid case sheet; never returns a half-read case.
    """
    text = _decode(data)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        raise CaseSheetError("sheet.malformed") from None
    records = [r for r in records if "".join(r).strip()]  # blank lines from editors
    if not records or tuple(cell.strip().lower() for cell in records[0][:3]) != HEADER[:3]:
        raise CaseSheetError("sheet.not_a_case_sheet")
    cells: dict[str, tuple[int, str]] = {}
    records_by_key: dict[str, list[str]] = {}
    for line_number, record in enumerate(records[1:], start=2):
        if len(record) < 3:
            raise CaseSheetError("sheet.malformed_row", row=line_number)
        key = record[0].strip()
        if key in cells:
            raise CaseSheetError("sheet.duplicate_key", row=line_number, field=key)
        cells[key] = (line_number, record[2])
        records_by_key[key] = record
    if _END_KEY not in cells:
        raise CaseSheetError("sheet.truncated")
    version_text = cells.get("format_version", (0, ""))[1].strip()
    if not re.fullmatch(r"[1-9][0-9]{0,3}", version_text):
        raise CaseSheetError("sheet.not_a_case_sheet")
    if int(version_text) > FORMAT_VERSION:
        raise CaseSheetError("sheet.newer_version", version=version_text, supported=FORMAT_VERSION)
    if int(version_text) >= DIGITS_AS_TEXT_SINCE:
        for key, (row, raw) in cells.items():
            if not is_number_key(key):
                cells[key] = (row, digits_from_cell(raw))
                records_by_key[key][2] = cells[key][1]

    numeric_keys = NUMERIC_KEYS

    def cell(key: str) -> tuple[int, str]:
        row, raw = cells.get(key, (0, ""))
        return row, raw if key in numeric_keys else unescape_cell(raw)

    answers: dict[str, object] = {}
    for spec in FIELDS:
        row, raw = cell(spec.key)
        try:
            answers[spec.key] = spec.from_cell(raw)
        except (InvalidInput, ValueError):
            raise CaseSheetError("sheet.bad_value", row=row, field=spec.key) from None
    language = cell("language")[1].strip()
    if language not in languages():
        raise CaseSheetError("sheet.bad_value", row=cell("language")[0], field="language")
    answers["language"] = language
    for key in ("created_at", "updated_at"):
        row, raw = cell(key)
        answers[key] = _timestamp(raw, row, key)
    answers["case_id"] = cell("case_id")[1].strip()
    practice = cell("practice")[1].strip()
    if practice and not re.fullmatch(r"[a-z0-9-]{1,60}", practice):
        raise CaseSheetError("sheet.bad_value", row=cell("practice")[0], field="practice")
    answers["practice"] = practice
    answers["currency"] = answers["currency"] or "CNY"
    # Each section reads only the keys of its own families (one dictionary pass, not one per section).
    sections: dict[str, dict[str, tuple[int, str]]] = {"collections": {}, "audit": {}, "escalation": {}}
    for key, entry in cells.items():
        section = _SECTION_OF_FAMILY.get(key.partition(".")[0])
        if section is not None:
            sections[section][key] = entry
    collections = _read_collections(sections["collections"], numeric_keys)
    answers.update(collections.pop("answers"))
    audit, audit_keys = _read_audit(sections["audit"])
    answers["audit"] = audit
    escalation, statements, escalation_keys = _read_escalation(sections["escalation"])
    answers["escalation"] = escalation
    answers.update(statements)
    known = set(_META_KEYS) | {spec.key for spec in FIELDS} | {_END_KEY} | collections["consumed"] | audit_keys | escalation_keys
    answers["extra_rows"] = [
        tuple(unescape_cell(c) for c in (record + ["", "", "", ""])[:4]) for key, record in records_by_key.items() if key not in known
    ]
    return answers


_SECTION_OF_FAMILY = {
    "evidence": "collections", "channel": "collections", "contact": "collections", "audit": "audit",
    "escalation": "escalation", "handling": "escalation", "statement": "escalation",
}  # fmt: skip


def _timestamp(raw: str, row: int, key: str) -> datetime:
    """A save time: ISO 8601 with a time zone, in a plausible range (so it can be shown locally)."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CaseSheetError("sheet.bad_value", row=row, field=key) from None
    if moment.tzinfo is None or not 2000 <= moment.year <= 2200:
        raise CaseSheetError("sheet.bad_value", row=row, field=key)
    return moment.astimezone(timezone.utc)


# ---- evidence, channels and contacts (format version 2) ------------------------------------
# Each is a group of rows with an indexed key, e.g. ``evidence.transaction_record.file.1.sha256``
# or ``contact.2.promised_by``, so the sheet stays one answer per row for people and programs.

_YES, _NO = "yes", "no"
_FILE_PARTS = ("name", "size", "type", "uploaded_at", "sha256", "kept")
_CONTACT_PARTS = ("when", "channel", "agent", "reference", "asked", "offered", "promised", "promised_by", "outcome")
_EVIDENCE_KEY = re.compile(r"evidence\.([a-z0-9_]+)\.(status|note|file\.([1-9][0-9]{0,2})\.([a-z_0-9]+))")
_CHANNEL_KEY = re.compile(r"channel\.([a-z0-9_]+)\.tried")
_CONTACT_KEY = re.compile(r"contact\.([1-9][0-9]{0,3})\.([a-z_]+)")


def _yes_no(t: Translator, value: bool) -> tuple[str, str]:
    return (_YES, t("common.yes")) if value else (_NO, t("common.no"))


def _evidence_rows(case: Case, t: Translator) -> list[tuple[str, str, str, str]]:
    catalog = load_catalog()
    shown = {item.id for item in catalog.evidence_for(case.problem)}
    rows = []
    for item in catalog.evidence:
        state = case.evidence.get(item.id, EvidenceItem())
        if item.id not in shown and state.is_empty():
            continue
        name = t.pick(item.label)
        key = f"evidence.{item.id}"
        status_label = catalog.label("evidence_statuses", state.status, case.language) if state.status else ""
        rows.append((f"{key}.status", t("sheet.evidence.status", item=name), state.status, status_label))
        rows.append((f"{key}.note", t("sheet.evidence.note", item=name), state.note, ""))
        for number, record in enumerate(state.files, start=1):
            kept, kept_label = _yes_no(t, record.kept)
            values = {
                "name": (record.name, ""), "size": (str(record.size), ""), "type": (record.media_type, ""),
                "uploaded_at": (record.uploaded_at.isoformat(), ""), "sha256": (record.sha256, ""), "kept": (kept, kept_label),
            }  # fmt: skip
            for part in _FILE_PARTS:
                label = t("sheet.evidence.file", item=name, number=number, part=t(f"sheet.file.{part}"))
                rows.append((f"{key}.file.{number}.{part}", label, *values[part]))
    return rows


def _channel_rows(case: Case, t: Translator) -> list[tuple[str, str, str, str]]:
    catalog = load_catalog()
    shown = {channel.id for channel in catalog.channels_for(case.problem, case.escalation.jurisdiction)}
    rows = []
    for channel in catalog.channels:
        tried = channel.id in case.channels_tried
        if channel.id in shown or tried:
            rows.append((f"channel.{channel.id}.tried", t("sheet.channel.tried", channel=t.pick(channel.label)), *_yes_no(t, tried)))
    return rows


def _contact_rows(case: Case, t: Translator) -> list[tuple[str, str, str, str]]:
    from .contacts import sorted_contacts

    catalog = load_catalog()
    rows = []
    for number, contact in enumerate(sorted_contacts(case.contacts), start=1):
        values = {
            "when": (contact.when.strftime("%Y-%m-%dT%H:%M") if contact.when else "", ""),
            "channel": (contact.channel, catalog.label("contact_channels", contact.channel, case.language)),
            "agent": (contact.agent, ""), "reference": (contact.reference, ""), "asked": (contact.asked, ""),
            "offered": (contact.offered, ""), "promised": (contact.promised, ""),
            "promised_by": (contact.promised_by.isoformat() if contact.promised_by else "", ""),
            "outcome": (contact.outcome, catalog.label("contact_outcomes", contact.outcome, case.language) if contact.outcome else ""),
        }  # fmt: skip
        for part in _CONTACT_PARTS:
            rows.append((f"contact.{number}.{part}", t("sheet.contact", number=number, part=t(f"contact.field.{part}")), *values[part]))
    return rows


def _read_collections(cells: dict[str, tuple[int, str]], numeric_keys: set[str]) -> dict:
    """Evidence, channels and contacts from the cells of a sheet; every value is checked."""
    catalog = load_catalog()
    evidence_ids, channel_ids = set(catalog.ids("evidence")), set(catalog.ids("channels"))
    evidence: dict[str, EvidenceItem] = {}
    files: dict[tuple[str, int], dict[str, tuple[int, str]]] = {}
    contacts: dict[int, dict[str, tuple[int, str]]] = {}
    tried: list[str] = []
    consumed: set[str] = set()

    def bad(row: int, key: str) -> CaseSheetError:
        return CaseSheetError("sheet.bad_value", row=row, field=key)

    for key, (row, raw) in cells.items():
        value = unescape_cell(raw)
        family = key.partition(".")[0]
        if family == "evidence" and (match := _EVIDENCE_KEY.fullmatch(key)):
            item_id, part, number, file_part = match.groups()
            if item_id not in evidence_ids:
                continue  # an item this version does not know: kept as an extra row
            state = evidence.setdefault(item_id, EvidenceItem())
            try:
                if part == "status":
                    state.status = v.check_choice(value.strip(), STATUSES)
                elif part == "note":
                    state.note = v.clean_text(value, NOTE_MAX, multiline=True)
                elif file_part in _FILE_PARTS:
                    files.setdefault((item_id, int(number)), {})[file_part] = (row, value)
                else:
                    continue  # e.g. a comment column added by hand: kept as an extra row
            except InvalidInput:
                raise bad(row, key) from None
        elif family == "channel" and (match := _CHANNEL_KEY.fullmatch(key)):
            if match.group(1) not in channel_ids:
                continue
            if value.strip() not in (_YES, _NO, ""):
                raise bad(row, key)
            if value.strip() == _YES:
                tried.append(match.group(1))
        elif family == "contact" and (match := _CONTACT_KEY.fullmatch(key)):
            if match.group(2) not in _CONTACT_PARTS:
                continue  # a part this version does not know: kept as an extra row
            contacts.setdefault(int(match.group(1)), {})[match.group(2)] = (row, value)
        else:
            continue
        consumed.add(key)

    for (item_id, _number), parts in sorted(files.items()):
        evidence[item_id].files.append(_read_file(parts, bad))
    return {
        "answers": {
            "evidence": {item_id: state for item_id, state in evidence.items() if not state.is_empty()},
            "channels_tried": [channel for channel in catalog.ids("channels") if channel in tried],
            "contacts": [_read_contact(parts, bad, catalog) for _, parts in sorted(contacts.items())],
        },
        "consumed": consumed,
    }


def _read_file(parts: dict[str, tuple[int, str]], bad) -> EvidenceFile:
    missing = [p for p in _FILE_PARTS if p not in parts]
    if missing:
        row = min(r for r, _ in parts.values())
        raise bad(row, missing[0])
    name_row, name = parts["name"]
    if not name.strip():
        raise bad(name_row, "name")
    name = safe_filename(name)  # a hand edit cannot smuggle a path in; an odd name is cleaned, not fatal
    size_row, size = parts["size"]
    if not re.fullmatch(r"[0-9]{1,12}", size.strip()):
        raise bad(size_row, "size")
    sha_row, sha = parts["sha256"]
    if not re.fullmatch(r"[0-9a-f]{64}", sha.strip()):
        raise bad(sha_row, "sha256")
    kept_row, kept = parts["kept"]
    if kept.strip() not in (_YES, _NO):
        raise bad(kept_row, "kept")
    type_row, media = parts["type"]
    if len(media) > SHORT_TEXT_MAX:
        raise bad(type_row, "type")
    return EvidenceFile(
        name=name, size=int(size), media_type=media.strip(), uploaded_at=_timestamp(parts["uploaded_at"][1], parts["uploaded_at"][0], "uploaded_at"),
        sha256=sha.strip(), kept=kept.strip() == _YES,
    )  # fmt: skip


def _read_contact(parts: dict[str, tuple[int, str]], bad, catalog) -> Contact:
    def text(part: str, limit: int, multiline: bool = False) -> str:
        row, value = parts.get(part, (0, ""))
        try:
            return v.clean_text(value, limit, multiline=multiline)
        except InvalidInput:
            raise bad(row, part) from None

    def parsed(part: str, parse):
        row, value = parts.get(part, (0, ""))
        try:
            return parse(value.strip()) if value.strip() else None
        except ValueError:
            raise bad(row, part) from None

    def choice(part: str, family: str) -> str:
        row, value = parts.get(part, (0, ""))
        try:
            return v.check_choice(value.strip(), catalog.ids(family))
        except InvalidInput:
            raise bad(row, part) from None

    when = parsed("when", datetime.fromisoformat)
    if when is not None and when.tzinfo is not None:
        raise bad(parts["when"][0], "when")
    return Contact(
        when=when, channel=choice("channel", "contact_channels"), agent=text("agent", SHORT_TEXT_MAX),
        reference=text("reference", SHORT_TEXT_MAX), asked=text("asked", NOTE_MAX, True), offered=text("offered", NOTE_MAX, True),
        promised=text("promised", NOTE_MAX, True), promised_by=parsed("promised_by", date.fromisoformat),
        outcome=choice("outcome", "contact_outcomes"),
    )  # fmt: skip


# ---- security self-audit (format version 3) -----------------------------------------------
# Answers are read back; the score and the actions are written for people (and exports) but
# recomputed from the answers on load, so a hand-edited score can never disagree with them.

_AUDIT_KEY = re.compile(r"audit\.(?:(password_score|score)|action\.[0-9]{1,3}|phishing\.([a-z0-9_]+)|([a-z0-9_]+))")


def _audit_rows(case: Case, t: Translator) -> list[tuple[str, str, str, str]]:
    from .audit import evaluate, load_security

    content, audit = load_security(), case.audit
    rows = []
    for question in content.questions:
        answer = audit.answers.get(question.id, "")
        label = next((t.pick(o.label) for o in content.answer_sets[question.answers] if o.id == answer), "")
        rows.append((f"audit.{question.id}", t("sheet.audit.question", question=t.pick(question.label)), answer, label))
    score = "" if audit.password_score is None else str(audit.password_score)
    rows.append(("audit.password_score", t("sheet.audit.password_score"), score, t(f"password.score.{score}") if score else ""))
    for number, example in enumerate(content.phishing, start=1):
        answer = audit.phishing.get(example.id, "")
        shown = ""
        if answer:
            verdict = t("audit.quiz.right") if answer == example.answer else t("audit.quiz.wrong")
            shown = f"{t.pick(content.answer_labels[answer])} · {verdict}"
        rows.append((f"audit.phishing.{example.id}", t("sheet.audit.phishing", number=number), answer, shown))
    result = evaluate(audit, content)
    rows.append(("audit.score", t("sheet.audit.score"), str(result.score) if not audit.is_empty() else "", ""))
    for number, action in enumerate(result.actions, start=1):
        rows.append((f"audit.action.{number}", t("sheet.audit.action", number=number), action.id, t.pick(content.action_text(action, case.provider))))
    return rows


def _read_audit(cells: dict[str, tuple[int, str]]) -> tuple[AuditAnswers, set[str]]:
    from .audit import PHISHING_ANSWERS, load_security

    content = load_security()
    questions = {q.id: q for q in content.questions}
    examples = {e.id for e in content.phishing}
    audit, consumed = AuditAnswers(), set()
    for key, (row, raw) in cells.items():
        match = _AUDIT_KEY.fullmatch(key)
        if not match:
            continue
        value = unescape_cell(raw).strip()
        special, example, question_id = match.groups()
        if special == "password_score":
            if value and not re.fullmatch(r"[0-4]", value):
                raise CaseSheetError("sheet.bad_value", row=row, field=key)
            audit.password_score = int(value) if value else None
        elif example is not None:
            if example not in examples:
                continue  # an example this version does not know: kept as an extra row
            if value and value not in PHISHING_ANSWERS:
                raise CaseSheetError("sheet.bad_value", row=row, field=key)
            if value:
                audit.phishing[example] = value
        elif question_id is not None:
            if question_id not in questions:
                continue
            allowed = {o.id for o in content.answer_sets[questions[question_id].answers]}
            if value and value not in allowed:
                raise CaseSheetError("sheet.bad_value", row=row, field=key)
            if value:
                audit.answers[question_id] = value
        consumed.add(key)  # including audit.score and audit.action.N: derived, recomputed
    return audit, consumed


# ---- escalation and statements (format version 4) -------------------------------------------

_PERSONAL = ("your_name", "your_phone", "your_address", "company_address")
_STATEMENT_MAX = 6000
_ESCALATION_KEY = re.compile(r"(escalation\.(jurisdiction|fraud|next|figure\.[a-z0-9_]+|your_name|your_phone|your_address|company_address|filed\.([a-z_]+))"
                             r"|handling\.([a-z_]+)|statement\.(company|regulator))")  # fmt: skip


def _escalation_rows(case: Case, t: Translator) -> list[tuple[str, str, str, str]]:
    from .clock import today
    from .escalation import HANDLING_STAGES, RUNGS, figure_lines, jurisdiction_for, next_step_date_text, plan

    e = case.escalation
    j = jurisdiction_for(case)
    rows = [("escalation.jurisdiction", t("sheet.escalation.jurisdiction"), j.id, t.pick(j.label))]
    rows.append(("escalation.fraud", t("sheet.escalation.fraud"), *_yes_no(t, e.fraud)))
    for name in _PERSONAL:
        rows.append((f"escalation.{name}", t(f"escalation.field.{name}"), getattr(e, name), ""))
    for stage in HANDLING_STAGES:
        day = e.handling.get(stage)
        rows.append((f"handling.{stage}", t("sheet.handling", stage=t(f"handling.stage.{stage}")), day.isoformat() if day else "", ""))
    day_today = today()
    the_plan = plan(case, day_today)
    for rung in RUNGS:
        day = e.filed.get(rung)
        body = next(r.body for r in the_plan.rungs if r.id == rung)
        rows.append((f"escalation.filed.{rung}", t("sheet.escalation.filed", body=t.pick(body.label)), day.isoformat() if day else "", ""))
    nxt = the_plan.next_rung
    if nxt is not None:  # derived, for people and exports; recomputed when read
        when = next_step_date_text(nxt, t, day_today)  # "now" once the date has come; "(to verify)" on an unconfirmed figure
        rows.append(("escalation.next", t("sheet.escalation.next"), nxt.id, f"{t.pick(nxt.body.label)} {when}".strip()))
    regulator = next(r for r in the_plan.rungs if r.id == "regulator")
    for figure in ((regulator.deadline,) if regulator.deadline else ()) + tuple(f for f in regulator.figures if f != regulator.deadline):
        line, source = figure_lines(t, figure)  # derived: every figure with its source and how sure it is
        rows.append((f"escalation.figure.{figure.id}", t.pick(figure.what), str(figure.days), f"{line} {source}"))
    for audience in ("company", "regulator"):
        text = getattr(case, f"statement_{audience}")
        if text:
            rows.append((f"statement.{audience}", t(f"sheet.statement.{audience}"), text, ""))
    return rows


def _read_escalation(cells: dict[str, tuple[int, str]]):
    from .escalation import HANDLING_STAGES, RUNGS, jurisdictions
    from .model import Escalation

    e, statements, consumed = Escalation(), {}, set()
    for key, (row, raw) in cells.items():
        match = _ESCALATION_KEY.fullmatch(key)
        if not match:
            continue
        value = unescape_cell(raw)
        _, part, rung, stage, audience = match.groups()
        try:
            if part == "jurisdiction":
                if value.strip() and value.strip() not in jurisdictions():
                    raise ValueError
                e.jurisdiction = value.strip() or e.jurisdiction
            elif part == "fraud":
                if value.strip() not in (_YES, _NO, ""):
                    raise ValueError
                e.fraud = value.strip() == _YES
            elif part in _PERSONAL:
                setattr(e, part, v.clean_text(value, 200 if "address" in part else SHORT_TEXT_MAX))
            elif rung is not None:
                if rung not in RUNGS:
                    continue  # unknown: kept as an extra row
                if value.strip():
                    e.filed[rung] = _plausible_date(value)
            elif stage is not None:
                if stage not in HANDLING_STAGES:
                    continue
                if value.strip():
                    e.handling[stage] = _plausible_date(value)
            elif audience is not None:
                statements[f"statement_{audience}"] = v.clean_text(value, _STATEMENT_MAX, multiline=True)
        except (ValueError, InvalidInput):
            raise CaseSheetError("sheet.bad_value", row=row, field=key) from None
        consumed.add(key)  # escalation.next and escalation.figure.* are derived: recomputed, never read back
    return e, statements, consumed


def _plausible_date(text: str) -> date:
    """An ISO date between 2000 and 2200: a hand-edited year 9999 must not break date arithmetic."""
    day = date.fromisoformat(text.strip())
    if not 2000 <= day.year <= 2200:
        raise ValueError(text)
    return day
