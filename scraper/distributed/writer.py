"""`archiwum writer`: the one process of a distributed crawl that writes archive.db.

The writer opens the crawl: it takes the crawl's writer lease in Redis (NAME:writer; a second
writer, for any archive, is refused with one line and exit status 3) and the archive's own lock,
starts a `crawls` row, publishes the archive's known articles for the workers' incremental
filter (NAME:known), its site templates for their clean stage (NAME:templates) and the plan
(NAME:plan: the source ids, status `running`), which the workers wait for. It then stores what the workers send, one committed upsert per item with the
store stage (its end of the stage chain), counting per portal in NAME:progress, and records on
which host each WARC file lies (`warc_files`); a worker's second reading of an article read
before its portal's template was learned replaces the stored text in place, as in one process.
The store stage checks each item against the archive: exact repeats, and near-duplicates of
any worker's articles. The workers' errors and pages' fates come through Redis too
(reports.py): the writer keeps `page_fates`, and refreshes the `crawls` row and its
`crawl_sources` rows every ten seconds. When the crawl is over — nothing queued, leased or
waiting, no worker alive — for `--idle-exit` seconds, it keeps the templates the workers learned
(of each portal's, the one that saw most pages), completes the `crawls` row (pages and articles
per portal in its `stats`; "finished with N errors" and exit status 1 if any page was lost, as
`archiwum crawl`), deletes the work keys and marks the plan `finished`, which `archiwum status
--redis` shows until the next crawl of that name. The attachments the workers fetched are noted
in `attachment_files` as they come (NAME:attachments) and read when the crawl is over
(scraper/distributed/attachments.py).

A writer stopped (SIGTERM, Ctrl-C) or killed leaves the plan `running`; started again, it
carries on with the same crawl and `crawls` row and first re-stores the item it may not have
committed (NAME:items:processing): at most that one item is stored twice, as an update.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import redis
from scrapy.exceptions import DropItem

from scraper.archive.db import connect, write_transaction
from scraper.attachments import backlog
from scraper.crawl.warc import warc_dir
from scraper.crawl import health
from scraper.crawl.fates import FATES_TABLE, dropped_fate, error_kind, stored_detail
from scraper.crawl.incremental import read_known_articles
from scraper.crawl.log import counters
from scraper.crawl.runner import EXIT_ERRORS, CrawlLocked, crawl_settings, error_counts, writer_lock
from scraper.crawl.stats import Outcome, crawl_outcome
from scraper.crawl.stages import StageChain, StageContext, stage_paths
from scraper.distributed.frontier import (HEARTBEAT_S, Beat, DistributedError, Frontier, Keys, connect_redis,
                                          server_time)
from scraper.distributed.attachments import publish_known_files
from scraper.distributed.items import item_from_json
from scraper.distributed.reports import crawl_stats
from scraper.distributed.worker import encode_known
from scraper.registry.sources import load_registry, select

PUBLISH_CHUNK = 10_000
CROSS_CHECK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
OUTCOMES = ("new", "changed", "unchanged", "repeat")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class WriterBusy(CrawlLocked):
    """Another writer holds the crawl."""


class WriterLease:
    """NAME:writer: who writes this crawl. Renewed every second; lapses `timeout` s after its
    writer stops renewing it. A writer on the same host whose process is gone is replaced at once."""

    def __init__(self, client: redis.Redis, keys: Keys, db_path: str, timeout: float):
        self.redis = client
        self.key = keys.writer
        self.crawl = keys.name
        self.holder = f"{socket.gethostname()}:{os.getpid()} {os.path.abspath(db_path)}"
        self.timeout_ms = int(timeout * 1000)
        self.cross_check = client.register_script(CROSS_CHECK)
        self.beat = Beat(self.renew)

    def take(self) -> None:
        if not self.redis.set(self.key, self.holder, nx=True, px=self.timeout_ms):
            holder = (self.redis.get(self.key) or b"").decode()
            if not (self.dead_here(holder) and self.cross_check(keys=[self.key], args=[holder, ""])
                    and self.redis.set(self.key, self.holder, nx=True, px=self.timeout_ms)):
                raise WriterBusy(f"crawl {self.crawl!r} already has a writer ({holder}); one writer per crawl: "
                                 "wait for it to finish, or give this one another --crawl")
        self.beat.start()

    def renew(self) -> None:
        self.cross_check(keys=[self.key], args=[self.holder, self.timeout_ms])

    def release(self) -> None:
        self.beat.stop()
        self.cross_check(keys=[self.key], args=[self.holder, ""])

    @staticmethod
    def dead_here(holder: str) -> bool:
        """The holder ran on this host and its process is gone (killed, or the machine rebooted)."""
        host, _, rest = holder.partition(":")
        pid = rest.split(" ", 1)[0]
        if host != socket.gethostname() or not pid.isdigit():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


class Tally:
    """The store stage's stats, outside Scrapy."""

    def __init__(self):
        self.counts = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.counts[key] += count


