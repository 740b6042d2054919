"""The workshop JupyterHub (deploy/jupyterhub) for real: two participants, two servers, two folders.

alice and bob log in through the hub's login page in their own browser contexts, land on the
workbook through ``default_url``, each start a case and type something only they know. Then:
each sheet is in its owner's folder of the workshop directory; bob's workbook does not find
alice's case by her resume code (his server only sees his folder); bob cannot reach alice's
server at all; participants get Voilà only. A trainer, logging in at the same time, lands on
the dashboard and sees both cases; the dashboard on a participant's server sees their own only.
A second hub with a short idle timeout shows the idle-culler service stopping an unused server.
"""

from __future__ import annotations

import secrets
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_workbook_flow import start_new_case, wait_saved

from .conftest import PASSWORD, running_hub

pytestmark = pytest.mark.slow

SPAWN_TIMEOUT = 120_000  # ms: a server and a kernel starting on a busy 2-core machine


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("hub"), WORKSHOP_TRAINERS="trainer") as hub:
        yield hub
    log = hub.log_text()
    assert "Traceback" not in log, log[-6000:]


def log_in(browser, hub, name: str) -> Page:
    """Log in on the hub's page; the hub starts the user's server, which opens its default_url."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(hub.url + "hub/login")
    page.get_by_label("Username:").fill(name)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.locator("#login_submit").click()
    return page


def landed_on_the_workbook(page: Page, hub, name: str) -> str:
    expect(page.locator(".wb-app")).to_be_visible(timeout=SPAWN_TIMEOUT)
    workbook = f"{hub.url}user/{name}/voila/render/workbook.ipynb"
    assert page.url.split("?")[0] == workbook
    expect(
        page.get_by_role("button", name="开始新的投诉")
    ).to_be_visible()  # Chinese by default, as on one server
    return workbook


def dashboard_rows(page: Page, url: str):
    page.goto(url + "?lang=en")
    expect(page.locator(".wb-trainer .wb-status")).to_be_visible(timeout=SPAWN_TIMEOUT)
    return page.locator(".wb-table tbody tr")


def sheets_in(folder) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8-sig") for path in folder.glob("*.csv")}


def new_case_with(page: Page, workbook: str, secret: str, cases) -> str:
    """Start a case in English, write ``secret`` as what happened, wait for the save; return the resume code."""
    page.goto(workbook + "?lang=en")
    code = start_new_case(page)
    page.get_by_role("button", name="Next →").click()
    page.get_by_label("What happened (in your own words)").fill(secret)
    # The status said "Saved" before typing too: wait for the autosave to reach the disk (anywhere
    # under cases/: the test then checks where), then for the page to say so.
    deadline = time.monotonic() + 30
    while not any(secret in path.read_text(encoding="utf-8-sig") for path in cases.rglob("*.csv")):
        assert time.monotonic() < deadline, f"{secret!r} was never saved under {cases}"
        time.sleep(0.2)
    wait_saved(page)
    return code


@pytest.mark.browser
def test_each_participant_saves_into_their_own_folder_and_cannot_open_the_others_case(hub, browser):
    secrets_of = {
        name: f"{name} lost 42 yuan, marker {secrets.token_hex(6)}" for name in ("alice", "bob")
    }
    pages = {
        name: log_in(browser, hub, name) for name in (*secrets_of, "trainer")
    }  # the servers spawn at once
    try:
        workbooks = {name: landed_on_the_workbook(pages[name], hub, name) for name in secrets_of}
        cases = hub.workshop / "cases"
        codes = {
            name: new_case_with(pages[name], workbooks[name], secrets_of[name], cases)
            for name in secrets_of
        }
        alice, bob = pages["alice"], pages["bob"]

        # Each sheet is in its owner's folder of the workshop directory, and only there.
        for name, secret in secrets_of.items():
            sheets = sheets_in(cases / name)
            assert len(sheets) == 1, sorted(sheets)
            assert secret in next(iter(sheets.values()))
        assert not list(cases.glob("*.csv"))
        assert secrets_of["alice"] not in "".join(sheets_in(cases / "bob").values())

        # bob's workbook finds his own case by its code, but not alice's: his server sees his folder only.
        bob.goto(workbooks["bob"] + f"?lang=en&case={codes['bob']}")
        expect(bob.locator(".wb-code-value")).to_have_text(codes["bob"], timeout=60_000)
        bob.goto(workbooks["bob"] + f"?lang=en&case={codes['alice']}")
        expect(bob.get_by_role("alert")).to_contain_text(
            "No complaint has this resume code", timeout=60_000
        )
        expect(bob.locator(".wb-code-value")).to_have_count(0)
        assert secrets_of["alice"] not in bob.content()

        # bob cannot reach alice's server: for her pages the hub refuses to log him in to it, her
        # server's API refuses him outright.
        for path in (
            "voila/render/workbook.ipynb",
            f"voila/render/workbook.ipynb?lang=en&case={codes['alice']}",
            "api/contents",
            "api/kernels",
        ):
            response = bob.goto(f"{hub.url}user/alice/{path}")
            assert response.status == 403, (path, response.status, bob.url)
            expect(bob.locator(".wb-app")).to_have_count(0)
            assert secrets_of["alice"] not in bob.content()

        # The trainer lands on the dashboard, over every participant's folder.
        trainer = pages["trainer"]
        expect(trainer.locator(".wb-trainer")).to_be_visible(timeout=SPAWN_TIMEOUT)
        dashboard = f"{hub.url}user/trainer/voila/render/trainer.ipynb"
        assert trainer.url.split("?")[0] == dashboard
        rows = dashboard_rows(trainer, dashboard)
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="alice")).to_have_count(1)
        expect(rows.filter(has_text="bob")).to_have_count(1)

        # The dashboard notebook is on every server, but on a participant's it sees their folder only.
        rows = dashboard_rows(alice, workbooks["alice"].replace("workbook.ipynb", "trainer.ipynb"))
        expect(rows).to_have_count(1)
        expect(rows.filter(has_text="bob")).to_have_count(0)

        # alice still has her case, and her server is Voilà only: no JupyterLab, no terminals.
        alice.goto(workbooks["alice"] + f"?lang=en&case={codes['alice']}")
        expect(alice.locator(".wb-code-value")).to_have_text(codes["alice"], timeout=60_000)
        for path in ("lab", "terminals/1", "api/terminals"):
            response = alice.goto(f"{hub.url}user/alice/{path}")
            assert response.status == 404, (path, response.status)
    finally:
        for page in pages.values():
            page.context.close()


def test_an_idle_server_is_stopped_by_the_culler(tmp_path_factory):
    """The idle-culler service runs with the scopes it needs: a server nobody uses is stopped."""
    with running_hub(tmp_path_factory.mktemp("hub-culling"), WORKSHOP_IDLE_TIMEOUT="6") as hub:
        assert hub.api("POST", "users/carol")[0] == 201
        assert hub.api("POST", "users/carol/server")[0] in (201, 202)
        assert (hub.workshop / "cases" / "carol").stat().st_mode & 0o777 == 0o700

        def server_of_carol():
            status, user = hub.api("GET", "users/carol")
            assert status == 200, status
            return user["servers"].get("")

        deadline = time.monotonic() + 60
        while not (server_of_carol() or {}).get("ready"):
            assert time.monotonic() < deadline, hub.log_text()[-6000:]
            time.sleep(0.5)
        started = time.monotonic()
        while server_of_carol() is not None:
            assert time.monotonic() - started < 60, hub.log_text()[-6000:]
            time.sleep(1)
        log = hub.log_text()
        assert "Culling server carol" in log, log[-6000:]
        assert "Traceback" not in log, log[-6000:]
