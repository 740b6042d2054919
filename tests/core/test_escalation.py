"""The ladder's rules, each one, and the jurisdiction packs' schema: every figure has a source."""

import json
from datetime import date, datetime

import pytest

from complaint.catalog import load_catalog
from complaint.escalation import (
    EVIDENCE_LEVELS,
    JURISDICTIONS_DIR,
    RUNGS,
    JurisdictionError,
    _has,
    jurisdictions,
    load_pack,
    plan,
)
from complaint.model import Case, Contact, EvidenceItem

TODAY = date(2026, 11, 25)


def case(problem="funds_not_arriving", **contact):
    c = Case(problem=problem, provider="jd", description="x", goal="refund")
    if contact is not None:
        c.contacts = [Contact(when=datetime(2026, 11, 25, 10, 0), channel="online_chat", **contact)]
    return c


def rung(p, rung_id):
    return next(r for r in p.rungs if r.id == rung_id)


def test_before_the_pboc_the_users_own_reply_deadline_applies_and_the_15_days_come_after_filing():
    # No rule sets a deadline for a complaint made directly to a payment company: the 7 days
    # the statement gives it apply. The PBoC's 15 days run once a branch forwards the complaint.
    p = plan(case(), TODAY)
    regulator = rung(p, "regulator")
    assert regulator.body.id == "pboc_12363"
    assert (
        regulator.available_from == date(2026, 12, 2)
        and regulator.reason == "ladder.reason.own_deadline"
    )
    assert regulator.deadline is None and not regulator.to_verify
    forwarded = next(f for f in regulator.figures if f.id == "payment_company_forwarded")
    assert (
        forwarded.days == 15
        and forwarded.counted_from == "forwarded"
        and forwarded.evidence == "secondary"
    )
    c = case()
    c.escalation.filed["regulator"] = date(2026, 12, 3)
    filed = rung(plan(c, TODAY), "regulator")
    assert filed.answer_by == date(2026, 12, 18) and filed.answer is forwarded
    from complaint.escalation import answer_by_text
    from complaint.i18n import Translator

    text = answer_by_text(filed, Translator("en"))
    assert "no earlier than 18 December 2026 (to verify)" in text and "forwards" in text


def test_a_refusal_opens_the_regulator_at_once():
    p = plan(case(outcome="refused"), TODAY)
    assert (
        rung(p, "regulator").available_from == date(2026, 11, 25)
        and rung(p, "regulator").reason == "ladder.reason.refused"
    )


def test_a_later_promise_is_waited_for():
    p = plan(case(promised_by=date(2026, 12, 20), outcome="pending"), TODAY)
    assert (
        rung(p, "regulator").available_from == date(2026, 12, 20)
        and rung(p, "regulator").reason == "ladder.reason.promise"
    )


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
    assert rung(p, "regulator").answer_by == date(
        2026, 12, 8
    )  # Art. 14: accept or refuse within 7 working days
    # Art. 21's 45 working days are 12315's own mediation, counted from its acceptance: no date
    # is invented for the consumer association or the court.
    assert (
        rung(p, "mediation").available_from is None
        and rung(p, "mediation").reason == "ladder.reason.regulator_unresolved"
    )
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
    assert rung(plan(c, TODAY), "regulator").available_from == date(
        2026, 12, 2
    )  # counted from the first complaint
    c.escalation.filed = {
        "regulator": date(2026, 12, 11)
    }  # taken out of order: the company rung is behind
    assert plan(c, TODAY).next_rung.id == "mediation"


def test_a_filed_company_complaint_counts_when_no_contact_is_logged():
    c = Case(problem="funds_not_arriving")
    c.escalation.filed["company"] = date(2026, 11, 20)
    assert rung(plan(c, TODAY), "regulator").available_from == date(2026, 11, 27)


def test_the_companys_latest_answer_counts():
    c = case(outcome="refused")
    c.contacts.append(
        Contact(when=datetime(2026, 11, 26, 9, 0), channel="online_chat", outcome="resolved")
    )
    assert rung(plan(c, TODAY), "regulator").reason == "ladder.reason.own_deadline"
    partly = case(outcome="partly_resolved")
    assert rung(plan(partly, TODAY), "regulator").reason == "ladder.reason.partly_resolved"
    assert plan(partly, TODAY).next_rung.id == "regulator"


