"""Every user-visible string exists in both languages, and every key the code uses exists."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from complaint.i18n import (
    Translator,
    check,
    languages,
    messages,
    normalise_language,
    own_messages,
    query_parameters,
)
from complaint.paths import I18N_DIR, PROJECT_ROOT

SOURCE_DIRS = ("complaint", "widgets")
# Literal message keys passed to a translator or carried by an error.
_KEY_USE = re.compile(
    r"""(?:\bt|self\.t|\.t|set_status|Input|Error|NotFound)\(\s*["']([a-z_]+\.[a-z_.]+)["']"""
)
# Keys built from a step name: f"step.{step}.title" and the like.
_STEP_KEY = re.compile(r"""step\.\{[^}]*\}\.([a-z_]+)""")


def used_keys() -> set[str]:
    from complaint.steps import step_ids

    keys: set[str] = set()
    for directory in SOURCE_DIRS:
        for path in (PROJECT_ROOT / directory).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            keys.update(_KEY_USE.findall(text))
            keys.update(
                f"step.{step}.{part}" for part in _STEP_KEY.findall(text) for step in step_ids()
            )
    return keys


def singular(key: str) -> bool:
    """An English singular form ("1 action"): Chinese has none and uses the base message."""
    return key.endswith(".one")


def test_both_languages_have_exactly_the_same_keys():
    zh, en = (
        own_messages("zh"),
        own_messages("en"),
    )  # their own files: messages() fills gaps from the fallback
    assert sorted(set(zh) - set(en)) == [], "keys missing in English"
    assert sorted(k for k in set(en) - set(zh) if not singular(k)) == [], "keys missing in Chinese"
    assert all(k.removesuffix(".one") in en for k in en if singular(k)), (
        "a singular form without its plural"
    )


@pytest.mark.parametrize("language", languages())
def test_no_message_is_empty_and_placeholders_match(language):
    zh, other = own_messages("zh"), own_messages(language)
    placeholder = re.compile(r"\{(\w+)\}")
    for key, text in other.items():
        assert text.strip(), f"{language}:{key} is empty"
        if singular(key):  # the number itself is written out ("1 action")
            assert set(placeholder.findall(text)) <= set(
                placeholder.findall(zh[key.removesuffix(".one")])
            ), key
            continue
        assert set(placeholder.findall(text)) == set(placeholder.findall(zh[key])), key


def test_english_counts_use_the_singular_for_one():
    t = Translator("en")
    assert t("review.audit", score=80, actions=1) == "Security check: 80 / 100, 1 action"
    assert t("review.audit", score=80, actions=2) == "Security check: 80 / 100, 2 actions"
    assert t("deadline.unit.calendar_days", count=1) == "calendar day"
    assert Translator("zh")("review.audit", score=80, actions=1).endswith("1 项")


def dynamic_keys() -> set[str]:
    """Keys the code builds at run time (f-strings), from the code's own lists of parts."""
    from complaint import progress, sheet, timeline
    from complaint.sheet.contacts import CONTACT_PARTS
    from complaint.sheet.evidence import FILE_PARTS

    return (
        {f"field.{spec.key}" for spec in sheet.FIELDS}
        | {f"contact.field.{part}" for part in CONTACT_PARTS}
        | {f"sheet.file.{part}" for part in FILE_PARTS}
        | {
            f"progress.{status}"
            for status in (progress.NOT_STARTED, progress.STARTED, progress.DONE)
        }
        | {f"save.{state}" for state in ("saved", "pending", "failed", "conflict", "not_yet")}
        | {f"password.score.{score}" for score in range(5)}
        | {f"audit.priority.{priority}" for priority in range(1, 5)}
        | {
            f"password.time.{unit}"
            for unit in ("instant", "second", "minute", "hour", "day", "month", "year", "centuries")
        }
        | dynamic_escalation_keys()
        | dynamic_trainer_keys()
        | {f"timeline.promise.{state}" for state in timeline.PROMISE_STATES}
    )


def dynamic_trainer_keys() -> set[str]:
    from complaint.escalation import RUNGS

    return (
        {f"trainer.rung.{rung}" for rung in ("none", *RUNGS)}
        | {f"trainer.filter.kind.{kind}" for kind in ("all", "real", "practice")}
        | {f"trainer.export.{kind}" for kind in ("combined", "zip", "table")}
        | {f"trainer.tab.{tab}" for tab in ("cases", "charts", "export", "cfpb")}
        | {
            f"trainer.column.{name}"
            for name in (
                "who",
                "problem",
                "provider",
                "progress",
                "evidence",
                "security",
                "ladder",
                "updated",
            )
        }
        | {
            f"cfpb.reason.{reason}"
            for reason in ("unreadable", "columns", "date", "complaint_id", "encoding")
        }
    )


def dynamic_escalation_keys() -> set[str]:
    from complaint.escalation import EVIDENCE_LEVELS, HANDLING_STAGES, jurisdictions
    from complaint.sheet.escalation import PERSONAL as _PERSONAL

    keys = {f"handling.stage.{stage}" for stage in HANDLING_STAGES} | {
        f"escalation.field.{name}" for name in _PERSONAL
    }
    keys |= {
        f"deadline.unit.{d.unit}" for j in jurisdictions().values() for d in j.deadlines.values()
    }
    keys |= {f"evidence.level.{level}" for level in EVIDENCE_LEVELS} | {
        "escalation.answer_by",
        "escalation.answer_by_forwarded",
    }
    keys |= {"ladder.reason.refused", "ladder.reason.partly_resolved"}
    keys |= {
        f"item.{item}"
        for j in jurisdictions().values()
        for b in j.bodies.values()
        for item in b.bring
    }
    keys |= {f"sheet.statement.{audience}" for audience in ("company", "regulator")}
    return keys


def test_every_key_the_code_uses_exists_in_every_language():
    keys = used_keys() | dynamic_keys()
    assert len(keys) > 40, "the key scan found too little: has the code's style changed?"
    for language in languages():
        missing = sorted(keys - set(own_messages(language)))
        assert missing == [], f"used but missing in {language}: {missing}"


def test_the_chinese_file_is_really_chinese_and_the_english_really_english():
    han = re.compile(r"[\u4e00-\u9fff]")
    zh, en = messages("zh"), messages("en")
    mostly_chinese = sum(bool(han.search(text)) for text in zh.values()) / len(zh)
    assert mostly_chinese > 0.9
    # English may quote a Chinese name (e.g. "JD Wallet (京东钱包)") but never be Chinese throughout.
    assert all(len(han.findall(text)) < 8 for text in en.values())


def test_files_are_plain_utf8_json_objects():
    for path in I18N_DIR.glob("*.json"):
        assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
    assert {p.stem for p in Path(I18N_DIR).glob("*.json")} == set(languages())


def test_language_tags_default_to_chinese():
    assert normalise_language(None) == "zh"
    assert normalise_language("") == "zh"
    assert normalise_language("EN") == "en"
    assert normalise_language("zh_CN") == "zh"
    assert normalise_language("fr") == "zh"
    assert normalise_language("<script>") == "zh"


def test_query_string_parameters():
    assert query_parameters("lang=en&case=ABCD-EFGH") == {"lang": "en", "case": "ABCD-EFGH"}
    assert query_parameters("") == {}
    assert query_parameters(None) == {}


def test_translator_fills_placeholders_and_never_raises_on_a_missing_key():
    t = Translator("en")
    assert t("save.saved", time="12:00") == "Saved (12:00)"
    assert Translator("zh")("save.saved", time="12:00") == "已保存（12:00）"
    assert t("no.such.key") == "no.such.key"
    assert t.pick({"zh": "中", "en": "E"}) == "E"


def test_chinese_text_uses_full_width_punctuation():
    """ASCII , : ? ; ! ( ) next to Chinese characters look wrong to Chinese readers."""
    import re

    from complaint.paths import CONTENT_DIR

    ascii_next_to_han = re.compile(r"[\u4e00-\u9fff][,:?;!()]|[,:?;!()][\u4e00-\u9fff]")
    texts = list(messages("zh").values())
    for path in [
        *CONTENT_DIR.glob("*.json"),
        *(CONTENT_DIR.parent / "jurisdictions").glob("*.json"),
    ]:
        texts.extend(
            t for _, pair in _zh_texts(json.loads(path.read_text(encoding="utf-8"))) for t in pair
        )
    offending = [text for text in texts if ascii_next_to_han.search(text)]
    assert offending == []


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _zh_texts(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "zh":
                yield key, list(_strings(value))
            else:
                yield from _zh_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _zh_texts(value)


def test_english_crack_times_and_meters_read_naturally_for_one():
    t = Translator("en")
    assert t("password.time.day", n=1) == "1 day" and t("password.time.day", n=3) == "3 days"
    assert t("evidence.meter", ready=1, total=1) == "1 of 1 item ready"
    assert t("audit.summary", score=90, actions=1).startswith(
        "Security score: 90 / 100 · 1 thing to do"
    )


def test_languages_are_the_files_found_default_first():
    assert languages() == ("zh", "en")
    assert (
        Translator("en").locale.name == "English"
        and Translator("zh").locale.full_name == "简体中文"
    )


def test_check_reports_nothing_missing_or_extra_in_the_shipped_languages():
    assert check() == {"en": {"missing": [], "extra": []}}


def _write_locale(folder, code, messages_, block):
    folder.joinpath(f"{code}.json").write_text(
        json.dumps({"_locale": block, **messages_}, ensure_ascii=False), encoding="utf-8"
    )


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    """An i18n folder of the test's own, with copies of the shipped languages."""
    from complaint import i18n

    for path in I18N_DIR.glob("*.json"):
        tmp_path.joinpath(path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    i18n.clear_caches()
    yield tmp_path
    monkeypatch.undo()
    i18n.clear_caches()


def test_check_names_what_a_partial_language_lacks_and_adds(locale_dir):
    from complaint import i18n

    _write_locale(
        locale_dir,
        "fr",
        {"app.title": "Cahier de réclamation", "fr.only": "x", "review.audit.one": "1"},
        {"name": "Français", "fallback": "en"},
    )
    _write_locale(
        locale_dir, "xx", {"review.audit.one": "1"}, {"name": "X"}
    )  # falls back to Chinese: no "one" category
    i18n.clear_caches()
    report = check()
    assert report["en"] == {"missing": [], "extra": []}
    assert "save.saved" in report["fr"]["missing"] and "app.title" not in report["fr"]["missing"]
    assert report["fr"]["extra"] == [
        "fr.only"
    ]  # its singular form is not extra: it has the category (from English)
    assert report["xx"]["extra"] == ["review.audit.one"] and len(report["xx"]["missing"]) == len(
        own_messages("zh")
    )


def test_one_fallback_chain_for_messages_and_content(locale_dir):
    from complaint import i18n

    _write_locale(
        locale_dir,
        "fr",
        {"app.title": "Cahier de réclamation"},
        {"name": "Français", "fallback": "en", "aliases": ["fr-FR"]},
    )
    _write_locale(locale_dir, "xx", {}, {"name": "X"})  # no fallback declared: the default language
    i18n.clear_caches()
    assert languages() == ("zh", "en", "fr", "xx")
    assert i18n.fallback_chain("fr") == ("fr", "en", "zh") and i18n.fallback_chain("xx") == (
        "xx",
        "zh",
    )
    assert i18n.fallback_chain("en") == ("en", "zh") and i18n.fallback_chain("no-such") == ("zh",)
    fr = Translator("fr-fr")
    assert fr.language == "fr" and fr("app.title") == "Cahier de réclamation"
    assert fr("save.saved", time="12:00") == "Saved (12:00)"  # from English, its declared fallback
    assert Translator("xx")("save.saved", time="12:00") == "已保存（12:00）"
    assert (
        fr.pick({"zh": "中", "en": "E"}) == "E"
        and fr.pick({"zh": "中", "en": "E", "fr": "F"}) == "F"
    )
    assert fr.pick({"zh": "中"}) == "中" and fr.pick({}) == "" and fr.pick("plain") == "plain"
    assert fr.pick({"zh": ["a"], "en": ["b"]}) == ["b"]  # lists (advice items) go the same way
    assert fr("no.such.key") == "no.such.key"
    # what its _locale block leaves out of how it writes comes from its fallback; its name never
    assert fr.long_date(date(2026, 12, 10)) == "10 December 2026" and fr.locale.html_lang == "fr"
    assert (
        Translator("xx").long_date(date(2026, 12, 10)) == "2026年12月10日"
        and Translator("xx").locale.full_name == "X"
    )


def test_per_language_facts_come_from_the_files():
    zh, en = Translator("zh"), Translator("en")
    assert (
        zh.long_date(date(2026, 12, 10)) == "2026年12月10日"
        and en.long_date(date(2026, 12, 10)) == "10 December 2026"
    )
    assert (zh.locale.html_lang, en.locale.html_lang) == ("zh-Hans", "en")
    assert zh.locale.sentence_end == "。" and en.locale.clause_separator == "; "
    assert normalise_language("zh-Hans") == "zh" and normalise_language("en-GB") == "en"
