"""Which links a crawler does not follow: crawler traps and pages archived under another URL.

The one owner of that knowledge, as data: RULES is a table of (name, test) in the order they are
tried, the patterns and bounds they test stand above it, and `trap()` applies the table to a
link. The spider asks it of every link before the link spends the page budget (spiders/portal.py
`may_follow`); a link that breaks a rule is dropped and counted in `politeness/trap/<name>`.

Every link reaches here in canonical form: scraper/urls.py `canonicalize` has already dropped
session ids and tracking parameters (NOISE_PARAMS, `;jsessionid=` in a path), so those make no
new URLs and need no rule. What a portal's registry entry says (`deny_pattern`, its hosts) is
site knowledge and stays with the source; nothing here names a site.

Most rules read the URL alone. One reads its lineage too: a page `/a` that links `/ax` and `/a/x`,
each of which does the same, makes a tree of short, distinct URLs that would eat the whole page
budget. Each link whose path extends the path of the page it was found on (`/a` → `/ax`, `/a/x`)
is one generation further down such a chain (`generations()`); a chain longer than
MAX_GENERATIONS is dropped. Real portals nest a handful of levels
(`/bip/urzad/wydzial/referat/dokumenty/2023/123`); the binary tree stops after
2**(MAX_GENERATIONS + 1) pages, a tenth of the default budget.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, NamedTuple
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS

# Files that are no pages (images, media, archives); documents worth reading are fetched as
# attachments before a link is asked about (scraper/attachments/fetch.py).
FILE_EXTENSIONS = tuple("." + ext for ext in IGNORED_EXTENSIONS)
# Print and alternative views of a page that is archived under its normal URL (the clean stage
# calls a page fetched under one a print variant: scraper/extract/rules.py).
PRINT_VIEW = re.compile(r"[?&](?:print|printable|tmpl=component|format=(?:print|pdf)|drukuj)\b"
                        r"|/(?:print|drukuj|druk)(?:/|$|\.)", re.IGNORECASE)
# Log-in, log-out and sign-up forms: no news behind them, and they carry the page they were
# linked from (`?redirect_to=`, `?ReturnUrl=`), so every page of a portal links a new one.
ACCOUNT_SEGMENT = re.compile(
    r"/(?:wp-)?(?:log-?in|log-?out|sign-?(?:in|up|out)|logowanie|wylogowanie|(?:za|wy)loguj(?:-sie)?|wp-admin)"
    r"(?:\.(?:php|html?|aspx?))?(?:/|$)", re.IGNORECASE)
ACCOUNT_QUERY = re.compile(
    r"[?&](?:action=(?:login|logout|register)|option=com_users|redirect_to=|return_?url=|return_?to=|back_?url=)",
    re.IGNORECASE)
# One listing in another order: the same articles, as many URLs as there are columns and directions.
SORT_ORDER = re.compile(r"[?&](?:_?sort(?:_?by)?|sortuj|sortowanie|order_?by|ordering|order|kolejnosc|filter_order)=",
                        re.IGNORECASE)
# Ever-growing URLs: endless calendars and query strings that pile parameters up.
MAX_URL_LENGTH = 400
MAX_QUERY_PARAMS = 6
MAX_SEGMENT_REPEATS = 2
# A year where a date stands: a path segment or query value that is the year, or starts a date
# (2030-05, 2030/05). Not an id or a range inside a slug ("/2028-nabor.html", "strategia-2021-2030").
YEAR = re.compile(r"(?:^|[/=])((?:19|20)\d\d)(?=$|[/&#?]|[-/.](?:0?[1-9]|1[0-2])(?!\d))")
# Not "wydarzenia" (events): Polish portals file their news under it.
CALENDAR = re.compile(r"kalendar|calendar|terminarz", re.IGNORECASE)
FUTURE_YEARS = 1  # no news is dated beyond next year
CALENDAR_YEARS = 1  # a calendar is followed this many years either side of today
MAX_GENERATIONS = 8  # of a chain of pages each extending its parent's path


class Link(NamedTuple):
    """A link as the rules see it."""
    url: str
    parts: SplitResult
    generations: int  # of ever-longer paths leading to it (`generations()`)
    this_year: int
    years: list[int]  # where a date stands in it (YEAR), read once for the two rules that weigh them


def years_in(url: str) -> list[int]:
    text = unquote(url)
    if "19" not in text and "20" not in text:  # no year can stand in it (most links): not searched
        return []
    return [int(year) for year in YEAR.findall(text)]


def repeated_segment(link: Link) -> bool:
    segments = [s for s in link.parts.path.split("/") if s]
    return len(set(segments)) < len(segments) and max(map(segments.count, segments)) > MAX_SEGMENT_REPEATS


def many_parameters(link: Link) -> bool:
    """parse_qsl's pairs are split at "&": a query of fewer is not parsed (most links)."""
    query = link.parts.query
    return query.count("&") >= MAX_QUERY_PARAMS and len(parse_qsl(query)) > MAX_QUERY_PARAMS


class Rule(NamedTuple):
    name: str  # the stat: politeness/trap/<name>
    breaks: Callable[[Link], bool]


RULES: tuple[Rule, ...] = (
    # a file that is no page (image, media, archive)
    Rule("file", lambda link: link.parts.path.lower().endswith(FILE_EXTENSIONS)),
    Rule("print_view", lambda link: bool(PRINT_VIEW.search(link.url))),
    Rule("account", lambda link: bool(ACCOUNT_SEGMENT.search(link.parts.path) or ACCOUNT_QUERY.search(link.url))),
    Rule("sort_order", lambda link: bool(SORT_ORDER.search(link.url))),
    Rule("long_url", lambda link: len(link.url) > MAX_URL_LENGTH),
    Rule("many_parameters", many_parameters),
    # a path segment more than MAX_SEGMENT_REPEATS times: /a/b/a/b/a/b
    Rule("repeated_segment", repeated_segment),
    Rule("future_date", lambda link: any(year > link.this_year + FUTURE_YEARS for year in link.years)),
    # a calendar page more than CALENDAR_YEARS from today (its years asked first: most links have none)
    Rule("calendar", lambda link: any(abs(year - link.this_year) > CALENDAR_YEARS for year in link.years)
         and bool(CALENDAR.search(unquote(link.url)))),
    # a chain of more than MAX_GENERATIONS ever-longer paths (the module's docstring)
    Rule("branching", lambda link: link.generations > MAX_GENERATIONS),
)


@lru_cache(maxsize=16_384)  # menus link the same URLs from every page
def trap(url: str, this_year: int, chain: int = 0) -> str | None:
    """The name of the first rule in RULES the link breaks, or None: follow it. `chain`: the
    generations of ever-longer paths that lead to it (`generations()`)."""
    link = Link(url, urlsplit(url), chain, this_year, years_in(url))
    for rule in RULES:
        if rule.breaks(link):
            return rule.name
    return None


def generations(url: str, found_on: str, before: int) -> int:
    """The length of the chain of pages each extending its parent's path, ending with `url` found
    on the page `found_on` (itself at the end of a chain of `before`)."""
    path, parent = urlsplit(url).path, urlsplit(found_on).path
    return before + 1 if len(path) > len(parent) and path.startswith(parent) else 0
