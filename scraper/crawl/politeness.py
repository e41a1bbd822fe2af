"""Downloader middleware: the two pacing requests of a small server that Scrapy does not obey itself.

- `Crawl-delay` in robots.txt: the host's downloader slot never waits less than that between two
  requests (AutoThrottle may slow down further, never below it).
- `Retry-After` on a 429 or 503: the host gets nothing, retries included, until that time.

Both are capped (a Crawl-delay of an hour would stall a portal's crawl for weeks; the crawl's
page budget and the next night remain). Stats: `politeness/crawl_delay_hosts`, `politeness/retry_after`.
"""
from __future__ import annotations

from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from time import monotonic

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

MAX_CRAWL_DELAY = 60.0  # seconds
MAX_RETRY_AFTER = 300.0  # seconds
BUSY_STATUSES = (429, 503)
SOME_DELAY = 0.001  # Scrapy's downloader only holds a slot back when the slot has a delay


def retry_after_seconds(value: bytes | None) -> float | None:
    """Retry-After as seconds from now: `120` or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class Politeness:
    def __init__(self, crawler):
        self.crawler = crawler
        self.robots: RobotsTxtMiddleware | None = None
        self.floors: dict[str, float] = {}  # download slot -> Crawl-delay
        self.not_before: dict[str, float] = {}  # download slot -> monotonic time of a Retry-After
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.opened, signal=signals.spider_opened)
        return middleware

    def opened(self) -> None:
        downloader = self.crawler.engine.downloader
        self.robots = next((m for m in downloader.middleware.middlewares if isinstance(m, RobotsTxtMiddleware)), None)
        # Connected now, after AutoThrottle's handler, so a Crawl-delay is restored after each adjustment.
        self.crawler.signals.connect(self.pace, signal=signals.response_downloaded)
        self.crawler.signals.connect(self.pace, signal=signals.request_reached_downloader)

    def slot_key(self, request) -> str:
        return self.crawler.engine.downloader.get_slot_key(request)

    async def process_request(self, request):
        if self.robots is None or request.meta.get("dont_obey_robotstxt"):
            return None
        parser = await self.robots.robot_parser(request)  # already fetched: the robots.txt middleware asked first
        delay = parser.crawl_delay(self.user_agent) if parser else None
        key = self.slot_key(request)
        if delay and key not in self.floors:
            self.floors[key] = min(float(delay), MAX_CRAWL_DELAY)
            self.crawler.stats.inc_value("politeness/crawl_delay_hosts")
        return None

    def process_response(self, request, response):
        if response.status in BUSY_STATUSES:
            seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
            if seconds:
                self.not_before[self.slot_key(request)] = monotonic() + min(seconds, MAX_RETRY_AFTER)
                self.crawler.stats.inc_value("politeness/retry_after")
        return response

    def pace(self, request, spider, response=None) -> None:
        key = request.meta.get("download_slot")
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is None:
            return
        floor = self.floors.get(key)
        if floor and slot.delay < floor:
            slot.delay, slot.jitter = floor, 0.0  # no random shortening below the host's wish
        wait_until = self.not_before.get(key)
        if wait_until and wait_until > monotonic():
            slot.delay = slot.delay or SOME_DELAY
            slot.lastseen = max(slot.lastseen, wait_until)
