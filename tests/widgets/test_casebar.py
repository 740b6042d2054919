"""The case bar and its panel, and the step menu: what a phone shows above a step (issue 15)."""

from complaint.steps import step_ids
from tests.widgets.test_steps import on_screen


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_a_new_case_shows_its_code_until_noted_then_keeps_it_one_tap_away(app_with_case):
    app = app_with_case
    bar, panel = app.case_panel, app.case_panel.panel
    assert shown(panel) and "wb-open" in panel._dom_classes and shown(bar.noted)
    assert not shown(bar.device) and not shown(bar.participant), (
        "a new case shows the code, not every control"
    )
    assert (
        app.savebar.status in bar.bar.children and app.savebar.save_button in bar.bar.children
    )  # the save state stays in view
    bar.noted.click()
    assert (
        not shown(panel)
        and "wb-open" not in panel._dom_classes
        and bar.toggle.description == "Code & downloads ▾"
    )
    bar.toggle.click()
    assert shown(panel) and shown(bar.device) and shown(bar.participant) and not shown(bar.noted)
    assert bar.toggle.description == "Hide ▴"
    app.language_switch.value = "zh"  # a re-render keeps it as the user left it
    assert app.case_panel.mode == "open" and app.case_panel.toggle.description == "收起 ▴"
    app.case_panel.toggle.click()
    app.language_switch.value = "en"
    assert not shown(app.case_panel.panel)


def test_a_case_opened_with_its_code_starts_with_the_panel_closed(make_app, app_with_case):
    other = make_app("en", resume_code=app_with_case.case.code)
    assert other.case_panel.mode == "closed" and not shown(other.case_panel.panel)
    assert "wb-code-value" in other.savebar.banner.value  # still on the page, for the page's script


def test_the_step_menu_jumps_and_follows_the_current_step(app_with_case):
    app = app_with_case
    menu = app.stepper.menu
    assert menu.value == "problem" and [value for _label, value in menu.options] == list(step_ids())
    assert menu.options[0][0] == f"1 of {len(step_ids())} · Problem"
    menu.value = "goal"
    assert app.current_step == "goal" and on_screen(app) == (app.views["goal"].widget,)
    app.stepper.next.click()
    assert menu.value == step_ids()[step_ids().index("goal") + 1] and app.current_step == menu.value
    app.stepper.buttons["security"].click()
    assert (
        menu.value == "security" and app.current_step == "security"
    )  # its own update never moves the user
