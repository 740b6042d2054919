"""Case sheets that come back odd: every field full of payloads, re-encoded as Excel on a Chinese
Windows saves it, cut anywhere, hand-edited with huge or formula cells, any format version.
The case read back is exactly the case written, or the sheet is refused with a reason.

Complements tests/core/test_sheet_fuzz.py (any bytes read as a sheet give a CaseSheetError,
never another exception) and the example round trips of tests/core/test_sheet.py.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from complaint.audit import load_security
from complaint.catalog import load_catalog
from complaint.contacts import sorted_contacts
from complaint.errors import CaseSheetError, InvalidInput
from complaint.escalation import HANDLING_STAGES, RUNGS, jurisdictions
from complaint.evidence import ALLOWED_SUFFIXES, safe_filename
from complaint.model import AuditAnswers, Case, Contact, Escalation, EvidenceFile, EvidenceItem
from complaint.scenarios import scenarios
from complaint.sheet import (
    FORMAT_VERSION,
    MAX_SHEET_BYTES,
    digits_from_cell,
    escape_cell,
    read_sheet,
    unescape_cell,
    write_sheet,
)
from complaint.validation import clean_text, parse_amount

from .hostile import CHARACTERS, examples, stored_text, typed_text

# ---- the core: Case -> write_sheet -> (re-encoded) -> read_sheet is the identity ------------------

CATALOG = load_catalog()
SECURITY = load_security()
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2200, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=UTC)
)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31))


def choice(family: str) -> st.SearchStrategy[str]:
    return st.sampled_from(("",) + CATALOG.ids(family))


@st.composite
def evidence_items(draw) -> dict[str, EvidenceItem]:
    items = {}
    for item_id in draw(
        st.lists(st.sampled_from(CATALOG.ids("evidence")), max_size=3, unique=True)
    ):
        files = [
            EvidenceFile(
                name=safe_filename(draw(typed_text(150)) + draw(st.sampled_from(ALLOWED_SUFFIXES))),
                size=draw(st.integers(0, 10**12 - 1)),
                media_type=draw(
                    st.sampled_from(
                        [
                            "image/png",
                            "application/pdf",
                            "text/plain",
                            "application/octet-stream",
                            "image/heic",
                        ]
                    )
                ),
                uploaded_at=draw(MOMENTS),
                sha256=draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
                kept=draw(st.booleans()),
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        item = EvidenceItem(
            status=draw(st.sampled_from(("",) + ("have", "need", "na"))),
            note=draw(stored_text(500, True)),
            files=files,
        )
        if not item.is_empty():  # an unanswered item is the same as no item
            items[item_id] = item
    return items


@st.composite
def contacts(draw) -> list[Contact]:
    entries = [
        Contact(
            when=draw(
                st.none()
                | st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
                    lambda d: d.replace(second=0, microsecond=0)
                )
            ),
            channel=draw(choice("contact_channels")),
            agent=draw(stored_text(100)),
            reference=draw(stored_text(100)),
            asked=draw(stored_text(500, True)),
            offered=draw(stored_text(500, True)),
            promised=draw(stored_text(500, True)),
            promised_by=draw(st.none() | DATES),
            outcome=draw(choice("contact_outcomes")),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return sorted_contacts(entries)  # the sheet lists them oldest first


@st.composite
def audits(draw) -> AuditAnswers:
    answers = {}
    for question in SECURITY.questions:
        options = [o.id for o in SECURITY.answer_sets[question.answers]]
        answer = draw(st.sampled_from([""] + options))
        if answer:
            answers[question.id] = answer
    phishing = {
        e.id: a
        for e in SECURITY.phishing
        if (a := draw(st.sampled_from(["", "safe", "suspicious"])))
    }
    return AuditAnswers(
        answers=answers, password_score=draw(st.none() | st.integers(0, 4)), phishing=phishing
    )


@st.composite
def escalations(draw) -> Escalation:
    return Escalation(
        jurisdiction=draw(st.sampled_from(sorted(jurisdictions()))),
        fraud=draw(st.booleans()),
        filed={rung: draw(DATES) for rung in draw(st.lists(st.sampled_from(RUNGS), unique=True))},
        handling={
            stage: draw(DATES)
            for stage in draw(st.lists(st.sampled_from(HANDLING_STAGES), unique=True))
        },
        your_name=draw(stored_text(100)),
        your_phone=draw(stored_text(100)),
        your_address=draw(stored_text(200)),
        company_address=draw(stored_text(200)),
    )


EXTRA_CELL = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@st.composite
def cases(draw) -> Case:
    """Every field of the model, free text full of payloads, numbers at their edges."""
    return Case(
        language=draw(st.sampled_from(["zh", "en"])),
        practice=draw(st.sampled_from([""] + sorted(scenarios()))),
        created_at=draw(MOMENTS),
        updated_at=draw(MOMENTS),
        problem=draw(choice("problems")),
        problem_other=draw(stored_text(100)),
        provider=draw(choice("providers")),
        provider_other=draw(stored_text(100)),
        event_date=draw(st.none() | DATES),
        amount=draw(
            st.none()
            | st.decimals(min_value=0, max_value=100_000_000, places=2).map(lambda d: d.copy_abs())
            | st.integers(0, 100_000_000).map(lambda n: parse_amount(str(n)))
        ),
        currency=draw(st.sampled_from(CATALOG.ids("currencies"))),
        transaction_id=draw(stored_text(100)),
        account_last4=draw(st.text("0123456789abcdefXYZ", max_size=4)),
        description=draw(stored_text(2000, True)),
        goal=draw(choice("goals")),
        goal_other=draw(stored_text(100)),
        goal_details=draw(stored_text(2000, True)),
        evidence=draw(evidence_items()),
        channels_tried=[c for c in CATALOG.ids("channels") if draw(st.booleans())],
        contacts=draw(contacts()),
        audit=draw(audits()),
        escalation=draw(escalations()),
        statement_company=draw(stored_text(6000, True)),
        statement_regulator=draw(stored_text(6000, True)),
        extra_rows=[
            (f"note_{number}", draw(EXTRA_CELL), draw(EXTRA_CELL), draw(EXTRA_CELL))
            for number in range(draw(st.integers(0, 2)))
        ],
    )


def read_back(data: bytes, code: str) -> Case:
    answers = read_sheet(data)
    answers.pop("case_id")
    return Case(code=code, **answers)


def reencoded(data: bytes, encoding: str) -> bytes:
    """The sheet as it may come back: as written, without its BOM, re-saved by Excel as GB18030/GBK."""
    text = data.decode("utf-8-sig")
    if encoding == "gbk":
        try:
            return text.encode("gbk")
        except (
            UnicodeEncodeError
        ):  # Excel would have replaced what GBK lacks: use GB18030, which has it all
            return text.encode("gb18030")
    return text.encode(encoding) if encoding != "utf-8-sig" else data


@pytest.mark.slow
@examples(150)
@given(
    cases(),
    st.sampled_from(["utf-8-sig", "utf-8", "gb18030", "gbk"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_every_field_round_trips_exactly_and_a_cut_sheet_is_never_half_read(
    figures, case, encoding, fraction
):
    """Read back as written, without its BOM or re-saved as GB18030/GBK, a sheet is the same case.
    Cut anywhere, it is refused with a reason, or (only its last cells cut) still the same case."""
    data = write_sheet(case)
    assert read_back(reencoded(data, encoding), case.code) == case
    figures.add(f"cases_round_tripped_{encoding}")
    cut = data[: int(len(data) * fraction)]
    try:
        again = read_back(cut, case.code)
    except CaseSheetError as error:
        assert error.key in {
            "sheet.truncated",
            "sheet.malformed",
            "sheet.malformed_row",
            "sheet.not_a_case_sheet",
        }, error
        figures.add("cut_sheets_refused")
    else:
        figures.add("cut_sheets_still_whole")
        assert again == case and len(data) - len(cut) <= len(",,\r\n"), len(data) - len(cut)


TEXT_KEYS = {
    "problem_other": (100, False),
    "provider_other": (100, False),
    "transaction_id": (100, False),
    "description": (2000, True),
    "goal_other": (100, False),
    "goal_details": (2000, True),
    "escalation.your_name": (100, False),
    "escalation.your_address": (200, False),
    "statement.company": (6000, True),
    "contact.1.asked": (500, True),
}
READ_AS = {
    "escalation.your_name": lambda case: case.escalation.your_name,
    "escalation.your_address": lambda case: case.escalation.your_address,
    "statement.company": lambda case: case.statement_company,
    "contact.1.asked": lambda case: case.contacts[0].asked,
}


CSV_FIELD_LIMIT = csv.field_size_limit()


def with_cell(data: bytes, key: str, cell: str) -> bytes:
    """The sheet with the value cell of ``key`` replaced by ``cell`` (a row added if it has none)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if not any(row[0] == key for row in rows):
        rows.insert(-1, [key, "label", "", ""])
    rows = [[key, row[1], cell, *row[3:]] if row[0] == key else row for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def formula_cells(data: bytes) -> list[str]:
    """Cells a spreadsheet would run: any starting with = + - @ tab or CR, except the constant
    ="<digits>" that format version 6 writes so that an id opens as text."""
    cells = (
        cell
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        for cell in row
    )
    return [
        cell
        for cell in cells
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r'="[0-9]+"', cell)
    ]


