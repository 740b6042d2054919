"""A distinctive password typed in the security audit of a real kernel, sent the way a browser
sends it (a comm message to the Password widget), appears nowhere afterwards: not in any file
the kernel or the workbook wrote (case sheet, IPython history, connection files), not in the
kernel's log or its stdout/stderr, not in anything the kernel sent back to the page.

Complements tests/widgets/test_security.py (sheet files and every widget's state, no kernel)
and tests/browser/test_security_audit.py (a real browser: files, voila's log, the page).
"""

from __future__ import annotations

import json

import pytest

from .kernels import RealKernel

SECRET = "Pangolin-Teapot-8063-Inimitable"
FORMS = (
    SECRET.encode(),
    SECRET.encode("utf-16-le"),
    SECRET.encode("utf-16-be"),
    json.dumps(SECRET).encode(),
)

AUDIT = """
import json, logging, sys
logging.basicConfig(stream=sys.stderr)  # log records into the kernel's output: the workbook's at every level,
logging.getLogger("workbook").setLevel(logging.DEBUG)  # others at the default (see docs/reliability.md)
from widgets.app import WorkbookApp
app = WorkbookApp(language="en")  # the real autosave on the kernel's event loop
app.start_new_case()
app.stepper.buttons["security"].click()
view = app.views["security"]
print(json.dumps({"password": view.password.model_id, "words": view.context.model_id, "check": view.check.model_id,
                  "save": app.savebar.save_button.model_id, "sheet": str(app.store.path_for(app.case.code))}))
"""


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """The audit done once in a real kernel; what it left behind."""
    root = tmp_path_factory.mktemp("secrets")
    kernel = RealKernel(root / "kernel", root / "cases")
    try:
        ids = kernel.run_json(AUDIT)
        kernel.set_value(ids["words"], "my cat Mimi")
        kernel.set_value(ids["password"], SECRET)
        kernel.click(ids["check"])
        kernel.click(ids["save"])
        state = kernel.run_json(
            "print(json.dumps({'score': app.case.audit.password_score, 'field': view.password.value, 'saved': app.save_state}))"
        )
        kernel.drain(1.5)  # the debounced autosave too
    finally:
        kernel.close()
    return {"root": root, "kernel": kernel, "ids": ids, "state": state}


def containing_the_secret(data: bytes) -> bool:
    return any(form in data for form in FORMS)


@pytest.mark.slow
def test_the_password_is_nowhere_on_disk_nor_in_the_kernels_output(audited):
    state = audited["state"]
    assert state["score"] is not None and state["field"] == "" and state["saved"] == "saved", state
    files = [path for path in audited["root"].rglob("*") if path.is_file()]
    assert any(path.name.endswith(".csv") for path in files) and any(
        path.name.startswith("kernel-output") for path in files
    )
    for path in (
        files
    ):  # sheet, lock, IPython history database, connection file, the kernel's stdout+stderr
        assert not containing_the_secret(path.read_bytes()), path


@pytest.mark.slow
def test_the_password_is_in_no_message_the_kernel_sends_but_the_echo(audited):
    """Every iopub message (display data, widget state updates, streams) but one: see below."""
    messages = [
        m
        for m in audited["kernel"].messages
        if not (m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "echo_update")
    ]
    assert messages
    for message in messages:
        assert not containing_the_secret(json.dumps(message["content"]).encode()), message[
            "msg_type"
        ]


@pytest.mark.slow
def test_the_kernel_does_not_send_the_password_back(audited):
    for message in audited["kernel"].messages:
        assert not containing_the_secret(json.dumps(message["content"]).encode()), message[
            "content"
        ]
