"""Case sheets handed in to the trainer (complaint.trainer.handin): read with the workbook's own
reader, filed under their own case id in the hand-in folder, newer copies replacing older ones,
their summaries journaled, and nothing written for a refused file."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from complaint.bundle import make_bundle
from complaint.model import Case, EvidenceFile, EvidenceItem
from complaint.sheet import read_sheet, write_sheet
from complaint.storage import CaseStore
from complaint.trainer.handin import (
    ADDED,
    ALREADY_HERE,
    HANDIN_FOLDER,
    MAX_HANDIN_FILES,
    OLDER,
    ON_SERVER,
    REFUSED,
    REPLACED,
    hand_in,
    hand_in_all,
)
from complaint.trainer.index import CaseIndex
from complaint.trainer.saved import JOURNAL_NAME, last_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TODAY = date(2026, 11, 25)


def sheet_of(case: Case, updated: datetime | None = None) -> bytes:
    if updated is not None:
        case.updated_at = updated
    return write_sheet(case)


def a_case(provider: str = "alipay") -> Case:
    case = Case(language="en")
    case.problem, case.provider = "funds_not_arriving", provider
    case.updated_at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    return case


def on_disk(root: Path) -> list[str]:
    """Every file under ``root``, relative, sorted."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def handed_in_sheets(root: Path) -> list[str]:
    return sorted(p.name for p in (root / HANDIN_FOLDER).glob("*.csv"))


def test_a_valid_sheet_is_filed_under_its_case_id_and_listed_as_handed_in(tmp_path):
    case = a_case()
    data = sheet_of(case)
    [result] = hand_in_all(tmp_path, [("my case.csv", data)])
    assert (result.outcome, result.case_id, result.name) == (ADDED, case.case_id, "my case.csv")
    path = tmp_path / HANDIN_FOLDER / f"{case.case_id}.csv"
    assert path.read_bytes() == data  # byte for byte as handed in
    overview = CaseIndex(tmp_path, today=TODAY, index_file=None).refresh()
    [summary] = overview.cases
    assert (summary.participant, summary.case_id, summary.provider) == (
        HANDIN_FOLDER,
        case.case_id,
        "alipay",
    )
    assert summary.path == f"{HANDIN_FOLDER}/{case.case_id}.csv"


def test_the_file_and_folder_modes_are_the_workbooks(tmp_path, monkeypatch):
    hand_in_all(tmp_path, [("a.csv", sheet_of(a_case()))])
    folder = tmp_path / HANDIN_FOLDER
    sheet = next(folder.glob("*.csv"))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    monkeypatch.setenv("WORKBOOK_SHARE_WITH_GROUP", "1")
    shared = tmp_path / "shared"
    hand_in_all(shared, [("a.csv", sheet_of(a_case()))])
    assert stat.S_IMODE((shared / HANDIN_FOLDER).stat().st_mode) == 0o750
    assert stat.S_IMODE(next((shared / HANDIN_FOLDER).glob("*.csv")).stat().st_mode) == 0o640


def test_the_journal_line_means_the_dashboard_reads_no_sheet_in_full(tmp_path):
    cases = [a_case(provider) for provider in ("alipay", "wechat_pay", "jd")]
    results = hand_in_all(tmp_path, [(f"{n}.csv", sheet_of(c)) for n, c in enumerate(cases)])
    assert [r.outcome for r in results] == [ADDED] * 3
    lines = last_lines((tmp_path / HANDIN_FOLDER / JOURNAL_NAME).read_bytes())
    assert set(lines) == {f"{c.case_id}.csv".encode() for c in cases}
    journaled = CaseIndex(tmp_path, today=TODAY, index_file=None).refresh()
    assert (journaled.read, journaled.read_in_full) == (3, 0)
    # ...and what the journal says is what reading each sheet in full says.
    full = CaseIndex(tmp_path, today=TODAY, index_file=None, saved_summaries=False).refresh()
    assert full.read_in_full == 3
    assert sorted(journaled.cases) == sorted(full.cases)


