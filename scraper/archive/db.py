"""archive.db: opening it safely and creating the schema (the contract in the README)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from scraper.archive import facet_counts

from scraper.archive import search_index
from scraper.archive import attachment_index
from scraper.archive import source_health
from scraper.archive import repairs
ARTICLE_COLUMNS = {
    "id": str,
    "url": str,
    "source": str,
    "title": str,
    "published": str,
    "updated": str,
    "created": str,
    "date_source": str,  # how the dates stage found published/updated/created (its evidence)
    "author": str,
    "body": str,
    "fetched_at": str,
    "content_hash": str,
    "city": str,
    "gmina": str,
    "voivodeship": str,
    "teryt": str,
    "views": int,
    "duplicate_of": str,
    "topics": str,
    "metadata": str,  # JSON object: what the page says of itself (metryczka, OpenGraph, JSON-LD)
    "first_seen": str,
    "last_seen": str,
    "warc_file": str,
    "warc_offset": int,
}

CRAWL_COLUMNS = {
    "id": int,
    "started_at": str,
    "finished_at": str,
    "status": str,  # running, finished, stopped, interrupted, failed
    "finish_reason": str,  # Scrapy's: finished, shutdown, closespider_*, ...
    "exit_status": int,  # what `archiwum crawl` exits with
    "sources": str,  # JSON array of source ids
    "pid": int,
    "pages_fetched": int,
    "articles_new": int,
    "articles_changed": int,
    "articles_unchanged": int,  # stored unchanged, or known and not fetched again
    "errors": str,  # JSON object: kind -> count
    "error_count": int,
    "stats": str,  # JSON: every Scrapy stat of the run
}

# What became of each page that reached the item stages, in the last crawl that fetched it
# (scraper/crawl/fates.py); `archiwum explain URL` reads it.
PAGE_FATE_COLUMNS = {
    "url": str,
    "source": str,
    "crawl_id": int,
    "fetched_at": str,
    "fate": str,  # stored, not an article, duplicate, too slow, failed, not processed, not fetched
    "detail": str,  # new / changed / unchanged, the page kind, the duplicate's original, the error kind
}

CRAWL_SOURCE_COLUMNS = {  # one row per source per run: which portal broke last night
    "crawl_id": int,
    "source": str,
    "pages": int,  # responses received for this source
    "articles_new": int,
    "articles_changed": int,
    "articles_unchanged": int,  # stored unchanged, known and not fetched again, or answered 304
    "errors": str,  # JSON object: kind -> count
    "error_count": int,
    "robots_forbidden": int,  # requests robots.txt forbade
    "budget_reached": int,  # 1 if the source's max_pages stopped it
    "ended": str,  # finished, page budget reached, blocked by robots.txt, nothing fetched, stopped (reason)
}

VALIDATOR_COLUMNS = {  # what a conditional request needs (scraper/crawl/conditional.py)
    "url": str,
    "etag": str,
    "last_modified": str,
    "headers": str,  # JSON: the response headers, to replay a listing answered 304
    "body": bytes,  # zlib: a listing, feed or sitemap kept to be replayed; null for articles
    "checked_at": str,
}

SOURCE_COLUMNS = {
    "id": str,
    "name": str,
    "kind": str,
    "city": str,
    "gmina": str,
    "voivodeship": str,
    "teryt": str,
    "home": str,
    "start_urls": str,
    "allowed_hosts": str,
}


class ArchiveError(Exception):
    """A database the user pointed us at cannot be used; the message says why."""


# How long a write waits for another connection's write transaction to end before it fails.
BUSY_TIMEOUT_S = 30


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open archive.db in WAL mode with the schema in place.

    Several processes write it at once (the crawl process its `crawls` row and page fates, the
    stage process the articles), so every write transaction takes the write lock when it begins
    (`write_transaction`; the implicit transactions Python opens before a write are IMMEDIATE
    too): one that began by reading could not wait for the lock, SQLite refuses it at once."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise ArchiveError(f"{path} is not a file")
    if not path.parent.exists():
        raise ArchiveError(f"directory {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level="IMMEDIATE")
        conn.execute("pragma journal_mode=wal")
        # In WAL mode NORMAL stays consistent after a kill -9 (only a power cut can lose the
        # last commits) and spares an fsync per article, which would block the crawler.
        conn.execute("pragma synchronous=normal")
        db = sqlite_utils.Database(conn)
        ensure_schema(db)
    except sqlite3.DatabaseError as error:
        raise ArchiveError(f"{path} is not a usable SQLite database ({error})") from None
    return db


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction, the write lock taken first (BEGIN IMMEDIATE), waiting for it up to
    BUSY_TIMEOUT_S. In WAL mode a transaction that reads before it writes (a SELECT of the caller, or
    SQLite's own: FTS5 reads its config table when a schema change made the statement be prepared
    again) holds a snapshot; its first write then fails at once with "database is locked" if another
    connection holds the lock or wrote since, whatever the busy timeout. Inside, sqlite-utils' own
    transactions become savepoints; on an exception everything is rolled back."""
    db.conn.execute("begin immediate")
    try:
        yield
        db.conn.commit()
    except BaseException:
        db.conn.rollback()
        raise


