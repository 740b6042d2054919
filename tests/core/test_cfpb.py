import io
import itertools
from datetime import date
from pathlib import Path

import pytest

from complaint.cfpb import WALLET_PRODUCT, summarise_cfpb
from complaint.errors import CaseSheetError
from complaint.synthetic import CFPB_COLUMNS, cfpb_export

SAMPLE = (Path(__file__).resolve().parents[1] / "fixtures" / "cfpb-ccdb-v2-sample.csv").read_bytes()


def test_the_public_sample_keeps_money_transfers_and_counts_the_rest():
    summary = summarise_cfpb(SAMPLE)
    assert summary.kept == 1 and summary.skipped_other_products == 29 and summary.bad_rows == []
    assert summary.sub_products == {"Domestic (US) money transfer": 1}
    assert sum(summary.responses.values()) == 1 and set(summary.timely) <= {"Yes", "No"}


def test_every_product_when_asked():
    summary = summarise_cfpb(SAMPLE, wallet_only=False)
    assert summary.kept == 30 and summary.responses["Closed with explanation"] == 22
    assert summary.first <= summary.last and summary.timely == {"Yes": 30}


def test_wallet_rows_bad_rows_and_both_date_styles():
    header, *_ = SAMPLE.decode("utf-8").splitlines()
    wallet = (
        f'"{WALLET_PRODUCT}",Mobile or digital wallet,Fraud or scam,,,,Example Pay,CA,900XX,,,Web,,'
    )
    rows = [
        f"9/8/19,{wallet}Closed with monetary relief,Yes,N/A,1001,",
        f"2024-03-01,{wallet}In progress,No,N/A,1002,",
        f"31/31/19,{wallet}In progress,Yes,N/A,1003,",  # a date that is no date
        f"9/9/19,{wallet}In progress,Yes,N/A,,",  # no complaint id
        "too,short",
    ]
    summary = summarise_cfpb("\n".join([header, *rows]).encode("utf-8"))
    assert summary.kept == 2 and summary.sub_products == {"Mobile or digital wallet": 2}
    assert (
        summary.timely == {"Yes": 1, "No": 1}
        and summary.first == date(2019, 9, 8)
        and summary.last == date(2024, 3, 1)
    )
    assert summary.bad_rows == [(4, 4, "date"), (5, 5, "complaint_id"), (6, 6, "columns")]
    assert (summary.rows, summary.read, summary.bad) == (5, 2, 3)


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe\x00garbage", b"Date received,Product\n1/1/20,x\n", "键,值\n".encode()]
)
def test_anything_else_is_refused_with_a_message(data):
    with pytest.raises(CaseSheetError, match="cfpb.not_an_export"):
        summarise_cfpb(data)


