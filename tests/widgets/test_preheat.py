"""The preheated kernel's wait for its visitor: Voilà's protocol, served here by a tiny websocket server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from ipywidgets.widgets.widget import _instances
from websockets.sync.server import serve

from widgets import preheat
from widgets.app import WorkbookApp


class SeenPaths(list):
    """The paths asked for; ``.query``: the request to hand out (changeable by a test)."""


@pytest.fixture
def voila_query_server(monkeypatch):
    """Answers ``/voila/query/<kernel id>`` with a request, as Voilà's RequestInfoSocketHandler does."""
    seen_paths = SeenPaths()
    query = {"QUERY_STRING": "lang=en&scenario=locked-after-new-phone", "SCRIPT_NAME": "/"}

    def handler(connection):
        seen_paths.append(connection.request.path)
        # What the kernel had built when its visitor arrived (the kernel waits in another thread).
        query["titles_before_request"] = [
            widget
            for widget in list(_instances.values())
            if str(getattr(widget, "value", "")).startswith("<h1 class='wb-title'>") and widget.comm
        ]
        connection.send(
            json.dumps(
                {key: value for key, value in query.items() if key != "titles_before_request"}
            )
        )

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_APP_PORT", str(port))
        monkeypatch.setenv("VOILA_KERNEL_ID", "k-123")
        monkeypatch.setenv("VOILA_SERVER_URL", "/base/")
        monkeypatch.setenv("QUERY_STRING", "")
        monkeypatch.setenv("SCRIPT_NAME", "")  # so both are put back after the test
        seen_paths.query = query
        yield seen_paths
        server.shutdown()


def test_a_kernel_that_was_not_preheated_does_not_wait(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert preheat.wait_for_request() is False
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # what Voilà sets for kernels started on request
    assert preheat.wait_for_request() is False


def test_the_request_arrives_in_the_environment(voila_query_server):
    assert preheat.wait_for_request(timeout=10) is True
    assert voila_query_server == ["/base/voila/query/k-123"]
    assert os.environ["QUERY_STRING"] == "lang=en&scenario=locked-after-new-phone"


def test_the_app_reads_the_url_only_after_the_request(voila_query_server, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_CASES_DIR", str(tmp_path))
    app = WorkbookApp.from_environment()
    assert app.language == "en"
    assert (
        app.case is not None and app.case.practice == "locked-after-new-phone"
    )  # the scenario from the URL was opened
    assert len(list(tmp_path.glob("*.csv"))) == 1


def test_an_unreachable_voila_opens_the_workbook_with_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", "1")  # nothing listens there
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("WORKBOOK_CASES_DIR", str(tmp_path))
    assert preheat.wait_for_request(timeout=2) is False
    assert WorkbookApp.from_environment().language == "zh"


def test_both_start_screens_are_built_before_the_request_and_the_unused_one_is_closed_unseen(
    voila_query_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("WORKBOOK_CASES_DIR", str(tmp_path))
    voila_query_server.query["QUERY_STRING"] = "lang=en"
    app = WorkbookApp.from_environment()
    titles = {
        "zh" if "数字钱包投诉助手" in title.value else "en": title
        for title in voila_query_server.query["titles_before_request"][-2:]
    }
    assert app.language == "en" and app.start is not None and app.case is None
    assert titles["en"] is app.title  # built before the request
    assert (
        titles["zh"].comm is None and titles["zh"] not in _instances.values()
    )  # closed: the browser never asks for it
    assert app.title.comm is not None and app.start.new_button.comm is not None
    assert not list(tmp_path.iterdir())  # nothing written for a visitor who has not started a case


def test_a_screen_no_page_has_seen_is_closed_without_a_message():
    import ipywidgets as w

    from widgets.common import close_tree

    box = w.VBox([w.HTML("x"), w.Button(description="y")])
    sent = []
    for model in (box, box.layout, *box.children, *(c.layout for c in box.children)):
        model.comm.publish_msg = lambda kind, **_kw: sent.append(kind)
    close_tree(box, unseen=True)
    assert sent == [] and box.comm is None and all(child.comm is None for child in box.children)
    seen = w.VBox([w.HTML("z")])
    seen.comm.publish_msg = lambda kind, **_kw: sent.append(kind)
    close_tree(seen)
    assert sent == ["comm_close"]


def test_a_preheated_kernel_imports_the_steps_before_its_visitor_arrives():
    script = (
        "import json, sys\n"
        "from widgets import preheat\n"
        "before = [m for m in preheat.STEP_MODULES if f'widgets.{m}' in sys.modules]\n"
        "preheat.warm_up()\n"
        "after = [m for m in preheat.STEP_MODULES if f'widgets.{m}' in sys.modules]\n"
        "print(json.dumps([before, after, 'zxcvbn' in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        [],
        list(preheat.STEP_MODULES),
        False,
    ]
