"""The sheet's sections: each registered module writes and reads its own rows; a new section is
one module; every limit the views enforce is one the reader accepts."""

from datetime import date

import pytest

import complaint.sheet
from complaint.errors import CaseSheetError
from complaint.model import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    ESCALATION_DETAIL_LIMITS,
    NOTE_MAX,
    SHORT_TEXT_MAX,
    STATEMENT_MAX,
    Case,
    Contact,
    EvidenceItem,
)
from complaint.sheet import SECTIONS, read_sheet, sheet_rows, write_sheet
from complaint.sheet.cells import bad_value
from complaint.sheet.sections import Section, section_of_family


def test_the_sections_come_in_the_sheets_order_and_each_family_has_one_reader():
    assert [section.name for section in SECTIONS] == [
        "evidence",
        "channels",
        "contacts",
        "audit",
        "escalation",
    ]
    assert set(section_of_family(SECTIONS)) == {
        "evidence",
        "channel",
        "contact",
        "audit",
        "escalation",
        "handling",
        "statement",
    }
    with pytest.raises(ValueError, match="both claim 'audit'"):
        section_of_family(
            (*SECTIONS, Section("again", ("audit",), lambda case, t: [], lambda cells: ({}, set())))
        )


def _word_count_section() -> Section:
    """A section written for this test only: the number of words of the description, derived."""

    def rows(case, t):
        return [
            (
                "words.description",
                "Words in the description",
                str(len(case.description.split())),
                "",
            )
        ]

    def read(cells):
        for key, (row, raw) in cells.items():
            if key == "words.description" and not raw.isdigit():
                raise bad_value(row, key)
        return {}, set(cells)

    return Section("words", ("words",), rows, read)


def test_a_new_section_is_one_module_listed_in_sections(monkeypatch):
    case = Case(language="en", description="Money sent, never arrived")
    without = write_sheet(case)
    monkeypatch.setattr(complaint.sheet, "SECTIONS", (*SECTIONS, _word_count_section()))
    rows = sheet_rows(case)
    assert (
        rows[-2][0] == "words.description" and rows[-2][2] == "4" and rows[-1][0] == "end_of_sheet"
    )
    answers = read_sheet(write_sheet(case))
    assert (
        answers["extra_rows"] == [] and answers["description"] == case.description
    )  # read by its section, not kept as extra
    written = (
        b'words.description,Words in the description,"=""4"""'  # digit-only text opens as text
    )
    assert written in write_sheet(case)
    broken = write_sheet(case).replace(written, b"words.description,Words in the description,many")
    with pytest.raises(CaseSheetError):
        read_sheet(broken)
    monkeypatch.undo()
    assert ("words.description", "Words in the description", "many", "") in read_sheet(broken)[
        "extra_rows"
    ]  # no section: kept
    assert b"words." not in without


def test_a_case_at_every_limit_the_views_enforce_is_read_back_whole():
    case = Case(
        language="en",
        problem="other",
        problem_other="p" * SHORT_TEXT_MAX,
        description="d" * DESCRIPTION_MAX,
        goal_details="g" * DESCRIPTION_MAX,
        statement_company="s" * STATEMENT_MAX,
        statement_regulator="r" * STATEMENT_MAX,
        evidence={"transaction_record": EvidenceItem(status="have", note="n" * NOTE_MAX)},
        contacts=[
            Contact(
                channel="phone_hotline",
                agent="a" * SHORT_TEXT_MAX,
                asked="q" * NOTE_MAX,
                promised_by=date(2026, 12, 1),
            )
        ],
    )
    for name, limit in ESCALATION_DETAIL_LIMITS.items():
        setattr(case.escalation, name, "x" * limit)
    answers = read_sheet(write_sheet(case))
    assert (
        answers["statement_company"] == "s" * STATEMENT_MAX
        and answers["statement_regulator"] == "r" * STATEMENT_MAX
    )
    assert (
        answers["escalation"].your_address == "x" * ADDRESS_MAX
        and answers["escalation"].company_address == "x" * ADDRESS_MAX
    )
    assert (
        answers["evidence"]["transaction_record"].note == "n" * NOTE_MAX
        and answers["contacts"][0].asked == "q" * NOTE_MAX
    )
    assert answers["description"] == "d" * DESCRIPTION_MAX and answers["extra_rows"] == []


def test_one_character_over_a_limit_is_refused_not_cut():
    case = Case(language="en", statement_company="s" * STATEMENT_MAX)
    data = write_sheet(case).replace(b"s" * STATEMENT_MAX, b"s" * (STATEMENT_MAX + 1))
    with pytest.raises(CaseSheetError):
        read_sheet(data)
