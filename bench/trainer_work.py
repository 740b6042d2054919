"""The trainer's long actions (issue 13): reading a CFPB export, and exporting a 2,000-sheet workshop.

- CFPB: ``complaint.cfpb.summarise_cfpb`` (the standard library's csv, row by row, every bad row
  reported) against ``pandas.read_csv`` with its C parser on the same file (the reference: what
  a trainer with pandas would get, without row numbers or a way to stop), in the same run.
- Export: the anonymised combined CSV and ZIP of 2,000 generated sheets (complaint.export), the
  work the dashboard does in its worker thread before the link is sent.
"""

from __future__ import annotations

import time

from .common import Options, Row, fmt, ratio, summary

TITLE = "Trainer's long actions: CFPB export read, 2,000-sheet export"


def run(options: Options) -> dict:
    from complaint.cfpb import summarise_cfpb
    from complaint.synthetic import cfpb_export

    chunk = cfpb_export(20_000, 7)
    header, body = chunk.split(b"\r\n", 1)
    megabytes = 20 if options.quick else 200
    path = options.work_dir / "cfpb.csv"
    with open(path, "wb") as handle:
        handle.write(chunk)
        while handle.tell() < megabytes * 1024 * 1024:
            handle.write(body)
    size_mb = path.stat().st_size / 1024 / 1024

    def read_ours() -> None:
        with open(path, "rb") as handle:
            summarise_cfpb(handle)

    def read_pandas() -> None:
        import pandas as pd

        pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            encoding_errors="replace",
            on_bad_lines="skip",
        )

    ours, theirs = [], []
    for _ in range(options.runs(3, quick=1)):  # interleaved: the machine's load hits both alike
        for action, values in ((read_ours, ours), (read_pandas, theirs)):
            start = time.perf_counter()
            action()
            values.append(time.perf_counter() - start)
    path.unlink()
    return {
        "cfpb_mb": size_mb,
        "cfpb_seconds": summary(ours),
        "pandas_seconds": summary(theirs),
        **export_timings(options),
    }


def export_timings(options: Options) -> dict:
    from complaint.export import SheetFile, combined_csv, sheets_zip
    from complaint.synthetic import write_workshop

    root = options.work_dir / "workshop-2000"
    paths = write_workshop(root, 2_000, participants=20)
    sheets = [SheetFile(str(p.relative_to(root)), p.parent.name, p.read_bytes()) for p in paths]
    results = {}
    for name, export in (("combined", combined_csv), ("zip", sheets_zip)):
        values = []
        for _ in range(options.runs(3, quick=1)):
            start = time.perf_counter()
            data, skipped = export(sheets, anonymise=True)
            values.append(time.perf_counter() - start)
            assert not skipped
        results[f"{name}_seconds"] = summary(values)
        results[f"{name}_mb"] = len(data) / 1024 / 1024
    return results


def rows(result: dict) -> list[Row]:
    mb = result["cfpb_mb"]
    ours, theirs = result["cfpb_seconds"], result["pandas_seconds"]
    return [
        Row(
            f"CFPB export of {mb:.0f} MB read (`summarise_cfpb`; reference: `pandas.read_csv`)",
            fmt(ours, "s"),
            fmt(theirs, "s"),
            ratio(ours, theirs),
        ),
        Row("… throughput", f"{mb / ours['median']:.0f} MB/s", f"{mb / theirs['median']:.0f} MB/s"),
        Row(
            f"anonymised combined CSV of 2,000 sheets ({result['combined_mb']:.1f} MB)",
            fmt(result["combined_seconds"], "s"),
        ),
        Row(
            f"anonymised ZIP of 2,000 sheets ({result['zip_mb']:.1f} MB)",
            fmt(result["zip_seconds"], "s"),
        ),
    ]
