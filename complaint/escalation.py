"""The escalation ladder: which body comes next, from when, and what to bring.

Bodies, deadlines and their sources are data (data/jurisdictions/<id>.json, one file per
country). After the company's own complaints department the routes are choices, not a ladder
(China: Consumer Rights Protection Law Art. 39 lists them as alternatives): a regulator,
mediation, a court; the plan works out when each is open and what each one needs, and puts
the police first when money was stolen. Every figure and every body carries how sure its
source is (``EVIDENCE_LEVELS``): the loader refuses a pack without it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .catalog import Channel, Texts, load_catalog
from .contacts import sorted_contacts
from .dates import add_days, known_years
from .model import Case
from .paths import DATA_DIR
from .presentation import long_date

JURISDICTIONS_DIR = DATA_DIR / "jurisdictions"
RUNGS = ("company", "regulator", "mediation", "court")
HANDLING_STAGES = ("received", "verified", "proposed", "followup")
REGULATOR_CONTACT_CHANNELS = ("regulator",)
#: How sure a figure or a body's source is: the rule's own text was read ("primary"), only
#: secondary sources agree ("secondary"), or nothing confirmed it ("unverified").
EVIDENCE_LEVELS = ("primary", "secondary", "unverified")
#: When a regulator's answer clock starts: the day the user files, or the day the regulator
#: forwards the complaint to the company (a date the user learns later).
COUNTED_FROM = ("filed", "forwarded")


@dataclass(frozen=True)
class Deadline:
    id: str
    days: int
    unit: str
    evidence: str  # one of EVIDENCE_LEVELS
    last_checked: str
    what: Texts
    source: Texts
    counted_from: str = "filed"

    @property
    def verified(self) -> bool:
        """Confirmed against the rule's own text."""
        return self.evidence == "primary"


@dataclass(frozen=True)
class Body:
    id: str
    label: Texts
    how: Texts
    bring: tuple[str, ...]
    source: Texts
    evidence: str  # one of EVIDENCE_LEVELS: how sure the source is
    last_checked: str
    note: Texts | None = None
    letter_name: Texts | None = (
        None  # how a letter names it ("I will complain to the People's Bank of China")
    )
    addressee: Texts | None = (
        None  # whom a written complaint is addressed to; "××" is the place the user fills in
    )


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
    regulator_figures: dict[str, list[str]]
    mediation_body: str
    own_deadline_days: int
    fraud_body: str | None
    regulator_open_at_once: tuple[
        str, ...
    ] = ()  # regulators that forward the complaint themselves: no wait (CFPB)
    routes_note: RoutesNote | None = None


@dataclass(frozen=True)
class RoutesNote:
    """What choosing each route after the company means, with its source and how sure it is."""

    text: Texts
    source: Texts
    evidence: str
    last_checked: str


class JurisdictionError(ValueError):
    """A jurisdiction pack that breaks the schema: a figure or body without how sure it is."""


def check_evidence(where: str, entry: dict) -> tuple[str, str]:
    """An entry's evidence level and the date it was checked, or an error naming the entry."""
    evidence, checked = entry.get("evidence"), entry.get("last_checked")
    if evidence not in EVIDENCE_LEVELS:
        raise JurisdictionError(
            f"{where}: 'evidence' must be one of {EVIDENCE_LEVELS}, not {evidence!r}"
        )
    try:
        date.fromisoformat(checked)
    except (TypeError, ValueError):
        raise JurisdictionError(
            f"{where}: 'last_checked' must be an ISO date, not {checked!r}"
        ) from None
    return evidence, checked


def _deadline(where: str, key: str, d: dict) -> Deadline:
    evidence, checked = check_evidence(f"{where} deadline {key}", d)
    counted_from = d.get("counted_from", "filed")
    if counted_from not in COUNTED_FROM:
        raise JurisdictionError(
            f"{where} deadline {key}: 'counted_from' must be one of {COUNTED_FROM}"
        )
    return Deadline(
        key, d["days"], d["unit"], evidence, checked, d["what"], d["source"], counted_from
    )


def _body(where: str, key: str, b: dict) -> Body:
    evidence, checked = check_evidence(f"{where} body {key}", b)
    return Body(
        key,
        b["label"],
        b["how"],
        tuple(b["bring"]),
        b["source"],
        evidence,
        checked,
        b.get("note"),
        b.get("letter_name"),
        b.get("addressee"),
    )


