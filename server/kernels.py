"""A kernel manager with a cap on the number of kernels, so a flood of page requests cannot exhaust memory.

Every page request starts (or takes from the preheated pool) a kernel of about 55 MB that lives
until it is culled; without a cap, anyone on the room's network can fill the machine's memory
with plain GETs. Why here, in the kernel manager, and not in a request handler: this is the one
place every kernel start goes through, whether a visitor's page asks for it or the preheated
pool refills itself, and it is Voilà's own extension point for kernels
(``VoilaConfiguration.multi_kernel_manager_class``; with ``--preheat_kernel`` Voilà derives its
pooling manager from this class, so the pool's starts come here too).

The rules, with ``max_kernels`` = N (0: no cap):

- Kernels counted: running, starting, and in the preheated pool (a waiting kernel takes memory
  like any other).
- A visitor's request when N are counted: refused with ``RoomFull`` (HTTP 503), which the page
  handler turns into the bilingual "the room is full" page. A visitor is never refused while a
  preheated kernel is waiting: taking it starts nothing.
- A pool refill when N are counted: not started, and taken out of the pool (Voilà's pool must
  only hold kernels that exist or are starting). The pool is topped up again, after
  ``fill_delay``, whenever a kernel is shut down (culled, or its page closed).
"""

from __future__ import annotations

import asyncio
import uuid

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import HTTPError
from traitlets import Integer

PREHEAT_ENV = "VOILA_PREHEAT"  # Voilà marks pool kernels' environment with "True"


class RoomFull(HTTPError):
    """No kernel can be started: the server is at its cap."""

    def __init__(self, limit: int) -> None:
        super().__init__(503, "kernel cap of %d reached", limit, reason="Room Full")


class CappedKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` (Voilà's default) that starts no kernel beyond ``max_kernels``."""

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels alive at once, preheated ones included; 0 for no cap. Requests beyond it get 503.",
    )

    def __init__(self, **kwargs) -> None:
        self._reserved: set[str] = set()  # kernels being started by this manager right now
        self._stopping = False
        super().__init__(**kwargs)

    def kernel_count(self) -> int:
        """Kernels alive or starting: what the cap counts."""
        return len(set(self.list_kernel_ids()) | set(self._pending_kernels) | self._reserved)

    def has_room(self) -> bool:
        return not self.max_kernels or self.kernel_count() < self.max_kernels

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs) -> str:
        if kernel_id is not None and kernel_id in self:  # an existing kernel: nothing is started
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        is_pool_refill = (kwargs.get("env") or {}).get(PREHEAT_ENV) == "True"
        if not self.has_room():
            if is_pool_refill and self._drop_current_pool_task():
                self.log.info(
                    "Kernel cap of %d reached: the preheated pool is not refilled for now",
                    self.max_kernels,
                )
                raise asyncio.CancelledError
            self.log.debug(
                "Kernel cap of %d reached: a visitor gets the room-is-full page", self.max_kernels
            )
            raise RoomFull(self.max_kernels)
        # Reserve the slot before the first await, so requests arriving together cannot all pass the check.
        kernel_id = kernel_id or str(uuid.uuid4())
        self._reserved.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._reserved.discard(kernel_id)

    def _drop_current_pool_task(self) -> bool:
        """Take the refill task running this start out of Voilà's pool (``_pools``, Voilà 0.5).

        False when it is no longer there: a visitor took it from the pool and waits for it, so
        the visitor is refused like any other (``RoomFull``), rather than left with a cancelled task.
        """
        task = asyncio.current_task()
        for pool in getattr(self, "_pools", {}).values():
            if task in pool:
                pool.remove(task)
                return True
        return False

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # The culler lists the kernels, then awaits each one's check (and shutdown) in turn; a page
        # closed meanwhile has already shut its own kernel down, and jupyter_server would log the
        # KeyError for the missing id as a traceback. A kernel still starting has no
        # last_activity yet (jupyter_server sets it once the kernel is up), and reading it raises
        # a TraitError there: it is not idle, it is not there yet.
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and kernel._trait_values.get("last_activity") is not None:
            await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs) -> None:
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
        self._top_up_pools()

    def _top_up_pools(self) -> None:
        """A kernel was freed: let the preheated pool refill (after ``fill_delay``) what the cap held back."""
        fill = getattr(self, "fill_if_needed", None)  # only Voilà's pooling manager has one
        if fill is None or self._stopping or not self.max_kernels:
            return
        for notebook_name in list(getattr(self, "_pools", {})):
            fill(notebook_name=notebook_name)

    async def shutdown_all(self, *args, **kwargs) -> None:
        self._stopping = True  # no refills while the server stops
        await super().shutdown_all(*args, **kwargs)
