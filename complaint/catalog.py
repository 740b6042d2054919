"""The content catalog: problems, goals, providers and currencies, read from data/content/.

Content is data so that trainers and translators can change it without touching code;
every text is a ``{"zh": ..., "en": ...}`` pair (tests/core/test_catalog.py checks both exist),
read through ``complaint.i18n.pick`` and its fallback chain like every other text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from .i18n import pick
from .paths import CONTENT_DIR, DATA_DIR

Texts = dict[str, str]


@dataclass(frozen=True)
class Option:
    """One choice the user can pick: a stable id (what the case sheet stores) and its labels."""

    id: str
    label: Texts


@dataclass(frozen=True)
class Problem(Option):
    hint: Texts
    first_advice: dict[str, list[str]]
    suggested_goals: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceDef(Option):
    hint: Texts
    problems: tuple[str, ...]  # problem ids it applies to; "*" for every problem
    copies_allowed: bool = True  # False for identity documents: no copy on a shared server


@dataclass(frozen=True)
class Channel(Option):
    how: Texts
    prepare: dict[str, list[str]]
    say_first: Texts
    problems: tuple[str, ...]
    contact_channel: str  # the contact-log channel a contact through it is logged as
    jurisdiction: str = ""  # the country whose pack lists it ("" = data/content, every country)
    body: str = ""  # the pack's body it reaches, whose source and certainty its card shows


def applies(problems: tuple[str, ...], problem_id: str) -> bool:
    return "*" in problems or problem_id in problems


@dataclass(frozen=True)
class Catalog:
    problems: tuple[Problem, ...]
    goals: tuple[Option, ...]
    providers: tuple[Option, ...]
    currencies: tuple[Option, ...]
    evidence: tuple[EvidenceDef, ...]
    evidence_statuses: tuple[Option, ...]
    channels: tuple[Channel, ...]
    contact_channels: tuple[Option, ...]
    contact_outcomes: tuple[Option, ...]
    sources: dict[str, Texts]
    jurisdictions: tuple[str, ...] = ()  # the countries with a pack, the default first
    _ids: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def evidence_for(self, problem_id: str) -> tuple[EvidenceDef, ...]:
        """The checklist for a problem (the common items when no problem is chosen yet)."""
        return tuple(
            item for item in self.evidence if applies(item.problems, problem_id or "other")
        )

    def channels_for(self, problem_id: str, jurisdiction: str) -> tuple[Channel, ...]:
        """The guide for a problem in a country: the company's own channels, then the country's
        (an unknown country gets the default's, as the escalation plan does)."""
        country = (
            jurisdiction
            if jurisdiction in self.jurisdictions
            else next(iter(self.jurisdictions), "")
        )
        return tuple(
            channel for channel in self.channels
            if channel.jurisdiction in ("", country) and applies(channel.problems, problem_id or "other")
        )  # fmt: skip

    def problem(self, problem_id: str) -> Problem | None:
        return next((p for p in self.problems if p.id == problem_id), None)

    def ids(self, family: str) -> tuple[str, ...]:
        ids = self._ids.get(family)
        if ids is None:  # asked for on every cell of every sheet read: worked out once per family
            ids = self._ids[family] = tuple(option.id for option in getattr(self, family))
        return ids

    def label(self, family: str, option_id: str, language: str) -> str:
        """The label of ``option_id`` in ``family`` ("problems", "goals", ...), or "" if unknown."""
        for option in getattr(self, family):
            if option.id == option_id:
                return pick(option.label, language)
        return ""


def _read(name: str) -> dict:
    with open(CONTENT_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _channel(c: dict, jurisdiction: str = "") -> Channel:
    return Channel(
        id=c["id"], label=c["label"], how=c["how"], prepare=c["prepare"], say_first=c["say_first"],
        problems=tuple(c["problems"]), contact_channel=c["contact_channel"], jurisdiction=jurisdiction, body=c.get("body", ""),
    )  # fmt: skip


def _jurisdiction_packs() -> list[dict]:
    """Each country's pack (data/jurisdictions), the default first, as complaint.escalation
    orders them: the catalog reads only their channels."""
    packs = []
    for path in sorted((DATA_DIR / "jurisdictions").glob("*.json")):
        with open(path, encoding="utf-8") as handle:
            packs.append(json.load(handle))
    return sorted(packs, key=lambda pack: not pack.get("default", False))


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Read the catalog once per process (each Voilà kernel pays this once, a few milliseconds)."""
    problems_doc, goals_doc = _read("problems"), _read("goals")
    problems = tuple(
        Problem(
            id=p["id"],
            label=p["label"],
            hint=p["hint"],
            first_advice=p["first_advice"],
            suggested_goals=tuple(p["suggested_goals"]),
        )
        for p in problems_doc["problems"]
    )
    simple = {
        name: tuple(Option(id=o["id"], label=o["label"]) for o in _read(name)[name])
        for name in ("providers", "currencies")
    }
    goals = tuple(Option(id=o["id"], label=o["label"]) for o in goals_doc["goals"])
    evidence_doc, channels_doc, packs = _read("evidence"), _read("channels"), _jurisdiction_packs()

    def options(entries: list[dict]) -> tuple[Option, ...]:
        return tuple(Option(id=o["id"], label=o["label"]) for o in entries)

    return Catalog(
        problems=problems,
        goals=goals,
        providers=simple["providers"],
        currencies=simple["currencies"],
        evidence=tuple(
            EvidenceDef(
                id=i["id"],
                label=i["label"],
                hint=i["hint"],
                problems=tuple(i["problems"]),
                copies_allowed=not i.get("no_copies", False),
            )
            for i in evidence_doc["items"]
        ),
        evidence_statuses=options(evidence_doc["statuses"]),
        channels=(
            *(_channel(c) for c in channels_doc["channels"]),
            *(_channel(c, pack["id"]) for pack in packs for c in pack.get("channels", ())),
        ),
        contact_channels=options(channels_doc["contact_channels"]),
        contact_outcomes=options(channels_doc["contact_outcomes"]),
        sources={
            "problems": problems_doc["source"],
            "goals": goals_doc["source"],
            "evidence": evidence_doc["source"],
            "channels": channels_doc["source"],
        },
        jurisdictions=tuple(pack["id"] for pack in packs),
    )
