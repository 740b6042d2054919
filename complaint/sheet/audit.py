"""The security self-audit (format version 3). Answers are read back; the score and the actions
are written for people (and exports) but recomputed from the answers on load, so a hand-edited
score can never disagree with them."""

from __future__ import annotations

import re

from ..audit import PHISHING_ANSWERS, evaluate, load_security
from ..i18n import Translator
from ..model import AuditAnswers, Case
from .cells import Cells, Row, bad_value, unescape_cell
from .sections import Section

_AUDIT_KEY = re.compile(
    r"audit\.(?:(password_score|score)|action\.[0-9]{1,3}|phishing\.([a-z0-9_]+)|([a-z0-9_]+))"
)


def audit_rows(case: Case, t: Translator) -> list[Row]:
    content, audit = load_security(), case.audit
    rows = []
    for question in content.questions:
        answer = audit.answers.get(question.id, "")
        label = next(
            (t.pick(o.label) for o in content.answer_sets[question.answers] if o.id == answer), ""
        )
        rows.append(
            (
                f"audit.{question.id}",
                t("sheet.audit.question", question=t.pick(question.label)),
                answer,
                label,
            )
        )
    score = "" if audit.password_score is None else str(audit.password_score)
    rows.append(
        (
            "audit.password_score",
            t("sheet.audit.password_score"),
            score,
            t(f"password.score.{score}") if score else "",
        )
    )
    for number, example in enumerate(content.phishing, start=1):
        answer = audit.phishing.get(example.id, "")
        shown = ""
        if answer:
            verdict = t("audit.quiz.right") if answer == example.answer else t("audit.quiz.wrong")
            shown = f"{t.pick(content.answer_labels[answer])} · {verdict}"
        rows.append(
            (
                f"audit.phishing.{example.id}",
                t("sheet.audit.phishing", number=number),
                answer,
                shown,
            )
        )
    result = evaluate(audit, content)
    rows.append(
        (
            "audit.score",
            t("sheet.audit.score"),
            str(result.score) if not audit.is_empty() else "",
            "",
        )
    )
    for number, action in enumerate(result.actions, start=1):
        rows.append(
            (
                f"audit.action.{number}",
                t("sheet.audit.action", number=number),
                action.id,
                t.pick(content.action_text(action, case.provider)),
            )
        )
    return rows


def read_audit(cells: Cells) -> tuple[dict[str, object], set[str]]:
    content = load_security()
    questions = {q.id: q for q in content.questions}
    examples = {e.id for e in content.phishing}
    audit, consumed = AuditAnswers(), set()
    for key, (row, raw) in cells.items():
        match = _AUDIT_KEY.fullmatch(key)
        if not match:
            continue
        value = unescape_cell(raw).strip()
        special, example, question_id = match.groups()
        if special == "password_score":
            if value and not re.fullmatch(r"[0-4]", value):
                raise bad_value(row, key)
            audit.password_score = int(value) if value else None
        elif example is not None:
            if example not in examples:
                continue  # an example this version does not know: kept as an extra row
            if value and value not in PHISHING_ANSWERS:
                raise bad_value(row, key)
            if value:
                audit.phishing[example] = value
        elif question_id is not None:
            if question_id not in questions:
                continue
            allowed = {o.id for o in content.answer_sets[questions[question_id].answers]}
            if value and value not in allowed:
                raise bad_value(row, key)
            if value:
                audit.answers[question_id] = value
        consumed.add(key)  # including audit.score and audit.action.N: derived, recomputed
    return {"audit": audit}, consumed


SECTION = Section("audit", ("audit",), audit_rows, read_audit)
