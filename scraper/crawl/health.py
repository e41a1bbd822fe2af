"""Per-source figures of a run: counted as the crawl goes, one `crawl_sources` row per source at the end.

A night of many portals must show which one broke. Every stage that knows an item's or a
request's source counts under `source/<id>/...` in the crawl's stats (a dict increment each,
nothing more): the spider (errors, robots.txt, budget), the store stage (new, changed, unchanged),
the incremental and conditional-request middlewares (known articles not fetched, 304s) and the
`SourceCounts` extension below (pages received, callback errors). `source_rows` turns those
counters into the rows; scraper/archive/source_health.py reads them back for `archiwum status`.
"""
from __future__ import annotations

import json
from collections import defaultdict

from scrapy import signals
from scrapy.exceptions import NotConfigured

from scraper.archive.db import write_transaction

PREFIX = "source/"
UNCHANGED = ("unchanged", "skipped", "not_modified")  # stored unchanged, not fetched again, 304


def key(source_id: str, what: str) -> str:
    return f"{PREFIX}{source_id}/{what}"


def count(stats, source_id: str | None, what: str, n: int = 1) -> None:
    """Count one more `what` for a source; nothing for requests of no source (robots.txt)."""
    if source_id and stats is not None:
        stats.inc_value(key(source_id, what), n)


def source_counters(stats: dict) -> dict[str, dict[str, int]]:
    """source id -> {what: n}, from the flat stats keys."""
    by_source: dict[str, dict[str, int]] = defaultdict(dict)
    for name, value in stats.items():
        if name.startswith(PREFIX):
            source_id, _, what = name[len(PREFIX):].partition("/")
            by_source[source_id][what] = value
    return by_source


def how_it_ended(figures: dict[str, int], errors: int, finish_reason: str | None) -> str:
    if finish_reason is None:
        return "running"
    if finish_reason != "finished":
        return f"stopped ({finish_reason})"
    if not figures.get("pages"):
        if figures.get("robots_forbidden"):
            return "blocked by robots.txt"
        return "nothing fetched" if errors or not figures.get("skipped") else "finished"
    if figures.get("budget_reached"):
        return "page budget reached"
    return "finished"


def source_row(crawl_id: int, source_id: str, figures: dict[str, int], finish_reason: str | None) -> dict:
    errors = {what.removeprefix("errors/"): n for what, n in sorted(figures.items()) if what.startswith("errors/")}
    error_count = sum(errors.values())
    return {
        "crawl_id": crawl_id, "source": source_id,
        "pages": figures.get("pages", 0),
        "articles_new": figures.get("new", 0),
        "articles_changed": figures.get("changed", 0),
        "articles_unchanged": sum(figures.get(what, 0) for what in UNCHANGED),
        "errors": json.dumps(errors, sort_keys=True), "error_count": error_count,
        "robots_forbidden": figures.get("robots_forbidden", 0),
        "budget_reached": 1 if figures.get("budget_reached") else 0,
        "ended": how_it_ended(figures, error_count, finish_reason),
    }


def source_rows(crawl_id: int, source_ids: list[str], stats: dict, finish_reason: str | None) -> list[dict]:
    """A row for every source of the run, also those nothing was counted for; `finish_reason`
    None: the run goes on (its rows are refreshed with the `crawls` row, so a killed run keeps them)."""
    counted = source_counters(stats)
    return [source_row(crawl_id, source_id, counted.get(source_id, {}), finish_reason)
            for source_id in dict.fromkeys([*source_ids, *counted])]


def write_source_rows(db, crawl_id: int, source_ids: list[str], stats: dict, finish_reason: str | None) -> None:
    with write_transaction(db):
        db["crawl_sources"].upsert_all(source_rows(crawl_id, source_ids, stats, finish_reason),
                                       pk=("crawl_id", "source"))


def mark_sources_interrupted(db, crawl_id: int) -> None:
    """The rows of a run that died without closing them (called inside the caller's transaction)."""
    db.execute("update crawl_sources set ended = 'interrupted' where crawl_id = ? and ended = 'running'", [crawl_id])


class SourceCounts:
    """Extension: pages received and callback errors, per source (the rest is counted where it happens)."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIWUM_CRAWL_LOG_ENABLED"):
            raise NotConfigured
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
        return extension

    def received(self, response, request, spider) -> None:
        count(self.stats, request.meta.get("source"), "pages")

    def spider_error(self, failure, response, spider) -> None:
        count(self.stats, response.meta.get("source"), f"errors/spider_{type(failure.value).__name__}")
