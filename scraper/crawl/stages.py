"""The stage chain: clean -> dates -> dedupe -> store, built, opened, run and closed in one place.

Every way Archiwum runs its item stages goes through `StageChain`: Scrapy's item pipeline
(`StageChainPipeline`, when the stage process is off and under `scrapy crawl`), the stage process
(scraper/crawl/stage_process.py), the re-clean of a portal's first articles (scraper/crawl/reclean.py),
the distributed worker (the chain up to the hand-over) and writer (the store stage alone), and
bench/stages.py. The stages are named by dotted path in the ARCHIWUM_STAGES setting, so nothing
in scraper/ imports pipelines/.

A stage is a class with `from_context(context)` and `process_item(item)`, and optionally
`open_spider()` and `close_spider()` (Scrapy's pipeline names, so the stages read as Scrapy
pipelines). Stages are opened in order and closed in reverse order, as Scrapy does; before any
closes, the chain gives the re-clean its turn, while every stage is still open.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from scraper.crawl.reclean import Rereading
from scraper.registry.sources import Source


@dataclass
class StageContext:
    """What a stage may know of the run it is part of."""

    settings: BaseSettings
    stats: Any = None  # Scrapy's stats collector, or anything with its inc_value/set_value/max_value
    sources: list[Source] = field(default_factory=list)
    # Set when the chain replaces one killed mid-crawl (a page over ARCHIWUM_PAGE_TIME_LIMIT):
    # when that crawl's stages started, so a stage can recall what the crawl already stored.
    restarted_since: str | None = None
    # When the crawl's stages started, where they run apart from the fetching (the stage process
    # opens its chain while the first pages are already fetched): what was stored since is this run's.
    started_at: str | None = None

    @property
    def db_path(self) -> str | None:
        """The archive the stages read and write; None where there is none (a distributed worker)."""
        return self.settings.get("ARCHIWUM_DB") or None


class StageChain:
    def __init__(self, stages: list, context: StageContext):
        self.stages = stages
        self.context = context

    @classmethod
    def build(cls, context: StageContext, paths: list[str] | None = None) -> StageChain:
        """The stages named in ARCHIWUM_STAGES (or `paths`), in that order, not yet opened."""
        paths = stage_paths(context.settings) if paths is None else paths
        return cls([load_object(path).from_context(context) for path in paths], context)

    def open(self) -> StageChain:
        for stage in self.stages:
            if hasattr(stage, "open_spider"):
                stage.open_spider()
        return self

    def process(self, item):
        """The item through every stage; a stage drops it by raising DropItem."""
        for stage in self.stages:
            item = stage.process_item(item)
        return item

    def close(self, reclean: bool = True) -> None:
        """Close every stage; `reclean=False` (an interrupted crawl) leaves the notes for the next crawl."""
        rereader = reclean and Rereading.of(self)
        if rereader:
            self.count("reclean/articles", rereader.run())
        for stage in reversed(self.stages):
            if hasattr(stage, "close_spider"):
                stage.close_spider()

    def fresh(self, stages: list) -> list:
        """New, unopened instances of these stages of the chain, for the same run, counting nothing:
        a second reading of a page is not a second page (and how many there are depends on the
        order the pages arrived in)."""
        quiet = replace(self.context, stats=None)
        return [type(stage).from_context(quiet) for stage in stages]

    def count(self, key: str, n: int = 1) -> None:
        if self.context.stats is not None and n:
            self.context.stats.inc_value(key, n)


def stage_paths(settings: BaseSettings) -> list[str]:
    return settings.getlist("ARCHIWUM_STAGES")


class StageChainPipeline:
    """The chain as Scrapy's one item pipeline (ITEM_PIPELINES), for crawls that run the stages in
    the crawl process: `ARCHIWUM_STAGE_PROCESS=False`, `scrapy crawl` and the distributed worker."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.chain: StageChain | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        sources = getattr(self.crawler.spider, "sources", [])
        self.chain = StageChain.build(StageContext(self.crawler.settings, self.crawler.stats, sources)).open()

    def process_item(self, item):
        return self.chain.process(item)

    def close_spider(self) -> None:
        self.chain.close()