@examples(150)
@given(
    st.sampled_from(sorted(TEXT_KEYS)),
    st.one_of(
        typed_text(100),
        typed_text(2000),
        st.one_of(
            st.integers(0, 300_000),
            st.sampled_from([CSV_FIELD_LIMIT, CSV_FIELD_LIMIT + 1, 2_000_000]),
        ).map(lambda n: "长" * n),
    ),
    st.booleans(),
)
@example(
    key="description", text="长" * (CSV_FIELD_LIMIT + 1), escaped=False
)  # a cell Python's csv refuses
@example(
    key="transaction_id", text='="0079"', escaped=False
)  # how version 6 writes a digit-only id
@example(key="transaction_id", text='="0079"', escaped=True)  # an answer typed exactly like that
@example(key="goal_details", text="长" * 2_000_000, escaped=True)  # a 6 MB sheet
def test_a_hand_edited_text_cell_loads_exactly_or_is_refused(figures, key, text, escaped):
    """Any text in a cell (over its limit, far over it, over the file size limit), with formula
    payloads left raw by a spreadsheet or escaped as the workbook writes them: read back as exactly
    the cleaned text, or refused with a reason. Saving it again neutralises every formula."""
    text = text.replace(
        "\x00", ""
    )  # a NUL makes the file "not text": tests/core/test_sheet_fuzz.py
    limit, multiline = TEXT_KEYS[key]
    data = with_cell(write_sheet(Case(language="en")), key, escape_cell(text) if escaped else text)
    try:
        # Left raw, a cell ="<digits>" is read as the digits: that is how version 6 writes an id.
        expected = clean_text(
            text if escaped else unescape_cell(digits_from_cell(text)), limit, multiline=multiline
        )
    except InvalidInput:
        expected = None
    try:
        again = read_back(data, "0" * 16)
    except CaseSheetError as error:
        figures.add(f"refused_{error.key}")
        if len(data) > MAX_SHEET_BYTES:
            assert error.key == "sheet.too_large"
        elif (
            len(text) > CSV_FIELD_LIMIT
        ):  # Python's csv refuses such a cell: "cannot be read as CSV"
            assert error.key == "sheet.malformed"
        else:
            assert error.key == "sheet.bad_value" and expected is None, error
        return
    assert READ_AS.get(key, lambda case: getattr(case, key))(again) == expected
    figures.add("read_exactly")
    assert formula_cells(write_sheet(again)) == []


