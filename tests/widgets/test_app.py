"""The whole workbook driven the way a person drives it, without a browser or kernel."""

import base64
import re
from datetime import date
from decimal import Decimal

from complaint.codes import format_code
from complaint.steps import step_ids
from tests.widgets.test_steps import on_screen
from widgets.app import WorkbookApp, close_tree


def errors_shown(view) -> list[str]:
    """The texts of the error lines a step view currently shows."""
    return [
        child.value
        for child in view.widget.children
        if child.__class__.__name__ == "HTML"
        and "wb-error" in child.value
        and child.layout.display != "none"
    ]


def fill_all_steps(app):
    app.views["problem"].choice.value = "funds_not_arriving"
    app.stepper.next.click()
    facts = app.views["facts"]
    facts.provider.value = "alipay"
    facts.event_date.value = date(2026, 11, 20)
    facts.amount.value = "1,280.00"
    facts.currency.value = "CNY"
    facts.transaction_id.value = '=HYPERLINK("x")'
    facts.account.value = "6222 0212 3456 7890"
    facts.description.value = "转账 1280 元给房东,显示成功但对方没收到。\n第二行"
    app.stepper.next.click()
    goal = app.views["goal"]
    goal.choice.value = "refund"
    goal.details.value = "7 日内退回原账户"


def test_starts_in_chinese_by_default(store):
    app = WorkbookApp(store=store)
    assert app.language == "zh"
    assert "数字钱包投诉助手" in app.title.value
    assert app.start.new_button.description == "开始新的投诉"
    assert app.language_switch.value == "zh"


def test_new_case_shows_its_code_and_is_saved_at_once(app_with_case, store):
    app = app_with_case
    assert format_code(app.case.code) in app.savebar.banner.value
    assert "Write this code down" in app.savebar.banner.value
    assert store.path_for(app.case.code).exists()
    assert "Saved" in app.savebar.status.value


def test_fill_save_and_resume_restores_every_field(make_app, clock, store):
    app = make_app("en")
    app.start.new_button.click()
    fill_all_steps(app)
    assert "Unsaved" in app.savebar.status.value
    assert clock.run_due() == 1, "many quick changes must become one debounced save"
    assert "Saved" in app.savebar.status.value
    saved = app.case

    other = make_app("en")
    other.start.code.value = format_code(saved.code).lower()  # typed, then Enter
    assert other.case == saved
    facts = other.views["facts"]
    assert facts.amount.value == "1280.00"
    assert facts.account.value == "••••7890"
    assert facts.description.value == saved.description
    assert other.views["goal"].choice.value == "refund"
    assert other.case.amount == Decimal("1280.00")


def test_account_is_masked_as_soon_as_it_is_entered(app_with_case, clock, store):
    facts = app_with_case.views["facts"]
    facts.account.value = "6222021234567890"
    assert facts.account.value == "••••7890"
    assert app_with_case.case.account_last4 == "7890"
    clock.run_due()
    assert b"6222021234567890" not in store.path_for(app_with_case.case.code).read_bytes()
    facts.account.value = (
        "wang.lei88@example.com"  # an e-mail address: the end of its name, not "ecom"
    )
    assert facts.account.value == "••••ei88" and app_with_case.case.account_last4 == "ei88"
    facts.account.value = "+86 138-0013-8000"
    assert facts.account.value == "••••8000"


def test_invalid_input_is_explained_and_not_stored(app_with_case):
    facts = app_with_case.views["facts"]
    facts.amount.value = "200"
    facts.amount.value = "-5"
    errors = errors_shown(facts)
    assert len(errors) == 1 and "cannot be negative" in errors[0]
    assert app_with_case.case.amount == Decimal("200")
    facts.amount.value = "250"
    assert errors_shown(facts) == []
    assert app_with_case.case.amount == Decimal("250")


def test_future_date_is_refused(app_with_case, today):
    facts = app_with_case.views["facts"]
    facts.event_date.value = date(2030, 1, 1)
    assert app_with_case.case.event_date is None
    assert any(
        "cannot be in the future (today is 2026-11-25)" in text for text in errors_shown(facts)
    )
    facts.event_date.value = today
    assert app_with_case.case.event_date == today and errors_shown(facts) == []


def test_over_long_text_is_refused_with_the_limit(app_with_case):
    facts = app_with_case.views["facts"]
    facts.description.value = "字" * 2001
    assert app_with_case.case.description == ""
    assert any("at most 2000 characters, this is 2001" in text for text in errors_shown(facts))


def test_step_list_jumps_anywhere_and_marks_progress(app_with_case):
    app = app_with_case
    app.stepper.buttons["goal"].click()
    assert app.current_step == "goal"
    assert on_screen(app) == (app.views["goal"].widget,)
    app.views["goal"].choice.value = "unlock"
    assert app.stepper.buttons["goal"].description.startswith("✓")
    app.stepper.buttons[step_ids()[-1]].click()
    assert app.stepper.next.layout.display == "none"  # last step
    app.stepper.buttons["goal"].click()
    app.stepper.back.click()
    assert app.current_step == "facts"
    assert f"Step 2 of {len(step_ids())}" in app.stepper.progress.value
    assert app.stepper.back.layout.display == ""
    app.stepper.buttons["problem"].click()
    assert app.stepper.back.layout.display == "none"


