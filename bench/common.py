"""What the benchmark sections share: statistics, the result table's rows, and a real ``voila`` server.

A section is a module of this package with

- ``TITLE``: one line saying what it measures,
- ``run(options: Options) -> dict``: measures, returns JSON-able results,
- ``rows(result: dict) -> list[Row]``: the lines of the summary table (printed and written as
  markdown by ``bench/run.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REFERENCE = "bench/reference.ipynb"
WORKBOOK = "notebooks/workbook.ipynb"
#: Headless Debian Chromium as the browser tests start it (tests/browser/conftest.py).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@dataclass
class Options:
    """What ``bench/run.py``'s command line asks of every section."""

    quick: bool = (
        False  # fewer repetitions and smaller bursts: a check that the bench works, not figures
    )
    work_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="wb-bench-")))
    #: Where each Voilà server's log is copied when it stops (to look into failures afterwards).
    log_dir: Path = RESULTS / "logs"

    def runs(self, full: int, quick: int = 3) -> int:
        return quick if self.quick else full


@dataclass
class Row:
    """One line of the summary table: the workbook's figure, the reference's, and the target."""

    metric: str
    workbook: str
    reference: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def summary(values: list[float]) -> dict:
    """Median, min–max and (from 2 values on) the 95th percentile, linearly interpolated."""
    result = {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }
    if len(values) > 1:
        result["p95"] = statistics.quantiles(values, n=20, method="inclusive")[18]
    return result


def fmt(s: dict, unit: str, digits: int = 2) -> str:
    return f"{s['median']:.{digits}f} {unit} ({s['min']:.{digits}f}–{s['max']:.{digits}f}, n={s['runs']})"


def ratio(workbook: dict, reference: dict) -> float:
    return workbook["median"] / reference["median"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VoilaServer:
    """A ``voila`` process started as the Makefile starts it (repository root as working
    directory, so voila.json applies; JUPYTER_PATH for our template), on a free loopback port.

    ``notebook=None`` serves the repository root in tree mode: ``/voila/render/<path>`` renders
    any notebook, so the workbook and the reference share one server. Its kernels are told
    apart from everyone else's on this machine by their connection files, which live in this
    server's own temporary directory (TMPDIR).
    """

    def __init__(self, notebook: str | None, *options: str, bench: Options, name: str) -> None:
        self.notebook, self.options, self.name = notebook, list(options), name
        self.log_dir = bench.log_dir
        self.dir = Path(bench.work_dir) / f"{name}-{uuid.uuid4().hex[:8]}"
        (self.dir / "cases").mkdir(parents=True)
        # Kernels' connection files go here; short, so that ipc:// socket paths stay within
        # the 107 bytes Linux allows (--KernelManager.transport=ipc).
        self.tmp = Path(tempfile.mkdtemp(prefix="wbk-"))
        self.log_path = self.dir / "voila.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def page_url(self, notebook: str, query: str = "") -> str:
        path = "" if self.notebook else f"voila/render/{notebook}"
        return self.url + path + (f"?{query}" if query else "")

    def __enter__(self) -> VoilaServer:
        env = {key: value for key, value in os.environ.items() if key != "QUERY_STRING"}
        env.update(
            WORKBOOK_CASES_DIR=str(self.dir / "cases"),
            JUPYTER_PATH=str(ROOT / "share" / "jupyter"),
            TMPDIR=str(self.tmp),
        )
        target = [self.notebook] if self.notebook else []
        command = [
            sys.executable,
            "-m",
            "server",
            *target,
            "--no-browser",
            f"--port={self.port}",
            "--Voila.ip=127.0.0.1",
            *self.options,
        ]
        self.started = time.monotonic()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"voila exited with {self.process.returncode}: {self.log_text()[-2000:]}"
                )
            try:  # a static file: asking for the page would start a kernel
                with urllib.request.urlopen(self.url + "voila/static/voila.js", timeout=2):
                    return self
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"voila did not answer at {self.url}") from None
                time.sleep(0.3)

    def __exit__(self, *exc_info) -> None:
        """Stop the server (it shuts its kernels down); then kill any kernel of ours still alive."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for kernel in self.kernels().values():
            with contextlib.suppress(psutil.Error):
                kernel.kill()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.log_path, self.log_dir / f"{self.name}.log")
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until(self, condition, what: str, timeout: float) -> float:
        """Seconds since the server was started when ``condition()`` first holds."""
        while not condition():
            if time.monotonic() - self.started > timeout:
                raise TimeoutError(f"{what}: not after {timeout:.0f} s")
            if self.process.poll() is not None:
                raise RuntimeError(f"voila exited with {self.process.returncode}")
            time.sleep(0.5)
        return time.monotonic() - self.started

    def kernels(self) -> dict[str, psutil.Process]:
        """kernel id -> process, for this server's kernels only (their connection files are ours)."""
        marker = str(self.tmp) + "/"
        found = {}
        for process in psutil.process_iter(["cmdline"]):
            for word in process.info["cmdline"] or ():
                if word.startswith(marker) and "/kernel-" in word and word.endswith(".json"):
                    found[word.rsplit("/kernel-", 1)[1][: -len(".json")]] = process
        return found

    def shutdown_kernels(self) -> None:
        """Shut every kernel of this server down the way a page does when it is closed
        (``/voila/api/shutdown/<id>``, with a double-submit XSRF cookie), and wait for them."""
        kernels = self.kernels()
        for kernel_id in kernels:
            request = urllib.request.Request(
                f"{self.url}voila/api/shutdown/{kernel_id}",
                method="POST",
                headers={"X-XSRFToken": "bench", "Cookie": "_xsrf=bench"},
            )
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=30).close()
        psutil.wait_procs(list(kernels.values()), timeout=30)


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def in_fresh_process(module: str, *args: str) -> dict:
    """``python -m <module> <args>`` in a new process (nothing in memory, its own peak memory): the
    JSON object its last line of output prints."""
    import json
    import subprocess
    import sys

    output = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])