def test_a_file_is_read_as_a_stream_and_stays_open(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(SAMPLE)
    with open(path, "rb") as handle:
        assert summarise_cfpb(handle).kept == 1
        assert not handle.closed  # the caller's file: the caller closes it


def test_a_byte_that_is_not_utf8_costs_its_own_row_only():
    """The first version stopped reading at the first such byte and lost every row after it."""
    header, *rows = SAMPLE.rstrip(b"\n").split(b"\n")
    broken = rows[3].replace(b"Closed", b"Clos\xe9d", 1)
    summary = summarise_cfpb(b"\n".join([header, *rows[:3], broken, *rows[4:]]), wallet_only=False)
    assert summary.bad_rows == [(5, 5, "encoding")]
    assert (summary.rows, summary.read, summary.kept) == (30, 29, 29)


# ---- checked against an independent count: pandas, on generated exports ------------------------

COLUMNS = SAMPLE.decode("utf-8").splitlines()[0].split(",")


def test_the_generated_exports_have_the_columns_of_a_real_one():
    assert tuple(COLUMNS) == CFPB_COLUMNS
    assert (
        cfpb_export(3, 1, damaged=False).decode("utf-8-sig").split("\r\n")[0]
        == SAMPLE.decode("utf-8").splitlines()[0]
    )


def pandas_count(data: bytes) -> dict:
    """The same figures, worked out by pandas: an independent CSV parser and decoder."""
    import pandas as pd

    too_many = []
    frame = pd.read_csv(
        io.BytesIO(data),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        encoding="utf-8-sig",
        encoding_errors="replace",
        engine="python",
        on_bad_lines=lambda fields: too_many.append(fields) and None,
    )
    short = frame[frame.columns[-1]].isna() | frame["Complaint ID"].isna()
    readable = frame[
        ~short & ~frame.apply(lambda row: row.str.contains("\ufffd", regex=False).any(), axis=1)
    ]
    dates = pd.to_datetime(readable["Date received"], format="mixed", errors="coerce")
    wallet = readable[readable["Product"] == WALLET_PRODUCT]
    wallet_dates = dates[wallet.index]
    good = wallet[wallet_dates.notna() & (wallet["Complaint ID"] != "")]
    return {
        "rows": len(frame) + len(too_many),
        "other": int((readable["Product"] != WALLET_PRODUCT).sum()),
        "kept": len(good),
        "responses": dict(good["Company response to consumer"].value_counts()),
        "timely": dict(good["Timely response?"].value_counts()),
        "first": dates[good.index].min().date(),
        "last": dates[good.index].max().date(),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_figures_equal_an_independent_count_by_pandas(seed):
    data = cfpb_export(3_000, seed)
    expected = pandas_count(data)
    summary = summarise_cfpb(data)
    assert summary.rows == expected["rows"] and summary.kept == expected["kept"]
    assert summary.skipped_other_products == expected["other"]
    assert summary.responses == expected["responses"] and summary.timely == expected["timely"]
    assert (summary.first, summary.last) == (expected["first"], expected["last"])
    assert summary.read + summary.bad == summary.rows and summary.bad == len(summary.bad_rows) > 30
    assert {bad.reason for bad in summary.bad_rows} == {
        "encoding",
        "columns",
        "date",
        "complaint_id",
    }


def test_a_bad_row_is_named_by_its_row_and_the_line_where_it_starts():
    header = ",".join(COLUMNS)
    wallet = f'"{WALLET_PRODUCT}",Mobile or digital wallet,Fraud,,"two\nlines",,Example Pay,CA,900XX,,,Web,,'
    good = f"9/8/19,{wallet}In progress,Yes,N/A,1001,"
    data = "\n".join([header, good, good, "short,row", good]).encode("utf-8")
    summary = summarise_cfpb(data)
    assert summary.bad_rows == [(4, 6, "columns")] and summary.kept == 3 and summary.rows == 4


def test_progress_is_reported_and_the_reading_can_be_stopped(monkeypatch):
    import complaint.cfpb as cfpb

    monkeypatch.setattr(cfpb, "PROGRESS_EVERY", 500)
    data = cfpb_export(2_000, 3)
    seen = []
    summary = summarise_cfpb(
        io.BytesIO(data), progress=lambda rows, size: seen.append((rows, size))
    )
    assert [rows for rows, _ in seen[:3]] == [500, 1000, 1500] and seen[-1] == (
        summary.rows,
        len(data),
    )
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(seen)) and not summary.cancelled
    stopped = summarise_cfpb(io.BytesIO(data), should_stop=lambda: True)
    assert stopped.cancelled and stopped.rows == 500 and stopped.bytes_read < len(data)


def test_only_the_first_bad_rows_are_listed_but_all_are_counted(monkeypatch):
    import complaint.cfpb as cfpb

    monkeypatch.setattr(cfpb, "BAD_ROWS_LISTED", 3)
    summary = summarise_cfpb("\n".join([",".join(COLUMNS)] + ["x,y"] * 10).encode())
    assert summary.bad == 10 and len(summary.bad_rows) == 3 and summary.read == 0