def load_pack(path) -> Jurisdiction:
    doc = json.loads(path.read_text(encoding="utf-8"))
    where = path.name
    for channel in doc.get(
        "channels", ()
    ):  # the channel guide's cards for this country (complaint.catalog)
        if channel.get("body") not in doc["bodies"]:
            raise JurisdictionError(
                f"{where} channel {channel.get('id')}: 'body' must name one of its bodies (its source and certainty)"
            )
    return Jurisdiction(
        id=doc["id"],
        label=doc["label"],
        default=doc.get("default", False),
        last_checked=doc["last_checked"],
        deadlines={k: _deadline(where, k, d) for k, d in doc["deadlines"].items()},
        bodies={k: _body(where, k, b) for k, b in doc["bodies"].items()},
        regulator_by_problem=doc["regulator_by_problem"],
        company_deadline_by_regulator=doc["company_deadline_by_regulator"],
        regulator_deadline=doc["regulator_deadline"],
        regulator_figures=doc.get("regulator_figures", {}),
        mediation_body=doc["mediation_body"],
        own_deadline_days=doc["own_deadline_days"],
        fraud_body=doc.get("fraud_body"),
        regulator_open_at_once=tuple(doc.get("regulator_open_at_once", ())),
        routes_note=RoutesNote(
            doc["routes_note"]["text"],
            doc["routes_note"]["source"],
            *check_evidence(f"{where} routes_note", doc["routes_note"]),
        ),
    )


@lru_cache(maxsize=1)
def jurisdictions() -> dict[str, Jurisdiction]:
    """Every jurisdiction pack, the default (China) first."""
    packs = [load_pack(path) for path in sorted(JURISDICTIONS_DIR.glob("*.json"))]
    return {j.id: j for j in sorted(packs, key=lambda j: not j.default)}


def jurisdiction_for(case: Case) -> Jurisdiction:
    packs = jurisdictions()
    return packs.get(case.escalation.jurisdiction) or next(iter(packs.values()))


def channel_body(channel: Channel) -> Body | None:
    """The body a country's channel reaches (its source and certainty); None for the company's own."""
    pack = jurisdictions().get(channel.jurisdiction)
    return pack.bodies.get(channel.body) if pack else None


# ---- what the case already has, for "what to bring" -------------------------------------------


def _has(case: Case, item: str) -> bool | None:
    """Whether the case already holds an item a body asks for; None: the workbook cannot tell."""
    e = case.escalation
    checks = {
        "ticket_number": lambda: any(c.reference for c in case.contacts),
        "dispute_summary": lambda: bool(case.description),
        "demand": lambda: bool(case.goal),
        "evidence": lambda: any(s.status == "have" for s in case.evidence.values()),
        "id_document": lambda: _has_identity_documents(case),
        "company_name": lambda: bool(case.provider),
        "product_name": lambda: bool(case.provider),
        "your_name": lambda: bool(e.your_name),
        "your_phone": lambda: bool(e.your_phone),
        "your_address": lambda: bool(e.your_address),
        "company_address": lambda: bool(e.company_address),
    }
    check = checks.get(item)
    return check() if check else None


def _has_identity_documents(case: Case) -> bool | None:
    """The evidence checklist asks for identity documents only for some problems (a locked
    account): for the others the workbook cannot tell, and must not show "✗" for ever."""
    if not any(
        item.id == "identity_documents"
        for item in load_catalog().evidence_for(case.problem or "other")
    ):
        return None
    answer = case.evidence.get("identity_documents")
    return answer is not None and answer.status == "have"


@dataclass(frozen=True)
class Rung:
    id: str  # "company", "regulator", "mediation", "court"
    body: Body
    filed: date | None  # when the user went there (their answer)
    available_from: date | None  # the earliest date the ladder says they may move here
    reason: str  # message key explaining available_from
    deadline: Deadline | None  # the figure behind available_from, with its source
    answer_by: date | None  # once filed: when the body's answer is due (regulators with a figure)
    answer: Deadline | None  # the figure behind answer_by
    figures: tuple[Deadline, ...]  # the body's own deadlines, shown with their sources
    have: tuple[str, ...]
    missing: tuple[str, ...]
    unknown: tuple[str, ...] = ()  # asked for, but the case cannot say whether the user has it

    @property
    def to_verify(self) -> bool:
        """Its date rests on a figure not confirmed at its source."""
        return self.deadline is not None and not self.deadline.verified


