"""Dedupe stage: one article reachable under several URLs is stored once; near-duplicates linked.

- Identity: the registry's `id_pattern` (Gdańsk `,a,<id>`, Joomla `<id>-alias` on any subdomain),
  else the page's URL without scheme and `www.` (see scraper/urls.py).
- Exact repeats inside one crawl (same identity, or same text under another URL of the same
  source) are dropped.
- Near-duplicates (the same news cross-posted by a city hall and its MOPS) are kept, each with its
  provenance, and linked through `duplicate_of` (scraper/archive/near_duplicates.py).
"""
from __future__ import annotations

import hashlib
import re

from scrapy.exceptions import DropItem

from scraper.archive.db import connect
from scraper.archive.near_duplicates import NearDuplicateIndex
from scraper.text import normalise_text


def content_hash(title: str | None, body: str) -> str:
    """A fingerprint of what a reader sees: counters, dates and whitespace excluded."""
    # Folded as the stored hashes were made: NFC, then every run of white space one space.
    return hashlib.sha256(normalise_text(f"{title or ''}\n{body}").casefold().encode()).hexdigest()


def article_id(key: str) -> str:
    """Readable ids for portal ids (`gdansk:123`), short hashes for URL identities."""
    if re.fullmatch(r"[\w.-]+:\d+", key):
        return key
    return hashlib.sha1(key.encode()).hexdigest()[:16]


class DedupePipeline:
    def __init__(self, db_path: str | None = None, stats=None):
        self.db_path = db_path
        self.stats = stats
        self.ids_seen: set[str] = set()
        self.hashes_seen: dict[str, set[bytes]] = {}  # source -> content hashes, as 32-byte digests
        self.near = NearDuplicateIndex()

    @classmethod
    def from_context(cls, context):
        return cls(context.db_path, context.stats)

    def open_spider(self):
        if self.db_path:
            self.near.load(connect(self.db_path))

    def process_item(self, item):
        item.id = article_id(item.article_key or item.canonical_url)
        item.content_hash = content_hash(item.title, item.body)
        self.drop_repeat(item)
        item.duplicate_of = self.near.original_of(item.id, item.body)
        if item.duplicate_of:
            self.count("dedupe/near_duplicate")
        return item

    def drop_repeat(self, item) -> None:
        same_text = bytes.fromhex(item.content_hash)
        texts_seen = self.hashes_seen.setdefault(item.source, set())
        if item.id in self.ids_seen or same_text in texts_seen:
            self.count("dedupe/repeat_dropped")
            raise DropItem(f"already archived in this crawl: {item.url}")
        self.ids_seen.add(item.id)
        texts_seen.add(same_text)

    def count(self, key: str) -> None:
        if self.stats:
            self.stats.inc_value(key)
