"""A real ``voila`` server on a free loopback port and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: How the Makefile starts Voilà: ``python -m server`` (Voilà with the Host guard, the kernel cap, no 500s).
VOILA = [sys.executable, "-m", "server"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila exited with {process.returncode}")
        try:
            # A static file: requesting the page itself would start a kernel on every poll.
            with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise TimeoutError(f"voila did not answer at {url}")


def make_command(target: str, *variables: str) -> list[str]:
    """The notebook and options of a Makefile target's Voilà command (``make -n``), after ``python -m server``."""
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", target, *variables],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = shlex.split(next(line for line in dry_run.splitlines() if " -m server " in line))
    return words[words.index("server") + 1 :]


@pytest.fixture(scope="session")
def cases_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-cases")


@pytest.fixture(scope="session")
def voila_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("voila") / "voila.log"


@contextlib.contextmanager
def running_voila(
    notebook: str,
    cases_dir: Path,
    log_path: Path,
    *options: str,
    ready_timeout: float = 90,
    log_may_hold_tracebacks: bool = False,
):
    """A Voilà process serving ``notebook`` as the Makefile does (``python -m server``, voila.json, our template).

    Yields the base URL; on exit stops the server and fails if its log holds a traceback
    (unless the test provokes one on purpose).
    """
    port = free_port()
    env = dict(
        os.environ, WORKBOOK_CASES_DIR=str(cases_dir), JUPYTER_PATH=str(ROOT / "share" / "jupyter")
    )
    env.pop("QUERY_STRING", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [*VOILA, notebook, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", *options],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process, ready_timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log_text = log_path.read_text(errors="replace")
        assert log_may_hold_tracebacks or "Traceback" not in log_text, log_text[-4000:]


@pytest.fixture(scope="session")
def voila_url(cases_dir, voila_log):
    """Serve the workbook exactly as ``make serve`` does (same notebook, voila.json, template)."""
    with running_voila("notebooks/workbook.ipynb", cases_dir, voila_log) as url:
        yield url


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shoot():
    """Save a full-page screenshot under artifacts/screenshots/ (git-ignored) for a human to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        # Voilà scrolls inside #rendered_cells, not the document, so full_page alone shows one
        # viewport: grow the viewport to the content for the shot, then put it back.
        path = SCREENSHOTS / f"{name}.png"
        viewport = page.viewport_size
        height = page.evaluate(
            "(document.getElementById('rendered_cells') || document.body).scrollHeight"
        )
        page.set_viewport_size(
            {"width": viewport["width"], "height": max(viewport["height"], height)}
        )
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(viewport)
        return path

    return take


def jump_to_step(page, number: int) -> None:
    """Open step ``number`` (from 1) as a person would: a button of the step list on a wide screen,
    the step menu on a phone (which shows the menu instead of the list)."""
    # Wait for one of the two first: just after a re-render (a language switch, a newer version
    # loaded) neither may be on the page yet, and a phone has no step list to click.
    page.locator(".wb-step-menu select:visible, .wb-steps:visible").first.wait_for()
    menu = page.locator(".wb-step-menu select")
    if menu.is_visible():
        menu.select_option(index=number - 1)
    else:
        page.locator(".wb-steps").get_by_role(
            "button", name=re.compile(rf"^(✓ |… )?{number} ")
        ).click()