def test_a_promise_that_has_passed_opens_the_regulator():
    c = case(promised_by=date(2026, 12, 20), outcome="pending")
    p = plan(c, date(2026, 12, 22))
    assert rung(p, "regulator").reason == "ladder.reason.promise_passed" and rung(
        p, "regulator"
    ).available_from == date(2026, 12, 20)


def test_an_unconfirmed_figure_marks_every_date_it_gives():
    from dataclasses import replace

    from complaint.escalation import next_step_date_text
    from complaint.i18n import Translator

    bank = jurisdictions()["cn"].deadlines["bank_insurer_decision"]  # from secondary sources
    regulator = replace(
        rung(plan(case(), TODAY), "regulator"), deadline=bank, available_from=date(2026, 12, 10)
    )
    assert regulator.to_verify
    assert next_step_date_text(regulator, Translator("en")) == "10 December 2026 (to verify)"
    assert not rung(plan(case("false_advertising"), TODAY), "regulator").to_verify


def test_the_next_step_never_shows_a_date_that_has_passed():
    from complaint.escalation import next_step_date_text
    from complaint.i18n import Translator

    p = plan(case(outcome="refused"), date(2026, 12, 12))
    assert p.next_rung.available_from == date(2026, 11, 25)
    assert next_step_date_text(p.next_rung, Translator("en"), date(2026, 12, 12)) == "now"
    assert next_step_date_text(p.next_rung, Translator("zh"), date(2026, 12, 12)) == "现在就可以去"
    assert (
        next_step_date_text(p.next_rung, Translator("en")) == "25 November 2026"
    )  # the rung's own reason keeps its date


def test_fraud_points_to_the_police_110_first_and_96110_as_the_advice_line():
    c = case()
    c.escalation.fraud = True
    fraud = plan(c, TODAY).fraud_first
    assert fraud.id == "anti_fraud"
    for language in ("zh", "en"):
        for text in (fraud.label[language], fraud.how[language]):
            assert "110" in text and text.index("110") < text.index("96110"), text
    assert "止付" in fraud.how["zh"] and "stop the payment" in fraud.how["en"]


def test_after_the_company_the_routes_are_choices_not_a_ladder():
    p = plan(case(), TODAY)
    assert rung(p, "mediation").reason == "ladder.reason.mediation_choice"
    assert rung(p, "court").reason == "ladder.reason.court_choice"
    cn = jurisdictions()["cn"]
    note = cn.routes_note
    assert note.evidence == "primary" and "第三十九条" in note.source["zh"]
    assert (
        "12315" in note.text["zh"] and "不再受理" in note.text["zh"]
    )  # Art. 15(2): the choice has a consequence
    samr = cn.bodies["samr_12315"]
    assert "转给人民银行" not in samr.how["zh"] and "passed on to the PBoC" not in samr.how["en"]
    assert (
        "不属于市场监管部门" in samr.how["zh"]
        and "outside the market regulator's duties" in samr.how["en"]
    )
    court = cn.bodies["court"]
    assert (
        "一审终审" in court.how["zh"]
        and "no appeal" in court.how["en"]
        and "2023" in court.source["zh"]
    )
    art46 = cn.deadlines["admin_department_handling"]
    assert (
        "予以处理并告知消费者" in art46.what["zh"] and "not the time to resolve" in art46.what["en"]
    )


def test_12363_says_when_it_answers_and_where_to_turn_if_it_will_not():
    pboc = jurisdictions()["cn"].bodies["pboc_12363"]
    assert "工作日" in pboc.how["zh"] and "working days" in pboc.how["en"]
    assert (
        "12378" in pboc.note["zh"]
        and "待核实" in pboc.note["zh"]
        and "to be checked" in pboc.note["en"]
    )


def test_what_to_bring_is_checked_against_the_case():
    c = case("false_advertising")
    regulator = rung(plan(c, TODAY), "regulator")
    assert "your_address" in regulator.missing and "demand" in regulator.have
    c.escalation.your_address = "北京市某区某路 1 号"
    c.escalation.your_name, c.escalation.your_phone, c.escalation.company_address = (
        "张伟",
        "13800000000",
        "某地",
    )
    assert rung(plan(c, TODAY), "regulator").missing == ()
    c2 = case("account_locked")
    assert _has(c2, "id_document") is False
    c2.evidence["identity_documents"] = EvidenceItem(status="have")
    assert _has(c2, "id_document") is True and _has(c2, "something_else") is None


