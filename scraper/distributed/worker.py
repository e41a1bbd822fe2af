"""`archiwum worker`: a Scrapy crawl on the shared frontier; finished items go to the writer via Redis.

A worker takes no sources of its own: it crawls the sources of the plan the writer opened
(writer.py), waiting for one if none is running, and refuses with one line if its registry lacks
one of them. What one process keeps in memory is shared through Redis (frontier.py for the keys):
the frontier and its fingerprints (LeasedScheduler), the archive's known articles (the
incremental filter, SharedIncrementalMiddleware), each host's robots.txt (SharedRobotsTxt) and
politeness (politeness.py), the site templates (a scratch archive per worker, seeded with the
archive's; the re-clean's second readings go to the writer), the page budgets (budget.py), the
attachments fetched and their budgets (attachments.py). Each
response and item is counted per portal in NAME:progress; the worker's errors, fates and other
figures go to the writer too (reports.py).
"""
from __future__ import annotations

import json
import os
import socket
import tempfile
import time
from pathlib import Path

import redis
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.request import request_from_dict
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from scraper.archive import captures
from scraper.archive.db import ArchiveError, connect, write_transaction
from scraper.crawl.incremental import LEAF, IncrementalMiddleware
from scraper.crawl.health import SourceCounts
from scraper.crawl.robots import EveryWaiterRobotsTxtMiddleware
from scraper.crawl.runner import EXIT_ERRORS, EXIT_OK, SPIDER, crawl_settings, error_counts
from scraper.crawl.stats import errors_by_kind, own_error_count
from scraper.crawl.stages import StageChainPipeline, stage_paths
from scraper.distributed.frontier import HEARTBEAT_S, Beat, DistributedError, Frontier, Keys, connect_redis, redacted, server_time
from scraper.distributed.items import item_json
from scraper.distributed.politeness import pause
from scraper.distributed.reports import ROBOTS, StatsReport
from scraper.registry.sources import load_registry, select

QUEUE_STAGE = "scraper.distributed.worker.ItemQueuePipeline"
PLAN_POLL_S = 0.5
# A worker finding the crawl finished this recently came too late for it and exits; one finding an
# older finished crawl (last night's) waits for the writer to open the next one.
JUST_FINISHED_S = 60.0


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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
        scheduler.worker = worker_id()
        scheduler.lease_timeout = crawler.settings.getfloat("ARCHIWUM_LEASE_TIMEOUT")
        scheduler.leases = {}  # Request -> its encoded form, as leased in Redis
        scheduler.report = StatsReport(scheduler.server, scheduler.frontier.keys, crawler.stats)
        crawler.signals.connect(scheduler.report.send, signal=signals.spider_closed)  # what closing counted
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.frontier.heartbeat(self.worker)
        self.heartbeat = Beat(lambda: self.frontier.heartbeat(self.worker))
        self.heartbeat.start()
        self.tick = task.LoopingCall(self.on_tick)
        self.tick.start(HEARTBEAT_S, now=False)
        spider.logger.info("worker %s on %s", self.worker, self.frontier.keys.name)

    def close(self, reason):
        self.tick.stop()
        self.heartbeat.stop()
        self.release_finished()
        self.report.send()  # before the worker leaves: the writer may close the crawl as soon as it has
        returned = self.frontier.return_leases(self.worker)
        if returned:
            self.spider.logger.info("returned %d unfinished requests to the frontier", returned)

    def enqueue_request(self, request):
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        if not self.frontier.push(self.encode(request), -request.priority, fingerprint):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        self.release_finished()
        data = self.frontier.take(self.worker)
        if data is None:
            return None
        request = self.decode(data)
        self.leases[request] = data
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def encode(self, request) -> bytes:
        """As scrapy-redis encodes requests (its queue's serializer), through public APIs."""
        return self.queue.serializer.dumps(request.to_dict(spider=self.spider))

    def decode(self, data: bytes):
        return request_from_dict(self.queue.serializer.loads(data), spider=self.spider)

    def has_pending_requests(self) -> bool:
        self.release_finished()
        return bool(self.leases) or self.frontier.busy()

    def release_finished(self) -> None:
        in_engine = self.crawler.engine._slot.inprogress  # no public API tells when Scrapy is done
        finished = [r for r in self.leases if r not in in_engine]
        self.frontier.release(self.worker, [self.leases.pop(r) for r in finished])

    def on_tick(self) -> None:
        self.release_finished()
        self.report.send()
        reclaimed = self.frontier.reclaim(self.lease_timeout)
        if reclaimed:
            self.stats.inc_value("scheduler/reclaimed/redis", reclaimed)
            self.spider.logger.info("took back %d requests of a silent worker", reclaimed)
        self.crawler.engine._slot.nextcall.schedule()  # an idle engine looks again: work, or the end