@dataclass(frozen=True)
class Plan:
    jurisdiction: Jurisdiction
    fraud_first: Body | None
    rungs: tuple[Rung, ...]
    next_rung: (
        Rung | None
    )  # the rung after the highest one taken (after a refusal: not the company)
    first_contact: date | None


def company_contacts(case: Case):
    """Contacts with the company itself, oldest first (not those with a regulator or association)."""
    return [
        c
        for c in sorted_contacts(case.contacts)
        if c.when and c.channel not in REGULATOR_CONTACT_CHANNELS
    ]


#: The company's latest answer that opens the regulator at once (PBoC: refused, or unsatisfactory).
UNSATISFIED_OUTCOMES = ("refused", "partly_resolved")


def plan(case: Case, today: date, what_to_bring: bool = True) -> Plan:
    """The ladder for this case. ``what_to_bring=False`` skips checking each body's list against
    the case (the trainer's overview of thousands of cases needs only the dates)."""
    j = jurisdiction_for(case)
    filed = case.escalation.filed
    with_company = company_contacts(case)
    first_contact = with_company[0].when.date() if with_company else None
    complained = first_contact or filed.get("company")  # the first complaint to the company
    regulator_id = j.regulator_by_problem.get(case.problem or "other") or next(
        iter(j.regulator_by_problem.values())
    )

    def rung(
        rung_id, body_id, available, reason, deadline=None, answer_by=None, figures=(), answer=None
    ) -> Rung:
        body = j.bodies[body_id]
        known = [(item, _has(case, item)) for item in body.bring] if what_to_bring else []
        have = tuple(i for i, ok in known if ok)
        missing = tuple(i for i, ok in known if ok is False)
        unknown = tuple(i for i, ok in known if ok is None)
        return Rung(
            rung_id,
            body,
            filed.get(rung_id),
            available,
            reason,
            deadline,
            answer_by,
            answer,
            tuple(figures),
            have,
            missing,
            unknown,
        )

    rungs = []
    # 1. Inside the company: as soon as the first complaint has not solved it.
    rungs.append(
        rung(
            "company",
            "company",
            complained,
            "ladder.reason.after_first_contact" if complained else "ladder.reason.contact_first",
        )
    )
    # 2. The regulator: at once after a refusal or an unsatisfactory answer (the company's latest
    #    word counts), or at any time where the regulator forwards complaints itself (CFPB);
    #    otherwise when the company's deadline, or a promise it made, has passed. China has no
    #    rule for a complaint made directly to a payment company: the days the user's own
    #    statement gives it apply (the PBoC's 15 days run only after a branch forwards it).
    deadline_id = j.company_deadline_by_regulator.get(regulator_id)
    deadline = j.deadlines.get(deadline_id) if deadline_id else None
    answered = [c for c in with_company if c.outcome]
    unsatisfied = (
        answered[-1] if answered and answered[-1].outcome in UNSATISFIED_OUTCOMES else None
    )
    used_deadline = None
    if unsatisfied is not None:
        available, reason = unsatisfied.when.date(), f"ladder.reason.{unsatisfied.outcome}"
    elif regulator_id in j.regulator_open_at_once:
        available, reason = complained or today, "ladder.reason.open_at_once"
    elif complained is None:
        available, reason = None, "ladder.reason.contact_first"
    else:
        if deadline is not None:
            available, reason, used_deadline = (
                add_days(complained, deadline.days, deadline.unit, j.id),
                "ladder.reason.company_deadline",
                deadline,
            )
        else:
            available, reason = (
                add_days(complained, j.own_deadline_days, "calendar_days", j.id),
                "ladder.reason.own_deadline",
            )
        promises = [
            c.promised_by for c in with_company if c.promised_by and c.outcome in ("", "pending")
        ]
        if promises and max(promises) > available:
            available = max(promises)
            reason, used_deadline = (
                ("ladder.reason.promise" if available >= today else "ladder.reason.promise_passed"),
                None,
            )
    answer_id = j.regulator_deadline.get(regulator_id)
    answer = j.deadlines.get(answer_id) if answer_id else None
    answer_by = (
        add_days(filed["regulator"], answer.days, answer.unit, j.id)
        if answer and filed.get("regulator")
        else None
    )
    figures = [
        j.deadlines[f] for f in j.regulator_figures.get(regulator_id, ()) if f in j.deadlines
    ]
    rungs.append(
        rung(
            "regulator",
            regulator_id,
            available,
            reason,
            used_deadline,
            answer_by,
            figures,
            answer if answer_by else None,
        )
    )
    # 3. Mediation and 4. court: no date can be worked out for them (they follow when the
    #    regulator's handling, then mediation, did not resolve the dispute).
    rungs.append(
        rung(
            "mediation",
            j.mediation_body,
            None,
            "ladder.reason.regulator_unresolved"
            if filed.get("regulator")
            else "ladder.reason.mediation_choice",
        )
    )
    rungs.append(rung("court", "court", None, "ladder.reason.court_choice"))
    fraud_first = j.bodies.get(j.fraud_body) if case.escalation.fraud and j.fraud_body else None
    taken = [i for i, r in enumerate(rungs) if r.filed is not None]
    after = rungs[taken[-1] + 1 :] if taken else rungs
    skip = {"company"} if unsatisfied is not None else set()
    next_rung = next((r for r in after if r.id not in skip), None)
    return Plan(j, fraud_first, tuple(rungs), next_rung, first_contact)


