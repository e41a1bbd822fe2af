"""What the researcher's pages show beyond Datasette's own data: the home page's figures and
example searches, a results page's selection (its dates, the notes on its filters, the
timeline, feed and downloads of the same articles, the `archiwum export` command), and an
article's versions, near-duplicates, attachments and citation."""
from __future__ import annotations

import difflib
import json
from datetime import date
from pathlib import Path

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_encode
from markupsafe import Markup

from scraper.archive import facet_counts
from scraper.archive.selection import Selection, SelectionError, parse_date
from scraper.web.plugin import SEARCH_TABLE, filter_notes, ranked, search_hits
import scraper.web.polish as polish  # not `from scraper.web`: that package imports this module
from scraper.web.suggest import better_query
from scraper.web.facets import HEADINGS, source_names
from scraper.web.selection import (kept_query, ordered_as_shown, selection_from_args)

EXAMPLE_TOPICS = 6
TABLE_VIEW = ("_widok", "tabela")  # ?_widok=tabela: every column, as Datasette shows it
POLISH_MONTHS = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                 "sierpnia", "września", "października", "listopada", "grudnia"]
ARTICLE_SQL = "select rowid, * from articles where id = :id"
VERSIONS_SQL = ("select fetched_at, title, body from article_versions where article_id = :id "
                "order by fetched_at")
ATTACHMENTS_SQL = "select url, title, type, size from attachments where article_id = :id"
# Two indexed lookups (an `or` of the two scans every article). Most articles repeat none, so
# ANALYZE finds the duplicate_of index useless (one value, null, for nearly every row) and
# SQLite would scan the table: the index is named (scraper/archive/db.py creates it).
COPIES_SQL = ("select * from (select id, title, source, published, fetched_at from articles "
              "where id = :original and id != :id union all "
              "select id, title, source, published, fetched_at from articles "
              "indexed by idx_articles_duplicate_of where duplicate_of = :original "
              "and id != :id) order by coalesce(published, fetched_at), id limit 50")


def polish_date(value: str | None) -> str:
    """"2024-03-01T10:00:00+01:00" → "1 marca 2024"; a month or a year as far as known."""
    if not value:
        return ""
    parts = value[:10].split("-")
    try:
        if len(parts) == 3:
            day = date.fromisoformat(value[:10])
            return f"{day.day} {POLISH_MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2:
            return f"{int(parts[1]):02d}.{parts[0]}"
    except (ValueError, IndexError):
        pass
    return value


def http_url(value: str | None) -> str | None:
    """Only http(s) addresses become links."""
    return value if value and value.lower().startswith(("http://", "https://")) else None


def topic_list(value) -> list[str]:
    try:
        items = json.loads(value) if isinstance(value, str) else value or []
    except ValueError:
        return []
    return [item for item in items if isinstance(item, str)] if isinstance(items, list) else []


def cells_by_column(row) -> dict:
    return {cell["column"]: cell for cell in row}


@hookimpl
def prepare_jinja2_environment(env):
    env.filters.update({"polish_date": polish_date, "http_url": http_url,
                        "topic_list": topic_list, "cells_by_column": cells_by_column,
                        "tilde_encode": tilde_encode,
                        "thousands": lambda n: f"{n:,}".replace(",", "\u00a0")})
    polish.register(env)


@hookimpl(specname="filters_from_request")
def date_filters(request, database, table, datasette):
    """`_since` / `_until` on the articles page: days, months or years as people type them;
    `_until=2021` runs to the end of 2021. A date that cannot be read filters nothing and the
    page says so."""
    if table != SEARCH_TABLE:
        return None
    typed = {name: request.args.get(f"_{name}", "").strip() for name in ("since", "until")}
    if not any(typed.values()):
        return None
    try:
        days = {name: parse_date(text, end=name == "until") if text else ""
                for name, text in typed.items()}
    except SelectionError as error:
        return FilterArguments([], extra_context={"archiwum_date_error": error.polish})
    where, params = Selection(**days).where()
    return FilterArguments([where], params, [_described(days)])


def _described(days: dict[str, str]) -> str:
    return "opublikowane " + " ".join(filter(None, [
        days["since"] and f"od {polish_date(days['since'])}",
        days["until"] and f"do {polish_date(days['until'])}"]))


@hookimpl(specname="extra_template_vars")
def page_vars(view_name, request, datasette, database, table):
    if view_name == "index":
        return _home(datasette)
    if table != SEARCH_TABLE or request is None:
        return None
    if view_name == "table":
        return _results(datasette, database, request)
    if view_name == "row":
        return _article(datasette, database, request)
    return None


def _archive(datasette):
    """The database holding the articles (the first one served that has them)."""
    for name, database in datasette.databases.items():
        if name != "_internal" and database.path:
            return database
    return None


def _home(datasette):
    async def figures():
        database = _archive(datasette)
        if database is None or not await database.table_exists(SEARCH_TABLE):
            return {"archiwum_home": None}
        counts = {"articles": 0, "sources": 0, "years": [], "topics": []}
        if await database.table_exists(facet_counts.TABLE):
            rows = await database.execute(
                f"select facet, value, count from {facet_counts.TABLE} where count > 0 "
                f"and facet in ('source', 'published', 'topics') order by count desc")
            for row in rows:
                if row["facet"] == "source":
                    counts["sources"] += 1
                elif row["facet"] == "published":
                    counts["years"].append(row["value"])
                else:
                    counts["topics"].append(row["value"])
            total = await database.execute(
                "select count from _counts where \"table\" = 'articles'")
            counts["articles"] = total.first()[0] if total.first() else 0
        counts["years"] = sorted(counts["years"])
        counts["topics"] = counts["topics"][:EXAMPLE_TOPICS]
        return {"archiwum_home": {"database": database.name, **counts}}
    return figures


