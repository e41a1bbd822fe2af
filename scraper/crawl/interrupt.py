"""Extension: a crawl asked to stop (SIGINT, SIGTERM) ends within STOP_SECONDS, whatever it waits for.

Scrapy's graceful shutdown waits for the downloads in flight (a slow-drip page: up to
DOWNLOAD_TIMEOUT) and for the item stages to finish the pages they have (scraper/crawl/stage_process.py
gives them INTERRUPT_GRACE seconds, then kills the stage process). Should the crawl still run
STOP_SECONDS after the signal, this stops the reactor as a second Ctrl-C would: the `crawls` row
is completed as interrupted (scraper/crawl/log.py), what was stored stays.
"""
from __future__ import annotations

import logging
import time

from scrapy import signals
from twisted.internet import task

logger = logging.getLogger(__name__)

STOP_SECONDS = 7.0
WATCH_INTERVAL = 0.25


class AskedToStop:
    """Whether the crawl has been asked to stop: Scrapy's engine stops running before it closes the
    spider only then (CrawlerProcess's graceful shutdown); a crawl that finishes closes first."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.engine_ran = False

    def __call__(self) -> bool:
        engine = self.crawler.engine
        running = engine is not None and engine.running
        self.engine_ran = self.engine_ran or running
        return self.engine_ran and not running


class HardStop:
    def __init__(self, crawler):
        self.asked_to_stop = AskedToStop(crawler)
        self.asked_at = 0.0
        self.watch = task.LoopingCall(self.check)

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider) -> None:
        self.watch.start(WATCH_INTERVAL, now=False)

    def closed(self, spider, reason: str) -> None:
        if self.watch.running:
            self.watch.stop()

    def check(self) -> None:
        if not self.asked_at:
            self.asked_at = time.monotonic() if self.asked_to_stop() else 0.0
            return
        if time.monotonic() - self.asked_at > STOP_SECONDS:
            from twisted.internet import reactor

            logger.warning("the crawl did not stop within %g s of being asked to: stopped now", STOP_SECONDS)
            self.watch.stop()
            reactor.stop()
