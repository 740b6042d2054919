"""``make bench``: what the workbook costs, measured against a one-Button reference notebook.

One run goes through the sections below in order; each is a module of this package (see
``bench/common.py`` for what a section provides). A section that is not written yet is
skipped, so ``bench/trainer_scale.py`` (the trainer dashboard at workshop scale) joins the
run by existing.

The machine is shared and noisy: every figure is a median with min–max over repeated runs
(and p95 where the issue asks for it), and the workbook is reported as a ratio of the
reference measured in the same run, interleaved.

    python -m bench.run                      # everything (about 10 minutes on 2 cores)
    python -m bench.run --only server_render,browser
    python -m bench.run --quick              # fewer repetitions, smaller bursts: does it work?

Results: bench/results/<time>.json and .md, and latest.json / latest.md (git-ignored); a
--quick run writes <time>-quick.* and latest-quick.* instead.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from datetime import datetime

import psutil

from .common import RESULTS, ROOT, Options, write_json

#: In the order they run; the lead adds the trainer dashboard as bench/trainer_scale.py.
SECTIONS = (
    "kernels",
    "core",
    "models",
    "server_render",
    "browser",
    "steps",
    "lite",
    "burst",
    "pages",
    "trainer_scale",
    "trainer_work",
    "analysis",
)


def load_section(name: str):
    """The section's module, or None when it has not been written yet."""
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"{__package__}.{name}":
            return None
        raise


def table_line(row: dict) -> str:
    met = "" if row["met"] is None else ("yes" if row["met"] else "**no**")
    ratio = "" if row["ratio"] is None else f"×{row['ratio']:.2f}"
    return f"| {row['metric']} | {row['workbook']} | {row['reference']} | {ratio} | {row['target']} | {met} |"


def revision() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" with uncommitted changes" if dirty else "")


def markdown(report: dict) -> str:
    lines = [
        f"# make bench, {report['started']}",
        "",
        f"{report['machine']}; commit {report['revision']}; total {report['total_seconds'] / 60:.1f} min"
        + ("; **quick run** (fewer repetitions)" if report["quick"] else ""),
        "",
        "Median (min–max, n); p95 where shown. Ratio = workbook median / reference median, same run.",
    ]
    targets = [
        (name, row)
        for name, section in report["sections"].items()
        for row in section.get("rows", ())
        if row["met"] is not None
    ]
    if targets:
        lines += [
            "",
            "## Targets",
            "",
            "| | workbook | reference | ratio | target | met |",
            "|---|---|---|---|---|---|",
        ]
        lines += [table_line(row) for _name, row in targets]
    for name, section in report["sections"].items():
        lines += [
            "",
            f"## {section['title']} (`{name}`, {section['seconds']:.0f} s, load {section['load_before']:.1f} before)",
            "",
        ]
        if "error" in section:
            lines += ["**failed**:", "", "```", section["error"].rstrip(), "```"]
            continue
        lines += [
            "| metric | workbook | reference | ratio | target | met |",
            "|---|---|---|---|---|---|",
        ]
        lines += [table_line(row) for row in section["rows"]]
    for name in report["skipped"]:
        lines += ["", f"(`{name}`: bench/{name}.py not written yet, skipped)"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help=f"comma-separated sections to run, of {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--skip", action="append", default=[], help="comma-separated sections not to run"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repetitions and smaller bursts (checks the bench, not figures)",
    )
    args = parser.parse_args(argv)
    only = {name for names in args.only for name in names.split(",") if name}
    skip = {name for names in args.skip for name in names.split(",") if name}
    unknown = (only | skip) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    options = Options(quick=args.quick)
    shutil.rmtree(options.log_dir, ignore_errors=True)  # the servers' logs of this run only
    started = datetime.now().astimezone()
    report = {
        "started": started.isoformat(timespec="seconds"),
        "machine": f"{psutil.cpu_count()} CPU(s), {psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.python_implementation()} {platform.python_version()}, load {os.getloadavg()[0]:.2f} at start",
        "quick": args.quick,
        "revision": revision(),
        "sections": {},
        "skipped": [],
    }
    start = time.monotonic()
    failed = False
    try:
        for name in SECTIONS:
            if (only and name not in only) or name in skip:
                continue
            module = load_section(name)
            if module is None:
                report["skipped"].append(name)
                continue
            print(f"== {name}: {module.TITLE}", flush=True)
            section_start = time.monotonic()
            entry = report["sections"][name] = {
                "title": module.TITLE,
                "load_before": os.getloadavg()[0],
            }
            try:
                entry["result"] = module.run(options)
                entry["rows"] = [vars(row) for row in module.rows(entry["result"])]
            except Exception:
                failed = True
                entry["error"] = traceback.format_exc()
                print(entry["error"], file=sys.stderr, flush=True)
            entry["seconds"] = time.monotonic() - section_start
            for row in entry.get("rows", ()):
                print(
                    f"   {row['metric']}: {row['workbook']}"
                    + (f" | ref {row['reference']}" if row["reference"] else "")
                    + (f" | ×{row['ratio']:.2f}" if row["ratio"] else ""),
                    flush=True,
                )
    finally:
        shutil.rmtree(options.work_dir, ignore_errors=True)
    report["total_seconds"] = time.monotonic() - start
    stamp = started.strftime("%Y%m%d-%H%M%S")
    text = markdown(report)
    # A --quick run's figures are not the ones to quote: it never replaces latest.*.
    suffix = "-quick" if args.quick else ""
    for stem in (stamp + suffix, "latest" + suffix):
        write_json(RESULTS / f"{stem}.json", report)
        (RESULTS / f"{stem}.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written: {RESULTS / (stamp + suffix + '.md')} and .json (also latest{suffix}.*)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