def _results(datasette, database, request):
    async def selection_vars():
        args = {name: request.args.getlist(name) for name in request.args.keys()}
        selection = ordered_as_shown(selection_from_args(args), ranked.get())
        names = await source_names(datasette.get_database(database))
        hits = search_hits.get()
        suggestion = None
        if selection.search and hits is not None and hits.count == 0:
            suggestion = await datasette.get_database(database).execute_fn(
                lambda conn: better_query(conn, selection.search))
        return {
            "archiwum_list_view": request.args.get(TABLE_VIEW[0]) != TABLE_VIEW[1],
            "archiwum_selection": selection,
            "archiwum_notes": filter_notes.get(),
            "archiwum_command": selection.command(db_file(datasette.get_database(database))),
            "archiwum_query": kept_query(args),
            "archiwum_export_query": kept_query(args, _order=selection.order),
            "archiwum_source_names": names,
            "archiwum_headings": HEADINGS,
            "archiwum_suggestion": suggestion,
            "archiwum_suggestion_query": kept_query({**args, "_search": [suggestion or ""]}),
            "archiwum_since": _date_input(request.args.get("_since", "")),
            "archiwum_until": _date_input(request.args.get("_until", ""), end=True),
            "archiwum_described": _dates_described(request),
        }
    return selection_vars


def db_file(database) -> str:
    """The archive's file name, as `archiwum export --db` takes it."""
    return Path(database.path).name if database.path else "archive.db"


def _dates_described(request) -> list[str]:
    """The dates filter as the sentence above Datasette's table says it (none if unread)."""
    days = {name: _typed_day(request.args.get(f"_{name}", ""), end=name == "until")
            for name in ("since", "until")}
    return [_described(days)] if any(days.values()) else []


def _typed_day(text: str, end: bool = False) -> str:
    """The day a typed date stands for (ISO), or empty."""
    try:
        return parse_date(text, end) if text.strip() else ""
    except SelectionError:
        return ""


def _date_input(text: str, end: bool = False) -> str:
    """The date input's value: the day a typed date stands for as Polish readers write it
    (31.12.2021), or what was typed when it cannot be read (the page says why)."""
    day = _typed_day(text, end)
    if len(day) != 10:
        return text
    return f"{day[8:10]}.{day[5:7]}.{day[:4]}"


def _article(datasette, database, request):
    async def article_vars():
        db = datasette.get_database(database)
        article_id = _row_id(request)
        row = (await db.execute(ARTICLE_SQL, {"id": article_id})).first()
        if row is None:
            return {}
        article = dict(row)
        names = await source_names(db)
        versions = [dict(v) for v in await db.execute(VERSIONS_SQL, {"id": article_id})]
        attachments = [dict(a) for a in await db.execute(ATTACHMENTS_SQL, {"id": article_id})]
        copies = [dict(c) for c in await db.execute(
            COPIES_SQL, {"id": article_id, "original": article["duplicate_of"] or article_id})]
        permalink = datasette.absolute_url(request, request.path)
        source_name = names.get(article["source"], article["source"])
        return {"archiwum_article": {
            **article, "source_name": source_name,
            "paragraphs": paragraphs(article["body"]),
            "topic_items": topic_list(article["topics"]),
            "versions": with_changes(versions, article),
            "attachments": attachments,
            "copies": [{**c, "source_name": names.get(c["source"], c["source"])} for c in copies],
            "permalink": permalink,
            "citation": citation(article, source_name, permalink),
        }}
    return article_vars


def _row_id(request) -> str:
    from datasette.utils import tilde_decode, urlsafe_components
    return urlsafe_components(request.url_vars["pks"])[0] if "pks" in request.url_vars \
        else tilde_decode(request.path.rsplit("/", 1)[-1])


def paragraphs(body: str | None) -> list[str]:
    return [line.strip() for line in (body or "").split("\n") if line.strip()]


def with_changes(versions: list[dict], article: dict) -> list[dict]:
    """Each earlier version, oldest first, with what changed from it to the next text."""
    texts = versions + [{"fetched_at": article["fetched_at"], "title": article["title"],
                         "body": article["body"]}]
    changed = []
    for number, (before, after) in enumerate(zip(texts, texts[1:]), 1):
        changed.append({**before, "number": number, "changes": paragraph_diff(before, after)})
    return changed


def paragraph_diff(before: dict, after: dict) -> list[tuple[str, str]]:
    """("-", removed) and ("+", added) paragraphs, the title first."""
    old = [f"Tytuł: {before['title'] or ''}", *paragraphs(before["body"])]
    new = [f"Tytuł: {after['title'] or ''}", *paragraphs(after["body"])]
    return [(line[0], line[2:]) for line in difflib.ndiff(old, new) if line[:1] in "-+"]


def citation(article: dict, source_name: str, permalink: str) -> Markup:
    """Publisher, „title”, date, URL, the archive date and permalink (a common Polish form)."""
    from markupsafe import escape
    parts = [escape(source_name), Markup("„<i>{}</i>”").format(article["title"] or "")]
    if article["published"]:
        parts.append(escape(polish_date(article["published"])))
    if http_url(article["url"]):
        parts.append(Markup("Dostępne: {}").format(article["url"]))
    archived = polish_date((article["fetched_at"] or "")[:10])
    parts.append(Markup("Zarchiwizowano {}: {}").format(archived, permalink))
    return Markup(". ").join(parts) + "."
