"""A portal written to attack the archive, and a listener its payloads signal.

`Listener` records every request it receives: a payload that runs (in Chromium, or a crawler
sent where it should not go) calls it, so a test passes only while it stays silent.

`HostilePortal(listener_url)` serves, on 127.0.0.1, a small municipal news site whose articles
each carry one attack (ATTACKS: path → what it tries), besides two plain articles so the
extraction learns the site's template:
- a `<link rel="canonical">` and an `og:url` of `javascript://<its own host>/%0a<code>`
  (same host name, another scheme);
- attachments linked as `javascript:` and `data:` addresses (and one real PDF);
- a title with a right-to-left override and an author wrapped in invisible isolates;
- a redirect, a meta refresh, an RSS link and a sitemap index entry to another port of the
  same host (the listener), a redirect
  that stays on the portal (followed), and a page answering after SLOW_SECONDS (`/wolno/`: holds
  a crawl open).
"""
from __future__ import annotations

import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"
SLOW_SECONDS = 8
PROSE = [
    "Miejski Ośrodek Pomocy Społecznej zaprasza mieszkańców na spotkanie informacyjne w sali "
    "konferencyjnej urzędu przy ulicy Lipowej.",
    "Podczas spotkania pracownicy socjalni przedstawią zasady przyznawania zasiłków celowych, "
    "dodatków mieszkaniowych i pomocy w formie posiłku.",
    "Seniorzy i osoby z niepełnosprawnościami mogą skorzystać z bezpłatnego transportu; "
    "zgłoszenia przyjmujemy telefonicznie do piątku.",
    "Projekt jest współfinansowany ze środków Europejskiego Funduszu Społecznego w ramach "
    "regionalnego programu operacyjnego województwa.",
    "Wnioski można składać w punkcie obsługi klienta na parterze budynku w godzinach pracy "
    "ośrodka albo przez elektroniczną skrzynkę podawczą.",
    "Rodziny wielodzietne otrzymają informację o programie wsparcia wypoczynku dzieci w czasie "
    "ferii zimowych i wakacji letnich.",
    "Asystenci rodziny pomagają w sprawach opiekuńczo-wychowawczych i w prowadzeniu gospodarstwa "
    "domowego, także w godzinach popołudniowych.",
    "Klub integracji społecznej prowadzi warsztaty aktywizacji zawodowej, doradztwo prawne "
    "i grupę wsparcia dla osób bezrobotnych.",
]


def image_call(listener: str, name: str) -> str:
    return f"new Image().src='{listener}{name}'"


class Listener:
    """An HTTP server on 127.0.0.1 that records the path of every request."""

    def __init__(self):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(b"secret of a local service")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def page(title: str, main: str, head: str = "") -> str:
    nav = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in
                  [("/", "Strona główna"), ("/aktualnosci/", "Aktualności"), ("/kontakt/", "Kontakt")])
    return (f'<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>{escape(title)}'
            f" - MOPS Przykładowo</title>{head}</head><body><header><p>Miejski Ośrodek Pomocy "
            f"Społecznej w Przykładowie</p><nav><ul>{nav}</ul></nav></header><main>{main}</main>"
            "<footer><p>MOPS Przykładowo, ul. Lipowa 1, tel. 12 345 67 89</p></footer></body></html>")


def article(title: str, day: int, extra: str = "", author: str = "Anna Nowak", head: str = "") -> str:
    # Each article its own text (the dedupe stage keeps one of articles with the same text).
    chosen = [PROSE[(day + n) % len(PROSE)] for n in range(4)]
    paragraphs = "".join(f"<p>{escape(text)}</p>" for text in
                         [f"{title}: komunikat z dnia {day} marca 2024 roku.", *chosen])
    return page(title, f"<article><h1>{escape(title)}</h1><p class=\"date\">Opublikowano: "
                       f"{day:02d}.03.2024</p><p class=\"author\">Autor: {escape(author)}</p>"
                       f"{paragraphs}{extra}</article>", head)


