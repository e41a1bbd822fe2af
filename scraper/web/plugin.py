"""Datasette plugin: Polish search on `articles` (planned by how many articles match, best
matches first), highlighted snippets, filter values in any spelling, the Atom feed's plan.
The facets are in facets.py, the researcher's pages in pages.py and routes.py."""
from __future__ import annotations

import contextvars
import re
import sqlite3
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.filters import FilterArguments
from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from scraper.archive import search_index
from scraper.web.selection import with_archive_spelling
import scraper.web.attachments as attachments  # not `from scraper.web`: that package imports this module
import scraper.web.bounds as bounds  # not `from scraper.web`: that package imports this module
import scraper.web.clients as clients  # not `from scraper.web`: that package imports this module

PLUGIN = "archiwum"  # the plugin's name in Datasette's metadata (`plugins:`), as serve.py writes it
SEARCH_TABLE = "articles"
SEARCH_PATH = re.compile(rf"^/([^/]+)/{SEARCH_TABLE}(\.json|\.csv|\.atom)?$")
# `/db/table.ext`: an extension no renderer answers is a 404, not the HTML page.
FORMAT_PATH = re.compile(r"^/([^/.]+)/([^/]+)\.(\w+)$")
KNOWN_FORMATS = {"json", "jsono", "csv", "atom"}
FEED_ENTRIES = "50"
FTS_MATCH = f"articles_fts match {search_index.MATCH_FUNCTION}(:archiwum_search)"
# Where clauses by how many articles match. Few: collect the hits first, so Datasette's exact
# count and facets touch only those rows. More: `+rowid` keeps SQLite walking the sort
# column's index, testing each entry against the collected hits. Dense (a quarter of the
# archive or more): walk the sort order and probe the index row by row (~0.25 ms a probe),
# which finds a page within a few dozen rows without collecting the hits at all.
# Past FACET_MAX_HITS, counting and faceting would read every hit row, so both are skipped
# and the page says how many articles the index matches.
COLLECTED = f"rowid in (select rowid from articles_fts where {FTS_MATCH})"
WALKED = f"+{COLLECTED}"
PROBED = (f"exists (select 1 from articles_fts where articles_fts.rowid = {SEARCH_TABLE}.rowid "
          f"and {FTS_MATCH})")
FACET_MAX_HITS = 1_000
DENSE_SHARE = 0.25
# Hits are counted in the index up to here (~15 ms at 1M articles); past it, counting every
# hit takes 60-120 ms (fts5vocab's per-word count reads the hits too), so the page shows an
# estimate from the hits in SAMPLE_SLICES slices of the rowids spread over the archive that
# together hold 1 in SAMPLE_SHARE of it: within 1 % on the benchmark's broad words, ~10 ms.
HITS_COUNTED = 100_001
HITS_SQL = f"select count(*) from (select 1 from articles_fts where {FTS_MATCH} limit :most)"
ROWID_SPAN_SQL = (f"select (select min(rowid) from {SEARCH_TABLE}), "
                  f"(select max(rowid) from {SEARCH_TABLE})")
SAMPLE_SLICES, SAMPLE_SHARE = 100, 50
SAMPLED_HITS_SQL = f"""
with recursive slice(n) as (select 0 union all select n + 1 from slice where n < {SAMPLE_SLICES - 1})
select count(*) from slice join articles_fts on articles_fts.rowid
  between :first + n * :step and :first + n * :step + :width - 1
where {FTS_MATCH}"""
# Relevance: bm25 with title words weighing five times body words. Datasette 0.65 cannot sort
# a table by a search rank (simonw/datasette#268), so `_sort=relevance` reaches SQLite as
# `order by relevance`, and the page's SQL then reads from the articles joined to their score.
# Scoring reads every hit and its article (5-20 µs each at 1M articles under load: 8,680 hits
# took 130-180 ms), so searches with more hits are shown newest first, and say so.
RANK_COLUMN = "relevance"
RANK_MAX_HITS = 3_000
# (With attachments, scraper/web/attachments.py adds the articles they match, with their score.)
OWN_SCORES = f"select rowid, bm25(articles_fts, 5.0, 1.0) as score from articles_fts where {FTS_MATCH}"
RANKED_FROM = (f"from (select {SEARCH_TABLE}.rowid as rowid, {SEARCH_TABLE}.*, "
               f"cast(hit.score as real) as {RANK_COLUMN} from ({{hits}}) as hit "
               f"join {SEARCH_TABLE} on {SEARCH_TABLE}.rowid = hit.rowid) as {SEARCH_TABLE}")
