"""A small portal written for the tests: every article under two URLs, and a robots-disallowed area.

In the manner of a Drupal site with path aliases: an article answers under `/node/N` and under
`/aktualnosci/<slug>`, both pages naming the slug URL as canonical; the home page and the feed
link `/node/N`, the listing and the sitemap link the slug. `/admin/` holds drafts that read like
articles and are linked from the home page; robots.txt disallows `/admin/`. A crawl starts with
three requests to the one host (start page, feed, sitemap), so they wait for robots.txt together.

`night` (1, 2, ...) adds one article per night after the first. Every request is logged with its
arrival time (`hits`), so a test can count fetches and measure the request rate.
"""
from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scraper.registry.sources import Source
from tests.replies import Replies

TOPICS = [  # (slug, title, paragraphs): every paragraph its own, as in real news
    ("dodatek-oslonowy", "Dodatek osłonowy – wnioski do końca kwietnia", [
        "Wnioski o dodatek osłonowy przyjmujemy do 30 kwietnia w pokoju nr 4, od poniedziałku do piątku.",
        "Dodatek przysługuje gospodarstwom, których dochód nie przekracza 2100 zł na osobę w rodzinie.",
        "Wypłata nastąpi przelewem na rachunek wskazany we wniosku, najpóźniej w ciągu trzech miesięcy."]),
    ("klub-seniora", "Klub Seniora „Złota Jesień” zaprasza na zajęcia", [
        "Klub Seniora „Złota Jesień” wznawia spotkania w każdą środę o godzinie 10.00 w świetlicy przy Lipowej.",
        "W programie gimnastyka przy muzyce, warsztaty rękodzieła oraz wspólne śpiewanie pieśni biesiadnych.",
        "Udział jest bezpłatny; zapisy przyjmuje pani Halina Wróbel, która prowadzi zajęcia od dziesięciu lat."]),
    ("asystent-rodziny", "Asystent rodziny – nowe godziny dyżurów", [
        "Od lutego asystenci rodziny pełnią dyżury we wtorki do 17.00, aby mogli przyjść pracujący rodzice.",
        "Asystent pomaga w prowadzeniu domu, w sprawach szkolnych dzieci i w kontaktach z sądem rodzinnym.",
        "Spotkanie można umówić telefonicznie albo przez sekretariat ośrodka mieszczący się na parterze."]),
    ("posilek-w-szkole", "Posiłek w szkole i w domu: zmiana kryterium dochodowego", [
        "Rada Gminy podniosła kryterium dochodowe w programie „Posiłek w szkole i w domu” do 200 procent.",
        "Obiady w stołówkach szkolnych zjedzą dzięki temu także uczniowie z rodzin dotąd nieobjętych pomocą.",
        "Dyrektorzy szkół mogą zgłaszać dzieci potrzebujące posiłku nawet bez wniosku ich opiekunów prawnych."]),
    ("karta-duzej-rodziny", "Karta Dużej Rodziny: wydawanie kart w ośrodku", [
        "Karty Dużej Rodziny odbierzecie Państwo osobiście za okazaniem dowodu osobistego w punkcie obsługi.",
        "Rodzice trojga i więcej dzieci korzystają ze zniżek na bilety kolejowe, w muzeach i na basenie.",
        "Aplikacja mObywatel pozwala nosić kartę w telefonie; jej elektroniczna wersja jest bezpłatna."]),
    ("opieka-wytchnieniowa", "Opieka wytchnieniowa dla opiekunów osób niepełnosprawnych", [
        "Ruszył nabór do programu opieki wytchnieniowej finansowanego z Funduszu Solidarnościowego.",
        "Opiekunowie dzieci z orzeczeniem o niepełnosprawności otrzymają do 240 godzin wsparcia w roku.",
        "Formularz zgłoszeniowy i kartę pomiaru FIM należy złożyć w kancelarii do końca przyszłego miesiąca."]),
]
DRAFTS = ("szkic-komunikatu", "szkic-zarzadzenia")
DRAFT_TEXT = ["Projekt komunikatu w sprawie zmiany godzin pracy kasy ośrodka w okresie świątecznym.",
              "Tekst wymaga zatwierdzenia przez kierownika; nie publikować przed podpisaniem zarządzenia.",
              "Uwagi do projektu przekazać drogą służbową do sekretariatu do piątku włącznie."]


