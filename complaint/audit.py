"""The security self-audit's rules: points and actions per answer, all read from
data/content/security.json, so changing the advice is editing data, not code."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from .catalog import Option, Texts
from .model import AuditAnswers
from .paths import CONTENT_DIR

PHISHING_ANSWERS = ("safe", "suspicious")


@dataclass(frozen=True)
class Question:
    id: str
    answers: str  # name of the answer set
    points: dict[str, int]
    action_if: dict[str, str]
    label: Texts
    why: Texts


@dataclass(frozen=True)
class Action:
    id: str
    priority: int  # 1 = do now ... 4 = good habit
    text: Texts
    why: Texts
    text_for: dict[str, Texts] = field(
        default_factory=dict
    )  # wallet kind -> advice that can be followed there
    why_for: dict[str, Texts] = field(
        default_factory=dict
    )  # wallet kind -> the reason, in that wallet's terms


@dataclass(frozen=True)
class PhishingExample:
    id: str
    answer: str  # "safe" or "suspicious"
    example: Texts
    explanation: Texts


@dataclass(frozen=True)
class SecurityContent:
    questions: tuple[Question, ...]
    answer_sets: dict[str, tuple[Option, ...]]
    password_points: dict[int, int]
    password_action_at_most: int
    password_action: str
    phishing_points: int
    phishing_action: str
    actions: dict[str, Action]
    phishing: tuple[PhishingExample, ...]
    answer_labels: dict[str, Texts]
    guidance_note: Texts
    source: Texts
    wallet_kinds: dict[str, str] = field(
        default_factory=dict
    )  # provider id -> "device" / "passkey"

    def action_text(self, action: Action, provider: str | None) -> Texts:
        """The advice for this wallet: no authenticator app where the wallet offers none
        (Alipay, WeChat Pay, JD), the CISA ranking where it applies (PayPal)."""
        return action.text_for.get(self.wallet_kinds.get(provider or "", ""), action.text)

    def action_why(self, action: Action, provider: str | None) -> Texts:
        return action.why_for.get(self.wallet_kinds.get(provider or "", ""), action.why)


@lru_cache(maxsize=1)
def load_security() -> SecurityContent:
    with open(CONTENT_DIR / "security.json", encoding="utf-8") as handle:
        doc = json.load(handle)
    password = doc["password"]
    return SecurityContent(
        questions=tuple(
            Question(
                q["id"],
                q["answers"],
                q.get("points", {}),
                q.get("action_if", {}),
                q["label"],
                q["why"],
            )
            for q in doc["questions"]
        ),
        answer_sets={
            name: tuple(Option(o["id"], o["label"]) for o in options)
            for name, options in doc["answer_sets"].items()
        },
        password_points={
            int(score): points for score, points in password["points_by_score"].items()
        },
        password_action_at_most=password["action_if_score_at_most"],
        password_action=password["action"],
        phishing_points=doc["phishing_points"],
        phishing_action=doc["phishing_action"],
        actions={
            a["id"]: Action(
                a["id"],
                a["priority"],
                a["text"],
                a["why"],
                a.get("text_for", {}),
                a.get("why_for", {}),
            )
            for a in doc["actions"]
        },
        phishing=tuple(
            PhishingExample(p["id"], p["answer"], p["example"], p["explanation"])
            for p in doc["phishing"]
        ),
        answer_labels=doc["answer_labels"],
        guidance_note=doc["guidance_note"],
        source=doc["source"],
        wallet_kinds=doc.get("wallet_kinds", {}),
    )


@dataclass(frozen=True)
class AuditResult:
    score: int  # 0..100
    actions: tuple[Action, ...]  # most urgent first
    answered: int  # questions answered
    questions: int
    phishing_right: int
    phishing_answered: int


def evaluate(audit: AuditAnswers, content: SecurityContent | None = None) -> AuditResult:
    """Score and prioritised actions for the answers given so far.

    The score is the share of points earned out of points possible. Every question and the
    phishing quiz always count (an unanswered one earns nothing); the password strength counts
    only once a password was checked, since checking one is optional.
    """
    content = content or load_security()
    earned = possible = 0
    wanted: list[str] = []
    for question in content.questions:
        answer = audit.answers.get(question.id, "")
        possible += max(question.points.values(), default=0)
        earned += question.points.get(answer, 0)
        if answer in question.action_if:
            wanted.append(question.action_if[answer])
    if audit.password_score is not None:
        possible += max(content.password_points.values())
        earned += content.password_points.get(audit.password_score, 0)
        if audit.password_score <= content.password_action_at_most:
            wanted.append(content.password_action)
    right = sum(1 for ex in content.phishing if audit.phishing.get(ex.id) == ex.answer)
    answered_quiz = sum(
        1 for ex in content.phishing if audit.phishing.get(ex.id) in PHISHING_ANSWERS
    )
    possible += content.phishing_points
    earned += content.phishing_points * right / len(content.phishing) if content.phishing else 0
    if answered_quiz > right:
        wanted.append(content.phishing_action)
    order = list(content.actions)
    actions = sorted(
        (content.actions[a] for a in dict.fromkeys(wanted)),
        key=lambda a: (a.priority, order.index(a.id)),
    )
    return AuditResult(
        score=round(100 * earned / possible) if possible else 0,
        actions=tuple(actions),
        answered=sum(1 for q in content.questions if audit.answers.get(q.id)),
        questions=len(content.questions),
        phishing_right=right,
        phishing_answered=answered_quiz,
    )
