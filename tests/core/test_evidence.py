from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint.catalog import load_catalog
from complaint.errors import InvalidInput
from complaint.evidence import (
    UPLOAD_LIMIT_BYTES,
    check_upload,
    completeness,
    evidence_file,
    fingerprint,
    human_size,
    safe_filename,
)
from complaint.model import Case, EvidenceItem

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def test_fingerprint_is_sha256_of_the_bytes():
    assert fingerprint(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert fingerprint(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(
    "name, safe",
    [
        ("receipt.png", "receipt.png"),
        ("转账截图 2026-11-20.jpg", "转账截图 2026-11-20.jpg"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("a/b/c.pdf", "c.pdf"),
        ("..", "file"),
        ("...png", "png"),
        (".hidden.txt", "hidden.txt"),
        ("evil\x00name\n.txt", "evilname.txt"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # right-to-left override that disguises ".exe"
        ("what?<>|*.png", "what_____.png"),
        ("", "file"),
        ("x" * 300 + ".jpeg", "x" * 145 + ".jpeg"),
        ("转" * 100 + ".png", "转" * 48 + ".png"),  # 150 bytes of UTF-8, not 150 characters
        ("e\u200b\u0301.png", "é.png"),  # stripping an invisible character, then normalising again
        ("ｒｅｃｅｉｐｔ．ｐｎｇ", "receipt.png"),  # full-width, as typed by a Chinese IME
    ],
)
def test_dangerous_names_are_neutralised(name, safe):
    assert safe_filename(name) == safe
    assert len(safe_filename(name).encode("utf-8")) <= 150


@given(st.text())
def test_cleaning_a_clean_name_changes_nothing(name):
    once = safe_filename(name)
    assert safe_filename(once) == once
    assert "/" not in once and "\\" not in once and once not in ("", ".", "..")
    assert len(once.encode("utf-8")) <= 150


def test_uploads_are_checked_for_size_and_kind():
    check_upload("a.png", 1)
    check_upload("scan.PDF", UPLOAD_LIMIT_BYTES)
    with pytest.raises(InvalidInput, match="upload.too_large") as caught:
        check_upload("a.png", UPLOAD_LIMIT_BYTES + 1)
    assert caught.value.params == {"limit_mb": 8}
    with pytest.raises(InvalidInput, match="upload.empty"):
        check_upload("a.png", 0)
    with pytest.raises(InvalidInput, match="upload.wrong_type"):
        check_upload("installer.exe", 10)
    with pytest.raises(InvalidInput, match="upload.wrong_type"):
        check_upload("no-extension", 10)


def test_evidence_file_record():
    record = evidence_file("../截图.png", "image/png", b"abc", NOW, keep=True)
    assert (record.name, record.size, record.media_type, record.kept) == (
        "截图.png",
        3,
        "image/png",
        True,
    )
    assert record.sha256 == fingerprint(b"abc") and record.uploaded_at == NOW
    assert (
        evidence_file("a.txt", "text/plain\r\nX-Evil: 1", b"x", NOW, keep=False).media_type
        == "application/octet-stream"
    )


def test_checklists_are_tailored_to_the_problem():
    catalog = load_catalog()
    locked = [item.id for item in catalog.evidence_for("account_locked")]
    ads = [item.id for item in catalog.evidence_for("false_advertising")]
    assert "identity_documents" in locked and "identity_documents" not in ads
    assert "advertisement" in ads and "advertisement" not in locked
    assert "transaction_record" in locked and "transaction_record" in ads  # items for every problem
    assert [i.id for i in catalog.evidence_for("")] == [i.id for i in catalog.evidence_for("other")]


def test_completeness_counts_have_over_what_applies():
    case = Case(problem="account_locked")
    items = [item.id for item in load_catalog().evidence_for("account_locked")]
    state = completeness(case, load_catalog())
    assert (state.ready, state.total, state.missing) == (0, len(items), tuple(items))
    case.evidence[items[0]] = EvidenceItem(status="have")
    case.evidence[items[1]] = EvidenceItem(status="na")
    case.evidence[items[2]] = EvidenceItem(status="need")
    state = completeness(case, load_catalog())
    assert (state.ready, state.total) == (1, len(items) - 1)
    assert (
        items[0] not in state.missing
        and items[1] not in state.missing
        and items[2] in state.missing
    )


def test_human_sizes():
    assert [human_size(n) for n in (12, 2048, 3 * 1024 * 1024)] == ["12 B", "2 KB", "3.0 MB"]
