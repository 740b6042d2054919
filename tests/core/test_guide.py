import re
from datetime import date
from decimal import Decimal

from complaint.guide import opening_line
from complaint.i18n import Translator
from complaint.model import Case

TEMPLATE = "{date} {provider} {amount} {transaction_id} {problem} {goal}"


def test_opening_line_uses_the_case():
    case = Case(
        provider="alipay",
        event_date=date(2026, 11, 20),
        amount=Decimal("888.00"),
        transaction_id="T1",
        problem="funds_not_arriving",
        goal="refund",
    )
    assert (
        opening_line(TEMPLATE, case, Translator("zh"))
        == "2026年11月20日 支付宝 人民币888.00元 T1 资金不到账 退款 / 追回资金"
    )


def test_missing_answers_show_what_to_fill_in():
    line = opening_line(TEMPLATE, Case(), Translator("en"))
    assert line.startswith("[Date it happened] [Provider] [Amount involved]")
    assert "{" not in line


def test_other_answers_use_the_users_own_words():
    case = Case(
        provider="other",
        provider_other="Example Pay",
        problem="other",
        problem_other="double charge",
    )
    assert (
        opening_line("{provider}: {problem}", case, Translator("en"))
        == "Example Pay: double charge"
    )


def test_every_english_opening_line_reads_right_before_any_provider():
    """No "a" before the provider's name: "a Alipay transaction", "a [Provider] transaction"."""
    from complaint.catalog import load_catalog

    catalog = load_catalog()
    t = Translator("en")
    for channel in catalog.channels:
        for provider in ("alipay", "", "other"):
            case = Case(provider=provider, provider_other="Example Pay")
            line = opening_line(t.pick(channel.say_first), case, t)
            assert not re.search(r"\ba [AEIOU\[]", line), (channel.id, line)
