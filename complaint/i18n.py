"""Translations: one catalogue, one resolver, one fallback chain, for messages and content alike.

Each language is one flat JSON file of messages under data/i18n/ (``zh.json``, ``en.json``):
the languages are the files found there, so adding a language is adding a file
(docs/adding-a-language.md). Besides its messages, each file has a ``_locale`` block with what
differs between languages and is not a message: the language's name in itself, its HTML
``lang``, the tags that mean it, how it writes a date, its plural categories, its punctuation,
and the language it falls back to.

The fallback chain, the same for every lookup: the requested language, then the languages its
``fallback`` names in turn, then the default language (简体中文, ``zh``), which is complete
(``check()`` reports what a language lacks against it; a test keeps the shipped ones complete).
A message missing everywhere shows its key; a content text (an inline
``{"zh": ..., "en": ...}`` entry of data/content or data/jurisdictions) missing everywhere is
"". So a language that is new, partial or unknown never raises in front of a user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from urllib.parse import parse_qs

from .paths import I18N_DIR

DEFAULT_LANGUAGE = "zh"
#: The block of a language file that describes the language rather than holding messages.
LOCALE_KEY = "_locale"


@dataclass(frozen=True)
class Locale:
    """What a language file's ``_locale`` block says about its language."""

    code: str
    name: str  # in itself, as the language switch shows it: found by those who read it ("中文")
    full_name: str  # in itself, as the case sheet names it ("简体中文")
    html_lang: str  # the BCP 47 tag for <html lang> ("zh-Hans")
    aliases: tuple[str, ...]  # other tags that mean this language (?lang=zh-CN), lower case
    fallback: str | None  # the language to use where this one has no text
    long_date: str  # "{year}年{month}月{day}日", "{day} {month_name} {year}"
    month_names: tuple[str, ...]  # for {month_name}; empty when the format uses only numbers
    date_time: str  # a date with a time of day: "{date} {time}"
    plural_categories: tuple[str, ...]  # "one" when a count of 1 takes a message's "<key>.one" form
    clause_separator: str  # between clauses of one sentence: "；" / "; "
    sentence_end: str  # "。" / "."
    sentence_separator: str  # between sentences: "" / " "

    def format_long_date(self, day: date) -> str:
        month_name = self.month_names[day.month - 1] if self.month_names else ""
        return self.long_date.format(
            year=day.year, month=day.month, day=day.day, month_name=month_name
        )


