"""Exports of a whole workshop; the anonymised ones keep no personal detail (tested on a seeded case)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

from complaint.codes import participant_number
from complaint.export import SheetFile, case_table_csv, combined_csv, is_anonymous_key, sheets_zip
from complaint.sheet import read_sheet, sheet_rows
from complaint.trainer.index import CaseIndex
from tests.seeded import PERSONAL, seeded_case


@pytest.fixture
def sheets(store, today):
    seeded = seeded_case(store.new_case("en"))
    store.save(seeded)
    plain = store.new_case("zh")
    plain.problem, plain.description = "account_locked", "账户被冻结"
    store.save(plain)
    (store.root / "0123456789abcdef01234567.csv").write_bytes(
        b"key,label,value,display\r\nformat_version,,5,\r\n"
    )  # truncated
    files = [SheetFile(p.name, "", p.read_bytes()) for p in sorted(store.root.glob("*.csv"))]
    return files, seeded


def everything_in(data: bytes) -> str:
    """All text an export carries, ZIP members included."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8-sig") + name for name in archive.namelist()
            )
    return data.decode("utf-8-sig")


#: Case ids and fingerprints (hex with at least one letter): random, so one may hold "4417" by
#: chance; a number of digits only, like a leaked phone number, is not one of them.
HEX_TOKEN = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b")


def assert_no_personal_detail(text: str) -> None:
    leaked = {field: value for field, value in PERSONAL.items() if value in text}
    assert leaked == {}
    digits = HEX_TOKEN.sub("", text)
    assert (
        "4417" not in digits and "12345678" not in digits
    )  # parts of the transaction and phone numbers


def test_the_plain_exports_carry_everything_so_the_check_can_fail(sheets):
    files, _seeded = sheets
    combined, skipped = combined_csv(files, anonymise=False)
    text = everything_in(combined)
    assert (
        all(value in text for field, value in PERSONAL.items() if field != "file_name")
        and PERSONAL["file_name"] in text
    )
    assert skipped == ["0123456789abcdef01234567.csv"]


@pytest.mark.parametrize("export", ["combined", "zip"])
def test_anonymised_exports_keep_no_personal_detail(sheets, export):
    files, seeded = sheets
    data, skipped = (combined_csv if export == "combined" else sheets_zip)(files, anonymise=True)
    text = everything_in(data)
    assert_no_personal_detail(text)
    assert "funds_not_arriving" not in text and "other" in text  # the case is there, by its choices
    assert (
        seeded.case_id not in text and participant_number(seeded.case_id) not in text
    )  # not joinable to the participant's file
    assert (
        "1280.50" in text and "2026-11-20" in text and "sms" in text
    )  # amounts, dates, audit answers stay
    assert skipped == ["0123456789abcdef01234567.csv"]


def test_an_anonymised_sheet_is_still_a_case_sheet(sheets):
    files, seeded = sheets
    data, _ = sheets_zip(files, anonymise=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (name,) = [name for name in archive.namelist() if b"1280.50" in archive.read(name)]
        answers = read_sheet(archive.read(name))
    assert (
        answers["case_id"] == name.removesuffix(".csv") != seeded.case_id
    )  # named by its new id, inside and out
    assert (
        answers["problem"] == "other"
        and answers["problem_other"] == ""
        and answers["description"] == ""
    )
    assert answers["contacts"][0].outcome == "pending" and answers["contacts"][0].agent == ""
    assert (
        answers["evidence"]["transaction_record"].status == "have"
        and answers["evidence"]["transaction_record"].files == []
    )


def test_the_plain_zip_holds_the_sheets_byte_for_byte_in_participant_folders(tmp_path, store):
    case = store.new_case("zh")
    store.save(case)
    data = store.path_for(case.code).read_bytes()
    archive_bytes, skipped = sheets_zip(
        [SheetFile(f"alice/{case.case_id}.csv", "alice", data)], anonymise=False
    )
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        assert archive.read(f"alice/{case.case_id}.csv") == data
    assert skipped == []


def test_participant_names_appear_only_in_plain_exports(store, today):
    case = store.new_case("en")
    store.save(case)
    sheet = SheetFile(
        f"{case.case_id}.csv", "participant-Zq77", store.path_for(case.code).read_bytes()
    )
    assert "participant-Zq77" in combined_csv([sheet], anonymise=False)[0].decode("utf-8-sig")
    assert "participant-Zq77" not in combined_csv([sheet], anonymise=True)[0].decode("utf-8-sig")
    summaries = CaseIndex(store.root.parent, today=today, index_file=None).refresh().cases
    assert (
        "participant"
        not in case_table_csv(summaries, anonymise=True).decode("utf-8-sig").splitlines()[0]
    )


def test_every_key_a_sheet_can_have_is_classified(store):
    """A new free-text field must be decided on: this lists the keys the anonymiser keeps."""
    case = seeded_case(store.new_case("en"))
    kept = sorted(key for key, *_ in sheet_rows(case) if is_anonymous_key(key))
    dropped = sorted(key for key, *_ in sheet_rows(case) if not is_anonymous_key(key))
    notes = [key for key in dropped if key.startswith("evidence.") and key.endswith(".note")]
    assert "evidence.transaction_record.note" in notes and len(notes) >= 3  # one per checklist item
    assert sorted(set(dropped) - set(notes)) == sorted(
        [
            "problem_other",
            "provider_other",
            "transaction_id",
            "account_last4",
            "description",
            "goal_other",
            "goal_details",
            *(
                f"evidence.transaction_record.file.1.{part}"
                for part in ("name", "size", "type", "uploaded_at", "sha256", "kept")
            ),
            *(
                f"contact.1.{part}"
                for part in ("agent", "reference", "asked", "offered", "promised")
            ),
            "escalation.your_name",
            "escalation.your_phone",
            "escalation.your_address",
            "escalation.company_address",
            "statement.company",
            "statement.regulator",
            "note.trainer",
            "participant_label",
        ]
    )
    assert "problem" in kept and "contact.1.outcome" in kept and "audit.two_factor" in kept


def test_exports_are_formula_safe_utf8_with_bom(store):
    case = store.new_case("en")
    case.description = '=HYPERLINK("http://x")'
    case.extra_rows = [("=cmd|' /C calc'!A0", "label", "+1+1", "")]
    store.save(case)
    data, _ = combined_csv(
        [SheetFile(f"{case.case_id}.csv", "", store.path_for(case.code).read_bytes())],
        anonymise=False,
    )
    assert data.startswith(b"\xef\xbb\xbf")
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells if cell)


