"""Which articles a researcher asked for: a search, filters and an order, checked against the
archive, and the SQL that selects them. The web UI (results page, timeline, feed, exports)
and `archiwum export` build the same Selection, so the command a results page shows gives
the rows the page shows.

Dates are accepted as a researcher types them (2021, 03.2021, 15.03.2021, 2021-03-15) and
read as a range: `until=2021` means to the end of 2021. City, source, voivodeship and topic
are matched without regard to diacritics and case against the values in the archive.
"""
from __future__ import annotations

import calendar
import difflib
import re
import shlex
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date

from scraper.archive import facet_counts, search_index
from scraper.archive.attachment_index import article_rowids_sql

ORDERS = ("relevance", "newest", "oldest")
# option → column whose values the archive keeps counts of (facet_counts)
VALUE_COLUMNS = {"source": "source", "city": "city", "voivodeship": "voivodeship",
                 "topic": "topics"}
DATE_FORMS = [
    (re.compile(r"(\d{4})"), ("y",)),
    (re.compile(r"(\d{4})-(\d{1,2})"), ("y", "m")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[./](\d{4})"), ("m", "y")),
    (re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})"), ("d", "m", "y")),
]
SEARCH_WHERE = (f"articles.rowid in (select rowid from articles_fts where articles_fts match "
                f"{search_index.MATCH_FUNCTION}(:search))")
# The search also finds articles by the text of their attachments (unless asked not to).
SEARCH_WITH_ATTACHMENTS = (f"articles.rowid in (select rowid from articles_fts where "
                           f"articles_fts match {search_index.MATCH_FUNCTION}(:search) "
                           f"union {article_rowids_sql('search')})")
CONDITIONS = {
    "search": SEARCH_WHERE,
    "source": "articles.source = :source",
    "city": "articles.city = :city",
    "voivodeship": "articles.voivodeship = :voivodeship",
    "topic": "exists (select 1 from json_each(case when json_valid(articles.topics) "
             "then articles.topics end) where value = :topic)",
    # A date known only to its month ("2019-05") is on or after any day of that month; the
    # first bound lets SQLite use the index on published.
    "since": "articles.published >= substr(:since, 1, 4) "
             "and articles.published >= substr(:since, 1, length(articles.published))",
    "until": "articles.published < :until_next "
             "and substr(articles.published, 1, 10) <= :until",
}
LABELS = {"source": "źródło", "city": "miasto", "voivodeship": "województwo", "topic": "temat",
          "since": "data od", "until": "data do"}


class SelectionError(ValueError):
    """An option the archive cannot answer; `polish` is the same message for the web page."""

    def __init__(self, english: str, polish: str):
        super().__init__(english)
        self.polish = polish


@dataclass(frozen=True)
class Selection:
    search: str = ""
    source: str = ""
    city: str = ""
    voivodeship: str = ""
    topic: str = ""
    since: str = ""  # YYYY-MM-DD, checked
    until: str = ""  # YYYY-MM-DD, checked, inclusive
    order: str = ""  # one of ORDERS; empty: relevance with a search, else newest
    attachments: bool = True  # the search finds articles by their attachments' text too
    notes: tuple[str, ...] = field(default=(), compare=False)  # Polish, for the page

    @property
    def ranked(self) -> bool:
        return bool(self.search) and self.resolved_order == "relevance"

    @property
    def resolved_order(self) -> str:
        if self.order == "relevance" and not self.search:
            return "newest"
        return self.order or ("relevance" if self.search else "newest")

    def where(self) -> tuple[str, dict]:
        params = {name: getattr(self, name) for name in CONDITIONS if getattr(self, name)}
        if self.until:
            params["until_next"] = day_after(self.until)
        conditions = CONDITIONS | ({"search": SEARCH_WITH_ATTACHMENTS} if self.attachments else {})
        sql = " and ".join(f"({conditions[name]})" for name in conditions if name in params)
        return sql or "1", params

    def command(self, db: str = "archive.db") -> str:
        """The `archiwum export` command line that gives these rows."""
        args = ["archiwum", "export", "--db", db]
        for option in ("search", "source", "city", "voivodeship", "topic", "since", "until"):
            if getattr(self, option):
                args += [f"--{option}", getattr(self, option)]
        if self.order:
            args += ["--order", self.order]
        if self.search and not self.attachments:
            args.append("--no-attachments")
        return shlex.join(args)


