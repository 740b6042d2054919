"""Issue 17: pages ready before the visitor arrives, measured against the floor of this server.

N plain HTTP clients (asyncio + httpx) ask for the page at the same moment, under ``make
workshop``'s own options (``make -n workshop SEATS=N``, as ``bench/burst.py`` reads them), once
for the workbook (``/?lang=en``) and once for the one-Button reference notebook
(``bench/reference.ipynb``) preheated the same way. A preheated reference kernel has run its
notebook before anyone asks, so its page is fully rendered when the request comes: what Voilà
needs to hand out a ready page is the floor. The workbook's kernel has built its start screen
in both languages before the request too, but still has to read the URL (``?lang=``,
``?case=``), pick a screen and show it.

Workbook and reference bursts alternate, each on a fresh server whose pool is ready (every
kernel idle: the workbook's waiting on its ``/voila/query`` websocket, and no kernel using CPU
for 3 s). Reported: p95 and median of the time to the complete page, per burst, and the ratio
of the workbook's p95 to the reference's in the same round; a page counts as served when it is
HTTP 200 and shows the notebook's rendered widget (the workbook: its title in English, so the
kernel obeyed the URL).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

import psutil

from .burst import (
    PAGE_DEADLINE,
    english_workbook_marker,
    open_at_once,
    waiting_kernels,
    workshop_command,
)
from .common import REFERENCE, WORKBOOK, Options, Row, VoilaServer, summary

TITLE = (
    "Pages ready before the visitor (issue 17): n at once, workbook against the preheated reference"
)
RATIO_TARGET = 10.0
POOL_TIMEOUT = 900


def kernels_idle(server: VoilaServer, seconds: float = 3.0) -> bool:
    """True when no kernel of ``server`` used CPU over ``seconds`` (the notebooks have run)."""
    kernels = list(server.kernels().values())

    def used() -> float:
        total = 0.0
        for kernel in kernels:
            try:
                times = kernel.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    before = used()
    time.sleep(seconds)
    return used() - before < 0.05 * len(kernels) * seconds / 3


def wait_until_ready(server: VoilaServer, size: int, workbook: bool) -> tuple[float, int]:
    """Seconds until the pool is ready, and how many kernels wait for a visitor (the workbook's:
    as ``bench/burst.py``, the wait ends 30 s after the last kernel started waiting; one that
    never does gets its visitor what Voilà gives, a failure if it is not the page asked for)."""
    filled = f"filled with {size} kernel(s)"
    server.wait_until(lambda: filled in server.log_text(), "pool filled", POOL_TIMEOUT)
    progress = {"waiting": -1, "since": time.monotonic()}

    def all_waiting() -> bool:
        waiting = waiting_kernels(server)
        if waiting != progress["waiting"]:
            progress.update(waiting=waiting, since=time.monotonic())
        return waiting >= size or time.monotonic() - progress["since"] > 30

    if workbook:
        server.wait_until(all_waiting, "pool waiting", POOL_TIMEOUT)
    ready = server.wait_until(
        lambda: len(server.kernels()) >= size and kernels_idle(server), "pool idle", POOL_TIMEOUT
    )
    return ready, progress["waiting"] if workbook else size


def one_burst(options: Options, name: str, participants: int) -> dict:
    _workbook, voila_options = workshop_command(participants, True)
    notebook = WORKBOOK if name == "workbook" else REFERENCE
    with VoilaServer(
        notebook, *voila_options, bench=options, name=f"pages-{participants}-{name}"
    ) as server:
        ready, waiting = wait_until_ready(server, participants, name == "workbook")
        load = os.getloadavg()[0]
        # The workbook's page holds its title in the visitor's language: the kernel obeyed ?lang=en.
        query, marker = (
            ("lang=en", english_workbook_marker())
            if name == "workbook"
            else ("", "application/vnd.jupyter.widget-view+json")
        )
        start = time.perf_counter()
        pages = asyncio.run(open_at_once(server.page_url(notebook, query), participants, marker))
        burst = time.perf_counter() - start
    served = [p for p in pages if p["served"]]
    s = summary([p["seconds"] for p in pages])
    print(
        f"      p95 {s['p95']:.3f} s, median {s['median']:.3f} s, served {len(served)}/{participants}, load {load:.1f}, {waiting} waiting",
        flush=True,
    )
    return {
        "name": name, "participants": participants, "pool_ready_seconds": ready, "waiting": waiting, "load_before": load, "burst_seconds": burst,
        "served": len(served), "failures": sorted({p["why"] for p in pages if not p["served"]}),
        "seconds": s,
    }  # fmt: skip


def run(options: Options) -> dict:
    sizes = (10,) if options.quick else (30, 100)
    rounds = 1 if options.quick else int(os.environ.get("BENCH_PAGES_ROUNDS", "2"))
    bursts = []
    for participants in sizes:
        for round_ in range(rounds):
            order = ("workbook", "reference") if round_ % 2 == 0 else ("reference", "workbook")
            for name in order:
                print(f"   {participants} at once, {name}, round {round_ + 1}", flush=True)
                bursts.append(one_burst(options, name, participants))
    return {"bursts": bursts, "rounds": rounds, "deadline": PAGE_DEADLINE}


def _ratios(result: dict, participants: int) -> list[float]:
    """Workbook p95 / reference p95, round by round (each pair ran back to back)."""
    of = {
        name: [
            b["seconds"]["p95"]
            for b in result["bursts"]
            if b["participants"] == participants and b["name"] == name
        ]
        for name in ("workbook", "reference")
    }
    return [w / r for w, r in zip(of["workbook"], of["reference"], strict=True)]


def rows(result: dict) -> list[Row]:
    table = []
    for participants in sorted({b["participants"] for b in result["bursts"]}):
        bursts = [b for b in result["bursts"] if b["participants"] == participants]
        by_name = {
            name: [b for b in bursts if b["name"] == name] for name in ("workbook", "reference")
        }
        text = {}
        for name, runs in by_name.items():
            p95 = [b["seconds"]["p95"] for b in runs]
            served = "+".join(f"{b['served']}/{participants}" for b in runs)
            text[name] = (
                f"p95 {statistics.median(p95):.3f} s ({min(p95):.3f}–{max(p95):.3f}), median {statistics.median(b['seconds']['median'] for b in runs):.3f} s; served {served}"
            )
        ratios = _ratios(result, participants)
        all_served = all(b["served"] == participants for b in by_name["workbook"])
        met = bool(ratios) and max(ratios) <= RATIO_TARGET and all_served
        spread = f" (rounds: {', '.join(f'×{r:.1f}' for r in ratios)})" if ratios else ""
        table.append(Row(
            f"{participants} at once, `make workshop`, p95 of the complete page{spread}", text["workbook"], text["reference"],
            statistics.median(ratios) if ratios else None, target=f"p95 ≤ {RATIO_TARGET:.0f}× the reference's, all served", met=met,
        ))  # fmt: skip
        loads = ", ".join(f"{b['load_before']:.1f}" for b in bursts)
        ready = ", ".join(f"{b['name'][0]} {b['pool_ready_seconds']:.0f} s" for b in bursts)
        table.append(
            Row(
                "   load average before each burst / pool ready after start (w: workbook, r: reference)",
                f"{loads} / {ready}",
            )
        )
        for b in bursts:
            if b["failures"]:
                table.append(Row(f"   failures ({b['name']})", "; ".join(b["failures"])))
    return table
