"""Distributed crawl: Scrapy workers share a Redis frontier (scrapy-redis); one writer owns archive.db.

    archiwum worker [SOURCE ...] --redis URL     # many, on one or many machines
    archiwum writer --db archive.db --redis URL  # exactly one per archive

Workers fetch, run the clean, dates and dedupe stages and push finished items to Redis; the writer
stores them with the store stage. Redis keys, under a crawl name (default "archiwum"):

    NAME:requests          sorted set: the frontier (scrapy-redis PriorityQueue encoding)
    NAME:dupefilter        set: fingerprints of every request ever queued (scrapy-redis RFPDupeFilter)
    NAME:workers           sorted set: worker id -> last heartbeat (Redis server time)
    NAME:lease:WORKER      hash: requests a worker has taken and not finished -> their score
    NAME:items             list: finished items (JSON), oldest at the right
    NAME:items:processing  list: the item the writer is storing

A worker takes a request by moving it from the frontier into its lease, and drops it from the
lease only once Scrapy has finished with it (its item pushed, its links queued). A worker whose
heartbeat stops for ARCHIWUM_LEASE_TIMEOUT seconds is presumed dead: any other worker moves its
leases back to the frontier. The writer moves an item to the processing list, upserts it by
article id, then deletes it; after a crash it re-stores at most that one item, as an update.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections import Counter
from dataclasses import asdict

import redis
from scrapy.crawler import CrawlerProcess
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from scraper.crawl.runner import EXIT_ERRORS, EXIT_OK, SPIDER, crawl_settings, writer_lock
from scraper.archive.db import ArchiveError, connect
from scraper.crawl.stages import StageChain, StageContext, stage_paths
from scraper.items import Page
from scraper.registry.sources import load_registry, select

HEARTBEAT_S = 1.0
QUEUE_STAGE = "scraper.distributed.crawl.ItemQueuePipeline"
NOT_SENT = ("html", "date_evidence")  # the writer's store stage reads neither; Redis holds less

# Each script runs atomically in Redis, so no crash between two steps can lose or double a request.
PUSH_UNSEEN = """
if ARGV[3] ~= '' and redis.call('SADD', KEYS[1], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
"""
TAKE = """
local top = redis.call('ZPOPMIN', KEYS[1])
if #top == 0 then return false end
redis.call('HSET', KEYS[2], top[1], top[2])
return top[1]
"""
RETURN_LEASES = """
local leased = redis.call('HGETALL', KEYS[1])
for i = 1, #leased, 2 do redis.call('ZADD', KEYS[2], leased[i + 1], leased[i]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return #leased / 2
"""


class Keys:
    """The Redis keys of one crawl (see the module docstring)."""

    def __init__(self, name: str):
        self.name = name
        self.requests, self.dupefilter, self.workers, self.items, self.processing = (
            f"{name}:{suffix}" for suffix in ("requests", "dupefilter", "workers", "items", "items:processing"))

    def lease(self, worker: str) -> str:
        return f"{self.name}:lease:{worker}"


class RedisUnavailable(ArchiveError):
    """The Redis server holding the crawl cannot be reached."""


def connect_redis(url: str) -> redis.Redis:
    """A client for `url`, checked to answer; a clear error if it does not."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError, ValueError) as error:
        raise RedisUnavailable(f"cannot reach Redis at {url} ({error})") from None
    return client


# --- the frontier: requests with leases --------------------------------------------------------

class Frontier:
    """The shared request queue with per-worker leases (the Redis side only; no Scrapy)."""

    def __init__(self, client: redis.Redis, keys: Keys):
        self.redis = client
        self.keys = keys
        self._push_unseen = client.register_script(PUSH_UNSEEN)
        self._take = client.register_script(TAKE)
        self._return_leases = client.register_script(RETURN_LEASES)

    def push(self, data: bytes, score: float, fingerprint: str = "") -> bool:
        """Queue a request unless its fingerprint was seen; '' queues it regardless."""
        keys = [self.keys.dupefilter, self.keys.requests]
        return bool(self._push_unseen(keys=keys, args=[data, score, fingerprint]))

    def take(self, worker: str) -> bytes | None:
        """The most urgent request, now leased to `worker`."""
        return self._take(keys=[self.keys.requests, self.keys.lease(worker)])

    def release(self, worker: str, datas: list[bytes]) -> None:
        """The worker is done with these requests."""
        if datas:
            self.redis.hdel(self.keys.lease(worker), *datas)

    def return_leases(self, worker: str) -> int:
        """Put the worker's unfinished requests back in the frontier and forget the worker."""
        keys = [self.keys.lease(worker), self.keys.requests, self.keys.workers]
        return int(self._return_leases(keys=keys, args=[worker]))

    def heartbeat(self, worker: str) -> None:
        self.redis.zadd(self.keys.workers, {worker: self.now()})

    def reclaim(self, timeout: float) -> int:
        """Return the leases of every worker silent for `timeout` seconds; how many came back."""
        silent = self.redis.zrangebyscore(self.keys.workers, "-inf", self.now() - timeout)
        return sum(self.return_leases(worker.decode()) for worker in silent)

    def now(self) -> float:
        """Redis server time: workers on several machines share one clock."""
        seconds, micros = self.redis.time()
        return seconds + micros / 1e6

    def queued(self) -> int:
        return self.redis.zcard(self.keys.requests)

    def leased(self) -> int:
        workers = [w.decode() for w in self.redis.zrange(self.keys.workers, 0, -1)]
        return sum(self.redis.hlen(self.keys.lease(w)) for w in workers)

    def busy(self) -> bool:
        """Work remains: requests queued, or taken by a worker that may yet add links."""
        return bool(self.queued() or self.leased())

    def forget_seen(self) -> None:
        """A finished crawl forgets its fingerprints, so the next one fetches listings again."""
        self.redis.delete(self.keys.dupefilter)


class Heartbeat(threading.Thread):
    """A worker's heartbeat, from its own thread: a pipeline stage may hold the reactor for tens
    of seconds (seen under load), and a busy worker must not be taken for a dead one."""

    def __init__(self, frontier: Frontier, worker: str):
        super().__init__(name="archiwum-heartbeat", daemon=True)
        self.frontier = frontier
        self.worker = worker
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_S):
            self.frontier.heartbeat(self.worker)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class LeasedScheduler(Scheduler):
    """scrapy-redis's scheduler, but a taken request stays leased in Redis until Scrapy is done.

    Done means the engine no longer holds the request: its response went through the spider and
    the item pipelines, or it was replaced by a redirect or retry that is already queued.
    """

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.frontier = Frontier(scheduler.server, Keys(crawler.settings["ARCHIWUM_CRAWL"]))
        scheduler.worker = f"{socket.gethostname()}:{os.getpid()}"
        scheduler.lease_timeout = crawler.settings.getfloat("ARCHIWUM_LEASE_TIMEOUT")
        scheduler.leases = {}  # Request -> its encoded form, as leased in Redis
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.frontier.heartbeat(self.worker)
        self.heartbeat = Heartbeat(self.frontier, self.worker)
        self.heartbeat.start()
        self.tick = task.LoopingCall(self.on_tick)
        self.tick.start(HEARTBEAT_S, now=False)
        spider.logger.info("worker %s on %s", self.worker, self.frontier.keys.name)

    def close(self, reason):
        self.tick.stop()
        self.heartbeat.stop()
        self.release_finished()
        returned = self.frontier.return_leases(self.worker)
        if returned:
            self.spider.logger.info("returned %d unfinished requests to the frontier", returned)
        if reason == "finished" and not self.frontier.busy():
            self.frontier.forget_seen()

    def enqueue_request(self, request):
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        if not self.frontier.push(self.queue._encode_request(request), -request.priority, fingerprint):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        self.release_finished()
        data = self.frontier.take(self.worker)
        if data is None:
            return None
        request = self.queue._decode_request(data)
        self.leases[request] = data
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        self.release_finished()
        return bool(self.leases) or self.frontier.busy()

    def release_finished(self) -> None:
        in_engine = self.crawler.engine._slot.inprogress  # no public API tells when Scrapy is done
        finished = [r for r in self.leases if r not in in_engine]
        self.frontier.release(self.worker, [self.leases.pop(r) for r in finished])

    def on_tick(self) -> None:
        self.release_finished()
        reclaimed = self.frontier.reclaim(self.lease_timeout)
        if reclaimed:
            self.stats.inc_value("scheduler/reclaimed/redis", reclaimed)
        self.crawler.engine._slot.nextcall.schedule()  # an idle engine looks again: work, or the end


