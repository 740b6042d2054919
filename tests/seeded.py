"""A case with a distinctive value in every field a person can type, for "nothing personal leaks" tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from complaint.model import Case, Contact, EvidenceFile, EvidenceItem

#: Every free-text answer, personal detail and file name of the seeded case. Each is unique
#: enough that finding it anywhere means the field leaked.
PERSONAL = {
    "problem_other": "ProblemOtherZq81",
    "provider_other": "ProviderOtherZq82",
    "transaction_id": "TXNZq83-4417",
    "account_last4": "7391",
    "description": "NarrativeZq84 my landlord Wang Wu",
    "goal_other": "GoalOtherZq85",
    "goal_details": "GoalDetailsZq86",
    "evidence_note": "EvidenceNoteZq87",
    "file_name": "passportZq88.jpg",
    "agent": "AgentZq89 Li",
    "reference": "REFZq90",
    "asked": "AskedZq91",
    "offered": "OfferedZq92",
    "promised": "PromisedZq93",
    "your_name": "Zhang Zq94",
    "your_phone": "13912345678",
    "your_address": "AddressZq95 Road 1",
    "company_address": "CompanyAddressZq96",
    "statement_company": "StatementCompanyZq97",
    "statement_regulator": "StatementRegulatorZq98",
    "extra_row": "HandAddedZq99",
    "participant_label": "SeatZq80 Wen",
}


def seeded_case(case: Case) -> Case:
    """Fill ``case`` (a new case of a store) with PERSONAL in every typed field."""
    p = PERSONAL
    case.problem, case.problem_other = "other", p["problem_other"]
    case.provider, case.provider_other = "other", p["provider_other"]
    case.event_date, case.amount, case.currency = date(2026, 11, 20), Decimal("1280.50"), "CNY"
    case.transaction_id, case.account_last4, case.description = (
        p["transaction_id"],
        p["account_last4"],
        p["description"],
    )
    case.goal, case.goal_other, case.goal_details = "other", p["goal_other"], p["goal_details"]
    uploaded = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    case.evidence = {
        "transaction_record": EvidenceItem(
            status="have",
            note=p["evidence_note"],
            files=[
                EvidenceFile(
                    name=p["file_name"],
                    size=1234,
                    media_type="image/jpeg",
                    uploaded_at=uploaded,
                    sha256="ab" * 32,
                )
            ],
        ),
        "service_chat": EvidenceItem(status="need"),
    }
    case.channels_tried = ["hotline"]
    case.contacts = [
        Contact(
            when=datetime(2026, 11, 21, 10, 0),
            channel="phone_hotline",
            agent=p["agent"],
            reference=p["reference"],
            asked=p["asked"],
            offered=p["offered"],
            promised=p["promised"],
            promised_by=date(2026, 11, 28),
            outcome="pending",
        ),
    ]
    case.audit.answers["two_factor"] = "sms"
    case.escalation.your_name, case.escalation.your_phone = p["your_name"], p["your_phone"]
    case.escalation.your_address, case.escalation.company_address = (
        p["your_address"],
        p["company_address"],
    )
    case.statement_company, case.statement_regulator = (
        p["statement_company"],
        p["statement_regulator"],
    )
    case.extra_rows = [("note.trainer", "Note", p["extra_row"], "")]
    case.participant_label = p["participant_label"]
    return case
