"""Trainer scale: the dashboard's summary of 1,000 / 10,000 / 100,000 case sheets vs a naive pandas loop.

Synthetic workshops (complaint.synthetic: fictional cases written by the workbook's own writer)
are generated once per size. Every measurement runs in a fresh Python process, so each starts
with nothing in memory and its peak resident memory is its own; the sheets are in the page
cache (a trainer's server has just written them). Measured:

- first look: a dashboard that has never seen the folder (no index file), the sheets saved by
  the workbook (each with the summary line a save appends to the folder's journal);
- first look, read in full: the same, ignoring those summaries (sheets copied in from elsewhere,
  or written by an older version): every sheet parsed and checked;
- refresh: the same dashboard looks again and nothing changed (one directory walk);
- reopen: a new dashboard after an earlier one looked (a restarted trainer server; the index
  file keeps only sheets read in full, so here it is the journal again);
- naive: ``pandas.read_csv`` of each sheet into a key → value dict, nothing else (the issue's yardstick).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .common import Options, Row, fmt, in_fresh_process, summary
from .trainer_first_look import peak_rss_mb

TITLE = "Trainer dashboard at workshop scale (1,000 / 10,000 / 100,000 sheets)"
SIZES = (1_000, 10_000, 100_000)
#: The naive loop costs ~7 ms a sheet: 100,000 sheets would take 12 minutes, so it stops at 10,000.
NAIVE_MAX = 10_000


def child(root: str, mode: str) -> dict:
    """One measurement, in this (fresh) process."""
    from datetime import date

    result: dict = {}
    if mode == "naive":
        import pandas as pd

        start = time.perf_counter()
        problems = {}
        for path in Path(root).glob("*.csv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            answers = dict(zip(frame["key"], frame["value"], strict=True))
            problems[answers.get("problem", "")] = problems.get(answers.get("problem", ""), 0) + 1
        result["seconds"] = time.perf_counter() - start
    else:
        from complaint.trainer.index import CaseIndex

        index_file = Path(root) / ".trainer-index.json" if mode == "reopen" else None
        index = CaseIndex(
            root, today=date(2026, 11, 25), index_file=index_file, saved_summaries=mode != "parse"
        )
        start = time.perf_counter()
        overview = index.refresh()
        result["seconds"] = time.perf_counter() - start
        result["cases"], result["read"], result["read_in_full"] = (
            len(overview.cases),
            overview.read,
            overview.read_in_full,
        )
        if mode == "cold":
            refreshes = []
            for _ in range(5):
                start = time.perf_counter()
                again = index.refresh()
                refreshes.append(time.perf_counter() - start)
                assert again.read == 0
            result["refresh_seconds"] = refreshes
    result["peak_rss_mb"] = (
        peak_rss_mb()
    )  # not getrusage: Linux carries ru_maxrss over fork and exec
    return result


def measure(root: Path, mode: str) -> dict:
    return in_fresh_process("bench.trainer_scale", str(root), mode)


def run(options: Options) -> dict:
    from complaint.synthetic import write_workshop
    from complaint.trainer.index import CaseIndex

    sizes = SIZES[:2] if options.quick else SIZES
    results = {}
    for size in sizes:
        root = options.work_dir / f"workshop-{size}"
        start = time.perf_counter()
        write_workshop(root, size, summaries=True)
        generated = time.perf_counter() - start
        runs = 1 if size >= 100_000 else options.runs(3, quick=1)
        cold = [measure(root, "cold") for _ in range(runs)]
        parse = [measure(root, "parse") for _ in range(runs)]
        assert all(c["cases"] == size for c in cold + parse)
        CaseIndex(
            root
        ).refresh()  # writes the index file a trainer's earlier session would have left
        reopen = [measure(root, "reopen") for _ in range(runs)]
        assert all(r["read_in_full"] == 0 and r["cases"] == size for r in reopen)
        entry = {
            "generated_seconds": generated,
            "cold": summary([c["seconds"] for c in cold]),
            "parse": summary([p["seconds"] for p in parse]),
            "parse_peak_rss_mb": max(p["peak_rss_mb"] for p in parse),
            "refresh": summary([s for c in cold for s in c["refresh_seconds"]]),
            "reopen": summary([r["seconds"] for r in reopen]),
            "peak_rss_mb": max(c["peak_rss_mb"] for c in cold),
        }
        if size <= NAIVE_MAX and not (options.quick and size > 1_000):
            naive = [measure(root, "naive") for _ in range(1 if size >= 10_000 else runs)]
            entry["naive"] = summary([n["seconds"] for n in naive])
            entry["naive_peak_rss_mb"] = max(n["peak_rss_mb"] for n in naive)
        results[str(size)] = entry
    return results


def rows(result: dict) -> list[Row]:
    table = []
    sizes = sorted(result, key=int)
    for size in sizes:
        entry, n = result[size], f"{int(size):,}"
        naive = entry.get("naive")
        naive_text = fmt(naive, "s") if naive else "not run (≈7 ms a sheet)"
        for key, what in (
            ("cold", "first look"),
            ("parse", "first look, every sheet read in full"),
        ):
            table.append(
                Row(
                    f"{n} sheets, {what} vs naive pandas loop",
                    fmt(entry[key], "s"),
                    naive_text,
                    entry[key]["median"] / naive["median"] if naive else None,
                    "≤ 1.5 s at 10,000" if size == "10000" else "",
                    entry[key]["median"] <= 1.5 if size == "10000" else None,
                )
            )
        table.append(
            Row(
                f"{n} sheets, reopened dashboard (index file up to date)",
                fmt(entry["reopen"], "s"),
                "",
                None,
                "≤ 1.5 s at 10,000" if size == "10000" else "",
                entry["reopen"]["median"] <= 1.5 if size == "10000" else None,
            )
        )
        table.append(
            Row(
                f"{n} sheets, refresh with no changed file",
                fmt(entry["refresh"], "s", 3),
                "",
                None,
                "≤ 0.2 s at 10,000" if size == "10000" else "",
                entry["refresh"]["median"] <= 0.2 if size == "10000" else None,
            )
        )
        memory = (
            f"{entry['peak_rss_mb']:.0f} MB (read in full: {entry['parse_peak_rss_mb']:.0f} MB)"
        )
        table.append(
            Row(
                f"{n} sheets, peak memory of the dashboard process",
                memory,
                f"{entry['naive_peak_rss_mb']:.0f} MB" if "naive_peak_rss_mb" in entry else "",
            )
        )
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        for key, what in (("cold", "first look"), ("parse", "reading in full")):
            growth = (result[last][key]["median"] / result[first][key]["median"]) / (
                int(last) / int(first)
            )
            table.append(
                Row(
                    f"growth of the {what}, {int(first):,} → {int(last):,} sheets (1.0 = linear)",
                    f"×{growth:.2f}",
                    target="linear or better (≤ ×1.1 allowing noise)",
                    met=growth <= 1.1,
                )
            )
    return table


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2])))
