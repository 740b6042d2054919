"""The provider directory: for each wallet, the licensed payment company a regulator needs and a
safe way to reach official customer service, each with how sure it is (data/content/providers.json).

A letter to the PBoC must name the licensed entity (网银在线（北京）支付科技有限公司), not the
brand (京东钱包); a phone number is listed only where a primary source confirms it, since
fake "customer service" numbers are a common scam.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from .catalog import Texts
from .escalation import JurisdictionError, check_evidence
from .paths import CONTENT_DIR


@dataclass(frozen=True)
class LicensedEntity:
    name: str
    former_name: str
    evidence: str
    last_checked: str
    source: Texts


@dataclass(frozen=True)
class OfficialContact:
    how: Texts
    safety: Texts
    evidence: str
    last_checked: str


@dataclass(frozen=True)
class DirectoryEntry:
    provider: str
    entity: LicensedEntity | None
    contact: OfficialContact | None


def _entry(doc: dict) -> DirectoryEntry:
    where = f"providers.json {doc['id']}"
    entity = contact = None
    if "licensed_entity" in doc:
        e = doc["licensed_entity"]
        evidence, checked = check_evidence(f"{where} licensed_entity", e)
        if not e.get("name") or not {"zh", "en"} <= set(e.get("source", {})):
            raise JurisdictionError(
                f"{where} licensed_entity: a name and a bilingual source are required"
            )
        entity = LicensedEntity(e["name"], e.get("former_name", ""), evidence, checked, e["source"])
    if "official_contact" in doc:
        c = doc["official_contact"]
        evidence, checked = check_evidence(f"{where} official_contact", c)
        if not {"zh", "en"} <= set(c.get("how", {})) or not {"zh", "en"} <= set(
            c.get("safety", {})
        ):
            raise JurisdictionError(
                f"{where} official_contact: bilingual 'how' and 'safety' are required"
            )
        contact = OfficialContact(c["how"], c["safety"], evidence, checked)
    return DirectoryEntry(doc["id"], entity, contact)


def parse_directory(doc: dict) -> dict[str, DirectoryEntry]:
    return {p["id"]: _entry(p) for p in doc["providers"] if p["id"] != "other"}


@lru_cache(maxsize=1)
def directory() -> dict[str, DirectoryEntry]:
    with open(CONTENT_DIR / "providers.json", encoding="utf-8") as handle:
        return parse_directory(json.load(handle))


def entity_for(provider: str | None) -> LicensedEntity | None:
    entry = directory().get(provider or "")
    return entry.entity if entry else None