def add_missing_columns(table: sqlite_utils.db.Table, columns: dict) -> None:
    """Archives made by an earlier version get the columns added since."""
    existing = table.columns_dict
    for name, kind in columns.items():
        if name not in existing:
            table.add_column(name, kind)


# `verdicts`: the site template's verdicts the page was read with (scraper/crawl/reclean.py)
EARLY_PAGE_COLUMNS = {"url": str, "source": str, "page": str, "verdicts": str, "blocks": str}


def ensure_schema(db: sqlite_utils.Database) -> None:
    db["sources"].create(SOURCE_COLUMNS, pk="id", if_not_exists=True)
    db["articles"].create(ARTICLE_COLUMNS, pk="id", if_not_exists=True)
    add_missing_columns(db["articles"], ARTICLE_COLUMNS)
    for column in ("source", "published", "url", "duplicate_of", "city", "voivodeship"):
        db["articles"].create_index([column], if_not_exists=True)
    db["articles"].create_index(["source", "content_hash"], if_not_exists=True)  # repeats (store stage)
    db["article_aliases"].create({"url": str, "article_id": str, "source": str, "last_seen": str},
                                 pk="url", if_not_exists=True)
    db["attachments"].create(
        {"article_id": str, "url": str, "title": str, "type": str, "size": str},
        pk=("article_id", "url"),
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )
    db["article_versions"].create(
        {"article_id": str, "fetched_at": str, "title": str, "body": str, "content_hash": str},
        pk=("article_id", "content_hash"),
        if_not_exists=True,
    )
    db["crawls"].create(CRAWL_COLUMNS, pk="id", if_not_exists=True)
    db["crawl_sources"].create(CRAWL_SOURCE_COLUMNS, pk=("crawl_id", "source"), if_not_exists=True)
    db["http_validators"].create(VALIDATOR_COLUMNS, pk="url", if_not_exists=True)
    source_health.ensure_view(db)
    db["leaf_pages"].create({"url": str, "source": str, "kind": str, "last_seen": str},
                            pk="url", if_not_exists=True)
    db["warc_files"].create({"file": str, "host": str, "first_seen": str}, pk="file", if_not_exists=True)
    db["page_fates"].create(PAGE_FATE_COLUMNS, pk="url", if_not_exists=True)
    db["early_pages"].create(EARLY_PAGE_COLUMNS, pk="url", if_not_exists=True)
    add_missing_columns(db["early_pages"], EARLY_PAGE_COLUMNS)
    db["site_templates"].create(
        {"source": str, "data": str, "updated_at": str}, pk="source", if_not_exists=True
    )
    search_index.ensure_index(db)
    facet_counts.ensure(db)
    attachment_index.ensure(db)
    repairs.ensure(db)  # after the indexes and triggers it keeps current
