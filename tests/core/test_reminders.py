"""Calendar reminders (.ics), read back with an independent RFC 5545 parser (icalendar)."""

import re
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from complaint.codes import format_code
from complaint.escalation import plan
from complaint.model import Case, Contact
from complaint.presentation import long_date
from complaint.reminders import escape_text, fold, ics_bytes, reminders
from complaint.statement import compose

TODAY = date(2026, 9, 26)
STAMP = datetime(2026, 9, 26, 8, 30, tzinfo=UTC)


def _case(language="zh", filed_regulator=True) -> Case:
    case = Case(
        language=language, problem="other", provider="alipay", description="x", goal="refund"
    )
    case.contacts = [
        Contact(
            when=datetime(2026, 9, 25, 9, 0),
            channel="online_chat",
            reference="T-1; a,b\\c",
            promised="refund, in full; today",
            promised_by=date(2026, 9, 30),
            outcome="pending",
        ),
        Contact(
            when=datetime(2026, 9, 25, 15, 0),
            channel="phone_hotline",
            promised="a call back",
            promised_by=date(2026, 9, 30),
            outcome="pending",
        ),
    ]
    if filed_regulator:
        case.escalation.filed = {"regulator": date(2026, 9, 28)}
    return case


def _events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_every_date_of_the_case_is_one_all_day_event_with_the_plans_holiday_aware_dates():
    case = _case(filed_regulator=False)
    events = _events(ics_bytes(case, TODAY, STAMP))
    days = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in events)
    # two promises due 30 September; the statement's reply deadline (26 Sep + 7 = 3 Oct, inside
    # the National Day holiday: the next working day, 8 Oct); the regulator's route opens
    # 7 days after the first contact (2 Oct, also a holiday: 8 Oct)
    assert [d for d, _ in days] == [
        date(2026, 9, 30),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 8),
    ]
    assert all(
        end == start + timedelta(days=1) and type(start) is date for start, end in days
    )  # VALUE=DATE, DTEND exclusive
    regulator = next(r for r in plan(case, TODAY).rungs if r.id == "regulator")
    assert regulator.available_from == date(2026, 10, 8)  # the same date the escalation step shows
    assert long_date(date(2026, 10, 8), "zh") in compose(
        case, "company", "zh", TODAY
    )  # and the statement asks for


def test_a_filed_regulator_gives_its_answer_date_counted_in_working_days_over_the_holiday():
    events = _events(ics_bytes(_case(), TODAY, STAMP))
    answer = [e for e in events if "12315" in str(e["SUMMARY"])]
    # 12315: 7 working days from 28 Sep skip 1-7 Oct and count the make-up Saturday 10 Oct
    assert [e.decoded("DTSTART") for e in answer] == [date(2026, 10, 13)]
    assert (
        len(events) == 3
    )  # two promises and the answer; no reply deadline once a regulator has it


def test_uids_are_stable_across_downloads_and_distinct_within_a_case():
    case = _case()
    first = _events(ics_bytes(case, TODAY, STAMP))
    later = _events(ics_bytes(case, TODAY + timedelta(days=3), STAMP + timedelta(days=3)))
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in later]
    assert len({str(e["UID"]) for e in first}) == len(first)
    assert all(
        int(b["SEQUENCE"]) > int(a["SEQUENCE"]) for a, b in zip(first, later, strict=True)
    )  # the newer version wins
    other = _events(ics_bytes(_case(), TODAY, STAMP))  # another case (its own code)
    assert not {str(e["UID"]) for e in first} & {str(e["UID"]) for e in other}


def test_the_reply_deadline_moves_with_a_later_statement_instead_of_being_added_again():
    case = _case(filed_regulator=False)
    uid = lambda data: {str(e["UID"]): e.decoded("DTSTART") for e in _events(data)}  # noqa: E731
    before, after = (
        uid(ics_bytes(case, TODAY, STAMP)),
        uid(ics_bytes(case, date(2026, 10, 20), STAMP)),
    )
    assert before.keys() == after.keys()
    assert sorted(after.values())[-1] == date(2026, 10, 27)


@pytest.mark.parametrize(
    "language, words",
    [
        ("zh", ("承诺的期限", "答复期限", "恢复码", "工单号 T-1; a,b\\c")),
        (
            "en",
            (
                "Due today: what Alipay",
                "Answer due: National 12315",
                "resume code",
                "ticket T-1; a,b\\c",
            ),
        ),
    ],
)
def test_the_text_says_what_to_do_and_where_in_the_cases_language_and_never_the_code(
    language, words
):
    case = _case(language)
    data = ics_bytes(case, TODAY, STAMP)
    text = "\n".join(
        str(e.get(p, "")) for e in _events(data) for p in ("SUMMARY", "DESCRIPTION", "LOCATION")
    )
    assert all(w in text for w in words)  # escaped , ; \ come back as they were typed
    assert "refund, in full; today" in text and "a call back" in text
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    for secret in (case.code, format_code(case.code), case.case_id):
        assert secret not in unfolded


def test_lines_are_crlf_and_folded_at_75_octets_without_splitting_a_character():
    data = ics_bytes(_case("zh"), TODAY, STAMP)
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") for line in lines)  # each physical line is whole UTF-8
    assert fold("A" * 200).replace("\r\n ", "") == "A" * 200
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_a_case_without_dates_has_no_events():
    case = Case(language="en")
    assert reminders(case, TODAY)[0].kind == "reply"  # the statement always names a reply date
    case.escalation.filed = {"regulator": TODAY}
    assert len(_events(ics_bytes(case, TODAY, STAMP))) == 1  # the regulator's answer date only


@pytest.mark.system
def test_a_real_calendar_program_imports_every_event_on_its_date(tmp_path):
    """calcurse, a terminal calendar from Debian, imports the file headless and lists it back."""
    case = _case("zh", filed_regulator=False)
    path = tmp_path / "reminders.ics"
    path.write_bytes(ics_bytes(case, TODAY, STAMP))
    home = tmp_path / "calcurse"
    home.mkdir()
    imported = subprocess.run(
        ["calcurse", "-D", str(home), "-i", str(path)], capture_output=True, text=True, timeout=60
    )
    assert (
        imported.returncode == 0 and "0 apps / 4 events / 0 todos / 0 skipped" in imported.stdout
    ), imported.stdout + imported.stderr
    listed = subprocess.run(
        [
            "calcurse",
            "-D",
            str(home),
            "--input-datefmt",
            "4",
            "--output-datefmt",
            "%Y-%m-%d",
            "-Q",
            "--from",
            "2026-09-01",
            "--to",
            "2026-12-31",
            "--format-event",
            "%m|%N\n",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    days = dict(
        re.findall(
            r"^(\d{4}-\d{2}-\d{2}):\n(.*?)(?=^\d{4}-\d{2}-\d{2}:|\Z)", listed.stdout, re.M | re.S
        )
    )
    assert list(days) == ["2026-09-30", "2026-10-08"]
    assert (
        days["2026-09-30"].count("今天是支付宝承诺的期限|") == 2
        and "工单号 T-1; a,b\\c" in days["2026-09-30"]
    )
    assert (
        "今天是你要求支付宝答复的最后一天" in days["2026-10-08"]
        and "从今天起可以向全国12315平台" in days["2026-10-08"]
    )
    assert format_code(case.code) not in listed.stdout and "恢复码" in listed.stdout
