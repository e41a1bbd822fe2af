"""Social-policy topics of an article, from the lemma lexicon in scraper/topics.toml."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from scraper.search_index import index_text

LEXICON = Path(__file__).with_name("topics.toml")


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict, dict[str, re.Pattern]]:
    """Scoring and, per topic, one pattern of its phrases as whole index tokens."""
    data = tomllib.loads(LEXICON.read_text(encoding="utf-8"))
    topics = {name: re.compile(r"(?<= )(?:%s)(?= )" % "|".join(
                  re.escape(index_text(phrase)) for phrase in phrases))
              for name, phrases in data["topics"].items()}
    return data["scoring"], topics


def _hits(pattern: re.Pattern, text: str) -> int:
    return len(pattern.findall(text))


def assign(title: str | None, body: str) -> list[str]:
    """Topics whose lexicon phrases occur often enough, in lexicon order."""
    scoring, topics = lexicon()
    title_text, body_text = f" {index_text(title)} ", f" {index_text(body)} "
    return [name for name, pattern in topics.items()
            if _hits(pattern, title_text) * scoring["title_weight"] + _hits(pattern, body_text)
            >= scoring["min_score"]]