class Writer:
    """Moves items from Redis into archive.db, one committed upsert each."""

    def __init__(self, client: redis.Redis, keys: Keys, store: StageChain, lease_timeout: float, db=None):
        self.redis = client
        self.keys = keys
        self.store = store  # a StageChain of the store stage alone
        self.lease_timeout = lease_timeout
        self.frontier = Frontier(client, keys)
        self.db = db  # for warc_files: which host holds each WARC file
        self.hosts_noted: set[str] = set()
        self.attachment_files = 0

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
        item, reread = item_from_json(data)
        if reread:  # a worker's re-clean of an article read before its portal's template was learned
            self.store.stages[-1].replace_reading(item)
            self.redis.lrem(self.keys.processing, 1, data)
            return
        counts = self.store.context.stats.counts
        before = {outcome: counts[f"store/{outcome}"] for outcome in OUTCOMES}
        try:
            self.store.process(item)
        except DropItem as dropped:  # as Scrapy's item_dropped: the page's fate, no error
            self.note_fate(item, *dropped_fate(str(dropped)))
        except Exception as error:  # noqa: BLE001 — a stage that raises costs its page only, as in one process
            kind = error_kind(error)
            self.count(f"errors/{kind}", health.key(item.source, f"errors/{kind}"))
            self.note_fate(item, "failed", kind)
        else:
            self.note_fate(item, "stored", stored_detail(item))
        done = next((o for o in OUTCOMES if counts[f"store/{o}"] > before[o]), None)
        if done:
            self.redis.hincrby(self.keys.progress, f"{item.source}:{done}", 1)
        self.note_warc_host(item.warc)
        self.redis.lrem(self.keys.processing, 1, data)

    def note_fate(self, item, fate: str, detail: str) -> None:
        """The fate of an item the writer stored or lost, beside those the workers send (reports.py)."""
        self.count(f"fates/{fate.replace(' ', '_')}")
        row = {"url": item.url, "source": item.source, "fetched_at": item.fetched_at, "fate": fate, "detail": detail}
        self.redis.lpush(self.keys.fates, json.dumps(row, ensure_ascii=False))

    def count(self, *stats_keys: str) -> None:
        """Counted in the crawl's stats (NAME:stats), which the workers add to."""
        pipe = self.redis.pipeline(transaction=False)
        for key in stats_keys:
            pipe.hincrby(self.keys.stats, key, 1)
        pipe.execute()

    def drain(self, key: str, store) -> list[dict]:
        """Hand the JSON lines the workers pushed to `key`, oldest first, to `store` in one
        transaction, then drop them from the list (what was pushed meanwhile stays); returns them."""
        if self.db is None:
            return []
        datas = self.redis.lrange(key, 0, -1)
        lines = [json.loads(data) for data in reversed(datas)]
        if lines:
            with write_transaction(self.db):
                store(lines)
            self.redis.ltrim(key, 0, -len(datas) - 1)
        return lines

    def store_fates(self, crawl_id: int | None) -> int:
        """The pages' fates sent meanwhile, into `page_fates` (one row per URL: its last fate)."""
        return len(self.drain(self.keys.fates, lambda rows: self.db[FATES_TABLE].upsert_all(
            [row | {"crawl_id": crawl_id} for row in rows], pk="url")))

    def store_leaf_pages(self) -> int:
        """The leaf pages the workers found, into `leaf_pages` (what the clean stage does in one process)."""
        return len(self.drain(self.keys.leaf_pages, lambda pages: self.db["leaf_pages"].upsert_all(pages, pk="url")))

    def store_attachment_files(self) -> int:
        """The workers' attachment manifest lines, into `attachment_files` (scraper/attachments/backlog.py):
        a skip, then a fetch of the same file, in that order."""
        def store(lines: list[dict]) -> None:
            for line in lines:
                backlog.store_file(self.db, line)

        lines = self.drain(self.keys.attachments, store)
        for line in lines:
            if line.get("warc_file"):
                self.note_warc_host({"file": line["warc_file"], "host": line.get("warc_host")})
        self.attachment_files += len(lines)
        return len(lines)

    def keep_learned_templates(self) -> int:
        """The site templates the workers learned, into `site_templates`, for the next crawl."""
        learned = self.redis.hgetall(self.keys.learned_templates)
        if self.db is not None and learned:
            with write_transaction(self.db):
                self.db["site_templates"].upsert_all(
                    [{"source": source.decode(), "data": data.decode(), "updated_at": now()}
                     for source, data in learned.items()], pk="source")
        return len(learned)

    def note_warc_host(self, warc: dict | None) -> None:
        if self.db is None or not warc or not warc.get("host") or warc["file"] in self.hosts_noted:
            return
        with write_transaction(self.db):
            self.db["warc_files"].upsert({"file": warc["file"], "host": warc["host"], "first_seen": now()},
                                         pk="file")
        self.hosts_noted.add(warc["file"])

    def live_workers(self) -> int:
        return sum(1 for silent in self.frontier.workers().values() if silent < self.lease_timeout)

    def crawl_over(self) -> bool:
        """Nothing queued, leased or waiting to be stored, and no worker alive."""
        return not (self.redis.llen(self.keys.items) or self.redis.llen(self.keys.processing)
                    or self.frontier.busy() or self.live_workers())


