"""Content is data: every entry has both languages, ids are unique, cross-references resolve."""

import json

import pytest

from complaint.catalog import load_catalog
from complaint.i18n import languages
from complaint.paths import CONTENT_DIR

ARTICLE_PROBLEMS = {
    "funds_not_arriving",
    "account_locked",
    "slow_service",
    "privacy_security",
    "false_advertising",
}


def line_shapes(lines: list) -> list[str]:
    return [
        type(line).__name__ + str(len(line) if isinstance(line, list) else bool(line))
        for line in lines
    ]


def bilingual_texts(node, path="$"):
    """Every {"zh": ..., "en": ...} pair in a JSON document, with where it is."""
    if isinstance(node, dict):
        if "zh" in node or "en" in node:
            yield path, node
        else:
            for key, value in node.items():
                yield from bilingual_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from bilingual_texts(value, f"{path}[{index}]")


@pytest.mark.parametrize("path", sorted(CONTENT_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_content_text_exists_in_both_languages(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    pairs = list(bilingual_texts(document))
    assert pairs, f"{path.name} has no texts?"
    for where, texts in pairs:
        # Content is written in Chinese and English; another language may add its own texts, and
        # where it has none the translator's fallback chain picks one (complaint.i18n.pick).
        assert {"zh", "en"} <= set(texts) <= set(languages()), (
            f"{path.name} {where}: {sorted(texts)}"
        )
        for language in texts:
            value = texts[language]
            if isinstance(value, str):
                assert value.strip(), where
            elif isinstance(value, dict):  # a group of snippets: same keys in both languages
                assert set(value) == set(texts["zh"]) and all(value.values()), where
            else:  # a list: advice items, or template lines ("" = a blank line; a list = parts)
                assert any(value), where
                if "statement" not in path.name:
                    assert all(isinstance(line, str) and line.strip() for line in value), where
        if isinstance(texts["zh"], list):
            assert len(texts["zh"]) == len(texts["en"]), f"{where}: lists differ in length"
            assert line_shapes(texts["zh"]) == line_shapes(texts["en"]), (
                f"{where}: lines differ in shape"
            )


def test_the_five_problems_of_the_article_plus_other():
    catalog = load_catalog()
    assert set(catalog.ids("problems")) == ARTICLE_PROBLEMS | {"other"}
    assert catalog.problem("funds_not_arriving").first_advice["zh"][0].startswith("先核对收款方")


def test_ids_are_unique_and_references_resolve():
    catalog = load_catalog()
    for family in ("problems", "goals", "providers", "currencies"):
        ids = catalog.ids(family)
        assert len(ids) == len(set(ids)), family
    goals = set(catalog.ids("goals"))
    for problem in catalog.problems:
        assert set(problem.suggested_goals) <= goals, problem.id


def test_required_choices_are_offered():
    catalog = load_catalog()
    assert {"jd", "alipay", "wechat_pay", "paypal", "other"} <= set(catalog.ids("providers"))
    assert {
        "refund",
        "unlock",
        "fix_technical",
        "correct_bill",
        "compensation",
        "explanation",
        "stop_ad",
        "other",
    } == set(catalog.ids("goals"))
    assert catalog.ids("currencies")[0] == "CNY"
    assert catalog.label("providers", "alipay", "zh") == "支付宝"
    assert catalog.label("providers", "nope", "zh") == ""


def test_evidence_and_channel_content_is_consistent():
    import string

    catalog = load_catalog()
    problems = set(catalog.ids("problems")) | {"*"}
    for item in catalog.evidence:
        assert set(item.problems) <= problems, item.id
    assert set(catalog.ids("evidence_statuses")) == {"have", "need", "na"}
    contact_channels = set(catalog.ids("contact_channels"))
    assert {
        "online_chat",
        "phone_hotline",
        "email",
        "app_ticket",
        "social_media",
        "in_person",
        "regulator",
    } == contact_channels
    assert set(catalog.ids("contact_outcomes")) == {
        "pending",
        "resolved",
        "partly_resolved",
        "refused",
        "no_response",
    }
    allowed = {"provider", "date", "amount", "transaction_id", "problem", "goal"}
    for channel in catalog.channels:
        assert set(channel.problems) <= problems and channel.contact_channel in contact_channels, (
            channel.id
        )
        for language in ("zh", "en"):
            names = {
                name
                for _, name, _, _ in string.Formatter().parse(channel.say_first[language])
                if name
            }
            assert names <= allowed, (channel.id, language, names)
            assert channel.prepare[language], channel.id
    for problem in catalog.ids(
        "problems"
    ):  # every problem gets a checklist and somewhere to turn, in every country
        assert catalog.evidence_for(problem)
        for jurisdiction in catalog.jurisdictions:
            channels = catalog.channels_for(problem, jurisdiction)
            assert channels[0].id == "official_online"
            assert any(channel.jurisdiction == jurisdiction for channel in channels), (
                problem,
                jurisdiction,
            )


def test_the_one_year_history_rule_is_cited_with_its_source():
    hint = next(item for item in load_catalog().evidence if item.id == "transaction_record").hint
    assert "43" in hint["zh"] and "43" in hint["en"]
