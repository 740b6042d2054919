"""Practice scenarios from the participant's side: the start screen, a trainer's link, the banner."""

from complaint.scenarios import scenarios
from widgets.app import WorkbookApp, close_tree


def test_the_start_screen_offers_the_practice_cases(make_app, store):
    app = make_app("zh")
    assert not hasattr(
        app.start, "practice"
    )  # built when asked for: fewer models for every visitor
    app.start.practice_opener.click()
    assert app.start.practice_opener not in app.start.widget.children  # the form took its place
    assert len(app.start.practice.options) == len(scenarios())
    chosen = app.start.practice.options[2][1]
    app.start.practice.value = chosen
    app.start.practice_button.click()
    assert app.case.practice == chosen
    assert "练习案例（虚构）" in app.body.children[0].value
    assert (
        store.load(app.case.code).practice == app.case.practice
    )  # saved at once, marked as practice


def test_a_trainers_link_opens_a_fresh_practice_case_each_time(store, clock, monkeypatch):
    scenario_id = sorted(scenarios())[0]
    monkeypatch.setenv("QUERY_STRING", f"lang=en&scenario={scenario_id}")
    first = WorkbookApp.from_environment(store=store, call_later=clock.call_later)
    second = WorkbookApp.from_environment(store=store, call_later=clock.call_later)
    assert first.case.practice == second.case.practice == scenario_id
    assert first.case.code != second.case.code  # every participant gets a case of their own
    assert "This is a practice case (fictional)" in first.body.children[0].value
    close_tree(first.root)
    close_tree(second.root)


def test_an_unknown_scenario_says_so(make_app):
    app = make_app("en")
    app.start_practice("no-such-scenario")
    assert app.case is None and "practice case was not found" in app.start.message.value
