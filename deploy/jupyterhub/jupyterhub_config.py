# JupyterHub for a workshop: every participant gets a single-user server that opens the workbook,
# saving into their own folder of a shared workshop directory; trainers' servers open the trainer
# dashboard over all folders; idle servers are stopped. Run from a state directory (the hub keeps
# its sqlite database and cookie secret in the working directory):
#
#     cd /srv/jupyterhub && /path/to/repo/.venv/bin/jupyterhub -f /path/to/repo/deploy/jupyterhub/jupyterhub_config.py
#
# Settings come from environment variables (see README.md beside this file):
#   WORKSHOP_DIR           the shared workshop directory (default /srv/workshop); cases go to
#                          WORKSHOP_DIR/cases/<username>/
#   WORKSHOP_TRAINERS      comma-separated usernames whose server opens the trainer dashboard over
#                          all of WORKSHOP_DIR/cases/
#   WORKSHOP_IDLE_TIMEOUT  seconds without activity before a server is stopped (default 3600)
#   WORKSHOP_GROUP         the OS group whose members may log in as participants (default workshop)
#   WORKSHOP_TRAINER_GROUP the OS group of the trainers' accounts (default trainers): when it exists,
#                          each participant's folder belongs to it (setgid, 2750) and sheets are
#                          written 0640, so trainers' dashboards can read them and nobody else
#
# Authenticator and spawner are JupyterHub's defaults (PAM, LocalProcessSpawner: one OS user per
# participant); tests/hub/ loads this file and swaps in a test authenticator and SimpleLocalProcessSpawner.
# `c` is the config object JupyterHub passes in (and `__file__` this file's path).

import grp
import os
import pwd
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent  # single-user servers run from the hub's own environment

WORKSHOP_DIR = Path(os.environ.get("WORKSHOP_DIR", "/srv/workshop")).expanduser()
CASES_ROOT = WORKSHOP_DIR / "cases"
TRAINERS = {
    name.strip().lower()
    for name in os.environ.get("WORKSHOP_TRAINERS", "").split(",")
    if name.strip()
}
IDLE_TIMEOUT = int(os.environ.get("WORKSHOP_IDLE_TIMEOUT", "3600"))
GROUP = os.environ.get("WORKSHOP_GROUP", "workshop")
TRAINER_GROUP = os.environ.get("WORKSHOP_TRAINER_GROUP", "trainers")


def trainer_gid() -> int | None:
    """The trainers' OS group, if the machine has it."""
    try:
        return grp.getgrnam(TRAINER_GROUP).gr_gid
    except KeyError:
        return None


WORKBOOK_URL = "/voila/render/workbook.ipynb"
TRAINER_URL = "/voila/render/trainer.ipynb"

# A username becomes a folder name: allow only names that cannot leave WORKSHOP_DIR/cases/.
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._@-]{0,63}$"
c.Authenticator.username_pattern = (
    USERNAME_PATTERN  # c: the config object JupyterHub defines for this file
)
# Who may log in: the workshop group's members and the trainers (not every account on the machine).
c.PAMAuthenticator.allowed_groups = {GROUP}
c.Authenticator.allowed_users = set(TRAINERS)


def cases_dir_for(username: str) -> Path:
    """Where this user's workbook keeps its case sheets: their own folder, or all folders for a trainer."""
    if not re.fullmatch(USERNAME_PATTERN, username):
        raise ValueError(f"username {username!r} cannot name a case folder")
    return CASES_ROOT if username in TRAINERS else CASES_ROOT / username


def workbook_cases_dir(spawner) -> str:
    return str(cases_dir_for(spawner.user.name))


def prepare_user(spawner) -> None:
    """Before a server starts: the user's case folder exists (owned by them), trainers get the dashboard."""
    name = spawner.user.name
    folder = cases_dir_for(name)
    as_root = os.geteuid() == 0
    CASES_ROOT.mkdir(parents=True, exist_ok=True, mode=0o700)
    if (
        as_root
    ):  # one OS user per participant: each may pass through cases/ to their folder, not list it
        gid = trainer_gid()
        if gid is None:
            CASES_ROOT.chmod(0o711)
        else:  # trainers list the participants' folders
            os.chown(CASES_ROOT, 0, gid)
            CASES_ROOT.chmod(0o751)
    folder.mkdir(exist_ok=True, mode=0o700)
    if as_root and name not in TRAINERS:
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            pass  # not an OS user: a container spawner mounts the folder instead
        else:
            gid = trainer_gid()
            if gid is None:
                os.chown(folder, account.pw_uid, account.pw_gid)
            else:  # the trainers' group reads, through the setgid folder, what the participant writes
                os.chown(folder, account.pw_uid, gid)
                folder.chmod(0o2750)
    if name in TRAINERS:
        spawner.default_url = TRAINER_URL


# -- single-user servers ------------------------------------------------------------------------
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = str(REPO / "notebooks")
c.Spawner.default_url = WORKBOOK_URL
c.Spawner.pre_spawn_hook = prepare_user
c.Spawner.environment = {
    "WORKBOOK_CASES_DIR": workbook_cases_dir,
    # Sheets 0640 instead of 0600 where a trainers' group exists to read them (see prepare_user).
    "WORKBOOK_SHARE_WITH_GROUP": lambda spawner: (
        "1" if os.geteuid() == 0 and trainer_gid() is not None else ""
    ),
    # Voilà finds the workbook template here; the server config below makes Voilà the whole app.
    "JUPYTER_PATH": str(REPO / "share" / "jupyter"),
    "JUPYTER_CONFIG_PATH": str(HERE / "singleuser"),
    # The workshop's time zone and the like, when the hub has them.
    **{key: os.environ[key] for key in ("WORKBOOK_TIMEZONE", "TZ") if key in os.environ},
}
c.Spawner.start_timeout = 120  # (a 2-core server starting many kernels at once)
c.Spawner.http_timeout = 60

# -- the proxy: configurable-http-proxy from `make hub-proxy` (.node/), else from PATH --------------
_chp = REPO / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(_chp) if _chp.exists() else "configurable-http-proxy"]

# -- idle culling: stop servers idle for IDLE_TIMEOUT (their kernels are culled sooner: voila.json) --
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT}"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
