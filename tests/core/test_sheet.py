"""The case-sheet CSV: exact round-trips, Excel-safe cells, clear errors for bad sheets."""

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint.errors import CaseSheetError
from complaint.model import Case, Contact, EvidenceFile, EvidenceItem
from complaint.sheet import FORMAT_VERSION, escape_cell, read_sheet, unescape_cell, write_sheet
from complaint.validation import clean_text

TRICKY_TEXTS = [
    "转账后钱没有到账,客服说“处理中”。",
    "=1+1",
    "-5",
    "+86 138 0013 8000",
    "@SUM(A1:A2)",
    "'=already quoted",
    "''=twice",
    'He said "refund" twice, then: "no".',
    "line one\nline two\n\nline four",
    "emoji 🙂💸 and 中文",
    '=HYPERLINK("http://evil.example","click")',
    "\tstarts with tab",
]


def full_case(text: str = "原文") -> Case:
    """A case as the UI would hold it: free text already cleaned the way the UI cleans it."""
    text = clean_text(text, 2000, multiline=True)
    return Case(
        language="zh",
        created_at=datetime(2026, 11, 20, 8, 30, tzinfo=UTC),
        updated_at=datetime(2026, 11, 21, 9, 45, tzinfo=UTC),
        problem="other",
        problem_other=text.replace("\n", " ")[:100],
        provider="jd",
        event_date=date(2026, 11, 18),
        amount=Decimal("1234.50"),
        currency="CNY",
        transaction_id="T2026-0001",
        account_last4="7890",
        description=text,
        goal="refund",
        goal_details=text,
    )


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def loaded(case: Case) -> Case:
    answers = read_sheet(write_sheet(case))
    answers.pop("case_id")
    return Case(code=case.code, **answers)


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_round_trip_is_exact(text):
    case = full_case(text)
    assert loaded(case) == case


def test_file_is_utf8_with_bom_and_has_header_version_and_end():
    data = write_sheet(full_case())
    assert data.startswith(b"\xef\xbb\xbf")
    table = rows(data)
    assert table[0] == ["key", "label", "value", "display"]
    assert table[1][0] == "format_version" and table[1][2] == str(FORMAT_VERSION)
    assert table[-1][0] == "end_of_sheet"


def test_labels_follow_the_case_language_and_choices_show_their_label():
    zh = {r[0]: r for r in rows(write_sheet(full_case()))}
    assert zh["problem"][1] == "问题类型" and zh["provider"][3] == "京东钱包（京东数字钱包）"
    english = full_case()
    english.language = "en"
    en = {r[0]: r for r in rows(write_sheet(english))}
    assert en["problem"][1] == "Kind of problem" and en["goal"][3] == "A refund / get my money back"


def test_formula_cells_are_neutralised_but_numbers_stay_numbers():
    case = full_case("=1+1")
    table = {r[0]: r for r in rows(write_sheet(case))}
    assert table["description"][2] == "'=1+1"
    assert table["amount"][2] == "1234.50"
    for row in rows(write_sheet(full_case("-5"))):
        for cell in row:  # the one formula a sheet holds: a constant text of digits (version 6)
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r") or re.fullmatch(
                r'="[0-9]+"', cell
            ), row


def test_the_resume_code_is_never_written():
    case = full_case()
    data = write_sheet(case)
    assert case.code.encode() not in data
    assert case.case_id.encode() in data


@given(st.text())
def test_escaping_is_reversed_exactly(text):
    assert unescape_cell(escape_cell(text)) == text


