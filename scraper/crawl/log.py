"""Extension: one row per crawl run in the `crawls` table, and a live progress line on a terminal.

The row is written when the run starts (status `running`), refreshed every
`ARCHIWUM_CRAWL_LOG_INTERVAL` seconds (so Datasette shows a crawl in progress and a killed one
keeps its last counts) and completed when the run ends. A run that died without closing its row
(kill -9, power loss) is marked `interrupted` by the next run.

The progress line (pages, articles, errors, pages/s) is drawn on stderr when it is a terminal;
`ARCHIWUM_PROGRESS = True/False` forces it on or off.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import time
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from scraper.crawl.health import mark_sources_interrupted, write_source_rows
from scraper.crawl.runner import lock_owner
from scraper.crawl.stats import crawl_outcome, errors_by_kind, unchanged_count
from scraper.archive.db import connect, write_transaction

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 1.0


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def counters(stats: dict) -> dict:
    """The crawls columns that follow the stats."""
    errors = errors_by_kind(stats)
    return {
        "pages_fetched": stats.get("response_received_count", 0),
        "articles_new": stats.get("store/new", 0),
        "articles_changed": stats.get("store/changed", 0),
        "articles_unchanged": unchanged_count(stats),
        "errors": json.dumps(errors, sort_keys=True),
        "error_count": sum(errors.values()),
        "stats": json.dumps(stats, default=str, sort_keys=True),
    }


def progress_line(row: dict, seconds: float) -> str:
    articles = row["articles_new"] + row["articles_changed"] + row["articles_unchanged"]
    rate = row["pages_fetched"] / seconds if seconds > 0 else 0.0
    return (
        f"{row['pages_fetched']} pages · {articles} articles ({row['articles_new']} new, "
        f"{row['articles_changed']} changed, {row['articles_unchanged']} unchanged) · "
        f"{row['error_count']} errors · {rate:.1f} pages/s"
    )


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def terminal_log_handlers() -> list[logging.Handler]:
    return [handler for handler in logging.getLogger().handlers
            if getattr(handler, "stream", None) is sys.stderr]


def clear_progress_line(record: logging.LogRecord) -> bool:
    """A log filter: a log line on the terminal first wipes the progress line (redrawn within 1 s)."""
    sys.stderr.write("\r\x1b[K")
    return True


def holds_writer_lock(db_path: str) -> bool:
    """Whether this process holds the archive's writer lock."""
    return lock_owner(db_path) == str(os.getpid())


class CrawlLog:
    """Keeps the run's `crawls` row and, on a terminal, the progress line."""

    def __init__(self, crawler, db_path: str, interval: float, progress: bool):
        self.crawler = crawler
        self.db_path = db_path
        self.interval = interval
        self.progress = progress
        self.db = None
        self.row_id = None
        self.sources: list[str] = []
        self.started = 0.0
        self.loops: list[task.LoopingCall] = []

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ARCHIWUM_CRAWL_LOG_ENABLED"):
            raise NotConfigured
        forced = settings.get("ARCHIWUM_PROGRESS")
        progress = sys.stderr.isatty() if forced in (None, "", "auto") else settings.getbool("ARCHIWUM_PROGRESS")
        extension = cls(crawler, settings.get("ARCHIWUM_DB"), settings.getfloat("ARCHIWUM_CRAWL_LOG_INTERVAL"), progress)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider) -> None:
        self.db = connect(self.db_path)
        self.mark_interrupted_runs()
        self.started = time.monotonic()
        self.sources = self.source_ids(spider)
        row = {"started_at": now(), "status": "running", "pid": os.getpid(),
               "sources": json.dumps(self.source_ids(spider))}
        with write_transaction(self.db):
            self.row_id = self.db["crawls"].insert(row | counters({})).last_pk
        self.crawler.stats.set_value("crawl/id", self.row_id)  # the page fates name their crawl
        self.start_loop(self.save, self.interval)
        from twisted.internet import reactor

        reactor.addSystemEventTrigger("before", "shutdown", self.cut_short)
        if self.progress:
            for handler in terminal_log_handlers():
                handler.addFilter(clear_progress_line)
            self.start_loop(self.draw, PROGRESS_INTERVAL)

    def start_loop(self, function, interval: float) -> None:
        loop = task.LoopingCall(function)
        loop.start(interval, now=False)
        self.loops.append(loop)

    @staticmethod
    def source_ids(spider) -> list[str]:
        return [source.id for source in getattr(spider, "sources", [])] or [spider.name]

    def mark_interrupted_runs(self) -> None:
        """Rows still `running` whose crawl is gone: all of them when this run holds the writer lock."""
        running = self.db.execute("select id, pid from crawls where status = 'running'").fetchall()
        alone = holds_writer_lock(self.db_path)
        dead = [crawl_id for crawl_id, pid in running if alone or not pid or not process_alive(pid)]
        with write_transaction(self.db):
            for crawl_id in dead:
                self.db["crawls"].update(crawl_id, {"status": "interrupted"})
                mark_sources_interrupted(self.db, crawl_id)  # issue 17

    def stats(self) -> dict:
        return self.crawler.stats.get_stats()

    def save(self) -> None:
        if self.db is None:
            return
        try:
            with write_transaction(self.db):
                self.db["crawls"].update(self.row_id, counters(self.stats()))
            write_source_rows(self.db, self.row_id, self.sources, self.stats(), None)  # issue 17
        except sqlite3.OperationalError as error:  # the archive busy past its timeout: refreshed next time
            logger.warning("the crawls row not refreshed: %s", error)

    def draw(self) -> None:
        line = progress_line(counters(self.stats()), time.monotonic() - self.started)
        sys.stderr.write(f"\r\x1b[K{line}")
        sys.stderr.flush()

    def closed(self, spider, reason: str) -> None:
        self.stop_drawing()
        self.finish(self.stats() | {"finish_reason": reason})

    def stop_drawing(self) -> None:
        for loop in self.loops:
            if loop.running:
                loop.stop()
        if self.progress:
            for handler in terminal_log_handlers():
                handler.removeFilter(clear_progress_line)
            self.draw()
            sys.stderr.write("\n")
            self.progress = False

    def cut_short(self) -> None:
        """The reactor stops before the spider closed (a second Ctrl-C, a crawl that did not stop in
        time): the row is completed as interrupted, not left `running`."""
        if self.db is not None:
            self.stop_drawing()
            self.finish(self.stats())

    def finish(self, stats: dict) -> None:
        outcome = crawl_outcome(stats)
        final = {"finished_at": now(), "finish_reason": stats.get("finish_reason"),
                 "exit_status": outcome.exit_status, "status": outcome.status}
        with write_transaction(self.db):
            self.db["crawls"].update(self.row_id, counters(stats) | final)
        write_source_rows(self.db, self.row_id, self.sources, stats, stats.get("finish_reason"))  # issue 17
        self.db.conn.close()
        self.db = None
