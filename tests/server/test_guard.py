"""DNS rebinding and forged headers against ``make trainer`` and ``make workshop`` as the Makefile starts them.

A page on a name the attacker controls, resolved to this machine, sends its requests with that
name as ``Host`` (and its own origin as ``Origin``): each server must refuse them, for the page,
static files and both websockets (a kernel's channels, the preheated kernels' query socket);
the trainer's server must also want its token. With the right token and host the dashboard
still works in Chromium, and malformed template paths and ``/logout`` are 404s or a redirect,
never a 500 with a traceback (``running_voila`` fails on any traceback in the log).
"""

from __future__ import annotations

import base64
import os
import re
import socket
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, make_command, running_voila

from .processes import preheated_and_waiting

pytestmark = pytest.mark.browser

EVIL = "evil.example"
KERNEL_ID = re.compile(r"Kernel started: ([0-9a-f-]{36})")


def status_of(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, str, dict]:
    """Status, body and headers of one request, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(
        url, headers=headers or {}, method=method, data=b"" if method == "POST" else None
    )
    try:
        with urllib.request.build_opener(NoRedirect()).open(request, timeout=60) as response:
            return (
                response.status,
                response.read().decode("utf-8", "replace"),
                dict(response.headers),
            )
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)


def websocket_status(
    url: str, path: str, host: str | None = None, origin: str | None = None, cookie: str = ""
) -> int:
    """The HTTP status a websocket upgrade gets: 101 when the server accepts it."""
    port = int(url.rsplit(":", 1)[1].strip("/"))
    host = host or f"127.0.0.1:{port}"
    lines = [
        f"GET /{path} HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
        "Sec-WebSocket-Version: 13",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    if cookie:
        lines.append(f"Cookie: {cookie}")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status_line = connection.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def wait_for(predicate, what: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, what
        time.sleep(0.3)
    return value


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    """``make trainer``'s server: its notebook and options, a token it prints once."""
    words = make_command("trainer")
    assert "--token" in words and "--Voila.ip=127.0.0.1" in words
    notebook, options = (
        words[0],
        [
            word
            for word in words[1:]
            if not word.startswith(("--port=", "--Voila.ip=", "--no-browser"))
        ],
    )
    log = tmp_path_factory.mktemp("trainer") / "voila.log"
    with running_voila(notebook, tmp_path_factory.mktemp("trainer-cases"), log, *options) as url:
        printed = wait_for(
            lambda: re.findall(r"http://127\.0\.0\.1:\d+/\?token=([0-9a-f]{48})", log.read_text()),
            "no token URL printed",
        )
        assert len(printed) == 1, "the token URL is printed once"
        yield url, printed[0], log


def test_the_trainer_server_wants_its_token(trainer):
    url, token, _log = trainer
    status, body, headers = status_of(url + "?lang=en")
    assert status == 302 and headers["Location"].startswith("/login"), status
    assert "wb-trainer" not in body
    assert status_of(url + "?lang=en&token=" + "0" * 48)[0] == 302
    assert (
        status_of(url + f"voila/api/shutdown/{'0' * 8}-0000-0000-0000-{'0' * 12}", method="POST")[0]
        == 403
    )


def test_the_trainer_server_refuses_foreign_hosts_even_with_the_token(trainer):
    url, token, _log = trainer
    port = url.rsplit(":", 1)[1].strip("/")
    for host in (f"{EVIL}:{port}", EVIL, f"127.0.0.1.nip.io:{port}", f"192.168.1.20:{port}"):
        for path in (
            f"?token={token}",
            "voila/static/voila.js",
            "login",
            "voila/templates/workbook/static/index.css",
        ):
            status, body, _ = status_of(url + path, {"Host": host})
            assert status == 403, (host, path, status)
            assert "wb-trainer" not in body


