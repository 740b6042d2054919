import ast
import inspect
from datetime import date

import pytest

from complaint.errors import InvalidInput
from complaint.model import Case
from complaint.passwords import (
    MAX_LENGTH,
    StrengthReport,
    check_password,
    context_words,
    crack_time_parts,
    feedback_texts,
)


def test_a_weak_and_a_strong_password():
    weak = check_password("password1", [])
    strong = check_password("correct-horse-battery-staple-澳门-91", [])
    assert weak.score <= 1 and strong.score == 4
    assert weak.offline_seconds < strong.offline_seconds
    assert weak.warning in feedback_texts()


def test_context_words_make_pinyin_and_case_details_count():
    case = Case(provider="jd", account_last4="7788", event_date=date(2026, 11, 20))
    words = context_words(case, "zhangwei, 1990")
    assert {
        "京东",
        "jingdong",
        "jd",
        "7788",
        "2026",
        "1120",
        "20261120",
        "zhangwei",
        "1990",
    } <= set(words)
    # zxcvbn has no pinyin dictionary: without the context, "jingdong" looks random to it.
    assert check_password("jingdong7788", words).score < check_password("jingdong7788", []).score


def test_the_report_never_contains_the_password():
    secret = "Qx7-unusual-Zebra!"
    report = check_password(secret, ["zebra"])
    assert isinstance(report, StrengthReport)
    assert secret not in repr(report)
    assert {report.warning, *report.suggestions} <= {""} | set(
        feedback_texts()
    )  # only canned messages


@pytest.mark.parametrize(
    "password, key", [("", "password.empty"), ("a" * (MAX_LENGTH + 1), "password.too_long")]
)
def test_empty_and_over_long_input_get_a_message(password, key):
    with pytest.raises(InvalidInput) as caught:
        check_password(password, [])
    assert caught.value.key == key


def test_a_72_character_passphrase_is_still_checked():
    assert check_password("a" * MAX_LENGTH, []).score <= 1


def test_every_zxcvbn_feedback_message_is_translated():
    import zxcvbn.feedback

    tree = ast.parse(inspect.getsource(zxcvbn.feedback))
    produced = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
    }
    assert len(produced) > 20
    texts = feedback_texts()
    assert sorted(produced - set(texts)) == []
    for english, pair in texts.items():
        assert pair["zh"].strip() and pair["en"].strip(), english


@pytest.mark.parametrize(
    "seconds, expected",
    [
        (0.2, ("password.time.instant", 0)),
        (42, ("password.time.second", 42)),
        (3600 * 5, ("password.time.hour", 5)),
        (86400 * 3, ("password.time.day", 3)),
        (86400 * 400, ("password.time.year", 1)),
        (1e12, ("password.time.centuries", 0)),
    ],
)
def test_crack_times_in_plain_words(seconds, expected):
    assert crack_time_parts(seconds) == expected
