"""Dedupe stage: one article reachable under several URLs is stored once.

- Identity: the registry's `id_pattern` (Gdańsk `,a,<id>`, Joomla `<id>-alias` on any subdomain)
  matched in the URL the page names as canonical or the one it was fetched under, else the
  canonical URL's path and query (see scraper/urls.py). So `/node/12` and `/aktualnosci/<slug>`
  naming the slug as canonical are one article. A canonical link to the portal's home or a start
  page is a template default, not an identity, and is ignored.
- Exact repeats inside one crawl fetched under the same URL are dropped. A repeat under another
  URL (an alias, or the same text under another URL of the same source) goes on to the store stage,
  which records the alias, so the next crawl does not fetch it, and adds no row: the store
  checks repeats against the archive (pipelines/store.py), which also catches them across
  nights and across distributed workers.
- Near-duplicates (the same news cross-posted by a city hall and its MOPS) are linked by the store
  stage, against the archive, where every article of a crawl arrives — also from every worker of
  a distributed crawl (pipelines/store.py).
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem

from scraper.archive.db import connect
from scraper.hashing import FingerprintSet, content_hash  # content_hash: the stage sets it; bench/ imports it from here
from scraper.urls import canonicalize, identity


def article_id(key: str) -> str:
    """Readable ids for portal ids (`gdansk:123`), short hashes for URL identities."""
    if re.fullmatch(r"[\w.-]+:\d+", key):
        return key
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def identity_key(item, source) -> str:
    """The article's identity on its portal (see the module docstring)."""
    if source is None:
        return item.article_key or item.canonical_url
    canonical = item.canonical_url
    portal_id = source.article_id(canonical) or source.article_id(item.url)
    return f"{source.id}:{portal_id or identity(canonical)}"


def trusted_canonical(item, source) -> str:
    """The page's canonical URL, unless it points at the portal's home or a start page."""
    canonical = canonicalize(item.canonical_url or item.url)
    if source is None or canonical == item.url:
        return canonical
    if urlsplit(canonical).path in ("", "/") or canonical in {canonicalize(u) for u in source.start_urls}:
        return item.url
    return canonical


def same_text(source: str, content_hash: str) -> str:
    """The same text on the same source: a repeat, whatever its URL."""
    return f"{source}\0{content_hash}"


class DedupePipeline:
    def __init__(self, db_path: str | None = None, stats=None, sources=(), restarted_since: str | None = None):
        self.db_path = db_path
        self.stats = stats
        self.sources = {s.id: s for s in sources}
        self.restarted_since = restarted_since
        # one member an article of the crawl: compact (scraper/hashing.py), a crawl may store millions
        self.ids_seen = FingerprintSet()
        self.urls_seen = FingerprintSet()  # the URLs the articles were fetched under
        self.texts_seen = FingerprintSet()  # `same_text` of each article: its source and content hash

    @classmethod
    def from_context(cls, context):
        return cls(context.db_path, context.stats, context.sources, context.restarted_since)

    def open_spider(self):
        if self.db_path and self.restarted_since:
            db = connect(self.db_path)
            self.recall_stored(db, self.restarted_since)
            db.conn.close()

    def recall_stored(self, db, since: str) -> None:
        """A chain restarted mid-crawl: the articles this crawl stored before are repeats too."""
        rows = db.execute("select id, source, content_hash, url from articles where last_seen >= ?", [since])
        for article_id, source, digest, url in rows:
            self.ids_seen.add(article_id)
            self.urls_seen.add(url)
            if digest:
                self.texts_seen.add(same_text(source, digest))

    def process_item(self, item):
        source = self.sources.get(item.source)
        item.canonical_url = trusted_canonical(item, source)
        item.id = article_id(identity_key(item, source))
        item.content_hash = content_hash(item.title, item.body)
        self.drop_if_repeated(item)
        return item

    def drop_if_repeated(self, item) -> None:
        """A repeat of an article of this crawl under the same URL is dropped; under another URL it
        goes on, and the store stage records that URL as an alias."""
        text = same_text(item.source, item.content_hash)
        if item.id in self.ids_seen or text in self.texts_seen:
            if item.url in self.urls_seen:
                self.count("dedupe/repeat_dropped")
                of = f"article {item.id}" if item.id in self.ids_seen else "an article with the same text"
                raise DropItem(f"duplicate (of {of}, stored in this crawl): {item.url}")
            self.urls_seen.add(item.url)
            self.count("dedupe/alias")
            return
        self.urls_seen.add(item.url)
        self.ids_seen.add(item.id)
        self.texts_seen.add(text)

    def count(self, key: str) -> None:
        if self.stats:
            self.stats.inc_value(key)
