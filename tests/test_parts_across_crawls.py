"""Issue #14 class 10: a part of an article read a night after the article (page 2 added later, a
"Skrót i Metryka" tab that failed to load) still joins it, once, and the archive holds what one
crawl of both would have stored, though the incremental crawl skips the article as known and its
page answers 304 to a conditional request."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from http.server import BaseHTTPRequestHandler

import pytest

from tests.plaincrawl import crawl_to_end
from tests.replies import HTML, Replies, serving
from tests.test_extract_parts import record

TEXT = "/portal/tekst/5"
PAGES = (  # the two pages of a text: page 2 is published the second night
    ("Gmina rozpoczyna program opieki wytchnieniowej dla rodzin, które opiekują się niepełnosprawnymi bliskimi.",
     "Opiekunowie mogą zgłosić się do ośrodka pomocy społecznej, który przydzieli im godziny usług w domu."),
    ("W drugiej turze programu do opieki dołączą asystenci, którzy zastąpią opiekuna także w weekendy.",
     "Wnioski na drugą turę przyjmuje sekretariat ośrodka do końca czerwca, a decyzje zapadną w lipcu."),
)


def text_page(page: int, pages: int) -> str:
    """Page `page` of the text as the portal shows it with `pages` pages: the date on the first
    page, the author on the last one, the pager once there is a second page."""
    numbers = " ".join(f"<b>{n}</b>" if n == page else f"<a href='{TEXT}{f'?strona={n}' if n > 1 else ''}'>{n}</a>"
                       for n in range(1, pages + 1))
    pager = f"<div class='pagination'>Strona: {numbers}</div>" if pages > 1 else ""
    date = "<p class='data'>Opublikowano: 7 maja 2024</p>" if page == 1 else ""
    author = "<p>Autor: Jan Nowak</p>" if page == pages else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in PAGES[page - 1])
    return (f"<html><head><title>Opieka wytchnieniowa</title></head><body><nav><a href='/portal/'>Start</a></nav>"
            f"<main><h1>Opieka wytchnieniowa w gminie</h1>{date}{paragraphs}{author}{pager}</main></body></html>")


FULL, SUMMARY = "/portal/rekord?nr=6&widok=2", "/portal/rekord?nr=6&widok=1"
OTHERS = 14  # other news of the portal: enough pages for its template to settle the first night, so
# the first crawl's notes for a re-reading (scraper/crawl/reclean.py) are gone by the second


PLACES = ("Olszynka", "Brzozówka", "Dębina", "Jaworze", "Lipnik", "Modrzewie", "Topola", "Wierzbno", "Grabowo",
          "Jesionka", "Klonowo", "Sosnówka", "Bukowiec", "Cisowa")


def news(n: int) -> str:
    place = PLACES[n - 1]
    return (f"<html><head><title>{place}</title></head><body><nav><a href='/portal/'>Start</a></nav><main>"
            f"<h1>Zebranie wiejskie w sołectwie {place}</h1><p class='data'>Opublikowano: {n} kwietnia 2024</p>"
            f"<p>Mieszkańcy sołectwa {place} rozmawiali o pomocy sąsiedzkiej i opiece nad seniorami.</p>"
            f"<p>Sołtys wsi {place} przedstawił plan zajęć w świetlicy na najbliższe miesiące.</p>"
            "</main></body></html>")


def portal_pages(night: int) -> dict[str, str]:
    """The first night the text has one page and the record's summary tab does not load; the
    second night page 2 is out, the tab loads, and the home page's "Nowe" box links both."""
    new = "<li><a href='/portal/tekst/5?strona=2'>Opieka: druga tura</a></li>" \
          "<li><a href='/portal/rekord?nr=6&amp;widok=1'>Rekord: metryka</a></li>" if night > 1 else ""
    pages = {"/portal/": "<html><head><title>Portal</title></head><body><ul>"
                         f"<li><a href='{TEXT}'>Opieka wytchnieniowa</a></li>"
                         f"<li><a href='/portal/rekord?nr=6&amp;widok=2'>Klub seniora</a></li>{new}"
                         + "".join(f"<li><a href='/portal/news/{n}'>Wiadomość {n}</a></li>" for n in range(1, OTHERS + 1))
                         + "</ul></body></html>",
             TEXT: text_page(1, night), FULL: record(6, 2), **{f"/portal/news/{n}": news(n) for n in range(1, OTHERS + 1)}}
    if night > 1:
        pages |= {f"{TEXT}?strona=2": text_page(2, 2), SUMMARY: record(6, 1)}
    return pages


class PortalHandler(Replies, BaseHTTPRequestHandler):
    night = 1

    def do_GET(self):  # noqa: N802 - http.server naming
        html = portal_pages(PortalHandler.night).get(self.path)
        body = (html or "<html><body>brak</body></html>").encode()
        etag = f'"{hashlib.sha1(body).hexdigest()}"'
        if html and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_bytes(200 if html else 404, body, HTML, {"ETag": etag})


@pytest.fixture
def portal():
    PortalHandler.night = 1
    with serving(PortalHandler) as url:
        yield url


def crawl(portal: str, db) -> dict:
    crawl_to_end(f"{portal}/portal/", db)
    conn = sqlite3.connect(db)
    rows = {url.removeprefix(portal): (title, body, author, published, json.loads(metadata or "{}"))
            for url, title, body, author, published, metadata in
            conn.execute("select url, title, body, author, published, metadata from articles")}
    assert not conn.execute("select count(*) from early_pages").fetchone()[0]  # nothing left to re-read later
    conn.close()
    return rows


def test_a_part_read_a_night_after_its_article_joins_it_as_in_one_crawl(portal, tmp_path):
    nightly = tmp_path / "nightly.db"
    first = crawl(portal, nightly)
    assert first[TEXT][1].split("\n\n") == list(PAGES[0]) and "Miejsce" not in first[FULL][4]
    PortalHandler.night = 2
    second = crawl(portal, nightly)
    _, body, author, published, _ = second[TEXT]
    assert body.split("\n\n") == [*PAGES[0], *PAGES[1]]  # page 2's text, once, after page 1's
    assert (author, published) == ("Jan Nowak", "2024-05-07")
    assert second[FULL][4].get("Miejsce") == "Olszynka, gmina Przykładowo" and second[FULL][3] == "2019-04-03"
    assert second == crawl(portal, tmp_path / "one_crawl.db")  # as if both had come in one crawl
    assert crawl(portal, nightly) == second  # a third night changes nothing
