"""Translations: one flat JSON file of messages per language under data/i18n/.

简体中文 (``zh``) is the default. Every key must exist in every language; a test enforces it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import parse_qs

from .paths import I18N_DIR

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

_ALIASES = {"zh": "zh", "zh-cn": "zh", "zh-hans": "zh", "cn": "zh", "en": "en", "en-us": "en", "en-gb": "en"}


def normalise_language(value: str | None) -> str:
    """Map a user- or URL-supplied language tag to a supported language, defaulting to Chinese."""
    if not value:
        return DEFAULT_LANGUAGE
    return _ALIASES.get(value.strip().lower().replace("_", "-"), DEFAULT_LANGUAGE)


def query_parameters(query_string: str | None) -> dict[str, str]:
    """The first value of each parameter of a URL query string (Voilà passes it as QUERY_STRING)."""
    parsed = parse_qs(query_string or "", keep_blank_values=False)
    return {key: values[0] for key, values in parsed.items() if values}


@lru_cache(maxsize=None)
def messages(language: str) -> dict[str, str]:
    """All messages of one language, read once per process."""
    with open(I18N_DIR / f"{language}.json", encoding="utf-8") as handle:
        return json.load(handle)


#: The placeholder whose number picks a message's singular form (``<key>.one``), in this order.
_PLURAL_COUNTS = ("count", "actions", "days", "n", "total", "cases")


class Translator:
    """``t("key", name=...)`` looks a message up in one language and fills its placeholders."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = normalise_language(language)
        self._messages = messages(self.language)

    def __call__(self, key: str, **params: object) -> str:
        count = next((params[name] for name in _PLURAL_COUNTS if name in params), None)
        if count == 1 and f"{key}.one" in self._messages:  # English: "1 action", not "1 actions"
            key = f"{key}.one"
        text = self._messages.get(key)
        if text is None:  # never a traceback in front of a user: fall back, tests catch the gap
            text = messages("en").get(key, key)
        return text.format(**params) if params else text

    def pick(self, texts: dict[str, str]) -> str:
        """Choose this language's text from a bilingual ``{"zh": ..., "en": ...}`` content entry."""
        return texts.get(self.language) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), "")
