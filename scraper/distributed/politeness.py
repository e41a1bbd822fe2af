"""Per-host politeness shared by every worker of a crawl: k workers load a portal as one process does.

Scrapy keeps its download delay and per-host concurrency in each process, so two workers used to
double the request rate on every portal (min gap 0.53 s -> 0.03 s). `SharedPoliteness`, a
downloader middleware of the workers, asks Redis before every download (one Lua script, so two
workers never both pass): a request to a host (Scrapy's download slot key) may start when

- the gap since the last start to that host, from any worker, is at least the host's delay: the
  largest of DOWNLOAD_DELAY, the host's DOWNLOAD_SLOTS delay, the worker's AutoThrottle delay for
  that slot and the Crawl-delay of the host's robots.txt; and
- fewer than CONCURRENT_REQUESTS_PER_DOMAIN requests to that host are in flight in all workers.

Otherwise it waits (without holding the reactor) and asks again. A request in flight holds its
place until its response or error, or DOWNLOAD_TIMEOUT + 10 s if its worker dies. Workers run with
DOWNLOAD_DELAY_JITTER = 0: the shared gap is then the least gap, where one process's randomised
delay lets gaps fall to half the delay.
"""
from __future__ import annotations

import os
import socket

import redis
from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater

from scraper.distributed.frontier import Keys

GATE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return -1 end
local next_start = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < next_start then return next_start - now end
local gap = tonumber(ARGV[1])
redis.call('SET', KEYS[1], now + gap, 'PX', gap + 60000)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
return 0
"""
BUSY_RETRY_S = 0.05  # how soon to ask again while the host has all the requests it may have
HOLD_MARGIN_S = 10.0


async def pause(seconds: float) -> None:
    """Wait without holding the reactor (imported here: importing it installs one, and the worker's
    modules are imported before Scrapy installs its own)."""
    from twisted.internet import reactor
    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class SharedPoliteness:
    def __init__(self, crawler, client: redis.Redis, keys: Keys):
        self.crawler = crawler
        self.redis = client
        self.keys = keys
        self.gate = client.register_script(GATE)
        settings = crawler.settings
        self.delay = settings.getfloat("DOWNLOAD_DELAY")
        self.slot_delays = settings.getdict("DOWNLOAD_SLOTS")
        self.concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.hold_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + HOLD_MARGIN_S) * 1000)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.holding: dict[int, tuple[str, str]] = {}  # id(request) -> (in-flight key, token)

    @classmethod
    def from_crawler(cls, crawler):
        client = redis.Redis.from_url(crawler.settings["REDIS_URL"])
        middleware = cls(crawler, client, Keys(crawler.settings["ARCHIWUM_CRAWL"]))
        crawler.signals.connect(middleware.release_all, signal=signals.spider_closed)
        return middleware

    async def process_request(self, request, spider=None):
        host = self.crawler.engine.downloader.get_slot_key(request)
        token = f"{self.worker}:{id(request)}"
        keys = [self.keys.polite(host), self.keys.inflight(host)]
        while True:
            gap_ms = int(self.gap(host, request) * 1000)
            wait_ms = self.gate(keys=keys, args=[gap_ms, self.concurrency, token, self.hold_ms])
            if wait_ms == 0:
                break
            self.crawler.stats.inc_value("politeness/waits")
            wait_s = BUSY_RETRY_S if wait_ms < 0 else wait_ms / 1000
            await pause(wait_s)
        self.holding[id(request)] = (keys[1], token)

    def process_response(self, request, response, spider=None):
        self.release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self.release(request)

    def release(self, request) -> None:
        held = self.holding.pop(id(request), None)
        if held:
            self.redis.zrem(*held)

    def release_all(self) -> None:
        for key, token in self.holding.values():
            self.redis.zrem(key, token)
        self.holding.clear()

    def gap(self, host: str, request) -> float:
        """The least time between two request starts to this host (see the module docstring)."""
        slot = self.crawler.engine.downloader.slots.get(host)
        configured = self.slot_delays.get(host, {}).get("delay", 0.0)  # DOWNLOAD_SLOTS
        crawl_delay = self.robots_crawl_delay(request)
        return max(self.delay, configured, slot.delay if slot else 0.0, crawl_delay or 0.0)

    def robots_crawl_delay(self, request) -> float | None:
        """What the host's robots.txt asks, once parsed (scraper/crawl/robots.py)."""
        robots = next((m for m in self.crawler.engine.downloader.middleware.middlewares
                       if hasattr(m, "crawl_delay")), None)
        return robots.crawl_delay(urlparse_cached(request).netloc) if robots else None
