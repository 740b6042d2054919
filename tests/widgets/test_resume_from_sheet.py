"""The start screen takes a downloaded case sheet back: a new case, a new code, the user told so."""

import html
from pathlib import Path

import pytest

from complaint.codes import format_code
from tests.widgets.conftest import choose_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def upload_sheet(app, data: bytes, name: str = "case-sheet.csv") -> None:
    app.start.sheet_opener.click()  # the upload is built when its button is clicked
    choose_files(app.start.sheet, (name, data))


def sheets_on_disk(store) -> list[Path]:
    return sorted(store.root.glob("*.csv")) if store.root.exists() else []


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_a_downloaded_sheet_of_any_version_opens_as_a_new_case(version, make_app, store):
    app = make_app("en")
    data = (FIXTURES / f"case-sheet-v{version}.csv").read_bytes()
    upload_sheet(app, data, f"sheet-v{version}.csv")
    case = app.case
    assert case is not None and app.start is None and app.save_state == "saved"
    banner = html.unescape(app.body.children[0].value)
    assert (
        f"sheet-v{version}.csv" in banner
        and format_code(case.code) in banner
        and "new case" in banner
    )
    assert format_code(case.code) in app.savebar.banner.value
    assert [p.stem for p in sheets_on_disk(store)] == [case.case_id]
    assert store.load(case.code).description == case.description != ""
    assert app.start is None and app.views["problem"].choice.value == case.problem


def test_the_answers_come_back_in_the_users_language(make_app, store, clock):
    writer = make_app("en")
    writer.start.new_button.click()
    writer.stepper.buttons["facts"].click()
    writer.views["facts"].description.value = "转账 88 元未到账"
    writer.views["facts"].transaction_id.value = "20261125000012345678"
    clock.run_due()
    sheet = writer.saved_bytes
    reader = make_app("zh")
    upload_sheet(reader, sheet)
    assert reader.case.code != writer.case.code and reader.case.language == "zh"
    assert "投诉记录表“case-sheet.csv”中的回答已恢复到一个新案件中" in html.unescape(
        reader.body.children[0].value
    )
    reader.stepper.buttons["facts"].click()
    assert reader.views["facts"].transaction_id.value == "20261125000012345678"
    assert reader.views["facts"].description.value == "转账 88 元未到账"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "这个文件不是文本格式的投诉记录表（CSV）。"),
        ("姓名,金额\r\n张三,1\r\n".encode("gb18030"), "这不是本工具的投诉记录表"),
        ((FIXTURES / "case-sheet-v5.csv").read_bytes()[:900], "投诉记录表"),
    ],
)
def test_a_damaged_or_foreign_file_is_explained_and_nothing_is_written(
    data, message, make_app, store
):
    app = make_app("zh")
    upload_sheet(app, data, "<b>x</b>.csv")
    assert app.case is None and app.start is not None and sheets_on_disk(store) == []
    shown = app.start.sheet_message.value
    assert 'role="alert"' in shown and message in html.unescape(shown)
    assert app.start.sheet.value == ()  # the bytes are not kept in the widget


def test_the_case_id_typed_as_a_code_opens_nothing_and_points_to_the_upload(make_app, store):
    writer = make_app("en")
    writer.start.new_button.click()
    reader = make_app("en")
    reader.start.code.value = writer.case.case_id
    assert reader.case is None
    assert "case ID written in a case sheet, not a resume code" in html.unescape(
        reader.start.message.value
    )


def test_the_upload_states_its_limit_for_the_page_guard(make_app):
    app = make_app("en")
    app.start.sheet_opener.click()
    note = next(
        c.value
        for c in app.start.widget.children
        if "wb-upload-limit" in str(getattr(c, "value", ""))
    )
    assert (
        "data-limit-bytes='8388608'" in note
        and "too large to be a case sheet or case bundle (at most 8 MB)" in html.unescape(note)
    )
    assert any("wb-upload" in c._dom_classes for c in app.start.widget.children)
