"""What one web request may cost the server, whoever sends it.

The archive is served on public addresses, so a request must not be able to occupy the server
(time) or grow it (memory), nor learn more than the UI shows:
- query strings longer than MAX_QUERY_STRING, and searches of more than MAX_SEARCH_WORDS words
  or MAX_SEARCH_CHARS characters, are refused with a line in Polish and English (414 / 400);
  scraper/archive/search_index.py bounds the words and respellings of any query again, so
  `?sql=select archiwum_match(...)` is bounded too;
- every read connection makes no string or blob longer than LENGTH_LIMIT (`printf('%.*c', ...)`)
  and SQLite's heap in the process stays under HEAP_LIMIT;
- the project's Python SQL functions stop a statement that has run past the SQL time limit:
  SQLite's progress handler (Datasette's time limit) only runs between VM instructions, ~1,000
  of them apart, and a call of a Python function is one instruction, so a statement calling
  `archiwum_snippet` on every row ran for seconds past it; a trace callback notes when each
  statement starts and the functions interrupt it once the limit has passed;
- highlighting in the rendered page stops at the same limit (the rest of the page is shown
  plain);
- anything but GET and HEAD answers 405 (the UI is read-only; Datasette 0.65 answered a POST
  to a table with a 500 and a traceback);
- /-/databases names the archive's file, not its absolute path.
"""
from __future__ import annotations

import contextvars
import math
import sqlite3
import time
from pathlib import Path

from datasette.views.special import JsonDataView

from scraper.archive import search_index

MAX_QUERY_STRING = 8192
MAX_SEARCH_CHARS = 500
MAX_SEARCH_WORDS = search_index.MAX_QUERY_WORDS
LENGTH_LIMIT = 8 * 1024 * 1024  # bytes; DOWNLOAD_MAXSIZE is 8 MB, so every stored text fits
HEAP_LIMIT = 256 * 1024 * 1024  # SQLite's allocations in the whole process
READ_METHODS = ("GET", "HEAD")
DATABASES_ROUTE = r"^/-/databases(\.(?P<format>json))?$"

render_deadline = contextvars.ContextVar("archiwum_render_deadline", default=math.inf)


def bound_connection(conn: sqlite3.Connection, seconds: float) -> None:
    """A read connection that cannot make huge values, grow SQLite's heap past HEAP_LIMIT, or
    run the index's functions past `seconds` into a statement."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LENGTH_LIMIT)
    conn.execute(f"pragma hard_heap_limit = {HEAP_LIMIT}")
    started = [time.perf_counter()]
    conn.set_trace_callback(lambda _sql: started.__setitem__(0, time.perf_counter()))

    def within_limit(function):
        def call(*args):
            if time.perf_counter() - started[0] > seconds:
                conn.interrupt()  # the statement ends as "interrupted": Datasette's time-out page
                return None
            return function(*args)
        return call

    search_index.register_functions(conn, within_limit)


def memory_bounded(execute):
    """Datasette's `execute`, with SQLite's "out of memory" (past HEAP_LIMIT; Python raises
    MemoryError, which Datasette would answer with a 500 and a traceback) as a query error."""
    async def execute_within_heap(sql, params=None, **kwargs):
        try:
            return await execute(sql, params, **kwargs)
        except MemoryError:
            raise sqlite3.OperationalError("the query needs more memory than this server allows "
                                           f"({HEAP_LIMIT // 2**20} MB)") from None
    return execute_within_heap


def start_rendering(seconds: float) -> None:
    render_deadline.set(time.perf_counter() + seconds)


def may_render_more() -> bool:
    """Is there time left in this request to highlight another cell?"""
    return time.perf_counter() < render_deadline.get()


def refusal(scope: dict, args: dict[str, list[str]]) -> tuple[int, str, dict] | None:
    """(status, message, headers) for a request the server will not take on, else None."""
    if scope.get("method", "GET") not in READ_METHODS:
        return (405, "Archiwum jest tylko do odczytu. / The archive is read-only: "
                     "only GET and HEAD requests are answered.", {"allow": "GET, HEAD"})
    if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
        return (414, f"Adres jest za długi (najwyżej {MAX_QUERY_STRING} znaków po ?). / "
                     f"The query string is too long (at most {MAX_QUERY_STRING} characters).", {})
    search = args.get("_search", [""])[0]
    if len(search) > MAX_SEARCH_CHARS or len(search_index.WORD.findall(search)) > MAX_SEARCH_WORDS:
        return (400, f"Wyszukiwanie jest za długie: najwyżej {MAX_SEARCH_WORDS} słów "
                     f"i {MAX_SEARCH_CHARS} znaków. / The search is too long: at most "
                     f"{MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} characters.", {})
    return None


async def refuse(send, status: int, message: str, headers: dict) -> None:
    body = (message + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            *((k.encode(), v.encode()) for k, v in headers.items())]})
    await send({"type": "http.response.body", "body": body})


def databases_view(datasette):
    """/-/databases(.json) as Datasette shows it, with each file's name instead of its path."""
    def connected():
        return [row | {"path": Path(row["path"]).name if row["path"] else None}
                for row in datasette._connected_databases()]
    return JsonDataView.as_view(datasette, "databases.json", connected)