def test_identity_documents_are_never_marked_missing_where_the_checklist_cannot_hold_them():
    # Missing money: the checklist has no identity-documents item, so "✗" could never be ticked.
    regulator = rung(plan(case(), TODAY), "regulator")
    assert "id_document" not in regulator.missing and "id_document" not in regulator.have
    assert "id_document" in regulator.unknown  # still listed as something to bring
    locked = rung(plan(case("account_locked"), TODAY), "regulator")
    assert "id_document" in locked.missing


def test_a_second_jurisdiction_is_a_data_file_and_the_cfpb_needs_no_wait():
    from complaint.escalation import answer_by_text
    from complaint.i18n import Translator

    c = case()
    c.escalation.jurisdiction = "us"
    p = plan(c, TODAY)
    regulator = rung(p, "regulator")
    assert regulator.body.id == "cfpb" and p.fraud_first is None
    assert (
        regulator.available_from == TODAY and regulator.reason == "ladder.reason.open_at_once"
    )  # no company deadline first
    assert Translator("en")("ladder.reason.open_at_once").startswith(
        "The regulator sends your complaint"
    )
    c.escalation.filed["regulator"] = date(2026, 12, 1)
    filed = rung(plan(c, TODAY), "regulator")
    assert (
        filed.answer_by == date(2026, 12, 16) and filed.answer.counted_from == "forwarded"
    )  # 15 days from when the CFPB sends it
    assert "no earlier than 16 December 2026" in answer_by_text(filed, Translator("en"))
    final = jurisdictions()["us"].deadlines["cfpb_final_response"]
    assert final.days == 60 and "in progress" in final.what["en"]


# ---- schema of every pack --------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(JURISDICTIONS_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_figure_has_a_source_and_a_date_checked(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    bilingual = lambda texts: set(texts) == {"zh", "en"} and all(v.strip() for v in texts.values())  # noqa: E731
    assert bilingual(doc["label"]) and date.fromisoformat(doc["last_checked"])
    for key, deadline in doc["deadlines"].items():
        assert isinstance(deadline["days"], int) and deadline["days"] > 0, key
        assert deadline["unit"] in ("calendar_days", "working_days"), key
        assert deadline["evidence"] in EVIDENCE_LEVELS, key
        assert date.fromisoformat(deadline["last_checked"]), key
        assert bilingual(deadline["what"]) and bilingual(deadline["source"]), key
    for key, body in doc["bodies"].items():
        assert bilingual(body["label"]) and bilingual(body["how"]) and bilingual(body["source"]), (
            key
        )
        assert body["evidence"] in EVIDENCE_LEVELS and date.fromisoformat(body["last_checked"]), key
        for item in body["bring"]:
            assert _has(Case(problem="account_locked"), item) is not None, (
                f"{key}: the workbook cannot check {item!r}"
            )
    problems = set(load_catalog().ids("problems"))
    assert set(doc["regulator_by_problem"]) == problems
    for regulator in set(doc["regulator_by_problem"].values()):
        assert regulator in doc["bodies"]
        assert doc["company_deadline_by_regulator"].get(regulator) in (None, *doc["deadlines"])
        assert doc["regulator_deadline"].get(regulator) in (None, *doc["deadlines"])
    assert (
        doc["mediation_body"] in doc["bodies"]
        and "company" in doc["bodies"]
        and "court" in doc["bodies"]
    )
    for regulator, figures in doc.get("regulator_figures", {}).items():
        assert regulator in doc["bodies"] and set(figures) <= set(doc["deadlines"]), regulator
    assert (
        bilingual(doc["routes_note"]["text"]) and doc["routes_note"]["evidence"] in EVIDENCE_LEVELS
    )
    assert doc.get("fraud_body") in (None, *doc["bodies"])


def test_china_is_the_default_and_the_unconfirmed_figure_says_so():
    packs = jurisdictions()
    assert next(iter(packs)) == "cn" and {"cn", "us"} <= set(packs)
    assert packs["cn"].deadlines["payment_company_forwarded"].verified is False
    assert packs["us"].deadlines["cfpb_final_response"].days == 60
    assert RUNGS == ("company", "regulator", "mediation", "court")


