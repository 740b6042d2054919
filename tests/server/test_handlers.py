"""The pieces of server/ that need no running server: which Host headers pass, the "room is full" page."""

from __future__ import annotations

import re

import pytest

from complaint.i18n import messages
from server.handlers import HostPolicy, room_full_page

TRAINER = HostPolicy()  # make trainer: localhost and loopback addresses
WORKSHOP = HostPolicy(names=frozenset({"localhost", "workshop.lan"}), any_address=True)


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8867",
        "LOCALHOST:8867",
        "localhost.",
        "127.0.0.1:8867",
        "127.9.9.9",
        "[::1]:8867",
        "[::1]",
    ],
)
def test_the_trainer_answers_to_loopback_names_and_addresses(host):
    assert TRAINER.allows(host)


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8867",
        "localhost.evil.example",
        "127.0.0.1.nip.io:8867",
        "192.168.1.20:8867",
        "[fe80::1]:8867",
        "0.0.0.0:8867",
        "",
        "localhost:8867:1",
        "local host",
        "localhost@evil.example",
        "[::1",
    ],
)
def test_the_trainer_refuses_every_other_host(host):
    assert not TRAINER.allows(host)


@pytest.mark.parametrize(
    "host",
    [
        "192.168.1.20:8866",
        "10.0.0.5",
        "[fe80::1]:8866",
        "workshop.lan:8866",
        "Workshop.LAN",
        "localhost:8866",
    ],
)
def test_the_workshop_answers_to_its_addresses_and_listed_names(host):
    assert WORKSHOP.allows(host)


@pytest.mark.parametrize(
    "host",
    ["evil.example:8866", "workshop.lan.evil.example", "192.168.1.20.nip.io", "evil-workshop.lan"],
)
def test_the_workshop_refuses_names_not_listed(host):
    assert not WORKSHOP.allows(host)


@pytest.mark.parametrize(
    "language, first, second",
    [("", "zh", "en"), ("zh", "zh", "en"), ("en", "en", "zh"), ("xx", "zh", "en")],
)
def test_the_room_full_page_says_it_in_both_languages_the_visitors_first(language, first, second):
    page = room_full_page(language)
    sections = re.findall(r'<section lang="(\w+)">(.*?)</section>', page)
    assert [code for code, _ in sections] == [first, second]
    assert f'<html lang="{first}">' in page
    for code, section in sections:
        for key in ("room_full.title", "room_full.body", "room_full.retry"):
            assert messages(code)[key] in section  # from data/i18n, none of them needs escaping
    assert "<script" not in page
