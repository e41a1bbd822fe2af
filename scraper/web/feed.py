"""`.atom` on the articles page: an Atom feed of any search and filters, newest first (the
plan is set in plugin.py), so a researcher can follow a search in a feed reader."""
from __future__ import annotations

from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from datasette import hookimpl
from datasette.utils import path_with_removed_args, tilde_encode
from datasette.utils.asgi import Response

from scraper.archive import search_index
from scraper.web.facets import source_names

SUMMARY_WORDS = 60
PLAN_ARGS = ("_sort_desc", "_size", "_nocount", "_nofacet")  # set by plugin.py for every feed


def atom_time(value: str | None) -> str:
    """An RFC 3339 date-time from an ISO date or date-time (a day starts at midnight UTC)."""
    if not value:
        return "1970-01-01T00:00:00Z"
    if len(value) == 4:
        value += "-01"
    if len(value) == 7:
        value += "-01"
    if len(value) == 10:
        return value + "T00:00:00Z"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value[:10] + "T00:00:00Z"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


def summary(body: str | None, query: str) -> str:
    text = search_index.snippet(body, query) if query else " ".join(
        (body or "").split()[:SUMMARY_WORDS])
    return text.replace(search_index.MARK_START, "").replace(search_index.MARK_END, "")


async def render_atom(datasette, request, rows, database, table):
    if table != "articles":
        return Response.text("Kanał Atom jest tylko dla artykułów.", status=404)
    query = request.args.get("_search", "").strip()
    names = await source_names(datasette.get_database(database))
    table_url = datasette.absolute_url(request, datasette.urls.table(database, table))
    feed_path = path_with_removed_args(request, dict.fromkeys(PLAN_ARGS))
    feed_url = datasette.absolute_url(request, feed_path)
    html_url = datasette.absolute_url(request, feed_path.replace(f"/{table}.atom", f"/{table}", 1))
    title = f"Archiwum: „{query}”" if query else "Archiwum: nowe artykuły"
    entries = [_entry(row, names, query, table_url) for row in rows]
    updated = max((atom_time(row["published"] or row["fetched_at"]) for row in rows),
                  default=atom_time(None))
    body = "\n".join([
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="pl">',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(feed_url)}</id>",
        f"<updated>{updated}</updated>",
        f"<link rel=\"self\" href={quoteattr(feed_url)}/>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(html_url)}/>",
        *entries, "</feed>", ""])
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _entry(row, names: dict[str, str], query: str, table_url: str) -> str:
    link = f"{table_url}/{tilde_encode(row['id'])}"
    source = names.get(row["source"], row["source"]) or ""
    original = row["url"] if (row["url"] or "").lower().startswith(("http://", "https://")) else ""
    return "\n".join(filter(None, [
        "<entry>",
        f"<title>{escape(row['title'] or '')}</title>",
        f"<id>{escape(link)}</id>",
        f"<updated>{atom_time(row['published'] or row['fetched_at'])}</updated>",
        row["published"] and f"<published>{atom_time(row['published'])}</published>",
        f"<author><name>{escape(source)}</name></author>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>",
        original and f"<link rel=\"related\" href={quoteattr(original)}/>",
        f"<category term={quoteattr(row['city'] or '')}/>" if row["city"] else "",
        f"<summary>{escape(summary(row['body'], query))}</summary>",
        "</entry>"]))


def can_render_atom(table, view_name):
    return table == "articles" and view_name == "table"


@hookimpl
def register_output_renderer(datasette):
    return {"extension": "atom", "render": render_atom, "can_render": can_render_atom}


