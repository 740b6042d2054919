"""The case bundle (ZIP): its files, its MANIFEST, safe names, and the way back in."""

import hashlib
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from complaint.bundle import (
    MANIFEST_NAME,
    MAX_MEMBERS,
    bundle_filename,
    make_bundle,
    portable_name,
    read_bundle,
)
from complaint.codes import format_code
from complaint.errors import InvalidInput
from complaint.evidence import fingerprint
from complaint.model import Case, Contact, EvidenceFile, EvidenceItem
from complaint.sheet import write_sheet

TODAY = date(2026, 9, 26)
STAMP = datetime(2026, 9, 26, 8, 30, tzinfo=UTC)
SCREENSHOT = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
RECEIPT = "收据：¥120.00\n".encode()


def _record(name: str, data: bytes, kept: bool = True) -> EvidenceFile:
    return EvidenceFile(
        name,
        len(data),
        "image/png",
        datetime(2026, 9, 25, 10, 0, tzinfo=UTC),
        fingerprint(data),
        kept,
    )


def case_with_evidence(store, language="zh") -> Case:
    case = store.new_case(language)
    case.problem, case.provider, case.description, case.goal = (
        "other",
        "alipay",
        "转账未到账",
        "refund",
    )
    case.contacts = [
        Contact(
            when=datetime(2026, 9, 25, 9, 0),
            channel="online_chat",
            promised="退款",
            promised_by=date(2026, 9, 30),
            outcome="pending",
        )
    ]
    shot, receipt, device = (
        _record("转账截图.png", SCREENSHOT),
        _record("CON.txt", RECEIPT),
        _record("aux", b"x"),
    )
    changed, gone = (
        _record("聊天记录.png", b"original bytes"),
        _record("lost.pdf", b"%PDF-1.4 lost"),
    )
    case.evidence = {
        "transaction_record": EvidenceItem(
            status="have", files=[shot, changed, _record("not-kept.png", b"n", kept=False)]
        ),
        "service_chat": EvidenceItem(
            status="have", files=[receipt, device, gone, shot]
        ),  # the same file twice
    }
    for record, data in ((shot, SCREENSHOT), (receipt, RECEIPT), (device, b"x")):
        store.keep_file(case, record, data)
    store.keep_file(
        case, changed, b"edited later"
    )  # the kept copy no longer matches its fingerprint
    store.save(case)
    return case


def _read_kept(store, case):
    def read(record):
        try:
            return store.kept_file_path(case, record).read_bytes()
        except FileNotFoundError:
            return None

    return read


def _bundle(store, case):
    return make_bundle(case, TODAY, write_sheet(case), _read_kept(store, case), STAMP)


def test_the_bundle_holds_every_file_and_the_manifest_lists_each_with_its_sha256(store):
    case = case_with_evidence(store)
    bundle = _bundle(store, case)
    archive = zipfile.ZipFile(io.BytesIO(bundle.data))
    names = archive.namelist()
    assert names == bundle.names and names[-1] == MANIFEST_NAME
    suffixes = sorted(n.rsplit(".", 1)[-1] for n in names if "/" not in n)
    assert suffixes == [
        "csv",
        "html",
        "ics",
        "txt",
        "txt",
        "txt",
        "txt",
        "xlsx",
    ]  # 2 statements, print note, MANIFEST
    assert "证据/转账截图.png" in names and "证据/_CON.txt" in names and "证据/_aux" in names
    assert (
        sum(n.startswith("证据/") for n in names) == 4
    )  # kept once each; the missing and the unkept are not there
    manifest = archive.read(MANIFEST_NAME).decode("utf-8")
    listed = {
        line.split("  ", 1)[1]: line.split("  ", 1)[0]
        for line in manifest.splitlines()
        if line and not line.startswith("#")
    }
    assert set(listed) == set(names) - {MANIFEST_NAME}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    assert archive.read("证据/转账截图.png") == SCREENSHOT
    assert archive.read(next(n for n in names if n.endswith(".csv"))) == write_sheet(case)
    assert (
        len(
            Calendar.from_ical(archive.read(next(n for n in names if n.endswith(".ics")))).walk(
                "VEVENT"
            )
        )
        == 3
    )
    assert "另存为 PDF" in archive.read(next(n for n in names if "PDF" in n)).decode("utf-8-sig")
    assert format_code(case.code) not in manifest and case.code not in bundle.data.decode("latin-1")


def test_the_evidence_fingerprints_of_the_sheet_are_checked_against_the_kept_files(store):
    case = case_with_evidence(store, "en")
    bundle = _bundle(store, case)
    assert bundle.mismatched == ["聊天记录.png"] and bundle.missing == ["lost.pdf"]
    manifest = zipfile.ZipFile(io.BytesIO(bundle.data)).read(MANIFEST_NAME).decode("utf-8")
    assert (
        f"# evidence/聊天记录.png: DOES NOT MATCH the fingerprint taken at upload ({fingerprint(b'original bytes')})"
        in manifest
    )
    assert "# evidence/转账截图.png: matches the fingerprint taken at upload" in manifest
    assert "# lost.pdf: MISSING" in manifest
    for record in (
        r
        for item in case.evidence.values()
        for r in item.files
        if r.kept and r.name not in bundle.mismatched + bundle.missing
    ):
        assert f"{record.sha256}  evidence/" in manifest  # the sheet's fingerprint is the file's


