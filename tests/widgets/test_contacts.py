"""The channel guide and contact log driven as a person would."""

from datetime import date, datetime

from complaint.catalog import load_catalog


def contacts_view(app, problem="funds_not_arriving"):
    app.views["problem"].choice.value = problem
    app.stepper.buttons["contacts"].click()
    return app.views["contacts"]


def fill(form, **answers):
    for name, value in answers.items():
        getattr(form, name).value = value


def test_guide_lists_channels_for_the_problem_with_the_case_filled_in(app_with_case):
    app = app_with_case
    app.views["facts"].transaction_id.value = "T-888"
    view = contacts_view(app)
    texts = " ".join(card.children[0].value for card in view.guide.children)
    assert "T-888" in texts and "12363" in texts
    assert list(view.tried) == [
        "official_online",
        "hotline",
        "complaints_department",
        "social_media",
        "payment_regulator",
        "consumer_association",
    ]
    assert view.guide.selected_index == 0  # the first channel not tried yet is open


def test_marking_a_channel_tried_is_saved(app_with_case):
    view = contacts_view(app_with_case)
    view.tried["hotline"].value = True
    view.tried["official_online"].value = True
    assert app_with_case.case.channels_tried == ["official_online", "hotline"]
    assert view.guide.titles[1].startswith("✓ 2.")
    view.tried["hotline"].value = False
    assert app_with_case.case.channels_tried == ["official_online"]
    assert not view.guide.titles[1].startswith("✓")


def test_add_two_contacts_sorted_and_edit_one(app_with_case):
    view = contacts_view(app_with_case)
    view.add_button.click()
    fill(
        view.form,
        when=datetime(2026, 11, 22, 15, 0),
        channel="phone_hotline",
        agent="工号 8823",
        promised="48 小时内回电",
        promised_by=date(2026, 11, 24),
        outcome="pending",
    )
    view.form.save.click()
    view.add_button.click()
    fill(
        view.form,
        when=datetime(2026, 11, 20, 9, 30),
        channel="online_chat",
        reference="=T1",
        offered="核实后退回",
    )
    view.form.save.click()
    assert len(app_with_case.case.contacts) == 2
    cards = view.log.children[1:]
    assert (
        "2026-11-20 09:30" in cards[0].children[0].value
        and "2026-11-22 15:00" in cards[1].children[0].value
    )
    assert (
        "overdue" in cards[1].children[0].value
    )  # promised by 24 Nov, today is 25 Nov, still pending
    edit = cards[1].children[1].children[0]
    edit.click()
    assert view.form.agent.value == "工号 8823"
    view.form.outcome.value = "resolved"
    view.form.save.click()
    assert len(app_with_case.case.contacts) == 2
    assert "overdue" not in view.log.children[2].children[0].value
    assert app_with_case.stepper.buttons["contacts"].description.startswith("✓")


def test_delete_asks_once_more(app_with_case):
    view = contacts_view(app_with_case)
    view.add_button.click()
    fill(view.form, when=datetime(2026, 11, 20, 9, 30), channel="email")
    view.form.save.click()
    delete = view.log.children[1].children[1].children[1]
    delete.click()
    assert len(app_with_case.case.contacts) == 1 and delete.description == "Really delete?"
    delete.click()
    assert app_with_case.case.contacts == []
    assert "No contacts logged yet" in view.log.children[0].value


def test_invalid_entry_is_explained_and_not_saved(app_with_case):
    view = contacts_view(app_with_case)
    view.add_button.click()
    view.form.save.click()
    assert "Enter the date and time" in view.form.error.value
    fill(
        view.form,
        when=datetime(2026, 11, 20, 9, 30),
        channel="email",
        promised_by=date(2026, 11, 1),
    )
    view.form.save.click()
    assert "cannot be before the contact" in view.form.error.value
    assert app_with_case.case.contacts == []
    view.form.cancel.click()
    assert view.form.widget.layout.display == "none"


