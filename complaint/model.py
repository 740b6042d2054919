"""The case: everything the user has told the workbook so far, as plain typed values."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from decimal import Decimal

from .codes import case_id_for, new_code
from .i18n import DEFAULT_LANGUAGE

#: Free-text limits (characters), chosen to fit a complaint form and a printed sheet. The views
#: and the sheet reader both enforce them, from here: a limit raised in one place only would
#: let a view save what the reader then refuses, and the case could no longer be opened.
SHORT_TEXT_MAX = 100
PARTICIPANT_LABEL_MAX = 40
NOTE_MAX = 500
DESCRIPTION_MAX = 2000
ADDRESS_MAX = 200  # a postal address: the user's own and the company's, in the escalation step
STATEMENT_MAX = 6000  # a statement the user edited (a generated one is far shorter)
#: The user's details in the escalation step (for the letter to a regulator), with their limits.
ESCALATION_DETAIL_LIMITS = {
    "your_name": SHORT_TEXT_MAX,
    "your_phone": SHORT_TEXT_MAX,
    "your_address": ADDRESS_MAX,
    "company_address": ADDRESS_MAX,
}


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class EvidenceFile:
    """A file the user attached to an evidence item. Its SHA-256 fingerprint lets them show
    later that the file is unchanged; the bytes themselves are kept only if they asked."""

    name: str
    size: int
    media_type: str
    uploaded_at: datetime
    sha256: str
    kept: bool = False


@dataclass
class EvidenceItem:
    status: str = ""  # "have", "need", "na" (not applicable) or "" (not answered)
    note: str = ""
    files: list[EvidenceFile] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.status or self.note or self.files)


@dataclass
class Contact:
    """One contact with the company or a body: the article's "write down the agent's name,
    the solution offered and the promised time"."""

    when: datetime | None = None  # local wall-clock time as the user gave it (no time zone)
    channel: str = ""
    agent: str = ""
    reference: str = ""
    asked: str = ""
    offered: str = ""
    promised: str = ""
    promised_by: date | None = None
    outcome: str = ""


#: The parts of a contact, in the contact log's order: the sheet's rows, the form's fields and the
#: analysts' contacts table all follow it.
CONTACT_PARTS = tuple(part.name for part in fields(Contact))


@dataclass
class AuditAnswers:
    """The security self-audit. Never the password: only the strength score of the last check."""

    answers: dict[str, str] = field(default_factory=dict)  # question id -> answer id
    password_score: int | None = None  # zxcvbn score 0-4 of the last password checked
    phishing: dict[str, str] = field(default_factory=dict)  # example id -> "safe" / "suspicious"

    def is_empty(self) -> bool:
        return not (self.answers or self.phishing) and self.password_score is None


@dataclass
class Escalation:
    """Where the complaint goes next, and what the user needs for it."""

    jurisdiction: str = "cn"
    fraud: bool = False  # money stolen or defrauded: the police and anti-fraud line come first
    filed: dict[str, date] = field(default_factory=dict)  # ladder rung -> date the user went there
    handling: dict[str, date] = field(
        default_factory=dict
    )  # company's handling stage -> date reached
    your_name: str = ""
    your_phone: str = ""
    your_address: str = ""
    company_address: str = ""

    def is_empty(self) -> bool:
        return self == Escalation(jurisdiction=self.jurisdiction)


@dataclass
class Case:
    """One user's complaint. Empty strings / None mean "not answered yet"."""

    code: str = field(
        default_factory=new_code
    )  # the secret resume code; never written to the sheet
    language: str = DEFAULT_LANGUAGE
    practice: str = ""  # the practice scenario this case started from ("" for a real case)
    participant_label: str = (
        ""  # a name or seat for the workshop's trainer (optional; never exported anonymised)
    )
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    # Step "problem"
    problem: str = ""
    problem_other: str = ""
    # Step "facts"
    provider: str = ""
    provider_other: str = ""
    event_date: date | None = None
    amount: Decimal | None = None
    currency: str = "CNY"
    transaction_id: str = ""
    account_last4: str = ""  # only the last four characters of the account are ever kept
    description: str = ""
    # Step "goal"
    goal: str = ""
    goal_other: str = ""
    goal_details: str = ""
    # Step "evidence": item id -> the user's answer for it (items come from data/content/evidence.json)
    evidence: dict[str, EvidenceItem] = field(default_factory=dict)
    # Step "contacts": channel ids of the guide the user has tried, and the contact log
    channels_tried: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    # Step "security": the self-audit's answers (data/content/security.json)
    audit: AuditAnswers = field(default_factory=AuditAnswers)
    # Step "escalation"
    escalation: Escalation = field(default_factory=Escalation)
    # Step "statement": the user's edited statements ("" = not edited: the generated text is used)
    statement_company: str = ""
    statement_regulator: str = ""
    # Rows of the sheet this version does not know (e.g. a note someone added by hand):
    # (key, label, value, display), written back unchanged so a save never drops them.
    extra_rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def case_id(self) -> str:
        return case_id_for(self.code)
