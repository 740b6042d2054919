"""Issue 7, items 1 and 3: the page Voilà returns, and the kernel it leaves behind.

One ``voila`` process serves the repository root in tree mode (voila.json, our template), so
the workbook (``/voila/render/notebooks/workbook.ipynb``) and the reference
(``/voila/render/bench/reference.ipynb``) go through the very same server. Every request
starts a new kernel (no preheating): Voilà streams the page, executes the notebook in that
kernel and puts the rendered cell into the HTML, so the time to the *complete* body is the
server-side cost of one visitor. The first request of each notebook warms the server up
(templates compiled) and is not counted; then the two alternate (ABBA order).

After each page: the resident memory (RSS, and USS: the pages no other process shares) of the
kernel it started, found by the kernel id in the page; then that kernel is shut down the way
a closed page does, so every request meets the same idle server.
"""

from __future__ import annotations

import re
import time

import httpx

from .common import REFERENCE, WORKBOOK, Options, Row, VoilaServer, fmt, ratio, summary

TITLE = "Server render through Voilà, cold kernel (items 1 and 3)"
TARGET = 1.3
#: What shows the notebook has run and its output is in the page.
RENDERED = {"workbook": "wb-app", "reference": "application/vnd.jupyter.widget-view+json"}
NOTEBOOKS = {"workbook": WORKBOOK, "reference": REFERENCE}
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def fetch(client: httpx.Client, url: str) -> dict:
    """One GET: seconds to the response headers, to the first body bytes, to the complete body."""
    start = time.perf_counter()
    first = None
    chunks = []
    with client.stream("GET", url) as response:
        headers = time.perf_counter() - start
        for chunk in response.iter_bytes():
            if first is None:
                first = time.perf_counter() - start
            chunks.append(chunk)
    total = time.perf_counter() - start
    body = b"".join(chunks).decode("utf-8", errors="replace")
    return {
        "status": response.status_code,
        "headers": headers,
        "first_byte": first,
        "seconds": total,
        "body": body,
    }


def render_once(server: VoilaServer, client: httpx.Client, name: str) -> dict:
    page = fetch(client, server.page_url(NOTEBOOKS[name]))
    body = page.pop("body")
    if (
        page["status"] != 200
        or RENDERED[name] not in body
        or "There was an error when executing cell" in body
    ):
        raise RuntimeError(f"{name}: page not rendered (HTTP {page['status']}): {body[-1500:]}")
    kernel_id = KERNEL_ID.search(body).group(1)
    kernel = server.kernels()[kernel_id]
    memory = kernel.memory_full_info()
    page.update(bytes=len(body.encode()), rss_mb=memory.rss / 2**20, uss_mb=memory.uss / 2**20)
    server.shutdown_kernels()
    return page


def run(options: Options) -> dict:
    runs = max(5, options.runs(7, quick=5))
    samples: dict[str, list[dict]] = {name: [] for name in NOTEBOOKS}
    with (
        VoilaServer(None, bench=options, name="render") as server,
        httpx.Client(timeout=120) as client,
    ):
        for name in NOTEBOOKS:
            render_once(server, client, name)  # warm-up, not counted
        for round_ in range(runs):
            order = list(NOTEBOOKS) if round_ % 2 == 0 else list(reversed(NOTEBOOKS))
            for name in order:
                samples[name].append(render_once(server, client, name))
    result = {
        "server": "one voila process, tree mode (repository root), voila.json, template workbook; no preheating"
    }
    for name, pages in samples.items():
        result[name] = {
            key: summary([p[key] for p in pages])
            for key in ("seconds", "first_byte", "rss_mb", "uss_mb", "bytes")
        }
    for key in ("seconds", "first_byte", "rss_mb", "uss_mb"):
        result[f"{key}_ratio"] = ratio(result["workbook"][key], result["reference"][key])
    return result


def rows(result: dict) -> list[Row]:
    wb, ref = result["workbook"], result["reference"]
    render, memory = result["seconds_ratio"], result["rss_mb_ratio"]
    return [
        Row(
            "1. page rendered by Voilà, new kernel (complete body)",
            fmt(wb["seconds"], "s"),
            fmt(ref["seconds"], "s"),
            render,
            f"≤ {TARGET}×",
            render <= TARGET,
        ),
        Row(
            "   first byte of the page",
            fmt(wb["first_byte"], "s"),
            fmt(ref["first_byte"], "s"),
            result["first_byte_ratio"],
        ),
        Row(
            "3. kernel resident memory after rendering (RSS)",
            fmt(wb["rss_mb"], "MB", 1),
            fmt(ref["rss_mb"], "MB", 1),
            memory,
            f"≤ {TARGET}×",
            memory <= TARGET,
        ),
        Row(
            "   its unshared memory (USS)",
            fmt(wb["uss_mb"], "MB", 1),
            fmt(ref["uss_mb"], "MB", 1),
            result["uss_mb_ratio"],
        ),
        Row(
            "   page size",
            f"{wb['bytes']['median'] / 1024:.0f} KiB",
            f"{ref['bytes']['median'] / 1024:.0f} KiB",
        ),
    ]
