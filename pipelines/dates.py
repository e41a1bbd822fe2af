"""Dates stage: fill Page.published / updated / created from the page's date evidence.

The clean stage gathered the evidence (`Page.date_evidence`: date lines, metryczka fields, the
markup's machine dates, change register rows; scraper/extract/evidence.py); this stage only reads
those strings (scraper/dates/grammar.py) and parses no HTML; how it found each date goes into
`date_source` (a column of the archive, so a researcher can tell a labelled date from one read in
the page's address). It never raises on what a page holds:
a date it cannot read is no date. Counts in crawler stats: dates/published, dates/updated_only,
dates/missing, dates/unreadable (machine-readable values that held no date it can read), and
dates/errors (pages a bug of the grammar left undated, each logged with its traceback).
"""
from __future__ import annotations

import logging
from datetime import datetime

from itemadapter import ItemAdapter

from scraper.dates.grammar import PageDates, page_dates

logger = logging.getLogger(__name__)


class DatesPipeline:
    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_context(cls, context):
        return cls(stats=context.stats)

    def process_item(self, item):
        page = ItemAdapter(item)
        try:
            dates = item_dates(page)
        except Exception:  # a grammar bug must not lose the page: it is stored undated, and said so
            logger.warning("dates of %s not read", page.get("url"), exc_info=True)
            self._inc("dates/errors")
            dates = PageDates(None, None, None, "not read: an error in the dates stage")
        page["published"], page["updated"], page["created"] = dates.published, dates.updated, dates.created
        page["date_source"] = dates.evidence
        logger.debug("dates of %s: %s", page.get("url"), dates.evidence)
        self._count(dates)
        return item

    def _count(self, dates):
        self._inc("dates/unreadable", dates.unreadable)
        if dates.published:
            self._inc("dates/published")
        elif dates.updated:
            self._inc("dates/updated_only")
        else:
            self._inc("dates/missing")

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None and n:
            self.stats.inc_value(key, n)


def item_dates(page) -> PageDates:
    """The dates of one page item, from the evidence the clean stage gathered."""
    return page_dates(page.get("date_evidence"), now=fetch_time(page.get("fetched_at")))


def fetch_time(fetched_at: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(fetched_at) if fetched_at else None
    except ValueError:
        return None
