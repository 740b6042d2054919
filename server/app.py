"""``python -m server``: Voilà 0.5 with a Host/Origin guard on every handler and a capped kernel manager.

A subclass of Voilà's application rather than configuration alone, because three things need a
handler of ours, which only the application's handler list can give: the Host check on Voilà's
own handlers too (static files, the preheated kernels' query websocket), the "room is full"
page's ``Retry-After`` header (an error template cannot set headers), and the 404s for paths
where Voilà's handlers raise. Everything else is Voilà's, configured as before (``voila.json``,
command-line options).
"""

from __future__ import annotations

import asyncio
import logging
from functools import cache

from jupyter_server.auth.logout import LogoutHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError
from traitlets import Bool, List, Unicode
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from .handlers import (
    HostGuard,
    HostPolicy,
    TemplateStaticHandler,
    WorkbookLogoutHandler,
    WorkbookVoilaHandler,
)
from .kernels import CappedKernelManager

log = logging.getLogger(__name__)

REPLACED_HANDLERS = {
    TornadoVoilaHandler: WorkbookVoilaHandler,
    TemplateStaticFileHandler: TemplateStaticHandler,
    LogoutHandler: WorkbookLogoutHandler,
}


@cache
def guarded(handler: type) -> type:
    """The handler class with the Host/Origin guard in front of its own ``prepare``."""
    return type(handler.__name__, (HostGuard, handler), {"__module__": handler.__module__})


class WorkbookVoila(Voila):
    host_names = List(
        Unicode(),
        config=True,
        help="Host names this server answers to, besides localhost (e.g. the name the room types). Others get 403.",
    )
    any_address = Bool(
        False,
        config=True,
        help="Answer to any IP address in the Host header (a server the room reaches by its address); "
        "otherwise loopback addresses only.",
    )

    def init_settings(self) -> dict:
        configured = self.voila_configuration.multi_kernel_manager_class
        if (
            configured is AsyncMappingKernelManager
        ):  # Voilà's default: ours is the same plus the cap
            self.voila_configuration.multi_kernel_manager_class = CappedKernelManager
        elif not issubclass(configured, CappedKernelManager):
            self.log.warning(
                "Kernel manager %s is configured: kernels are not capped", configured.__name__
            )
        return super().init_settings()

    def start(self) -> None:
        # The loop Voilà's start() runs (tornado's IOLoop.current() wraps this asyncio loop).
        asyncio.get_event_loop().set_exception_handler(quiet_closed_websockets)
        super().start()

    def init_handlers(self) -> list:
        names = frozenset(
            {
                "localhost",
                *(name.strip().lower().rstrip(".") for name in self.host_names if name.strip()),
            }
        )
        self.app.settings["workbook_host_policy"] = HostPolicy(
            names=names, any_address=self.any_address
        )
        return [
            (pattern, guarded(REPLACED_HANDLERS.get(handler, handler)), *options)
            for pattern, handler, *options in super().init_handlers()
        ]


def quiet_closed_websockets(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """asyncio's handler, except for a write to a websocket whose page has gone.

    Tornado's ``write_message`` returns a future that its callers may leave unawaited; when the
    page went away first (a phone put down, a tab closed while its kernel was still sending),
    asyncio logs "Future exception was never retrieved" with a traceback for each one. Those are
    ordinary in a workshop and say nothing the kernel culler does not already handle, so they are
    one debug line here, and the server log keeps its tracebacks for real errors.
    """
    if isinstance(context.get("exception"), (WebSocketClosedError, StreamClosedError)):
        log.debug("A message to a closed page's websocket was dropped")
        return
    loop.default_exception_handler(context)


def main() -> None:
    WorkbookVoila.launch_instance()
