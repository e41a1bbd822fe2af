"""What the workers tell the writer besides items: their crawl stats and the fates of their pages.

A worker counts what one crawl process counts (Scrapy's stats: errors by kind, spider errors,
pages not fetched, per-source figures, fates), and adds what changed since its last report to
the crawl's sum in NAME:stats every second and when it closes (`StatsReport`; a worker killed
loses at most its last second). The fate of every page it does not hand over as an item (not an
article, a duplicate, failed, not fetched) goes to NAME:fates as it happens (`SharedPageFates`),
and the writer adds the fates of the items it stores. From these the writer keeps the `crawls`
row, the `crawl_sources` rows and `page_fates` as `archiwum crawl` does (`crawl_stats`), with
the same wording and exit status (scraper/crawl/stats.py), and `archiwum status --redis` shows them.
"""
from __future__ import annotations

import json
from collections import Counter

import redis

from scraper.crawl import health
from scraper.crawl.fates import PageFates
from scraper.distributed.frontier import Keys

ROBOTS = "(robots.txt)"  # responses of no source, in NAME:progress
# Stats that are no sums: a worker's memory, its deepest request.
NOT_ADDITIVE = ("memusage/", "request_depth_max")
# The writer's per-portal figures (NAME:progress), counted once across workers: they replace the
# workers' own counts of the same things (a known article two workers skipped is skipped once).
PROGRESS_FIGURES = {"pages": "pages", "new": "new", "changed": "changed", "unchanged": "unchanged",
                    "repeat": "repeat", "skipped": "skipped"}
CRAWL_TOTALS = {"response_received_count": "pages", "store/new": "new", "store/changed": "changed",
                "store/unchanged": "unchanged", "store/repeat": "repeat", "incremental/skipped": "skipped",
                "queue/items_sent": "sent"}


def additive(stats: dict) -> dict[str, int]:
    """The stats a crawl's workers add up: whole numbers, no maxima."""
    return {key: value for key, value in stats.items()
            if type(value) is int and not key.startswith(NOT_ADDITIVE)}


class StatsReport:
    """A worker's stats, added to the crawl's (NAME:stats) as they grow."""

    def __init__(self, client: redis.Redis, keys: Keys, stats):
        self.redis = client
        self.keys = keys
        self.stats = stats
        self.sent: dict[str, int] = {}

    def send(self) -> None:
        """What changed since the last report, in one transaction (a kill neither halves nor doubles it)."""
        now = additive(self.stats.get_stats())
        changed = {key: value - self.sent.get(key, 0) for key, value in now.items() if value != self.sent.get(key, 0)}
        if not changed:
            return
        pipe = self.redis.pipeline(transaction=True)
        for key, delta in changed.items():
            pipe.hincrby(self.keys.stats, key, delta)
        pipe.execute()
        self.sent = now


class SharedPageFates(PageFates):
    """Extension (a worker's PageFates): the fates of its pages, to the writer as they happen. An
    item handed over is the writer's to tell (stored: new, changed, a repeat, a near-duplicate)."""

    @classmethod
    def from_crawler(cls, crawler):
        fates = super().from_crawler(crawler)
        fates.redis = redis.Redis.from_url(crawler.settings["REDIS_URL"])
        fates.keys = Keys(crawler.settings["ARCHIWUM_CRAWL"])
        return fates

    def scraped(self, item, response, spider) -> None:
        """Handed over to the writer, not yet stored."""

    def keep(self, row: dict) -> None:
        self.redis.lpush(self.keys.fates, json.dumps(row, ensure_ascii=False))


def read_progress(client: redis.Redis, keys: Keys) -> dict[str, dict[str, int]]:
    """Source -> its counts (pages, sent, new, changed, unchanged, repeat, skipped)."""
    portals: dict[str, Counter] = {}
    for field, value in client.hgetall(keys.progress).items():
        source, _, what = field.decode().rpartition(":")
        portals.setdefault(source, Counter())[what] = int(value)
    for key in client.scan_iter(f"{keys.name}:skipped:*"):
        source = key.decode().removeprefix(f"{keys.name}:skipped:")
        portals.setdefault(source, Counter())["skipped"] = client.pfcount(key)
    return {source: dict(counts) for source, counts in sorted(portals.items())}


def crawl_stats(client: redis.Redis, keys: Keys) -> dict:
    """The crawl's stats as one crawl process would hold them: the workers' sum, with the pages,
    store outcomes and skipped known articles counted once across workers (NAME:progress)."""
    stats: dict = {key.decode(): int(value) for key, value in client.hgetall(keys.stats).items()}
    portals = read_progress(client, keys)
    total = Counter()
    for source, counts in portals.items():
        total.update(counts)
        if source != ROBOTS:
            stats |= {health.key(source, what): counts.get(figure, 0) for what, figure in PROGRESS_FIGURES.items()}
    stats |= {key: total[figure] for key, figure in CRAWL_TOTALS.items()}
    return stats | {"portals": {source: counts for source, counts in portals.items() if source != ROBOTS},
                    "crawl": keys.name}


def portal_figures(stats: dict) -> dict[str, dict[str, int]]:
    """Source -> its figures for `archiwum status --redis`: those of NAME:progress, its errors
    (all kinds, as its crawl_sources row counts them) and whether its page budget was reached."""
    figures = {source: dict(counts) for source, counts in stats.get("portals", {}).items()}
    for source, counted in health.source_counters(stats).items():
        row = figures.setdefault(source, {})
        row["errors"] = sum(n for what, n in counted.items() if what.startswith("errors/"))
        row["budget_reached"] = counted.get("budget_reached", 0)
    return dict(sorted(figures.items()))
