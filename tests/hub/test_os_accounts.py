"""The runbook's real path: OS accounts made in bulk, PAM logins, servers running as each participant.

As root (CI runs as root): ``deploy/jupyterhub/workshop-accounts.py`` creates two participants
and a trainer from CSV lists of names, in groups of their own, and writes the sheet of
passwords. A hub with the deployment's own login and spawner (PAM, one server per OS user: no
test swaps) lets each log in with the password on the sheet, and refuses a wrong one. Each
participant saves a case; then each sheet must be owned by its participant, in the trainers'
group, mode 0640, in a setgid 2750 folder: the trainer's account can read it, the other
participant's cannot, and the trainer's dashboard lists both. ``remove`` then deletes the
accounts; users, groups and the workshop folder are removed even when the test fails.
"""

from __future__ import annotations

import contextlib
import csv
import grp
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, ROOT

from .conftest import running_hub
from .test_jupyterhub import SPAWN_TIMEOUT, dashboard_rows, landed_on_the_workbook, new_case_with

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCRIPT = ROOT / "deploy" / "jupyterhub" / "workshop-accounts.py"


def accounts(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], check=True, capture_output=True, text=True
    )


def as_user(username: str, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", username, "--", *command], capture_output=True, text=True
    )


@contextlib.contextmanager
def interpreter_reachable():
    """Let every OS user reach the Python the project's .venv runs on, for the test's duration.

    The runbook builds .venv from the system's python3.11; a test machine may have built it from
    one under /root (pyenv), which the participants' servers could not start. Folders on the way
    that others cannot pass through get o+x (pass, not list) until the test ends.
    """
    real = Path(os.path.realpath(sys.executable))
    blocked = [folder for folder in real.parents if not folder.stat().st_mode & stat.S_IXOTH]
    modes = {folder: stat.S_IMODE(folder.stat().st_mode) for folder in blocked}
    try:
        for folder, mode in modes.items():
            folder.chmod(mode | stat.S_IXOTH)
        yield
    finally:
        for folder, mode in modes.items():
            folder.chmod(mode)


@pytest.fixture
def workshop_accounts(tmp_path):
    """Two participants and a trainer, as the runbook makes them; all gone afterwards."""
    if os.geteuid() != 0:
        pytest.fail("this test creates OS accounts: run it as root (CI does: .ci/run)")
    tag = "wbt" + secrets.token_hex(3)
    groups = {"participants": f"{tag}-ws", "trainers": f"{tag}-tr"}
    names, trainer_names = tmp_path / "names.csv", tmp_path / "trainers.csv"
    names.write_text("name\n王小明\n=Alice (formula-looking name)\n", encoding="utf-8-sig")
    trainer_names.write_text(f"name,username\nThe trainer,{tag}t\n", encoding="utf-8")
    sheet, trainer_sheet = tmp_path / "accounts.csv", tmp_path / "trainer-accounts.csv"
    # Readable by the participants' servers: the workshop folder is outside root's private tmp folder.
    workshop = Path(tempfile.mkdtemp(prefix=f"{tag}-workshop-"))
    workshop.chmod(0o755)
    try:
        accounts(
            "create",
            str(names),
            "--sheet",
            str(sheet),
            "--group",
            groups["participants"],
            "--prefix",
            tag,
        )
        accounts(
            "create",
            str(trainer_names),
            "--sheet",
            str(trainer_sheet),
            "--group",
            groups["trainers"],
        )
        with open(sheet, encoding="utf-8-sig") as handle:
            people = list(csv.DictReader(handle))
        with open(trainer_sheet, encoding="utf-8-sig") as handle:
            trainer = next(csv.DictReader(handle))
        yield {
            "people": people,
            "trainer": trainer,
            "groups": groups,
            "workshop": workshop,
            "sheet": sheet,
            "tag": tag,
        }
        accounts("remove", str(sheet), "--group", groups["participants"])
        accounts("remove", str(trainer_sheet), "--group", groups["trainers"])
        for row in [*people, trainer]:
            with pytest.raises(KeyError):
                pwd.getpwnam(row["username"])
            assert not Path("/home", row["username"]).exists()
    finally:  # on failure too: nothing of the test's stays on the machine
        for entry in pwd.getpwall():
            if entry.pw_name.startswith(tag):
                subprocess.run(["pkill", "--uid", str(entry.pw_uid)], check=False)
                subprocess.run(
                    ["userdel", "--remove", entry.pw_name], check=False, capture_output=True
                )
        for group in groups.values():
            subprocess.run(["groupdel", group], check=False, capture_output=True)
        shutil.rmtree(workshop, ignore_errors=True)


