#!/usr/bin/env python3
"""Participant accounts for a workshop JupyterHub, in bulk: create them from a list of names, remove them after.

    sudo python3 workshop-accounts.py create names.csv --sheet accounts.csv [--group workshop] [--prefix p]
    sudo python3 workshop-accounts.py remove accounts.csv [--group workshop]

``create`` reads a CSV with a ``name`` column (any language; an optional ``username`` column
gives the login name, otherwise ``<prefix>01``, ``<prefix>02``… in the order of the list),
creates one OS account per row in ``--group`` (created if missing) with a home folder, no login
shell (the password opens the hub, not SSH) and a generated password, and writes the sheet for
the organiser: name, username, password, one row per account, readable by root only. Nothing is
created if any username is taken or invalid.

``remove`` deletes exactly the accounts listed in a sheet, their home folders too, and only
accounts that are in ``--group`` (so a sheet can never remove anyone else). The case sheets in
the workshop directory are not touched: export them first (README.md beside this file).

Standard library only, Debian's ``useradd``/``chpasswd``/``userdel``; run as root.
"""

from __future__ import annotations

import argparse
import csv
import grp
import os
import pwd
import re
import secrets
import subprocess
import sys
from pathlib import Path

# The hub's Authenticator.username_pattern (jupyterhub_config.py): a username names a folder.
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
# Easy to read out and type on a phone: no 0/o, 1/l/i.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 3  # 3 groups of 4: 12 symbols of 31, about 59 bits


def new_password() -> str:
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(PASSWORD_GROUPS)
    )


def sheet_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ (a formula) gets a quote in front."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def read_names(path: Path, prefix: str) -> list[tuple[str, str]]:
    """(name, username) per row of the list of names."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "name" not in rows[0]:
        raise SystemExit(f"{path}: needs a header row with a 'name' column")
    people = [
        (row["name"].strip(), (row.get("username") or "").strip().lower())
        for row in rows
        if (row.get("name") or "").strip()
    ]
    width = max(2, len(str(len(people))))
    return [
        (name, username or f"{prefix}{number:0{width}d}")
        for number, (name, username) in enumerate(people, 1)
    ]


def account_exists(username: str) -> bool:
    try:
        pwd.getpwnam(username)
    except KeyError:
        return False
    return True


def create(args: argparse.Namespace) -> None:
    people = read_names(args.names, args.prefix)
    usernames = [username for _, username in people]
    problems = [
        f"{u!r} is not a valid username" for u in usernames if not USERNAME_PATTERN.match(u)
    ]
    problems += [f"{u!r} is listed twice" for u in sorted(set(usernames)) if usernames.count(u) > 1]
    problems += [f"{u!r} already exists on this machine" for u in usernames if account_exists(u)]
    if args.sheet.exists():
        problems.append(
            f"{args.sheet} exists: pick a new sheet, the old one may hold passwords still in use"
        )
    if problems:
        raise SystemExit("Nothing created:\n  " + "\n  ".join(problems))
    try:
        grp.getgrnam(args.group)
    except KeyError:
        subprocess.run(["groupadd", args.group], check=True)
    # The sheet first, private, so a password is never set without being written down.
    descriptor = os.open(args.sheet, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8-sig", newline="") as sheet:
        writer = csv.writer(sheet)
        writer.writerow(["name", "username", "password"])
        for name, username in people:
            password = new_password()
            subprocess.run(
                [
                    "useradd",
                    "--create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    "--gid",
                    args.group,
                    username,
                ],
                check=True,
            )
            subprocess.run(["chpasswd"], input=f"{username}:{password}\n", text=True, check=True)
            writer.writerow([sheet_cell(name), username, password])
            sheet.flush()
    print(
        f"{len(people)} accounts created in group {args.group}; names, usernames and passwords: {args.sheet} (root only)"
    )


def remove(args: argparse.Namespace) -> None:
    with open(args.sheet, encoding="utf-8-sig", newline="") as handle:
        usernames = [row["username"] for row in csv.DictReader(handle) if row.get("username")]
    try:
        gid = grp.getgrnam(args.group).gr_gid
    except KeyError:
        raise SystemExit(f"no group {args.group!r} on this machine") from None
    removed = 0
    for username in usernames:
        try:
            account = pwd.getpwnam(username)
        except KeyError:
            continue  # already gone
        if account.pw_gid != gid:
            print(f"{username}: not in group {args.group}, left alone", file=sys.stderr)
            continue
        subprocess.run(
            ["pkill", "--uid", str(account.pw_uid)], check=False
        )  # their servers and kernels
        subprocess.run(["userdel", "--remove", username], check=True, stderr=subprocess.DEVNULL)
        removed += 1
    print(f"{removed} accounts removed")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser(
        "create", help="create accounts from a CSV of names; write the sheet of passwords"
    )
    making.add_argument(
        "names", type=Path, help="CSV with a 'name' column (and optionally 'username')"
    )
    making.add_argument(
        "--sheet",
        type=Path,
        required=True,
        help="where to write names, usernames and passwords (must not exist)",
    )
    making.add_argument(
        "--group",
        default="workshop",
        help="the accounts' group (the hub's WORKSHOP_GROUP; trainers: WORKSHOP_TRAINER_GROUP)",
    )
    making.add_argument(
        "--prefix",
        default="p",
        help="usernames are <prefix>01, <prefix>02… where the list gives none",
    )
    removing = commands.add_parser(
        "remove", help="remove the accounts listed in a sheet, with their home folders"
    )
    removing.add_argument("sheet", type=Path)
    removing.add_argument(
        "--group", default="workshop", help="only accounts in this group are removed"
    )
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("run as root: it creates and removes OS accounts")
    {"create": create, "remove": remove}[args.command](args)


if __name__ == "__main__":
    main()
