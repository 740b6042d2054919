from datetime import date, datetime

import pytest

from complaint.catalog import load_catalog
from complaint.contacts import is_overdue, make_contact, sorted_contacts
from complaint.errors import InvalidInput
from complaint.model import Contact

TODAY = date(2026, 11, 25)


def contact(**answers):
    catalog = load_catalog()
    answers.setdefault("when", datetime(2026, 11, 20, 9, 30))
    answers.setdefault("channel", "phone_hotline")
    return make_contact(**answers, channels=catalog.ids("contact_channels"), outcomes=catalog.ids("contact_outcomes"), today=TODAY)


def test_a_complete_entry():
    entry = contact(agent=" 工号 8823 ", reference="T-1", promised="回电", promised_by=date(2026, 11, 22), outcome="pending")
    assert entry.agent == "工号 8823" and entry.promised_by == date(2026, 11, 22)
    assert entry.when == datetime(2026, 11, 20, 9, 30)


@pytest.mark.parametrize(
    "answers, key",
    [
        ({"when": None}, "contact.when_missing"),
        ({"when": datetime(2026, 12, 1, 9, 0)}, "contact.when_future"),
        ({"channel": ""}, "contact.channel_missing"),
        ({"channel": "carrier_pigeon"}, "choice.unknown"),
        ({"promised_by": date(2026, 11, 19)}, "contact.promised_before_contact"),
        ({"agent": "x" * 101}, "input.too_long"),
        ({"offered": "y" * 501}, "input.too_long"),
        ({"outcome": "maybe"}, "choice.unknown"),
    ],
)
def test_invalid_entries_say_why(answers, key):
    with pytest.raises(InvalidInput) as caught:
        contact(**answers)
    assert caught.value.key == key


def test_log_is_sorted_oldest_first_with_undated_last():
    a, b, c = Contact(when=datetime(2026, 11, 3, 8)), Contact(when=None), Contact(when=datetime(2026, 11, 1, 20))
    assert sorted_contacts([a, b, c]) == [c, a, b]


def test_a_passed_promise_is_overdue_until_resolved():
    entry = Contact(promised_by=date(2026, 11, 24), outcome="pending")
    assert is_overdue(entry, TODAY)
    assert not is_overdue(Contact(promised_by=date(2026, 11, 25)), TODAY)  # due today: not yet late
    assert not is_overdue(Contact(promised_by=date(2026, 11, 24), outcome="resolved"), TODAY)
    assert not is_overdue(Contact(), TODAY)