def test_the_trainer_dashboard_works_with_the_token_and_its_kernel_refuses_forged_websockets(
    trainer, browser
):
    url, token, log = trainer
    port = url.rsplit(":", 1)[1].strip("/")
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(
            url.replace("127.0.0.1", "localhost") + f"?token={token}&lang=en"
        )  # as through ssh -L
        expect(page.locator(".wb-trainer .wb-status")).to_be_visible(timeout=90_000)
        expect(page.get_by_role("tab", name="Cases")).to_be_visible()
        kernel = wait_for(lambda: KERNEL_ID.findall(log.read_text()), "no kernel started")[-1]
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
        channels = f"api/kernels/{kernel}/channels"
        local = f"localhost:{port}"
        # The page's own kind of connection is accepted; forged ones are not.
        assert (
            websocket_status(url, channels, host=local, origin=f"http://{local}", cookie=cookie)
            == 101
        )
        assert (
            websocket_status(
                url, channels, host=f"{EVIL}:{port}", origin=f"http://{EVIL}:{port}", cookie=cookie
            )
            == 403
        )
        assert (
            websocket_status(
                url, channels, host=local, origin=f"http://{EVIL}:{port}", cookie=cookie
            )
            == 403
        )
        assert (
            websocket_status(url, channels, host=local, origin=f"http://{local}") == 403
        )  # no login: no kernel
        # The dashboard is still alive after all that.
        page.get_by_role("tab", name="Export").click()
        expect(page.get_by_role("tab", name="Export")).to_have_attribute("aria-selected", "true")
        # /logout forgets the login: the dashboard asks for the token again.
        page.goto(url.replace("127.0.0.1", "localhost") + "logout")
        assert "/login" in page.url
        page.goto(url.replace("127.0.0.1", "localhost") + "?lang=en")
        assert "/login" in page.url
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "voila/templates/x",
        "voila/templates/workbook/x/y",
        "voila/templates/workbook/static/",
        "voila/templates//static/a",
    ],
)
def test_malformed_template_paths_are_404s_not_500s(trainer, path):
    assert status_of(trainer[0] + path)[0] == 404


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """``make workshop``'s server with one seat and a name for the room."""
    words = make_command("workshop", "SEATS=1", "WORKSHOP_HOSTS=workshop.test other.test")
    options = [
        word
        for word in words[1:]
        if not word.startswith(("--port=", "--Voila.ip=", "--no-browser"))
    ]
    log = tmp_path_factory.mktemp("workshop") / "voila.log"
    with running_voila(words[0], tmp_path_factory.mktemp("workshop-cases"), log, *options) as url:
        # Until the seat's kernel is ready: one stopped while still starting prints a traceback.
        wait_for(
            lambda: preheated_and_waiting(int(url.rsplit(":", 1)[1].strip("/"))) == 1,
            "the pool never filled",
        )
        yield url, log


def test_the_workshop_answers_to_its_addresses_and_names_only(workshop):
    url, _log = workshop
    port = url.rsplit(":", 1)[1].strip("/")
    static = "voila/static/voila.js"  # the page itself would take the seat's kernel
    for host in (
        f"192.168.1.20:{port}",
        f"10.1.2.3:{port}",
        f"[fe80::1]:{port}",
        f"workshop.test:{port}",
        "other.test",
        f"localhost:{port}",
    ):
        assert status_of(url + static, {"Host": host})[0] == 200, host
    for host in (f"{EVIL}:{port}", f"workshop.test.{EVIL}:{port}"):
        for path in (
            "",
            "?lang=en",
            static,
            "voila/templates/workbook/static/index.css",
            "api/kernels",
        ):
            assert status_of(url + path, {"Host": host})[0] == 403, (host, path)
        for socket_path in (
            f"api/kernels/{'0' * 8}-0000-0000-0000-{'0' * 12}/channels",
            f"voila/query/{'0' * 8}-0000-0000-0000-{'0' * 12}",
        ):
            assert websocket_status(url, socket_path, host=host, origin=f"http://{host}") == 403, (
                host,
                socket_path,
            )
    # From a foreign page, even with the right Host: the query websocket refuses the Origin.
    assert (
        websocket_status(
            url, f"voila/query/{'0' * 8}-0000-0000-0000-{'0' * 12}", origin=f"http://{EVIL}"
        )
        == 403
    )


@pytest.mark.parametrize("path", ["voila/templates/x", "voila/templates/workbook/x/y", "logout"])
def test_the_workshop_has_no_500s_for_template_paths_or_logout(workshop, path):
    status, body, _ = status_of(workshop[0] + path)
    assert status == 404, status
    assert "Traceback" not in body
    assert status_of(workshop[0] + "login")[0] in (302, 404)


def test_make_serve_answers_at_the_machines_address_for_phones_on_the_network():
    """``HOST=0.0.0.0 make serve`` (README): phones type the machine's IP address, which must pass the guard."""
    words = make_command("serve", "HOST=0.0.0.0")
    assert "--Voila.ip=0.0.0.0" in words and "--WorkbookVoila.any_address=True" in words
