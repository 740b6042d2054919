"""The ladder's rules, each one, and the jurisdiction packs' schema: every figure has a source."""

import json
from datetime import date, datetime

import pytest

from complaint.catalog import load_catalog
from complaint.escalation import JURISDICTIONS_DIR, RUNGS, _has, jurisdictions, plan
from complaint.model import Case, Contact, EvidenceItem

TODAY = date(2026, 11, 25)


def case(problem="funds_not_arriving", **contact):
    c = Case(problem=problem, provider="jd", description="x", goal="refund")
    if contact is not None:
        c.contacts = [Contact(when=datetime(2026, 11, 25, 10, 0), channel="online_chat", **contact)]
    return c


def rung(p, rung_id):
    return next(r for r in p.rungs if r.id == rung_id)


def test_payment_dispute_regulator_date_is_15_days_after_the_first_complaint_and_marked_to_verify():
    p = plan(case(), TODAY)
    regulator = rung(p, "regulator")
    assert regulator.body.id == "pboc_12363"
    assert regulator.available_from == date(2026, 12, 10)  # the issue's own example
    assert regulator.reason == "ladder.reason.company_deadline"
    assert regulator.deadline.days == 15 and regulator.deadline.verified is False


def test_a_refusal_opens_the_regulator_at_once():
    p = plan(case(outcome="refused"), TODAY)
    assert rung(p, "regulator").available_from == date(2026, 11, 25) and rung(p, "regulator").reason == "ladder.reason.refused"


def test_a_later_promise_is_waited_for():
    p = plan(case(promised_by=date(2026, 12, 20), outcome="pending"), TODAY)
    assert rung(p, "regulator").available_from == date(2026, 12, 20) and rung(p, "regulator").reason == "ladder.reason.promise"


def test_without_a_contact_the_user_is_told_to_complain_to_the_company_first():
    c = Case(problem="funds_not_arriving")
    p = plan(c, TODAY)
    assert p.first_contact is None and rung(p, "regulator").available_from is None
    assert rung(p, "regulator").reason == "ladder.reason.contact_first"


def test_false_advertising_goes_to_12315_whose_own_deadlines_are_shown_with_its_rung():
    c = case("false_advertising")
    regulator = rung(plan(c, TODAY), "regulator")
    assert regulator.body.id == "samr_12315" and regulator.reason == "ladder.reason.own_deadline"
    assert regulator.available_from == date(2026, 12, 2) and regulator.deadline is None
    assert {f.id for f in regulator.figures} >= {"samr_accept", "samr_mediation_end"}
    c.escalation.filed["regulator"] = date(2026, 11, 27)
    p = plan(c, TODAY)
    assert rung(p, "regulator").answer_by == date(2026, 12, 8)  # Art. 14: accept or refuse within 7 working days
    # Art. 21's 45 working days are 12315's own mediation, counted from its acceptance: no date
    # is invented for the consumer association or the court.
    assert rung(p, "mediation").available_from is None and rung(p, "mediation").reason == "ladder.reason.regulator_unresolved"
    assert rung(p, "court").available_from is None
    assert p.next_rung.id == "mediation"


def test_regulator_contacts_do_not_count_as_complaints_to_the_company():
    c = case()
    c.contacts = [Contact(when=datetime(2026, 11, 1, 9, 0), channel="regulator")] + c.contacts
    assert plan(c, TODAY).first_contact == date(2026, 11, 25)


def test_the_next_step_follows_the_highest_rung_taken():
    c = case()
    assert plan(c, TODAY).next_rung.id == "company"
    c.escalation.filed["company"] = date(2026, 11, 26)
    assert plan(c, TODAY).next_rung.id == "regulator"
    assert rung(plan(c, TODAY), "regulator").available_from == date(2026, 12, 10)  # counted from the first complaint
    c.escalation.filed = {"regulator": date(2026, 12, 11)}  # taken out of order: the company rung is behind
    assert plan(c, TODAY).next_rung.id == "mediation"


def test_a_filed_company_complaint_counts_when_no_contact_is_logged():
    c = Case(problem="funds_not_arriving")
    c.escalation.filed["company"] = date(2026, 11, 20)
    assert rung(plan(c, TODAY), "regulator").available_from == date(2026, 12, 5)


def test_the_companys_latest_answer_counts():
    c = case(outcome="refused")
    c.contacts.append(Contact(when=datetime(2026, 11, 26, 9, 0), channel="online_chat", outcome="resolved"))
    assert rung(plan(c, TODAY), "regulator").reason == "ladder.reason.company_deadline"
    partly = case(outcome="partly_resolved")
    assert rung(plan(partly, TODAY), "regulator").reason == "ladder.reason.partly_resolved"
    assert plan(partly, TODAY).next_rung.id == "regulator"


def test_a_promise_that_has_passed_opens_the_regulator():
    c = case(promised_by=date(2026, 12, 20), outcome="pending")
    p = plan(c, date(2026, 12, 22))
    assert rung(p, "regulator").reason == "ladder.reason.promise_passed" and rung(p, "regulator").available_from == date(2026, 12, 20)


