"""Issue 7, items 2 and 4: the workbook in headless Chromium (Playwright, Debian's /usr/bin/chromium).

Time to interactive: a fresh browser context (empty cache) opens the page, which makes Voilà
start a new kernel (no preheating); the time runs from the start of the navigation to the
moment the first control can be used: visible and not disabled (the workbook's
"开始新的投诉" button, the reference's Button). It is taken inside the page:
``performance.now()`` counts from the navigation's start, and a script installed before the
page's own (``add_init_script``) checks the control on every DOM change (MutationObserver).
Also recorded: when the page's body had arrived (Navigation Timing ``responseEnd``). Workbook
and reference alternate on one Voilà server (tree mode), after one warm-up visit each.

Step latency, in one page of the workbook (default language, Chinese, as participants get
it): a new case, then "下一步 →" through all steps and "← 上一步" back, several times. Each
sample, inside the page: ``performance.now()`` just before the button's ``click()``, and a
MutationObserver that stops the clock when the next step's heading (``.wb-step-<step>
.wb-step-title``) is in the page and visible. The first pass builds each step's view (its
module is imported then), later passes show views already built: both are reported.

Autosave: typing into "发生了什么" (the Facts step's text area) with Playwright's keyboard,
30 ms between keys; the page records the last ``input`` event and when a new "已保存" status
appears. The autosave waits 0.6 s after the last change (debounce): reported both after that
wait (raw − 0.6 s: what the server and the page add) and raw.
"""

from __future__ import annotations

import json
import time

from .common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REFERENCE,
    WORKBOOK,
    Options,
    Row,
    VoilaServer,
    fmt,
    ratio,
    summary,
)

TITLE = "Browser (headless Chromium): time to interactive, steps, autosave (items 2 and 4)"
VIEWPORT = {"width": 1280, "height": 900}
TTI_TARGET = 1.3
MEDIAN_TARGET_MS, P95_TARGET_MS = 100, 250
#: The first control of each page: a <button> with this text.
FIRST_CONTROL = {"workbook": "开始新的投诉", "reference": "OK"}
NOTEBOOKS = {"workbook": WORKBOOK, "reference": REFERENCE}
NEXT, BACK = "下一步 →", "← 上一步"

# Installed before the page's own scripts: sets window.__benchReady (ms since navigation start)
# when a <button> with the given text is visible and enabled.
WATCH_FIRST_CONTROL = """
(() => {
  const text = %s;
  const ready = () => Array.prototype.some.call(document.querySelectorAll("button"), (b) =>
    b.textContent.trim() === text && !b.disabled && b.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }));
  const observer = new MutationObserver(() => {
    if (window.__benchReady === undefined && ready()) {
      window.__benchReady = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();
"""

# Clicks a navigation button and resolves with the ms until the step's heading is visible.
TIME_STEP = """
async ([label, step]) => {
  const button = [...document.querySelectorAll(".wb-nav button")].find((b) => b.textContent.trim() === label);
  if (!button) throw new Error("no button " + label);
  const heading = () => {
    const h = document.querySelector(`.wb-step-${step} .wb-step-title`);
    return h !== null && h.checkVisibility();
  };
  if (heading()) throw new Error(step + " is already shown");
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no heading of " + step)), 20000);
    const observer = new MutationObserver(() => {
      if (heading()) {
        const elapsed = performance.now() - start;
        observer.disconnect();
        clearTimeout(timer);
        resolve(elapsed);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const start = performance.now();
    button.click();
  });
}
"""

# Before each typing sample: forget earlier saves; every input event restarts the watch, and
# the first new "saved" status after the last input stops it.
WATCH_SAVE = """
() => {
  const area = document.querySelector(".wb-step-facts textarea");
  const seen = () => document.querySelectorAll(".wb-status").forEach((s) => { s.dataset.benchSeen = "1"; });
  const b = (window.__benchSave = { lastInput: null, saved: null });
  seen();
  if (!area.__benchWatched) {
    area.__benchWatched = true;
    area.addEventListener("input", () => { const b = window.__benchSave; b.lastInput = performance.now(); b.saved = null; seen(); }, true);
  }
  const observer = new MutationObserver(() => {
    const s = window.__benchSave;
    const fresh = document.querySelector(".wb-status-saved:not([data-bench-seen])");
    if (fresh && s.lastInput !== null && s.saved === null) {
      s.saved = performance.now();
      fresh.dataset.benchSeen = "1";
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  b.stop = () => observer.disconnect();
}
"""


