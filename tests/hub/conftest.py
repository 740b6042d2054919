"""A real JupyterHub on loopback, configured by deploy/jupyterhub/jupyterhub_config.py.

The test config loads the deployment config unchanged and swaps in only what a test machine
needs: ports on 127.0.0.1, a temporary workshop directory and state, a shared-password login
and SimpleLocalProcessSpawner (every server runs as this OS user, so what is tested is the
workbook's own isolation; see deploy/jupyterhub/README.md). configurable-http-proxy comes
from ``make hub-proxy``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from tests.browser.conftest import ROOT, free_port

DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "workshop-" + secrets.token_hex(8)

TEST_CONFIG = """\
load_subconfig({deploy!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
{login}
# A service token for the test itself (the culling test creates and starts a user through the API).
c.JupyterHub.services.append({{"name": "test-driver", "api_token": {token!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "test-driver", "scopes": ["admin:users", "admin:servers", "list:users"], "services": ["test-driver"]}}
)
"""

#: The usual test login: one shared password, every server as the hub's own OS user.
SHARED_PASSWORD_LOGIN = """\
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home!r}
import os
if os.geteuid() == 0:  # as in CI: the spawner runs every server as the hub's own user, root
    c.Spawner.args = ["--allow-root"]
"""


@dataclass
class Hub:
    url: str  # the public URL, ending in /
    workshop: Path  # WORKSHOP_DIR
    log: Path
    token: str  # the test-driver service's API token

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        request = urllib.request.Request(
            f"{self.url}hub/api/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                data = response.read()
                return response.status, json.loads(data) if data else None
        except urllib.error.HTTPError as error:
            return error.code, None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for_hub(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"jupyterhub exited with {process.returncode}:\n{log.read_text(errors='replace')[-6000:]}"
            )
        try:
            with urllib.request.urlopen(
                url + "hub/api/", timeout=2
            ):  # answers through the proxy once both run
                return
        except Exception:
            time.sleep(0.3)
    raise TimeoutError(
        f"jupyterhub did not answer at {url}:\n{log.read_text(errors='replace')[-6000:]}"
    )


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop the hub (it stops the proxy, the services and every single-user server), then anything left over."""
    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    _gone, alive = psutil.wait_procs(family, timeout=10)
    for child in alive:  # the processes this hub started, by pid
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


@contextlib.contextmanager
def running_hub(
    state: Path, workshop: Path | None = None, os_accounts: bool = False, **environment: str
):
    """A JupyterHub on free loopback ports with its working directory (db, cookie secret, homes) in ``state``.

    ``os_accounts``: the deployment's own login and spawner (PAM, a server per OS user) instead
    of the shared password and one OS user for all.
    """
    if not PROXY.exists():
        pytest.fail(f"{PROXY.relative_to(ROOT)} is missing: run `make hub-proxy` (make test does)")
    workshop = workshop or state / "workshop"
    token = secrets.token_hex(32)
    port = free_port()
    config = state / "test_config.py"
    config.write_text(
        TEST_CONFIG.format(
            deploy=str(DEPLOY_CONFIG),
            port=port,
            hub_port=free_port(),
            api_port=free_port(),
            proxy=str(PROXY),
            token=token,
            login=""
            if os_accounts
            else SHARED_PASSWORD_LOGIN.format(
                password=PASSWORD, home=str(state / "home" / "{username}")
            ),
        )
    )
    env = dict(os.environ, WORKSHOP_DIR=str(workshop), **environment)
    for leaked in (
        "WORKBOOK_CASES_DIR",
        "QUERY_STRING",
        "JUPYTERHUB_API_TOKEN",
        "CONFIGPROXY_AUTH_TOKEN",
    ):
        env.pop(leaked, None)
    jupyterhub = Path(sys.executable).with_name("jupyterhub")
    log_path = state / "jupyterhub.log"
    url = f"http://127.0.0.1:{port}/"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(jupyterhub), "-f", str(config)],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_hub(url, process, log_path)
        yield Hub(url=url, workshop=workshop, log=log_path, token=token)
    finally:
        stop(process)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used a hub shows the hub's log (the single-user servers log there too)."""
    report = yield
    hub = item.funcargs.get("hub") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(hub, Hub):
        report.sections.append((f"jupyterhub log ({hub.log})", hub.log_text()[-30000:]))
    return report
