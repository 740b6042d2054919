"""What a spreadsheet user sees: ids exactly as typed (CSV in LibreOffice, and the .xlsx), every
.xlsx cell typed, and nothing a spreadsheet would run."""

import io
import re
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint.model import Case, Contact
from complaint.sheet import read_sheet, write_sheet
from tests.core.test_sheet import case_with_collections, full_case, loaded, rows

IDS = {
    "transaction_id": "4200001234202611251234567890",  # 28 digits (WeChat Pay)
    "account_last4": "0123",
}
CONTACT_IDS = {"agent": "0079", "reference": "20261125000012345678"}


def case_with_digit_ids() -> Case:
    case = case_with_collections()
    for key, value in IDS.items():
        setattr(case, key, value)
    case.goal_details = "0042"
    case.escalation.your_phone = "13800000000"
    case.contacts = [
        Contact(
            when=datetime(2026, 11, 25, 9, 30),
            channel="phone_hotline",
            promised_by=date(2026, 11, 28),
            **CONTACT_IDS,
        )
    ]
    return case


def typed_answers(case: Case) -> dict[str, str]:
    """key -> the digit-only answer a person typed, as it must show in a spreadsheet."""
    answers = {**IDS, "goal_details": "0042", "escalation.your_phone": "13800000000"}
    answers.update({f"contact.1.{part}": value for part, value in CONTACT_IDS.items()})
    return answers


@given(st.text(alphabet="0123456789", min_size=1, max_size=40))
def test_any_digit_only_answer_round_trips_and_opens_as_text(digits):
    case = full_case()
    case.transaction_id = digits
    assert {r[0]: r for r in rows(write_sheet(case))}["transaction_id"][2] == f'="{digits}"'
    assert loaded(case).transaction_id == digits


@pytest.mark.parametrize("typed", ['="0079"', '\'="0079"', '=" 79"', "=0079", '"0079"', "'0079"])
def test_answers_that_look_like_the_encoding_round_trip_and_stay_escaped(typed):
    case = full_case()
    case.transaction_id = typed
    cell = {r[0]: r for r in rows(write_sheet(case))}["transaction_id"][2]
    assert not re.fullmatch(r'="[0-9]+"', cell)  # a person's = always gets its apostrophe
    assert loaded(case).transaction_id == typed


def test_numbers_stay_numbers():
    table = {r[0]: r[2] for r in rows(write_sheet(case_with_collections()))}
    assert table["format_version"] == "6" and table["amount"] == "1234.50"
    assert table["evidence.transaction_record.file.1.size"] == "12345"


def test_a_version_5_sheet_with_digit_ids_reads_exactly():
    from tests.core.test_sheet import FIXTURES

    answers = read_sheet((FIXTURES / "case-sheet-v5.csv").read_bytes())
    assert (
        answers["transaction_id"] == "4200001234202611240123456789"
        and answers["account_last4"] == "0123"
    )
    assert (answers["contacts"][0].agent, answers["contacts"][0].reference) == (
        "0079",
        "20261125000012345678",
    )
    assert (
        answers["goal_details"] == "0079"
        and answers["evidence"]["transaction_record"].note == "00123"
    )


# ---- the .xlsx download --------------------------------------------------------------------


def xlsx_values(data: bytes) -> dict[str, object]:
    table = openpyxl.load_workbook(io.BytesIO(data)).active
    return {row[0].value: row[2] for row in table.iter_rows(min_row=2)}


def test_the_xlsx_is_typed():
    from complaint.xlsx import sheet_xlsx

    case = case_with_digit_ids()
    cells = xlsx_values(sheet_xlsx(case))
    for key, typed in typed_answers(case).items():
        assert cells[key].value == typed and cells[key].data_type == "s", key
    assert (
        cells["amount"].value == 1234.5
        and cells["amount"].data_type == "n"
        and cells["amount"].number_format == "0.00"
    )
    assert (
        cells["format_version"].value == 6
        and cells["evidence.transaction_record.file.1.size"].value == 12345
    )
    assert cells["event_date"].value == datetime(2026, 11, 18) and cells["event_date"].is_date
    assert (
        cells["contact.1.promised_by"].value == datetime(2026, 11, 28)
        and cells["contact.1.promised_by"].is_date
    )
    assert (
        cells["contact.1.when"].value == datetime(2026, 11, 25, 9, 30)
        and cells["contact.1.when"].is_date
    )
    assert (
        cells["created_at"].value == datetime(2026, 11, 20, 8, 30) and cells["created_at"].is_date
    )
    assert cells["evidence.transaction_record.file.1.uploaded_at"].is_date
    assert "end_of_sheet" in cells