# --- the crawl's plan and its crawls row --------------------------------------------------------

class CrawlPlan:
    """The crawl as the workers see it (NAME:plan) and as the archive records it (a crawls row)."""

    def __init__(self, client: redis.Redis, keys: Keys, db, db_path: str):
        self.redis = client
        self.keys = keys
        self.db = db
        self.db_path = os.path.abspath(db_path)
        self.crawl_id: int | None = None
        self.source_ids: list[str] = []

    def open(self, source_ids: list[str], full: bool, recheck_days: float) -> bool:
        """Open a new crawl, or carry on with the running one; True if carried on."""
        plan = {k.decode(): v.decode() for k, v in self.redis.hgetall(self.keys.plan).items()}
        if plan.get("status") == "running":
            if plan.get("db") != self.db_path:
                raise DistributedError(f"crawl {self.keys.name!r} is running into {plan.get('db')}; "
                                       "finish it with that archive, or use another --crawl")
            self.crawl_id = int(plan["crawl_id"])
            self.source_ids = plan["sources"].split(",")
            return True
        self.clear(progress=True)
        self.source_ids = source_ids
        row = {"started_at": now(), "status": "running", "pid": os.getpid(), "sources": json.dumps(source_ids)}
        with write_transaction(self.db):
            self.crawl_id = self.db["crawls"].insert(row | counters({})).last_pk
        if not full:
            self.publish_known(recheck_days)
        templates = {row["source"]: row["data"] for row in self.db["site_templates"].rows}
        if templates:
            self.redis.hset(self.keys.templates, mapping=templates)
        self.redis.hset(self.keys.plan, mapping={
            "status": "running", "sources": ",".join(source_ids), "crawl_id": self.crawl_id,
            "started_at": row["started_at"], "finished_at": "", "db": self.db_path,
            "writer": f"{socket.gethostname()}:{os.getpid()}"})
        return False

    def publish_known(self, recheck_days: float) -> None:
        since = (datetime.now(timezone.utc) - timedelta(days=recheck_days)).isoformat(timespec="seconds")
        publish_known_files(self.redis, self.keys, self.db_path, since)
        known = list(read_known_articles(self.db_path, since).items())
        for start in range(0, len(known), PUBLISH_CHUNK):
            chunk = known[start:start + PUBLISH_CHUNK]
            self.redis.hset(self.keys.known, mapping={url: encode_known(key, fresh) for url, (key, fresh) in chunk})

    def save(self, reason: str | None = None) -> tuple[Outcome | None, dict]:
        """Refresh the crawls row and its crawl_sources rows; `reason`: the crawl ended (finished,
        or shutdown: the writer was stopped and the crawl may be carried on). How it ended, and its stats."""
        stats = crawl_stats(self.redis, self.keys)
        row = counters(stats) | {"status": "running"}
        outcome = None
        if reason:
            stats["finish_reason"] = reason
            outcome = (crawl_outcome(stats) if reason == "finished"
                       else Outcome("stopped", "shutdown", EXIT_ERRORS))  # to be carried on: not interrupted
            row |= {"status": outcome.status, "finished_at": now(), "finish_reason": reason,
                    "exit_status": outcome.exit_status}
        with write_transaction(self.db):
            self.db["crawls"].update(self.crawl_id, row)
        health.write_source_rows(self.db, self.crawl_id, self.source_ids, stats, reason)
        return outcome, stats

    def finish(self) -> tuple[Outcome, dict]:
        outcome, stats = self.save("finished")
        self.clear(progress=False)
        self.redis.hset(self.keys.plan, mapping={"status": "finished", "finished_at": now(), "outcome": outcome.words,
                                                 "closed": server_time(self.redis)})  # for late workers
        return outcome, stats

    def clear(self, progress: bool) -> None:
        """Delete the work keys (and the progress of the last crawl, when a new one opens)."""
        per_host = ("lease:*", "polite:*", "inflight:*", "robots:claim:*", "budget:*")
        doomed = self.keys.work() + [key for pattern in per_host
                                     for key in self.redis.scan_iter(f"{self.keys.name}:{pattern}")]
        if progress:  # the figures `archiwum status --redis` shows of a finished crawl
            doomed += [self.keys.progress, self.keys.stats,
                       *self.redis.scan_iter(f"{self.keys.name}:skipped:*")]
        self.redis.delete(*doomed)