@given(st.text())
def test_escaped_cells_never_start_a_formula(text):
    assert escape_cell(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


# ---- sheets that cannot be read: a clear error key, never another exception -----------------


def sheet_error(data: bytes) -> str:
    with pytest.raises(CaseSheetError) as caught:
        read_sheet(data)
    return caught.value.key


def test_truncated_sheet():
    data = write_sheet(full_case("a long description " * 20))
    for cut in (len(data) // 3, len(data) // 2, len(data) - 20):
        assert sheet_error(data[:cut]) in {
            "sheet.truncated",
            "sheet.malformed",
            "sheet.malformed_row",
        }


def test_empty_and_foreign_files():
    assert sheet_error(b"") == "sheet.not_a_case_sheet"
    assert (
        sheet_error(b"Date received,Product\n9/8/19,Money transfer\n") == "sheet.not_a_case_sheet"
    )
    assert sheet_error(b"\x89PNG\r\n\x1a\n\x00\x00") == "sheet.not_text"


def test_wrong_encoding_that_is_not_gbk():
    assert sheet_error(b"key,label,value\n\xff\xfe\xfa\xfb") == "sheet.bad_encoding"


def test_sheet_resaved_as_gbk_by_excel_still_loads():
    case = full_case("钱没有到账")
    text = write_sheet(case).decode("utf-8-sig")
    answers = read_sheet(text.encode("gb18030"))
    assert answers["description"] == "钱没有到账"


def test_sheet_without_bom_still_loads():
    data = write_sheet(full_case())
    assert read_sheet(data[3:])["provider"] == "jd"


def test_newer_format_version_is_refused():
    text = (
        write_sheet(full_case())
        .decode("utf-8-sig")
        .replace(
            f"format_version,表格格式版本,{FORMAT_VERSION}",
            f"format_version,表格格式版本,{FORMAT_VERSION + 1}",
        )
    )
    assert sheet_error(text.encode("utf-8")) == "sheet.newer_version"


def test_hand_edited_bad_values_name_the_row():
    text = write_sheet(full_case()).decode("utf-8-sig")
    with pytest.raises(CaseSheetError) as caught:
        read_sheet(text.replace("2026-11-18", "2026-13-45").encode())
    assert caught.value.key == "sheet.bad_value" and caught.value.params["field"] == "event_date"
    assert caught.value.params["row"] > 1
    assert sheet_error(text.replace(",jd,", ",jdx,").encode()) == "sheet.bad_value"
    assert sheet_error(text.replace("1234.50", "lots").encode()) == "sheet.bad_value"
    assert (
        sheet_error(text.replace('"=""7890"""', '"=""6222021234567890"""').encode())
        == "sheet.bad_value"
    )


def test_duplicate_rows_are_refused():
    text = write_sheet(full_case()).decode("utf-8-sig")
    lines = text.split("\r\n")
    duplicated = "\r\n".join(lines[:8] + [lines[7]] + lines[8:])
    assert sheet_error(duplicated.encode()) == "sheet.duplicate_key"


def test_unbalanced_quotes():
    text = write_sheet(full_case()).decode("utf-8-sig")
    assert (
        sheet_error((text.replace("end_of_sheet", '"end_of_sheet')).encode()) == "sheet.malformed"
    )


def test_blank_lines_and_unknown_rows_from_hand_editing_are_tolerated():
    text = write_sheet(full_case()).decode("utf-8-sig")
    edited = text.replace(
        "\r\nend_of_sheet", "\r\n\r\nmy_note,My note,hello,\r\n,,,\r\nend_of_sheet"
    )
    assert read_sheet(edited.encode())["provider"] == "jd"


def test_ids_that_spreadsheets_would_mangle_are_shown_as_text():
    case = full_case()
    case.transaction_id = "4200001234202611251234567890"  # 28 digits, like a WeChat Pay id
    case.account_last4 = "0123"
    table = {r[0]: r for r in rows(write_sheet(case))}
    assert (
        table["transaction_id"][2] == '="4200001234202611251234567890"'
    )  # a spreadsheet shows it as text
    assert table["account_last4"][2] == '="0123"'
    assert table["transaction_id"][3] == "4200 0012 3420 2611 2512 3456 7890"
    assert table["account_last4"][3] == "••••0123"
    assert loaded(case) == case


@pytest.mark.parametrize("version", ["0", "²", "٠", "1" * 5000, "-1", "1.0"])
def test_odd_format_versions_are_refused_cleanly(version):
    text = (
        write_sheet(full_case())
        .decode("utf-8-sig")
        .replace(
            f"format_version,表格格式版本,{FORMAT_VERSION}",
            f"format_version,表格格式版本,{version}",
        )
    )
    assert sheet_error(text.encode()) == "sheet.not_a_case_sheet"


@pytest.mark.parametrize("stamp", ["2026-11-20T08:30:00", "0001-01-01T00:00:00+14:00", "yesterday"])
def test_save_times_must_be_zoned_and_plausible(stamp):
    text = write_sheet(full_case()).decode("utf-8-sig").replace("2026-11-20T08:30:00+00:00", stamp)
    assert sheet_error(text.encode()) == "sheet.bad_value"


# ---- format version 2: evidence, channels, contacts -----------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def case_with_collections() -> Case:
    case = full_case("原文")
    case.problem = "funds_not_arriving"
    case.evidence = {
        "transaction_record": EvidenceItem(
            status="have",
            note="=账单页截图",
            files=[
                EvidenceFile(
                    "账单.png",
                    12345,
                    "image/png",
                    datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC),
                    "a" * 64,
                    kept=True,
                ),
                EvidenceFile(
                    "receipt.pdf",
                    1,
                    "application/pdf",
                    datetime(2026, 11, 21, 1, 2, 3, tzinfo=UTC),
                    "b" * 64,
                ),
            ],
        ),
        "transfer_receipt": EvidenceItem(status="need"),
        "timeline": EvidenceItem(status="na", note="-"),
    }
    case.channels_tried = ["official_online", "hotline"]
    case.contacts = [
        Contact(
            when=datetime(2026, 11, 20 - (n % 5), 9 + n % 8, 30),
            channel=("online_chat", "phone_hotline", "email", "regulator")[n % 4],
            agent=f"客服 {n} 号",
            reference=f"=T{n}" if n % 3 == 0 else f"-{n}",
            asked="退款 888 元\n第二行",
            offered='"核实后退回"',
            promised="@48 小时内回电",
            promised_by=date(2026, 11, 22) if n % 2 else None,
            outcome=("pending", "refused", "", "resolved")[n % 4],
        )
        for n in range(25)
    ]
    return case


def test_version_2_round_trip_with_many_contacts_and_files():
    from complaint.contacts import sorted_contacts

    case = case_with_collections()
    again = loaded(case)
    assert again.evidence == case.evidence
    assert again.channels_tried == case.channels_tried
    assert again.contacts == sorted_contacts(case.contacts)
    table = {r[0]: r for r in rows(write_sheet(case))}
    assert table["contact.1.reference"][2].startswith("'")  # formula-looking text is neutralised
    assert table["evidence.transaction_record.file.1.sha256"][2] == "a" * 64
    assert table["evidence.transaction_record.status"][3] == "已有"
    assert table["channel.hotline.tried"][2:] == ["yes", "是"]
    assert table["channel.social_media.tried"][2] == "no"


def test_every_checklist_item_of_the_problem_is_listed_even_unanswered():
    from complaint.catalog import load_catalog

    table = {r[0] for r in rows(write_sheet(full_case()))}
    for item in load_catalog().evidence_for("other"):
        assert f"evidence.{item.id}.status" in table


def test_a_version_1_sheet_still_loads():
    answers = read_sheet((FIXTURES / "case-sheet-v1.csv").read_bytes())
    assert answers["case_id"] == "6f029cf2d9c5a584af6ce166"
    assert answers["transaction_id"] == "=2026111900001"
    assert answers["amount"] == Decimal("888.00")
    assert answers["description"].endswith("第二天仍未到账。")
    assert (
        answers["evidence"] == {} and answers["contacts"] == [] and answers["channels_tried"] == []
    )
    assert answers["extra_rows"] == []


def with_value(data: bytes, key: str, value: str) -> bytes:
    """The sheet with the value cell of ``key`` replaced, as a hand edit would."""
    table = rows(data)
    assert any(row[0] == key for row in table), key
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [[r[0], r[1], value, r[3]] if r[0] == key else r for r in table]
    )
    return buffer.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize(
    "key, value",
    [
        ("evidence.transaction_record.file.1.sha256", "not-a-hash"),
        ("evidence.transaction_record.file.1.size", "lots"),
        ("evidence.transaction_record.file.2.type", "x" * 200),
        ("evidence.transaction_record.file.1.kept", "maybe"),
        ("evidence.transaction_record.file.1.uploaded_at", "2026-11-20T01:02:03"),
        ("evidence.transfer_receipt.status", "sort of"),
        ("channel.hotline.tried", "perhaps"),
        ("contact.2.promised_by", "2026-02-30"),
        ("contact.1.when", "2026-11-20T09:30+08:00"),
        ("contact.3.channel", "fax"),
        ("contact.1.outcome", "maybe"),
        ("contact.1.agent", "x" * 101),
    ],
)
def test_bad_values_in_version_2_rows_are_refused(key, value):
    assert (
        sheet_error(with_value(write_sheet(case_with_collections()), key, value))
        == "sheet.bad_value"
    )