def test_an_unconfirmed_figure_marks_every_date_it_gives():
    from complaint.escalation import next_step_date_text
    from complaint.i18n import Translator

    regulator = rung(plan(case(), TODAY), "regulator")
    assert regulator.to_verify
    assert next_step_date_text(regulator, Translator("en")) == "10 December 2026 (to verify)"
    assert not rung(plan(case("false_advertising"), TODAY), "regulator").to_verify


def test_fraud_points_to_the_police_and_anti_fraud_line_first():
    c = case()
    c.escalation.fraud = True
    assert plan(c, TODAY).fraud_first.id == "anti_fraud"
    assert "96110" in plan(c, TODAY).fraud_first.label["zh"]


def test_what_to_bring_is_checked_against_the_case():
    c = case("false_advertising")
    regulator = rung(plan(c, TODAY), "regulator")
    assert "your_address" in regulator.missing and "demand" in regulator.have
    c.escalation.your_address = "北京市某区某路 1 号"
    c.escalation.your_name, c.escalation.your_phone, c.escalation.company_address = "张伟", "13800000000", "某地"
    assert rung(plan(c, TODAY), "regulator").missing == ()
    c2 = case()
    c2.evidence["identity_documents"] = EvidenceItem(status="have")
    assert _has(c2, "id_document") is True and _has(c2, "something_else") is None


def test_a_second_jurisdiction_is_a_data_file():
    c = case()
    c.escalation.jurisdiction = "us"
    p = plan(c, TODAY)
    assert rung(p, "regulator").body.id == "cfpb" and p.fraud_first is None
    c.escalation.filed["regulator"] = date(2026, 12, 1)
    assert rung(plan(c, TODAY), "regulator").answer_by == date(2027, 1, 30)  # the company's final response, 60 days


# ---- schema of every pack --------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(JURISDICTIONS_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_figure_has_a_source_and_a_date_checked(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    bilingual = lambda texts: set(texts) == {"zh", "en"} and all(v.strip() for v in texts.values())  # noqa: E731
    assert bilingual(doc["label"]) and date.fromisoformat(doc["last_checked"])
    for key, deadline in doc["deadlines"].items():
        assert isinstance(deadline["days"], int) and deadline["days"] > 0, key
        assert deadline["unit"] in ("calendar_days", "working_days"), key
        assert isinstance(deadline["verified"], bool), key
        assert date.fromisoformat(deadline["last_checked"]), key
        assert bilingual(deadline["what"]) and bilingual(deadline["source"]), key
    for key, body in doc["bodies"].items():
        assert bilingual(body["label"]) and bilingual(body["how"]) and bilingual(body["source"]), key
        for item in body["bring"]:
            assert _has(Case(), item) is not None, f"{key}: the workbook cannot check {item!r}"
    problems = set(load_catalog().ids("problems"))
    assert set(doc["regulator_by_problem"]) == problems
    for regulator in set(doc["regulator_by_problem"].values()):
        assert regulator in doc["bodies"]
        assert doc["company_deadline_by_regulator"].get(regulator) in (None, *doc["deadlines"])
        assert doc["regulator_deadline"].get(regulator) in (None, *doc["deadlines"])
    assert doc["mediation_body"] in doc["bodies"] and "company" in doc["bodies"] and "court" in doc["bodies"]
    for regulator, figures in doc.get("regulator_figures", {}).items():
        assert regulator in doc["bodies"] and set(figures) <= set(doc["deadlines"]), regulator
    assert bilingual(doc["checked_against"])
    assert doc.get("fraud_body") in (None, *doc["bodies"])


def test_china_is_the_default_and_the_unconfirmed_figure_says_so():
    packs = jurisdictions()
    assert next(iter(packs)) == "cn" and {"cn", "us"} <= set(packs)
    assert packs["cn"].deadlines["payment_company_handling"].verified is False
    assert packs["us"].deadlines["cfpb_final_response"].days == 60
    assert RUNGS == ("company", "regulator", "mediation", "court")


def test_the_handling_stages_are_read_from_the_contact_log():
    from complaint.escalation import handling_from_contacts

    c = Case(problem="funds_not_arriving")
    assert handling_from_contacts(c) == {}
    c.contacts = [
        Contact(when=datetime(2026, 11, 20, 9, 0), channel="online_chat"),
        Contact(when=datetime(2026, 11, 21, 9, 0), channel="phone_hotline", reference="C-1001"),
        Contact(when=datetime(2026, 11, 22, 9, 0), channel="regulator", offered="ignored: a regulator, not the company"),
        Contact(when=datetime(2026, 11, 23, 9, 0), channel="online_chat", offered="refund in 3 days"),
        Contact(when=datetime(2026, 11, 27, 9, 0), channel="online_chat", promised="call back"),
    ]
    assert handling_from_contacts(c) == {
        "received": (date(2026, 11, 21), "C-1001"),
        "proposed": (date(2026, 11, 23), "refund in 3 days"),
        "followup": (date(2026, 11, 27), "call back"),
    }


def test_after_a_refusal_the_regulator_is_the_next_step():
    p = plan(case(outcome="refused"), TODAY)
    assert p.next_rung.id == "regulator" and p.next_rung.available_from == date(2026, 11, 25)