TABLE_FROM = re.compile(rf"\bfrom {SEARCH_TABLE}\b")
RANK_NAMED = re.compile(rf"\b{RANK_COLUMN}\b")
# Datasette pages on by (sort value, key) but orders the first page by the value alone.
RANK_ORDER = re.compile(rf"order by {RANK_COLUMN}( desc)? limit")
HIGHLIGHTED_COLUMNS = {"title": None, "body": search_index.SNIPPET_WORDS, "snippet": None}
ROW_COUNT_SQL = f"select count from _counts where \"table\" = '{SEARCH_TABLE}'"
MMAP_BYTES = 1 << 40
KEY_COLUMN = "id"

@dataclass(frozen=True)
class Hits:
    """Articles the search matches in the index (before other filters): exact, or estimated;
    dense when they are at least DENSE_SHARE of the archive."""
    count: int
    exact: bool = True
    dense: bool = False


current_search = contextvars.ContextVar("archiwum_search", default="")
search_hits = contextvars.ContextVar("archiwum_search_hits", default=None)
ranked = contextvars.ContextVar("archiwum_ranked", default=False)
article_total = contextvars.ContextVar("archiwum_total", default=None)
whole_table = contextvars.ContextVar("archiwum_whole_table", default=False)
filter_notes = contextvars.ContextVar("archiwum_filter_notes", default=())


@hookimpl
def startup(datasette):
    search_index.warm_up()
    for database in datasette.databases.values():
        database.execute = _ranking(bounds.memory_bounded(database.execute))


def _ranking(execute):
    """SQL of a relevance-sorted search reads the articles joined to their bm25 score."""
    async def execute_ranked(sql, params=None, **kwargs):
        if ranked.get() and RANK_NAMED.search(sql):
            ranked_from = RANKED_FROM.format(hits=attachments.ranked_hits(OWN_SCORES))
            sql = TABLE_FROM.sub(lambda _: ranked_from, sql, count=1)
            sql = RANK_ORDER.sub(lambda m: f"order by {RANK_COLUMN}{m[1] or ''}, "
                                           f"{KEY_COLUMN} limit", sql)
            params = {**(params or {}), "archiwum_search": current_search.get()}
        return await execute(sql, params, **kwargs)
    return execute_ranked


@hookimpl
def prepare_connection(conn, datasette):
    # Cost bounds (scraper/web/bounds.py): the index's functions under the SQL time limit.
    bounds.bound_connection(conn, datasette.setting("sql_time_limit_ms") / 1000)
    conn.create_function("archiwum_fold", 1, search_index.fold, deterministic=True)
    # Scoring and paging read hits scattered over the file: mapped pages skip a read() each
    # (ranking 8,680 hits of 1M: 155 → 71 ms). SQLite caps the size at its compiled maximum.
    conn.execute(f"pragma mmap_size = {MMAP_BYTES}")


def _search_where(hits: Hits | None) -> str:
    if hits is None or hits.count <= FACET_MAX_HITS:
        return COLLECTED
    return PROBED if hits.dense else WALKED


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    """`?_search=` on articles through the Polish index (Datasette's own search stays off)."""
    if table != SEARCH_TABLE:
        return None
    query = request.args.get("_search", "").strip()
    context = {"supports_search": True, "search": query}
    if not query:
        return FilterArguments([], extra_context=context)
    return FilterArguments([attachments.widened(_search_where(search_hits.get()))],
                           {"archiwum_search": query}, [f'wyszukiwanie „{query}”'], context)


