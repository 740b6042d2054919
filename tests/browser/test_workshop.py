"""``make workshop`` as participants meet it: a preheated kernel pool, the URL still obeyed, nothing else served.

The server runs with the exact Voilà options the Makefile's workshop target uses (read from
``make -n``), on a small pool, so the test exercises what a trainer starts.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, jump_to_step, make_command, running_voila
from .test_workbook_flow import open_workbook, start_new_case, wait_saved

pytestmark = pytest.mark.browser

SEATS = 2


def workshop_options(seats: int) -> list[str]:
    """The Voilà options of ``make workshop`` (dry run), minus what the test sets itself."""
    words = make_command("workshop", f"SEATS={seats}")
    assert words[0] == "notebooks/workbook.ipynb", (
        "the workshop serves only the participant workbook"
    )
    return [
        word
        for word in words[1:]
        if not word.startswith(("--port=", "--Voila.ip=", "--no-browser"))
    ]


def test_the_workshop_command_preheats_one_kernel_per_seat():
    assert workshop_options(7) == [
        "--preheat_kernel=True",
        "--pool_size=7",
        "--VoilaKernelManager.fill_delay=60",
        "--CappedKernelManager.max_kernels=14",
        "--WorkbookVoila.any_address=True",
    ]


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    cases = tmp_path_factory.mktemp("workshop-cases")
    log = tmp_path_factory.mktemp("workshop") / "voila.log"
    with running_voila("notebooks/workbook.ipynb", cases, log, *workshop_options(SEATS)) as url:
        wait_for_log(log, f"filled with {SEATS} kernel(s)")
        yield url, cases, log


def wait_for_log(log, text: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"{text!r} never appeared in the voila log"
        time.sleep(0.3)


def test_preheated_kernels_still_obey_the_language_and_the_resume_code(workshop, new_page):
    url, cases, log = workshop
    page = new_page(PHONE)
    open_workbook(page, url + "?lang=en")
    code = start_new_case(page)
    page.get_by_text("Money has not arrived", exact=True).click()
    page.get_by_role("button", name="Next →").click()
    page.get_by_label("What happened (in your own words)").fill("Preheated kernel, 预热内核")
    wait_saved(page)
    assert len(list(cases.glob("*.csv"))) == 1

    # The pool refills; the second visitor's kernel was also waiting before the request existed.
    wait_for_log(log, f"filled with {SEATS} kernel(s)")
    again = new_page(DESKTOP)
    open_workbook(again, url + f"?lang=en&case={code}")
    expect(again.locator(".wb-code-value")).to_have_text(code)
    jump_to_step(again, 2)
    expect(again.get_by_label("What happened (in your own words)")).to_have_value(
        "Preheated kernel, 预热内核"
    )
    assert log.read_text().count("Using pre-heated kernel") >= 2


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "path",
    [
        "notebooks/trainer.ipynb",
        "trainer.ipynb",
        "voila/render/trainer.ipynb",
        "voila/render/notebooks/trainer.ipynb",
        "voila/files/trainer.ipynb",
        "voila/files/notebooks/workbook.ipynb",
        "voila/files/data/cases/",
        "voila/files/../data/cases/",
        "voila/files/%2e%2e/voila.json",
        "voila/tree",
        "data/cases/",
        "../data/cases/",
        "%2e%2e/%2e%2e/etc/passwd",
        "api/contents",
        "api/contents/data/cases",
        "api/kernels",
        "api/sessions",
        "tree",
        "lab",
    ],
)
def test_a_participant_reaches_nothing_but_the_workbook(workshop, path):
    url, cases, _log = workshop
    (cases / "0123456789abcdef01234567.csv").write_text(
        "key,label,value,display\r\n", encoding="utf-8"
    )
    assert status_of(url + path) in (403, 404, 405), path


def test_an_error_in_a_notebook_shows_no_traceback_to_the_visitor(tmp_path, new_page):
    """voila.json's show_tracebacks=false, as it applies to the workshop: the page gets no
    exception name, message, file path or source line."""
    import nbformat

    notebook = tmp_path / "broken.ipynb"
    source = "secret_path = '/srv/secret/cases'\n1 / 0  # SECRET-SOURCE-LINE"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), notebook)
    with running_voila(
        str(notebook), tmp_path / "cases", tmp_path / "voila.log", log_may_hold_tracebacks=True
    ) as url:
        page = new_page(DESKTOP)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        html = page.content()
        with urllib.request.urlopen(url, timeout=60) as response:
            html += response.read().decode("utf-8", "replace")
    for leak in (
        "ZeroDivisionError",
        "Traceback",
        "SECRET-SOURCE-LINE",
        "/srv/secret",
        str(tmp_path),
    ):
        assert leak not in html, leak
