"""A real local HTTP server for crawl tests: a small Polish portal plus injected faults.

Run it with `python tests/faultserver.py [--port N] [--articles N]`; it prints `PORT <n>` once
listening. Tests start it once per session with the `fault_server` fixture.

Paths
- `/portal/` listing (`?page=N`, `--per-page` links a page), `/portal/artykul/<n>.html` articles
  with ETag / Last-Modified (a matching conditional request gets 304), in the ARTICLE_ENCODINGS
  in turn (`--trouble N=raise|stall`: article N marked for tests/trouble_stages.py); `/portal/sitemap.xml`
- `/fault/drip` a page dripped at one byte a second (for a minute, or until the client hangs up);
  `/branch/<path>` links `/branch/<path>x` and `/branch/<path>/x`: a path that branches for ever
- `/fault/flaky/<key>` 500 on the first hit, then 200; `/fault/429/<key>` 429 with Retry-After: 1
  on the first hit, then 200; `/fault/timeout` answers after 30 s; `/fault/slow` dribbles its body
  over ~1 s; `/fault/redirect/<n>` a chain of n redirects; `/fault/loop/a` ↔ `/fault/loop/b`;
  `/fault/missing` 404; `/fault/huge` 12 MB (`?stream=1`: no Content-Length)
- `/charset/<case>` one Polish sentence under each declared / undeclared / wrong encoding (CHARSET_CASES)
- `/patho/` links every pathological page (scraper/demo/pathological.py: `/patho/<name>`, up to
  ~5 MB each) and the portal
- `/calendar/?m=YYYY-MM` an endless calendar, each month linking to the next and the previous
- `/fault/` links to every fault (and to a re-sorted listing and a log-in form, which a crawler
  does not follow), `/charset/` to every charset case
- control: `/__hits` JSON hit counts per path (control paths excluded), `/__reset` clears them,
  `/__edit/<n>` gives article n a new revision (its text changes)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from email.utils import formatdate
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scraper.demo.pathological import PAGES as PATHOLOGICAL  # noqa: E402
from tests.replies import Replies  # noqa: E402

PANGRAM = "Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż"

# case -> (body encoding, Content-Type charset or None, <meta> declaration or None, BOM)
CHARSET_CASES = {
    "utf8-header": ("utf-8", "utf-8", None, False),
    "iso-header": ("iso-8859-2", "iso-8859-2", None, False),
    "cp1250-header": ("windows-1250", "windows-1250", None, False),
    "iso-meta-http-equiv": ("iso-8859-2", None, "http-equiv:iso-8859-2", False),
    "cp1250-meta-charset": ("windows-1250", None, "charset:windows-1250", False),
    "utf8-bom": ("utf-8", None, None, True),
    "utf8-bom-wrong-header": ("utf-8", "iso-8859-2", None, True),
    "missing-utf8": ("utf-8", None, None, False),
    "missing-cp1250": ("windows-1250", None, None, False),
    "missing-iso": ("iso-8859-2", None, None, False),
    "wrong-header-cp1250-as-iso": ("windows-1250", "iso-8859-2", None, False),
    "wrong-header-iso-as-cp1250": ("iso-8859-2", "windows-1250", None, False),
    "wrong-header-utf8-as-cp1250": ("utf-8", "windows-1250", None, False),
    "wrong-meta-iso-as-latin1": ("iso-8859-2", None, "charset:iso-8859-1", False),
    "wrong-meta-utf8-as-gbk": ("utf-8", None, "charset:gbk", False),
}

# Articles cycle through these encodings (body encoding, charset in the Content-Type header):
# UTF-8, undeclared windows-1250, and iso-8859-2 under a wrong windows-1250 header.
ARTICLE_ENCODINGS = [("utf-8", "utf-8"), ("windows-1250", None), ("iso-8859-2", "windows-1250")]
TIMEOUT_DELAY = 30.0
DRIP_SECONDS = 60
HUGE_SIZE = 12 * 1024 * 1024  # a multiple of the 1 KiB filler
SLOW_CHUNKS = 5
SLOW_CHUNK_DELAY = 0.2
FIRST_DATE = (2024, 1, 1)

TOPICS = [
    ("Dzień Seniora w Miejskim Ośrodku Pomocy Społecznej", "seniorów"),
    ("Nabór wniosków o dodatek mieszkaniowy", "rodzin"),
    ("Warsztaty dla opiekunów osób z niepełnosprawnościami", "opiekunów"),
    ("Program „Posiłek w szkole i w domu”", "dzieci"),
    ("Klub Integracji Społecznej zaprasza", "mieszkańców"),
]


class State:
    """What the server remembers between requests: hit counts, first hits, article revisions."""

    def __init__(self, articles: int, per_page: int, trouble: dict[int, str] | None = None):
        self.articles = articles
        self.per_page = per_page
        self.trouble = trouble or {}
        self.hits: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.revisions: Counter[int] = Counter()
        self.lock = threading.Lock()

    def count(self, path: str) -> None:
        with self.lock:
            self.hits[path] += 1

    def first_hit(self, key: str) -> bool:
        with self.lock:
            first = key not in self.seen
            self.seen.add(key)
            return first

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.seen.clear()


def page(title: str, body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="pl"><head>{head}<title>{title}</title></head>'
        f"<body><header><nav><a href=\"/portal/\">Aktualności</a></nav></header>"
        f"<main>{body}</main><footer>© Urząd Miasta Testowo</footer></body></html>"
    )


def article_date(number: int) -> str:
    year, month, day = FIRST_DATE
    return f"{(day + number) % 28 + 1:02d}.{(month + number // 28 - 1) % 12 + 1:02d}.{year}"


def article_html(number: int, revision: int, trouble: str = "") -> str:
    title, who = TOPICS[number % len(TOPICS)]
    title = f"{title} (nr {number})"
    update = f"<p>Aktualizacja {revision}: zmieniono godziny dyżurów.</p>" if revision else ""
    paragraphs = "".join(
        f"<p>Akapit {i}: Miejski Ośrodek Pomocy Społecznej w Testowie informuje, że w ramach "
        f"zadania nr {number} wsparcie otrzyma ponad {40 + i} {who}. Spotkania odbędą się w "
        f"świetlicy przy ulicy Źródlanej, a zgłoszenia przyjmuje pracownik socjalny.</p>"
        for i in range(4)
    )
    body = (
        f"<article><h1>{title}</h1><p class=\"date\">Data publikacji: {article_date(number)}</p>"
        f"{paragraphs}{update}{trouble_mark(trouble)}</article>"
    )
    return page(title, body)


def trouble_mark(trouble: str) -> str:
    """What the test-only stage tests/trouble_stages.py reacts to."""
    return f'<div data-trouble="{trouble}"></div>' if trouble else ""


def listing_html(page_number: int, articles: int, per_page: int) -> str:
    first = (page_number - 1) * per_page
    numbers = range(first, min(first + per_page, articles))
    links = "".join(
        f'<li><a href="/portal/artykul/{n}.html">{TOPICS[n % len(TOPICS)][0]} (nr {n})</a></li>'
        for n in numbers
    )
    more = first + per_page < articles
    nav = f'<a href="/portal/?page={page_number + 1}">Następna strona</a>' if more else ""
    return page(f"Aktualności – strona {page_number}", f"<ul>{links}</ul>{nav}")


def sitemap_xml(articles: int, host: str) -> str:
    urls = "".join(
        f"<url><loc>http://{host}/portal/artykul/{n}.html</loc></url>" for n in range(articles)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def charset_body(case: str) -> tuple[bytes, str]:
    encoding, header, meta, bom = CHARSET_CASES[case]
    head = ""
    if meta:
        kind, name = meta.split(":")
        head = (
            f'<meta http-equiv="Content-Type" content="text/html; charset={name}">'
            if kind == "http-equiv"
            else f'<meta charset="{name}">'
        )
    html = page(f"Kodowanie {case}", f"<article><h1>Próba</h1><p>{PANGRAM}</p></article>", head)
    body = ("\ufeff" if bom else "") + html
    content_type = f"text/html; charset={header}" if header else "text/html"
    return body.encode(encoding, errors="xmlcharrefreplace"), content_type


def calendar_html(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1
    prev, nxt = (f"{i // 12:04d}-{i % 12 + 1:02d}" for i in (index - 1, index + 1))
    return page(
        f"Kalendarz wydarzeń {month}",
        f'<a href="/calendar/?m={prev}">poprzedni miesiąc</a> '
        f'<a href="/calendar/?m={nxt}">następny miesiąc</a>',
    )


def index_html(prefix: str, names: list[str]) -> str:
    links = "".join(f'<li><a href="{prefix}{name}">{name}</a></li>' for name in names)
    return page(prefix, f"<ul>{links}</ul>")


@lru_cache(maxsize=None)
def pathological_page(name: str) -> bytes:
    return PATHOLOGICAL[name]().encode("utf-8")


FAULT_LINKS = [
    "flaky/a", "429/a", "slow", "redirect/3", "loop/a", "missing", "huge", "huge?stream=1",
    "timeout", "drip", "../calendar/?m=2026-01", "../branch/a",
    "../portal/?page=1&sort=title", "../wp-login.php?redirect_to=%2Ffault%2F",  # not to be followed
]


class Handler(Replies, BaseHTTPRequestHandler):
    state: State
    protocol_version = "HTTP/1.0"

    def do_GET(self):  # noqa: N802 - http.server naming
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if not url.path.startswith("/__"):
            self.state.count(self.path)
        for prefix, handler in ROUTES:
            if url.path.startswith(prefix):
                return handler(self, url.path[len(prefix):], query)
        self.send_text(404, page("Nie znaleziono", "<p>Nie ma takiej strony.</p>"))

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # --- routes -------------------------------------------------------------------------------
    def portal(self, rest: str, query: dict) -> None:
        if rest in ("", "index.html"):
            page_number = int(query.get("page", 1))
            return self.send_text(200, listing_html(page_number, self.state.articles, self.state.per_page))
        if rest == "sitemap.xml":
            body = sitemap_xml(self.state.articles, self.headers["Host"])
            return self.send_text(200, body, content_type="application/xml")
        number = rest.removeprefix("artykul/").removesuffix(".html")
        if not number.isdigit() or int(number) >= self.state.articles:
            return self.send_text(404, page("Nie znaleziono", "<p>Brak artykułu.</p>"))
        self.article(int(number))

    def article(self, number: int) -> None:
        revision = self.state.revisions[number]
        html = article_html(number, revision, self.state.trouble.get(number, ""))
        etag = '"' + hashlib.sha1(html.encode()).hexdigest()[:16] + '"'
        modified = formatdate(1_700_000_000 + number * 3600 + revision * 86400, usegmt=True)
        validators = {"ETag": etag, "Last-Modified": modified}
        if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        encoding, declared = ARTICLE_ENCODINGS[number % len(ARTICLE_ENCODINGS)]
        content_type = f"text/html; charset={declared}" if declared else "text/html"
        self.send_bytes(200, html.encode(encoding, errors="xmlcharrefreplace"), content_type, validators)

    def fault(self, rest: str, query: dict) -> None:
        name, _, arg = rest.partition("/")
        if name == "":
            return self.send_text(200, index_html("/fault/", FAULT_LINKS))
        handler = FAULTS.get(name)
        if handler is None:
            return self.send_text(404, page("Nie znaleziono", "<p>Nie ma takiej strony.</p>"))
        handler(self, arg, query)

    def flaky(self, key: str, query: dict) -> None:
        if self.state.first_hit(f"flaky/{key}"):
            return self.send_text(500, page("Błąd serwera", "<p>Spróbuj później.</p>"))
        self.send_text(200, page("Po błędzie", f"<p>Strona {key} działa: {PANGRAM}</p>"))

    def too_many(self, key: str, query: dict) -> None:
        if self.state.first_hit(f"429/{key}"):
            return self.send_text(429, page("Za dużo", "<p>Zwolnij.</p>"), headers={"Retry-After": "1"})
        self.send_text(200, page("Po 429", f"<p>Strona {key} działa.</p>"))

    def hang(self, arg: str, query: dict) -> None:
        time.sleep(TIMEOUT_DELAY)
        self.send_text(200, page("Za późno", "<p>Nikt już nie czeka.</p>"))

    def slow(self, arg: str, query: dict) -> None:
        chunk = f"<p>{PANGRAM}</p>".encode()
        head = page("Powolna strona", "@").encode().split(b"@")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(head[0]) + len(chunk) * SLOW_CHUNKS + len(head[1])))
        self.end_headers()
        self.wfile.write(head[0])
        for _ in range(SLOW_CHUNKS):
            self.wfile.flush()
            time.sleep(SLOW_CHUNK_DELAY)
            self.wfile.write(chunk)
        self.wfile.write(head[1])

    def drip(self, arg: str, query: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(DRIP_SECONDS))
        self.end_headers()
        try:
            for _ in range(DRIP_SECONDS):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up: what we want

    def redirect_chain(self, arg: str, query: dict) -> None:
        left = int(arg or 0)
        if left > 0:
            return self.redirect(f"/fault/redirect/{left - 1}")
        self.send_text(200, page("Koniec przekierowań", f"<p>{PANGRAM}</p>"))

    def loop(self, arg: str, query: dict) -> None:
        self.redirect("/fault/loop/b" if arg == "a" else "/fault/loop/a")

    def missing(self, arg: str, query: dict) -> None:
        self.send_text(404, page("Nie znaleziono", "<p>Brak strony.</p>"))

    def huge(self, arg: str, query: dict) -> None:
        filler = b"<p>" + b"x" * 1017 + b"</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if "stream" not in query:
            self.send_header("Content-Length", str(HUGE_SIZE))
        self.end_headers()
        try:
            for _ in range(HUGE_SIZE // len(filler)):
                self.wfile.write(filler)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler hung up once it saw the size: what we want

    def charset(self, rest: str, query: dict) -> None:
        if rest == "":
            return self.send_text(200, index_html("/charset/", list(CHARSET_CASES)))
        if rest not in CHARSET_CASES:
            return self.send_text(404, page("Nie znaleziono", "<p>Brak przypadku.</p>"))
        body, content_type = charset_body(rest)
        self.send_bytes(200, body, content_type)

    def pathological(self, rest: str, query: dict) -> None:
        if rest == "":
            return self.send_text(200, index_html("/patho/", [*PATHOLOGICAL, "../portal/"]))
        if rest not in PATHOLOGICAL:
            return self.send_text(404, page("Nie znaleziono", "<p>Brak strony.</p>"))
        self.send_bytes(200, pathological_page(rest), "text/html; charset=utf-8")

    def branch(self, rest: str, query: dict) -> None:
        links = f'<a href="/branch/{rest}x">dalej</a> <a href="/branch/{rest}/x">głębiej</a>'
        self.send_text(200, page(f"Gałąź {rest}", f"<p>Strona {rest}.</p>{links}"))

    def calendar(self, rest: str, query: dict) -> None:
        self.send_text(200, calendar_html(query.get("m", "2026-01")))

    def control(self, rest: str, query: dict) -> None:
        if rest == "hits":
            return self.send_text(200, json.dumps(self.state.hits), content_type="application/json")
        if rest == "reset":
            self.state.reset()
        elif rest.startswith("edit/"):
            self.state.revisions[int(rest.removeprefix("edit/"))] += 1
        self.send_text(200, "ok", content_type="text/plain")


FAULTS = {
    "flaky": Handler.flaky,
    "429": Handler.too_many,
    "timeout": Handler.hang,
    "drip": Handler.drip,
    "slow": Handler.slow,
    "redirect": Handler.redirect_chain,
    "loop": Handler.loop,
    "missing": Handler.missing,
    "huge": Handler.huge,
}

ROUTES = [
    ("/portal/", Handler.portal),
    ("/fault/", Handler.fault),
    ("/charset/", Handler.charset),
    ("/calendar/", Handler.calendar),
    ("/patho/", Handler.pathological),
    ("/branch/", Handler.branch),
    ("/__", Handler.control),
]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client hanging up (on a huge or hanging page) is expected; anything else is shown."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(port: int, articles: int, per_page: int, trouble: dict[int, str]) -> None:
    handler = type("BoundHandler", (Handler,), {"state": State(articles, per_page, trouble)})
    server = Server(("127.0.0.1", port), handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


class FaultServer:
    """The server in a subprocess; `url(path)` builds addresses, `hits()` reads its counters."""

    def __init__(self, articles: int = 30, per_page: int = 10, trouble: dict[int, str] | None = None):
        marks = ",".join(f"{n}={what}" for n, what in (trouble or {}).items())
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__)), "--articles", str(articles), "--per-page", str(per_page),
             "--trouble", marks],
            stdout=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError(f"fault server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.articles = articles

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def control(self, command: str) -> str:
        from urllib.request import urlopen

        with urlopen(self.url(f"/__{command}"), timeout=10) as answer:
            return answer.read().decode()

    def hits(self) -> dict[str, int]:
        return json.loads(self.control("hits"))

    def reset(self) -> None:
        self.control("reset")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="session")
def fault_server():
    """The fault server for a test session (import this fixture into a test module)."""
    server = FaultServer()
    yield server
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--per-page", type=int, default=10, help="article links per listing page")
    parser.add_argument("--trouble", default="", help="N=raise|stall,...: articles marked for tests/trouble_stages.py")
    args = parser.parse_args()
    trouble = {int(n): what for n, _, what in (mark.partition("=") for mark in args.trouble.split(",") if mark)}
    serve(args.port, args.articles, args.per_page, trouble)


if __name__ == "__main__":
    main()