def _marked_html(text: str) -> Markup:
    return Markup(str(escape(text)).replace(search_index.MARK_START, "<mark>")
                  .replace(search_index.MARK_END, "</mark>"))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Search hits in <mark>; the body shortened to a snippet around them. Text stays escaped."""
    if column == "warc_file" and value and table == SEARCH_TABLE:
        return Markup(f'<a href="/-/archiwum/capture/{escape(row["id"])}">kopia archiwalna</a>')
    query = current_search.get()
    if not isinstance(value, str) or column not in HIGHLIGHTED_COLUMNS:
        return None
    if column == "snippet":
        return _marked_html(value)
    if query and table == SEARCH_TABLE and bounds.may_render_more():  # within the time limit
        marked = _marked_html(search_index.highlight(value, query, HIGHLIGHTED_COLUMNS[column]))
        if column == "body" and attachments.included.get() and KEY_COLUMN in row.keys():
            return attachments.hit_note(datasette, database, row[KEY_COLUMN], query, marked)
        return marked
    return None


def _sorted_by_key(args: dict[str, list[str]]) -> dict[str, list[str]]:
    """Datasette 0.65 orders the first page of a sorted table without the primary key but
    pages on after it, so a stream sorted by a column with ties drops rows; by key it is exact."""
    kept = {key: values for key, values in args.items() if key not in ("_sort", "_sort_desc")}
    return kept | {"_sort": [KEY_COLUMN]}


async def count_hits(database, query: str, most: int = HITS_COUNTED) -> Hits:
    """Count in the index alone up to `most`, with the articles only their attachments match;
    estimate broader searches from a sample (under the SQL time limit, like every query of the page)."""
    hits_sql = attachments.hits_sql(HITS_SQL)  # here: the worker thread does not see the request's context

    def counted(conn):
        with sqlite_timelimit(conn, database.ds.setting("sql_time_limit_ms")):
            return _hits(conn, query, most, hits_sql)
    return await database.execute_fn(counted)


def _hits(conn: sqlite3.Connection, query: str, most: int, hits_sql: str = HITS_SQL) -> Hits:
    params = {"archiwum_search": query}
    counted = conn.execute(hits_sql, params | {"most": most}).fetchone()[0]
    if counted < most:
        return Hits(counted)
    first, last = conn.execute(ROWID_SPAN_SQL).fetchone()
    span = last - first + 1
    width = max(1, span // SAMPLE_SLICES // SAMPLE_SHARE)
    sampled = conn.execute(SAMPLED_HITS_SQL, params | {
        "first": first, "step": span // SAMPLE_SLICES, "width": width}).fetchone()[0]
    share = sampled / (SAMPLE_SLICES * width)
    estimate = round(share * span, 3 - len(str(int(share * span))))
    return Hits(max(most, int(estimate)), exact=False, dense=share >= DENSE_SHARE)


def _without_rank(args: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: values for key, values in args.items()
            if key not in ("_sort", "_sort_desc") or values != [RANK_COLUMN]}


def _ordered(args: dict[str, list[str]], hits: Hits) -> dict[str, list[str]]:
    """Best matches first unless another order is asked for or there are too many to score."""
    asked = args.get("_sort", []) + args.get("_sort_desc", [])
    if hits.count > RANK_MAX_HITS or (asked and RANK_COLUMN not in asked):
        return _without_rank(args)
    ranked.set(True)
    return args if asked else args | {"_sort": [RANK_COLUMN]}


async def _planned(database, query: str, args: dict[str, list[str]]) -> dict[str, list[str]]:
    """Count the search's hits in the index; order by relevance; above FACET_MAX_HITS skip
    Datasette's count and facets (the page shows the index's count instead)."""
    try:
        hits = await count_hits(database, query)
    except (QueryInterrupted, sqlite3.DatabaseError):
        return _without_rank(args)
    search_hits.set(hits)
    args = _ordered(args, hits)
    return args | {"_nocount": ["1"], "_nofacet": ["1"]} if hits.count > FACET_MAX_HITS else args


def _unfiltered(args: dict[str, list[str]]) -> bool:
    """No column filters (`city=`, `city__exact=`), no `_where=`: the whole table."""
    return not any(not key.startswith("_") or "__" in key or key == "_where" for key in args)


async def _counted_total(database, args: dict[str, list[str]]) -> dict[str, list[str]]:
    """The whole table's row count from the one the triggers keep, instead of count(*)."""
    try:
        row = (await database.execute(ROW_COUNT_SQL)).first()
    except sqlite3.DatabaseError:
        return args
    article_total.set(row[0] if row else None)
    return args | {"_nocount": ["1"]} if row else args


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name == "row" and table == SEARCH_TABLE:
        return attachments.article_context(datasette, database, request)
    if view_name == "table":
        return {"archiwum_hits": search_hits.get(), "archiwum_facet_max_hits": FACET_MAX_HITS,
                "archiwum_sample_share": SAMPLE_SHARE, "archiwum_total": article_total.get(),
                "archiwum_ranked": ranked.get(), "archiwum_rank_max_hits": RANK_MAX_HITS,
                "archiwum_rank_column": RANK_COLUMN}


