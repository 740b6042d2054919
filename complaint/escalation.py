"""The escalation ladder: which body comes next, from when, and what to bring.

Bodies, deadlines and their sources are data (data/jurisdictions/<id>.json, one file per
country); the ladder's shape is the same everywhere: the company's complaints department →
the regulator for the problem → mediation → court, with the police / anti-fraud line first
when money was stolen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .catalog import Texts
from .contacts import sorted_contacts
from .dates import add_days
from .model import Case
from .paths import DATA_DIR

JURISDICTIONS_DIR = DATA_DIR / "jurisdictions"
RUNGS = ("company", "regulator", "mediation", "court")
HANDLING_STAGES = ("received", "verified", "proposed", "followup")
REGULATOR_CONTACT_CHANNELS = ("regulator",)


@dataclass(frozen=True)
class Deadline:
    id: str
    days: int
    unit: str
    verified: bool
    last_checked: str
    what: Texts
    source: Texts


@dataclass(frozen=True)
class Body:
    id: str
    label: Texts
    how: Texts
    bring: tuple[str, ...]
    source: Texts
    note: Texts | None = None
    note_provider: str | None = None  # the note concerns this provider only (e.g. JD's payment company)


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    label: Texts
    default: bool
    last_checked: str
    deadlines: dict[str, Deadline]
    bodies: dict[str, Body]
    regulator_by_problem: dict[str, str]
    company_deadline_by_regulator: dict[str, str | None]
    regulator_deadline: dict[str, str | None]
    mediation_body: str
    mediation_deadline: str | None
    own_deadline_days: int
    fraud_body: str | None


def _load(path) -> Jurisdiction:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return Jurisdiction(
        id=doc["id"], label=doc["label"], default=doc.get("default", False), last_checked=doc["last_checked"],
        deadlines={k: Deadline(k, d["days"], d["unit"], d["verified"], d["last_checked"], d["what"], d["source"]) for k, d in doc["deadlines"].items()},
        bodies={k: Body(k, b["label"], b["how"], tuple(b["bring"]), b["source"], b.get("note"), b.get("note_provider")) for k, b in doc["bodies"].items()},
        regulator_by_problem=doc["regulator_by_problem"], company_deadline_by_regulator=doc["company_deadline_by_regulator"],
        regulator_deadline=doc["regulator_deadline"], mediation_body=doc.get("mediation_body", "consumer_association"),
        mediation_deadline=doc.get("mediation_deadline"), own_deadline_days=doc["own_deadline_days"], fraud_body=doc.get("fraud_body"),
    )  # fmt: skip


@lru_cache(maxsize=1)
def jurisdictions() -> dict[str, Jurisdiction]:
    """Every jurisdiction pack, the default (China) first."""
    packs = [_load(path) for path in sorted(JURISDICTIONS_DIR.glob("*.json"))]
    return {j.id: j for j in sorted(packs, key=lambda j: not j.default)}


def jurisdiction_for(case: Case) -> Jurisdiction:
    packs = jurisdictions()
    return packs.get(case.escalation.jurisdiction) or next(iter(packs.values()))


# ---- what the case already has, for "what to bring" -------------------------------------------

def _has(case: Case, item: str) -> bool | None:
    """Whether the case already holds an item a body asks for; None: the workbook cannot tell."""
    e = case.escalation
    checks = {
        "ticket_number": lambda: any(c.reference for c in case.contacts),
        "dispute_summary": lambda: bool(case.description),
        "demand": lambda: bool(case.goal),
        "evidence": lambda: any(s.status == "have" for s in case.evidence.values()),
        "id_document": lambda: case.evidence.get("identity_documents") is not None and case.evidence["identity_documents"].status == "have",
        "company_name": lambda: bool(case.provider),
        "product_name": lambda: bool(case.provider),
        "your_name": lambda: bool(e.your_name),
        "your_phone": lambda: bool(e.your_phone),
        "your_address": lambda: bool(e.your_address),
        "company_address": lambda: bool(e.company_address),
    }
    check = checks.get(item)
    return check() if check else None


@dataclass(frozen=True)
class Rung:
    id: str  # "company", "regulator", "mediation", "court"
    body: Body
    filed: date | None  # when the user went there (their answer)
    available_from: date | None  # the earliest date the ladder says they may move here
    reason: str  # message key explaining available_from
    deadline: Deadline | None  # the figure behind the date, with its source
    have: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    jurisdiction: Jurisdiction
    fraud_first: Body | None
    rungs: tuple[Rung, ...]
    next_rung: Rung | None  # the first rung not yet filed
    first_contact: date | None


def _company_contacts(case: Case):
    return [c for c in sorted_contacts(case.contacts) if c.when and c.channel not in REGULATOR_CONTACT_CHANNELS]


def plan(case: Case, today: date) -> Plan:
    j = jurisdiction_for(case)
    company_contacts = _company_contacts(case)
    first_contact = company_contacts[0].when.date() if company_contacts else None
    regulator_id = j.regulator_by_problem.get(case.problem or "other") or next(iter(j.regulator_by_problem.values()))

    def items(body: Body) -> tuple[tuple[str, ...], tuple[str, ...]]:
        known = [(item, _has(case, item)) for item in body.bring]
        return tuple(i for i, ok in known if ok), tuple(i for i, ok in known if ok is False)

    def rung(rung_id: str, body_id: str, available: date | None, reason: str, deadline: Deadline | None) -> Rung:
        body = j.bodies[body_id]
        have, missing = items(body)
        return Rung(rung_id, body, case.escalation.filed.get(rung_id), available, reason, deadline, have, missing)

    rungs = []
    # 1. Inside the company: possible as soon as the first contact has not solved it.
    rungs.append(rung("company", "company", first_contact, "ladder.reason.after_first_contact" if first_contact else "ladder.reason.contact_first", None))
    # 2. The regulator: once the company refused, or its deadline (or a promise) has passed.
    deadline_id = j.company_deadline_by_regulator.get(regulator_id)
    deadline = j.deadlines.get(deadline_id) if deadline_id else None
    refused = next((c for c in company_contacts if c.outcome == "refused"), None)
    if refused is not None:
        available, reason = refused.when.date(), "ladder.reason.refused"
    elif first_contact is None:
        available, reason = None, "ladder.reason.contact_first"
    else:
        anchor = case.escalation.filed.get("company") or first_contact
        if deadline is not None:
            available, reason = add_days(anchor, deadline.days, deadline.unit), "ladder.reason.company_deadline"
        else:
            available, reason = add_days(anchor, j.own_deadline_days, "calendar_days"), "ladder.reason.own_deadline"
        promises = [c.promised_by for c in company_contacts if c.promised_by and c.outcome in ("", "pending")]
        if promises and max(promises) > available:
            available, reason = max(promises), "ladder.reason.promise"
    rungs.append(rung("regulator", regulator_id, available, reason, deadline))
    # 3. Mediation: after the regulator had its time.
    filed_regulator = case.escalation.filed.get("regulator")
    regulator_deadline_id = j.regulator_deadline.get(regulator_id)
    regulator_deadline = j.deadlines.get(regulator_deadline_id) if regulator_deadline_id else None
    if filed_regulator is None:
        rungs.append(rung("mediation", j.mediation_body, None, "ladder.reason.after_regulator", regulator_deadline))
    elif regulator_deadline is not None:
        rungs.append(rung("mediation", j.mediation_body, add_days(filed_regulator, regulator_deadline.days, regulator_deadline.unit),
                          "ladder.reason.regulator_deadline", regulator_deadline))  # fmt: skip
    else:
        rungs.append(rung("mediation", j.mediation_body, filed_regulator, "ladder.reason.regulator_unresolved", None))
    # 4. Court: the last resort, when mediation did not end the dispute.
    filed_mediation = case.escalation.filed.get("mediation")
    mediation_deadline = j.deadlines.get(j.mediation_deadline) if j.mediation_deadline and regulator_id == "samr_12315" else None
    if filed_mediation is not None and mediation_deadline is not None:
        available = add_days(filed_mediation, mediation_deadline.days, mediation_deadline.unit)
        rungs.append(rung("court", "court", available, "ladder.reason.mediation_deadline", mediation_deadline))
    else:
        rungs.append(rung("court", "court", filed_mediation, "ladder.reason.last_resort", None))
    fraud_first = j.bodies.get(j.fraud_body) if case.escalation.fraud and j.fraud_body else None
    # The next step: the first rung not yet taken; after a refusal, asking the same company to
    # escalate is no longer the next step: the regulator is.
    skip = {"company"} if refused is not None else set()
    next_rung = next((r for r in rungs if r.filed is None and r.id not in skip), None)
    return Plan(j, fraud_first, tuple(rungs), next_rung, first_contact)


def handling_from_contacts(case: Case) -> dict[str, tuple[date, str]]:
    """What the contact log says about the company's handling: stage -> (date, detail).

    received: the first company contact that gave a ticket number; proposed: the first that
    offered a solution; followup: the latest contact after that. A stage the log says
    nothing about is absent.
    """
    found: dict[str, tuple[date, str]] = {}
    contacts = _company_contacts(case)
    received = next((c for c in contacts if c.reference), None)
    if received is not None:
        found["received"] = (received.when.date(), received.reference)
    proposed = next((c for c in contacts if c.offered), None)
    if proposed is not None:
        found["proposed"] = (proposed.when.date(), proposed.offered)
        later = [c for c in contacts if c.when > proposed.when]
        if later:
            found["followup"] = (later[-1].when.date(), later[-1].promised or later[-1].offered)
    return found
