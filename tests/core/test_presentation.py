"""One way a date, an amount, an account and a choice read, wherever the case is shown."""

from datetime import date, datetime
from decimal import Decimal

from complaint.model import Case
from complaint.presentation import (
    amount_text,
    choice_text,
    contact_time,
    date_time_text,
    long_date,
    masked_account,
    written_amount,
)
from complaint.printable import printable_html
from complaint.statement import compose


def test_a_long_date_is_written_as_people_write_it_in_each_language():
    assert long_date(date(2026, 12, 2), "zh") == "2026年12月2日"
    assert long_date(date(2026, 12, 2), "en") == "2 December 2026"
    assert date_time_text(datetime(2026, 11, 20, 14, 5), "en") == "20 November 2026, 14:05"
    assert contact_time(datetime(2026, 11, 20, 14, 5)) == "2026-11-20 14:05"
    assert contact_time(None) == ""


def test_amounts_read_as_a_record_shows_them_and_as_a_letter_writes_them():
    case = Case(amount=Decimal("2000"), currency="CNY")
    assert amount_text(case.amount, case.currency) == "2000 CNY"
    assert amount_text(None, "CNY") == ""
    assert written_amount(case, "zh") == "人民币2,000.00元"
    assert written_amount(Case(), "en") == ""


def test_only_the_last_four_of_an_account_are_shown_behind_dots():
    assert masked_account("7890") == "••••7890"
    assert masked_account("") == ""


def test_a_choice_reads_as_its_label_or_as_the_users_own_words_for_other():
    assert choice_text("goals", "other", "Apology in writing", "en") == "Apology in writing"
    assert choice_text("goals", "refund", "ignored", "en") not in ("", "ignored", "refund")


def test_the_statement_and_the_printable_record_show_the_users_own_words_for_other():
    case = Case(
        language="en",
        problem="other",
        problem_other="Auto-renewal without notice",
        account_last4="7890",
    )
    assert "Auto-renewal without notice" in printable_html(case, date(2026, 11, 29))
    assert "••••7890" in printable_html(case, date(2026, 11, 29))
    assert "Auto-renewal without notice" in compose(case, "company", "en", date(2026, 11, 29))
