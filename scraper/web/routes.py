"""Pages of their own: the timeline of any search, the archived copy of an article as a
capture, and the downloads (CSV for Excel, .xlsx) of a results page's articles."""
from __future__ import annotations

import asyncio
import os
import tempfile
from functools import lru_cache
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import AsgiStream, Response, asgi_send_file
from markupsafe import Markup, escape
from w3lib.encoding import http_content_type_encoding

from scraper.archive import captures, export
from scraper.archive.attachment_index import article_rowids_sql
from scraper.archive.selection import VALUE_COLUMNS, Selection, SelectionError
from scraper.crawl.encoding import best_encoding
import scraper.web.attachments as attachments  # not `from scraper.web`: the package imports this
import scraper.web.bounds as bounds  # not `from scraper.web`: that package imports this module
from scraper.web.dated import dates_of, per_period, within
from scraper.web.plugin import ROWID_SPAN_SQL, SAMPLE_SLICES, count_hits
from scraper.web.pages import db_file, paragraphs, polish_date
from scraper.web.selection import KEPT_ARGS, checked_selection, selection_from_args

PERIODS = {  # ?_okres= → SQL label of an ISO date, the shortest date that has one
    "miesiac": ("substr(published, 1, 7)", 7),
    "rok": ("substr(published, 1, 4)", 4),
    "tydzien": ("strftime('%Y-W%W', substr(published, 1, 10))", 10),
}
PERIOD_NAMES = {"miesiac": "miesiąc", "tydzien": "tydzień", "rok": "rok"}
TIMELINE_SQL = ("select {label} as period, count(*) as articles from articles where {where} "
                "and length(published) >= {shortest} "
                "and published glob '[0-9][0-9][0-9][0-9]*' group by period order by period")
# Raw captured pages are shown inert: no scripts, no request anywhere (images only inline).
CAPTURE_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
EXCEL_CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def args_of(request) -> dict[str, list[str]]:
    return {name: request.args.getlist(name) for name in request.args.keys()}


def archive_database(datasette):
    return next(db for name, db in datasette.databases.items() if name != "_internal")


# ---------------------------------------------------------------- timeline

@lru_cache(maxsize=256)
def period_labels(first: str, last: str, period: str) -> tuple[str, ...]:
    """Every period from the first to the last, those without articles included."""
    if period == "rok":
        return tuple(str(year) for year in range(int(first), int(last) + 1))
    if period == "miesiac":
        (y1, m1), (y2, m2) = map(int, first.split("-")), map(int, last.split("-"))
        return tuple(f"{n // 12}-{n % 12 + 1:02d}"
                     for n in range(y1 * 12 + m1 - 1, y2 * 12 + m2))
    day, end = week_days(first)[0], week_days(last)[1]
    labels = []
    while day <= end:  # day by day: SQLite's %W weeks split at the new year
        label = day.strftime("%Y-W%W")
        if not labels or labels[-1] != label:
            labels.append(label)
        day += timedelta(days=1)
    return tuple(labels)


def week_days(label: str) -> tuple[date, date]:
    """First and last day of a week as SQLite's strftime('%Y-W%W') names it (weeks start on
    Monday; the days of January before the first Monday are week 00)."""
    year, week = map(int, label.split("-W"))
    january = date(year, 1, 1)
    first_monday = january + timedelta(days=(7 - january.weekday()) % 7)
    if week == 0:
        return january, first_monday - timedelta(days=1)
    monday = first_monday + timedelta(weeks=week - 1)
    return monday, min(monday + timedelta(days=6), date(year, 12, 31))


def period_range(label: str, period: str) -> tuple[str, str]:
    """First and last day of a period (for the bar's link to its articles)."""
    if period == "tydzien":
        return tuple(day.isoformat() for day in week_days(label))
    return label, label  # a year or month: parse_date reads it as its first / last day


# A search with more hits than this is counted on a sample of about TIMELINE_SAMPLE_HITS of
# them: SAMPLE_SLICES slices of rowids spread over the archive, scaled up (each hit costs ~1 µs
# of Python besides the index's own time).
TIMELINE_EXACT_MAX = 50_000
TIMELINE_SAMPLE_HITS = 20_000
HIT_ROWIDS_SQL = ("select rowid from articles_fts "
                  "where articles_fts match archiwum_match(:search)")
