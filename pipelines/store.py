"""Store stage: upsert articles into archive.db, keeping every earlier version.

Before it writes, it checks the item against the archive: an exact repeat of a stored article
adds no row (its URLs become aliases), and a near-duplicate of an earlier article (the same news
cross-posted by a city hall and its MOPS) is linked to it through `duplicate_of`
(scraper/archive/near_duplicates.py) — here, where every article arrives, so a distributed crawl's
writer links the copies two workers fetched as one process would.

Each article is written in its own transaction, so a crawl killed at any moment leaves the
archive consistent; a second crawl updates rows instead of adding new ones. Counts what it did in
the stats keys `store/new`, `store/changed` and `store/unchanged`. A re-clean's better reading of
the same fetch (scraper/crawl/reclean.py) replaces the stored text in place. A print view of an
article (`item.alias_of`, pipelines/clean.py) is recorded as the article's alias, never stored as an
article; an article whose print view was stored before it in this crawl (`item.print_views`) takes
that row's place, and the print view's address becomes its alias. The statements are plain SQL
prepared once (sqlite-utils would look the table up again for every article).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache

from scrapy.exceptions import DropItem

from scraper.archive import search_index

from scraper.archive import topics
from scraper.archive.db import connect, write_transaction
from scraper.archive.near_duplicates import NearDuplicateIndex
from scraper.crawl import health
from scraper.hashing import FingerprintSet
from scraper.registry.sources import Source
from scraper.urls import is_web_url


# What a new fetch of an unchanged article updates: where and when it was seen, its counter, its
# update date (a BIP change register records changes, such as a new attachment, beside the text)
# and what the page and the registry say of it besides the text.
REFRESHED_WHEN_UNCHANGED = ("url", "views", "updated", "created", "gmina", "metadata", "last_seen",
                            "fetched_at", "warc_file", "warc_offset")
VERSION_COLUMNS = ("title", "body", "content_hash", "fetched_at")
OLD_COLUMNS = ("id", "first_seen", "updated", *VERSION_COLUMNS)
OLD_ROW_SQL = f"select {', '.join(OLD_COLUMNS)} from articles where id = ?"
SAME_ID_SQL = "select id, url, last_seen from articles where id = ?"
SAME_TEXT_SQL = "select id, url from articles where source = ? and content_hash = ? and id != ? limit 1"
REFRESH_SQL = f"update articles set {', '.join(f'{c} = ?' for c in REFRESHED_WHEN_UNCHANGED)} where id = ?"
# What a second reading of the same fetch replaces (scraper/crawl/reclean.py): what the clean and dates
# stages read from the page. Where and when it was fetched, and its near-duplicate link, stay.
REREAD_COLUMNS = ("title", "author", "body", "views", "published", "updated", "created", "date_source",
                  "content_hash", "topics", "metadata")
REREAD_SQL = (f"update articles set {', '.join(f'{c} = ?' for c in REREAD_COLUMNS)} "
              "where id = ? and fetched_at = ?")


@lru_cache(maxsize=16)
def upsert_sql(table: str, columns: tuple[str, ...], keys: tuple[str, ...]) -> str:
    """INSERT … ON CONFLICT DO UPDATE: what sqlite-utils' upsert runs, without its look-ups."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    return (f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
            f"on conflict({', '.join(keys)}) do update set {updates}")