def test_a_bundles_sheet_is_filed_and_its_evidence_files_are_not(tmp_path):
    case = a_case()
    photo = b"\x89PNG evidence bytes"
    import hashlib

    record = EvidenceFile(
        "receipt.png", len(photo), "image/png", case.updated_at, hashlib.sha256(photo).hexdigest()
    )
    record.kept = True
    case.evidence = {"transaction_record": EvidenceItem("have", "", [record])}
    sheet = sheet_of(case)
    bundle = make_bundle(case, TODAY, sheet, lambda _record: photo)
    [result] = hand_in_all(tmp_path, [("case-bundle.zip", bundle.data)])
    assert (result.outcome, result.bundle) == (ADDED, True)
    assert on_disk(tmp_path / HANDIN_FOLDER) == [
        ".handin.lock",
        JOURNAL_NAME,
        f"{case.case_id}.csv",
    ]  # no evidence file, no folder for one
    assert (tmp_path / HANDIN_FOLDER / f"{case.case_id}.csv").read_bytes() == sheet


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_every_fixture_version_is_taken_in(tmp_path, version):
    data = (FIXTURES / f"case-sheet-v{version}.csv").read_bytes()
    [result] = hand_in_all(tmp_path, [(f"v{version}.csv", data)])
    assert (result.outcome, result.case_id) == (ADDED, read_sheet(data)["case_id"])


def test_a_sheet_re_saved_by_excel_is_taken_in_and_is_the_same_save(tmp_path):
    """Excel on a Chinese Windows: GB18030 without a BOM. Same case, same save: not a new copy."""
    original = (FIXTURES / "case-sheet-v5.csv").read_bytes()
    resaved = original.decode("utf-8-sig").encode("gb18030")
    [first] = hand_in_all(tmp_path, [("案例表.csv", resaved)])
    assert first.outcome == ADDED
    overview = CaseIndex(tmp_path, today=TODAY, index_file=None).refresh()
    assert [c.case_id for c in overview.cases] == [first.case_id] and not overview.problems
    [again] = hand_in_all(tmp_path, [("original.csv", original)])
    assert again.outcome == ALREADY_HERE  # the same updated_at: the copy here stays
    assert (tmp_path / HANDIN_FOLDER / f"{first.case_id}.csv").read_bytes() == resaved


CORRUPT = {
    "an image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "sheet.not_text"),
    "another csv": (b"name,amount\r\nA,1\r\n", "sheet.not_a_case_sheet"),
    "a zip that is not a bundle": (b"PK\x03\x04garbage", "bundle.not_zip"),
}


@pytest.mark.parametrize("kind", CORRUPT)
def test_a_corrupt_file_is_refused_with_its_reason_and_does_not_stop_the_others(tmp_path, kind):
    data, key = CORRUPT[kind]
    good = a_case()
    results = hand_in_all(tmp_path, [("bad.csv", data), ("good.csv", sheet_of(good))])
    assert [(r.name, r.outcome, r.key) for r in results] == [
        ("bad.csv", REFUSED, key),
        ("good.csv", ADDED, ""),
    ]
    assert handed_in_sheets(tmp_path) == [f"{good.case_id}.csv"]


def test_a_cut_off_sheet_is_refused_and_nothing_is_written(tmp_path):
    data = sheet_of(a_case())
    cut = data[: data.rindex(b"\r\n", 0, len(data) - 2) + 2]  # whole rows, the last one missing
    result = hand_in(tmp_path, "cut.csv", cut)
    assert (result.outcome, result.key) == (REFUSED, "sheet.truncated")
    assert not (tmp_path / HANDIN_FOLDER).exists()


@pytest.mark.parametrize(
    "case_id",
    [
        "../../../../tmp/evil",
        "../" + "a" * 21,
        "/etc/passwd",
        "A" * 24,  # upper case: not what the workbook writes
        "a" * 23,
        "a" * 25,
        "a" * 23 + "\u0661",  # an Arabic-Indic digit: a "digit", not a hex digit
        "",
    ],
)
def test_a_case_id_that_is_not_one_the_workbook_makes_names_no_file(tmp_path, case_id):
    data = sheet_of(a_case())
    text = data.decode("utf-8-sig")
    line = next(line for line in text.split("\r\n") if line.startswith("case_id,"))
    forged = text.replace(line, line.replace(line.split(",")[2], case_id), 1)
    assert read_sheet(forged.encode("utf-8-sig"))["case_id"] == case_id.strip()
    before = on_disk(tmp_path)
    [result] = hand_in_all(tmp_path, [("forged.csv", forged.encode("utf-8-sig"))])
    assert (result.outcome, result.key) == (REFUSED, "trainer.handin.bad_case_id")
    assert handed_in_sheets(tmp_path) == [] and on_disk(tmp_path)[: len(before)] == before
    assert not (tmp_path.parent / "evil").exists() and not Path("/tmp/evil").exists()