def parse_date(text: str, end: bool = False) -> str:
    """A day as YYYY-MM-DD from the forms people type; a year or a month stands for its first
    day, or with `end` its last. Raises SelectionError on anything else."""
    text = text.strip()
    for pattern, parts in DATE_FORMS:
        match = pattern.fullmatch(text)
        if match:
            values = dict(zip(parts, map(int, match.groups())))
            try:
                return _day(values, end).isoformat()
            except ValueError:
                break
    raise SelectionError(
        f"cannot read the date {text!r}: use YYYY, YYYY-MM, YYYY-MM-DD, MM.YYYY or DD.MM.YYYY",
        f"Nie rozumiem daty „{text}”: wpisz np. 2021, 03.2021, 15.03.2021 albo 2021-03-15.")


def _day(values: dict, end: bool) -> date:
    year, month = values["y"], values.get("m", 12 if end else 1)
    if "d" in values:
        return date(year, month, values["d"])
    return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def day_after(day: str) -> str:
    return date.fromordinal(date.fromisoformat(day).toordinal() + 1).isoformat()


def known_values(conn: sqlite3.Connection, column: str) -> list[str]:
    """Values of a column that articles have, from the counts the triggers keep."""
    try:
        rows = conn.execute(f"select value from {facet_counts.TABLE} where facet = ? and count > 0",
                            [column]).fetchall()
    except sqlite3.OperationalError:
        rows = conn.execute(f"select distinct {column} from articles "
                            f"where {column} is not null").fetchall()
    return [row[0] for row in rows]


def source_names(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return {row[0]: row[1] for row in conn.execute("select id, name from sources")
                if row[1]}
    except sqlite3.OperationalError:
        return {}


def canonical_value(conn: sqlite3.Connection, option: str, value: str) -> str:
    """The archive's spelling of `value` ("gdansk" → "Gdańsk"); a source also by its name.
    Raises SelectionError, with the nearest values, when no article has it."""
    known = known_values(conn, VALUE_COLUMNS[option])
    names = source_names(conn) if option == "source" else {}
    by_folded = {search_index.fold(v): v for v in known}
    by_folded.update({search_index.fold(name): id_ for id_, name in names.items()
                      if id_ in known})
    wanted = search_index.fold(value.strip())
    if wanted in by_folded:
        return by_folded[wanted]
    near = difflib.get_close_matches(wanted, list(by_folded), n=3, cutoff=0.6)
    shown = [names.get(by_folded[n], by_folded[n]) for n in near]
    return _unknown(option, value, shown)


def _unknown(option: str, value: str, near: list[str]):
    english = f"no article has {option} {value!r}"
    polish = f"Żaden artykuł nie ma wartości „{value}” w polu {LABELS[option]}."
    if near:
        english += f" (did you mean {', '.join(map(repr, near))}?)"
        polish += f" Czy chodziło o: {', '.join(near)}?"
    raise SelectionError(english, polish)


def checked(conn: sqlite3.Connection, selection: Selection) -> Selection:
    """The selection with dates as days and values as the archive spells them; SelectionError
    says what does not fit."""
    changes = {}
    for option in VALUE_COLUMNS:
        if getattr(selection, option):
            changes[option] = canonical_value(conn, option, getattr(selection, option))
    if selection.since:
        changes["since"] = parse_date(selection.since)
    if selection.until:
        changes["until"] = parse_date(selection.until, end=True)
    since, until = changes.get("since"), changes.get("until")
    if since and until and since > until:
        raise SelectionError(f"--since {since} is after --until {until}",
                             f"Data od ({since}) jest późniejsza niż data do ({until}).")
    if selection.order and selection.order not in ORDERS:
        raise SelectionError(f"unknown order {selection.order!r} (one of {', '.join(ORDERS)})",
                             f"Nieznany porządek „{selection.order}”.")
    return replace(selection, **changes)


def year_range(year: str) -> tuple[str, str]:
    if not re.fullmatch(r"\d{4}", year.strip()):
        raise SelectionError(f"--year takes four digits, got {year!r}",
                             f"Rok to cztery cyfry, a nie „{year}”.")
    return f"{year.strip()}-01-01", f"{year.strip()}-12-31"


