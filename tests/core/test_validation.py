from datetime import date
from decimal import Decimal

import pytest

from complaint.errors import InvalidInput
from complaint.validation import (
    check_choice,
    check_event_date,
    clean_text,
    format_amount,
    mask_account,
    parse_amount,
)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("200", Decimal("200")),
        ("1,234.50", Decimal("1234.50")),
        ("¥ 88", Decimal("88")),
        ("２００元", Decimal("200")),  # full-width digits from a Chinese IME
        ("RMB 3.5", Decimal("3.5")),
        ("200块", Decimal("200")),
        ("人民币200", Decimal("200")),
        ("1,234,567", Decimal("1234567")),
        ("１，２３４．５", Decimal("1234.5")),  # full-width comma and point
        ("0", Decimal("0")),
        ("", None),
        ("   ", None),
    ],
)
def test_amounts_people_type(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize(
    "typed, key",
    [
        ("-5", "amount.negative"),
        ("−5", "amount.negative"),
        ("abc", "amount.not_a_number"),
        ("1.2.3", "amount.not_a_number"),
        ("NaN", "amount.not_a_number"),
        ("Infinity", "amount.not_a_number"),
        ("=1+1", "amount.not_a_number"),
        ("1e3", "amount.not_a_number"),  # exponents are not how people write money
        ("1,2", "amount.not_a_number"),  # 1.2 or 12? refuse rather than guess
        ("1,23", "amount.not_a_number"),
        ("1 2", "amount.not_a_number"),
        ("100000001", "amount.too_large"),
        ("1.234", "amount.too_precise"),
    ],
)
def test_bad_amounts_get_a_reason(typed, key):
    with pytest.raises(InvalidInput) as caught:
        parse_amount(typed)
    assert caught.value.key == key


def test_amount_text_is_canonical():
    assert format_amount(Decimal("1E+2")) == "100"
    assert format_amount(Decimal("1234.50")) == "1234.50"
    assert format_amount(None) == ""


def test_event_date_rules(today):
    assert check_event_date(today, today) == today
    assert check_event_date(None, today) is None
    # One day of grace: the user may be east of the workshop's time zone.
    assert check_event_date(date(2026, 11, 26), today) == date(2026, 11, 26)
    with pytest.raises(InvalidInput, match="date.future"):
        check_event_date(date(2026, 11, 27), today)
    with pytest.raises(InvalidInput, match="date.too_old"):
        check_event_date(date(1999, 12, 31), today)


def test_text_is_trimmed_and_control_characters_removed():
    assert clean_text("  hello\x00 world\x07 ", 50) == "hello  world"
    assert clean_text("line 1\r\nline 2\x1b", 50, multiline=True) == "line 1\nline 2"
    assert clean_text("a\nb", 50) == "a b"  # single-line fields have no newlines
    assert clean_text(None, 5) == ""


def test_text_length_limit_counts_characters_not_bytes():
    assert clean_text("中" * 10, 10) == "中" * 10
    with pytest.raises(InvalidInput) as caught:
        clean_text("中" * 11, 10)
    assert caught.value.key == "input.too_long"
    assert caught.value.params == {"limit": 10, "length": 11}


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("6222 0212 3456 7890", "7890"),
        ("138-0013-8000", "8000"),
        ("alice@example.com", "lice"),  # the end of the name, not "ecom" of every example.com user
        ("Li.Lei_88@mail.qq.com", "ei88"),
        ("13800138000@139.com", "8000"),  # a phone-number mailbox: the phone's last four digits
        ("@alice_w", "icew"),  # a handle, not an e-mail address: the user name's end
        ("+86 138-0013-8000", "8000"),
        ("(010) 6552 3000", "3000"),
        ("１３８００１３８０００", "8000"),  # full-width digits of a Chinese keyboard
        ("12", "12"),
        ("", ""),
        ("••••7890", "7890"),  # what the field shows after masking: masking again changes nothing
        ("６２２２０２１２", "0212"),
        ("wx_张三_A", "wxA"),
    ],
)
def test_only_the_last_four_characters_of_an_account_are_kept(typed, kept):
    assert mask_account(typed) == kept


def test_choices_must_come_from_the_catalog():
    assert check_choice("a", ("a", "b")) == "a"
    assert check_choice("", ("a",)) == ""
    with pytest.raises(InvalidInput, match="choice.unknown"):
        check_choice("../x", ("a",))


def test_an_account_with_nothing_to_keep_is_explained():
    with pytest.raises(InvalidInput, match="account.nothing_kept"):
        mask_account("张三丰")
    assert mask_account("   ") == ""


def test_text_length_counts_what_the_limit_counts():
    from complaint.validation import clean_text, text_length

    for raw, multiline in (
        ("  abc \r\n", True),
        ("a\x01b", False),
        ("a\x01b", True),
        ("第一行\r\n第二行", True),
    ):
        assert text_length(raw, multiline=multiline) == len(
            clean_text(raw, 10_000, multiline=multiline)
        )
