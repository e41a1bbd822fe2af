"""Two small portals written for the distributed tests, served on 127.0.0.1, every request logged.

- `ListingPortal`: a home page linking listings, each listing linking its articles; far more
  pages than a small page budget, found by whichever worker reads each listing.
- `PressPortals`: one press release published by a city hall (its URLs name 127.0.0.1) and,
  with a heading and a closing line of its own, by its welfare centre (the same server named
  `localhost`, so a download slot of its own). The articles answer after `slow_s` seconds, so a
  test can see a worker busy on one copy before it starts the other worker.
"""
from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scraper.registry.sources import Source
from tests.replies import Replies

PRESS_RELEASE = [
    "Miejski Ośrodek Pomocy Społecznej zaprasza seniorów na bezpłatne warsztaty cyfrowe w Klubie Seniora.",
    "Zajęcia odbędą się przy ulicy Długiej we wtorki i czwartki od godziny dziesiątej do dwunastej.",
    "Uczestnicy nauczą się korzystać ze smartfonów, bankowości internetowej, e-recepty i usług urzędu.",
    "Zapisy przyjmują pracownicy socjalni pod numerem telefonu podanym w ogłoszeniu na tablicy ośrodka.",
    "Liczba miejsc w każdej grupie jest ograniczona, a o udziale decyduje kolejność zgłoszeń.",
]


def frame(title: str, content: str, links: list[str]) -> str:
    menu = "".join(f'<li><a href="{href}">{html.escape(href)}</a></li>' for href in links)
    return (f'<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'</head><body><ul id="menu">{menu}</ul><div id="content"><h1>{html.escape(title)}</h1>{content}</div>'
            '<div id="footer">Urząd Gminy © 2025</div></body></html>')


def article(title: str, paragraphs: list[str], links: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return frame(title, f'<div class="date">Opublikowano: 12.03.2025 r.</div><div class="body">{body}</div>', links)


class LoggingServer:
    """A threaded HTTP server answering `page(host, path)`: (body, seconds to wait first) or None (404)."""

    def __init__(self):
        self.hits: list[tuple[str, str]] = []  # (host, path)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, host: str, path: str) -> tuple[str, float] | None:
        raise NotImplementedError

    def fetched(self, host: str | None = None) -> list[str]:
        with self.lock:
            return [path for h, path in self.hits if host in (None, h)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handler(self):
        portal = self

        class Handler(Replies, BaseHTTPRequestHandler):
            def do_GET(self):
                host = self.headers.get("Host", "").split(":")[0]
                with portal.lock:
                    portal.hits.append((host, self.path))
                found = portal.page(host, self.path)
                if found and found[1]:
                    time.sleep(found[1])
                kind = "text/plain" if self.path == "/robots.txt" else "text/html"
                self.send_text(200 if found else 404, found[0] if found else "<h1>404</h1>", f"{kind}; charset=utf-8")

        return Handler


class ListingPortal(LoggingServer):
    def __init__(self, listings: int, per_listing: int, listing_s: float = 0.0):
        self.listings, self.per_listing, self.listing_s = listings, per_listing, listing_s
        super().__init__()
        self.base = f"http://127.0.0.1:{self.port}"

    def source(self, source_id: str, max_pages: int) -> Source:
        return Source(id=source_id, name="Urząd Gminy (wiele stron)", kind="city_hall", city="Testowo",
                      voivodeship="mazowieckie", start_urls=[f"{self.base}/"], article_pattern=r"^/artykul/",
                      max_pages=max_pages)

    def page(self, host: str, path: str) -> tuple[str, float] | None:
        if path == "/robots.txt":
            return "User-agent: *\nAllow: /\n", 0.0
        if path == "/":
            return frame("Urząd Gminy", "", [f"/lista/{n}" for n in range(1, self.listings + 1)]), 0.0
        if path.startswith("/lista/") and path.removeprefix("/lista/").isdigit():
            n = int(path.removeprefix("/lista/"))
            links = ["/", *(f"/artykul/{n}-{k}" for k in range(1, self.per_listing + 1))]
            return frame(f"Aktualności, strona {n}", "", links), self.listing_s
        if path.startswith("/artykul/"):
            n, _, k = path.removeprefix("/artykul/").partition("-")
            paragraphs = [f"Komunikat numer {n}.{k}: {sentence}" for sentence in PRESS_RELEASE]
            return article(f"Komunikat {n}.{k}", paragraphs, ["/", f"/lista/{n}"]), 0.0
        return None


class PressPortals(LoggingServer):
    HOSTS = {"127.0.0.1": ("Urząd Miasta", "Wydział Spraw Społecznych."),
             "localhost": ("MOPS", "Serdecznie zapraszamy!")}

    def __init__(self, slow_s: float):
        self.slow_s = slow_s
        super().__init__()

    def source(self, host: str, source_id: str) -> Source:
        kind = "city_hall" if host == "127.0.0.1" else "welfare_centre"
        return Source(id=source_id, name=self.HOSTS[host][0], kind=kind,
                      city="Testowo", voivodeship="mazowieckie", start_urls=[f"http://{host}:{self.port}/"],
                      article_pattern=r"^/aktualnosci/")

    def page(self, host: str, path: str) -> tuple[str, float] | None:
        if host not in self.HOSTS:
            return None
        name, closing = self.HOSTS[host]
        if path == "/robots.txt":
            return "User-agent: *\nAllow: /\n", 0.0
        if path == "/":
            return frame(name, "", ["/aktualnosci/warsztaty-cyfrowe"]), 0.0
        if path == "/aktualnosci/warsztaty-cyfrowe":
            return article(f"{name}: warsztaty cyfrowe dla seniorów", [*PRESS_RELEASE, closing], ["/"]), self.slow_s
        return None
