"""The capped kernel manager's own rules, without a server."""

from __future__ import annotations

import asyncio

from server.kernels import CappedKernelManager


def test_the_culler_skips_a_kernel_whose_page_already_shut_it_down():
    # The culler works from a list made before its awaits; a kernel shut down by its closing page
    # in between must not surface as a KeyError traceback in the server log.
    manager = CappedKernelManager()
    asyncio.run(manager.cull_kernel_if_idle("0b6f1b9e-gone"))
    assert manager.kernel_count() == 0