class AliasPortal:
    def __init__(self, night: int = 1, host: str = "127.0.0.1"):
        """`host`: the name in its URLs ("localhost" gives it a download slot of its own)."""
        self.night = night
        self.hits: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.server.daemon_threads = True
        self.base = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def source(self, source_id: str = "ops-aliasy") -> Source:
        return Source(id=source_id, name="OPS Żółkiewka (aliasy)", kind="welfare_centre", city="Żółkiewka",
                      voivodeship="lubelskie", start_urls=[f"{self.base}/"], feeds=[f"{self.base}/rss.xml"],
                      sitemaps=[f"{self.base}/sitemap.xml"])

    def articles(self) -> list[tuple[int, str, str]]:
        """(node number, slug, title) of the articles published by tonight."""
        shown = TOPICS[:len(TOPICS) - 3 + self.night]
        return [(n + 1, slug, title) for n, (slug, title, _) in enumerate(shown)]

    def article_paths(self) -> set[str]:
        return {f"/aktualnosci/{slug}" for _, slug, _ in self.articles()}

    def fetched(self, prefix: str = "") -> list[str]:
        with self.lock:
            return [path for _, path in self.hits if path.startswith(prefix)]

    def reset(self, night: int) -> None:
        with self.lock:
            self.night, self.hits = night, []

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- pages ----------------------------------------------------------------------------------

    def page(self, path: str) -> tuple[str, str] | None:
        """(content type, body) for a path, or None (404)."""
        by_node = {f"/node/{n}": (n, slug, title) for n, slug, title in self.articles()}
        by_slug = {f"/aktualnosci/{slug}": (n, slug, title) for n, slug, title in self.articles()}
        if path == "/robots.txt":
            return "text/plain", "User-agent: *\nDisallow: /admin/\n"
        if path == "/":
            links = [(f"/node/{n}", title) for n, _, title in self.articles()]
            links += [(f"/admin/{draft}", "Szkic") for draft in DRAFTS] + [("/aktualnosci", "Aktualności")]
            return "text/html", self.frame("Ośrodek Pomocy Społecznej w Żółkiewce", "", links)
        if path == "/aktualnosci":
            links = [(f"/aktualnosci/{slug}", title) for _, slug, title in self.articles()]
            return "text/html", self.frame("Aktualności", "", links)
        if path in by_node or path in by_slug:
            n, slug, title = by_node.get(path) or by_slug[path]
            return "text/html", self.article(n, slug, title, TOPICS[n - 1][2])
        if path.removeprefix("/admin/") in DRAFTS:
            return "text/html", self.article(90, path, "Projekt komunikatu – nie publikować", DRAFT_TEXT)
        if path == "/rss.xml":
            items = "".join(f"<item><title>{html.escape(t)}</title><link>{self.base}/node/{n}</link></item>"
                            for n, _, t in self.articles())
            return "application/rss+xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{self.base}/aktualnosci/{slug}</loc></url>" for _, slug, _ in self.articles())
            return ("application/xml", '<?xml version="1.0"?><urlset '
                    f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
        return None

    def article(self, n: int, slug: str, title: str, paragraphs: list[str]) -> str:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        content = (f'<div class="submitted">Opublikowano: {10 + n}.03.2025 r.</div>'
                   f'<div class="field-body">{body}</div>')
        canonical = f'<link rel="canonical" href="{self.base}/aktualnosci/{slug}">'
        return self.frame(title, content, [("/", "Strona główna"), ("/aktualnosci", "Aktualności")], canonical)

    @staticmethod
    def frame(title: str, content: str, links: list[tuple[str, str]], head: str = "") -> str:
        menu = "".join(f'<li><a href="{href}">{html.escape(text)}</a></li>' for href, text in links)
        return (f'<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                f'{head}</head><body><div id="menu"><ul>{menu}</ul></div><div id="content">'
                f'<h1>{html.escape(title)}</h1>{content}</div><div id="footer">OPS Żółkiewka © 2025</div>'
                '</body></html>')

    def handler(self):
        portal = self

        class Handler(Replies, BaseHTTPRequestHandler):
            def do_GET(self):
                with portal.lock:
                    portal.hits.append((time.monotonic(), self.path))
                found = portal.page(self.path)
                status, (kind, text) = (200, found) if found else (404, ("text/html", "<h1>404</h1>"))
                self.send_text(status, text, f"{kind}; charset=utf-8")

        return Handler