def test_logging_via_a_channel_prefills_the_form_and_marks_it_tried_once_saved(app_with_case):
    view = contacts_view(app_with_case)
    log_button = (
        view.guide.children[1].children[1].children[1]
    )  # the hotline card's "Log a contact"
    log_button.click()
    assert view.form.channel.value == "phone_hotline" and view.form.widget.layout.display == ""
    view.form.cancel.click()
    assert app_with_case.case.channels_tried == [], "cancelled: nothing was tried"
    log_button.click()
    view.form.when.value = datetime(2026, 11, 21, 8, 0)
    view.form.save.click()
    assert app_with_case.case.channels_tried == ["hotline"]


def test_log_via_a_channel_does_not_throw_away_an_open_edit(app_with_case):
    view = contacts_view(app_with_case)
    view.add_button.click()
    fill(view.form, when=datetime(2026, 11, 20, 9, 30), channel="email", agent="Agent A")
    view.form.save.click()
    view.log.children[1].children[1].children[0].click()  # edit
    view.form.agent.value = "Agent A (corrected)"
    view.guide.children[1].children[1].children[1].click()  # "Log a contact" on the hotline
    assert view.form.agent.value == "Agent A (corrected)" and view.form.channel.value == "email"
    view.form.save.click()
    assert [c.agent for c in app_with_case.case.contacts] == ["Agent A (corrected)"]


def test_an_open_form_survives_a_language_switch(app_with_case):
    view = contacts_view(app_with_case)
    view.add_button.click()
    fill(view.form, agent="李经理", asked="要求书面答复")
    app_with_case.language_switch.value = "zh"
    form = app_with_case.views["contacts"].form
    assert form.is_open() and form.agent.value == "李经理" and form.asked.value == "要求书面答复"
    assert "新的联系记录" in form.title.value


def test_the_error_goes_away_once_the_field_is_fixed_and_counts_read_well(app_with_case):
    view = contacts_view(app_with_case)
    view.add_button.click()
    view.form.save.click()
    assert "Enter the date" in view.form.error.value
    view.form.when.value = datetime(2026, 11, 20, 9, 30)
    assert view.form.error.layout.display == "none"
    view.form.channel.value = "email"
    view.form.save.click()
    assert "1 entry" in view.log.children[0].value


def test_contacts_survive_save_and_resume_in_the_other_language(make_app, clock):
    app = make_app("en")
    app.start.new_button.click()
    view = contacts_view(app)
    for day in (21, 20):
        view.add_button.click()
        fill(
            view.form,
            when=datetime(2026, 11, day, 10, 0),
            channel="regulator",
            agent=f"=agent {day}",
            asked="退款\n尽快",
        )
        view.form.save.click()
    clock.run_due()
    again = make_app("zh")
    again.start.code.value = app.case.code
    assert [c.agent for c in again.case.contacts] == ["=agent 20", "=agent 21"]
    again.stepper.buttons["contacts"].click()
    first = again.views["contacts"].log.children[1].children[0].value
    assert (
        load_catalog().label("contact_channels", "regulator", "zh") in first
        and "=agent 20" in first
    )


def test_showing_the_step_again_redraws_only_what_changed(app_with_case):
    """Each redraw re-creates about a hundred widget models in the browser (make bench's Next/Back)."""
    app = app_with_case
    view = contacts_view(app)
    cards, log = view.guide.children, view.log.children
    app.stepper.buttons["facts"].click()
    app.stepper.buttons["contacts"].click()
    assert (
        view.guide.children == cards and view.log.children == log
    )  # nothing changed: nothing redrawn
    app.stepper.buttons["facts"].click()
    app.views["facts"].transaction_id.value = "T-999"
    app.stepper.buttons["contacts"].click()
    assert view.guide.children != cards and "T-999" in view.guide.children[0].children[0].value
    assert view.log.children == log


