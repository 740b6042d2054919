"""Issue 17: widget models per screen, counted without a kernel (counts are exact, not noisy).

Every widget model costs the kernel, Voilà's server (it relays and decodes every message) and the
browser about a millisecond each; every update sent after a model was built costs a message
more. This section counts, for the start screen in each language and for the first visit of each
step of a new case: the models created (``comm_open``) and the updates sent to models afterwards
(``comm_msg`` with ``method: update``), by model class.

    python -m bench.models           # prints the table as JSON too
"""

from __future__ import annotations

import collections
import contextlib
import json
import sys
import tempfile

from .common import Options, Row

TITLE = "Widget models per screen (issue 17): created, and updated after creation"
START_SCREEN_TARGET = 20


@contextlib.contextmanager
def counting():
    """Count widget models created and state updates sent while the block runs."""
    import ipywidgets as w

    counts = {"models": collections.Counter(), "updates": 0}
    original_open, original_send = w.Widget.open, w.Widget._send

    def open_(self):
        if self.comm is None:
            counts["models"][type(self).__name__] += 1
        return original_open(self)

    def send(self, msg, buffers=None):
        if msg.get("method") == "update":
            counts["updates"] += 1
        return original_send(self, msg, buffers)

    w.Widget.open, w.Widget._send = open_, send
    try:
        yield counts
    finally:
        w.Widget.open, w.Widget._send = original_open, original_send


def measure(cases_dir: str) -> dict:
    import os

    os.environ["WORKBOOK_CASES_DIR"] = cases_dir
    from complaint.steps import step_ids

    STEPS = step_ids()
    from widgets.app import WorkbookApp

    result: dict = {"start": {}, "steps": {}}
    for language in ("zh", "en"):
        with counting() as counts:
            app = WorkbookApp(language=language, call_later=lambda _delay, _callback: None)
        result["start"][language] = {
            "models": sum(counts["models"].values()),
            "updates": counts["updates"],
            "by_class": dict(counts["models"]),
        }
    with counting() as counts:
        app.start.new_button.click()
    result["new_case"] = {"models": sum(counts["models"].values()), "updates": counts["updates"]}
    for step in STEPS[1:]:
        with counting() as counts:
            app.go(step)
        result["steps"][step] = {
            "models": sum(counts["models"].values()),
            "updates": counts["updates"],
            "by_class": dict(counts["models"]),
        }
    with counting() as counts:
        for step in STEPS:
            app.go(step)
    result["later_visits"] = {
        "models": sum(counts["models"].values()),
        "updates": counts["updates"],
    }
    return result


def run(options: Options) -> dict:
    from .common import in_fresh_process

    return in_fresh_process("bench.models", tempfile.mkdtemp(dir=options.work_dir))


def rows(result: dict) -> list[Row]:
    table = []
    for language, counts in result["start"].items():
        met = counts["models"] <= START_SCREEN_TARGET
        table.append(
            Row(
                f"start screen ({language}): widget models / updates after creation",
                f"{counts['models']} / {counts['updates']}",
                target=f"models ≤ {START_SCREEN_TARGET}",
                met=met,
            )
        )
    table.append(
        Row(
            "start a new complaint (first step built): models / updates",
            f"{result['new_case']['models']} / {result['new_case']['updates']}",
        )
    )
    for step, counts in result["steps"].items():
        table.append(
            Row(
                f"first visit of {step}: models / updates",
                f"{counts['models']} / {counts['updates']}",
            )
        )
    later = result["later_visits"]
    table.append(
        Row(
            "all nine steps visited again: models / updates",
            f"{later['models']} / {later['updates']}",
        )
    )
    return table


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())))
