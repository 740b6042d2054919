"""A language is a data file: a pseudo-locale written by the test into its own data folder renders
the whole workbook, saves a case, reads the sheet back, writes the statement and prints the
record, with no code change (docs/adding-a-language.md)."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime

import pytest

from complaint import i18n
from complaint.printable import printable_html
from complaint.sheet import read_sheet
from complaint.statement import compose, samr_form_summary
from complaint.steps import step_ids
from tests.widgets.test_app import fill_all_steps
from tests.widgets.test_contacts import fill

_ACCENTS = str.maketrans("aceinorsuyACEINORSUY", "åçéîñöŕšûýÅÇÉÎÑÖŔŠÛÝ")
_PLAIN = re.compile(r"(\{[^}]*\}|<[^>]*>)")  # placeholders and markup stay as they are


def pseudo(text: str) -> str:
    """An accented, bracketed English: every pseudo text is recognisable on screen, and a text
    that is not bracketed did not come from the pseudo-locale."""
    parts = _PLAIN.split(text)
    return (
        "⟦"
        + "".join(part if _PLAIN.fullmatch(part) else part.translate(_ACCENTS) for part in parts)
        + "⟧"
    )


@pytest.fixture
def pseudo_locale(tmp_path, monkeypatch):
    """data/i18n copied to a folder of the test's own, plus qps.json made from en.json."""
    folder = tmp_path / "i18n"
    folder.mkdir()
    for path in i18n.I18N_DIR.glob("*.json"):
        folder.joinpath(path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    english = json.loads(folder.joinpath("en.json").read_text(encoding="utf-8"))
    block = english.pop(i18n.LOCALE_KEY)
    months = [pseudo(month) for month in block["dates"]["month_names"]]
    qps = {
        i18n.LOCALE_KEY: {
            "name": "Ƥšéûðö", "full_name": "Ƥšéûðö (ƥŀöç)", "html_lang": "qps-ploc", "aliases": ["qps-ploc"], "fallback": "en",
            "dates": {"long": "{day}·{month_name}·{year}", "month_names": months, "date_time": "{date} ⌚{time}"},
        },
        **{key: pseudo(text) for key, text in english.items()},
    }  # fmt: skip
    folder.joinpath("qps.json").write_text(json.dumps(qps, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(i18n, "I18N_DIR", folder)
    i18n.clear_caches()
    yield folder
    monkeypatch.undo()
    i18n.clear_caches()


def visit_every_step(app) -> None:
    for step in step_ids():
        app.stepper.buttons[step].click()
        assert app.views[step].widget.children, step


def shown_texts(widget) -> list[str]:
    """Every text a widget tree shows: HTML values, labels, button captions, option labels."""
    texts = [
        value
        for name in ("value", "description", "placeholder")
        if isinstance(value := getattr(widget, name, None), str)
    ]
    texts += list(getattr(widget, "_options_labels", ()))
    for child in getattr(widget, "children", ()):
        texts += shown_texts(child)
    return texts


def test_a_pseudo_locale_from_data_alone_runs_a_whole_case(
    pseudo_locale, make_app, clock, store, today
):
    assert i18n.languages() == ("zh", "en", "qps") and i18n.check()["qps"] == {
        "missing": [],
        "extra": [],
    }
    app = make_app("qps-PLOC")
    assert app.language == "qps" and pseudo("Digital-wallet complaint workbook") in html.unescape(
        app.title.value
    )
    assert ("Ƥšéûðö", "qps") in app.language_switch.options and app.language_switch.value == "qps"
    assert {"wb-lang-qps", "wb-html-lang-qps-ploc"} <= set(app.root._dom_classes)

    app.start.new_button.click()
    fill_all_steps(app)
    app.stepper.buttons["contacts"].click()
    contacts = app.views["contacts"]
    assert all(
        title.count("⟦") == 0 for title in contacts.guide.titles
    )  # content: English, by the fallback chain
    assert any("People's Bank of China" in title for title in contacts.guide.titles)
    contacts.add_button.click()
    fill(
        contacts.form,
        when=datetime(2026, 11, 22, 9, 30),
        channel="phone_hotline",
        agent="A-7",
        outcome="pending",
    )
    contacts.form.save.click()
    visit_every_step(app)
    texts = [text for view in app.views.values() for text in shown_texts(view.widget)]
    assert not [
        text for text in texts if "{'zh'" in text or "'en':" in text
    ]  # no content entry shown unresolved
    assert (
        sum("⟦" in text for text in texts) > 100
    )  # the workbook speaks the pseudo-locale throughout
    assert clock.run_due() >= 1 and pseudo("Saved (")[:-1] in html.unescape(
        app.savebar.status.value
    )
    saved = app.case
    english = i18n.own_messages("en")

    # The sheet: the language's own name, read back into the same case.
    data = store.path_for(saved.code).read_bytes()
    text = data.decode("utf-8-sig")
    assert "Ƥšéûðö (ƥŀöç)" in text and pseudo(english["sheet.key.case_id"]) in text
    answers = read_sheet(data)
    assert answers["language"] == "qps" and answers["description"] == saved.description
    again = make_app("qps")
    again.start.code.value = saved.code
    assert again.case == saved and again.language == "qps"

    # The statement and the 12315 summary: dates in the language's own format.
    letter = compose(saved, "company", "qps", today)
    assert f"20·{pseudo('November')}·2026" in letter and "1,280.00" in letter
    assert (
        f"22·{pseudo('November')}·2026 ⌚09:30" in letter
    )  # the contact, in its date-and-time form
    assert samr_form_summary(saved, "qps", today).strip()

    # The printable record, which the review also offers as a download.
    page = printable_html(saved, today)
    assert (
        page.startswith("<!DOCTYPE html><html lang='qps-ploc'>")
        and html.escape(pseudo(english["printable.title"])) in page
    )
    review = app.views["review"]
    assert "⟦" in review.summary.value


def test_a_language_file_with_only_its_name_falls_back_and_never_crashes(
    pseudo_locale, make_app, clock, store, today
):
    pseudo_locale.joinpath("fr.json").write_text(
        json.dumps(
            {
                "_locale": {"name": "Français", "fallback": "en"},
                "app.title": "Cahier de réclamation",
            }
        ),
        encoding="utf-8",
    )
    i18n.clear_caches()
    assert i18n.check()["fr"]["missing"] and i18n.languages() == ("zh", "en", "fr", "qps")
    app = make_app("fr")
    assert (
        "Cahier de réclamation" in app.title.value
        and ("Français", "fr") in app.language_switch.options
    )
    app.start.new_button.click()
    fill_all_steps(app)
    visit_every_step(app)
    clock.run_due()
    assert read_sheet(store.path_for(app.case.code).read_bytes())["language"] == "fr"
    assert "Saved (" in app.savebar.status.value  # English, its fallback, says so
    assert "20 November 2026" in compose(
        app.case, "company", "fr", today
    )  # writes dates as its fallback does
    assert "<html lang='fr'>" in printable_html(app.case, today)
    app.language_switch.value = "zh"  # and switching away from it works
    assert app.language == "zh" and "数字钱包投诉助手" in app.title.value