def test_problem_shows_its_first_advice_and_other_asks_for_a_sentence(app_with_case):
    problem = app_with_case.views["problem"]
    assert problem.other.layout.display == "none"
    problem.choice.value = "funds_not_arriving"
    assert "re-check the recipient" in problem.advice.value
    # The label is followed by the advice, not by the problem's definition (shown above it).
    label, definition = (
        problem.advice.value.index("First advice:"),
        problem.advice.value.index("After a transfer or payment"),
    )
    assert definition < label and problem.advice.value.index(
        "<ol>", label
    ) < problem.advice.value.index("re-check the recipient")
    assert "After a transfer" not in problem.advice.value[label:]
    problem.choice.value = "other"
    assert problem.other.layout.display == ""
    problem.other.value = "Auto-renewal <b>charged</b>"
    assert app_with_case.case.problem_other == "Auto-renewal <b>charged</b>"


def test_goal_step_suggests_goals_for_the_problem(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "account_locked"
    app.stepper.buttons["goal"].click()
    assert "Unlock my account" in app.views["goal"].suggestion.value


def test_language_switch_keeps_answers_and_relabels_everything(app_with_case, clock, store):
    app = app_with_case
    app.views["problem"].choice.value = "slow_service"
    app.stepper.next.click()
    app.language_switch.value = "zh"
    assert app.current_step == "facts"
    assert app.views["problem"].choice.value == "slow_service"
    assert app.stepper.next.description == "下一步 →"
    assert ("客服响应慢", "slow_service") in app.views["problem"].choice.options
    clock.run_due()
    assert "问题类型".encode() in store.path_for(app.case.code).read_bytes()


def test_download_link_carries_exactly_the_saved_sheet(app_with_case, clock, store):
    app = app_with_case
    app.views["problem"].choice.value = "false_advertising"
    clock.run_due()
    match = re.search(
        r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"',
        app.savebar.download.value,
    )
    assert match and match.group(1).endswith(".csv")
    assert base64.b64decode(match.group(2)) == store.path_for(app.case.code).read_bytes()


def test_save_button_saves_now(app_with_case, clock, store):
    app = app_with_case
    app.views["problem"].choice.value = "other"
    app.savebar.save_button.click()
    assert store.load(app.case.code).problem == "other"
    assert clock.run_due() == 0, "the pending autosave was replaced by the explicit save"


def test_a_failing_disk_is_reported_not_raised(app_with_case, store, monkeypatch):
    def broken(_case, **_options):
        raise OSError("read-only file system")

    app_with_case.views["problem"].choice.value = "other"
    monkeypatch.setattr(store, "save", broken)
    app_with_case.savebar.save_button.click()
    assert "Could not save" in app_with_case.savebar.status.value
    # The download link now carries the answers on the page, not the older file.
    payload = re.search(r"base64,([^\"]+)", app_with_case.savebar.download.value).group(1)
    assert b"problem,Kind of problem,other" in base64.b64decode(payload)
    app_with_case.language_switch.value = "zh"  # a re-render must not pretend it was saved
    assert "保存失败" in app_with_case.savebar.status.value


def test_resume_errors_are_shown_in_the_users_language(make_app, store):
    app = make_app("zh")
    app.start.code.value = "nope"
    assert "恢复码应为 16 位" in app.start.message.value
    app.start.code.value = "0000-0000-0000-0000"
    assert "没有找到" in app.start.message.value
    app.start.message.value = ""
    app.start.resume_button.click()  # the button sends the same code again
    assert "没有找到" in app.start.message.value
    assert app.case is None


def test_resume_of_a_damaged_sheet_says_so_and_leaves_the_file_alone(make_app, store):
    case = store.new_case("en")
    store.save(case)
    path = store.path_for(case.code)
    path.write_bytes(path.read_bytes()[:-30])
    damaged = path.read_bytes()
    app = make_app("en")
    app.start.code.value = case.code
    assert app.case is None
    assert "incomplete" in app.start.message.value
    assert path.read_bytes() == damaged


def test_url_parameters_pick_language_and_resume(store, monkeypatch, clock):
    case = store.new_case("zh")
    case.problem = "account_locked"
    store.save(case)
    monkeypatch.setenv("QUERY_STRING", f"lang=en&case={format_code(case.code)}")
    app = WorkbookApp.from_environment(store=store, call_later=clock.call_later)
    assert app.language == "en"
    assert app.case is not None and app.case.problem == "account_locked"
    assert app.case.language == "en"
    close_tree(app.root)


def test_user_text_never_reaches_html_unescaped(app_with_case):
    app = app_with_case
    app.views["problem"].choice.value = "other"
    app.views["problem"].other.value = "<img src=x onerror=alert(1)>"
    app.stepper.buttons["goal"].click()
    html_values = []

    def collect(widget):
        if (
            hasattr(widget, "value")
            and isinstance(widget.value, str)
            and widget.__class__.__name__ == "HTML"
        ):
            html_values.append(widget.value)
        for child in getattr(widget, "children", ()):
            collect(child)

    collect(app.root)
    assert not any("<img src=x" in value for value in html_values)


def test_every_step_is_reachable_from_the_step_list(app_with_case):
    assert list(app_with_case.stepper.buttons) == list(step_ids())


def test_a_stale_window_does_not_overwrite_a_newer_save(make_app, clock, store):
    window_a = make_app("en")
    window_a.start.new_button.click()
    code = window_a.case.code
    window_b = make_app("en")
    window_b.start.code.value = code
    window_b.views["facts"].description.value = "typed in window B"
    clock.run_due()
    on_disk = store.path_for(code).read_bytes()
    window_a.language_switch.value = "zh"  # window A still shows the old case and saves it
    clock.run_due()
    assert store.path_for(code).read_bytes() == on_disk
    assert "另一个窗口" in window_a.savebar.status.value
    window_a.views[
        "goal"
    ].choice.value = "refund"  # and it keeps refusing, without touching the file
    clock.run_due()
    assert store.path_for(code).read_bytes() == on_disk
    assert store.load(code).description == "typed in window B"


def test_resuming_writes_nothing_until_something_changes(make_app, store):
    case = store.new_case("zh")
    store.save(case)
    before = store.path_for(case.code).read_bytes()
    app = make_app("en")
    app.start.code.value = case.code
    assert app.case.language == "en"
    assert store.path_for(case.code).read_bytes() == before
    payload = re.search(r"base64,([^\"]+)", app.savebar.download.value).group(1)
    assert base64.b64decode(payload) == before


def test_a_language_switch_keeps_what_was_typed_even_when_invalid(app_with_case):
    app = app_with_case
    app.views["facts"].amount.value = "200"
    app.views["facts"].amount.value = "abc"
    app.views["facts"].description.value = "字" * 2001
    app.language_switch.value = "zh"
    facts = app.views["facts"]
    assert facts.amount.value == "abc" and facts.description.value == "字" * 2001
    shown = " ".join(errors_shown(facts))
    assert "请输入数字金额" in shown and "最多 2000 个字符" in shown
    assert app.case.amount == Decimal("200")


def test_an_answer_for_other_is_cleared_when_other_is_no_longer_chosen(app_with_case):
    problem = app_with_case.views["problem"]
    problem.choice.value = "other"
    problem.other.value = "something hidden later"
    problem.choice.value = "account_locked"
    assert app_with_case.case.problem_other == "" and problem.other.value == ""
    facts = app_with_case.views["facts"]
    facts.provider.value = "other"
    facts.provider_other.value = "Example Pay"
    facts.provider.value = "paypal"
    assert app_with_case.case.provider_other == ""


def test_language_switches_do_not_pile_up_widgets(app_with_case):
    from ipywidgets.widgets.widget import _instances

    app_with_case.language_switch.value = "zh"
    app_with_case.language_switch.value = "en"
    before = len(_instances)
    for _ in range(5):
        app_with_case.language_switch.value = "zh"
        app_with_case.language_switch.value = "en"
    assert len(_instances) <= before


def test_an_unexpected_error_is_shown_not_swallowed(app_with_case, monkeypatch):
    def explode(_code):
        raise RuntimeError("bug")

    app = app_with_case
    monkeypatch.setattr(app.store, "path_for", explode)
    app.savebar.save_button.click()
    assert "Something went wrong" in app.savebar.status.value


def test_the_download_name_is_in_the_users_language(app_with_case):
    assert 'download="case-sheet-' in app_with_case.savebar.download.value
    app_with_case.language_switch.value = "zh"
    app_with_case.save_now()
    assert 'download="投诉记录表-' in app_with_case.savebar.download.value


def test_the_root_carries_the_language_for_the_page(app_with_case):
    assert "wb-lang-en" in app_with_case.root._dom_classes
    app_with_case.language_switch.value = "zh"
    assert (
        "wb-lang-zh" in app_with_case.root._dom_classes
        and "wb-lang-en" not in app_with_case.root._dom_classes
    )


def test_invalid_input_survives_two_language_switches_while_on_another_step(app_with_case):
    app = app_with_case
    app.views["facts"].amount.value = "12a"
    app.stepper.buttons["goal"].click()
    app.language_switch.value = "zh"
    app.language_switch.value = "en"
    app.stepper.buttons["facts"].click()
    assert app.views["facts"].amount.value == "12a"
    assert any("Type the amount as a number" in text for text in errors_shown(app.views["facts"]))


def test_a_new_case_builds_only_the_step_on_screen(app_with_case):
    assert list(app_with_case.views) == ["problem"]


def test_the_page_shows_the_root_widget_and_the_title_as_its_plain_text(make_app):
    app = make_app("en")
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.root.model_id
    assert bundle["text/plain"] == "Digital-wallet complaint workbook"
