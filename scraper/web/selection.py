"""The articles page's query string as a Selection (scraper/archive/selection.py), so the
timeline, the feed and the downloads of a results page select the same articles, and
filter values typed without Polish letters ("city=gdansk") find the archive's spelling."""
from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlencode

from scraper.archive.selection import Selection, SelectionError, canonical_value, checked

# query-string argument → Selection option (the facets' own arguments, and the date inputs)
VALUE_ARGS = {"source": "source", "city": "city", "voivodeship": "voivodeship",
              "topics__arraycontains": "topic"}
DATE_ARGS = {"_since": "since", "_until": "until"}
SEARCH_ARG = "_search"
ATTACHMENTS_ARG = "_attachments"  # "0": the articles' own text only (scraper/web/attachments.py)
PERIOD_PREFIX = re.compile(r"\d{4}(-\d{2})?")
ORDER_ARGS = {("_sort", "relevance"): "relevance", ("_sort_desc", "published"): "newest",
              ("_sort", "published"): "oldest"}
# arguments a results page passes on to its timeline, feed and downloads
KEPT_ARGS = [SEARCH_ARG, *VALUE_ARGS, *DATE_ARGS, "published__startswith", ATTACHMENTS_ARG]


def _first(args: dict[str, list[str]], name: str) -> str:
    return (args.get(name) or [""])[0].strip()


def selection_from_args(args: dict[str, list[str]]) -> Selection:
    """What a results page's arguments select; a year or month clicked in a facet or on the
    timeline (`published__startswith=2021-03`) is a date range."""
    since, until = _first(args, "_since"), _first(args, "_until")
    period = _first(args, "published__startswith")
    if period and PERIOD_PREFIX.fullmatch(period) and not (since or until):
        since = until = period
    order = next((order for (arg, value), order in ORDER_ARGS.items()
                  if _first(args, arg) == value), "")
    return Selection(search=_first(args, SEARCH_ARG), since=since, until=until, order=order,
                     attachments=_first(args, ATTACHMENTS_ARG) != "0",
                     **{option: _first(args, arg) for arg, option in VALUE_ARGS.items()})


def kept_query(args: dict[str, list[str]], **extra: str) -> str:
    """The query string that selects the same articles on another page."""
    kept = {name: args[name][0] for name in KEPT_ARGS if args.get(name) and args[name][0]}
    return urlencode({**kept, **{k: v for k, v in extra.items() if v}})


async def with_archive_spelling(database, args: dict[str, list[str]]
                                ) -> tuple[dict[str, list[str]], list[str]]:
    """Filter values as the archive spells them ("gdansk" → "Gdańsk"); a value no article has
    stays, and a note (in Polish) says why the page is empty."""
    notes = []
    changed = dict(args)
    for arg, option in VALUE_ARGS.items():
        values = args.get(arg)
        if not values or not values[0].strip():
            continue
        try:
            spelled = await database.execute_fn(
                lambda conn, o=option, v=values[0]: canonical_value(conn, o, v))
        except SelectionError as error:
            notes.append(error.polish)
            continue
        changed[arg] = [spelled, *values[1:]]
    return changed, notes


async def checked_selection(database, selection: Selection) -> Selection:
    """The selection checked against the archive, in a worker thread (raises SelectionError)."""
    return await database.execute_fn(lambda conn: checked(conn, selection))


def ordered_as_shown(selection: Selection, ranked: bool) -> Selection:
    """The order the results page shows: best match first only when it ranked the hits."""
    if selection.search:
        return replace(selection, order="relevance" if ranked else
                       (selection.order if selection.order != "relevance" else "newest"))
    return selection
