"""Extension: every page that reaches the item stages ends with one recorded fate.

stored (new, changed, unchanged), not an article (kind), duplicate (of what), too slow, failed
(item_error/<Exception>), not processed (the crawl stopped first); and a page the spider could not
fetch: not fetched (http_404, DownloadTimeoutError, ...), sent by the spider as `page_not_fetched`. The fates are kept in the
`page_fates` table (one row per URL: its last crawl's fate), which `archiwum explain URL` reads,
each fate is counted (`fates/stored`, `fates/not_an_article`, ..., `fates/not_processed`),
and a page the crawl lost is counted as an error of the crawl, so the summary line, the `crawls`
row and the exit status say so (scraper/crawl/stats.py):

- a stage raised on it: `errors/item_error/<Exception>`;
- the stages did not finish it within ARCHIWUM_PAGE_TIME_LIMIT: `errors/page_too_slow`.

Works whichever way the stages run (scraper/crawl/stage_process.py, or Scrapy's item pipeline):
it listens to Scrapy's item signals. The table is written every ARCHIWUM_CRAWL_LOG_INTERVAL
seconds and at the end, when the crawl keeps a `crawls` row (ARCHIWUM_CRAWL_LOG_ENABLED).
"""
from __future__ import annotations

import logging
import re
import sqlite3
from datetime import datetime, timezone

from scrapy import signals
from twisted.internet import task

from scraper.archive.db import connect, write_transaction
from scraper.crawl.health import count

logger = logging.getLogger(__name__)

FATES_TABLE = "page_fates"
# Sent by the spider for a page it could not fetch (url, source, kind: http_404, DownloadTimeoutError...).
page_not_fetched = object()
TOO_SLOW = "page_too_slow"
# A drop's message: "<fate> (<detail>): <url>" or "<fate>: <why>" (pipelines/clean.py, dedupe.py,
# scraper/crawl/stage_process.py).
DROP = re.compile(r"(?P<fate>[^(:]+?)\s*(?:\((?P<detail>.*)\))?\s*(?::\s*(?P<rest>.*))?", re.DOTALL)


def error_kind(exception: BaseException) -> str:
    """`page_too_slow`, or `item_error/<Exception>` (the stage's exception, also from the stage process)."""
    name = getattr(exception, "kind", None) or type(exception).__name__
    return TOO_SLOW if name == "PageTooSlow" else f"item_error/{name}"


def dropped_fate(message: str) -> tuple[str, str]:
    match = DROP.fullmatch(message.strip())
    if not match:
        return "not stored", message
    rest = match["rest"] or ""
    detail = match["detail"] or ("" if rest.startswith(("http://", "https://")) else rest)
    return match["fate"], detail


def stored_detail(item) -> str:
    detail = getattr(item, "stored", "") or ""
    if getattr(item, "duplicate_of", None):
        detail += f", near-duplicate of article {item.duplicate_of}"
    return detail


class PageFates:
    def __init__(self, crawler, db_path: str | None, interval: float):
        self.crawler = crawler
        self.db_path = db_path
        self.interval = interval
        self.rows: list[dict] = []
        self.db = None
        self.loop = task.LoopingCall(self.save)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        keeps_log = settings.getbool("ARCHIWUM_CRAWL_LOG_ENABLED") and settings.get("ARCHIWUM_DB")
        extension = cls(crawler, settings.get("ARCHIWUM_DB") if keeps_log else None,
                        settings.getfloat("ARCHIWUM_CRAWL_LOG_INTERVAL"))
        crawler.signals.connect(extension.scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.failed, signal=signals.item_error)
        crawler.signals.connect(extension.not_fetched, signal=page_not_fetched)
        if extension.db_path:
            crawler.signals.connect(extension.opened, signal=signals.spider_opened)
            crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider) -> None:
        from twisted.internet import reactor

        self.db = connect(self.db_path)
        self.loop.start(self.interval, now=False)
        reactor.addSystemEventTrigger("before", "shutdown", self.close)  # a crawl cut short too

    def closed(self, spider, reason: str) -> None:
        self.close()

    def close(self) -> None:
        if self.loop.running:
            self.loop.stop()
        if self.db is not None:
            self.save()
            if self.rows:
                logger.error("%d page fates could not be saved in %s", len(self.rows), self.db_path)
            self.db.conn.close()
            self.db = None

    def scraped(self, item, response, spider) -> None:
        self.note(item, "stored", stored_detail(item))

    def dropped(self, item, response, exception, spider) -> None:
        self.note(item, *dropped_fate(str(exception)))

    def failed(self, item, response, spider, failure) -> None:
        kind = error_kind(failure.value)
        self.crawler.stats.inc_value(f"errors/{kind}")
        count(self.crawler.stats, getattr(item, "source", None), f"errors/{kind}")  # which portal broke
        self.note(item, "too slow" if kind == TOO_SLOW else "failed", kind)

    def not_fetched(self, url: str, source: str, kind: str) -> None:
        self.keep({"url": url, "source": source, "fate": "not fetched", "detail": kind,
                   "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})

    def note(self, item, fate: str, detail: str) -> None:
        self.crawler.stats.inc_value(f"fates/{fate.replace(' ', '_')}")
        if getattr(item, "url", None):
            self.keep({"url": item.url, "source": item.source, "fetched_at": item.fetched_at,
                       "fate": fate, "detail": detail})

    def keep(self, row: dict) -> None:
        """A fate for page_fates (a distributed worker sends it to the writer instead)."""
        if self.db_path:
            self.rows.append(row)

    def save(self) -> None:
        if not self.rows or self.db is None:
            return
        crawl_id = self.crawler.stats.get_value("crawl/id")
        try:
            with write_transaction(self.db):
                self.db[FATES_TABLE].upsert_all([row | {"crawl_id": crawl_id} for row in self.rows], pk="url")
        except sqlite3.OperationalError as error:  # the archive busy past its timeout: the fates wait
            logger.warning("%d page fates not saved yet: %s", len(self.rows), error)
            return
        self.rows = []
