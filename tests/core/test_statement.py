"""The complaint statement against golden files (tests/golden/), in both languages, for both
audiences. After an intended change: UPDATE_GOLDEN=1 pytest tests/core/test_statement.py,
then read the diff of tests/golden/ before committing it."""

import os
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from complaint.model import Case, Contact, EvidenceItem
from complaint.presentation import long_date
from complaint.statement import compose, samr_form_summary, statement_for

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
TODAY = date(2026, 11, 25)


def golden_case() -> Case:
    case = Case(
        problem="funds_not_arriving",
        provider="jd",
        event_date=date(2026, 11, 20),
        amount=Decimal("888.00"),
        transaction_id="T2026112000001",
        account_last4="4321",
        goal="refund",
        description="我向商家转账 888 元，App 显示成功，商家说没有收到。",
        goal_details="请把 888 元退回我的原支付账户。",
    )
    case.evidence = {
        "transaction_record": EvidenceItem(status="have"),
        "service_chat": EvidenceItem(status="have"),
        "timeline": EvidenceItem(status="need"),
    }
    case.contacts = [
        Contact(
            when=datetime(2026, 11, 21, 10, 0),
            channel="online_chat",
            agent="客服 8823",
            reference="C-1001",
            promised="48 小时内回复",
            promised_by=date(2026, 11, 23),
            outcome="pending",
        ),
        Contact(
            when=datetime(2026, 11, 24, 9, 30),
            channel="phone_hotline",
            agent="Li",
            outcome="no_response",
        ),
    ]
    case.escalation.your_name, case.escalation.your_phone = "张伟", "138 0000 0000"
    return case


@pytest.mark.parametrize("audience", ["company", "regulator"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_statement_matches_its_golden_file(audience, language):
    text = compose(golden_case(), audience, language, TODAY)
    path = GOLDEN / f"statement-{audience}-{language}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_the_statement_has_the_facts_the_article_asks_for():
    text = compose(golden_case(), "company", "zh", TODAY)
    for fact in (
        "资金不到账",
        "2026年11月20日",
        "人民币888.00元",
        "T2026112000001",
        "C-1001",
        "交易记录",
        "退款",
        "2026年12月2日",
    ):
        assert fact in text, fact
    regulator = compose(golden_case(), "regulator", "en", TODAY)
    assert (
        "promised to act by 23 November 2026 but did not" in regulator
        and "Complainant: 张伟; phone: 138 0000 0000." in regulator
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_12315_summary_matches_its_golden_file(language):
    text = samr_form_summary(golden_case(), language, TODAY)
    path = GOLDEN / f"summary-12315-{language}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_the_12315_summary_lists_the_art_9_items_in_the_forms_order():
    lines = samr_form_summary(golden_case(), "zh", TODAY).splitlines()
    labels = [line.split("：", 1)[0] for line in lines]
    assert labels == [
        "投诉人姓名",
        "电话号码",
        "通讯地址",
        "被投诉人名称",
        "被投诉人地址",
        "投诉请求",
        "争议事实",
    ]
    assert (
        lines[2] == "通讯地址：（未填写）"
    )  # a missing item is shown, not dropped: the form needs it


def test_the_regulator_letter_is_one_a_regulator_accepts():
    zh = compose(golden_case(), "regulator", "zh", TODAY)
    assert zh.startswith(
        "致中国人民银行××分行：\n"
    )  # the competent branch; the user fills in the place
    assert "12363" not in zh.splitlines()[0]  # not addressed to a phone number
    assert (
        "被投诉机构：网银在线（北京）支付科技有限公司" in zh
    )  # the licensed entity, not only the brand
    assert "请依法督促网银在线（北京）支付科技有限公司" in zh
    assert "附件：证据清单\n1. 交易记录 / 账单截图\n2. 与客服的聊天记录或邮件" in zh
    assert (
        re.search(r"(?<!-) \d{4}年|\d日 (?!\d{2}:\d{2})", zh) is None
    )  # no spaces around dates (only before a time)
    assert "2026-11" not in zh  # one date format throughout
    en = compose(golden_case(), "regulator", "en", TODAY)
    assert en.startswith("To the People's Bank of China, ×× Branch:")
    assert "Attachments: list of evidence" in en


def test_amounts_are_written_as_a_letter_writes_them():
    case = golden_case()
    case.amount = Decimal("2000")
    assert "涉及金额：人民币2,000.00元。" in compose(case, "company", "zh", TODAY)
    assert "Amount involved: CNY 2,000.00." in compose(case, "company", "en", TODAY)


def test_missing_answers_leave_lines_out_rather_than_blanks():
    text = compose(Case(problem="account_locked", goal="unlock"), "company", "en", TODAY)
    assert "{" not in text and "None" not in text and ": ." not in text and "()" not in text
    assert "Account locked" in text and "Unlock my account" in text


def test_an_edited_statement_is_used_as_it_is():
    case = golden_case()
    case.statement_company = "My own words."
    assert statement_for(case, "company", TODAY) == "My own words."
    assert statement_for(case, "regulator", TODAY) == compose(case, "regulator", "zh", TODAY)


def test_dates_read_naturally():
    assert long_date(date(2026, 12, 2), "zh") == "2026年12月2日"
    assert long_date(date(2026, 12, 2), "en") == "2 December 2026"


def test_a_regulators_refusal_is_not_the_companys():
    case = golden_case()
    case.contacts.append(
        Contact(when=datetime(2026, 11, 24, 15, 0), channel="regulator", outcome="refused")
    )
    assert "the company refused" not in compose(case, "regulator", "en", TODAY)