def test_the_sheet_of_accounts_is_for_the_organiser_only(workshop_accounts):
    sheet, people = workshop_accounts["sheet"], workshop_accounts["people"]
    info = sheet.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o600)
    tag = workshop_accounts["tag"]
    assert [(row["name"], row["username"]) for row in people] == [
        ("王小明", f"{tag}01"),
        ("'=Alice (formula-looking name)", f"{tag}02"),
    ]
    assert len({row["password"] for row in people}) == 2
    for row in people:
        account = pwd.getpwnam(row["username"])
        assert account.pw_gid == grp.getgrnam(workshop_accounts["groups"]["participants"]).gr_gid
        assert account.pw_shell == "/usr/sbin/nologin"
    # A second run over a list with a taken username creates nothing.
    again = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "create",
            "/dev/stdin",
            "--sheet",
            str(sheet.with_name("again.csv")),
        ],
        input=f"name,username\nX,newname{tag}\nY,{people[0]['username']}\n",
        text=True,
        capture_output=True,
    )
    assert again.returncode != 0 and "already exists" in again.stderr
    assert not sheet.with_name("again.csv").exists()
    with pytest.raises(KeyError):
        pwd.getpwnam(f"newname{tag}")


def log_in(browser, hub, username: str, password: str):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(hub.url + "hub/login")
    page.get_by_label("Username:").fill(username)
    page.get_by_label("Password:", exact=True).fill(password)
    page.locator("#login_submit").click()
    return page


@pytest.mark.browser
def test_participants_log_in_with_their_os_accounts_and_only_the_trainers_read_their_sheets(
    workshop_accounts, browser, tmp_path
):
    people, trainer, groups = (
        workshop_accounts["people"],
        workshop_accounts["trainer"],
        workshop_accounts["groups"],
    )
    environment = {
        "WORKSHOP_GROUP": groups["participants"],
        "WORKSHOP_TRAINER_GROUP": groups["trainers"],
        "WORKSHOP_TRAINERS": trainer["username"],
    }
    workshop = workshop_accounts["workshop"]
    (tmp_path / "hub").mkdir()
    with (
        interpreter_reachable(),
        running_hub(tmp_path / "hub", workshop=workshop, os_accounts=True, **environment) as hub,
    ):
        # PAM checks the password: a wrong one stays on the login page.
        wrong = log_in(browser, hub, people[0]["username"], people[1]["password"])
        expect(wrong.locator("#login_submit")).to_be_visible()
        wrong.context.close()

        pages = {
            row["username"]: log_in(browser, hub, row["username"], row["password"])
            for row in people
        }
        cases = workshop / "cases"
        try:
            for row in people:
                name = row["username"]
                workbook = landed_on_the_workbook(pages[name], hub, name)
                new_case_with(pages[name], workbook, f"{name} secret {secrets.token_hex(4)}", cases)
            trainer_page = log_in(browser, hub, trainer["username"], trainer["password"])
            rows = dashboard_rows(
                trainer_page, f"{hub.url}user/{trainer['username']}/voila/render/trainer.ipynb"
            )
            expect(rows).to_have_count(len(people), timeout=SPAWN_TIMEOUT)
            trainer_page.context.close()
        finally:
            for page in pages.values():
                page.context.close()
        log = hub.log_text()
    assert "Traceback" not in log, log[-6000:]

    trainers_gid = grp.getgrnam(groups["trainers"]).gr_gid
    for row, other in zip(people, reversed(people), strict=True):
        account = pwd.getpwnam(row["username"])
        folder = cases / row["username"]
        info = folder.stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (
            account.pw_uid,
            trainers_gid,
            0o2750,
        )
        sheets = list(folder.glob("*.csv"))
        assert len(sheets) == 1
        info = sheets[0].stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (
            account.pw_uid,
            trainers_gid,
            0o640,
        )
        assert row["username"] in as_user(trainer["username"], "cat", str(sheets[0])).stdout
        refused = as_user(other["username"], "cat", str(sheets[0]))
        assert refused.returncode != 0 and "Permission denied" in refused.stderr
        assert as_user(other["username"], "ls", str(folder)).returncode != 0