def test_a_us_case_is_guided_to_the_cfpb_not_to_a_chinese_hotline(app_with_case):
    app = app_with_case
    app.stepper.buttons["escalation"].click()
    app.views["escalation"].jurisdiction.value = "us"  # the country is chosen where the routes are
    view = contacts_view(app)
    texts = " ".join(card.children[0].value for card in view.guide.children)
    assert list(view.tried) == [
        "official_online",
        "hotline",
        "complaints_department",
        "social_media",
        "cfpb_portal",
        "state_consumer_office",
    ]
    assert "12363" not in texts and "12315" not in texts and "People&#x27;s Bank" not in texts
    assert "CFPB complaint portal" in " ".join(view.guide.titles)
    cfpb = view.guide.children[4].children[0].value
    assert (
        "Consumer Financial Protection Bureau (CFPB), complaint pages" in cfpb
        and "checked against the rule" in cfpb
    )
    assert (
        "not checked at a source" in view.guide.children[5].children[0].value
    )  # how sure, on the card itself
    view.guide.children[4].children[1].children[1].click()  # "log a contact through this channel"
    assert view.form.channel.value == "regulator"
    view.tried["cfpb_portal"].value = True
    assert app.case.channels_tried == ["cfpb_portal"]
    app.stepper.buttons["escalation"].click()
    app.views[
        "escalation"
    ].jurisdiction.value = "cn"  # a channel tried under another country stays listed
    view = contacts_view(app)
    assert list(view.tried)[-1] == "cfpb_portal" and "payment_regulator" in view.tried


def test_a_contact_logged_from_the_log_form_ticks_its_channel_and_counts_its_ticket_as_evidence(
    app_with_case,
):
    app = app_with_case
    app.views["problem"].choice.value = "slow_service"
    app.stepper.buttons["evidence"].click()  # the checklist is drawn before the contact is logged
    evidence = app.views["evidence"]
    assert evidence.cards["ticket_numbers"].status.value is None
    view = contacts_view(app, "slow_service")
    view.add_button.click()  # the log's own form, not the guide's "Log a contact"
    fill(
        view.form,
        when=datetime(2026, 11, 22, 15, 0),
        channel="phone_hotline",
        reference="20261122000012345678",
    )
    view.form.save.click()
    assert app.case.channels_tried == ["hotline"]
    assert view.tried["hotline"].value is True and view.guide.titles[1].startswith("✓ 2.")
    assert app.case.evidence["ticket_numbers"].status == "have"
    app.stepper.buttons["evidence"].click()
    assert evidence.cards["ticket_numbers"].status.value == "have"
    assert "ticket" not in evidence.missing.value.lower()


def test_logging_through_the_guide_ticks_the_guide_channel_even_when_the_log_channel_is_shared(
    app_with_case,
):
    view = contacts_view(app_with_case)
    card = view.guide.children[list(view.tried).index("consumer_association")]
    card.children[1].children[1].click()  # its "Log a contact"
    assert (
        view.form.channel.value == "regulator"
    )  # shared by the PBoC, 12315 and the consumer association
    view.form.when.value = datetime(2026, 11, 22, 15, 0)
    view.form.save.click()
    assert app_with_case.case.channels_tried == ["consumer_association"]


def test_a_redrawn_guide_lets_go_of_its_old_cards_before_they_are_closed(app_with_case):
    """The step stays rendered in the page while another is on screen (wb-step-kept): a card
    closed while the accordion still held it broke the page's accordion (a TypeError in its
    collapse) when the user came back to the step after the guide had changed."""
    app = app_with_case
    view = contacts_view(app)
    old_cards = view.guide.children
    held_when_closed = []
    for card in old_cards:
        close = card.close

        def closing(card=card, close=close):
            held_when_closed.append(card in view.guide.children)
            close()

        card.close = closing
    view.tried["official_online"].value = True
    app.stepper.buttons["evidence"].click()
    app.stepper.buttons["contacts"].click()  # back: the guide is redrawn, the next channel open
    assert view.guide.selected_index == 1
    assert held_when_closed == [False] * len(old_cards)
