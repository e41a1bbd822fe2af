"""Once per archive: clean the rows stored before the crawl refused what they hold.

Since the security fix the clean stage stores only http(s) addresses and one-line fields without
bidi controls or invisible characters (scraper/urls.py, scraper/text.py). An archive crawled
before it may still hold, in old rows, a `javascript:`/`data:`/`vbscript:` article URL (a link
that would run in the archive's origin), such attachment URLs or metadata addresses, and titles
or authors like "\u202egpj.exe". This migration cleans them when the archive is opened
(scraper/archive/db.py), once: an address that is not http(s) is removed (an article's `url`
set to NULL, an attachment row deleted: the article and its text stay), a one-line field loses
its invisible characters, and every change is recorded in `repairs` with its reason (the
removed address's scheme, never its text). `migrations` says it ran.

Why a migration and not a command (`archiwum repair`): it finds the rows through the `url`
index and SQLite's own GLOB/LIKE, and reads no more than each row's start (titles, authors) and
its metadata: 12.5 s on a 1M-article archive (4.2 GB; URLs 0.2 s, metadata 7.2 s, one-line
fields 5.1 s, measured 3 Dec 2026 on the shared 2-core machine), paid once against a nightly
crawl's hours, and no operator has to know to run it. An archive already cleaned costs one
primary-key lookup per open.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlite_utils

from scraper.hashing import content_hash
from scraper.text import one_line
from scraper.urls import addresses_on_the_web, is_web_url

NAME = "unsafe-addresses-and-invisible-characters"
# INVISIBLE of scraper/text.py as a GLOB class: SQLite finds the rows, Python cleans them.
INVISIBLE_GLOB = "*[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]*"
ONE_LINE_FIELDS = {"articles": ("title", "author"), "attachments": ("title",),
                   "article_versions": ("title",)}
# Metadata is read only where an address field could hold one of these (the schemes that run).
RUNNABLE_SCHEMES = ("javascript:", "vbscript:", "data:")
WAIT_FOR_OTHER_MS = 10 * 60 * 1000
NOT_WEB = "not an http(s) address ({scheme}:)"
INVISIBLE = "bidi controls or invisible characters removed"


def ensure(db: sqlite_utils.Database) -> None:
    """Run the migration unless it ran: in one write transaction, so two processes opening the
    archive at once clean it once."""
    db["migrations"].create({"name": str, "applied_at": str, "changes": int}, pk="name",
                            if_not_exists=True)
    db["repairs"].create({"migration": str, "table_name": str, "row_key": str,
                          "column_name": str, "reason": str}, if_not_exists=True)
    if _done(db):
        return
    # A second process opening the archive meanwhile waits for the first to finish (a minute or
    # so at 1M articles on a cold disk), not the connection's usual 30 s.
    busy = db.execute("pragma busy_timeout").fetchone()[0]
    db.execute(f"pragma busy_timeout = {WAIT_FOR_OTHER_MS}")
    try:
        db.conn.execute("begin immediate")
    finally:
        db.execute(f"pragma busy_timeout = {busy}")
    try:
        if not _done(db):  # another process may have cleaned it while this one waited
            changes = _clean(db)
            db.execute("insert into migrations (name, applied_at, changes) values (?, ?, ?)",
                       [NAME, datetime.now(timezone.utc).isoformat(timespec="seconds"), changes])
        db.conn.commit()
    except BaseException:
        db.conn.rollback()
        raise


def _done(db: sqlite_utils.Database) -> bool:
    return db.execute("select 1 from migrations where name = ?", [NAME]).fetchone() is not None


def _clean(db: sqlite_utils.Database) -> int:
    """Clean every row, in this transaction (no sqlite-utils insert: it would commit)."""
    repairs = [*_article_urls(db), *_attachment_urls(db), *_metadata(db), *_one_line_fields(db)]
    db.conn.executemany("insert into repairs (migration, table_name, row_key, column_name, reason) "
                        "values (?, ?, ?, ?, ?)", [(NAME, *repair) for repair in repairs])
    return len(repairs)


def _scheme(url: str | None) -> str:
    return (url or "").strip().split(":", 1)[0].lower()[:20] if ":" in (url or "") else "none"


def _article_urls(db):
    # The url index holds every URL beside its rowid: no article row is read to find them
    # (an http(s) URL without a host is left: it is no link that runs anything).
    rows = db.execute("select rowid, url from articles indexed by idx_articles_url where "
                      "url is not null and not (url like 'http://_%' or url like 'https://_%')"
                      ).fetchall()
    for rowid, url in rows:
        if not is_web_url(url):
            article_id = db.execute("select id from articles where rowid = ?", [rowid]).fetchone()[0]
            db.execute("update articles set url = null where rowid = ?", [rowid])
            yield "articles", article_id, "url", NOT_WEB.format(scheme=_scheme(url))


def _attachment_urls(db):
    rows = db.execute("select rowid, article_id, url, title from attachments").fetchall()
    for rowid, article_id, url, title in rows:
        if not is_web_url(url):
            db.execute("delete from attachments where rowid = ?", [rowid])
            yield ("attachments", article_id, "url",
                   NOT_WEB.format(scheme=_scheme(url)) + f"; attachment „{one_line(title) or ''}”")


def _metadata(db):
    likes = " or ".join(f"metadata like '%{scheme}%'" for scheme in RUNNABLE_SCHEMES)
    for rowid, article_id, metadata in db.execute(
            f"select rowid, id, metadata from articles where {likes}").fetchall():
        try:
            meta = json.loads(metadata)
        except ValueError:
            continue
        if not isinstance(meta, dict):
            continue
        kept = addresses_on_the_web(meta)
        if kept != meta:
            db.execute("update articles set metadata = ? where rowid = ?",
                       [json.dumps(kept, ensure_ascii=False), rowid])
            for key in meta.keys() - kept.keys():
                yield "articles", article_id, f"metadata {key}", NOT_WEB.format(
                    scheme=_scheme(str(meta[key])))


def _one_line_fields(db):
    for table, columns in ONE_LINE_FIELDS.items():
        key = "id" if table == "articles" else "rowid"
        found = " or ".join(f"{column} glob :pattern" for column in columns)
        rows = db.execute(f"select rowid, {key} as key, {', '.join(columns)} from {table} "
                          f"where {found}", {"pattern": INVISIBLE_GLOB}).fetchall()
        for rowid, row_key, *values in rows:
            cleaned = {column: one_line(value) for column, value in zip(columns, values)
                       if value and one_line(value) != value}
            _update_one_line(db, table, rowid, cleaned)
            for column in cleaned:
                yield table, str(row_key), column, INVISIBLE


def _update_one_line(db, table: str, rowid: int, cleaned: dict) -> None:
    sets = ", ".join(f"{column} = :{column}" for column in cleaned)
    db.execute(f"update {table} set {sets} where rowid = :rowid", cleaned | {"rowid": rowid})
    if table == "articles" and "title" in cleaned:
        # The fingerprint follows the title, or the next crawl would count the article changed.
        title, body = db.execute("select title, body from articles where rowid = ?", [rowid]).fetchone()
        db.execute("update articles set content_hash = ? where rowid = ?",
                   [content_hash(title, body or ""), rowid])
