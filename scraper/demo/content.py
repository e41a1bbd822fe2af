"""Load the articles of a replica from `content/<name>.toml` as plain dicts (NFC text).

An article dict: `key` (id or slug), `title`, `paragraphs`, optional `published` / `updated`
(TOML dates or local date-times), `author`, `topic`, `views`, `attachments` ([{title, file, size}])
and template-specific fields documented in each template module.
"""
from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from pathlib import Path

CONTENT_DIR = Path(__file__).with_name("content")
REQUIRED_FIELDS = ("key", "title", "paragraphs")


@cache
def _load(name: str) -> tuple[dict, ...]:
    data = tomllib.loads((CONTENT_DIR / f"{name}.toml").read_text("utf-8"))
    articles = tuple(_nfc(article) for article in data["article"])
    for article in articles:
        missing = [f for f in REQUIRED_FIELDS if not article.get(f)]
        if missing:
            raise ValueError(f"{name}.toml: article {article.get('key')!r} lacks {missing}")
    return articles


def load_articles(name: str) -> list[dict]:
    """A fresh list of the articles (callers may not mutate the cached copies' nesting)."""
    return [dict(article) for article in _load(name)]


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value
