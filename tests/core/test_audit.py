"""The self-audit's rules, each one: points earned, actions suggested, order of urgency."""

import pytest

from complaint.audit import evaluate, load_security
from complaint.model import AuditAnswers

CONTENT = load_security()
QUESTIONS = {q.id: q for q in CONTENT.questions}


def perfect() -> AuditAnswers:
    answers = {q.id: max(q.points, key=q.points.get) for q in CONTENT.questions}
    return AuditAnswers(answers=answers, phishing={e.id: e.answer for e in CONTENT.phishing})


def test_nothing_answered_scores_zero_and_asks_for_nothing_yet():
    result = evaluate(AuditAnswers())
    assert (result.score, result.actions, result.answered) == (0, (), 0)


def test_perfect_answers_score_100_with_no_actions():
    result = evaluate(perfect())
    assert result.score == 100 and result.actions == ()
    assert result.phishing_right == len(CONTENT.phishing)


@pytest.mark.parametrize(
    "question, answer, action",
    [(q.id, answer, action) for q in CONTENT.questions for answer, action in q.action_if.items()],
)
def test_each_rule_suggests_its_action_and_costs_its_points(question, answer, action):
    audit = perfect()
    audit.answers[question] = answer
    result = evaluate(audit)
    assert [a.id for a in result.actions] == [action]
    lost = max(QUESTIONS[question].points.values()) - QUESTIONS[question].points.get(answer, 0)
    assert (
        result.score == 100 - lost
    )  # the questions' points add up to 100 without a password check


def test_question_points_add_up_to_100_with_the_quiz():
    assert sum(max(q.points.values()) for q in CONTENT.questions) + CONTENT.phishing_points == 100


def test_two_factor_strength_ranks_passkey_over_app_over_sms_over_none():
    points = QUESTIONS["two_factor"].points
    assert points["passkey"] > points["app_or_push"] > points["sms"] > points.get("none", 0) == 0


def test_a_reused_password_or_strange_sign_in_comes_first():
    audit = perfect()
    audit.answers.update(
        two_factor="sms", unique_password="no", unknown_signins="yes", privacy_reviewed="no"
    )
    ids = [a.id for a in evaluate(audit).actions]
    assert ids[:2] == ["secure_after_unknown_signin", "change_reused_password"]
    assert ids.index("upgrade_from_sms") < ids.index("review_privacy")
    priorities = [a.priority for a in evaluate(audit).actions]
    assert priorities == sorted(priorities)


def test_password_strength_counts_only_once_checked():
    audit = perfect()
    audit.password_score = 1
    result = evaluate(audit)
    assert "strengthen_password" in [a.id for a in result.actions]
    assert result.score == round(100 * 100 / 110)
    audit.password_score = 4
    assert evaluate(audit).score == 100 and evaluate(audit).actions == ()


def test_a_wrong_quiz_answer_suggests_practice():
    audit = perfect()
    example = CONTENT.phishing[0]
    audit.phishing[example.id] = "safe" if example.answer == "suspicious" else "suspicious"
    result = evaluate(audit)
    assert [a.id for a in result.actions] == ["practice_phishing"]
    assert result.phishing_right == len(CONTENT.phishing) - 1


def test_content_references_resolve():
    for question in CONTENT.questions:
        answers = {o.id for o in CONTENT.answer_sets[question.answers]}
        assert set(question.points) <= answers and set(question.action_if) <= answers, question.id
        assert set(question.action_if.values()) <= set(CONTENT.actions), question.id
    assert CONTENT.password_action in CONTENT.actions and CONTENT.phishing_action in CONTENT.actions
    assert {e.answer for e in CONTENT.phishing} == {"safe", "suspicious"}
    assert all(1 <= a.priority <= 4 for a in CONTENT.actions.values())


def test_the_advice_follows_current_guidance_not_scheduled_changes():
    note = CONTENT.guidance_note
    assert "800-63B" in note["en"] and "定期更换密码" in note["zh"]
    texts = " ".join(a.text["en"] + a.why["en"] for a in CONTENT.actions.values()).lower()
    assert "every 90 days" not in texts and "regularly" not in texts
