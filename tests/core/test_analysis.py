"""complaint.analysis: the workshop as typed DataFrames, anonymised like the exports, unreadable sheets reported."""

from __future__ import annotations

import pandas as pd
import pytest

from complaint.analysis import answers_frame, cases_frame, contacts_frame, tables
from complaint.export import is_anonymous_key
from complaint.synthetic import write_workshop
from complaint.trainer.summary import WORK_STEPS
from tests.core.test_export import assert_no_personal_detail
from tests.seeded import PERSONAL, seeded_case

TRUNCATED = "0123456789abcdef01234567.csv"


@pytest.fixture
def folder(store):
    seeded = seeded_case(store.new_case("en"))
    store.save(seeded)
    plain = store.new_case("zh")
    plain.problem = "account_locked"
    store.save(plain)
    (store.root / TRUNCATED).write_bytes(b"key,label,value,display\r\nformat_version,,5,\r\n")
    return store.root, seeded, plain


def everything_in(frame: pd.DataFrame) -> str:
    return "\n".join(
        [
            *map(str, frame.columns),
            *(str(value) for column in frame.columns for value in frame[column].tolist()),
        ]
    )


def test_the_case_table_is_typed(folder):
    root, seeded, plain = folder
    cases = cases_frame(root).set_index("case_id")
    assert list(cases.index.sort_values()) == sorted([seeded.case_id, plain.case_id])
    assert (
        isinstance(cases["problem"].dtype, pd.CategoricalDtype)
        and "funds_not_arriving" in cases["problem"].cat.categories
    )
    assert (
        cases.loc[seeded.case_id, "problem"] == "other"
        and cases.loc[plain.case_id, "problem"] == "account_locked"
    )
    assert (
        cases["amount"].dtype == "float64"
        and cases.loc[seeded.case_id, "amount"] == 1280.5
        and pd.isna(cases.loc[plain.case_id, "amount"])
    )
    assert isinstance(cases["created_at"].dtype, pd.DatetimeTZDtype) and cases.loc[
        seeded.case_id, "created_at"
    ] == pd.Timestamp(seeded.created_at)
    for name in (
        "contacts",
        "evidence_ready",
        "evidence_total",
        "audit_score",
        "audit_answered",
        "audit_items",
    ):
        assert cases[name].dtype == "Int64", name
    assert cases.loc[seeded.case_id, "contacts"] == 1 and pd.isna(
        cases.loc[plain.case_id, "audit_score"]
    )
    steps = cases[f"step.{WORK_STEPS[0]}"]
    assert steps.cat.ordered and list(steps.cat.categories) == ["todo", "started", "done"]
    assert cases.loc[seeded.case_id, "participant_label"] == PERSONAL["participant_label"]
    assert str(cases["next_date"].dtype).startswith("datetime64[")


def test_unreadable_sheets_are_reported_with_the_dashboards_reason_not_fatal(folder):
    root, _seeded, _plain = folder
    for frame in (
        cases_frame(root, language="en"),
        answers_frame(root, language="en"),
        contacts_frame(root, language="en"),
    ):
        (problem,) = frame.attrs["unreadable"]
        assert (
            problem.path == TRUNCATED
            and problem.key.startswith("sheet.")
            and problem.reason
            and "{" not in problem.reason
        )
    assert (
        tables(root, language="zh").unreadable[0].reason
        != tables(root, language="en").unreadable[0].reason
    )  # translated


def test_a_sheet_damaged_after_it_was_summarised_is_reported_not_fatal(folder):
    from complaint.analysis import tables_of
    from complaint.trainer.index import CaseIndex

    root, seeded, _plain = folder
    index = CaseIndex(root, index_file=None)
    overview = index.refresh()
    damaged = next(s.path for s in overview.cases if s.case_id == seeded.case_id)
    (root / damaged).write_bytes(b"not a sheet")
    result = tables_of(overview.cases, index.sheet_bytes, language="en")
    assert [p.path for p in result.unreadable] == [damaged]
    assert seeded.case_id not in set(result.cases["case_id"]) | set(
        result.answers["case_id"]
    ) | set(result.contacts["case_id"])


def test_the_answers_are_the_long_table_and_contacts_one_row_each(folder):
    root, seeded, _plain = folder
    answers = answers_frame(root)
    mine = answers[answers["case_id"] == seeded.case_id].set_index("key")
    assert (
        mine.loc["amount", "value"] == "1280.50"
        and mine.loc["description", "value"] == PERSONAL["description"]
    )
    assert isinstance(answers["key"].dtype, pd.CategoricalDtype)
    contacts = contacts_frame(root)
    (row,) = contacts[contacts["case_id"] == seeded.case_id].to_dict("records")
    assert (
        row["contact"] == 1
        and row["channel"] == "phone_hotline"
        and row["outcome"] == "pending"
        and row["agent"] == PERSONAL["agent"]
    )
    assert row["when"] == pd.Timestamp(2026, 11, 21, 10, 0) and row["promised_by"] == pd.Timestamp(
        2026, 11, 28
    )
    assert isinstance(contacts["channel"].dtype, pd.CategoricalDtype) and str(
        contacts["when"].dtype
    ).startswith("datetime64[")