# --- items: workers push, the writer stores ----------------------------------------------------

def item_json(page: Page) -> str:
    fields = {k: v for k, v in asdict(page).items() if k not in NOT_SENT}
    return json.dumps(fields, ensure_ascii=False)


def item_from_json(data: bytes) -> Page:
    return Page(**{"html": ""} | json.loads(data.decode("utf-8")))


class ItemQueuePipeline:
    """The worker's last stage: hand the finished item to the writer through Redis."""

    def __init__(self, client: redis.Redis, keys: Keys, stats=None):
        self.redis = client
        self.keys = keys
        self.stats = stats

    @classmethod
    def from_context(cls, context):
        client = redis.Redis.from_url(context.settings["REDIS_URL"])
        return cls(client, Keys(context.settings["ARCHIWUM_CRAWL"]), context.stats)

    def process_item(self, item):
        self.redis.lpush(self.keys.items, item_json(item))
        if self.stats:
            self.stats.inc_value("queue/items_sent")
        return item


class Tally:
    """The store stage's stats, outside Scrapy."""

    def __init__(self):
        self.counts = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.counts[key] += count


class Writer:
    """Moves items from Redis into archive.db, one committed upsert each."""

    def __init__(self, client: redis.Redis, keys: Keys, store, lease_timeout: float):
        self.redis = client
        self.keys = keys
        self.store = store  # a StageChain of the store stage alone
        self.lease_timeout = lease_timeout

    def recover(self) -> int:
        """Store again what a previous writer had taken but may not have committed."""
        left = self.redis.lrange(self.keys.processing, 0, -1)
        for data in left:
            self.store_one(data)
        return len(left)

    def store_next(self, timeout: float) -> bool:
        data = self.redis.blmove(self.keys.items, self.keys.processing, timeout, "RIGHT", "LEFT")
        if data is None:
            return False
        self.store_one(data)
        return True

    def store_one(self, data: bytes) -> None:
        self.store.process(item_from_json(data))
        self.redis.lrem(self.keys.processing, 1, data)

    def crawl_active(self) -> bool:
        """Items wait, or a worker was heard from lately: the crawl is not over."""
        seconds, _ = self.redis.time()
        live = self.redis.zcount(self.keys.workers, seconds - self.lease_timeout, "+inf")
        return bool(live or self.redis.llen(self.keys.items))


