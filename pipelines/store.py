"""Store stage: upsert articles into archive.db, keeping every earlier version.

Each article is written in its own transaction, so a crawl killed at any moment leaves the
archive consistent; a second crawl updates rows instead of adding new ones. Counts what it did in
the stats keys `store/new`, `store/changed` and `store/unchanged`.
"""
from __future__ import annotations

import json

from scraper import search_index, topics
from scraper.db import connect
from scraper.registry import Source


# What a new fetch of an unchanged article updates: where and when it was seen, its counter, its
# update date (a BIP change register records changes, such as a new attachment, beside the text)
# and what the page and the registry say of it besides the text.
REFRESHED_WHEN_UNCHANGED = ("url", "views", "updated", "created", "gmina", "metadata", "last_seen",
                            "fetched_at", "warc_file", "warc_offset")
SPIDER_NOTES = ("link_rule",)  # Page.meta keys that are the crawler's, not the page's


class StorePipeline:
    def __init__(self, db_path: str, sources: list[Source] = (), stats=None):
        self.db_path = db_path
        self.sources = {s.id: s for s in sources}
        self.stats = stats
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("ARCHIWUM_DB"), stats=crawler.stats)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self):
        spider = getattr(getattr(self, "crawler", None), "spider", None)
        if spider is not None:
            self.sources = {s.id: s for s in spider.sources}
        self.db = connect(self.db_path)
        search_index.warm_up()  # the lemma table, built once per machine: before any download
        with self.db.conn:
            self.db["sources"].upsert_all([s.row() for s in self.sources.values()], pk="id")

    def close_spider(self):
        self.db.conn.close()

    def process_item(self, item):
        with self.db.conn:
            outcome = self.upsert(item)
            self.store_attachments(item)
        if self.stats:
            self.stats.inc_value(f"store/{outcome}")
        return item

    def upsert(self, item) -> str:
        articles = self.db["articles"]
        old = next(articles.rows_where("id = ?", [item.id], limit=1), None)
        row = self.row(item, first_seen=old["first_seen"] if old else item.fetched_at)
        if old and old["content_hash"] == item.content_hash:
            refreshed = {key: row[key] for key in REFRESHED_WHEN_UNCHANGED}
            refreshed["updated"] = row["updated"] or old["updated"]  # a register not read this time
            articles.update(item.id, refreshed)
            return "unchanged"
        if old:
            self.keep_version(old)
        articles.upsert(row, pk="id")
        return "changed" if old else "new"

    def keep_version(self, old: dict) -> None:
        self.db["article_versions"].upsert(
            {key: old[key] for key in ("title", "body", "content_hash", "fetched_at")}
            | {"article_id": old["id"]},
            pk=("article_id", "content_hash"),
        )

    def row(self, item, first_seen: str) -> dict:
        source = self.sources.get(item.source)
        return {
            "id": item.id, "url": item.canonical_url or item.url, "source": item.source,
            "title": item.title, "published": item.published, "updated": item.updated,
            "created": item.created, "author": item.author, "body": item.body, "fetched_at": item.fetched_at,
            "content_hash": item.content_hash, "views": item.views,
            "duplicate_of": item.duplicate_of,
            "city": source.city if source else None,
            "gmina": source.gmina if source else None,
            "voivodeship": source.voivodeship if source else None,
            "teryt": source.teryt if source else None,
            "topics": json.dumps(topics.assign(item.title, item.body), ensure_ascii=False),
            "metadata": page_metadata(item.meta),
            "first_seen": first_seen, "last_seen": item.fetched_at,
            "warc_file": (item.warc or {}).get("file"), "warc_offset": (item.warc or {}).get("offset"),
        } | search_index.row_extras(item.title, item.body)

    def store_attachments(self, item) -> None:
        rows = [{"article_id": item.id, "url": a["url"], "title": a.get("title"),
                 "type": a.get("type"), "size": a.get("size")} for a in item.attachments]
        if rows:
            self.db["attachments"].upsert_all(rows, pk=("article_id", "url"))


def page_metadata(meta: dict) -> str | None:
    """The fields the clean stage read from the page (BIP metryczka, OpenGraph, JSON-LD) as JSON."""
    fields = {key: value for key, value in meta.items() if key not in SPIDER_NOTES}
    return json.dumps(fields, ensure_ascii=False) if fields else None