def test_a_file_record_with_a_missing_part_is_refused():
    text = write_sheet(case_with_collections()).decode("utf-8-sig")
    lines = [
        line
        for line in text.split("\r\n")
        if not line.startswith("evidence.transaction_record.file.2.sha256")
    ]
    assert sheet_error("\r\n".join(lines).encode()) == "sheet.bad_value"


# ---- format version 3: the security self-audit ------------------------------------------------


def test_audit_round_trip_keeps_answers_and_writes_score_and_actions():
    from complaint.model import AuditAnswers

    case = full_case()
    case.audit = AuditAnswers(
        answers={"two_factor": "sms", "unique_password": "no"},
        password_score=2,
        phishing={"lookalike_domain": "safe"},
    )
    again = loaded(case)
    assert again.audit == case.audit
    table = {r[0]: r for r in rows(write_sheet(case))}
    assert (
        table["audit.two_factor"][2] == "sms" and table["audit.two_factor"][3] == "只有短信验证码"
    )
    assert table["audit.password_score"][2] == "2"
    assert table["audit.phishing.lookalike_domain"][3].endswith("答错了")
    assert table["audit.action.1"][2] == "change_reused_password"
    assert int(table["audit.score"][2]) < 50


def test_a_hand_edited_score_cannot_disagree_with_the_answers():
    case = full_case()
    case.audit.answers["two_factor"] = "none"
    data = with_value(write_sheet(case), "audit.score", "100")
    answers = read_sheet(data)
    answers.pop("case_id")
    again = Case(code=case.code, **answers)
    assert {r[0]: r for r in rows(write_sheet(again))}["audit.score"][2] != "100"