def time_to_interactive(browser, server: VoilaServer, name: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        context.add_init_script(script=WATCH_FIRST_CONTROL % json.dumps(FIRST_CONTROL[name]))
        page = context.new_page()
        start = time.perf_counter()
        page.goto(server.page_url(NOTEBOOKS[name]), wait_until="commit", timeout=120_000)
        page.wait_for_function("window.__benchReady !== undefined", timeout=120_000)
        wall = time.perf_counter() - start
        ready, body_end = page.evaluate(
            "[window.__benchReady, performance.getEntriesByType('navigation')[0].responseEnd]"
        )
    finally:
        context.close()
    server.shutdown_kernels()
    return {
        "seconds": ready / 1000,
        "body_seconds": body_end / 1000,
        "after_body_seconds": (ready - body_end) / 1000,
        "playwright_seconds": wall,
    }


def step_and_save_latency(browser, server: VoilaServer, passes: int, typing_samples: int) -> dict:
    from complaint.steps import step_ids
    from widgets.app import AUTOSAVE_DELAY_SECONDS

    STEPS = step_ids()
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(server.page_url(WORKBOOK))
        page.get_by_role("button", name=FIRST_CONTROL["workbook"]).click()
        page.locator(".wb-status-saved").wait_for()
        first_visit, revisit = [], []
        by_step: dict[str, dict[str, list[float]]] = {
            step: {"first": [], "again": []} for step in STEPS
        }
        visited = {STEPS[0]}
        for _ in range(passes):
            path = [(NEXT, step) for step in STEPS[1:]] + [
                (BACK, step) for step in reversed(STEPS[:-1])
            ]
            for label, step in path:
                ms = page.evaluate(TIME_STEP, [label, step])
                (revisit if step in visited else first_visit).append(ms)
                by_step[step]["again" if step in visited else "first"].append(round(ms, 1))
                visited.add(step)
                page.wait_for_timeout(
                    250
                )  # let the rest of the step's update arrive before the next click
        page.evaluate(TIME_STEP, [NEXT, "facts"])
        area = page.locator(".wb-step-facts textarea")
        raw = []
        for sample in range(typing_samples):
            page.evaluate(WATCH_SAVE)
            area.press_sequentially(f" 样本{sample}", delay=30)
            page.wait_for_function("window.__benchSave.saved !== null", timeout=30_000)
            last_input, saved = page.evaluate(
                "[window.__benchSave.lastInput, window.__benchSave.saved]"
            )
            page.evaluate("window.__benchSave.stop()")
            raw.append(saved - last_input)
            page.wait_for_timeout(200)
    finally:
        context.close()
    server.shutdown_kernels()
    debounce_ms = AUTOSAVE_DELAY_SECONDS * 1000
    return {
        "step_ms": summary(first_visit + revisit),
        "step_first_visit_ms": summary(first_visit),
        "step_revisit_ms": summary(revisit),
        "step_ms_by_step": by_step,
        "autosave_after_debounce_ms": summary([value - debounce_ms for value in raw]),
        "autosave_raw_ms": summary(raw),
        "debounce_ms": debounce_ms,
    }


def run(options: Options) -> dict:
    from playwright.sync_api import sync_playwright

    runs = options.runs(7, quick=3)
    samples: dict[str, list[dict]] = {name: [] for name in NOTEBOOKS}
    with (
        VoilaServer(None, bench=options, name="browser") as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in NOTEBOOKS:
                time_to_interactive(browser, server, name)  # warm-up, not counted
            for round_ in range(runs):
                for name in list(NOTEBOOKS) if round_ % 2 == 0 else list(reversed(NOTEBOOKS)):
                    samples[name].append(time_to_interactive(browser, server, name))
            steps = step_and_save_latency(
                browser,
                server,
                passes=1 if options.quick else 3,
                typing_samples=options.runs(30, quick=8),
            )
        finally:
            browser.close()
    result = {
        name: {key: summary([s[key] for s in runs_]) for key in runs_[0]}
        for name, runs_ in samples.items()
    }
    for key in ("seconds", "body_seconds", "after_body_seconds"):
        result[f"{key}_ratio"] = ratio(result["workbook"][key], result["reference"][key])
    result["steps"] = steps
    return result


def latency(s: dict) -> str:
    return f"median {s['median']:.0f} ms, p95 {s.get('p95', s['max']):.0f} ms ({s['min']:.0f}–{s['max']:.0f}, n={s['runs']})"


def latency_row(metric: str, s: dict, with_target: bool = True) -> Row:
    if not with_target:
        return Row(metric, latency(s))
    met = s["median"] <= MEDIAN_TARGET_MS and s.get("p95", s["max"]) <= P95_TARGET_MS
    return Row(
        metric,
        latency(s),
        target=f"median ≤ {MEDIAN_TARGET_MS} ms, p95 ≤ {P95_TARGET_MS} ms",
        met=met,
    )


def rows(result: dict) -> list[Row]:
    wb, ref, steps = result["workbook"], result["reference"], result["steps"]
    tti = result["seconds_ratio"]
    return [
        Row(
            "2. time to interactive (navigation → first control visible and enabled)",
            fmt(wb["seconds"], "s"),
            fmt(ref["seconds"], "s"),
            tti,
            f"≤ {TTI_TARGET}×",
            tti <= TTI_TARGET,
        ),
        Row(
            "   of which: page body received (responseEnd)",
            fmt(wb["body_seconds"], "s"),
            fmt(ref["body_seconds"], "s"),
            result["body_seconds_ratio"],
        ),
        Row(
            "   of which: body → control usable (scripts, widgets)",
            fmt(wb["after_body_seconds"], "s"),
            fmt(ref["after_body_seconds"], "s"),
            result["after_body_seconds_ratio"],
        ),
        latency_row("4. Next / Back → next step's heading visible, all samples", steps["step_ms"]),
        latency_row(
            "   first visit of a step (its view is built)",
            steps["step_first_visit_ms"],
            with_target=False,
        ),
        latency_row("   step already visited", steps["step_revisit_ms"], with_target=False),
        latency_row(
            f'4. typing → "已保存", after the {steps["debounce_ms"] / 1000:.1f} s debounce',
            steps["autosave_after_debounce_ms"],
        ),
        latency_row(
            "   the same, raw (debounce included)", steps["autosave_raw_ms"], with_target=False
        ),
    ]