@hookimpl
def asgi_wrapper(datasette):
    """Remember the request's `_search` for render_cell; stream CSV in key order so every row
    comes out exactly once; filter values in the archive's spelling; the feed newest first;
    an unknown format extension answers 404. A client past its limits gets 429 (clients.py)."""
    limits = clients.ClientLimits.from_config(datasette.plugin_config(PLUGIN) or {})

    def wrap(app):
        async def archiwum_app(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            original = parse_qs(scope.get("query_string", b"").decode("utf-8", "replace"),
                                keep_blank_values=True)
            # Cost bounds (scraper/web/bounds.py): refuse what the server will not take on.
            if refused := bounds.refusal(scope, original):
                return await bounds.refuse(send, *refused)
            bounds.start_rendering(datasette.setting("sql_time_limit_ms") / 1000)
            args = original
            query = args.get("_search", [""])[0].strip()
            current_search.set(query)
            attachments.included.set(attachments.wanted(args))
            search_hits.set(None)
            ranked.set(False)
            article_total.set(None)
            whole_table.set(False)
            filter_notes.set(())
            if await _unknown_format(datasette, scope["path"]):
                return await Response.text("Nie ma takiego formatu.", status=404).asgi_send(send)
            if scope["path"].endswith(f"/{SEARCH_TABLE}.csv") and "_stream" in args:
                args = _sorted_by_key(args)
            path = SEARCH_PATH.match(scope["path"])
            database = datasette.databases.get(path.group(1)) if path else None
            if database:
                args, notes = await with_archive_spelling(database, args)
                filter_notes.set(tuple(notes))
            if query and database:
                args = await _planned(database, query, args)
            elif database:
                args = _without_rank(args)
                whole_table.set(_unfiltered(args))
                if whole_table.get() and not path.group(2):
                    args = await _counted_total(database, args)
            if path and path.group(2) == ".atom":
                ranked.set(False)
                args = _newest_first(args)
            if args != original:
                scope = dict(scope, query_string=urlencode(args, doseq=True).encode())
            return await app(scope, receive, send)
        return clients.limited(archiwum_app, limits)
    return wrap


def _newest_first(args: dict[str, list[str]]) -> dict[str, list[str]]:
    """A feed lists the newest articles of its search, without counts or facets."""
    kept = {key: values for key, values in args.items()
            if key not in ("_sort", "_sort_desc", "_size", "_next")}
    return kept | {"_sort_desc": ["published"], "_size": [FEED_ENTRIES], "_nocount": ["1"],
                   "_nofacet": ["1"]}


async def _unknown_format(datasette, path: str) -> bool:
    match = FORMAT_PATH.match(path)
    if not match or match[3] in KNOWN_FORMATS or match[3] in datasette.renderers:
        return False
    database = datasette.databases.get(match[1])
    return database is not None and await database.table_exists(match[2])
