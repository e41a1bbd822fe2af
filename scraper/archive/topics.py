"""Social-policy topics of an article, from the lemma lexicon in scraper/archive/topics.toml."""
from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import compress
from pathlib import Path

from scraper.archive.search_index import index_terms

LEXICON = Path(__file__).with_name("topics.toml")


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict, list[str], dict[str, list[tuple[str, tuple[str, ...]]]]]:
    """Scoring, topic names in lexicon order, and (topic, phrase tokens) by first token."""
    data = tomllib.loads(LEXICON.read_text(encoding="utf-8"))
    by_first_token = defaultdict(list)
    for name, phrases in data["topics"].items():
        for phrase in phrases:
            tokens = index_terms(phrase)
            by_first_token[tokens[0]].append((name, tokens))
    return data["scoring"], list(data["topics"]), dict(by_first_token)


def _hits(text: str | None, by_first_token: dict) -> Counter:
    tokens = index_terms(text)
    hits = Counter()
    # Only where a phrase may start, picked in C: a register's 650,000 numbers cost no Python loop.
    for i in compress(range(len(tokens)), map(by_first_token.__contains__, tokens)):
        for name, phrase in by_first_token[tokens[i]]:
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                hits[name] += 1
    return hits


def assign(title: str | None, body: str) -> list[str]:
    """Topics whose lexicon phrases occur often enough, in lexicon order."""
    scoring, names, by_first_token = lexicon()
    title_hits, body_hits = _hits(title, by_first_token), _hits(body, by_first_token)
    return [name for name in names
            if title_hits[name] * scoring["title_weight"] + body_hits[name] >= scoring["min_score"]]