class ItemQueuePipeline:
    """The worker's last stage: hand the finished item to the writer through Redis."""

    def __init__(self, client: redis.Redis, keys: Keys, stats=None):
        self.redis = client
        self.keys = keys
        self.stats = stats
        self.host = socket.gethostname()

    @classmethod
    def from_context(cls, context):
        client = redis.Redis.from_url(context.settings["REDIS_URL"])
        return cls(client, Keys(context.settings["ARCHIWUM_CRAWL"]), context.stats)

    def process_item(self, item):
        if item.warc:
            item.warc["host"] = self.host  # the writer records which machine holds each WARC file
        self.redis.pipeline(transaction=False).lpush(self.keys.items, item_json(item)).hincrby(
            self.keys.progress, f"{item.source}:sent", 1).execute()
        if self.stats:
            self.stats.inc_value("queue/items_sent")
        return item

    def replace_reading(self, item) -> bool:
        """The re-clean's better reading of an article sent before (scraper/crawl/reclean.py): the
        writer replaces the stored text of that fetch in place. True: sent (the writer may find the
        article stored from another fetch since, and keep that)."""
        self.redis.lpush(self.keys.items, item_json(item, reread=True))
        return True


class WorkerStageChain(StageChainPipeline):
    """The stage chain as the worker's item pipeline, handing the leaf pages its clean stage found
    (pages that are no articles and lead to none, which the next crawl need not fetch) to the
    writer, who keeps them in archive.db as `archiwum crawl` does (NAME:leaf_pages)."""

    def open_spider(self) -> None:
        super().open_spider()
        settings = self.crawler.settings
        self.redis, self.keys = redis.Redis.from_url(settings["REDIS_URL"]), Keys(settings["ARCHIWUM_CRAWL"])
        # the clean stage, which saves and empties its list only where it has an archive
        self.noting = [stage for stage in self.chain.stages if hasattr(stage, "leaf_pages")]

    def process_item(self, item):
        try:
            return super().process_item(item)
        finally:
            self.hand_over_leaf_pages()

    def close_spider(self) -> None:
        super().close_spider()  # the re-clean, then the clean stage saves its templates
        self.hand_over_leaf_pages()
        for source, data in read_templates(self.crawler.settings["ARCHIWUM_DB"]).items():
            self.keep_if_wiser(source, data)

    def keep_if_wiser(self, source: str, data: str) -> None:
        """Of the workers' templates of a portal, the writer keeps the one that has seen most pages."""
        held = self.redis.hget(self.keys.learned_templates, source)
        if held is None or pages_seen(data) >= pages_seen(held):
            self.redis.hset(self.keys.learned_templates, source, data)

    def hand_over_leaf_pages(self) -> None:
        for stage in self.noting:
            if stage.leaf_pages:
                pages, stage.leaf_pages = stage.leaf_pages, []
                self.redis.lpush(self.keys.leaf_pages, *(json.dumps(page, ensure_ascii=False) for page in pages))


class SharedIncrementalMiddleware(IncrementalMiddleware):
    """The incremental filter on the known articles the writer published (NAME:known)."""

    def read_known(self, seen_since: str) -> dict[str, tuple[str, bool]]:
        settings = self.crawler.settings
        self.redis, self.keys = redis.Redis.from_url(settings["REDIS_URL"]), Keys(settings["ARCHIWUM_CRAWL"])
        return {url.decode(): decode_known(value) for url, value in self.redis.hscan_iter(self.keys.known, count=10_000)}

    def count(self, key: str, fresh: bool, request) -> None:
        """Known articles not fetched again, per portal and once across workers (a HyperLogLog)."""
        super().count(key, fresh, request)
        if fresh and not key.startswith(LEAF):
            self.redis.pfadd(self.keys.skipped(request.meta.get("source", "-")), key)


def encode_known(key: str, fresh: bool) -> str:
    return f"{int(fresh)}{key}"


def decode_known(value: bytes) -> tuple[str, bool]:
    text = value.decode()
    return text[1:], text[0] == "1"