def test_the_handling_stages_are_read_from_the_contact_log():
    from complaint.escalation import handling_from_contacts

    c = Case(problem="funds_not_arriving")
    assert handling_from_contacts(c) == {}
    c.contacts = [
        Contact(when=datetime(2026, 11, 20, 9, 0), channel="online_chat"),
        Contact(when=datetime(2026, 11, 21, 9, 0), channel="phone_hotline", reference="C-1001"),
        Contact(
            when=datetime(2026, 11, 22, 9, 0),
            channel="regulator",
            offered="ignored: a regulator, not the company",
        ),
        Contact(
            when=datetime(2026, 11, 23, 9, 0), channel="online_chat", offered="refund in 3 days"
        ),
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


@pytest.mark.parametrize(
    "breakage",
    [
        lambda doc: doc["deadlines"]["samr_accept"].pop("evidence"),
        lambda doc: doc["deadlines"]["samr_accept"].update(evidence="probably"),
        lambda doc: doc["deadlines"]["samr_accept"].update(last_checked="last week"),
        lambda doc: doc["bodies"]["court"].pop("evidence"),
        lambda doc: doc["routes_note"].pop("evidence"),
        lambda doc: doc["channels"][0].update(body="no_such_body"),
        lambda doc: doc["channels"][0].pop("body"),
    ],
    ids=[
        "figure-without-evidence",
        "unknown-level",
        "no-date",
        "body-without-evidence",
        "routes-note-without-evidence",
        "channel-to-an-unknown-body",
        "channel-without-a-body",
    ],  # fmt: skip
)
def test_the_loader_refuses_a_pack_whose_figure_does_not_say_how_sure_it_is(tmp_path, breakage):
    doc = json.loads((JURISDICTIONS_DIR / "cn.json").read_text(encoding="utf-8"))
    breakage(doc)
    path = tmp_path / "cn.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(JurisdictionError):
        load_pack(path)


def test_a_us_case_gets_the_cfpb_channel_and_no_chinese_hotline():
    """The channel guide is the company's own channels plus the country's: 12363 and 12315 are
    China's; a US case is sent to the CFPB and its state's consumer office, with their sources."""
    from complaint.escalation import channel_body

    catalog = load_catalog()
    us = Case(problem="funds_not_arriving")
    us.escalation.jurisdiction = "us"
    channels = catalog.channels_for(us.problem, us.escalation.jurisdiction)
    ids = [channel.id for channel in channels]
    assert ids == [
        "official_online",
        "hotline",
        "complaints_department",
        "social_media",
        "cfpb_portal",
        "state_consumer_office",
    ]
    texts = json.dumps(
        [[c.label, c.how, c.prepare, c.say_first] for c in channels], ensure_ascii=False
    )
    assert (
        "12363" not in texts
        and "12315" not in texts
        and "人民银行" not in texts
        and "消协" not in texts
    )
    cfpb = channel_body(channels[4])
    assert (
        cfpb is jurisdictions()["us"].bodies["cfpb"]
        and cfpb.evidence == "primary"
        and "CFPB" in cfpb.source["en"]
    )
    assert (
        channel_body(channels[5]).evidence == "unverified"
    )  # state offices: not checked at a source, and says so
    assert channel_body(channels[0]) is None  # the company's own channel reaches no regulator
    china = catalog.channels_for("funds_not_arriving", "cn")
    assert [c.id for c in china][4:] == ["payment_regulator", "consumer_association"]
    assert channel_body(china[4]) is jurisdictions()["cn"].bodies["pboc_12363"]
    assert (
        catalog.channels_for("funds_not_arriving", "") == china
    )  # no country chosen: the default's, as the plan does
    assert catalog.channels_for("funds_not_arriving", "atlantis") == china


def test_a_us_case_sheet_lists_only_the_channels_it_was_shown_and_reads_back():
    from complaint.sheet import read_sheet, write_sheet

    us = Case(problem="funds_not_arriving", channels_tried=["official_online", "cfpb_portal"])
    us.escalation.jurisdiction = "us"
    data = write_sheet(us)
    keys = [line.split(",")[0] for line in data.decode("utf-8-sig").splitlines()]
    channel_keys = [key for key in keys if key.startswith("channel.")]
    assert (
        "channel.cfpb_portal.tried" in channel_keys
        and "channel.payment_regulator.tried" not in channel_keys
    )
    assert read_sheet(data)["channels_tried"] == ["official_online", "cfpb_portal"]