def test_the_same_case_twice_newer_replaces_older_and_identical_stay(tmp_path):
    case = a_case()
    first = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    older = sheet_of(case, first)
    case.provider = "wechat_pay"
    newer = sheet_of(case, first + timedelta(hours=2))
    path = tmp_path / HANDIN_FOLDER / f"{case.case_id}.csv"

    assert hand_in(tmp_path, "a.csv", older).outcome == ADDED
    assert hand_in(tmp_path, "a.csv", older).outcome == ALREADY_HERE  # identical
    assert hand_in(tmp_path, "b.csv", newer).outcome == REPLACED
    assert path.read_bytes() == newer
    assert hand_in(tmp_path, "a-again.csv", older).outcome == OLDER  # the later save stays
    assert path.read_bytes() == newer
    overview = CaseIndex(tmp_path, today=TODAY, index_file=None).refresh()
    assert [(c.provider, c.updated_at) for c in overview.cases] == [
        ("wechat_pay", first + timedelta(hours=2))
    ]
    assert overview.read_in_full == 0  # the replacing copy's journal line matches it


def test_both_copies_in_one_upload_the_later_save_wins_whatever_the_order(tmp_path):
    case = a_case()
    older = sheet_of(case, datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    newer = sheet_of(case, datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    results = hand_in_all(tmp_path, [("new.csv", newer), ("old.csv", older)])
    assert [r.outcome for r in results] == [ADDED, OLDER]
    assert (tmp_path / HANDIN_FOLDER / f"{case.case_id}.csv").read_bytes() == newer


def test_a_damaged_copy_here_is_replaced_by_a_valid_one(tmp_path):
    case = a_case()
    folder = tmp_path / HANDIN_FOLDER
    folder.mkdir()
    (folder / f"{case.case_id}.csv").write_bytes(b"key,label,value\r\ncut")
    assert hand_in(tmp_path, "a.csv", sheet_of(case)).outcome == REPLACED


def test_a_case_the_workshop_server_keeps_is_not_added_twice(tmp_path):
    store = CaseStore(tmp_path)
    case = store.new_case("en")
    data = store.save(case)
    hub = CaseStore(tmp_path / "alice")
    hub_case = hub.new_case("zh")
    hub_data = hub.save(hub_case)
    results = hand_in_all(tmp_path, [("a.csv", data), ("b.csv", hub_data)])
    assert [r.outcome for r in results] == [ON_SERVER, ON_SERVER]
    assert handed_in_sheets(tmp_path) == []


def test_files_past_the_limit_are_refused_unread(tmp_path):
    files = [(f"{n}.csv", b"not read") for n in range(MAX_HANDIN_FILES)]
    files.append(("one-too-many.csv", sheet_of(a_case())))
    results = hand_in_all(tmp_path, files)
    assert results[-1].outcome == REFUSED and results[-1].key == "trainer.handin.too_many"
    assert results[-1].params == {"limit": MAX_HANDIN_FILES}
    assert handed_in_sheets(tmp_path) == []


def test_a_cases_folder_the_dashboard_cannot_write_refuses_each_file_clearly(tmp_path):
    if os.geteuid() == 0:
        blocker = tmp_path / HANDIN_FOLDER
        blocker.write_text("a file where the folder should be")  # root ignores permissions
    else:
        tmp_path.chmod(0o500)
    try:
        results = hand_in_all(tmp_path, [("a.csv", sheet_of(a_case())), ("b.csv", b"x")])
    finally:
        tmp_path.chmod(0o700)
    assert [(r.outcome, r.key) for r in results] == [(REFUSED, "trainer.handin.not_written")] * 2