# --- the command ---------------------------------------------------------------------------------

def run_writer(args, overrides: dict[str, str] | None = None) -> int:
    """Open (or carry on with) the crawl, store until it is over, then close it (and read the
    documents the workers fetched)."""
    settings = crawl_settings(args.db, overrides or {})
    client = connect_redis(args.redis)
    keys = Keys(args.crawl)
    db = connect(args.db)  # a bad --db fails here, with a clear message
    registry = load_registry(args.registry)
    source_ids = [s.id for s in select(registry, args.sources)]
    lease = WriterLease(client, keys, args.db, args.lease_timeout)
    lease.take()
    tally = Tally()
    try:
        with writer_lock(args.db):
            plan = CrawlPlan(client, keys, db, args.db)
            carried_on = plan.open(source_ids, args.full, settings.getfloat("ARCHIWUM_RECHECK_DAYS"))
            store = store_chain(args.db, list(registry.values()), tally)
            try:
                writer = Writer(client, keys, store, args.lease_timeout, db)
                recovered = writer.recover()
                ended = write_until_over(writer, plan, args.idle_exit)
            finally:
                store.close()
            writer.store_fates(plan.crawl_id)
            outcome, stats = plan.finish() if ended == "finished" else plan.save(ended)
            read = read_attachments(db, args.db, settings, writer.attachment_files) if ended == "finished" else None
    finally:
        lease.release()
        db.conn.close()
    counts = tally.counts
    stored = sum(n for key, n in counts.items() if key.startswith("store/"))
    print(f"writer {outcome.words}: crawl {args.crawl!r} ({'carried on' if carried_on else 'opened'}, crawls row "
          f"{plan.crawl_id}): {stored} items stored ({counts['store/new']} new, "
          f"{counts['store/changed']} changed, {counts['store/unchanged']} unchanged, "
          f"{counts['store/repeat']} repeats; {recovered} recovered from a previous writer), "
          f"{error_counts(stats)} → {args.db}")
    if read and (read.files or read.documents):
        print(read.summary())
    return outcome.exit_status


def read_attachments(db, db_path: str, settings, files: int) -> backlog.Outcome | None:
    """The text of the documents the workers fetched, once the crawl is over (as `archiwum crawl`)."""
    if not (settings.getbool("ARCHIWUM_ATTACHMENTS") and settings.getbool("ARCHIWUM_ATTACHMENT_READ_AFTER_CRAWL")):
        return None
    outcome = backlog.process(db, db_path, warc_dir(settings), backlog.limits_from(settings),
                              settings.getint("ARCHIWUM_ATTACHMENT_WORKERS"))
    outcome.files += files
    return outcome


def store_chain(db_path: str, sources: list, stats) -> StageChain:
    """The writer's end of the stage chain: its last stage (store) alone, opened."""
    settings = crawl_settings(db_path)
    return StageChain.build(StageContext(settings, stats, sources), stage_paths(settings)[-1:]).open()


def write_until_over(writer: Writer, plan: CrawlPlan, idle_exit: float, save_every: float = 10.0) -> str:
    """Store items until the crawl has been over for `idle_exit` seconds ("finished") or a signal
    stops the writer ("shutdown")."""
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    seen = bool(writer.redis.hlen(writer.keys.progress))  # a writer carrying on has seen the crawl
    over_since, saved = None, time.monotonic()
    while not stopping:
        if writer.store_next(timeout=HEARTBEAT_S) or not writer.crawl_over():
            seen, over_since = True, None
        elif seen or writer.redis.hlen(writer.keys.progress):  # a worker came and went between two looks
            over_since = over_since or time.monotonic()
            if time.monotonic() - over_since >= idle_exit:
                writer.store_leaf_pages()
                writer.store_attachment_files()
                writer.keep_learned_templates()
                return "finished"
        if time.monotonic() - saved >= save_every:
            writer.frontier.reclaim(writer.lease_timeout)  # so the frontier shows it, even with no worker left
            writer.store_leaf_pages()
            writer.store_attachment_files()
            writer.store_fates(plan.crawl_id)
            plan.save()
            saved = time.monotonic()
    writer.store_leaf_pages()
    writer.store_attachment_files()
    writer.keep_learned_templates()
    return "shutdown"