WITH_ATTACHMENT_HITS = f"{HIT_ROWIDS_SQL} union {article_rowids_sql('search')}"
SAMPLED_HIT_ROWIDS_SQL = """
with recursive slice(n) as (select 0 union all select n + 1 from slice where n < {last_slice})
select articles_fts.rowid from slice cross join articles_fts
  on articles_fts.rowid between :first + n * :step and :first + n * :step + :width - 1
where articles_fts match archiwum_match(:search)"""
VALUE_ROWIDS_SQL = "select rowid from articles where {column} = :value"  # a covering index


async def counts_per_period(database, selection: Selection, period: str) -> tuple[dict, bool]:
    """Articles per period of the selection, and whether the counts are estimated. Rowids come
    from the indexes and dates from dated.py, so no article row is read, except for a topic
    (held in the rows only)."""
    if selection.topic:
        label, shortest = PERIODS[period]
        where, params = selection.where()
        rows = await database.execute(TIMELINE_SQL.format(label=label, where=where,
                                                          shortest=shortest), params)
        return {row["period"]: row["articles"] for row in rows if row["period"]}, False
    dates = await dates_of(database)
    rowids, scale = await _rowids(database, selection)
    days = within(dates.days(rowids), selection.since, selection.until)
    return per_period(days, period, scale), scale != 1.0


async def _rowids(database, selection: Selection) -> tuple[set[int] | None, float]:
    """Rowids of the selection's search and column filters (None: all), and the factor that
    scales a sample of them up to the whole."""
    rowids, scale = None, 1.0
    if selection.search:
        rowids, scale = await _hit_rowids(database, selection.search, selection.attachments)
    for option, column in VALUE_COLUMNS.items():
        value = getattr(selection, option)
        if value and option != "topic":
            found = await _rowid_set(database, VALUE_ROWIDS_SQL.format(column=column),
                                     {"value": value})
            rowids = found if rowids is None else rowids & found
    return rowids, scale


