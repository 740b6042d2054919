"""The preheated kernel's wait for its visitor: Voilà's protocol, served here by a tiny websocket server."""

from __future__ import annotations

import json
import os
import threading

import pytest
from websockets.sync.server import serve

from widgets import preheat
from widgets.app import WorkbookApp


@pytest.fixture
def voila_query_server(monkeypatch):
    """Answers ``/voila/query/<kernel id>`` with a request, as Voilà's RequestInfoSocketHandler does."""
    seen_paths = []

    def handler(connection):
        seen_paths.append(connection.request.path)
        connection.send(json.dumps({"QUERY_STRING": "lang=en&scenario=locked-after-new-phone", "SCRIPT_NAME": "/"}))

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
    assert app.case is not None and app.case.practice == "locked-after-new-phone"  # the scenario from the URL was opened
    assert len(list(tmp_path.glob("*.csv"))) == 1


def test_an_unreachable_voila_opens_the_workbook_with_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", "1")  # nothing listens there
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("WORKBOOK_CASES_DIR", str(tmp_path))
    assert preheat.wait_for_request(timeout=2) is False
    assert WorkbookApp.from_environment().language == "zh"
