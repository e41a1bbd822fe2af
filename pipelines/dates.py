"""Dates stage: fill Page.published / updated / created from the page (scraper/dates/grammar.py).

A document's change register, fetched by the spider into `meta["change_register"]`, is read here
(scraper/dates/change_register.py) and not carried further. Counts in crawler stats: dates/published,
dates/updated_only, dates/missing.
"""
from __future__ import annotations

import logging
from datetime import datetime

from itemadapter import ItemAdapter

from scraper.dates.change_register import register_changes
from scraper.dates.grammar import PageDates, label_kind, page_dates

logger = logging.getLogger(__name__)


class DatesPipeline:
    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_context(cls, context):
        return cls(stats=context.stats)

    def process_item(self, item):
        page = ItemAdapter(item)
        dates = item_dates(page)
        (page.get("meta") or {}).pop("change_register", None)  # read: not carried further
        page["published"], page["updated"], page["created"] = dates.published, dates.updated, dates.created
        logger.debug("dates of %s: %s", page.get("url"), dates.evidence)
        self._count(dates)
        return item

    def _count(self, dates):
        if self.stats is None:
            return
        if dates.published:
            self.stats.inc_value("dates/published")
        elif dates.updated:
            self.stats.inc_value("dates/updated_only")
        else:
            self.stats.inc_value("dates/missing")


def item_dates(page) -> PageDates:
    """The dates of one page item: its date lines, metryczka fields, markup and change register."""
    meta = page.get("meta") or {}
    lines = list(page.get("date_lines") or []) + metryka_lines(meta)
    changes = register_changes(meta.get("change_register"))
    return page_dates(page.get("html") or "", lines, now=fetch_time(page.get("fetched_at")), changes=changes)


def metryka_lines(meta: dict) -> list[str]:
    """Date fields of a BIP metryczka that the clean stage read into meta ("Data publikacji": …)."""
    return [f"{label}: {value}" for label, value in meta.items() if isinstance(value, str) and label_kind(label)]


def fetch_time(fetched_at: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(fetched_at) if fetched_at else None
    except ValueError:
        return None