async def _hit_rowids(database, search: str, attachments: bool) -> tuple[set[int], float]:
    """The hits' rowids (with the articles their attachments match), or a sample of them (of
    the articles' own text only)."""
    hits = await count_hits(database, search, TIMELINE_EXACT_MAX + 1)
    if hits.count <= TIMELINE_EXACT_MAX:
        sql = WITH_ATTACHMENT_HITS if attachments else HIT_ROWIDS_SQL
        return await _rowid_set(database, sql, {"search": search}), 1.0
    first, last = (await database.execute(ROWID_SPAN_SQL)).first()
    span = last - first + 1
    share = max(1, round(hits.count / TIMELINE_SAMPLE_HITS))  # 1 article in `share`
    width = max(1, span // SAMPLE_SLICES // share)
    rowids = await _rowid_set(
        database, SAMPLED_HIT_ROWIDS_SQL.format(last_slice=SAMPLE_SLICES - 1),
        {"search": search, "first": first, "step": span // SAMPLE_SLICES,
         "width": width})
    return rowids, span / (SAMPLE_SLICES * width)


async def _rowid_set(database, sql: str, params: dict) -> set[int]:
    """Rowids straight from SQLite (Datasette's result rows cost ~1 µs more each), at most
    TIMELINE_EXACT_MAX of a search or an indexed column's articles."""
    return await database.execute_fn(lambda conn: {row[0] for row in conn.execute(sql, params)})


async def archive_counts(database, period: str) -> dict[str, int]:
    """Articles per period in the whole archive (for the share view), kept with the dates."""
    dates = await dates_of(database)
    if period not in dates.totals:
        dates.totals[period] = per_period(dates.days(), period)
    return dates.totals[period]


@dataclass
class Bar:
    period: str
    articles: int
    share: float  # of all the archive's articles in the period, in percent
    href: str
    height: float = 0.0  # percent of the chart's height


TOO_LONG = ("Liczenie trwało za długo (temat jest zapisany w samych artykułach): zawęź "
            "wyszukiwanie, np. dodaj słowa lub miasto.")


async def timeline(datasette, request):
    """Articles per month (week, year) of any search and filters, empty periods as zero, as
    counts or as a share of all articles of the period; each bar links to its articles."""
    database = archive_database(datasette)
    args = args_of(request)
    period = request.args.get("_okres", "miesiac")
    context = {"database": database.name, "args": {k: v[0] for k, v in args.items() if v},
               "period": period if period in PERIODS else "miesiac", "periods": PERIOD_NAMES,
               "share_view": request.args.get("_widok") == "udzial", "bars": [],
               "error": None, "query": urlencode(
                   {k: v[0] for k, v in args.items() if k in KEPT_ARGS and v and v[0]})}
    try:
        selection = await checked_selection(database, selection_from_args(args))
        totals = await archive_counts(database, context["period"])
        counts, estimated = ((totals, False) if selection.where()[0] == "1"  # everything
                             else await counts_per_period(database, selection, context["period"]))
    except SelectionError as error:
        context["error"] = error.polish
    except QueryInterrupted:
        context["error"] = TOO_LONG
    else:
        context.update(_chart(counts, totals, context["period"], context["share_view"],
                              _bar_link(datasette, database.name, args)),
                       selection=selection, estimated=estimated,
                       command=selection.command(db_file(database)))
    return await _page(datasette, request, "archiwum_timeline.html", context)


def _chart(counts: dict, totals: dict, period: str, share_view: bool, link) -> dict:
    """The bars from the first period with articles to the last, and the y-axis."""
    labels = period_labels(min(counts), max(counts), period) if counts else []
    bars = [Bar(label, counts.get(label, 0),
                round(100 * counts.get(label, 0) / totals[label], 1) if totals.get(label)
                else 0.0, link(label, period)) for label in labels]
    values = [bar.share if share_view else bar.articles for bar in bars]
    ticks = _ticks(max(values, default=0))
    for bar, value in zip(bars, values):
        bar.height = round(100 * value / ticks[-1], 2) if ticks[-1] else 0
    return {"bars": bars, "total": sum(counts.values()), "ticks": ticks,
            "tick_heights": [round(100 * t / ticks[-1], 2) if ticks[-1] else 0 for t in ticks],
            "bars_html": bars_html(bars), "table_html": table_html(bars)}


# The bars are written here rather than in the template: Datasette renders templates in
# Jinja's async mode, where each value of a loop costs ~5 µs more (a weekly timeline has
# hundreds of bars).
BAR_HTML = ('<a class="bar{zero}" href="{href}" data-period="{period}" data-articles="{articles}"'
            ' style="height: {height}%" title="{period}: {articles} ({share}%)"></a>')
ROW_HTML = ('<tr><td><a href="{href}">{period}</a></td><td>{articles}</td>'
            '<td>{share}%</td></tr>')


def bars_html(bars: list[Bar]) -> Markup:
    return Markup("".join(BAR_HTML.format(zero="" if bar.articles else " zero",
                                          href=escape(bar.href), period=escape(bar.period),
                                          articles=bar.articles, height=bar.height,
                                          share=bar.share) for bar in bars))


def table_html(bars: list[Bar]) -> Markup:
    return Markup("".join(ROW_HTML.format(href=escape(bar.href), period=escape(bar.period),
                                          articles=bar.articles, share=bar.share)
                          for bar in bars))


def _bar_link(datasette, database: str, args):
    """A function of a period giving the link to its articles (the same search and filters)."""
    kept = urlencode({k: v[0] for k, v in args.items()
                      if k in KEPT_ARGS and k not in ("_since", "_until", "published__startswith")
                      and v})
    # encoded once: the days need no encoding (hundreds of bars in a weekly timeline)
    base = f"{datasette.urls.table(database, 'articles')}?{kept}{'&' if kept else ''}"

    def link(label: str, period: str) -> str:
        since, until = period_range(label, period)
        return f"{base}_since={since}&_until={until}"
    return link


def _ticks(peak: float) -> list[float]:
    """Round values for the y-axis: 0 and up to four steps to the peak."""
    if peak <= 0:
        return [0]
    step = 10 ** max(0, len(str(int(peak))) - 1)
    for factor in (1, 2, 5, 10):
        if peak / (step * factor) <= 4:
            step *= factor
            break
    if peak < 1:
        step = 0.25
    ticks, value = [], 0
    while value <= peak:
        ticks.append(value)
        value += step
    return ticks + [value]


async def _page(datasette, request, template: str, context: dict, status: int = 200):
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


# ---------------------------------------------------------------- capture

@dataclass
class Capture:
    captured: str
    url: str
    status: str
    record_id: str
    html: str


def read_capture(path: Path, offset: int) -> Capture:
    warc_headers, headers, body = captures.read_response(path, offset)
    content_type = headers.get_header("Content-Type", "") if headers else ""
    declared = http_content_type_encoding(content_type)
    return Capture(captured=warc_headers.get_header("WARC-Date", ""),
                   url=warc_headers.get_header("WARC-Target-URI", ""),
                   status=headers.get_statuscode() if headers else "",
                   record_id=warc_headers.get_header("WARC-Record-ID", ""),
                   html=body.decode(best_encoding(body, declared) or "utf-8", "replace"))


async def _capture_of(datasette, request):
    """(article row, Capture) or a 404 Response."""
    database = archive_database(datasette)
    rows = await database.execute("select id, title, body, url, fetched_at, warc_file, "
                                  "warc_offset from articles where id = ?",
                                  [unquote(request.url_vars["id"])])
    row = rows.first()
    if not row or not row["warc_file"]:
        return None, Response.text("To archiwum nie ma kopii tej strony.", status=404)
    path = captures.capture_path(database.path, row["warc_file"])
    try:
        return row, await asyncio.to_thread(read_capture, path, row["warc_offset"])
    except (OSError, StopIteration):
        return None, Response.text(f"Pliku kopii {path.name} nie ma na tym serwerze.", status=404)


async def capture(datasette, request):
    """The archived copy with its capture date, URL, HTTP status and WARC record, the page
    shown in a sandbox, and the text extracted from it beside it."""
    row, found = await _capture_of(datasette, request)
    if row is None:
        return found
    database = archive_database(datasette)
    context = {"article": dict(row), "capture": found, "database": database.name,
               "paragraphs": paragraphs(row["body"]), "captured": polish_date(found.captured),
               "frame": f"{request.path}/strona", "source_view": f"{request.path}/zrodlo"}
    return await _page(datasette, request, "archiwum_capture.html", context)


async def capture_page(datasette, request):
    """The captured page itself, inert (the capture page frames it)."""
    return await _inert(datasette, request, Response.html)


async def capture_source(datasette, request):
    """The captured page's HTML source, as text."""
    return await _inert(datasette, request, Response.text)


async def _inert(datasette, request, respond):
    row, found = await _capture_of(datasette, request)
    if row is None:
        return found
    return respond(found.html, headers={"Content-Security-Policy": CAPTURE_POLICY,
                                        "X-Content-Type-Options": "nosniff"})


# ---------------------------------------------------------------- downloads

async def download(datasette, request):
    """The results page's articles, in its order: `export.csv` (for Excel: `;`, BOM,
    formula-safe) or `export.xlsx`; `_kolumny=wszystkie` gives every column."""
    database = archive_database(datasette)
    args = args_of(request)
    asked = replace(selection_from_args(args), order=request.args.get("_order", ""))
    try:
        selection = await checked_selection(database, asked)
    except SelectionError as error:
        return Response.text(error.polish, status=400)
    all_columns = request.args.get("_kolumny") == "wszystkie"
    stem = f"archiwum-{date.today().isoformat()}"
    if request.url_vars["format"] == "xlsx":
        return await _xlsx(database, selection, all_columns, stem)
    return _excel_csv(database, selection, all_columns, stem)


def _excel_csv(database, selection: Selection, all_columns: bool, stem: str) -> AsgiStream:
    async def stream(writer):
        conn = await asyncio.to_thread(export.open_readonly, database.path)
        try:
            pieces = export.csv_lines(export.Records(conn, selection, all_columns), excel=True)
            await writer.write("\ufeff")
            while (piece := await asyncio.to_thread(next, pieces, None)) is not None:
                await writer.write(piece)
        finally:
            conn.close()
    return AsgiStream(stream, content_type=EXCEL_CSV, headers={
        "content-disposition": f'attachment; filename="{stem}.csv"'})


async def _xlsx(database, selection: Selection, all_columns: bool, stem: str):
    def build() -> str:
        conn = export.open_readonly(database.path)
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            export.write_xlsx(path, export.Records(conn, selection, all_columns))
        finally:
            conn.close()
        return path
    path = await asyncio.to_thread(build)
    return _Sent(path, f"{stem}.xlsx")


class _Sent:
    """A built file sent once, then removed."""

    def __init__(self, path: str, filename: str):
        self.path, self.filename = path, filename

    async def asgi_send(self, send):
        try:
            await asgi_send_file(send, self.path, filename=self.filename, content_type=XLSX)
        finally:
            os.unlink(self.path)


@hookimpl
def register_routes(datasette):
    return [(bounds.DATABASES_ROUTE, bounds.databases_view(datasette)),
            (r"^/-/archiwum/timeline$", timeline),
            (r"^/-/archiwum/capture/(?P<id>[^/]+)$", capture),
            (r"^/-/archiwum/capture/(?P<id>[^/]+)/strona$", capture_page),
            (r"^/-/archiwum/capture/(?P<id>[^/]+)/zrodlo$", capture_source),
            (r"^/-/archiwum/export\.(?P<format>csv|xlsx)$", download), *attachments.ROUTES]