def test_chinese_names_carry_the_utf8_flag_and_every_name_is_portable(store):
    case = case_with_evidence(store)
    for info in zipfile.ZipFile(io.BytesIO(_bundle(store, case).data)).infolist():
        assert info.flag_bits & 0x800 or info.filename.isascii(), info.filename
        for part in info.filename.split("/"):
            assert part == portable_name(part) and len(part.encode("utf-8")) <= 150
            assert not any(c in part for c in '<>:"|?*\\')
    assert bundle_filename(case).startswith("案件压缩包-") and bundle_filename(case).endswith(
        ".zip"
    )
    assert (
        portable_name("nul.tar.gz") == "_nul.tar.gz"
        and portable_name("LPT1") == "_LPT1"
        and portable_name("console.txt") == "console.txt"
    )
    assert (
        portable_name('a<b>:c"d|e?f*.png') == "a_b__c_d_e_f_.png"
        and portable_name("../../etc/passwd") == "passwd"
    )


def test_names_differing_only_in_case_are_kept_apart(store):
    case = store.new_case("en")
    one, two = _record("Photo.PNG", b"1"), _record("photo.png", b"2")
    case.evidence = {"transaction_record": EvidenceItem(status="have", files=[one, two])}
    store.keep_file(case, one, b"1")
    store.keep_file(case, two, b"2")
    names = _bundle(store, case).names
    assert "evidence/Photo.PNG" in names and "evidence/photo-2.png" in names


def test_uploading_a_bundle_restores_the_case_and_its_kept_files_in_a_new_case(store):
    case = case_with_evidence(store)
    bundle = _bundle(store, case)
    before = sorted(p.name for p in store.root.rglob("*"))
    restored, kept = store.import_upload(bundle.data, "en")
    assert (
        sorted(p.name for p in store.root.rglob("*")) == before
    )  # nothing written before the caller saves
    assert restored.code != case.code and restored.case_id != case.case_id
    assert restored.description == "转账未到账" and restored.language == "en"
    by_name = {record.name: data for record, data in kept}
    assert by_name == {
        "转账截图.png": SCREENSHOT,
        "CON.txt": RECEIPT,
        "aux": b"x",
    }  # not the changed copy, not the lost one
    assert all(record.kept and fingerprint(data) == record.sha256 for record, data in kept)
    unmatched = [
        r
        for item in restored.evidence.values()
        for r in item.files
        if r.name in ("聊天记录.png", "lost.pdf", "not-kept.png")
    ]
    assert unmatched and not any(r.kept for r in unmatched)
    for record, data in kept:
        store.keep_file(restored, record, data)
    store.save(restored)
    again = store.load(restored.code)
    again_bundle = make_bundle(again, TODAY, write_sheet(again), _read_kept(store, again), STAMP)
    assert again_bundle.mismatched == [] and again_bundle.missing == []


def test_a_csv_upload_still_works_through_the_same_door(store):
    case = case_with_evidence(store)
    restored, kept = store.import_upload(write_sheet(case), "zh")
    assert kept == [] and restored.description == case.description


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, key",
    [
        (b"PK\x03\x04 not really a zip", "bundle.not_zip"),
        (_zip({"../../evil.csv": b"x"}), "bundle.unsafe_name"),
        (_zip({"/etc/cron.d/evil": b"x", "sheet.csv": b"x"}), "bundle.unsafe_name"),
        (_zip({"C:/Windows/evil.csv": b"x"}), "bundle.unsafe_name"),
        (_zip({"a\\..\\..\\evil.csv": b"x"}), "bundle.unsafe_name"),
        (_zip({f"f{n}.txt": b"" for n in range(MAX_MEMBERS + 1)}), "bundle.too_many"),
        (_zip({"sheet.csv": b"x", "bomb.txt": b"\0" * (70 * 1024 * 1024)}), "bundle.too_large"),
        (
            _zip({"sheet.csv": b"x", **{f"b{n}.txt": b"\0" * (9 * 1024 * 1024) for n in range(2)}}),
            "bundle.too_large",
        ),
        (_zip({"photo.png": b"x"}), "bundle.no_sheet"),
        (_zip({"a.csv": b"x", "b.CSV": b"y"}), "bundle.many_sheets"),
        (b"PK\x03\x04" + b"\0" * (9 * 1024 * 1024), "start.sheet_too_large"),
    ],
    ids=[
        "damaged",
        "traversal",
        "absolute",
        "drive",
        "backslash",
        "too-many",
        "bomb",
        "member-too-large",
        "no-sheet",
        "two-sheets",
        "upload-too-large",
    ],
)
def test_hostile_zips_are_refused_with_a_message_and_nothing_is_written(store, data, key):
    store.root.mkdir(parents=True, exist_ok=True)
    with pytest.raises(InvalidInput) as refused:
        store.import_upload(data, "zh")
    assert refused.value.key == key
    assert list(store.root.iterdir()) == []


def test_a_header_that_lies_about_the_size_does_not_get_past_the_count(store):
    data = bytearray(_zip({"sheet.csv": b"x", "bomb.txt": b"\0" * (10 * 1024 * 1024)}))
    # shrink the declared size of bomb.txt in its central directory entry to 1 byte
    at = data.rfind(b"PK\x01\x02")
    data[at + 24 : at + 28] = (1).to_bytes(4, "little")
    with pytest.raises(InvalidInput) as refused:
        read_bundle(bytes(data))
    assert refused.value.key in ("bundle.too_large", "bundle.not_zip")


def test_sha256sum_checks_an_unpacked_bundle_with_its_manifest(store, tmp_path):
    import subprocess

    zipfile.ZipFile(io.BytesIO(_bundle(store, case_with_evidence(store)).data)).extractall(tmp_path)
    result = subprocess.run(
        ["sha256sum", "-c", "MANIFEST.txt"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.count(": OK") == 11, (
        result.stdout + result.stderr
    )
    (tmp_path / "证据" / "转账截图.png").write_bytes(b"changed")
    assert (
        subprocess.run(
            ["sha256sum", "-c", "MANIFEST.txt"], cwd=tmp_path, capture_output=True
        ).returncode
        != 0
    )
