"""The Redis side of a distributed crawl: its keys, the frontier with per-worker leases, heartbeats.

Redis keys, under a crawl name (default "archiwum"):

    NAME:plan              hash: the crawl the writer opened (sources, crawls row id, status, times)
    NAME:writer            string: the one writer's lease (host:pid and archive), renewed each second
    NAME:known             hash: the archive's known articles, for the workers' incremental filter
    NAME:requests          sorted set: the frontier (scrapy-redis PriorityQueue encoding)
    NAME:dupefilter        set: fingerprints of every request queued in this crawl (scrapy-redis)
    NAME:workers           sorted set: worker id -> last heartbeat (Redis server time)
    NAME:lease:WORKER      hash: requests a worker has taken and not finished -> their score
    NAME:items             list: finished items (JSON), oldest at the right
    NAME:items:processing  list: the item the writer is storing
    NAME:leaf_pages        list: pages the workers found to be no articles leading to none (JSON)
    NAME:progress          hash: per-portal counts ("SOURCE:pages", "SOURCE:sent", "SOURCE:new", ...)
    NAME:templates         hash: source -> the archive's site template (JSON), for the workers' clean stage
    NAME:templates:learned hash: source -> the template a worker learned, for the writer to keep
    NAME:robots            hash: host -> its robots.txt as first fetched in this crawl
    NAME:robots:claim:HOST string: the worker fetching HOST's robots.txt for all
    NAME:skipped:SOURCE    HyperLogLog: known articles the workers did not fetch again
    NAME:polite:HOST       string: when the next request to HOST may start (politeness.py)
    NAME:inflight:HOST     sorted set: requests to HOST in flight, any worker -> their expiry
    NAME:budget            hash: source -> pages charged to its budget (`max_pages`), all workers (budget.py)
    NAME:budget:SOURCE     set: digests of the URLs charged to SOURCE's budget
    NAME:stats             hash: the workers' crawl stats (errors, fates, per source), summed (stats.py)
    NAME:fates             list: pages' fates the workers saw, for the writer's page_fates (JSON)
    NAME:attachments       list: attachment manifest lines (files fetched, links skipped), for the writer
    NAME:attachment_bytes  hash: source -> bytes of attachments fetched, all workers (its budget)
    NAME:known_files       hash: URL -> validators of the files the archive holds (distributed/attachments.py)

A worker takes a request by moving it from the frontier into its lease, and drops it from the
lease only once Scrapy has finished with it (its item pushed, its links queued). A worker whose
heartbeat stops for ARCHIWUM_LEASE_TIMEOUT seconds is presumed dead: any other worker moves its
leases back to the frontier. When the crawl is over the writer deletes the work keys and keeps
the plan, progress and stats, marked finished (writer.py).
"""
from __future__ import annotations

import re
import threading

import redis

from scraper.archive.db import ArchiveError

HEARTBEAT_S = 1.0

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
        (self.plan, self.writer, self.known, self.requests, self.dupefilter, self.workers, self.items,
         self.processing, self.leaf_pages, self.progress, self.robots, self.templates, self.learned_templates,
         self.budget, self.stats, self.fates, self.attachments, self.attachment_bytes, self.known_files) = (
            f"{name}:{suffix}" for suffix in ("plan", "writer", "known", "requests", "dupefilter", "workers", "items",
                                              "items:processing", "leaf_pages", "progress", "robots", "templates",
                                              "templates:learned", "budget", "stats", "fates", "attachments",
                                              "attachment_bytes", "known_files"))

    def lease(self, worker: str) -> str:
        return f"{self.name}:lease:{worker}"

    def skipped(self, source: str) -> str:
        return f"{self.name}:skipped:{source}"

    def budget_urls(self, source: str) -> str:
        return f"{self.name}:budget:{source}"

    def polite(self, host: str) -> str:
        return f"{self.name}:polite:{host}"

    def inflight(self, host: str) -> str:
        return f"{self.name}:inflight:{host}"

    def work(self) -> list[str]:
        """The keys a finished crawl deletes (with every lease and per-host key)."""
        return [self.known, self.requests, self.dupefilter, self.workers, self.items, self.processing,
                self.leaf_pages, self.robots, self.templates, self.learned_templates, self.fates,
                self.budget, self.attachments, self.attachment_bytes, self.known_files]


class DistributedError(ArchiveError):
    """A distributed crawl cannot go on as asked; the message says why (one line, exit 2)."""


class RedisUnavailable(DistributedError):
    """The Redis server holding the crawl cannot be reached."""


def connect_redis(url: str) -> redis.Redis:
    """A client for `url`, checked to answer; a clear error if it does not."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except (redis.RedisError, ValueError) as error:  # also a refusal: protected mode, a wrong password
        reason = str(error).split(". ")[0]  # Redis explains its refusals at length
        raise RedisUnavailable(f"cannot reach Redis at {redacted(url)} ({reason})") from None
    return client


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)


def server_time(client: redis.Redis) -> float:
    """Redis server time: processes on several machines share one clock."""
    seconds, micros = client.time()
    return seconds + micros / 1e6


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
        return server_time(self.redis)

    def workers(self) -> dict[str, float]:
        """Worker id -> seconds since its last heartbeat."""
        now = self.now()
        return {w.decode(): now - beat for w, beat in self.redis.zrange(self.keys.workers, 0, -1, withscores=True)}

    def queued(self) -> int:
        return self.redis.zcard(self.keys.requests)

    def leased(self) -> int:
        return sum(self.redis.hlen(self.keys.lease(w)) for w in self.workers())

    def busy(self) -> bool:
        """Work remains: requests queued, or taken by a worker that may yet add links."""
        return bool(self.queued() or self.leased())


class Beat(threading.Thread):
    """Calls `beat` every second from a thread of its own: a pipeline stage may hold a worker's
    reactor for tens of seconds (seen under load), and a busy worker must not be taken for a dead
    one; the writer's lease is renewed the same way."""

    def __init__(self, beat, interval: float = HEARTBEAT_S):
        super().__init__(name="archiwum-heartbeat", daemon=True)
        self.beat = beat
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.beat()

    def stop(self) -> None:
        self.stopped.set()
        self.join()