class StorePipeline:
    def __init__(self, db_path: str, sources: list[Source] = (), stats=None, started_at: str | None = None):
        self.db_path = db_path
        self.sources = {s.id: s for s in sources}
        self.stats = stats
        self.db = None
        self.started = started_at or ""  # when this run began: rows last seen since were stored by it
        self.near = NearDuplicateIndex()
        self.stored_here = FingerprintSet()  # ids this run wrote (a print view's row is the article's later)

    @classmethod
    def from_context(cls, context):
        return cls(context.db_path, context.sources, stats=context.stats, started_at=context.started_at)

    def open_spider(self):
        self.started = self.started or datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.db = connect(self.db_path)
        search_index.warm_up()  # the lemma table, built once per machine: before any download
        with write_transaction(self.db):
            self.db["sources"].upsert_all([s.row() for s in self.sources.values()], pk="id")
        self.near.load(self.db)

    def close_spider(self):
        self.db.conn.close()

    def process_item(self, item):
        if not is_web_url(item.canonical_url or item.url):  # the spider and clean stage see to it
            raise DropItem(f"not an http(s) address: {item.canonical_url or item.url!r}")
        outcome, held_by = self.store(item)
        item.stored = f"repeat of article {held_by[0]}" if outcome == "repeat" else outcome
        if self.stats:
            self.stats.inc_value(f"store/{outcome}")
            health.count(self.stats, item.source, outcome)
        return item

    def store(self, item) -> tuple[str, tuple[str, str]]:
        """Write the item in one transaction, its checks against the archive included; (what it was,
        the stored article that holds it)."""
        with write_transaction(self.db):
            printed = self.printed_before(item)
            held_by = None if printed else self.repeat_of(item)
            if held_by:
                outcome = "repeat"
            else:
                self.link_near_duplicate(item)
                self.forget_print_views(item, printed - {item.id})
                outcome = self.upsert(item, in_place=item.id in printed)
                self.stored_here.add(item.id)
                self.store_attachments(item)
                held_by = (item.id, item.canonical_url or item.url)
            self.record_aliases(item, *held_by)
        return outcome, held_by

    def link_near_duplicate(self, item) -> None:
        """`duplicate_of`: an earlier article (of the archive, or of this run) with nearly the same text."""
        item.duplicate_of = self.near.original_of(item.id, item.body)
        if item.duplicate_of and self.stats:
            self.stats.inc_value("dedupe/near_duplicate")

    def repeat_of(self, item) -> tuple[str, str] | None:
        """(id, URL) of the stored article this item repeats, if it repeats one (see the docstring);
        a print view repeats its article whenever that was stored."""
        stored = self.db.conn.execute(SAME_ID_SQL, [item.id]).fetchone()
        if stored:
            article_id, url, last_seen = stored
            return (article_id, url) if (last_seen or "") >= self.started or item.alias_of else None
        return self.db.conn.execute(SAME_TEXT_SQL, [item.source, item.content_hash, item.id]).fetchone()

    def printed_before(self, item) -> set[str]:
        """The ids of the rows this crawl stored from the article's print views (under their own
        address, or under the article's, which a print view may name as canonical)."""
        if not item.print_views:
            return set()
        urls = [*item.print_views, item.canonical_url or item.url]
        rows = self.db.conn.execute(
            f"select id from articles where source = ? and url in ({', '.join('?' * len(urls))})", [item.source, *urls])
        return {article_id for (article_id,) in rows if article_id in self.stored_here}

    def forget_print_views(self, item, ids: set[str]) -> None:
        """Rows a print view was stored as in this crawl, before its article came: the article's now."""
        for article_id in ids:
            printed = self.db.conn.execute("select body from articles where id = ?", [article_id]).fetchone()
            self.near.hand_over(article_id, item.id, printed[0] or "")  # later copies of the text link to the article
            self.db.conn.execute("update articles set duplicate_of = ? where duplicate_of = ?", [item.id, article_id])
            self.db.conn.execute("delete from attachments where article_id = ?", [article_id])
            self.db.conn.execute("delete from articles where id = ?", [article_id])
            self.db.conn.execute("update article_aliases set article_id = ? where article_id = ?", [item.id, article_id])
        if item.duplicate_of in ids:
            item.duplicate_of = None

    def record_aliases(self, item, article_id: str, article_url: str) -> None:
        """The other URLs an article was fetched or named under (its print views' too), for the
        incremental filter."""
        for url in {item.url, item.canonical_url, *item.print_views} - {article_url, ""}:
            self.write("article_aliases", {"url": url, "article_id": article_id, "source": item.source,
                                           "last_seen": item.fetched_at}, ("url",))

    def upsert(self, item, in_place: bool = False) -> str:
        """new, changed or unchanged; `in_place`: the stored row is a print view's (or an alias's)
        reading of this crawl, replaced without keeping it as a version: a repeat of what was counted."""
        found = self.db.conn.execute(OLD_ROW_SQL, [item.id]).fetchone()
        old = dict(zip(OLD_COLUMNS, found)) if found else None
        if old and not in_place and old["content_hash"] == item.content_hash:
            # the text's columns (its topics: a pass over every word) are not even computed
            refreshed = self.seen_again(item)
            refreshed["updated"] = refreshed["updated"] or old["updated"]  # a register not read this time
            self.db.conn.execute(REFRESH_SQL, [*(refreshed[c] for c in REFRESHED_WHEN_UNCHANGED), item.id])
            return "unchanged"
        row = self.row(item, first_seen=old["first_seen"] if old else item.fetched_at)
        if in_place:  # the row was counted when its print view (or alias) stored it: one article, counted once
            self.write("articles", row, ("id",))
            return "repeat"
        if old:
            self.keep_version(old)
        self.write("articles", row, ("id",))
        return "changed" if old else "new"

    def replace_reading(self, item) -> bool:
        """Replace the stored text of the fetch this item was read from, in place: no version is kept,
        the search index follows through its triggers. False if the article was stored from
        another fetch since (or never stored: a repeat the dedupe stage dropped)."""
        row = self.row(item, first_seen=item.fetched_at)
        with write_transaction(self.db):
            replaced = self.db.conn.execute(
                REREAD_SQL, [row[c] for c in REREAD_COLUMNS] + [item.id, item.fetched_at]).rowcount
            if replaced:
                self.db.conn.execute("delete from attachments where article_id = ?", [item.id])
                self.store_attachments(item)
        return bool(replaced)

    def keep_version(self, old: dict) -> None:
        self.write("article_versions", {key: old[key] for key in VERSION_COLUMNS} | {"article_id": old["id"]},
                   ("article_id", "content_hash"))

    def write(self, table: str, row: dict, keys: tuple[str, ...]) -> None:
        self.db.conn.execute(upsert_sql(table, tuple(row), keys), list(row.values()))

    def row(self, item, first_seen: str) -> dict:
        source = self.sources.get(item.source)
        return {
            "id": item.id, "source": item.source,
            "title": item.title, "published": item.published,
            "date_source": item.date_source, "author": item.author, "body": item.body,
            "content_hash": item.content_hash,
            "duplicate_of": item.duplicate_of,
            "city": source.city if source else None,
            "voivodeship": source.voivodeship if source else None,
            "teryt": source.teryt if source else None,
            "topics": json.dumps(topics.assign(item.title, item.body), ensure_ascii=False),
            "first_seen": first_seen,
        } | self.seen_again(item) | search_index.row_extras(item.title, item.body)

    def seen_again(self, item) -> dict:
        """The columns of REFRESHED_WHEN_UNCHANGED: where, when and as what the article was fetched."""
        source = self.sources.get(item.source)
        return {
            "url": item.canonical_url or item.url, "views": sqlite_integer(item.views),
            "updated": item.updated, "created": item.created,
            "gmina": source.gmina if source else None,
            "metadata": page_metadata(item.metadata),
            "last_seen": item.fetched_at, "fetched_at": item.fetched_at,
            "warc_file": (item.warc or {}).get("file"), "warc_offset": (item.warc or {}).get("offset"),
        }

    def store_attachments(self, item) -> None:
        rows = [{"article_id": item.id, "url": a["url"], "title": a.get("title"),
                 "type": a.get("type"), "size": a.get("size")} for a in item.attachments
                if is_web_url(a["url"])]
        for row in rows:
            self.write("attachments", row, ("article_id", "url"))


def sqlite_integer(value: int | None) -> int | None:
    """SQLite keeps 64-bit integers; a counter beyond them (2**63 views) is no count at all."""
    return value if value is None or -(2**63) <= value < 2**63 else None


def page_metadata(metadata: dict) -> str | None:
    """The fields the clean stage read from the page (BIP metryczka, OpenGraph, JSON-LD) as JSON."""
    return json.dumps(metadata, ensure_ascii=False) if metadata else None
