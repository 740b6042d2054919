"""The trainer dashboard's first look at 10,000 and 100,000 sheets (issue 17's targets: ≤ 0.5 s and
≤ 3 s), against reading as many rows with ``csv.reader``, measured in the same run.

    python -m bench.trainer_first_look            # what ``make bench`` runs after bench.run
    python -m bench.trainer_first_look --quick    # 1,000 and 10,000 sheets, fewer runs

The workshops are generated with complaint.synthetic.write_workshop(summaries=True): a few
hundred distinct sheets written by the workbook's own writer, copied under fresh case ids (every
file a complete sheet), and the journal lines a save appends (complaint.trainer.saved) written
directly, one write per folder. 100,000 sheets take about a minute to generate on 2 cores; the
sheets are then in the page cache, as on a trainer's server that has just written them.

Every measurement runs in a fresh Python process (nothing in memory; its peak resident memory
is its own), the dashboard and the reference interleaved:

- first look: ``CaseIndex(root).refresh()`` as the dashboard makes it (default index file,
  removed before each run, so the folder has never been seen), the clock started after the
  imports; the process's peak memory;
- refresh, nothing changed: the same index looks again (one walk of the folder);
- reference: ``csv.reader`` reading a CSV of as many rows as there are sheets, with the case
  table's columns (the dashboard's export; a list of rows, nothing else): the floor for "read one row per case".

Results: bench/results/trainer-first-look-<time>.md and .json, and trainer-first-look-latest.*
(``-quick`` in the names of a --quick run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from .common import RESULTS, Options, Row, fmt, in_fresh_process, summary, write_json

TITLE = "Trainer dashboard, first look at 10,000 / 100,000 sheets vs csv.reader over as many rows"
SIZES = (10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
TARGETS = {10_000: 0.5, 100_000: 3.0}  # seconds, issue 17


def child(root: str, mode: str) -> dict:
    """One measurement, in this (fresh) process."""
    result: dict = {}
    if mode == "csv":
        import csv

        start = time.perf_counter()
        with open(Path(root) / "reference.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        result["seconds"] = time.perf_counter() - start
        result["rows"] = len(rows)
    else:
        from complaint.trainer.index import INDEX_NAME, CaseIndex

        (Path(root) / "sheets" / INDEX_NAME).unlink(missing_ok=True)
        index = CaseIndex(Path(root) / "sheets")
        start = time.perf_counter()
        overview = index.refresh()
        result["seconds"] = time.perf_counter() - start
        result["rows"], result["read_in_full"] = len(overview.cases), overview.read_in_full
        start = time.perf_counter()
        assert index.refresh().read == 0
        result["refresh_seconds"] = time.perf_counter() - start
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries that over
    fork and exec, so a child reports at least the memory its parent had when it started it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def write_reference(root: Path, size: int) -> None:
    """The workshop's case table (the dashboard's export, complaint.export.case_table) as a CSV:
    ``size`` rows, the case table's columns."""
    import csv

    from complaint.export import case_table
    from complaint.trainer.index import CaseIndex

    header, table = case_table(CaseIndex(root / "sheets", index_file=None).refresh().cases, None)
    assert len(table) == size
    with open(root / "reference.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(table)


def run(options: Options) -> dict:
    from complaint.synthetic import write_workshop

    results = {}
    for size in QUICK_SIZES if options.quick else SIZES:
        root = options.work_dir / f"first-look-{size}"
        start = time.perf_counter()
        write_workshop(root / "sheets", size, summaries=True)
        generated = time.perf_counter() - start
        write_reference(root, size)
        runs = options.runs(5 if size <= 10_000 else 3, quick=2)
        dashboard, reference = [], []
        for _ in range(runs):  # interleaved: the machine's load weighs on both alike
            dashboard.append(in_fresh_process("bench.trainer_first_look", str(root), "dashboard"))
            reference.append(in_fresh_process("bench.trainer_first_look", str(root), "csv"))
        assert all(d["rows"] == size and d["read_in_full"] == 0 for d in dashboard), dashboard
        assert all(r["rows"] == size + 1 for r in reference)
        results[str(size)] = {
            "generated_seconds": generated,
            "first_look": summary([d["seconds"] for d in dashboard]),
            "refresh": summary([d["refresh_seconds"] for d in dashboard]),
            "reference": summary([r["seconds"] for r in reference]),
            "peak_rss_mb": summary([d["peak_rss_mb"] for d in dashboard]),
            "reference_peak_rss_mb": summary([r["peak_rss_mb"] for r in reference]),
            "load_before": os.getloadavg()[0],
        }
    return results


def rows(result: dict) -> list[Row]:
    table = []
    for size in sorted(result, key=int):
        entry, n, target = result[size], f"{int(size):,}", TARGETS.get(int(size))
        table.append(Row(
            f"{n} sheets, first look (csv.reader over {n} rows as reference)", fmt(entry["first_look"], "s"), fmt(entry["reference"], "s"),
            entry["first_look"]["median"] / entry["reference"]["median"],
            f"≤ {target} s" if target else "", entry["first_look"]["median"] <= target if target else None,
        ))  # fmt: skip
        table.append(
            Row(f"{n} sheets, refresh with nothing changed", fmt(entry["refresh"], "s", 3))
        )
        table.append(Row(
            f"{n} sheets, peak memory of the process", fmt(entry["peak_rss_mb"], "MB", 0), fmt(entry["reference_peak_rss_mb"], "MB", 0),
            entry["peak_rss_mb"]["median"] / entry["reference_peak_rss_mb"]["median"],
        ))  # fmt: skip
        table.append(
            Row(
                f"{n} sheets, generating the workshop (synthetic sheets + journal lines)",
                f"{entry['generated_seconds']:.1f} s",
            )
        )
    return table


def markdown(result: dict, started: str, quick: bool) -> str:
    from .run import revision, table_line

    loads = ", ".join(f"{entry['load_before']:.1f}" for entry in result.values())
    lines = [
        f"# {TITLE}, {started}",
        "",
        f"commit {revision()}; load average {loads} after each size"
        + ("; **quick run**" if quick else ""),
        "",
        "Median (min–max, n). Ratio = dashboard median / reference median, same run, interleaved.",
        "",
        "| metric | dashboard | reference | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    lines += [table_line(vars(row)) for row in rows(result)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.trainer_first_look", description=TITLE)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,000 and 10,000 sheets, fewer runs (checks the bench, not figures)",
    )
    args = parser.parse_args(argv)
    import shutil

    options = Options(quick=args.quick)
    started = datetime.now().astimezone()
    try:
        result = run(options)
    finally:
        shutil.rmtree(options.work_dir, ignore_errors=True)
    text = markdown(result, started.isoformat(timespec="seconds"), args.quick)
    suffix = "-quick" if args.quick else ""
    for stem in (
        f"trainer-first-look-{started.strftime('%Y%m%d-%H%M%S')}{suffix}",
        f"trainer-first-look-latest{suffix}",
    ):
        write_json(
            RESULTS / f"{stem}.json",
            {
                "started": started.isoformat(timespec="seconds"),
                "quick": args.quick,
                "result": result,
            },
        )
        (RESULTS / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] in ("dashboard", "csv"):
        print(json.dumps(child(sys.argv[1], sys.argv[2])))
    else:
        sys.exit(main())
