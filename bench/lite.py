"""Issue 16: the in-browser edition's time to interactive, beside the Voilà workbook's.

The site (lite/build.py, rebuilt only when its inputs changed) is served by a plain static
server on loopback. First visit: a fresh browser context (empty cache, no service worker), so
it includes downloading Pyodide and the wheels, and waiting for JupyterLite's service worker
to control the page before Voici starts. Repeat visit: the same context opens the page again
(browser cache and service worker in place). Time runs from the navigation's start to the first
control ("开始新的投诉") being visible and enabled (the same watch as bench/browser.py), taken as
wall time from the navigation's start. The Voilà workbook's time to interactive is
measured in the same run, alternating, as bench/browser.py does.
"""

from __future__ import annotations

import json
import time

from lite.build import ensure_built, static_server

from .browser import FIRST_CONTROL, VIEWPORT, WATCH_FIRST_CONTROL, time_to_interactive
from .common import CHROMIUM, CHROMIUM_ARGS, Options, Row, VoilaServer, fmt, ratio, summary

TITLE = "In-browser edition (make lite): first and repeat visit, time to interactive (issue 16)"
REPEAT_TARGET = 2.0
PAGE = "voici/render/workbook.html"


def lite_visits(browser, url: str) -> tuple[float, float]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        context.add_init_script(script=WATCH_FIRST_CONTROL % json.dumps(FIRST_CONTROL["workbook"]))
        page = context.new_page()
        times = []
        for _visit in ("first", "repeat"):
            start = time.perf_counter()
            page.goto(url + PAGE, wait_until="commit", timeout=300_000)
            page.wait_for_function("window.__benchReady !== undefined", timeout=300_000)
            times.append(time.perf_counter() - start)
        return times[0], times[1]
    finally:
        context.close()


def run(options: Options) -> dict:
    from playwright.sync_api import sync_playwright

    runs = options.runs(5, quick=2)
    site = ensure_built()
    first, repeat, voila = [], [], []
    with (
        static_server(site) as url,
        VoilaServer(None, bench=options, name="lite") as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            time_to_interactive(browser, server, "workbook")  # warm-up, not counted
            for round_ in range(runs):
                order = ("lite", "voila") if round_ % 2 == 0 else ("voila", "lite")
                for name in order:
                    if name == "lite":
                        first_seconds, repeat_seconds = lite_visits(browser, url)
                        first.append(first_seconds)
                        repeat.append(repeat_seconds)
                    else:
                        voila.append(
                            time_to_interactive(browser, server, "workbook")["playwright_seconds"]
                        )
        finally:
            browser.close()
    result = {
        "first": summary(first),
        "repeat": summary(repeat),
        "voila": summary(voila),
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
    }
    result["first_ratio"] = ratio(result["first"], result["voila"])
    result["repeat_ratio"] = ratio(result["repeat"], result["voila"])
    return result


def rows(result: dict) -> list[Row]:
    voila = fmt(result["voila"], "s")
    return [
        Row(
            "in-browser edition, first visit (empty cache) → first control usable",
            fmt(result["first"], "s"),
            voila,
            result["first_ratio"],
        ),
        Row(
            "in-browser edition, repeat visit → first control usable",
            fmt(result["repeat"], "s"),
            voila,
            result["repeat_ratio"],
            f"≤ {REPEAT_TARGET:.0f}× Voilà",
            result["repeat_ratio"] <= REPEAT_TARGET,
        ),
        Row("site size (dist/lite)", f"{result['site_mb']:.0f} MB"),
    ]
