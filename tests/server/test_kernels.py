"""The capped kernel manager's own rules, without a server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from tornado.websocket import WebSocketClosedError

from server.app import quiet_closed_websockets
from server.kernels import CappedKernelManager


def run_coroutine(coroutine) -> None:
    """Run on a loop of its own: the test session's thread may already run one (Playwright's)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def test_the_culler_skips_a_kernel_whose_page_already_shut_it_down():
    # The culler works from a list made before its awaits; a kernel shut down by its closing page
    # in between must not surface as a KeyError traceback in the server log.
    manager = CappedKernelManager()
    run_coroutine(manager.cull_kernel_if_idle("0b6f1b9e-gone"))
    assert manager.kernel_count() == 0


def test_a_write_to_a_closed_page_is_no_traceback_but_other_errors_still_are(caplog):
    loop = asyncio.new_event_loop()
    try:
        quiet_closed_websockets(
            loop,
            {
                "message": "Future exception was never retrieved",
                "exception": WebSocketClosedError(),
            },
        )
        assert not [record for record in caplog.records if record.levelname == "ERROR"]
        quiet_closed_websockets(
            loop, {"message": "Future exception was never retrieved", "exception": KeyError("x")}
        )
        assert [record for record in caplog.records if record.levelname == "ERROR"]
    finally:
        loop.close()


def test_the_culler_skips_a_kernel_still_starting():
    # A kernel being started is listed before jupyter_server gives it a last_activity; reading
    # that trait then raises a TraitError, which the culler logged as a traceback.
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    manager = CappedKernelManager()
    manager._kernels["0b6f1b9e-starting"] = ServerKernelManager()
    run_coroutine(manager.cull_kernel_if_idle("0b6f1b9e-starting"))
    assert "0b6f1b9e-starting" in manager._kernels