def test_the_case_table_has_one_line_per_case(store, today):
    for problem in ("account_locked", "slow_service"):
        case = store.new_case("zh")
        case.problem = problem
        store.save(case)
    summaries = CaseIndex(store.root, today=today, index_file=None).refresh().cases
    rows = list(
        csv.DictReader(io.StringIO(case_table_csv(summaries, anonymise=False).decode("utf-8-sig")))
    )
    assert sorted(row["problem"] for row in rows) == ["account_locked", "slow_service"]
    assert rows[0]["step.problem"] == "done" and rows[0]["evidence_total"] != ""


def case_ids_of(data: bytes) -> list[str]:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                read_sheet(archive.read(name))["case_id"] for name in sorted(archive.namelist())
            ]
    return [row["case_id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]


def test_anonymised_exports_rekey_case_ids_afresh_each_time_and_consistently_within_one(
    sheets, store, today
):
    files, seeded = sheets
    readable = [sheet for sheet in files if not sheet.path.startswith("0123")]
    originals = {sheet.path.removesuffix(".csv") for sheet in readable}
    summaries = CaseIndex(store.root, today=today, index_file=None).refresh().cases
    exports = [
        combined_csv(files, anonymise=True)[0],
        combined_csv(files, anonymise=True)[0],
        sheets_zip(files, anonymise=True)[0],
        case_table_csv(summaries, anonymise=True),
    ]
    seen = []
    for data in exports:
        ids = set(case_ids_of(data))
        assert (
            len(ids) == len(readable) and not ids & originals
        )  # one id per case, none of them the real one
        assert all(re.fullmatch(r"[0-9a-f]{24}", case_id) for case_id in ids)
        seen.append(ids)
    assert all(
        not a & b for n, a in enumerate(seen) for b in seen[n + 1 :]
    )  # no two exports share an id
    combined = list(csv.DictReader(io.StringIO(exports[0].decode("utf-8-sig"))))
    per_case = {
        row["case_id"] for row in combined if row["key"] == "amount" and row["value"] == "1280.50"
    }
    assert (
        len(per_case) == 1 and sum(row["case_id"] in per_case for row in combined) > 20
    )  # every row of the case, one id


def test_the_plain_table_names_participant_number_and_label(store, today):
    case = seeded_case(store.new_case("en"))
    store.save(case)
    summaries = CaseIndex(store.root, today=today, index_file=None).refresh().cases
    (row,) = csv.DictReader(
        io.StringIO(case_table_csv(summaries, anonymise=False).decode("utf-8-sig"))
    )
    assert (row["case_id"], row["participant_number"], row["participant_label"]) == (
        case.case_id,
        participant_number(case.case_id),
        PERSONAL["participant_label"],
    )
    assert (row["audit_answered"], row["audit_items"]) == ("1", "16")
    (anonymous,) = csv.DictReader(
        io.StringIO(case_table_csv(summaries, anonymise=True).decode("utf-8-sig"))
    )
    assert "participant_number" not in anonymous and "participant_label" not in anonymous