class HostilePortal:
    """The hostile site on an ephemeral port of 127.0.0.1; `.url` is its start page."""

    def __init__(self, listener: str):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.pages = self._pages(listener, self.url.rstrip("/").removeprefix("http://"))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def _pages(self, listener: str, host: str) -> dict[str, tuple[int, dict, str]]:
        javascript = f"javascript://{host}/%0a"
        ok = 200, {}
        articles = {
            "/aktualnosci/spotkanie-informacyjne.html": article("Spotkanie informacyjne w MOPS", 4),
            "/aktualnosci/dyzury-pracownikow.html": article("Dyżury pracowników socjalnych", 6),
            "/aktualnosci/kanoniczny.html": article(
                "Zasiłki celowe na nowy rok", 8,
                head=f'<link rel="canonical" href="{javascript}{image_call(listener, "canonical")}">'),
            "/aktualnosci/og-url.html": article(
                "Dodatki mieszkaniowe od kwietnia", 10,
                head=f'<meta property="og:url" content="{javascript}{image_call(listener, "og-url")}">'),
            "/aktualnosci/zalaczniki.html": article(
                "Wyniki naboru do klubu seniora", 12, extra=(
                    "<ul class=\"attachments\">"
                    f"<li><a href=\"javascript:{image_call(listener, 'attachment-js')}//wyniki.pdf\">"
                    "Wyniki naboru (PDF)</a></li>"
                    f"<li><a href=\"data:text/html,&lt;script&gt;{image_call(listener, 'attachment-data')}"
                    "&lt;/script&gt;.pdf\">Regulamin (PDF)</a></li>"
                    "<li><a href=\"/pliki/harmonogram.pdf\">Harmonogram zajęć (PDF, 120 KB)</a></li>"
                    "</ul>")),
            "/aktualnosci/podpis.html": article(
                f"Ogłoszenie {RLO}gpj.exe", 14, author=f"{LRI}Jan Kowalski{PDI} {RLO}rotkerid"),
        }
        pages = {path: ok + (html,) for path, html in articles.items()}
        links = [*articles, "/przekierowanie.html", "/odswiezenie.html", "/stary-adres.html"]
        feed = f'<link rel="alternate" type="application/rss+xml" href="{listener}feed.xml">'
        listing = page("Aktualności", "<h1>Aktualności</h1><ul>" + "".join(
            f'<li><a href="{path}">Wiadomość {n}</a></li>' for n, path in enumerate(links)) + "</ul>",
                       head=feed)
        pages |= {
            "/": ok + (listing,),
            "/aktualnosci/": ok + (listing,),
            "/kontakt/": ok + (page("Kontakt", "<h1>Kontakt</h1><p>ul. Lipowa 1</p>"),),
            "/przekierowanie.html": (302, {"Location": f"{listener}redirect"}, ""),
            "/odswiezenie.html": ok + (page("Przenosiny", "<p>Strona przeniesiona.</p>",
                                            f'<meta http-equiv="refresh" content="0; url={listener}refresh">'),),
            "/stary-adres.html": (301, {"Location": "/aktualnosci/nowy-adres.html"}, ""),
            "/aktualnosci/nowy-adres.html": ok + (article("Nowy adres punktu konsultacyjnego", 16),),
            "/pliki/harmonogram.pdf": (200, {"Content-Type": "application/pdf"}, "%PDF-1.4"),
            "/wolno/": ok + (listing,),
            "/robots.txt": (200, {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n"),
            "/sitemap.xml": (200, {"Content-Type": "application/xml"}, (
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns='
                f'"http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{listener}sitemap.xml'
                "</loc></sitemap></sitemapindex>")),
        }
        return pages

    def _handler(self):
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/wolno/":
                    time.sleep(SLOW_SECONDS)
                status, headers, body = portal.pages.get(self.path, (404, {}, "<h1>404</h1>"))
                data = body.encode("utf-8")
                headers = {"Content-Type": "text/html; charset=utf-8"} | headers
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