@cache
def _read(language: str) -> dict:
    """A language file as read, once per process (callers never change it)."""
    with open(I18N_DIR / f"{language}.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def languages() -> tuple[str, ...]:
    """The languages there are files for, the default first, then by code."""
    found = sorted(path.stem for path in I18N_DIR.glob("*.json"))
    return tuple(sorted(found, key=lambda code: code != DEFAULT_LANGUAGE))


@cache
def locale(language: str) -> Locale:
    """The facts about a language; an unknown code gets the default language's. How it writes
    (dates, punctuation, plural categories) may be left out of its ``_locale`` block: then its
    fallback's is used, as for its messages. Its names, tags and fallback are its own."""
    if language not in languages():
        language = DEFAULT_LANGUAGE
    block = _read(language).get(LOCALE_KEY, {})
    inherited: dict = {}
    for code in reversed(fallback_chain(language)[1:]):
        inherited.update(_read(code).get(LOCALE_KEY, {}))
    writing = {**inherited, **block}
    dates, punctuation = writing.get("dates", {}), writing.get("punctuation", {})
    return Locale(
        code=language,
        name=block.get("name", language),
        full_name=block.get("full_name", block.get("name", language)),
        html_lang=block.get("html_lang", language),
        aliases=tuple(alias.lower() for alias in block.get("aliases", ())),
        fallback=block.get("fallback"),
        long_date=dates.get("long", "{year}-{month:02d}-{day:02d}"),
        month_names=tuple(dates.get("month_names", ())),
        date_time=dates.get("date_time", "{date} {time}"),
        plural_categories=tuple(writing.get("plural_categories", ("other",))),
        clause_separator=punctuation.get("clause_separator", "; "),
        sentence_end=punctuation.get("sentence_end", "."),
        sentence_separator=punctuation.get("sentence_separator", " "),
    )


def _declared_fallback(language: str) -> str | None:
    return _read(language).get(LOCALE_KEY, {}).get("fallback")


@cache
def fallback_chain(language: str) -> tuple[str, ...]:
    """The languages a lookup in ``language`` tries, in order; the default language comes last."""
    chain: list[str] = []
    code: str | None = language if language in languages() else DEFAULT_LANGUAGE
    while code and code not in chain and code in languages():
        chain.append(code)
        code = _declared_fallback(code)
    if DEFAULT_LANGUAGE not in chain:
        chain.append(DEFAULT_LANGUAGE)
    return tuple(chain)


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    tags = {}
    for code in languages():
        tags[code] = code
        tags.update((alias, code) for alias in locale(code).aliases)
    return tags


def normalise_language(value: str | None) -> str:
    """Map a user- or URL-supplied language tag to a language there is a file for, else Chinese."""
    if not value:
        return DEFAULT_LANGUAGE
    return _tags().get(value.strip().lower().replace("_", "-"), DEFAULT_LANGUAGE)


def query_parameters(query_string: str | None) -> dict[str, str]:
    """The first value of each parameter of a URL query string (Voilà passes it as QUERY_STRING)."""
    parsed = parse_qs(query_string or "", keep_blank_values=False)
    return {key: values[0] for key, values in parsed.items() if values}


@cache
def own_messages(language: str) -> dict[str, str]:
    """The messages one language's file holds itself (without its ``_locale`` block)."""
    return {key: text for key, text in _read(language).items() if key != LOCALE_KEY}


@cache
def messages(language: str) -> dict[str, str]:
    """Every message in ``language``, a gap filled along its fallback chain; read once per process."""
    merged: dict[str, str] = {}
    for code in reversed(fallback_chain(language)):
        merged.update(own_messages(code))
    return merged


def pick(texts, language: str):
    """Content's text in ``language`` from an inline ``{"zh": ..., "en": ...}`` entry, along the
    fallback chain; "" when none of its languages has one. A plain string is its own text."""
    if not isinstance(texts, dict):
        return texts or ""
    for code in fallback_chain(language):
        text = texts.get(code)
        if text:
            return text
    return ""


def long_date(day: date, language: str) -> str:
    """A date as people write it: 2026年12月10日 / 10 December 2026 (not the server's locale)."""
    return locale(language).format_long_date(day)


def clear_caches() -> None:
    """Forget what was read: after language files were added or changed while running."""
    for cached in (_read, languages, locale, fallback_chain, _tags, own_messages, messages):
        cached.cache_clear()


def check(reference: str = DEFAULT_LANGUAGE) -> dict[str, dict[str, list[str]]]:
    """Per language, the message keys it lacks (``missing``) and has beyond the reference
    (``extra``). A ``<key>.one`` form is neither, where the language has the "one" category
    and the reference has ``<key>``; empty lists for a complete language."""
    expected = set(own_messages(reference))
    report = {}
    for code in languages():
        if code == reference:
            continue
        keys = set(own_messages(code))
        plural_forms = {
            key for key in keys
            if key.endswith(".one") and "one" in locale(code).plural_categories and key.removesuffix(".one") in expected
        }  # fmt: skip
        report[code] = {
            "missing": sorted(expected - keys),
            "extra": sorted(keys - expected - plural_forms),
        }
    return report


#: The placeholder whose number picks a message's singular form (``<key>.one``), in this order.
_PLURAL_COUNTS = ("count", "actions", "days", "n", "total", "cases")


class Translator:
    """``t("key", name=...)`` looks a message up in one language and fills its placeholders."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = normalise_language(language)
        self.locale = locale(self.language)
        self._messages = messages(self.language)

    def __call__(self, key: str, **params: object) -> str:
        count = next((params[name] for name in _PLURAL_COUNTS if name in params), None)
        if (
            count == 1 and "one" in self.locale.plural_categories and f"{key}.one" in self._messages
        ):  # "1 action", not "1 actions"
            key = f"{key}.one"
        text = self._messages.get(
            key, key
        )  # never a traceback in front of a user: check() and tests catch the gap
        return text.format(**params) if params else text

    def pick(self, texts):
        """This language's text from an inline content entry (see ``pick``)."""
        return pick(texts, self.language)

    def long_date(self, day: date) -> str:
        return self.locale.format_long_date(day)


if (
    __name__ == "__main__"
):  # python -m complaint.i18n: what each language lacks or adds (docs/adding-a-language.md)
    print(json.dumps(check(), ensure_ascii=False, indent=2))