@examples(150)
@given(
    st.one_of(
        st.text(CHARACTERS, max_size=12),
        st.integers(-5, 10**6).map(str),
        st.sampled_from(["", " 5 ", "٥", "５", "1.0", "0x5", "+5"]),
    )
)
def test_any_format_version_cell_is_read_or_refused_with_a_reason(figures, version):
    figures.add("versions_tried")
    text = write_sheet(Case(language="en")).decode("utf-8-sig")
    data = text.replace(
        f"format_version,Sheet format version,{FORMAT_VERSION}",
        f'format_version,Sheet format version,"{version.replace(chr(34), 2 * chr(34))}"',
    ).encode()
    try:
        read_sheet(data)
    except CaseSheetError as error:
        plain = version.strip()
        if re.fullmatch(r"[1-9][0-9]{0,3}", plain) and int(plain) > FORMAT_VERSION:
            assert error.key == "sheet.newer_version"
        else:
            assert error.key in {
                "sheet.not_a_case_sheet",
                "sheet.not_text",
                "sheet.malformed",
                "sheet.bad_value",
            }, error
    else:
        assert (
            re.fullmatch(r"[1-9][0-9]{0,3}", version.strip())
            and int(version.strip()) <= FORMAT_VERSION
        )


def test_a_sheet_over_the_size_limit_is_refused_before_it_is_parsed():
    data = write_sheet(Case(language="en"))
    padding = b"," * (MAX_SHEET_BYTES + 1 - len(data))
    try:
        read_sheet(data + padding)
    except CaseSheetError as error:
        assert error.key == "sheet.too_large"
    else:
        raise AssertionError("a 5 MB+ sheet was read")
