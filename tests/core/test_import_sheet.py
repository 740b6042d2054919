"""A downloaded case sheet brings every answer back, into a new case with a new resume code."""

from dataclasses import fields
from pathlib import Path

import pytest

from complaint.codes import case_id_for, normalise_code
from complaint.contacts import sorted_contacts
from complaint.errors import CaseSheetError, InvalidInput
from complaint.model import Case
from complaint.sheet import MAX_SHEET_BYTES, read_sheet, write_sheet
from tests.core.test_sheet import case_with_collections

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VERSIONS = (1, 2, 3, 4, 5)
NEW_CASE_FIELDS = {"code", "language", "created_at", "updated_at"}  # the new case's own


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def answers_of(case: Case) -> dict:
    return {f.name: getattr(case, f.name) for f in fields(Case) if f.name not in NEW_CASE_FIELDS}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_fixture_version_comes_back_as_a_new_case(version, store):
    data = (FIXTURES / f"case-sheet-v{version}.csv").read_bytes()
    expected = read_sheet(data)
    case = store.import_sheet(data, "en")
    assert case.case_id != expected["case_id"] and case.language == "en"
    assert files_in(store.root) == []  # nothing written until the caller saves
    for key, value in expected.items():
        if key not in ("case_id", "created_at", "updated_at", "language"):
            assert getattr(case, key) == value, key
    store.save(case, expected=None)
    again = store.load(case.code)
    assert answers_of(again) == answers_of(case)


def test_a_round_trip_through_a_download_keeps_every_answer(store):
    original = case_with_collections()
    original.statement_company = "我的陈述"
    original.extra_rows = [("trainer.note", "备注", "=1+1", "")]
    data = store.save(original)
    case = store.import_sheet(data, "zh")
    assert case.code != original.code and not store.path_for(case.code).exists()
    for record in (r for item in case.evidence.values() for r in item.files):
        assert record.kept is False  # the copy stays with the old case; the fingerprint comes along
    for item in original.evidence.values():
        for record in item.files:
            record.kept = False
    original.contacts = sorted_contacts(original.contacts)  # a sheet lists them oldest first
    assert answers_of(case) == answers_of(original)


def test_the_case_id_in_a_sheet_opens_nothing(store):
    original = case_with_collections()
    store.save(original)
    with pytest.raises(InvalidInput) as refused:
        store.load(original.case_id)
    assert refused.value.key == "code.is_case_id"
    with pytest.raises(InvalidInput):
        normalise_code(original.case_id.upper())


DAMAGED = {
    "empty": (b"", "sheet.not_a_case_sheet"),
    "an image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "sheet.not_text"),
    "an xlsx (zip)": (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "sheet.not_text"),
    "utf-16 text": ("key,label,value,display\r\n".encode("utf-16"), "sheet.not_text"),
    "another csv": (b"name,amount\r\nA,1\r\n", "sheet.not_a_case_sheet"),
    "a bad utf-8 with bom": (b"\xef\xbb\xbfkey,label,value\r\n\xff\xfe", "sheet.bad_encoding"),
    "huge": (b"key,label,value,display\r\n" + b"x" * MAX_SHEET_BYTES, "sheet.too_large"),
}


@pytest.mark.parametrize("name", DAMAGED)
def test_a_damaged_or_foreign_file_is_refused_and_nothing_is_written(name, store):
    data, key = DAMAGED[name]
    with pytest.raises(CaseSheetError) as refused:
        store.import_sheet(data, "zh")
    assert refused.value.key == key and files_in(store.root) == []


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_cut_off_sheet_is_refused(cut, store):
    data = write_sheet(case_with_collections())
    with pytest.raises(CaseSheetError) as refused:
        store.import_sheet(data[: int(len(data) * cut)], "zh")
    assert (
        refused.value.key in ("sheet.truncated", "sheet.malformed", "sheet.malformed_row")
        and files_in(store.root) == []
    )


def test_a_sheet_re_saved_as_gb18030_comes_back(store):
    original = case_with_collections()
    text = write_sheet(original).decode("utf-8-sig")
    case = store.import_sheet(text.encode("gb18030"), "zh")
    assert case.description == original.description and case.case_id != case_id_for(original.code)