def test_the_xlsx_never_holds_a_formula():
    from complaint.xlsx import sheet_xlsx

    case = case_with_digit_ids()
    case.description = '=HYPERLINK("http://evil.example","click")'
    case.goal_details = "+86 138 0000 0000"
    case.extra_rows = [("trainer.note", "=cmd|' /C calc'!A0", "@SUM(1)", "-1")]
    table = openpyxl.load_workbook(io.BytesIO(sheet_xlsx(case))).active
    cells = [cell for row in table.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    by_value = {cell.value: cell for cell in cells}
    for text in (case.description, case.goal_details, "=cmd|' /C calc'!A0", "@SUM(1)", "-1"):
        assert by_value[text].data_type == "s" and by_value[text].quotePrefix, text


def test_the_xlsx_follows_the_cases_language():
    from complaint.xlsx import sheet_xlsx

    case = full_case()
    book = openpyxl.load_workbook(io.BytesIO(sheet_xlsx(case)))
    assert book.active.title == "投诉记录表" and book.active["B3"].value == "投诉编号"


# ---- LibreOffice Calc, as a spreadsheet user opens the CSV -----------------------------------


@pytest.mark.system
def test_libreoffice_opens_every_digit_only_id_exactly_as_typed(tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc is missing: `make spreadsheet` installs it (make test does)"
    case = case_with_digit_ids()
    case.description = '=HYPERLINK("http://evil.example","click")'
    sheet = tmp_path / "case-sheet.csv"
    sheet.write_bytes(write_sheet(case))
    # 44: comma, 34: double quote, 76: UTF-8, 1: from row 1 (what the import dialog offers for a
    # file with a BOM); the other options are LibreOffice's defaults, formulas evaluated.
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(sheet),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    values = openpyxl.load_workbook(tmp_path / "case-sheet.xlsx", data_only=True).active
    shown = {row[0].value: row[2].value for row in values.iter_rows(min_row=2)}
    for key, typed in typed_answers(case).items():
        assert shown[key] == typed, (key, shown[key])
    assert shown["amount"] == 1234.5  # a number stays a number
    formulas = [
        c.value
        for row in openpyxl.load_workbook(tmp_path / "case-sheet.xlsx").active.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas and all(
        re.fullmatch(r'="[0-9]+"', f) for f in formulas
    )  # the constants, nothing else runs
    assert shown["description"] == "'" + case.description  # the escaped text is shown, not run


def test_the_documented_pandas_snippet_reads_every_version(tmp_path):
    """docs/case-sheet.md's snippet, run as written (only the folder changed), on sheets of
    every version: the v6 ids come back as typed."""
    from pathlib import Path

    from tests.core.test_sheet import FIXTURES

    docs = (Path(__file__).resolve().parents[2] / "docs" / "case-sheet.md").read_text(
        encoding="utf-8"
    )
    snippet = re.search(r"## Reading sheets with pandas.*?```python\n(.*?)```", docs, re.S).group(1)
    assert 'folder = Path("data/cases")' in snippet
    for version in range(1, 6):
        shutil.copy(FIXTURES / f"case-sheet-v{version}.csv", tmp_path / f"v{version}.csv")
    case = case_with_digit_ids()
    (tmp_path / "v6.csv").write_bytes(write_sheet(case))
    (tmp_path / "v6-gb18030.csv").write_bytes(
        write_sheet(case).decode("utf-8-sig").encode("gb18030")
    )
    namespace: dict = {}
    exec(snippet.replace('Path("data/cases")', f"Path({str(tmp_path)!r})"), namespace)
    cases = namespace["cases"]
    assert len(cases) == 7
    mine = cases.loc[case.case_id]  # the UTF-8 sheet and its GB18030 copy
    assert (
        len(mine) == 2
        and (mine["transaction_id"] == IDS["transaction_id"]).all()
        and (mine["account_last4"] == "0123").all()
    )
    assert (mine["contact.1.agent"] == "0079").all() and (mine["goal_details"] == "0042").all()
    assert (
        cases.loc["9a3631f38c5a7d1e855f25b5", "contact.1.reference"] == "20261125000012345678"
    )  # the v5 fixture


def test_the_documented_complaint_analysis_example_reads_every_version(tmp_path, capsys):
    """docs/case-sheet.md's complaint.analysis example, run as written (only the folder changed), on
    sheets of every version named as the workbook names them."""
    from pathlib import Path

    from tests.core.test_sheet import FIXTURES

    docs = (Path(__file__).resolve().parents[2] / "docs" / "case-sheet.md").read_text(
        encoding="utf-8"
    )
    example = re.search(r"### With the workbook installed.*?```python\n(.*?)```", docs, re.S).group(
        1
    )
    assert 'tables("data/cases"' in example
    case_ids = {}
    for version in range(1, 6):
        data = (FIXTURES / f"case-sheet-v{version}.csv").read_bytes()
        case_ids[version] = read_sheet(data)["case_id"]
        (tmp_path / f"{case_ids[version]}.csv").write_bytes(data)
    case = case_with_digit_ids()
    (tmp_path / f"{case.case_id}.csv").write_bytes(write_sheet(case))
    (tmp_path / ("e" * 24 + ".csv")).write_bytes(
        b"key,label,value,display\r\nformat_version,,99,\r\n"
    )
    namespace: dict = {}
    exec(example.replace('tables("data/cases"', f"tables({str(tmp_path)!r}"), namespace)
    cases, answers = namespace["cases"], namespace["answers"]
    assert sorted(cases["case_id"]) == sorted([*case_ids.values(), case.case_id])
    mine = answers[answers["case_id"] == case.case_id].set_index("key")["value"]
    assert mine["transaction_id"] == IDS["transaction_id"] and mine["contact.1.agent"] == "0079"
    assert [p.path for p in namespace["workshop"].unreadable] == ["e" * 24 + ".csv"]
    assert "e" * 24 + ".csv" in capsys.readouterr().out
