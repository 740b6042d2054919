from datetime import date
from pathlib import Path

import pytest

from complaint.cfpb import WALLET_PRODUCT, summarise_cfpb
from complaint.errors import CaseSheetError

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
    wallet = f'"{WALLET_PRODUCT}",Mobile or digital wallet,Fraud or scam,,,,Example Pay,CA,900XX,,,Web,,'
    rows = [
        f"9/8/19,{wallet}Closed with monetary relief,Yes,N/A,1001,",
        f"2024-03-01,{wallet}In progress,No,N/A,1002,",
        f"31/31/19,{wallet}In progress,Yes,N/A,1003,",  # a date that is no date
        f"9/9/19,{wallet}In progress,Yes,N/A,,",  # no complaint id
        "too,short",
    ]
    summary = summarise_cfpb("\n".join([header, *rows]).encode("utf-8"))
    assert summary.kept == 2 and summary.sub_products == {"Mobile or digital wallet": 2}
    assert summary.timely == {"Yes": 1, "No": 1} and summary.first == date(2019, 9, 8) and summary.last == date(2024, 3, 1)
    assert summary.bad_rows == [(4, "date"), (5, "complaint_id"), (6, "columns")]


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00garbage", b"Date received,Product\n1/1/20,x\n", "键,值\n".encode()])
def test_anything_else_is_refused_with_a_message(data):
    with pytest.raises(CaseSheetError, match="cfpb.not_an_export"):
        summarise_cfpb(data)


def test_a_file_is_read_as_a_stream_and_stays_open(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(SAMPLE)
    with open(path, "rb") as handle:
        assert summarise_cfpb(handle).kept == 1
        assert not handle.closed  # the caller's file: the caller closes it


def test_a_file_that_stops_being_utf8_keeps_what_was_read():
    header, first, *rest = SAMPLE.split(b"\n")
    summary = summarise_cfpb(b"\n".join([header, first, *rest[:3], b"\xff\xfe broken", *rest[3:]]), wallet_only=False)
    assert summary.bad_rows and summary.bad_rows[-1][1] == "encoding" and summary.kept >= 1
