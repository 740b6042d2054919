"""Issue 17: the first visit of each step, and later visits, in headless Chromium.

``bench/browser.py`` walks one page through the steps, so each step's first visit (its view
built) is a single sample. Here every round is a fresh page with a new case (Chinese, the
default), walked "下一步 →" through all nine steps (first visits: the view is built in the kernel,
its models created in the browser) and "← 上一步" back again (later visits: views already built),
timed as there: inside the page, from the button's ``click()`` to the next step's heading being
visible (a MutationObserver), 250 ms apart. Targets: every step's first-visit p95 ≤ 150 ms, the
median of later visits ≤ 20 ms.

The floor beside them: ``bench/roundtrip.ipynb``, one button that shows the other of two headings
(two updates, as a later visit's two class changes), timed the same way on the same server. It
is what any click costs here between the browser, Voilà and the kernel, before any work.
"""

from __future__ import annotations

from .browser import BACK, CHROMIUM, CHROMIUM_ARGS, FIRST_CONTROL, NEXT, TIME_STEP, VIEWPORT
from .common import WORKBOOK, Options, Row, VoilaServer, ratio, summary

TITLE = "Steps in headless Chromium (issue 17): first visit of each step, later visits"
FIRST_VISIT_P95_MS, LATER_MEDIAN_MS = 150, 20
ROUNDTRIP = "bench/roundtrip.ipynb"


def one_page(browser, server: VoilaServer) -> dict[str, dict[str, list[float]]]:
    from complaint.steps import step_ids

    STEPS = step_ids()

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(120_000)
    times: dict[str, dict[str, list[float]]] = {step: {"first": [], "later": []} for step in STEPS}
    try:
        page = context.new_page()
        page.goto(server.page_url(WORKBOOK))
        page.get_by_role("button", name=FIRST_CONTROL["workbook"]).click()
        page.locator(".wb-status-saved").wait_for()
        page.wait_for_timeout(500)
        for label, step, kind in [(NEXT, s, "first") for s in STEPS[1:]] + [
            (BACK, s, "later") for s in reversed(STEPS[:-1])
        ]:
            times[step][kind].append(page.evaluate(TIME_STEP, [label, step]))
            page.wait_for_timeout(
                250
            )  # the rest of the step's update arrives before the next click
    finally:
        context.close()
    server.shutdown_kernels()
    return times


def roundtrip_page(browser, server: VoilaServer, clicks: int = 16) -> list[float]:
    """``clicks`` round trips in a fresh page of ``bench/roundtrip.ipynb``, 250 ms apart."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(120_000)
    try:
        page = context.new_page()
        page.goto(server.page_url(ROUNDTRIP))
        page.get_by_role("button", name="OK").wait_for()
        page.wait_for_timeout(500)
        times = []
        for click in range(clicks):
            times.append(page.evaluate(TIME_STEP, ["OK", str(2 - click % 2)]))
            page.wait_for_timeout(250)
        return times
    finally:
        context.close()
        server.shutdown_kernels()


def run(options: Options) -> dict:
    from playwright.sync_api import sync_playwright

    pages = options.runs(7, quick=2)
    per_step: dict[str, dict[str, list[float]]] = {}
    roundtrips: list[float] = []
    with VoilaServer(None, bench=options, name="steps") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            one_page(browser, server)  # warm-up: templates, the browser's caches
            roundtrip_page(browser, server, clicks=2)
            for _ in range(pages):  # the workbook and the floor alternate: the same conditions
                for step, kinds in one_page(browser, server).items():
                    for kind, values in kinds.items():
                        per_step.setdefault(step, {"first": [], "later": []})[kind] += values
                roundtrips += roundtrip_page(browser, server)
        finally:
            browser.close()
    return {"pages": pages, "by_step": per_step, "roundtrips": roundtrips}


def rows(result: dict) -> list[Row]:
    table = []
    by_step = result["by_step"]
    first = {step: summary(v["first"]) for step, v in by_step.items() if len(v["first"]) > 1}
    later = [ms for v in by_step.values() for ms in v["later"]]
    worst = max(first.items(), key=lambda item: item[1]["p95"])
    table.append(Row(
        f"first visit of a step, p95 per step (n={result['pages']} pages): the slowest, {worst[0]}",
        f"p95 {worst[1]['p95']:.0f} ms, median {worst[1]['median']:.0f} ms ({worst[1]['min']:.0f}–{worst[1]['max']:.0f})",
        target=f"every step's p95 ≤ {FIRST_VISIT_P95_MS} ms", met=worst[1]["p95"] <= FIRST_VISIT_P95_MS,
    ))  # fmt: skip
    for step, s in first.items():
        table.append(
            Row(
                f"   first visit of {step}",
                f"p95 {s['p95']:.0f} ms, median {s['median']:.0f} ms ({s['min']:.0f}–{s['max']:.0f})",
            )
        )
    s = summary(later)
    floor = summary(result["roundtrips"]) if result.get("roundtrips") else None
    table.append(Row(
        f"later visits, all steps (n={len(later)}); reference: a click's round trip, the floor (bench/roundtrip.ipynb, n={len(result.get('roundtrips', ()))})",
        f"median {s['median']:.0f} ms, p95 {s['p95']:.0f} ms ({s['min']:.0f}–{s['max']:.0f})",
        f"median {floor['median']:.0f} ms, p95 {floor['p95']:.0f} ms ({floor['min']:.0f}–{floor['max']:.0f})" if floor else "",
        ratio(s, floor) if floor else None,
        target=f"median ≤ {LATER_MEDIAN_MS} ms", met=s["median"] <= LATER_MEDIAN_MS,
    ))  # fmt: skip
    return table