def next_step_date_text(rung: Rung, t, today: date | None = None) -> str:
    """The date a rung opens, as people write it, marked "(to verify)" when it rests on an
    unconfirmed figure: used wherever such a date is shown. With ``today``: a date that has
    come reads "now" (the next step is never shown with a date in the past)."""
    if rung.available_from is None:
        return ""
    if today is not None and rung.available_from <= today:
        return t("escalation.now")
    text = long_date(rung.available_from, t.language)
    return (
        text + t("deadline.to_verify") if rung.to_verify else text
    )  # the marker carries its own spacing


def answer_by_text(rung: Rung, t) -> str:
    """When a body's answer is due once the user has filed, marked "(to verify)" when the figure
    is not confirmed. A clock that starts when the regulator forwards the complaint (PBoC,
    CFPB) gives only the earliest date: the text says so."""
    if rung.answer_by is None or rung.filed is None:
        return ""
    key = (
        "escalation.answer_by_forwarded"
        if rung.answer and rung.answer.counted_from == "forwarded"
        else "escalation.answer_by"
    )
    marker = t("deadline.to_verify") if rung.answer and not rung.answer.verified else ""
    return t(
        key,
        filed=long_date(rung.filed, t.language),
        date=long_date(rung.answer_by, t.language) + marker,
    )


def evidence_text(t, entry: Deadline | Body) -> str:
    """How sure a figure or a body's source is, in plain words, with the date it was checked."""
    return t(f"evidence.level.{entry.evidence}", date=entry.last_checked)


def source_text(t, entry: Deadline | Body | RoutesNote) -> str:
    """Where a figure, a body, a note or a licence comes from, and how sure it is: the line shown
    under it on screen and in the printable record."""
    return t("deadline.source", source=t.pick(entry.source), evidence=evidence_text(t, entry))


def working_days_note(t, jurisdiction: Jurisdiction) -> str:
    """How working days are counted here: with the official holidays up to the last published
    year, weekends only after it (or everywhere, for a country without a holiday calendar)."""
    years = known_years(jurisdiction.id)
    return t("dates.working_days_note", year=years[1]) if years else t("dates.weekends_only_note")


def figure_lines(t, deadline: Deadline) -> tuple[str, str]:
    """A figure as two lines: what it is ("… : 15 calendar days (to verify)") and its source
    with how sure it is. The same words on screen, in the printable record and the sheet."""
    unit = t(f"deadline.unit.{deadline.unit}", count=deadline.days)
    line = t("deadline.line", what=t.pick(deadline.what), days=deadline.days, unit=unit) + (
        "" if deadline.verified else t("deadline.to_verify")
    )
    return line, source_text(t, deadline)


def handling_from_contacts(case: Case) -> dict[str, tuple[date, str]]:
    """What the contact log says about the company's handling: stage -> (date, detail).

    received: the first company contact that gave a ticket number; proposed: the first that
    offered a solution; followup: the latest contact after that. A stage the log says
    nothing about is absent.
    """
    found: dict[str, tuple[date, str]] = {}
    contacts = company_contacts(case)
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