class SharedRobotsTxt(EveryWaiterRobotsTxtMiddleware):
    """robots.txt fetched once per host for the whole crawl, not once per worker (NAME:robots): the
    first worker to ask claims the fetch, the others wait for what it stores."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.redis = redis.Redis.from_url(crawler.settings["REDIS_URL"])
        self.keys = Keys(crawler.settings["ARCHIWUM_CRAWL"])
        self.claim_s = crawler.settings.getfloat("DOWNLOAD_TIMEOUT") + 10  # the claimer's fetch, retries aside

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            body = await self.fetched_by_another(netloc)
            if body is not None and netloc not in self._parsers:
                parser = load_object(self.crawler.settings["ROBOTSTXT_PARSER"])
                self._parsers[netloc] = build_from_crawler(parser, self.crawler, body)
                self.crawler.stats.inc_value("robotstxt/shared")
        return await super().robot_parser(request)

    async def fetched_by_another(self, netloc: str) -> bytes | None:
        """The host's robots.txt as another worker fetched it; None if this worker is to fetch it
        (it is the first to ask, or the one who claimed it has not stored it in time)."""
        claim = f"{self.keys.robots}:claim:{netloc}"
        deadline = time.monotonic() + self.claim_s
        while (body := self.redis.hget(self.keys.robots, netloc)) is None:
            if self.redis.set(claim, worker_id(), nx=True, ex=int(self.claim_s)) or time.monotonic() > deadline:
                return None
            await pause(PLAN_POLL_S / 5)
        return body

    async def _parse_robots(self, response, netloc, request):
        self.redis.hsetnx(self.keys.robots, netloc, response.body)
        await super()._parse_robots(response, netloc, request)


class WorkerProgress(SourceCounts):
    """Extension (a worker's SourceCounts): every response counted per portal in NAME:progress, for
    `archiwum status --redis` and the writer's crawl_sources rows; callback errors per portal in
    the worker's stats (reports.py sends them on)."""

    def __init__(self, stats, client: redis.Redis, keys: Keys):
        super().__init__(stats)
        self.redis = client
        self.keys = keys

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        progress = cls(crawler.stats, redis.Redis.from_url(settings["REDIS_URL"]), Keys(settings["ARCHIWUM_CRAWL"]))
        crawler.signals.connect(progress.received, signal=signals.response_received)
        crawler.signals.connect(progress.spider_error, signal=signals.spider_error)
        return progress

    def received(self, response, request, spider=None) -> None:
        self.redis.hincrby(self.keys.progress, f"{request.meta.get('source', ROBOTS)}:pages", 1)


def worker_settings(redis_url: str, crawl_name: str, lease_timeout: float) -> dict:
    keys = Keys(crawl_name)
    settings = crawl_settings("")
    return {
        "SCHEDULER": "scraper.distributed.worker.LeasedScheduler",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "ARCHIWUM_CRAWL": crawl_name,
        "ARCHIWUM_LEASE_TIMEOUT": lease_timeout,
        "ARCHIWUM_CRAWL_LOG_ENABLED": False,  # the crawls table lives in archive.db: the writer's
        # attachments fetched as in one process, noted for the writer (distributed/attachments.py)
        "ARCHIWUM_ATTACHMENT_FETCHER": "scraper.distributed.attachments.SharedAttachmentFetcher",
        "DOWNLOAD_DELAY_JITTER": 0,  # the shared gap is the least gap (politeness.py)
        "ARCHIWUM_WARC_DIR": os.path.abspath(captures.DEFAULT_FOLDER),  # where the worker runs, by absolute path
        "ARCHIWUM_PAGE_BUDGET": "scraper.distributed.budget.SharedPageBudget",  # per crawl, not per worker
        "DOWNLOADER_MIDDLEWARES": shared(settings.getdict("DOWNLOADER_MIDDLEWARES"), {
            "scraper.crawl.robots.EveryWaiterRobotsTxtMiddleware": "scraper.distributed.worker.SharedRobotsTxt",
        }) | {"scraper.distributed.politeness.SharedPoliteness": 950},
        "SPIDER_MIDDLEWARES": shared(settings.getdict("SPIDER_MIDDLEWARES"), {
            "scraper.crawl.incremental.IncrementalMiddleware": "scraper.distributed.worker.SharedIncrementalMiddleware",
        }),
        "EXTENSIONS": shared(settings.getdict("EXTENSIONS"), {
            "scraper.crawl.health.SourceCounts": "scraper.distributed.worker.WorkerProgress",
            "scraper.crawl.fates.PageFates": "scraper.distributed.reports.SharedPageFates",
        }),
        "ITEM_PIPELINES": {"scraper.distributed.worker.WorkerStageChain": 100},
    }


def shared(components: dict, replacements: dict) -> dict:
    """The crawl's components with some replaced by their Redis-backed kind, at the same place."""
    return {replacements.get(path, path): order for path, order in components.items()}


def worker_stages(stages: list[str]) -> list[str]:
    """The crawl's stage chain up to the hand-over: its last stage (store) is the writer's."""
    return [*stages[:-1], QUEUE_STAGE]


def wait_for_plan(client: redis.Redis, keys: Keys, wait_s: float) -> list[str] | None:
    """The source ids of the running crawl, once its writer has opened it; None if the crawl has
    just finished (a worker started late, or restarted at the end, has nothing left to do)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        plan = client.hgetall(keys.plan)
        if plan.get(b"status") == b"running":
            return plan[b"sources"].decode().split(",")
        just_finished = server_time(client) - float(plan.get(b"closed", 0)) < JUST_FINISHED_S
        if plan.get(b"status") == b"finished" and just_finished and not client.exists(keys.writer):
            return None  # and no writer is opening the next crawl
        time.sleep(PLAN_POLL_S)
    raise DistributedError(f"no writer has opened crawl {keys.name!r} within {wait_s:g} s "
                           "(start `archiwum writer` with the same --redis and --crawl)")


def scratch_archive(client: redis.Redis, keys: Keys, folder: Path) -> str:
    """The workers' own archive.db on this machine (`--state`), for what their clean stage learns
    and notes while they crawl: the site templates (seeded with the archive's, which the writer
    published) and the early pages read again at the end (scraper/crawl/reclean.py), as
    `archiwum crawl` keeps them in its archive. Articles are stored only by the writer. The notes
    of a worker killed before its end stay, and the next worker of the machine to finish re-reads
    them; the workers of one machine share the file (SQLite, WAL)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "worker.db"
    db = connect_when_free(path)
    with write_transaction(db):
        db["site_templates"].upsert_all([{"source": source.decode(), "data": data.decode(), "updated_at": ""}
                                         for source, data in client.hgetall(keys.templates).items()], pk="source")
    db.conn.close()
    return str(path)


def pages_seen(template_json: str | bytes) -> int:
    return json.loads(template_json).get("pages_seen", 0)


def connect_when_free(path: Path, attempts: int = 40):
    """The scratch archive, once another worker of this machine starting at the same moment has
    set it up (turning WAL on needs the file to itself, and SQLite does not wait for that)."""
    for _ in range(attempts - 1):
        try:
            return connect(path)
        except ArchiveError:
            time.sleep(0.25)
    return connect(path)


def read_templates(db_path: str) -> dict[str, str]:
    db = connect(db_path)
    try:
        return {row["source"]: row["data"] for row in db["site_templates"].rows}
    finally:
        db.conn.close()


def run_worker(args, settings_given: dict[str, str]) -> int:
    """Crawl the plan's sources from the shared frontier until no work is left anywhere."""
    client = connect_redis(args.redis)
    source_ids = wait_for_plan(client, Keys(args.crawl), args.wait)
    if source_ids is None:
        print(f"worker: crawl {args.crawl!r} finished a moment ago; nothing left to do")
        return EXIT_OK
    registry = load_registry(args.registry)
    unknown = [s for s in source_ids if s not in registry]
    if unknown:
        raise DistributedError(f"crawl {args.crawl!r} has sources this worker's registry lacks: {', '.join(unknown)} "
                        "(give every worker the writer's --registry)")
    sources = select(registry, source_ids)
    overrides = worker_settings(args.redis, args.crawl, args.lease_timeout) | settings_given
    if args.log_file:
        overrides["LOG_FILE"] = args.log_file
    state = Path(args.state or Path(tempfile.gettempdir()) / f"archiwum-worker-{args.crawl}")
    settings = crawl_settings(scratch_archive(client, Keys(args.crawl), state), overrides)
    settings.set("ARCHIWUM_STAGES", worker_stages(stage_paths(settings)), priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SPIDER)
    process.crawl(crawler, sources=sources)
    process.start()
    stats = crawler.stats.get_stats()
    lost = own_error_count(errors_by_kind(stats))
    ended = stats.get("finish_reason", "unfinished") + (f" with {lost} error{'s' * (lost > 1)}" if lost else "")
    print(f"worker {ended}: {stats.get('response_received_count', 0)} pages fetched, "
          f"{stats.get('queue/items_sent', 0)} items sent to {redacted(args.redis)} ({args.crawl}), "
          f"{error_counts(stats)}")
    return EXIT_OK if stats.get("finish_reason") == "finished" and not lost else EXIT_ERRORS