@pytest.mark.parametrize(
    "key, value",
    [
        ("audit.two_factor", "carrier pigeon"),
        ("audit.password_score", "5"),
        ("audit.phishing.lookalike_domain", "maybe"),
    ],
)
def test_bad_audit_values_are_refused(key, value):
    assert sheet_error(with_value(write_sheet(full_case()), key, value)) == "sheet.bad_value"


def test_a_version_2_sheet_still_loads():
    answers = read_sheet((FIXTURES / "case-sheet-v2.csv").read_bytes())
    assert answers["case_id"] == "c581a81be6d7d5c0d18b0fd8"
    assert answers["evidence"]["lock_notice"].note == "=screenshot of the notice"
    assert answers["evidence"]["lock_notice"].files[0].sha256 == "c" * 64
    assert answers["contacts"][0].reference == "-R1"
    assert answers["audit"].is_empty() and answers["extra_rows"] == []


def test_the_password_score_row_says_it_is_never_the_password():
    label = {r[0]: r for r in rows(write_sheet(full_case()))}["audit.password_score"][1]
    assert "不含密码本身" in label


def test_a_hand_edited_file_name_is_cleaned_not_fatal():
    data = with_value(
        write_sheet(case_with_collections()),
        "evidence.transaction_record.file.1.name",
        "../../账单.png",
    )
    assert read_sheet(data)["evidence"]["transaction_record"].files[0].name == "账单.png"


def test_unknown_parts_of_known_groups_are_kept_as_extra_rows():
    text = write_sheet(case_with_collections()).decode("utf-8-sig")
    added = "contact.1.note,My note,call back,\r\nevidence.transaction_record.file.1.comment,Comment,blurry,\r\nend_of_sheet"
    answers = read_sheet(text.replace("end_of_sheet", added, 1).encode("utf-8-sig"))
    assert ("contact.1.note", "My note", "call back", "") in answers["extra_rows"]
    assert ("evidence.transaction_record.file.1.comment", "Comment", "blurry", "") in answers[
        "extra_rows"
    ]
    assert len(answers["contacts"]) == 25


# ---- format version 4: escalation and statements ------------------------------------------------


def test_escalation_and_statements_round_trip():
    case = full_case()
    case.escalation.jurisdiction = "us"
    case.escalation.fraud = True
    case.escalation.filed = {"company": date(2026, 11, 21), "regulator": date(2026, 11, 24)}
    case.escalation.handling = {"received": date(2026, 11, 20), "proposed": date(2026, 11, 22)}
    case.escalation.your_name, case.escalation.your_address = (
        "=张伟",
        "北京市\n某路 1 号".replace("\n", " "),
    )
    case.statement_company = "致京东：\n=请退款。"
    again = loaded(case)
    assert again.escalation == case.escalation and again.statement_company == case.statement_company
    table = {r[0]: r for r in rows(write_sheet(case))}
    assert (
        table["escalation.jurisdiction"][3] == "美国"
        and table["escalation.your_name"][2] == "'=张伟"
    )
    assert table["escalation.next"][2] == "mediation"
    assert "statement.regulator" not in table  # not edited: generated when needed, not stored


