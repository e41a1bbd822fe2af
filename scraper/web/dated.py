"""The publication day of every article, by rowid, held in memory for the timeline.

Counting a search's articles per month in SQL reads every hit's row (~5-17 µs each: the rows
hold the bodies): seconds for a broad search of a million articles. The index on `published`
holds each article's date beside its rowid, so one scan of it (covering, no row read) gives an
array of days by rowid; a timeline then needs only the rowids of its articles, which the
full-text index and the column indexes give without reading rows either. The array is rebuilt
when the archive's row count changes (4 bytes an article: 4 MB at 1M).
"""
from __future__ import annotations

import asyncio
import re
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date

from datasette import hookimpl

# The published index, covering: no row is read. Days, not times: few distinct values.
DATES_SQL = ("select rowid, substr(published, 1, 10) from articles "
             "where published >= '0000' and published < ':'")
NEW_DATES_SQL = ("select rowid, substr(published, 1, 10) from articles where rowid > :last "
                 "and published >= '0000' and published < ':'")
COUNT_SQL = "select count from _counts where \"table\" = 'articles'"
MAX_ROWID_SQL = "select max(rowid) from articles"
ISO_PREFIX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@lru_cache(maxsize=100_000)
def day_number(published: str) -> int:
    """"2024-03-05…" → 20240305; a month only → 20240300; a year only → 20240000; else 0."""
    match = ISO_PREFIX.match(published or "")
    if not match:
        return 0
    year, month, day = (int(part or 0) for part in match.groups())
    return year * 10_000 + month * 100 + day


@dataclass
class Dates:
    by_rowid: array  # day_number of each rowid (0: no date)
    rows: int | None  # the archive's row count when read
    totals: dict = field(default_factory=dict)  # period → articles per label, whole archive

    def days(self, rowids=None) -> Counter:
        """Articles per day_number, of these rowids or (None) of all."""
        if rowids is None:
            days = Counter(self.by_rowid)
        else:
            size, by_rowid = len(self.by_rowid), self.by_rowid
            days = Counter(by_rowid[r] for r in rowids if r < size)
        days.pop(0, None)
        return days


def read_dates(conn: sqlite3.Connection, by_rowid: array | None = None) -> array:
    """Days by rowid: all of them, or (given the array read before) those of articles added
    since, which have higher rowids."""
    top = conn.execute(MAX_ROWID_SQL).fetchone()[0] or 0
    last = len(by_rowid) - 1 if by_rowid is not None else 0
    if by_rowid is None:
        by_rowid, rows = array("i", bytes(4 * (top + 1))), conn.execute(DATES_SQL)
    else:
        by_rowid = by_rowid + array("i", bytes(4 * max(0, top - last)))
        rows = conn.execute(NEW_DATES_SQL, {"last": last})
    for rowid, published in rows:
        by_rowid[rowid] = day_number(published)
    return by_rowid


_cache: dict[str, Dates] = {}
_lock = asyncio.Lock()


async def dates_of(database) -> Dates:
    """The archive's dates: read once (~1-2 s at 1M articles), then when articles were added
    only theirs, and all again when there are fewer than before. (A date changed on an article
    already read shows after the next full read: re-dated articles are rare.)"""
    rows = await _row_count(database)
    async with _lock:
        known = _cache.get(database.name)
        if known is None or rows is None or known.rows is None or rows < known.rows:
            known = Dates(await database.execute_fn(read_dates), rows)
        elif rows > known.rows:
            before = known.by_rowid
            known = Dates(await database.execute_fn(lambda conn: read_dates(conn, before)), rows)
        _cache[database.name] = known
    return known


@hookimpl(specname="startup")
def read_dates_early(datasette):
    """Read the dates in the background as the server starts, not in the first timeline."""
    async def start():
        for name, database in datasette.databases.items():
            if name != "_internal" and await database.table_exists("articles"):
                task = asyncio.get_running_loop().create_task(dates_of(database))
                _background.add(task)
                task.add_done_callback(_background.discard)
    return start


_background: set = set()  # the tasks, kept from the garbage collector


async def _row_count(database) -> int | None:
    try:
        row = (await database.execute(COUNT_SQL)).first()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


# ---------------------------------------------------------------- periods of days

@lru_cache(maxsize=100_000)
def period_of(day: int, period: str) -> str | None:
    """The period label (as routes.PERIODS names them) of a day_number, or None when the date
    is too coarse for it."""
    year, month, dom = day // 10_000, day // 100 % 100, day % 100
    if period == "rok":
        return f"{year:04d}"
    if not month:
        return None
    if period == "miesiac":
        return f"{year:04d}-{month:02d}"
    if not dom:
        return None
    try:
        return date(year, month, dom).strftime("%Y-W%W")
    except ValueError:
        return None


def per_period(days: Counter, period: str, scale: float = 1.0) -> dict[str, int]:
    """Articles per period label from a count of articles per day_number."""
    counts: Counter = Counter()
    for day, count in days.items():
        label = period_of(day, period)
        if label:
            counts[label] += count
    return {label: round(count * scale) for label, count in counts.items()}


def within(days: Counter, since: str, until: str) -> Counter:
    """The days on or after `since` and on or before `until` (YYYY-MM-DD, either may be
    empty); a date known only to its month or year is in the range if any of its days is."""
    if not (since or until):
        return days
    low = int(since.replace("-", "")) if since else 0
    high = int(until.replace("-", "")) if until else 99_999_999
    return Counter({day: count for day, count in days.items()
                    if _last_day(day) >= low and _first_day(day) <= high})


def _first_day(day: int) -> int:
    return day + (0 if day % 100 else 1) + (0 if day // 100 % 100 else 100)


def _last_day(day: int) -> int:
    return day + (0 if day % 100 else 31) + (0 if day // 100 % 100 else 1200)
