"""Spider middleware: an incremental crawl fetches only what is new, by a registry policy.

Article URLs already in archive.db (and the other URLs they were fetched under, `article_aliases`)
and seen within `ARCHIWUM_RECHECK_DAYS` (default 30) are not
requested again; older ones are re-fetched, so an edited article is caught within that window
and its earlier version kept. Listings, feeds, sitemaps and start pages are not articles in the
archive, so they are always re-read and new articles found; pagination URLs and start pages are
re-read even if one was stored as an article, and so is an article that a part of it read in this
crawl (page 2, a summary tab: `meta["whole_article"]`, spiders/portal.py) asks for. `ARCHIWUM_FULL = True`
(`archiwum crawl --full`) fetches everything.

Filtering happens before scheduling, so a skip costs no request and is no error; skips are
counted in `incremental/skipped` (reported as unchanged articles), rechecks in
`incremental/rechecked`.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from scraper.crawl import health
from scraper.urls import canonicalize

LEAF = "page:"  # known leaf pages are keyed apart from article ids
# Pagination is always re-read, even if a listing page was once stored as an article: skipping
# it would hide every new article behind it.
PAGINATION = re.compile(
    r"[?&](page|strona|start|limitstart|offset|p)=\d+|/(page|strona)/\d+", re.IGNORECASE)


def read_known_articles(db_path: str | Path, seen_since: str) -> dict[str, tuple[str, bool]]:
    """Canonical URL, and article id, → (article id, whether it was seen since `seen_since`, an
    ISO 8601 time). Ids matter where a portal serves one article under several URLs or hosts."""
    if not Path(db_path).is_file():
        return {}
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute("select url, id, last_seen >= ? from articles where url is not null",
                            [seen_since]).fetchall()
    except sqlite3.OperationalError:  # an archive without articles yet
        return {}
    finally:
        conn.close()
    known = {key: (article_id, bool(fresh)) for url, article_id, fresh in rows
             for key in (canonicalize(url), article_id)}
    return read_aliases(db_path, seen_since) | known | read_leaf_pages(db_path, seen_since)


def read_aliases(db_path: str | Path, seen_since: str) -> dict[str, tuple[str, bool]]:
    """The other URLs known articles were fetched under (`/node/12` for `/aktualnosci/<slug>`)."""
    return read_rows(db_path, "select alias.url, alias.article_id, article.last_seen >= ? from article_aliases "
                              "alias join articles article on article.id = alias.article_id", [seen_since])


def read_rows(db_path: str | Path, sql: str, parameters: list) -> dict[str, tuple[str, bool]]:
    """Canonical URL → (key, fresh) from a query of (url, key, fresh); {} for a table not there yet."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute(sql, parameters).fetchall()
    except sqlite3.OperationalError:  # an archive from before the table was kept
        return {}
    finally:
        conn.close()
    return {canonicalize(url): (key, bool(fresh)) for url, key, fresh in rows}


def read_leaf_pages(db_path: str | Path, seen_since: str) -> dict[str, tuple[str, bool]]:
    """Pages that are no articles and lead to none (contact, galleries ...), by canonical URL."""
    return read_rows(db_path, "select url, ? || url, last_seen >= ? from leaf_pages", [LEAF, seen_since])


class IncrementalMiddleware(BaseSpiderMiddleware):
    """Drop requests for known, recently seen articles."""

    def __init__(self, crawler, db_path: str, recheck_days: float):
        super().__init__(crawler)
        self.db_path = db_path
        self.recheck_days = recheck_days
        self.known: dict[str, tuple[str, bool]] = {}
        self.counted: set[str] = set()
        self.sources: dict = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if settings.getbool("ARCHIWUM_FULL") or not settings.getbool("ARCHIWUM_INCREMENTAL"):
            raise NotConfigured
        middleware = cls(crawler, settings.get("ARCHIWUM_DB"), settings.getfloat("ARCHIWUM_RECHECK_DAYS"))
        crawler.signals.connect(middleware.load, signal=signals.spider_opened)
        return middleware

    def load(self, spider=None) -> None:
        self.sources = {s.id: s for s in getattr(spider, "sources", [])}
        since = datetime.now(timezone.utc) - timedelta(days=self.recheck_days)
        self.known = self.read_known(since.isoformat(timespec="seconds"))
        self.crawler.stats.set_value("incremental/known", len({k for k, _ in self.known.values()}))

    def read_known(self, seen_since: str) -> dict[str, tuple[str, bool]]:
        """What the archive knows (a distributed worker reads it from Redis instead)."""
        return read_known_articles(self.db_path, seen_since)

    def get_processed_request(self, request, response):
        # start pages, listings, change registers carrying their page (which must not be lost), and
        # an article a part of it asks for
        if (response is None or PAGINATION.search(request.url) or request.meta.get("carries_page")
                or request.meta.get("whole_article")):
            return request
        url = canonicalize(request.url)
        known = self.known.get(url) or self.known.get(self.article_id(request, url))
        if known is None:
            return request
        key, fresh = known
        if key not in self.counted:
            self.counted.add(key)
            self.count(key, fresh, request)
        return None if fresh else request

    def count(self, key: str, fresh: bool, request) -> None:
        kind = "pages" if key.startswith(LEAF) else "skipped"
        self.crawler.stats.inc_value(f"incremental/{kind}" if fresh else "incremental/rechecked")
        if fresh and kind == "skipped":
            health.count(self.crawler.stats, request.meta.get("source"), "skipped")

    def article_id(self, request, url: str) -> str | None:
        """The archive id of the article this URL shows, where the registry can tell it."""
        source = self.sources.get(request.meta.get("source"))
        portal_id = source.article_id(url) if source else None
        return f"{source.id}:{portal_id}" if portal_id else None
