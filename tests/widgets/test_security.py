"""The self-audit driven as a person would; and proof that a password goes nowhere."""

import html
import re

from complaint.audit import load_security
from widgets.app import WorkbookApp, close_tree

SECRET = "Quokka-Lantern-7731-Distinct"


def security_view(app):
    app.stepper.buttons["security"].click()
    return app.views["security"]


def every_widget_state(root) -> str:
    """The serialised state of every widget under ``root``: what the page could ever see."""
    from ipywidgets.widgets.widget import _instances

    return repr([widget.get_state() for widget in list(_instances.values())])


def test_the_password_goes_nowhere(make_app, clock, store, isolated_cases_dir):
    app = make_app("en")
    app.start.new_button.click()
    app.views["problem"].choice.value = "account_locked"
    view = security_view(app)
    view.password.value = SECRET
    view.check.click()
    assert view.password.value == ""
    assert "Strength:" in view.password_result.value and "cleared" in view.password_result.value
    assert app.case.audit.password_score is not None
    clock.run_due()
    app.save_now()
    assert SECRET not in repr(app.case)
    assert SECRET not in every_widget_state(app.root)
    written = [p for p in isolated_cases_dir.rglob("*") if p.is_file()]
    assert written, "the app wrote its sheet"
    for path in written:
        data = path.read_bytes()
        assert SECRET.encode() not in data and SECRET.encode("utf-16-le") not in data, path


def test_a_weak_password_lowers_the_score_and_asks_for_a_passphrase(app_with_case):
    view = security_view(app_with_case)
    view.password.value = "password"
    view.check.click()
    assert app_with_case.case.audit.password_score == 0
    assert "very weak" in view.password_result.value
    assert "one of the 10 most common passwords" in view.password_result.value
    strengthen = load_security().actions["strengthen_password"].text["en"]
    assert strengthen in html.unescape(view.result.value)


def test_empty_and_over_long_passwords_get_a_message(app_with_case):
    view = security_view(app_with_case)
    view.check.click()
    assert "Type the password" in view.password_error.value
    view.password.value = "x" * 73
    view.check.click()
    assert "Over 72 characters" in view.password_error.value and view.password.value == ""
    assert app_with_case.case.audit.password_score is None


def test_the_feedback_is_translated(make_app):
    app = make_app("zh")
    app.start.new_button.click()
    view = security_view(app)
    view.password.value = "password"
    view.check.click()
    assert "最常见的 10 个密码之一" in view.password_result.value
    assert "非常弱" in view.password_result.value


def test_answers_update_the_score_and_the_action_list(app_with_case):
    view = security_view(app_with_case)
    assert "not started yet" in view.result.value
    view.questions["two_factor"].value = "none"
    view.questions["unique_password"].value = "no"
    text = html.unescape(re.sub(r"<[^>]+>", " ", view.result.value))
    actions = load_security().actions
    assert (
        actions["change_reused_password"].text["en"] in text
        and actions["enable_2fa"].text["en"] in text
    )
    assert text.index("Do now") < text.index(actions["enable_2fa"].text["en"])
    assert "2 things to do" in view.summary.value
    view.questions["two_factor"].value = "passkey"
    assert (
        "Security score: 25 / 100" in view.result.value
        and "Security score: 25 / 100" in view.summary.value
    )
    assert app_with_case.case.audit.answers == {"two_factor": "passkey", "unique_password": "no"}


def test_the_quiz_explains_each_answer(app_with_case):
    view = security_view(app_with_case)
    example = load_security().phishing[0]
    wrong = "safe" if example.answer == "suspicious" else "suspicious"
    view.quiz[example.id].value = wrong
    assert (
        "wrong" in view.explanations[example.id].value
        and example.explanation["en"][:30] in view.explanations[example.id].value
    )
    view.quiz[example.id].value = example.answer
    assert "right" in view.explanations[example.id].value
    assert app_with_case.case.audit.phishing == {example.id: example.answer}


