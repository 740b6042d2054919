"""What a view accepts, the sheet reader accepts: a case saved at every limit opens again."""

from complaint import model
from complaint.model import ADDRESS_MAX, ESCALATION_DETAIL_LIMITS, STATEMENT_MAX


def test_a_statement_and_addresses_at_the_views_limits_are_saved_and_open_again(make_app, clock):
    app = make_app("en")
    app.start.new_button.click()
    app.stepper.buttons["escalation"].click()
    details = app.views["escalation"].details
    details["your_address"].value = "a" * ADDRESS_MAX
    details["company_address"].value = "b" * ADDRESS_MAX
    details["your_name"].value = "n" * ESCALATION_DETAIL_LIMITS["your_name"]
    app.stepper.buttons["statement"].click()
    app.views["statement"].texts["company"].value = "s" * STATEMENT_MAX
    assert (
        app.case.statement_company == "s" * STATEMENT_MAX
        and app.case.escalation.your_address == "a" * ADDRESS_MAX
    )
    clock.run_due()
    again = make_app("en")
    again.start.code.value = app.case.code
    assert again.case.statement_company == "s" * STATEMENT_MAX
    assert (again.case.escalation.your_address, again.case.escalation.company_address) == (
        "a" * ADDRESS_MAX,
        "b" * ADDRESS_MAX,
    )


def test_the_views_take_their_limits_from_the_model():
    import widgets.escalation
    import widgets.statement

    assert widgets.statement.STATEMENT_MAX is model.STATEMENT_MAX
    assert widgets.escalation.ESCALATION_DETAIL_LIMITS is model.ESCALATION_DETAIL_LIMITS
