"""A source's page budget (`max_pages` in the registry): how many pages the spider may follow in one crawl.

The spider (spiders/portal.py) asks the budget named by ARCHIWUM_PAGE_BUDGET before it follows
links it has not followed before; start pages, feeds and sitemaps are not counted. This one
counts in the crawl process; a distributed crawl's workers share one count per crawl through
Redis (scraper/distributed/budget.py), so the budget holds for the whole crawl, not per worker.
A source whose budget turned a link away is marked `budget_reached` (its `crawl_sources` row
says "page budget reached").
"""
from __future__ import annotations

from collections import Counter

from scraper.crawl import health
from scraper.registry.sources import Source


class PageBudget:
    def __init__(self, stats=None):
        self.stats = stats
        self.taken: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def take(self, source: Source, urls: list[str]) -> list[str]:
        """The URLs (new to this spider, in order) that fit in what is left of the source's budget."""
        room = max(0, source.max_pages - self.taken[source.id])
        admitted = urls[:room]
        self.taken[source.id] += len(admitted)
        self.turned_away(source, len(urls) - len(admitted))
        return admitted

    def turned_away(self, source: Source, n: int) -> None:
        if n > 0 and self.stats is not None:
            self.stats.inc_value("portal/page_budget_reached", n)
            self.stats.set_value(health.key(source.id, "budget_reached"), 1)
