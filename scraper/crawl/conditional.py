"""Downloader middleware: conditional requests, so an unchanged page costs a portal a bodiless 304.

Every 200 text answer (a page, feed, sitemap, robots.txt: documents are the attachment fetcher's,
which asks for them with validators of its own) with an ETag or a Last-Modified date is
remembered per URL in archive.db (`http_validators`); the next request for that URL sends If-None-Match / If-Modified-Since.
What reaches the downloader on a nightly crawl is listings, feeds, sitemaps and robots.txt (read
every night) and known articles due for their recheck (scraper/crawl/incremental.py skips the rest).

- A listing, feed or sitemap answered 304 is replayed from the body kept with its validators, so
  the spider still follows its links: an article whose fetch failed yesterday, or one due for its
  recheck, is still found behind an unchanged listing.
- An article (or a leaf page) answered 304 is unchanged: its `last_seen` is moved on and it counts
  as unchanged; no body of it is kept (the end of each run drops the bodies of URLs stored as
  articles or leaf pages). An article with attachments is asked for unconditionally: the links
  to its documents must be read for the documents to be rechecked.
- An article that a part of it asks for (page 2 read a night later: `meta["whole_article"]`,
  spiders/portal.py) is asked for unconditionally: it is read again with its new part.

The 304 itself goes to the WARC file as a `revisit` record (scraper/crawl/warc.py), not as a
second copy. Off with `--full` (fetch everything) or ARCHIWUM_CONDITIONAL = False.
Stats: `conditional/sent`, `conditional/not_modified`, `conditional/replayed`, `conditional/unchanged`
(articles), `conditional/unchanged_pages` (leaf pages).
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, TextResponse
from scrapy.responsetypes import responsetypes

from scraper.archive.db import connect, write_transaction
from scraper.crawl import health

FLUSH_EVERY = 200  # validators written per transaction
CONDITIONAL_HEADERS = (b"If-None-Match", b"If-Modified-Since")
# Headers that describe this transfer, not the resource: not kept for a replay.
TRANSFER_HEADERS = {b"Content-Length", b"Transfer-Encoding", b"Connection", b"Date", b"Keep-Alive"}
UPSERT_SQL = ("insert into http_validators (url, etag, last_modified, headers, body, checked_at) "
              "values (?, ?, ?, ?, ?, ?) on conflict(url) do update set etag = excluded.etag, "
              "last_modified = excluded.last_modified, headers = excluded.headers, body = excluded.body, "
              "checked_at = excluded.checked_at")
# An article with attachments is fetched whole: its page is where the spider finds their links,
# and they must be seen to be rechecked (scraper/attachments/fetch.py).
VALIDATORS_SQL = ("select v.etag, v.last_modified, v.body is not null, exists(select 1 from articles a "
                  "join attachments t on t.article_id = a.id where a.url = v.url) "
                  "from http_validators v where v.url = ?")
# After a run: what became an article or a leaf page needs no body to be replayed, only its
# validators (a 304 for it means unchanged; neither leads to new articles).
DROP_ARTICLE_BODIES_SQL = ("update http_validators set body = null, headers = null where body is not null "
                           "and url in (select url from articles union all select url from leaf_pages)")


class NotModified(IgnoreRequest):
    """A known article the portal says is unchanged: nothing to fetch, nothing to store again."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def kept_headers(headers: Headers) -> str:
    return json.dumps({name.decode("latin-1"): [v.decode("latin-1") for v in values]
                       for name, values in headers.items() if name not in TRANSFER_HEADERS})


class ConditionalRequests:
    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self.db = None
        self.pending: list[tuple] = []
        self.seen: list[tuple[str, str]] = []  # (last_seen, url) of articles answered 304

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ARCHIWUM_CONDITIONAL") or settings.getbool("ARCHIWUM_FULL"):
            raise NotConfigured
        if not settings.get("ARCHIWUM_DB"):  # a distributed worker: no archive to keep validators in
            raise NotConfigured
        middleware = cls(crawler, settings.get("ARCHIWUM_DB"))
        crawler.signals.connect(middleware.open, signal=signals.spider_opened)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def open(self) -> None:
        self.db = connect(self.db_path)

    def close(self) -> None:
        self.flush()
        with write_transaction(self.db):
            self.db.execute(DROP_ARTICLE_BODIES_SQL)
        self.db.conn.close()

    def process_request(self, request):
        # One indexed look-up per request, not a dict of every URL ever fetched in the crawl
        # process: most requests of a night are for pages fetched before, few in all.
        if request.meta.pop("conditional", None):  # ours, copied by a redirect to another URL: re-asked
            for header in CONDITIONAL_HEADERS:
                request.headers.pop(header, None)
        elif any(header in request.headers for header in CONDITIONAL_HEADERS):
            return None  # another part's own conditional request (an attachment's: scraper/attachments/)
        if request.meta.get("whole_article"):
            return None
        known = self.db.execute(VALIDATORS_SQL, [request.url]).fetchone() if request.method == "GET" else None
        if known is None:
            return None
        etag, date, kept, has_attachments = known
        if has_attachments and not kept:
            return None
        if etag:
            request.headers["If-None-Match"] = etag
        if date:
            request.headers["If-Modified-Since"] = date
        request.meta["conditional"] = "replay" if kept else "unchanged"
        self.stats.inc_value("conditional/sent")
        return None

    def process_response(self, request, response):
        if response.status == 304 and request.meta.get("conditional"):
            self.stats.inc_value("conditional/not_modified")
            return self.not_modified(request)
        if (response.status == 200 and isinstance(response, TextResponse)
                and (b"ETag" in response.headers or b"Last-Modified" in response.headers)):
            self.remember(request.url, response)
        return response

    def remember(self, url: str, response) -> None:
        etag = response.headers.get(b"ETag")
        date = response.headers.get(b"Last-Modified")
        etag, date = (value.decode("latin-1") if value else None for value in (etag, date))
        self.pending.append((url, etag, date, kept_headers(response.headers), zlib.compress(response.body, 1), now()))
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def not_modified(self, request):
        """The page as last received, for the spider; or, for an article, the end of its fetch."""
        if request.meta["conditional"] == "replay":
            row = self.db.execute("select headers, body from http_validators where url = ?", [request.url]).fetchone()
            if row and row[1] is not None:
                self.stats.inc_value("conditional/replayed")
                return self.replay(request, json.loads(row[0]), zlib.decompress(row[1]))
        self.seen.append((now(), request.url))
        if self.db.execute("select 1 from articles where url = ?", [request.url]).fetchone():
            self.stats.inc_value("conditional/unchanged")
            health.count(self.stats, request.meta.get("source"), "not_modified")
        else:  # a leaf page (contact, gallery): no article
            self.stats.inc_value("conditional/unchanged_pages")
        raise NotModified(f"not modified: {request.url}")

    @staticmethod
    def replay(request, headers: dict, body: bytes):
        headers = Headers(headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request, flags=["not_modified"])

    def flush(self) -> None:
        if not (self.pending or self.seen) or self.db is None:
            return
        try:
            with write_transaction(self.db):
                self.db.conn.executemany(UPSERT_SQL, self.pending)
                for table in ("articles", "leaf_pages"):
                    self.db.conn.executemany(f"update {table} set last_seen = ? where url = ?", self.seen)
        except sqlite3.OperationalError as error:  # the archive busy for too long: these validators wait
            self.crawler.spider.logger.warning("validators not saved yet: %s", error)
            return
        self.pending, self.seen = [], []
