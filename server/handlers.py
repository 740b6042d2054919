"""Request handlers: the Host/Origin guard, the "room is full" page, and 404s where Voilà gives 500s."""

from __future__ import annotations

import html
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.logout import LogoutHandler
from tornado.log import app_log
from tornado.web import HTTPError
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from complaint.i18n import languages, messages, normalise_language

from .kernels import RoomFull

RETRY_AFTER_SECONDS = 60


@dataclass(frozen=True)
class HostPolicy:
    """Which ``Host`` headers a server answers to.

    DNS rebinding: a web page on ``evil.example`` whose name is made to resolve to this machine
    can send requests here that the browser treats as same-origin with that page, so the page
    can read the answers. Such requests carry ``Host: evil.example``. Refusing every host name not
    on the list stops them. An IP address as ``Host`` cannot be a rebinding (the browser connected
    to the address it shows as the page's origin), so a server may accept any address it is
    reached at (``any_address``: the workshop server, reached at the room's address), or only
    loopback ones (the trainer's server).
    """

    names: frozenset[str] = frozenset({"localhost"})
    any_address: bool = False

    def allows(self, host_header: str) -> bool:
        match = re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^:\[\]]*)(:\d+)?", host_header or "")
        if match is None:
            return False
        host = match.group(1).strip("[]").lower().rstrip(".")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self.names
        return self.any_address or address.is_loopback


def refuse(handler, status: int, text: str) -> None:
    """Answer with a plain text body, written here: some Jupyter handlers' error pages need settings Voilà lacks."""
    handler.clear()
    handler.set_status(status)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.finish(text + "\n")


class HostGuard:
    """Mixed into every handler of the server: the first thing each request meets.

    jupyter_server has this check too (``allow_remote_access`` / ``local_hostnames``), but Voilà
    switches it off (``allow_remote_access=True``), it covers only Jupyter's own handlers (not
    Voilà's static files or its preheated-kernel query websocket) and it accepts no IP address
    but loopback ones, which a server the room reaches by its address needs.
    """

    def prepare(self, *args, **kwargs):
        policy: HostPolicy = self.settings["workbook_host_policy"]
        log = getattr(
            self, "log", app_log
        )  # Voilà's static handlers are plain tornado ones, without .log
        if not policy.allows(self.request.host):
            log.warning(
                "Refused a request for %s with Host %r", self.request.path, self.request.host
            )
            return refuse(self, 403, "403: this server does not answer to that host name")
        origin = self.request.headers.get("Origin")
        is_websocket = self.request.headers.get("Upgrade", "").lower() == "websocket"
        writes = is_websocket or self.request.method not in ("GET", "HEAD", "OPTIONS")
        if origin and writes and urlsplit(origin).netloc.lower() != self.request.host.lower():
            log.warning("Refused a request for %s from Origin %r", self.request.path, origin)
            return refuse(self, 403, "403: cross-origin requests are refused")
        return super().prepare(*args, **kwargs)

    def write_error(self, status_code: int, **kwargs) -> None:
        """The handler's own error page, or plain text where that page cannot be drawn.

        Jupyter's error pages (for its login, logout and kernel handlers: a websocket without a
        login, say) use ``static_url``, which needs a ``static_path`` setting Voilà does not
        have: without this, each such refusal was a 500 with a traceback in the log.
        """
        try:
            super().write_error(status_code, **kwargs)
        except Exception:
            refuse(self, status_code, f"{status_code}: {self._reason}")


def room_full_page(language: str) -> str:
    """The page a visitor gets when the server is at its kernel cap: both languages, theirs first."""
    first = normalise_language(language)
    order = [first, *(other for other in languages() if other != first)]
    sections = []
    for code in order:
        text = messages(code)
        sections.append(
            f'<section lang="{code}"><h1>{html.escape(text["room_full.title"])}</h1>'
            f"<p>{html.escape(text['room_full.body'])}</p>"
            f'<p><a href="">{html.escape(text["room_full.retry"])}</a></p></section>'
        )
    titles = " / ".join(html.escape(messages(code)["room_full.title"]) for code in order)
    return (
        f'<!DOCTYPE html>\n<html lang="{first}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{titles}</title><style>"
        "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:36rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.6;color:#1a1a1a;background:#fff}"
        "section+section{border-top:1px solid #767676;margin-top:1.5rem}"
        "h1{font-size:1.4rem}a{color:#0b57d0}"
        f"</style></head><body><main>{''.join(sections)}</main></body></html>\n"
    )


class WorkbookVoilaHandler(TornadoVoilaHandler):
    """Voilà's notebook page, with the "room is full" page when the kernel cap refuses a kernel."""

    def write_error(self, status_code: int, **kwargs) -> None:
        exc_info = kwargs.get("exc_info")
        if exc_info and isinstance(exc_info[1], RoomFull):
            self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(room_full_page(self.get_argument("lang", "")))
            return
        super().write_error(status_code, **kwargs)

    def log_exception(self, typ, value, tb) -> None:
        if isinstance(value, RoomFull):  # expected under load: one line, no traceback
            self.log.warning("503 %s: kernel cap reached", self.request.uri)
            return
        super().log_exception(typ, value, tb)


class TemplateStaticHandler(TemplateStaticFileHandler):
    """``/voila/templates/<template>/static/<file>``: a 404 for any other shape of path.

    Voilà's handler unpacks and asserts the path's parts, so ``/voila/templates/x`` was a 500
    with a traceback in the log.
    """

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if len(parts) != 3 or parts[1] != "static" or not parts[0] or not parts[2]:
            raise HTTPError(404)
        return super().parse_url_path(path)


class WorkbookLogoutHandler(LogoutHandler):
    """``/logout``: forget the login and go to the login page; a 404 on a server without logins.

    Jupyter's handler renders a page that needs a ``static_path`` setting Voilà does not have,
    so it was a 500 with a traceback.
    """

    @allow_unauthenticated
    def get(self) -> None:
        if not self.login_available:
            return refuse(self, 404, "404: Not Found")
        self.identity_provider.clear_login_cookie(self)
        self.redirect(self.settings.get("login_url", "/login"))
        return None