def test_the_plain_tables_carry_the_personal_values_so_the_check_can_fail(folder):
    root, _seeded, _plain = folder
    result = tables(root)
    text = "\n".join(
        everything_in(frame) for frame in (result.cases, result.answers, result.contacts)
    )
    assert {field for field, value in PERSONAL.items() if value not in text} == set()


def test_anonymised_tables_keep_no_personal_value_and_rekey_ids_joinably(folder):
    root, seeded, _plain = folder
    result = tables(root, anonymise=True)
    for frame in (result.cases, result.answers, result.contacts):
        text = everything_in(frame)
        assert_no_personal_detail(text)
        assert seeded.case_id not in text and "participant" not in frame.columns
    assert all(is_anonymous_key(key) for key in result.answers["key"].unique())
    assert list(result.contacts.columns) == [
        "case_id",
        "contact",
        "when",
        "channel",
        "promised_by",
        "outcome",
    ]
    # One key for the three tables: they join on the new ids...
    amount = result.answers[result.answers["key"] == "amount"].set_index("case_id")["value"]
    joined = result.cases.set_index("case_id").join(amount.rename("answered_amount"))
    assert (joined["answered_amount"] == "1280.50").sum() == 1 and set(
        result.contacts["case_id"]
    ) <= set(result.cases["case_id"])
    # ...but two anonymised tables made separately cannot be joined to each other.
    assert not set(cases_frame(root, anonymise=True)["case_id"]) & set(result.cases["case_id"])


def test_the_case_table_matches_the_dashboard_on_a_generated_workshop(tmp_path):
    from complaint.trainer.counts import counts
    from complaint.trainer.index import CaseIndex

    write_workshop(tmp_path / "w", 60, summaries=True, participants=3)
    overview = CaseIndex(tmp_path / "w", index_file=None).refresh()
    result = tables(tmp_path / "w")
    assert len(result.cases) == 60 and result.unreadable == ()
    tally = counts(overview.cases)
    assert result.cases["problem"].value_counts().loc[lambda s: s > 0].to_dict() == dict(
        tally["problem"]
    )
    assert int(result.cases["contacts"].sum()) == len(result.contacts)
    assert set(result.cases["participant"]) == {
        "participant000",
        "participant001",
        "participant002",
    }


# ---- the three tables as one .xlsx (the trainer's Excel export) ------------------------------


def read_back(data: bytes) -> dict[str, list[dict]]:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for table in book.worksheets:
        rows = list(table.iter_rows())
        names = [cell.value for cell in rows[0]]
        sheets[table.title] = [dict(zip(names, row, strict=True)) for row in rows[1:]]
    return sheets


def test_the_xlsx_has_a_typed_sheet_per_table_and_no_live_formula(folder, store):
    from datetime import datetime

    from complaint.xlsx import tables_xlsx

    root, seeded, _plain = folder
    seeded.description = '=HYPERLINK("http://example.com","x")'
    seeded.contacts[0].agent = "@SUM(1+1)"
    store.save(seeded)
    result = tables(root)
    sheets = read_back(tables_xlsx(result.cases, result.answers, result.contacts))
    assert list(sheets) == ["cases", "answers", "contacts"]
    (case,) = [row for row in sheets["cases"] if row["case_id"].value == seeded.case_id]
    assert case["amount"].value == 1280.5 and case["amount"].data_type == "n"
    assert (
        case["contacts"].value == 1
        and isinstance(case["created_at"].value, datetime)
        and case["audit_score"].value is not None
    )
    assert (
        case["problem"].value == "other"
        and case["participant_label"].value == PERSONAL["participant_label"]
    )
    answers = {
        row["key"].value: row for row in sheets["answers"] if row["case_id"].value == seeded.case_id
    }
    assert answers["amount"]["value"].data_type == "n" and answers["event_date"]["value"].is_date
    assert (
        answers["description"]["value"].value.startswith("=HYPERLINK")
        and answers["description"]["value"].data_type == "s"
    )
    assert answers["description"]["value"].quotePrefix  # stays text when someone edits the cell
    (contact,) = [row for row in sheets["contacts"] if row["case_id"].value == seeded.case_id]
    assert (
        contact["when"].value == datetime(2026, 11, 21, 10, 0)
        and contact["agent"].data_type == "s"
        and contact["agent"].quotePrefix
    )
    every_cell = [cell for rows in sheets.values() for row in rows for cell in row.values()]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]


def test_the_anonymised_xlsx_keeps_no_personal_value(folder):
    import io

    import openpyxl

    from complaint.xlsx import tables_xlsx

    root, seeded, _plain = folder
    result = tables(root, anonymise=True)
    book = openpyxl.load_workbook(
        io.BytesIO(tables_xlsx(result.cases, result.answers, result.contacts))
    )
    text = "\n".join(
        str(cell.value) for table in book.worksheets for row in table.iter_rows() for cell in row
    )
    assert_no_personal_detail(text)
    assert seeded.case_id not in text and "1280.5" in text
