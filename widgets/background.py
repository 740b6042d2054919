"""Long trainer actions (reading a CFPB export, building the index, exporting) in a worker thread.

The kernel stays free to answer clicks while the work runs, so the page can show a progress bar
and a Cancel button that works. Widgets are touched only on the kernel's event loop: the worker
hands every update to the loop with ``call_soon_threadsafe`` (ipywidgets' comm messages are not
meant to be sent from two threads at once), throttled to a few per second. Without a running
loop (plain Python, nbval, the widget tests' default) the work runs at once, in the caller's thread.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from html import escape

import ipywidgets as w

from complaint.errors import WorkbookError

log = logging.getLogger("workbook")
Post = Callable[[Callable[[], None]], object]  # runs a callback on the widgets' thread
#: Seconds between two progress updates sent to the page.
PROGRESS_INTERVAL = 0.25


def kernel_poster() -> Post | None:
    """``call_soon_threadsafe`` of the kernel's running event loop, or None when none runs."""
    try:
        return asyncio.get_running_loop().call_soon_threadsafe
    except RuntimeError:
        return None


def later_on_kernel_loop(delay: float, callback: Callable[[], None]):
    """Schedule a repeat (the dashboard's auto-refresh); None, and nothing scheduled, without a loop."""
    try:
        return asyncio.get_running_loop().call_later(delay, callback)
    except RuntimeError:
        return None


class Job:
    """``work(report, should_stop)`` run once; ``report(...)`` reaches ``on_progress(...)`` and the
    result or the exception reaches ``on_done(result, error)``, both on the widgets' thread."""

    def __init__(
        self,
        work,
        on_progress: Callable[..., None],
        on_done: Callable[[object, BaseException | None], None],
        post: Post | None,
    ) -> None:
        self.work, self.on_progress, self.on_done, self.post = work, on_progress, on_done, post
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self._last_report = 0.0

    def start(self) -> Job:
        if self.post is None:
            self._run(lambda callback: callback())
        else:
            self.thread = threading.Thread(
                target=self._run, args=(self.post,), name="trainer-job", daemon=True
            )
            self.thread.start()
        return self

    def cancel(self) -> None:
        self.stop.set()

    def _run(self, post: Post) -> None:
        def report(*args) -> None:
            now = time.monotonic()
            if now - self._last_report >= PROGRESS_INTERVAL:
                self._last_report = now
                post(lambda: self.on_progress(*args))

        result, error = None, None
        try:
            result = self.work(report, self.stop.is_set)
        except (
            Exception
        ) as exc:  # shown as a message on the page by on_done, never lost in the thread
            if not isinstance(
                exc, (WorkbookError, OSError)
            ):  # those are expected, and explained on the page
                log.exception("trainer dashboard: background work failed")
            error = exc
        post(lambda: self.on_done(result, error))


class ProgressLine:
    """A progress bar, what it is doing in words (read out by screen readers), and an optional Cancel."""

    def __init__(self, cancel_label: str = "", on_cancel: Callable[[], None] | None = None) -> None:
        self.bar = w.FloatProgress(value=0, min=0, max=1, layout=w.Layout(width="16em"))
        self.bar.add_class("wb-progress")
        self.text = w.HTML()
        parts = [self.bar, self.text]
        self.cancel_button = None
        if on_cancel is not None:
            self.cancel_button = w.Button(
                description=cancel_label, icon="stop", layout=w.Layout(width="auto")
            )
            self.cancel_button.on_click(lambda _b: on_cancel())
            parts.append(self.cancel_button)
        self.widget = w.Box(
            parts, layout=w.Layout(flex_flow="row wrap", align_items="center", display="none")
        )
        self.widget.add_class("wb-row")

    def show(self, fraction: float | None, text: str) -> None:
        """``fraction`` of 1 done (None: not known yet, the bar shows nothing done)."""
        self.bar.value = min(max(fraction or 0.0, 0.0), 1.0)
        self.text.value = f"<span class='wb-progress-text' role='status'>{escape(text)}</span>"
        self.widget.layout.display = ""
        if self.cancel_button is not None:
            self.cancel_button.disabled = False

    def hide(self) -> None:
        self.widget.layout.display = "none"
        self.text.value = ""
