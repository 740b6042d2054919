"""Wait for the visitor's request in a preheated Voilà kernel, so ``?lang=`` and ``?case=`` still work.

With ``--preheat_kernel=True`` Voilà starts kernels and runs the notebook before anyone asks for it.
The page URL only exists once a participant arrives; Voilà then sends it over a websocket
(``/voila/query/<kernel id>``) and the kernel must wait for it before reading ``QUERY_STRING``.

``voila.utils.wait_for_request`` does exactly this, but importing it imports Voilà's server side
(jupyterlab_server and more): 2 s and tens of MB in every kernel. This is the same protocol with
the websockets client Voilà already depends on.
"""

from __future__ import annotations

import json
import os

from complaint.catalog import load_catalog
from complaint.i18n import languages, messages
from complaint.steps import steps

OPEN_TIMEOUT = 120  # seconds


def query_url() -> str:
    """Where Voilà hands out the request of this kernel (the same environment variables it reads)."""
    env = os.environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    server_ip = env.get("VOILA_APP_IP", "127.0.0.1")
    server_port = env.get("VOILA_APP_PORT", "8866")
    ws_base_url = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{server_ip}:{server_port}{ws_base_url}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


def wait_is_needed() -> bool:
    """True in a kernel Voilà started ahead of its visitor (``--preheat_kernel=True``)."""
    return os.environ.get("VOILA_PREHEAT", "False") == "True"


#: The step views' modules (from the step registry; the problem step comes with the app): a kernel
#: started on request imports each when its step is first opened (the start screen stays light); a
#: preheated one has the time before its visitor arrives.
STEP_MODULES = (
    "participant",
    *(
        module
        for module in (spec.view.partition(":")[0].removeprefix("widgets.") for spec in steps())
        if module != "problem"
    ),
)


def warm_up() -> None:
    """Read, ahead of the visitor, what the visit will read: the content catalog and every
    language, the steps' modules and their content files (so no step's first visit waits for them)."""
    import importlib

    # Here, not at the top: a kernel started on request loads these only when a step needs them.
    from complaint.audit import load_security
    from complaint.escalation import jurisdictions
    from complaint.scenarios import scenarios

    load_catalog()
    for language in languages():
        messages(language)
    for module in STEP_MODULES:
        importlib.import_module(f"widgets.{module}")
    load_security(), jurisdictions(), scenarios()


def wait_for_request(timeout: float | None = None) -> bool:
    """Block until Voilà gives this preheated kernel its request; put it into ``os.environ``.

    Returns ``False`` without waiting when the kernel was not preheated (the request is already in
    the environment), or when Voilà cannot be reached (the workbook then opens with defaults).
    """
    if not wait_is_needed():
        return False
    # The synchronous client runs no asyncio loop, so it cannot clash with the kernel's own loop.
    # Imported here: only a preheated kernel talks to Voilà; the others never load websockets.
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    try:
        # Nobody waits for a preheated kernel yet, but Voilà may be busy starting a whole pool:
        # on 2 cores with 100 kernels starting, 5 s were not always enough (the kernel then gave
        # up and its visitor got the defaults instead of their ?lang= and ?case=).
        with connect(query_url(), open_timeout=OPEN_TIMEOUT) as socket:
            payload = socket.recv(timeout=timeout)
    except (OSError, TimeoutError, ValueError, WebSocketException):
        return False
    try:
        request = json.loads(payload)
    except ValueError:
        return False
    for key, value in request.items():
        if isinstance(key, str) and isinstance(value, str):
            os.environ[key] = value
    return True
