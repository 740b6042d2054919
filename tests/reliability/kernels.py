"""A real ipykernel, started the way Voilà starts one (jupyter_client), that a test can drive,
talk to as a browser would (comm messages), and SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[2]


class RealKernel:
    """One kernel process. Everything it may write outside the cases directory (IPython history,
    connection files, its stdout and stderr) goes under ``workdir``, so a test can search it."""

    def __init__(self, workdir: Path, cases_dir: Path) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {key: value for key, value in os.environ.items() if key != "QUERY_STRING"}
        env.update(
            WORKBOOK_CASES_DIR=str(cases_dir),
            IPYTHONDIR=str(self.workdir / "ipython"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            PYTHONPATH=str(ROOT),
        )
        self.output_path = self.workdir / f"kernel-output-{time.monotonic_ns()}.log"
        self.manager = KernelManager(
            kernel_name="python3",
            connection_file=str(self.workdir / f"kernel-{time.monotonic_ns()}.json"),
        )
        self.messages: list[dict] = []  # every iopub message received: what a page would be sent
        with open(self.output_path, "wb") as output:
            self.manager.start_kernel(env=env, cwd=str(ROOT), stdout=output, stderr=output)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    @property
    def pid(self) -> int:
        return self.manager.provisioner.process.pid

    def submit(self, code: str) -> str:
        return self.client.execute(code, store_history=False)

    def run(self, code: str, timeout: float = 60) -> str:
        """Execute ``code``; return what it printed; raise with the kernel's traceback on error."""
        msg_id = self.submit(code)
        printed, error = [], None
        deadline = time.monotonic() + timeout
        while True:
            message = self.client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            self.messages.append(message)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                printed.append(content["text"])
            elif kind == "error":
                error = "\n".join(content["traceback"])
            elif kind == "status" and content["execution_state"] == "idle":
                break
        if error:
            raise AssertionError(f"kernel code failed:\n{error}")
        return "".join(printed)

    def run_json(self, code: str):
        return json.loads(self.run(code).strip().splitlines()[-1])

    def send_comm(self, comm_id: str, data: dict) -> None:
        """A message from the page's widget manager to a widget model (what a browser sends)."""
        self.client.shell_channel.send(
            self.client.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        )

    def set_value(self, model_id: str, value) -> None:
        self.send_comm(
            model_id, {"method": "update", "state": {"value": value}, "buffer_paths": []}
        )

    def click(self, model_id: str) -> None:
        self.send_comm(model_id, {"method": "custom", "content": {"event": "click"}})

    def drain(self, seconds: float = 0.3) -> None:
        """Collect iopub messages still on their way."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.messages.append(self.client.get_iopub_msg(timeout=0.05))
            except Exception:  # queue.Empty
                pass

    def kill(self) -> None:
        """SIGKILL the kernel process: no cleanup, no atexit, no flush (as an OOM kill or a power cut
        of the process would do)."""
        process = self.manager.provisioner.process
        os.kill(self.pid, signal.SIGKILL)
        process.wait(timeout=30)
        self.close()

    def close(self) -> None:
        self.client.stop_channels()
        if self.manager.is_alive():
            self.manager.shutdown_kernel(now=True)
        self.manager.cleanup_resources()
