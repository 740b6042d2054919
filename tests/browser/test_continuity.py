"""Never lose what a user typed, and always leave a way back to the case (issue 11), in a real browser.

- The kernel, or the whole server, dies while someone types: a role="alert" banner within 3 s
  (measured), the page takes no more input, no "Saved" is left in view; after the server is
  back (same port, same cases folder), "Reload and continue" reopens the case in the same tab.
- Reload, Back/Forward, a reloaded practice link: back to the same case, no code typed.
- "Remember this complaint on this device" (off by default) and "forget it".
- Two windows on one case: the stale one is blocked and warned, keeps its answers as a download,
  and loads the newer version.
- Kernels are freed: closing a page shuts its kernel down (the shutdown request is accepted), and
  plain GETs leave no kernel once the (here shortened) idle timeout has passed.

Each scenario's measured figures go to artifacts/continuity-figures.json.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, ROOT, free_port, jump_to_step, wait_for_http
from .test_workbook_flow import open_workbook, start_new_case, wait_saved

pytestmark = pytest.mark.browser

ALERT_WITHIN_SECONDS = 3.0  # the requirement
ALERT_MARGIN = 2.0  # a loaded 2-core CI machine; the measured figures are recorded and reported
FIGURES = ROOT / "artifacts" / "continuity-figures.json"
TEXTS = {
    "en": {
        "start": "Start a new complaint",
        "next": "Next →",
        "problem": "Money has not arrived",
        "description": "What happened (in your own words)",
        "reload": "Reload and continue",
        "saved": "Saved",
    },
    "zh": {
        "start": "开始新的投诉",
        "next": "下一步 →",
        "problem": "资金不到账",
        "description": "发生了什么（用你自己的话）",
        "reload": "重新加载并继续",
        "saved": "已保存",
    },
}


def record(name: str, value) -> None:
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures[name] = value
    FIGURES.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


class Server:
    """A voila process like ``make serve`` on a port of our choosing, so it can be killed and
    started again on the same port and cases folder."""

    def __init__(self, cases: Path, log: Path, *options: str) -> None:
        self.cases, self.log, self.options = cases, log, options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(
            os.environ,
            WORKBOOK_CASES_DIR=str(self.cases),
            JUPYTER_PATH=str(ROOT / "share" / "jupyter"),
        )
        env.pop("QUERY_STRING", None)
        voila = Path(sys.executable).with_name("voila")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(voila),
                    "notebooks/workbook.ipynb",
                    "--no-browser",
                    f"--port={self.port}",
                    "--Voila.ip=127.0.0.1",
                    *self.options,
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_http(self.url, self.process)

    def kernels(self) -> list[psutil.Process]:
        """The server's kernel processes (ipykernel children of the voila process)."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return [child for child in children if _is_kernel(child)]

    def kill(self) -> None:
        """SIGKILL the server: no goodbye to the browser. Its orphaned kernels are then killed too."""
        orphans = self.kernels()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        for kernel in orphans:
            try:
                kernel.kill()
            except psutil.NoSuchProcess:
                pass

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _is_kernel(process: psutil.Process) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def wait_until(condition, timeout: float, step: float = 0.25) -> float:
    """Seconds it took ``condition()`` to become true; fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "condition not met in time"
        time.sleep(step)
    return time.monotonic() - start


@pytest.fixture
def server(tmp_path):
    servers = []

    def make(*options: str) -> Server:
        server = Server(tmp_path / "cases", tmp_path / f"voila-{len(servers)}.log", *options)
        servers.append(server)
        server.start()
        return server

    yield make
    for server in servers:
        server.stop()
        log = server.log.read_text(errors="replace")
        assert "_xsrf' argument missing" not in log, "a page's shutdown request was refused"


def page_kernel(server: Server, page: Page) -> psutil.Process:
    kernel_id = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    (kernel,) = [k for k in server.kernels() if kernel_id in " ".join(k.cmdline())]
    return kernel


def type_on_the_facts_step(page: Page, language: str, text: str, cases: Path) -> None:
    """Answer the problem, type ``text`` as the description and wait until a sheet on disk holds it
    (the status already said "Saved" before, so it cannot tell)."""
    words = TEXTS[language]
    page.get_by_text(words["problem"], exact=True).click()
    page.get_by_role("button", name=words["next"]).click()
    page.get_by_label(words["description"]).fill(text)
    wait_until(
        lambda: any(text in sheet.read_text(encoding="utf-8-sig") for sheet in cases.glob("*.csv")),
        timeout=15,
    )
    expect(page.locator(".wb-status")).to_contain_text(words["saved"], timeout=10_000)


def assert_banner_and_dead_page(page: Page, language: str, code: str) -> None:
    banner = page.locator("#wb-lost-banner")
    expect(banner).to_have_attribute("role", "alert")
    box = (
        banner.bounding_box()
    )  # in view where the user was typing, not at the top of a scrolled page
    assert box and -1 <= box["y"] < page.viewport_size["height"] / 2, box
    expect(banner).to_contain_text(code)
    expect(banner).to_contain_text(re.compile(r"\d\d:\d\d"))  # "changes made after HH:MM"
    expect(banner.get_by_role("button", name=TEXTS[language]["reload"])).to_be_focused()
    expect(page.locator(".wb-status")).to_be_hidden()  # no "Saved" left in view
    visible_text = page.locator("body").inner_text()  # what is rendered, not what is hidden
    assert not re.search(r"(Saved \(|已保存（)\d\d:\d\d", visible_text), visible_text
    assert page.evaluate("document.getElementById('rendered_cells').inert")
    expect(page.get_by_label(TEXTS[language]["description"])).to_be_disabled()


@pytest.mark.parametrize(
    "language, viewport",
    [("en", DESKTOP), ("en", PHONE), ("zh", PHONE)],
    ids=["desktop-en", "phone-en", "phone-zh"],
)
def test_kernel_killed_while_typing_is_announced_and_the_case_comes_back(
    server, new_page, shoot, language, viewport
):
    voila = server()
    page = new_page(viewport)
    open_workbook(page, voila.url + f"?lang={language}")
    page.get_by_role("button", name=TEXTS[language]["start"]).click()
    code = page.locator(".wb-code-value").inner_text()
    type_on_the_facts_step(page, language, "saved before the kill", voila.cases)
    field = page.get_by_label(TEXTS[language]["description"])
    field.press_sequentially(" typed while the kernel dies", delay=20)
    page_kernel(voila, page).kill()
    killed = time.monotonic()
    expect(page.locator("#wb-lost-banner")).to_be_visible(
        timeout=(ALERT_WITHIN_SECONDS + ALERT_MARGIN) * 1000
    )
    seconds = time.monotonic() - killed
    record(f"kernel kill → banner, {language}, {viewport['width']} px wide (s)", round(seconds, 2))
    assert seconds <= ALERT_WITHIN_SECONDS + ALERT_MARGIN
    assert_banner_and_dead_page(page, language, code)
    shoot(
        page, f"continuity-kernel-killed-{language}-{'phone' if viewport is PHONE else 'desktop'}"
    )

    page.get_by_role("button", name=TEXTS[language]["reload"]).click()
    expect(page.locator(".wb-code-value")).to_have_text(
        code, timeout=60_000
    )  # same tab, no code typed
    expect(page.locator("#wb-lost-banner")).to_have_count(0)


def test_server_killed_is_announced_and_reload_after_restart_reopens_the_case(
    server, new_page, shoot
):
    voila = server()
    page = new_page(DESKTOP)
    open_workbook(page, voila.url + "?lang=en")
    code = start_new_case(page)
    type_on_the_facts_step(page, "en", "saved before the server died", voila.cases)
    page.get_by_label(TEXTS["en"]["description"]).press_sequentially(" and more", delay=20)
    voila.kill()
    killed = time.monotonic()
    expect(page.locator("#wb-lost-banner")).to_be_visible(
        timeout=(ALERT_WITHIN_SECONDS + ALERT_MARGIN) * 1000
    )
    seconds = time.monotonic() - killed
    record("server kill → banner (s)", round(seconds, 2))
    assert seconds <= ALERT_WITHIN_SECONDS + ALERT_MARGIN
    assert_banner_and_dead_page(page, "en", code)
    shoot(page, "continuity-server-killed-en-desktop")

    voila.start()  # same port, same cases folder
    page.get_by_role("button", name="Reload and continue").click()
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=60_000)
    jump_to_step(page, 2)
    expect(page.get_by_label(TEXTS["en"]["description"])).to_have_value(
        "saved before the server died"
    )
    expect(page.get_by_role("button", name="Start a new complaint")).to_have_count(0)


def test_reload_and_back_forward_return_to_the_case_without_the_code(new_page, voila_url):
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    page.get_by_text("Account locked", exact=True).click()
    page.get_by_role("button", name="Next →").click()
    expect(page.get_by_role("heading", name="The facts of your case")).to_be_visible()
    page.reload()  # at once: the change still waiting for the autosave is saved as the kernel shuts down
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=60_000)
    expect(
        page.get_by_role("heading", name="The facts of your case")
    ).to_be_visible()  # the step it was on
    jump_to_step(page, 1)
    expect(page.get_by_label("Account locked", exact=True)).to_be_checked()
    page.goto("about:blank")
    page.go_back()
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=60_000)
    page.go_forward()
    page.go_back()
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=60_000)
    expect(page.get_by_role("button", name="Start a new complaint")).to_have_count(0)


def test_reopening_never_flashes_the_start_screen(new_page, voila_url):
    page = new_page(DESKTOP)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    page.add_init_script(
        "window.wbStartSeen = false; new MutationObserver(function () {"
        " var s = document.querySelector('.wb-start'); var cells = document.getElementById('rendered_cells');"
        " if (s && cells && cells.style.display !== 'none' && s.offsetParent !== null) { window.wbStartSeen = true; } })"
        ".observe(document, {subtree: true, childList: true, attributes: true});"
    )
    page.reload()
    expect(page.locator(".wb-code-value")).to_have_text(code, timeout=60_000)
    assert page.evaluate("window.wbStartSeen") is False


def test_a_reloaded_practice_link_keeps_its_case(new_page, voila_url, cases_dir):
    page = new_page(PHONE)
    before = set(cases_dir.glob("*.csv"))
    open_workbook(page, voila_url + "?scenario=locked-after-new-phone&lang=en")
    code = page.locator(".wb-code-value")
    expect(code).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
    first = code.inner_text()
    expect(page).not_to_have_url(re.compile("scenario="))
    page.reload()
    expect(page.locator(".wb-code-value")).to_have_text(first, timeout=60_000)
    expect(page.locator(".wb-practice")).to_be_visible()
    assert len(set(cases_dir.glob("*.csv")) - before) == 1, (
        "the reload started another practice case"
    )


def test_remember_on_this_device_then_forget(new_page, voila_url, shoot):
    page = new_page(PHONE)
    open_workbook(page, voila_url + "?lang=en")
    code = start_new_case(page)
    page.get_by_role("button", name="Code & downloads").click()  # the device controls are behind it
    remember = page.get_by_label("Remember this complaint on this device")
    expect(remember).not_to_be_checked()  # off by default
    other_tab = page.context.new_page()
    open_workbook(other_tab, voila_url + "?lang=en")
    expect(other_tab.get_by_role("button", name="Start a new complaint")).to_be_visible()
    expect(other_tab.locator(".wb-remembered")).to_be_hidden()  # nothing remembered unless asked
    other_tab.close()

    remember.check()
    new_tab = page.context.new_page()
    new_tab.set_viewport_size(PHONE)
    open_workbook(new_tab, voila_url + "?lang=en")
    offer = new_tab.locator(".wb-remembered")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(code[-4:])
    expect(offer).not_to_contain_text(code)  # only its end is shown on the start page
    shoot(new_tab, "continuity-remembered-en-phone")
    new_tab.get_by_role("button", name="Continue this complaint").click()
    expect(new_tab.locator(".wb-code-value")).to_have_text(code)

    new_tab.get_by_role("button", name="Code & downloads").click()
    new_tab.get_by_role("button", name=re.compile("Close this complaint")).click()
    expect(new_tab.get_by_role("button", name="Start a new complaint")).to_be_visible(
        timeout=60_000
    )
    new_tab.get_by_role("button", name="Forget it").click()
    expect(new_tab.locator(".wb-remembered")).to_be_hidden()
    expect(new_tab.get_by_role("status").filter(has_text="no longer remembers")).to_be_visible()
    assert new_tab.evaluate("localStorage.getItem('workbook.rememberedCase')") is None
    last = page.context.new_page()
    open_workbook(last, voila_url + "?lang=en")
    expect(last.get_by_role("button", name="Start a new complaint")).to_be_visible()
    expect(last.locator(".wb-remembered")).to_be_hidden()


@pytest.mark.parametrize(
    "language, viewport",
    [("en", DESKTOP), ("en", PHONE), ("zh", PHONE)],
    ids=["desktop-en", "phone-en", "phone-zh"],
)
def test_two_windows_the_stale_one_is_blocked_keeps_its_answers_and_loads_the_newer(
    new_page, voila_url, cases_dir, shoot, language, viewport
):
    words = TEXTS[language]
    stale = new_page(viewport)
    open_workbook(stale, voila_url + f"?lang={language}")
    stale.get_by_role("button", name=words["start"]).click()
    code = stale.locator(".wb-code-value").inner_text()
    type_on_the_facts_step(stale, language, f"first words {code}", cases_dir)

    newer = new_page(DESKTOP)
    open_workbook(newer, voila_url + f"?lang={language}&case={code}")
    jump_to_step(newer, 2)
    newer_text = f"written in the other window {code}"
    newer.get_by_label(words["description"]).fill(newer_text)
    wait_until(
        lambda: any(
            newer_text in sheet.read_text(encoding="utf-8-sig") for sheet in cases_dir.glob("*.csv")
        ),
        timeout=15,
    )

    stale.get_by_label(words["description"]).fill("typed in the stale window")
    alert = stale.locator(".wb-conflict-alert")
    expect(alert).to_be_visible(timeout=10_000)
    expect(alert.get_by_role("alert")).to_be_visible()
    field_is_inert = (
        "document.querySelector('.wb-step textarea, textarea').closest('[inert]') !== null"
    )
    assert stale.evaluate(field_is_inert), "the stale window still takes input"
    shoot(stale, f"continuity-conflict-{language}-{'phone' if viewport is PHONE else 'desktop'}")

    with stale.expect_download() as download:
        alert.locator("a.wb-download").click()
    rows = list(
        csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig")))
    )
    assert any("typed in the stale window" in cell for row in rows for cell in row), (
        "the download lacks this window's answers"
    )

    alert.get_by_role("button").click()  # load the newer version
    expect(stale.locator(".wb-conflict-alert")).to_have_count(0)
    jump_to_step(stale, 2)
    expect(stale.get_by_label(words["description"])).to_have_value(newer_text)
    assert not stale.evaluate(field_is_inert), (
        "the window stayed blocked after loading the newer version"
    )


def test_closing_a_page_frees_its_kernel_and_plain_gets_leave_none(server, new_page):
    idle_timeout = 15  # shortened for the test; voila.json's is 90 s, checked every 30 s
    voila = server(
        f"--MappingKernelManager.cull_idle_timeout={idle_timeout}",
        "--MappingKernelManager.cull_interval=2",
    )
    page = new_page(DESKTOP)
    open_workbook(page, voila.url + "?lang=en")
    start_new_case(page)
    assert len(voila.kernels()) == 1
    page.close(run_before_unload=True)
    seconds = wait_until(
        lambda: not voila.kernels(), timeout=idle_timeout / 2
    )  # the page's shutdown, not the culler
    record("page closed → kernel gone (s)", round(seconds, 2))
    assert "Kernel shutdown" in voila.log.read_text()

    def plain_get(_):
        with urllib.request.urlopen(voila.url, timeout=120) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(plain_get, range(10)))
    assert len(voila.kernels()) == 10
    seconds = wait_until(lambda: not voila.kernels(), timeout=idle_timeout + 45)
    record(f"10 plain GETs → no kernel left, idle timeout {idle_timeout} s (s)", round(seconds, 2))


def test_an_open_page_keeps_its_kernel_past_the_idle_timeout(server, new_page):
    voila = server(
        "--MappingKernelManager.cull_idle_timeout=3", "--MappingKernelManager.cull_interval=1"
    )
    page = new_page(DESKTOP)
    open_workbook(page, voila.url + "?lang=en")
    code = start_new_case(page)
    time.sleep(8)
    assert len(voila.kernels()) == 1
    page.get_by_text("Account locked", exact=True).click()
    wait_saved(page)
    expect(page.locator("#wb-lost-banner")).to_have_count(0)
    expect(page.locator(".wb-code-value")).to_have_text(code)


def test_preheated_kernels_waiting_for_a_participant_are_not_culled(server, new_page):
    from .test_workshop import workshop_options

    seats = 2
    voila = server(
        *workshop_options(seats),
        "--MappingKernelManager.cull_idle_timeout=3",
        "--MappingKernelManager.cull_interval=1",
    )
    wait_until(
        lambda: f"filled with {seats} kernel(s)" in voila.log.read_text(errors="replace"),
        timeout=90,
    )
    wait_until(lambda: len(voila.kernels()) == seats, timeout=60)
    time.sleep(10)  # more than three times the idle timeout, many culler passes
    assert len(voila.kernels()) == seats, (
        "the culler shut down preheated kernels waiting for participants"
    )
    page = new_page(DESKTOP)
    open_workbook(page, voila.url + "?lang=en")
    start_new_case(page)
    assert "Using pre-heated kernel" in voila.log.read_text()


def test_make_serve_and_make_workshop_take_the_idle_timeout():
    def voila_line(*args: str) -> str:
        dry_run = subprocess.run(
            ["make", "--no-print-directory", "-n", *args],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return next(
            line for line in dry_run.splitlines() if "/python -m server " in line
        )  # Voilà behind server/ (the guard, the cap)

    for target in ("serve", "workshop"):
        assert "--MappingKernelManager.cull_idle_timeout=300" in voila_line(
            target, "KERNEL_IDLE_TIMEOUT=300"
        )
        assert "cull_idle_timeout" not in voila_line(target)  # voila.json's 90 s
    assert json.loads((ROOT / "voila.json").read_text())["MappingKernelManager"] == {
        "cull_idle_timeout": 90,
        "cull_interval": 30,
        "cull_connected": False,
    }
