import csv
import io
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
    return make_contact(
        **answers,
        channels=catalog.ids("contact_channels"),
        outcomes=catalog.ids("contact_outcomes"),
        today=TODAY,
    )


def test_a_complete_entry():
    entry = contact(
        agent=" 工号 8823 ",
        reference="T-1",
        promised="回电",
        promised_by=date(2026, 11, 22),
        outcome="pending",
    )
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
    a, b, c = (
        Contact(when=datetime(2026, 11, 3, 8)),
        Contact(when=None),
        Contact(when=datetime(2026, 11, 1, 20)),
    )
    assert sorted_contacts([a, b, c]) == [c, a, b]


def test_a_passed_promise_is_overdue_until_resolved():
    entry = Contact(promised_by=date(2026, 11, 24), outcome="pending")
    assert is_overdue(entry, TODAY)
    assert not is_overdue(Contact(promised_by=date(2026, 11, 25)), TODAY)  # due today: not yet late
    assert not is_overdue(Contact(promised_by=date(2026, 11, 24), outcome="resolved"), TODAY)
    assert not is_overdue(Contact(), TODAY)


def test_a_logged_contact_ticks_the_guide_channel_it_went_through():
    from complaint.contacts import guide_channel, record_contact
    from complaint.model import Case
    from complaint.sheet import write_sheet

    case = Case(language="en", problem="slow_service")
    record_contact(case, Contact(when=datetime(2026, 11, 20, 10, 0), channel="phone_hotline"))
    assert case.channels_tried == ["hotline"]
    assert guide_channel("phone_hotline") == "hotline"
    values = {
        row[0]: row[2] for row in csv.reader(io.StringIO(write_sheet(case).decode("utf-8-sig")))
    }
    assert (
        values["contact.1.channel"] == "phone_hotline" and values["channel.hotline.tried"] == "yes"
    )
    # In the guide's order, whatever the order of logging; a channel is never listed twice.
    record_contact(case, Contact(when=datetime(2026, 11, 21, 9, 0), channel="online_chat"))
    record_contact(case, Contact(when=datetime(2026, 11, 22, 9, 0), channel="phone_hotline"))
    assert case.channels_tried == ["official_online", "hotline"]


def test_a_log_channel_shared_by_several_guide_channels_ticks_the_one_it_was_logged_from():
    from complaint.contacts import guide_channel, record_contact
    from complaint.model import Case

    assert (
        guide_channel("regulator") == ""
    )  # the PBoC, 12315 or a consumer association: the log does not say
    assert guide_channel("email") == "" and guide_channel("in_person") == ""
    case = Case(language="zh", problem="funds_not_arriving")
    record_contact(case, Contact(when=datetime(2026, 11, 20, 10, 0), channel="regulator"))
    assert case.channels_tried == []
    record_contact(
        case,
        Contact(when=datetime(2026, 11, 21, 10, 0), channel="regulator"),
        via="payment_regulator",
    )
    assert case.channels_tried == ["payment_regulator"]


def test_editing_an_entry_replaces_it_and_ticks_its_new_channel():
    from complaint.contacts import record_contact
    from complaint.model import Case

    case = Case(language="en", problem="slow_service")
    first = Contact(when=datetime(2026, 11, 20, 10, 0), channel="email")
    record_contact(case, first)
    assert case.channels_tried == []
    edited = Contact(when=datetime(2026, 11, 20, 10, 0), channel="app_ticket")
    record_contact(case, edited, replacing=first)
    assert case.contacts == [edited] and case.channels_tried == ["complaints_department"]


def test_a_logged_ticket_number_counts_for_the_ticket_evidence_item():
    from complaint.contacts import TICKETS_ITEM, record_contact
    from complaint.evidence import completeness
    from complaint.model import Case, EvidenceItem

    catalog = load_catalog()
    case = Case(language="en", problem="slow_service")
    assert TICKETS_ITEM in {item.id for item in catalog.evidence_for("slow_service")}
    before = completeness(case, catalog)
    record_contact(
        case, Contact(when=datetime(2026, 11, 20, 10, 0), channel="phone_hotline")
    )  # no ticket number
    assert TICKETS_ITEM not in case.evidence
    case.evidence[TICKETS_ITEM] = EvidenceItem(status="need", note="ask for it next time")
    record_contact(
        case,
        Contact(
            when=datetime(2026, 11, 21, 10, 0),
            channel="phone_hotline",
            reference="20261121000012345678",
        ),
    )
    assert (
        case.evidence[TICKETS_ITEM].status == "have"
        and case.evidence[TICKETS_ITEM].note == "ask for it next time"
    )
    after = completeness(case, catalog)
    assert after.ready == before.ready + 1 and TICKETS_ITEM not in after.missing
    # A problem whose checklist has no such item gets none added behind the user's back.
    ads = Case(language="en", problem="false_advertising")
    record_contact(
        ads, Contact(when=datetime(2026, 11, 21, 10, 0), channel="phone_hotline", reference="T-1")
    )
    assert TICKETS_ITEM not in ads.evidence and ads.channels_tried == ["hotline"]
