"""The kernel processes of a Voilà server started by a test, found by the server's port."""

from __future__ import annotations

import psutil


def kernel_processes(port: int) -> list[psutil.Process]:
    """Kernels started by the Voilà server listening on ``port``."""
    server = next(
        p for p in psutil.process_iter(["cmdline"]) if f"--port={port}" in (p.info["cmdline"] or [])
    )
    kernels = []
    for child in server.children(recursive=True):
        try:
            if any("ipykernel_launcher" in word for word in child.cmdline()):
                kernels.append(child)
        except psutil.NoSuchProcess:
            pass
    return kernels


def preheated_and_waiting(port: int) -> int:
    """Preheated kernels done starting: each holds its websocket to the server open, waiting for a visitor."""
    count = 0
    for kernel in kernel_processes(port):
        try:
            count += any(
                c.raddr and c.raddr.port == port for c in kernel.net_connections(kind="tcp")
            )
        except psutil.NoSuchProcess:
            pass
    return count
