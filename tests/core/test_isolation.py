"""One participant can reach only their own case, by its resume code: these tests try the ways in.

Guessing: a code carries 80 random bits; nothing derived from it (file name, case id in the
sheet) gives it back. Path tricks: whatever is typed as a code, the store opens at most one
file, ``<root>/<sha256 prefix>.csv``. Listing: no code path of the participant's workbook lists
the cases folder. (Over HTTP: tests/browser/test_workshop.py; on a JupyterHub: tests/hub/.)
"""

from __future__ import annotations

import ast
import math
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint.codes import (
    ALPHABET,
    CODE_LENGTH,
    case_id_for,
    format_code,
    new_code,
    normalise_code,
)
from complaint.errors import CaseNotFound, CaseSheetError, InvalidInput
from complaint.storage import CaseStore

ROOT = Path(__file__).resolve().parents[2]


def test_a_code_carries_80_random_bits():
    assert CODE_LENGTH * math.log2(len(ALPHABET)) == 80
    codes = {new_code() for _ in range(5000)}
    assert len(codes) == 5000
    # Every symbol is used at every position: no position is fixed or predictable.
    assert all({code[i] for code in codes} == set(ALPHABET) for i in range(CODE_LENGTH))


def test_what_others_can_see_of_a_case_does_not_open_it(store):
    case = store.new_case("zh")
    store.save(case)
    path = store.path_for(case.code)
    for seen in (case.case_id, path.name, path.stem[:16], path.stem[-16:]):
        with pytest.raises((InvalidInput, CaseNotFound)):
            store.load(seen)
    assert case.code not in path.read_text(encoding="utf-8-sig")


def test_a_code_one_symbol_off_opens_nothing(store):
    case = store.new_case("zh")
    store.save(case)
    for position in range(CODE_LENGTH):
        other = ALPHABET[(ALPHABET.index(case.code[position]) + 1) % len(ALPHABET)]
        neighbour = case.code[:position] + other + case.code[position + 1 :]
        with pytest.raises(CaseNotFound):
            store.load(neighbour)


PATH_TRICKS = [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "/etc/passwd",
    "~/.ssh/id_rsa",
    "C:\\Windows\\win.ini",
    "....//....//",
    "\x00",
    "ABCD-EFGH-JKMN-PQR\x00",
    "ABCD/EFGH/JKMN/PQRS",
    "*",
    "?",
    "[0-9]*",
]


@pytest.mark.parametrize("typed", PATH_TRICKS)
def test_path_tricks_are_not_codes(store, typed):
    with pytest.raises(InvalidInput):
        store.load(typed)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=st.text(max_size=40))
def test_whatever_is_typed_the_store_opens_at_most_one_file_inside_its_folder(store, typed):
    try:
        code = normalise_code(typed)
    except InvalidInput:
        return
    path = store.path_for(code)
    assert path.parent == store.root and path.name == f"{case_id_for(code)}.csv"
    with pytest.raises((CaseNotFound, CaseSheetError)):
        store.load(typed)


def test_a_sheet_copied_over_another_case_is_refused(store):
    """Copying someone's sheet onto your own case's file does not make it yours to open."""
    mine, theirs = store.new_case("zh"), store.new_case("zh")
    theirs.description = "their narrative"
    for case in (mine, theirs):
        store.save(case)
    store.path_for(mine.code).write_bytes(store.path_for(theirs.code).read_bytes())
    with pytest.raises(CaseSheetError):
        store.load(format_code(mine.code))


def test_kept_evidence_files_live_in_the_cases_own_folder(store):
    from datetime import datetime

    from complaint.evidence import evidence_file

    case = store.new_case("zh")
    record = evidence_file(
        "../../../../tmp/evil.png", "image/png", b"png", datetime.now(UTC), keep=True
    )
    path = store.keep_file(case, record, b"png")
    assert (
        path.parent == store.root / f"{case.case_id}.files"
        and ".." not in path.name
        and "/" not in record.name
    )


def _listing_calls(path: Path) -> list[str]:
    """Calls that list a folder (glob, iterdir, scandir, listdir, walk) in one module."""
    names = {"glob", "rglob", "iterdir", "scandir", "listdir", "walk"}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", "")) in names
    ]


def test_the_participants_workbook_never_lists_the_cases_folder():
    """Only the trainer's dashboard (a separate server) and the benchmark tools list folders."""
    modules = [*(ROOT / "widgets").glob("*.py"), *(ROOT / "complaint").rglob("*.py")]
    found = sorted(call.split(":")[0] for module in modules for call in _listing_calls(module))
    # trainer/index.py: the trainer's index of the cases folder; trainer/summary.py: the content
    # files summaries depend on; escalation.py and catalog.py: list data/jurisdictions/ (routes;
    # channel cards); i18n.py: data/i18n/ (the languages).
    assert found == [
        "catalog.py",
        "escalation.py",
        "i18n.py",
        "index.py",
        "summary.py",
        "summary.py",
    ]
    for module in (
        "trainer",
        "export",
        "synthetic",
        "charts",
    ):  # the trainer's modules stay out of the workbook
        for name in ("app.py", "start.py", "review.py"):
            assert f"complaint.{module}" not in (ROOT / "widgets" / name).read_text(
                encoding="utf-8"
            )
    # The store itself offers no way to enumerate cases.
    assert not [
        name
        for name in dir(CaseStore)
        if any(word in name for word in ("list", "all", "iter", "find", "search"))
    ]
