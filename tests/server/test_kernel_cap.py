"""``make workshop``'s kernel cap under a flood of plain GETs: never more kernels than MAX_KERNELS.

50 GETs at once against a workshop of 2 seats and a cap of 3 kernels. The kernel processes
under the server are counted all along: never more than 3. The GETs that found no room get the
"room is full" page: 503, ``Retry-After``, both languages from data/i18n. The kernels of the
GETs are culled (after 20 idle seconds here, 30 minutes in a workshop), the pool refills,
and the next visitor is served again.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from complaint.i18n import messages
from tests.browser.conftest import make_command, running_voila

from .processes import kernel_processes, preheated_and_waiting

#: What a page served in English holds: its plain-text fallback is the title in the page's
#: language (widgets/app.py), so a GET without a browser still shows which language it got.
ENGLISH_PAGE = f'"text/plain": "{messages("en")["app.title"]}"'

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEATS, CAP, FLOOD = 2, 3, 50


def kernels_of(port: int) -> int:
    return len(kernel_processes(port))


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=180) as response:
            return response.status, response.read().decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        return (
            error.code,
            error.read().decode("utf-8", "replace"),
            error.headers.get("Retry-After", ""),
        )


def test_a_flood_of_gets_never_holds_more_kernels_than_the_cap(tmp_path):
    words = make_command("workshop", f"SEATS={SEATS}", f"MAX_KERNELS={CAP}", "REFILL_DELAY=1")
    options = [
        word
        for word in words[1:]
        if not word.startswith(("--port=", "--Voila.ip=", "--no-browser"))
    ]
    assert f"--CappedKernelManager.max_kernels={CAP}" in options
    # Short, but longer than a kernel takes to start and run the workbook on a busy machine: the
    # culler would take a kernel still starting for an idle one.
    culling = [
        "--MappingKernelManager.cull_idle_timeout=20",
        "--MappingKernelManager.cull_interval=3",
    ]
    log = tmp_path / "voila.log"
    with running_voila(words[0], tmp_path / "cases", log, *options, *culling) as url:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        deadline = time.monotonic() + 90
        while "filled with 2 kernel(s)" not in log.read_text() or kernels_of(port) < SEATS:
            assert time.monotonic() < deadline, "the pool never filled"
            time.sleep(0.3)

        most, stop = [0], threading.Event()

        def watch() -> None:
            while not stop.is_set():
                most[0] = max(most[0], kernels_of(port))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with ThreadPoolExecutor(FLOOD) as pool:
                answers = list(pool.map(get, [url + "?lang=en"] * FLOOD))
            time.sleep(3)  # refills the flood set off (REFILL_DELAY=1) must not pass the cap either
        finally:
            stop.set()
            watcher.join()

        served = [body for status, body, _ in answers if status == 200]
        full = [(body, retry) for status, body, retry in answers if status == 503]
        assert len(served) + len(full) == FLOOD, sorted({status for status, _, _ in answers})
        assert 1 <= len(served) <= CAP + 2, len(
            served
        )  # the pool's kernels, and a kernel freed meanwhile at most
        assert all(ENGLISH_PAGE in body for body in served)
        assert most[0] <= CAP, f"{most[0]} kernels at once, the cap is {CAP}"
        body, retry = full[0]
        assert retry == "60"
        for language in ("en", "zh"):
            assert messages(language)["room_full.title"] in body
        assert body.index('lang="en"') < body.index('<section lang="zh"')  # ?lang=en: English first
        assert "Traceback" not in body

        # The GETs' kernels are culled; the pool refills within the cap, and a visitor is served again.
        deadline = time.monotonic() + 120
        while (
            kernels_of(port) > SEATS or preheated_and_waiting(port) < SEATS
        ):  # only the full pool left
            assert time.monotonic() < deadline, (
                f"still {kernels_of(port)} kernels, {preheated_and_waiting(port)} waiting"
            )
            time.sleep(0.5)
        assert "Culling kernel" in log.read_text()
        status, body, _ = get(url + "?lang=en")
        assert status == 200 and ENGLISH_PAGE in body
        assert kernels_of(port) <= CAP
        # The pool refills behind that visitor; the server stops once it has (a kernel stopped
        # while starting prints a traceback of its own).
        deadline = time.monotonic() + 90
        while preheated_and_waiting(port) < SEATS:
            assert time.monotonic() < deadline, "the pool never refilled"
            time.sleep(0.3)
        assert kernels_of(port) <= CAP
