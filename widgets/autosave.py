"""Debounced autosave: many quick changes (typing) become one save shortly after the last one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


def _call_later_on_running_loop(delay: float, callback: Callable[[], None]):
    """Schedule on the kernel's event loop; with no loop running (plain Python, nbval) run now."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return None
    return loop.call_later(delay, callback)


class Debouncer:
    """Calls ``action`` once, ``delay`` seconds after the last :meth:`trigger`."""

    def __init__(
        self,
        action: Callable[[], None],
        delay: float = 0.8,
        call_later: Callable[[float, Callable[[], None]], object] = _call_later_on_running_loop,
    ) -> None:
        self._action = action
        self._delay = delay
        self._call_later = call_later
        self._pending = None
        self.waiting = False

    def trigger(self) -> None:
        self.cancel()
        self.waiting = True
        self._pending = self._call_later(self._delay, self._fire)

    def cancel(self) -> None:
        if self._pending is not None and hasattr(self._pending, "cancel"):
            self._pending.cancel()
        self._pending = None
        self.waiting = False

    def flush(self) -> None:
        """Run a pending action now (e.g. on an explicit Save click)."""
        if self.waiting:
            self.cancel()
            self._action()

    def _fire(self) -> None:
        self._pending = None
        if self.waiting:
            self.waiting = False
            self._action()