# --- worker ------------------------------------------------------------------------------------

def worker_settings(redis_url: str, crawl_name: str, lease_timeout: float) -> dict:
    return {
        "SCHEDULER": "scraper.distributed.crawl.LeasedScheduler",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": Keys(crawl_name).requests,
        "SCHEDULER_DUPEFILTER_KEY": Keys(crawl_name).dupefilter,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "ARCHIWUM_CRAWL": crawl_name,
        "ARCHIWUM_LEASE_TIMEOUT": lease_timeout,
        "ARCHIWUM_CRAWL_LOG_ENABLED": False,  # the crawls table lives in archive.db: the writer's
        # a worker's attachment manifests stay on its machine: no fetching until the writer stores them
        "ARCHIWUM_ATTACHMENTS": False,
    }


def worker_stages(stages: list[str]) -> list[str]:
    """The crawl's stage chain up to the hand-over: its last stage (store) is the writer's."""
    return [*stages[:-1], QUEUE_STAGE]


def run_worker(args, settings_given: dict[str, str]) -> int:
    """Crawl from the shared frontier until no work is left anywhere."""
    sources = select(load_registry(args.registry), args.sources)
    connect_redis(args.redis).close()
    overrides = worker_settings(args.redis, args.crawl, args.lease_timeout) | settings_given
    if args.log_file:
        overrides["LOG_FILE"] = args.log_file
    settings = crawl_settings("", overrides)  # a worker has no archive.db
    settings.set("ARCHIWUM_STAGES", worker_stages(stage_paths(settings)), priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SPIDER)
    process.crawl(crawler, sources=sources)
    process.start()
    stats = crawler.stats.get_stats()
    print(f"worker {stats.get('finish_reason', 'unfinished')}: "
          f"{stats.get('response_received_count', 0)} pages fetched, "
          f"{stats.get('queue/items_sent', 0)} items sent to {args.redis} ({args.crawl})")
    return EXIT_OK if stats.get("finish_reason") == "finished" else EXIT_ERRORS


# --- writer ------------------------------------------------------------------------------------

def run_writer(args) -> int:
    """Store items from Redis into the archive until stopped (or idle, with --idle-exit)."""
    client = connect_redis(args.redis)
    connect(args.db).conn.close()  # a bad --db fails here, with a clear message
    tally = Tally()
    with writer_lock(args.db):
        store = store_chain(args.db, list(load_registry(args.registry).values()), tally)
        try:
            writer = Writer(client, Keys(args.crawl), store, args.lease_timeout)
            recovered = writer.recover()
            write_until_stopped(writer, args.idle_exit)
        finally:
            store.close()
    counts = tally.counts
    print(f"writer stopped: {counts.total()} items stored ({counts['store/new']} new, "
          f"{counts['store/changed']} changed, {counts['store/unchanged']} unchanged; "
          f"{recovered} recovered from a previous writer) → {args.db}")
    return EXIT_OK


def store_chain(db_path: str, sources: list, stats) -> StageChain:
    """The writer's end of the stage chain: its last stage (store) alone, opened."""
    settings = crawl_settings(db_path)
    return StageChain.build(StageContext(settings, stats, sources), stage_paths(settings)[-1:]).open()


def write_until_stopped(writer: Writer, idle_exit: float | None) -> None:
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    quiet_since = None  # the crawl has not been seen yet: workers may be starting
    while not stopping:
        if writer.store_next(timeout=HEARTBEAT_S) or writer.crawl_active():
            quiet_since = time.monotonic()
        elif None not in (idle_exit, quiet_since) and time.monotonic() - quiet_since >= idle_exit:
            return
