"""The trainer's overview: 0, 1 and 10,000 sheets, old formats, broken files, incremental refresh."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from complaint.catalog import load_catalog
from complaint.model import Contact, EvidenceItem
from complaint.sheet import FORMAT_VERSION
from complaint.synthetic import write_workshop
from complaint.trainer.counts import counts, evidence_band, matches, score_band
from complaint.trainer.index import INDEX_NAME, CaseIndex
from complaint.trainer.saved import JOURNAL_NAME, summary_tag
from complaint.trainer.sheets import sheet_version
from complaint.trainer.summary import WORK_STEPS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def index(store, today) -> CaseIndex:
    return CaseIndex(store.root, today=today)


def test_no_folder_and_an_empty_folder_give_an_empty_overview(tmp_path, today):
    for root in (tmp_path / "missing", tmp_path):
        overview = CaseIndex(root, today=today).refresh()
        assert overview.cases == () and overview.problems == () and overview.read == 0
    assert not (tmp_path / INDEX_NAME).exists()  # nothing read, nothing written


def test_one_case_summarised(store, index, today):
    case = store.new_case("en")
    case.problem, case.provider, case.amount = (
        "funds_not_arriving",
        "alipay",
        __import__("decimal").Decimal("88.5"),
    )
    case.evidence = {
        "transaction_record": EvidenceItem(status="have"),
        "service_chat": EvidenceItem(status="need"),
    }
    case.contacts = [
        Contact(when=datetime(2026, 11, 20, 9, 0), channel="phone_hotline", outcome="refused")
    ]
    case.audit.answers["two_factor"] = "passkey"
    case.escalation.filed["company"] = date(2026, 11, 20)
    store.save(case)
    (summary,) = index.refresh().cases
    assert (
        summary.case_id == case.case_id
        and summary.path == f"{case.case_id}.csv"
        and summary.participant == ""
    )
    assert (summary.format_version, summary.language, summary.practice) == (
        FORMAT_VERSION,
        "en",
        "",
    )
    assert (summary.problem, summary.provider, summary.amount, summary.currency) == (
        "funds_not_arriving",
        "alipay",
        "88.5",
        "CNY",
    )
    assert (
        dict(zip(WORK_STEPS, summary.steps, strict=True))["problem"] == "done"
        and dict(zip(WORK_STEPS, summary.steps, strict=True))["statement"] == "todo"
    )
    checklist = load_catalog().evidence_for("funds_not_arriving")
    assert (summary.evidence_ready, summary.evidence_total) == (
        1,
        len(checklist),
    ) and summary.contacts == 1
    assert summary.audit_score is not None and 0 <= summary.audit_score <= 100
    # Refused on 20 Nov: the regulator is open at once, and it is the next step.
    assert (summary.rung_taken, summary.next_rung, summary.next_date) == (
        "company",
        "regulator",
        date(2026, 11, 20),
    )


def test_sheets_of_every_format_version_are_summarised(store, index):
    store.root.mkdir()
    for version in range(1, FORMAT_VERSION):
        shutil.copy(FIXTURES / f"case-sheet-v{version}.csv", store.root / f"{version:024x}.csv")
    store.save(store.new_case("zh"))
    overview = index.refresh()
    assert (
        sorted(s.format_version for s in overview.cases) == list(range(1, FORMAT_VERSION + 1))
        and overview.problems == ()
    )


def test_a_broken_sheet_is_reported_and_the_rest_still_shown(store, index):
    store.save(store.new_case("zh"))
    (store.root / ("a" * 24 + ".csv")).write_bytes(b"\x00\x01 not text")
    good = store.new_case("en")
    store.save(good)
    data = store.path_for(good.code).read_bytes()
    (store.root / ("b" * 24 + ".csv")).write_bytes(
        data[: len(data) // 2]
    )  # cut off mid-save by hand
    overview = index.refresh()
    assert len(overview.cases) == 2
    assert [p.path for p in overview.problems] == ["a" * 24 + ".csv", "b" * 24 + ".csv"]
    assert overview.problems[0].key == "sheet.not_text" and overview.problems[1].key in (
        "sheet.truncated",
        "sheet.malformed_row",
        "sheet.malformed",
    )  # where the cut lands: in a row, or in a quoted cell


def test_only_case_sheets_are_read(store, index):
    case = store.new_case("zh")
    store.save(case)
    root = store.root
    (root / "README.txt").write_text("hello")
    (root / "notes.csv").write_text("key,label,value,display\r\n")
    (root / f".{case.case_id}.csv.x1.tmp").write_bytes(b"half")  # a save in progress
    (root / f"{case.case_id}.files").mkdir()
    (root / f"{case.case_id}.files" / ("c" * 24 + ".csv")).write_text(
        "x"
    )  # a kept evidence file, not a sheet
    os.symlink("/etc/passwd", root / ("d" * 24 + ".csv"))
    overview = index.refresh()
    assert [s.path for s in overview.cases] == [f"{case.case_id}.csv"] and overview.problems == ()


def test_jupyterhub_layout_one_folder_per_participant(tmp_path, today):
    write_workshop(tmp_path, 6, participants=3)
    overview = CaseIndex(tmp_path, today=today).refresh()
    assert sorted({s.participant for s in overview.cases}) == [
        "participant000",
        "participant001",
        "participant002",
    ]
    assert all(s.path.startswith(s.participant + "/") for s in overview.cases)


def test_a_refresh_reads_only_what_changed(store, index):
    cases = [store.new_case("zh") for _ in range(3)]
    for case in cases:
        store.save(case)
    assert index.refresh().read == 3
    again = index.refresh()
    assert (again.read, again.unchanged) == (0, 3)
    cases[0].problem = "slow_service"
    store.save(cases[0])
    store.path_for(cases[1].code).unlink()
    overview = index.refresh()
    assert (overview.read, overview.unchanged, len(overview.cases)) == (1, 1, 2)
    assert overview.cases[0].problem == "slow_service"  # newest change first


def test_the_index_file_spares_a_new_dashboard_the_reading(store, today):
    for _ in range(4):
        store.save(store.new_case("zh"))
    (store.root / JOURNAL_NAME).unlink()  # as if the sheets had been copied in from elsewhere
    first = CaseIndex(store.root, today=today).refresh()
    assert first.read_in_full == 4
    later = CaseIndex(store.root, today=today).refresh()
    assert (later.read, later.unchanged) == (0, 4) and later.cases == first.cases


def test_sheets_saved_by_the_workbook_are_never_read_in_full(store, index, today):
    cases = [store.new_case("zh") for _ in range(3)]
    for case in cases:
        store.save(case)
    first = index.refresh()
    assert (first.read, first.read_in_full) == (3, 0)
    cases[0].problem = "slow_service"
    store.save(cases[0])
    later = index.refresh()  # only what was appended to the journal since is read
    assert (later.read, later.read_in_full, later.cases[0].problem) == (1, 0, "slow_service")
    assert not (store.root / INDEX_NAME).exists()  # nothing to keep: the journal gives it all again
    reopened = CaseIndex(store.root, today=today).refresh()
    assert (reopened.read_in_full, reopened.cases) == (0, later.cases)


@pytest.mark.parametrize("damage", ["garbage", "other_version", "other_content", "wrong_shape"])
def test_a_damaged_or_stale_index_file_means_reading_again(store, today, damage):
    store.save(store.new_case("zh"))
    (store.root / JOURNAL_NAME).unlink()
    CaseIndex(store.root, today=today).refresh()
    path = store.root / INDEX_NAME
    saved = json.loads(path.read_text())
    if damage == "garbage":
        path.write_bytes(b"\x00{")
    elif damage == "other_version":
        path.write_text(json.dumps(dict(saved, version=0)))
    elif damage == "other_content":
        path.write_text(json.dumps(dict(saved, content="0" * 16)))
    else:
        path.write_text(json.dumps(dict(saved, sheets={"x.csv": [1, 2, {"problem": 3}]})))
    overview = CaseIndex(store.root, today=today).refresh()
    assert (overview.read, overview.read_in_full, len(overview.cases)) == (1, 1, 1)


def test_a_read_only_cases_folder_still_works(store, today):
    store.save(store.new_case("zh"))
    overview = CaseIndex(
        store.root, today=today, index_file=store.root / "no-such-dir" / "index.json"
    ).refresh()
    assert len(overview.cases) == 1


def test_tallies_and_filters(store, index):
    practice = store.new_case("zh")
    practice.practice, practice.problem = "locked-after-new-phone", "account_locked"
    real = store.new_case("zh")
    real.problem = "slow_service"
    real.audit.answers["two_factor"] = "passkey"
    for case in (practice, real):
        store.save(case)
    cases = index.refresh().cases
    tally = counts(cases)
    assert tally["problem"] == {"account_locked": 1, "slow_service": 1} and tally["ladder"] == {
        "none": 2
    }
    assert (
        tally["audit"] == {"partly": 1, "not_started": 1} and sum(tally["security"].values()) == 0
    )  # one answer is not an audit
    assert [c.problem for c in cases if matches(c, kind="practice")] == ["account_locked"]
    assert [c.problem for c in cases if matches(c, kind="real")] == ["slow_service"]
    assert [c.problem for c in cases if matches(c, problem="slow_service")] == ["slow_service"]
    assert len([c for c in cases if matches(c, stuck_at="facts")]) == 2
    assert [c.case_id for c in cases if matches(c, text=real.case_id[:6].upper())] == [real.case_id]


def answer_every_audit_item(case) -> None:
    from complaint.audit import load_security

    security = load_security()
    for question in security.questions:
        case.audit.answers[question.id] = security.answer_sets[question.answers][0].id
    for example in security.phishing:
        case.audit.phishing[example.id] = "suspicious"


def test_answered_the_self_audit_means_every_question_and_quiz_example(store, index):
    """Issue 13: a password check alone counted as "answered" (13 of 14 had answered 0 of 16 items)."""
    password_only, partly, complete = (store.new_case("en") for _ in range(3))
    password_only.audit.password_score = 4
    partly.audit.answers["two_factor"] = "passkey"
    partly.audit.phishing["fake_refund_call"] = "suspicious"
    answer_every_audit_item(complete)
    complete.audit.password_score = 2
    for case in (password_only, partly, complete):
        store.save(case)
    summaries = {s.case_id: s for s in index.refresh().cases}
    assert (
        summaries[password_only.case_id].audit_status == "not_started"
        and summaries[password_only.case_id].audit_answered == 0
    )
    assert summaries[partly.case_id].audit_status == "partly" and summaries[
        partly.case_id
    ].audit_answered in (1, 2)
    assert (
        summaries[complete.case_id].audit_status == "done"
        and summaries[complete.case_id].audit_answered
        == 16
        == summaries[complete.case_id].audit_items
    )
    tally = counts(list(summaries.values()))
    assert (
        tally["audit"] == {"done": 1, "partly": 1, "not_started": 1}
        and sum(tally["security"].values()) == 1
    )


def test_participant_number_and_label_are_shown_and_searchable(store, index):
    from complaint.codes import participant_number

    case = store.new_case("en")
    case.participant_label = "Seat 14 · Li"
    store.save(case)
    (summary,) = index.refresh().cases
    assert summary.label == "Seat 14 · Li" and summary.number == participant_number(case.case_id)
    assert (
        matches(summary, text="seat 14")
        and matches(summary, text=summary.number)
        and matches(summary, text=summary.number.replace("-", ""))
    )
    assert not matches(summary, text="seat 15")


def test_the_participant_number_is_short_stable_and_from_the_case_id_only():
    from complaint.codes import case_id_for, new_code, participant_number

    code = new_code()
    number = participant_number(case_id_for(code))
    assert re.fullmatch(r"[0-9]{3}-[0-9]{3}", number) and number == participant_number(
        case_id_for(code)
    )
    numbers = {participant_number(case_id_for(new_code())) for _ in range(300)}
    assert len(numbers) >= 295  # spread out: a room rarely has two alike
    assert participant_number("") == participant_number("not hex") == "000-000"


def test_bands():
    assert [score_band(s) for s in (0, 39, 40, 79, 80, 100)] == [
        "0-39",
        "0-39",
        "40-59",
        "60-79",
        "80-100",
        "80-100",
    ]


def test_sheet_version_reads_the_first_rows_only():
    assert sheet_version((FIXTURES / "case-sheet-v2.csv").read_bytes()) == 2
    assert sheet_version(b"nothing") == 0


@pytest.mark.slow
def test_ten_thousand_sheets(tmp_path, today):
    """The size of the benchmark: everything read, nothing lost (timings live in make bench)."""
    write_workshop(tmp_path, 10_000, participants=100)
    index = CaseIndex(tmp_path, today=today)
    overview = index.refresh()
    assert len(overview.cases) == 10_000 and overview.problems == ()
    assert sum(counts(overview.cases)["problem"].values()) == 10_000
    assert index.refresh().read == 0 and CaseIndex(tmp_path, today=today).refresh().read == 0
    assert all(evidence_band(s) is None or s.evidence_total for s in overview.cases)


def test_a_save_leaves_a_summary_that_spares_the_dashboard_reading_the_sheet(
    store, today, monkeypatch
):
    case = store.new_case("en")
    case.problem = "slow_service"
    store.save(case)
    import complaint.trainer.summary as summary_module

    parsed = []
    monkeypatch.setattr(
        summary_module,
        "read_case",
        lambda data: parsed.append(data) or (_ for _ in ()).throw(AssertionError),
    )
    (summary,) = CaseIndex(store.root, today=today, index_file=None).refresh().cases
    assert parsed == [] and summary.problem == "slow_service" and summary.case_id == case.case_id


@pytest.mark.parametrize(
    "change", ["sheet_edited", "line_damaged", "line_of_another_version", "line_cut_short"]
)
def test_a_journal_line_that_does_not_match_its_sheet_is_ignored(store, today, change, monkeypatch):
    case = store.new_case("en")
    case.problem = "slow_service"
    store.save(case)
    sheet, journal = store.path_for(case.code), store.root / JOURNAL_NAME
    line = journal.read_bytes()
    if change == "sheet_edited":  # by hand, in a spreadsheet: the line now describes another sheet
        sheet.write_bytes(sheet.read_bytes().replace(b"slow_service", b"account_locked"))
    elif change == "line_damaged":
        journal.write_bytes(line.replace(b'"slow_service"', b'"slow_service'))
    elif change == "line_of_another_version":
        journal.write_bytes(line.replace(summary_tag(), b"0:" + summary_tag().split(b":")[1]))
    else:  # the saving process killed mid-write; the next save's line must not be spoilt by it
        journal.write_bytes(line[: len(line) // 2])
        other = store.new_case("zh")
        other.problem = "account_locked"
        store.save(other)
    summaries = {
        s.case_id: s for s in CaseIndex(store.root, today=today, index_file=None).refresh().cases
    }
    assert summaries[case.case_id].problem == (
        "account_locked" if change == "sheet_edited" else "slow_service"
    )
    if change == "line_cut_short":
        import complaint.trainer.index as index_module

        read_in_full = []
        summarise = index_module.summarise
        monkeypatch.setattr(
            index_module,
            "summarise",
            lambda data, *args: read_in_full.append(args[0]) or summarise(data, *args),
        )
        again = {
            s.case_id: s
            for s in CaseIndex(store.root, today=today, index_file=None).refresh().cases
        }
        assert again == summaries and read_in_full == [
            store.path_for(case.code).name
        ]  # only the sheet whose line was cut


def test_saved_summaries_equal_what_reading_the_sheets_gives(tmp_path, today):
    write_workshop(tmp_path / "with", 60, summaries=True)
    shutil.copytree(tmp_path / "with", tmp_path / "without", ignore=shutil.ignore_patterns(".*"))
    with_summaries = CaseIndex(tmp_path / "with", today=today, index_file=None).refresh().cases
    read_in_full = CaseIndex(tmp_path / "without", today=today, index_file=None).refresh().cases
    assert len(with_summaries) == 60 and with_summaries == read_in_full


def test_a_failed_summary_never_fails_a_save(store, monkeypatch):
    import complaint.trainer.saved as saved

    monkeypatch.setattr(
        saved, "append_lines", lambda *args: (_ for _ in ()).throw(OSError("disk full"))
    )
    case = store.new_case("zh")
    store.save(case)
    assert store.load(case.code) == case


def test_the_trainers_marks_follow_the_step_lists_rule(store, index):
    """Untouched, started and complete steps, as the participant's step list shows them."""
    case = store.new_case("en")
    case.problem, case.goal, case.provider = "funds_not_arriving", "refund", "alipay"
    case.contacts = [Contact(when=datetime(2026, 11, 20, 9, 0), channel="online_chat")]
    store.save(case)
    (summary,) = index.refresh().cases
    marks = dict(zip(WORK_STEPS, summary.steps, strict=True))
    assert (marks["problem"], marks["goal"], marks["contacts"]) == ("done", "done", "done")
    assert marks["facts"] == "started"  # a provider, but no date or account of what happened
    assert (marks["escalation"], marks["statement"], marks["security"]) == (
        "todo",
        "todo",
        "todo",
    )  # never touched
    assert summary.steps_done == 3
