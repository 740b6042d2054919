"""Practice scenarios: fictional cases a trainer hands out by link (``?scenario=<id>``).

A participant who opens one gets a new case of their own, filled in from the scenario and
marked as practice (in the sheet too, so a trainer's summary can tell practice from real
cases). Dates are stored relative to today, so a scenario never goes stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from .catalog import Texts
from .contacts import record_contact
from .i18n import pick
from .model import Case, Contact, EvidenceItem
from .paths import CONTENT_DIR


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Texts
    summary: Texts
    data: dict  # the rest of the scenario, as in the file


@lru_cache(maxsize=1)
def scenarios() -> dict[str, Scenario]:
    with open(CONTENT_DIR / "scenarios.json", encoding="utf-8") as handle:
        doc = json.load(handle)
    return {s["id"]: Scenario(s["id"], s["title"], s["summary"], s) for s in doc["scenarios"]}


def fill_case(case: Case, scenario_id: str, today: date) -> Case:
    """Fill a new case from a scenario, in the case's language. KeyError for an unknown id."""
    s = scenarios()[scenario_id].data
    language = case.language
    case.practice = scenario_id
    case.problem = s["problem"]
    case.problem_other = pick(s.get("problem_other", ""), language)
    case.provider = s["provider"]
    case.provider_other = pick(s.get("provider_other", ""), language)
    case.event_date = today - timedelta(days=s["event_days_ago"])
    case.amount = Decimal(s["amount"]) if s.get("amount") else None
    case.currency = s.get("currency") or "CNY"
    case.transaction_id = s.get("transaction_id", "")
    case.account_last4 = s.get("account_last4", "")
    case.description = pick(s["description"], language)
    case.goal = s["goal"]
    case.goal_details = pick(s.get("goal_details", ""), language)
    case.evidence = {
        item: EvidenceItem(status=status) for item, status in s.get("evidence", {}).items()
    }
    case.contacts = []
    for c in s.get("contacts", []):
        hour, minute = (int(part) for part in c.get("time", "10:00").split(":"))
        promised = c.get("promised_by_days_ago")
        record_contact(  # as the contact step logs one: its channel tried, its ticket number evidence
            case,
            Contact(
                when=datetime.combine(today - timedelta(days=c["days_ago"]), time(hour, minute)),
                channel=c["channel"],
                agent=pick(c.get("agent", ""), language),
                reference=c.get("reference", ""),
                asked=pick(c.get("asked", ""), language),
                offered=pick(c.get("offered", ""), language),
                promised=pick(c.get("promised", ""), language),
                promised_by=today - timedelta(days=promised) if promised is not None else None,
                outcome=c.get("outcome", ""),
            ),
        )
    return case