@pytest.mark.parametrize(
    "key, value",
    [
        ("escalation.jurisdiction", "atlantis"),
        ("escalation.fraud", "sometimes"),
        ("escalation.filed.company", "2026-02-30"),
        ("handling.received", "soon"),
    ],
)
def test_bad_escalation_values_are_refused(key, value):
    case = full_case()
    case.escalation.filed = {"company": date(2026, 11, 21)}
    case.escalation.handling = {"received": date(2026, 11, 20)}
    assert sheet_error(with_value(write_sheet(case), key, value)) == "sheet.bad_value"


def test_a_version_3_sheet_still_loads():
    answers = read_sheet((FIXTURES / "case-sheet-v3.csv").read_bytes())
    assert (
        answers["audit"].answers == {"two_factor": "sms", "unique_password": "unsure"}
        and answers["audit"].password_score == 2
    )
    assert answers["escalation"].jurisdiction == "cn" and answers.get("statement_company", "") == ""
    assert answers["extra_rows"] == []


@pytest.mark.parametrize("version", range(1, FORMAT_VERSION))
def test_every_older_fixture_loads_and_saves_as_the_current_version(version, store):
    data = (FIXTURES / f"case-sheet-v{version}.csv").read_bytes()
    answers = read_sheet(data)
    answers.pop("case_id")
    case = Case(code="0000000000000000", **answers)
    assert rows(write_sheet(case))[1][2] == str(FORMAT_VERSION)


def test_an_implausible_year_in_a_hand_edited_date_is_refused():
    case = full_case()
    case.escalation.filed = {"company": date(2026, 11, 21)}
    assert (
        sheet_error(with_value(write_sheet(case), "escalation.filed.company", "9999-12-31"))
        == "sheet.bad_value"
    )


def test_the_derived_next_step_and_every_figure_say_how_sure_they_are(monkeypatch):
    from complaint import clock
    from complaint.model import Contact

    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 26))
    case = full_case()
    case.problem = "funds_not_arriving"
    case.contacts = [Contact(when=datetime(2026, 11, 25, 10, 0), channel="online_chat")]
    case.escalation.filed = {"company": date(2026, 11, 25)}
    by_key = {r[0]: r for r in rows(write_sheet(case))}
    row = by_key["escalation.next"]
    assert row[2] == "regulator" and row[3].endswith(
        "2026年12月2日"
    )  # the statement's own 7 days: no unconfirmed figure
    figure = by_key["escalation.figure.payment_company_forwarded"]
    assert (
        figure[2] == "15"
        and "（待核实）" in figure[3]
        and "据二手资料，条文待核，2026-11-29核对" in figure[3]
    )
    assert (
        read_sheet(write_sheet(case))["extra_rows"] == []
    )  # derived rows are recomputed, never kept as extras


def test_the_derived_next_step_reads_now_once_its_date_has_passed(monkeypatch):
    # The escalation step says "go now"; the sheet and the review must not show a past date.
    from complaint import clock
    from complaint.model import Contact

    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 20))
    case = full_case()
    case.problem = "funds_not_arriving"
    case.contacts = [
        Contact(when=datetime(2026, 11, 12, 10, 0), channel="online_chat", outcome="refused")
    ]
    row = {r[0]: r for r in rows(write_sheet(case))}["escalation.next"]
    assert row[2] == "regulator" and row[3].endswith("现在就可以去") and "11月12日" not in row[3]


def test_a_version_4_sheet_still_loads():
    answers = read_sheet((FIXTURES / "case-sheet-v4.csv").read_bytes())
    assert answers["case_id"] == "fbd73659a47873a71985d0d9" and answers["practice"] == ""
    assert answers["statement_company"] == "To Alipay: I want my 10% cashback."
    assert (
        answers["escalation"].filed == {"company": date(2026, 11, 21)}
        and answers["extra_rows"] == []
    )


def test_a_practice_marker_must_look_like_a_scenario_id():
    case = full_case()
    assert sheet_error(with_value(write_sheet(case), "practice", "../../x")) == "sheet.bad_value"
