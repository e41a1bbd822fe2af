"""Spider middlewares: the crawler traps that the shape of one URL alone does not reveal.

scraper/urls.py catches long, parameter-heavy and self-repeating URLs. Here:

- dates (`CalendarTrapMiddleware`): an endless calendar links month to month for ever with URLs of
  constant length. A link is dropped when a year in it lies beyond next year (no news is dated
  there), or when it is a calendar page more than CALENDAR_YEARS from today.
- branching paths (`BranchingTrapMiddleware`): a page `/a` that links `/ax` and `/a/x`, each of
  which does the same, makes a tree of short, distinct URLs that would eat the whole page budget.
  Each link whose path extends the path of the page it was found on (`/a` → `/ax`, `/a/x`) is one
  generation further down such a chain; a chain longer than MAX_EXTENSIONS is dropped. Real
  portals nest a handful of levels (`/bip/urzad/wydzial/referat/dokumenty/2023/123`); the
  binary tree stops after 2**(MAX_EXTENSIONS + 1) pages, a tenth of the default budget.

Drops are counted in `politeness/trap/<rule>`.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import unquote, urlsplit

from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

# A year where a date stands: a path segment or query value that is the year, or starts a date
# (2030-05, 2030/05). Not an id or a range inside a slug ("/2028-nabor.html", "strategia-2021-2030").
YEAR = re.compile(r"(?:^|[/=])((?:19|20)\d\d)(?=$|[/&#?]|[-/.](?:0?[1-9]|1[0-2])(?!\d))")
# Not "wydarzenia" (events): Polish portals file their news under it.
CALENDAR = re.compile(r"kalendar|calendar|terminarz", re.IGNORECASE)
FUTURE_YEARS = 1
CALENDAR_YEARS = 1


def trap_rule(url: str, this_year: int) -> str | None:
    """The rule a URL breaks, or None."""
    url = unquote(url)
    years = [int(y) for y in YEAR.findall(url)]
    if any(year > this_year + FUTURE_YEARS for year in years):
        return "future_date"
    if CALENDAR.search(url) and any(abs(year - this_year) > CALENDAR_YEARS for year in years):
        return "calendar"
    return None


class CalendarTrapMiddleware(BaseSpiderMiddleware):
    """Drop links into the far future and into distant calendar months."""

    def get_processed_request(self, request, response):
        if response is None or request.meta.get("carries_page"):  # never drop a page in waiting
            return request
        rule = trap_rule(request.url, datetime.now(timezone.utc).year)
        if rule is None:
            return request
        self.crawler.stats.inc_value(f"politeness/trap/{rule}")
        return None


MAX_EXTENSIONS = 8
EXTENSIONS_KEY = "path_extensions"  # request.meta: how many generations each extended the path


def extensions(url: str, found_on: str, before: int) -> int:
    """The length of the chain of pages each extending its parent's path, ending with `url`."""
    path, parent = urlsplit(url).path, urlsplit(found_on).path
    return before + 1 if len(path) > len(parent) and path.startswith(parent) else 0


class BranchingTrapMiddleware(BaseSpiderMiddleware):
    """Drop links at the end of a long chain of ever-longer paths."""

    def get_processed_request(self, request, response):
        if response is None or request.meta.get("carries_page"):  # never drop a page in waiting
            return request
        chain = extensions(request.url, response.url, response.meta.get(EXTENSIONS_KEY, 0))
        if chain > MAX_EXTENSIONS:
            self.crawler.stats.inc_value("politeness/trap/branching")
            return None
        request.meta[EXTENSIONS_KEY] = chain
        return request
