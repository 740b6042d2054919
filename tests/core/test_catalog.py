"""Content is data: every entry has both languages, ids are unique, cross-references resolve."""

import json

import pytest

from complaint.catalog import load_catalog
from complaint.i18n import LANGUAGES
from complaint.paths import CONTENT_DIR

ARTICLE_PROBLEMS = {"funds_not_arriving", "account_locked", "slow_service", "privacy_security", "false_advertising"}


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
        assert set(texts) == set(LANGUAGES), f"{path.name} {where}: {sorted(texts)}"
        for language in LANGUAGES:
            value = texts[language]
            assert value and (all(line.strip() for line in value) if isinstance(value, list) else value.strip()), where
        if isinstance(texts["zh"], list):
            assert len(texts["zh"]) == len(texts["en"]), f"{where}: advice lists differ in length"


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
    assert {"refund", "unlock", "fix_technical", "correct_bill", "compensation", "explanation", "stop_ad", "other"} == set(catalog.ids("goals"))
    assert catalog.ids("currencies")[0] == "CNY"
    assert catalog.label("providers", "alipay", "zh") == "支付宝"
    assert catalog.label("providers", "nope", "zh") == ""
