"""Issue 7, item 5: a workshop where every participant opens the workbook at the same moment.

The server is started with the exact Voilà command of ``make workshop`` (read with ``make -n
workshop SEATS=<n>``, bound to 127.0.0.1): a pool of n preheated kernels, each of which runs
the notebook up to the point where it waits for its visitor's request. Voilà logs "Kernel pool
of workbook.ipynb is filled with n kernel(s)" as soon as the n kernels are *started*, while
they are still importing and running the notebook; a kernel is really ready once it has
opened its websocket to ``/voila/query/<kernel id>`` (``widgets/preheat.py``) and waits there.
Both moments are recorded; the burst starts at the second: n HTTP clients (asyncio + httpx,
no browser) ask for ``/?lang=en`` at once;
for each: the time to the complete page, and whether it is served (HTTP 200, the workbook
rendered in English, i.e. the preheated kernel obeyed this request's URL). Then the same
without preheating (``WORKSHOP_OPTIONS=`` emptied): every request starts its own kernel.
Last, ``make workshop`` as it was before this bench's findings were adopted (BEFORE: kernels
over loopback TCP, the pool refilled one second after a kernel is taken), to show what the
change bought.

Kernels opened by a request without a websocket stay until culled, and a used pool refills
itself: the server is stopped after every burst, and the next one starts afresh.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import subprocess
import time

import httpx
import psutil

from .common import ROOT, WORKBOOK, Options, Row, VoilaServer, summary

TITLE = "Workshop burst: n participants open the page at once (item 5)"
P95_TARGET_30 = 1.5
#: Seconds a participant waits for the complete page before the bench counts a failure. Without
#: preheating, 100 kernels starting together on 2 cores take 45–80 s. Voilà keeps a page whose
#: kernel died at start open forever (a heartbeat every 10 s, never the end of the page), so an
#: HTTP client's read timeout alone would never fire: this is a deadline for the whole page.
PAGE_DEADLINE = 180
POOL_TIMEOUT = 600
#: What this bench found and the workshop now has (voila.json, Makefile): Unix sockets instead of
#: TCP ports between Voilà and its kernels (no port picked, released and taken by another process
#: before the kernel binds it: with 100 kernels starting at once, the odd kernel died of "Address
#: already in use"); and the pool refilled a minute after a kernel is taken instead of one second,
#: so refilling does not compete with the participants' pages. BEFORE undoes both, for comparison.
ADOPTED = ("--KernelManager.transport=ipc", "--VoilaKernelManager.fill_delay=60")
BEFORE = (["REFILL_DELAY=1"], ("--KernelManager.transport=tcp",))
#: (label, preheated pool, make variables, extra Voilà options)
VARIANTS = (
    ("make workshop", True, [], ()),
    ("without preheating", False, [], ()),
    ("make workshop before the change (TCP, refill at once)", True, *BEFORE),
)


def workshop_command(
    seats: int, preheat: bool, make_variables: list[str] = ()
) -> tuple[str, list[str]]:
    """The notebook and options of ``make workshop`` (dry run), without what VoilaServer sets."""
    variables = [f"SEATS={seats}", *make_variables] + ([] if preheat else ["WORKSHOP_OPTIONS="])
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "workshop", *variables],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = shlex.split(next(line for line in dry_run.splitlines() if " -m server " in line))
    words = words[words.index("server") + 1 :]  # after `python -m server`
    options = [
        word
        for word in words[1:]
        if not word.startswith(("--port=", "--Voila.ip=", "--no-browser"))
    ]
    return words[0], options


def english_workbook_marker() -> str:
    """What only a workbook page rendered in English holds: its title in the page's plain-text
    fallback (the kernel obeyed ``?lang=en``). The page's classes (``wb-lang-en``) are not in
    the served HTML since the start screen is built before the request (issue 17)."""
    from complaint.i18n import Translator

    return Translator("en")("app.title")


async def open_at_once(url: str, participants: int, marker: str | None = None) -> list[dict]:
    """``participants`` GETs released together; each: seconds to the complete body, served (the
    page holds ``marker``, by default the workbook's English title) or why not."""
    marker = marker or english_workbook_marker()
    go = asyncio.Event()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(timeout=PAGE_DEADLINE, limits=limits) as client:

        async def participant() -> dict:
            await go.wait()
            start = time.perf_counter()
            try:
                response = await asyncio.wait_for(client.get(url), PAGE_DEADLINE)
            except TimeoutError:
                return {
                    "seconds": time.perf_counter() - start,
                    "served": False,
                    "why": f"no complete page after {PAGE_DEADLINE} s",
                }
            except httpx.HTTPError as error:
                return {
                    "seconds": time.perf_counter() - start,
                    "served": False,
                    "why": f"{type(error).__name__}: {error}",
                }
            seconds = time.perf_counter() - start
            body = response.text
            served = (
                response.status_code == 200
                and marker in body
                and "There was an error when executing cell" not in body
            )
            return {
                "seconds": seconds,
                "served": served,
                "why": "" if served else f"HTTP {response.status_code}, {len(body)} bytes",
            }

        tasks = [asyncio.create_task(participant()) for _ in range(participants)]
        await asyncio.sleep(0.2)  # every task is waiting at the gate
        go.set()
        return list(await asyncio.gather(*tasks))


def waiting_kernels(server: VoilaServer) -> int:
    """Kernels that wait for their visitor: they hold a websocket open to the server's port."""
    count = 0
    for kernel in server.kernels().values():
        try:
            connections = kernel.net_connections(kind="tcp")
        except psutil.Error:
            continue
        count += any(
            c.raddr and c.raddr.port == server.port and c.status == psutil.CONN_ESTABLISHED
            for c in connections
        )
    return count


def cpu_seconds(server: VoilaServer) -> dict[str, float]:
    """CPU seconds used so far by the server process, its kernels, and this process (the clients)."""

    def used(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        return times.user + times.system

    kernels = server.kernels().values()
    return {
        "server": used(psutil.Process(server.process.pid)),
        "kernels": sum(map(used, kernels)),
        "clients": used(psutil.Process()),
    }


def wait_for_pool(server: VoilaServer, size: int) -> dict:
    """Wait until Voilà logs the pool as filled, then until every kernel waits for its visitor,
    or no more kernel has started waiting for 30 s (one that died never will: its visitor
    gets an error page, as in a real workshop)."""
    filled = f"filled with {size} kernel(s)"
    result = {
        "pool_logged_seconds": server.wait_until(
            lambda: filled in server.log_text(), "pool filled", POOL_TIMEOUT
        )
    }
    progress = {"waiting": -1, "since": time.monotonic()}

    def ready() -> bool:
        waiting = waiting_kernels(server)
        if waiting != progress["waiting"]:
            progress.update(waiting=waiting, since=time.monotonic())
        return waiting >= size or time.monotonic() - progress["since"] > 30

    result["pool_ready_seconds"] = server.wait_until(ready, "pool ready", POOL_TIMEOUT)
    result["pool_waiting"] = progress["waiting"]
    time.sleep(2)  # the last kernels' output settles
    result["pool_memory_mb"] = sum(k.memory_info().rss for k in server.kernels().values()) / 2**20
    return result


def one_burst(
    options: Options,
    label: str,
    participants: int,
    preheat: bool,
    make_variables=(),
    extra: tuple[str, ...] = (),
) -> dict:
    notebook, voila_options = workshop_command(participants, preheat, list(make_variables))
    assert notebook == WORKBOOK, notebook
    voila_options += extra
    result: dict = {
        "label": label,
        "participants": participants,
        "preheat": preheat,
        "voila_options": voila_options,
    }
    name = f"burst-{participants}-" + re.sub(r"[^a-z]+", "-", label.lower()).strip("-")
    with VoilaServer(notebook, *voila_options, bench=options, name=name) as server:
        if preheat:
            result.update(wait_for_pool(server, participants))
        result["load_before"] = os.getloadavg()[0]
        cpu_before = cpu_seconds(server)
        start = time.perf_counter()
        pages = asyncio.run(open_at_once(server.page_url(notebook, "lang=en"), participants))
        result["burst_seconds"] = time.perf_counter() - start
        cpu_after = cpu_seconds(server)
        # Where the machine's time went during the burst (CPU seconds).
        result["cpu_seconds"] = {key: cpu_after[key] - cpu_before[key] for key in cpu_after}
        result["kernels_after"] = len(server.kernels())
    served = [p for p in pages if p["served"]]
    result["served"] = len(served)
    result["failures"] = sorted({p["why"] for p in pages if not p["served"]})
    result["seconds"] = summary([p["seconds"] for p in pages])  # failures included
    result["served_seconds"] = summary([p["seconds"] for p in served]) if len(served) > 1 else None
    return result


def run(options: Options) -> dict:
    sizes = (10,) if options.quick else (30, 100)
    bursts = []
    for label, preheat, make_variables, extra in VARIANTS:
        for participants in sizes:
            print(f"   {participants} participants, {label}", flush=True)
            bursts.append(one_burst(options, label, participants, preheat, make_variables, extra))
    return {"bursts": bursts, "adopted_options": ADOPTED}


def rows(result: dict) -> list[Row]:
    table = []
    for burst in result["bursts"]:
        n, s = burst["participants"], burst["served_seconds"]
        target, met = "", None
        as_shipped = (
            burst["label"] == "make workshop"
        )  # the targets are for what `make workshop` runs
        if as_shipped and n <= 30:
            target, met = (
                f"all served, p95 ≤ {P95_TARGET_30} s",
                burst["served"] == n and bool(s) and s["p95"] <= P95_TARGET_30,
            )
        elif as_shipped:
            target, met = "zero failures", burst["served"] == n
        failures = f"; failures: {'; '.join(burst['failures'])}" if burst["failures"] else ""
        table.append(
            Row(
                f"5. {n} at once, {burst['label']}: pages served",
                f"{burst['served']}/{n}{failures}",
                target=target,
                met=met,
            )
        )
        if s:
            latency = (
                f"median {s['median']:.2f} s, p95 {s['p95']:.2f} s ({s['min']:.2f}–{s['max']:.2f})"
            )
            table.append(
                Row(
                    "   time to the complete page (pages served)",
                    f"{latency}; load {burst['load_before']:.1f} before",
                )
            )
        if burst["preheat"]:
            waiting = f"{burst['pool_waiting']}/{n} kernels waiting at {burst['pool_ready_seconds']:.0f} s"
            table.append(
                Row(
                    '   pool: logged "filled" / ready, after start',
                    f"{burst['pool_logged_seconds']:.0f} s / {waiting}",
                )
            )
            table.append(
                Row(
                    "   the pool's kernels' memory (RSS, summed)",
                    f"{burst['pool_memory_mb'] / 1024:.1f} GiB",
                )
            )
    return table