def test_the_audit_is_saved_and_restored(make_app, clock):
    app = make_app("en")
    app.start.new_button.click()
    view = security_view(app)
    view.questions["screen_lock"].value = "yes"
    view.quiz["typed_address"].value = "safe"
    view.password.value = "correct horse battery staple"
    view.check.click()
    clock.run_due()
    again = make_app("zh")
    again.start.code.value = app.case.code
    assert again.case.audit == app.case.audit
    restored = security_view(again)
    assert (
        restored.questions["screen_lock"].value == "yes"
        and restored.quiz["typed_address"].value == "safe"
    )
    assert "安全得分" in restored.result.value


def test_the_audit_on_its_own_saves_nothing(store, clock, isolated_cases_dir):
    app = WorkbookApp(store=store, language="en", module="security", call_later=clock.call_later)
    view = app.views["security"]
    assert "nothing here is saved" in app.body.children[0].value
    view.questions["two_factor"].value = "sms"
    view.password.value = SECRET
    view.check.click()
    app.language_switch.value = "zh"
    assert (
        app.views["security"].questions["two_factor"].value == "sms"
    )  # answers survive the switch
    clock.run_due()
    assert not isolated_cases_dir.exists() or not any(isolated_cases_dir.iterdir())
    close_tree(app.root)


def test_a_moderate_rating_beside_hours_of_cracking_says_what_that_means(app_with_case):
    view = security_view(app_with_case)
    view.password.value = "kitten-piano"  # zxcvbn 3, about 4 hours offline
    view.check.click()
    result = html.unescape(view.password_result.value)
    assert (
        "Strength: moderate (3/4)" in result
        and "strong" not in result.split("Strength:")[1].split("<")[0]
    )
    assert "could be cracked within a day" in result
    view.password.value = "jdwallet2024!"  # 4, months offline
    view.check.click()
    assert "cracked within a day" not in view.password_result.value


def test_the_advice_follows_the_wallet_in_use(app_with_case):
    app_with_case.views["facts"].provider.value = "alipay"
    view = security_view(app_with_case)
    view.questions["two_factor"].value = "sms"
    assert "digital certificate" in view.result.value and "authenticator" not in view.result.value
    app_with_case.views["facts"].provider.value = "paypal"
    view = security_view(app_with_case)
    assert "passkey or an authenticator app" in view.result.value


def test_the_summary_says_not_started_until_something_is_answered(app_with_case):
    view = security_view(app_with_case)
    for text in (view.summary.value, view.result.value):
        assert "not started yet" in text and "/ 100" not in text and "Nothing to fix" not in text
    view.questions["two_factor"].value = "passkey"
    assert "Security score:" in view.summary.value and "not started" not in view.summary.value


def submit(field) -> None:
    """What the page sends when Enter is pressed in a text field (ipywidgets' TextView)."""
    field._handle_custom_msg({"event": "submit"}, [])


def test_enter_in_the_password_field_runs_the_check(make_app, clock, store, isolated_cases_dir):
    app = make_app("en")
    app.start.new_button.click()
    view = security_view(app)
    # The page's order: the submit on the key press, then the value on the change event.
    submit(view.password)
    view.password.value = SECRET
    assert view.password.value == "" and "Strength:" in view.password_result.value
    assert app.case.audit.password_score is not None
    # The value already there (it was synced by a blur before Enter).
    view.password_result.value = ""
    view.password.value = "password"
    assert view.password_result.value == "", "a value alone (leaving the field) does not check"
    submit(view.password)
    assert view.password.value == "" and "very weak" in view.password_result.value
    clock.run_due()
    app.save_now()
    assert SECRET not in every_widget_state(app.root) and SECRET not in repr(app.case)
    for path in (p for p in isolated_cases_dir.rglob("*") if p.is_file()):
        assert SECRET.encode() not in path.read_bytes()
