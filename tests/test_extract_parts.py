"""Issue #14 class 10: an article whose body and metadata stand on several pages (tabs, "Strona: 1 2 3",
a print view beside it) is stored once, whole, whatever part the crawl reads first."""
from __future__ import annotations

import json
import sqlite3

import pytest
from scrapy.exceptions import DropItem

from pipelines.clean import CleanPipeline
from pipelines.dates import DatesPipeline
from scraper.extract.main_text import extract
from scraper.items import Page
from tests.plaincrawl import crawl_to_end
from tests.replies import serving_pages

RECORD = "https://praktyki.example.pl/index.php?rekord=41"
TABS = (f"<p class='tabs'><a href='{RECORD}&amp;widok=1'>Skrót i Metryka</a> | "
        f"<a href='{RECORD}&amp;widok=2'>Pełna prezentacja</a></p>")
TITLE = "Klub Seniora w remizie"
SUMMARY = f"""<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>{TABS}
<p>Krótki opis: sołectwo otworzyło klub dla seniorów w budynku remizy, z zajęciami trzy razy w tygodniu.</p>
<table class="metryka"><tr><td>Miejsce</td><td>Olszynka, gmina Przykładowo</td></tr>
<tr><td>Data rozpoczęcia</td><td>12.03.2019</td></tr><tr><td>Data publikacji</td><td>3 kwietnia 2019</td></tr></table>
</body></html>"""
FULL = f"""<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>{TABS}
<p>Pomysł zrodził się na zebraniu wiejskim, kiedy mieszkańcy zauważyli, że starsze osoby nie mają gdzie się spotykać.</p>
<p>Strażacy udostępnili salę, a ośrodek pomocy społecznej sfinansował wyposażenie i zajęcia z terapeutką.</p>
<p>Dziś do klubu przychodzi regularnie dwadzieścia osób, a zajęcia prowadzą na zmianę wolontariusze.</p>
<p>W programie są gimnastyka, warsztaty rękodzieła, wieczory wspomnień i wyjazdy do teatru w mieście powiatowym.</p>
<p>Koszt prowadzenia klubu to około ośmiu tysięcy złotych rocznie, z czego połowę pokrywa fundusz sołecki.</p>
<p>Rada gminy zdecydowała, że w kolejnym roku podobne kluby powstaną w dwóch następnych sołectwach.</p></body></html>"""


def item(url: str, html: str) -> Page:
    return Page(url=url, source="praktyki", html=html, fetched_at="2024-01-01T00:00:00+00:00")


def test_the_full_presentation_keeps_the_summary_tabs_dates_and_place():
    stage = CleanPipeline()
    with pytest.raises(DropItem, match="summary view"):
        stage.process_item(item(f"{RECORD}&widok=1", SUMMARY))
    stored = stage.process_item(item(f"{RECORD}&widok=2", FULL))
    assert "Strażacy udostępnili salę" in stored.body
    assert stored.metadata.get("Miejsce") == "Olszynka, gmina Przykładowo"
    assert stored.metadata.get("Data publikacji") == "3 kwietnia 2019"
    assert DatesPipeline().process_item(stored).published == "2019-04-03"


def test_an_article_with_no_summary_view_is_stored_as_it_is():
    stored = CleanPipeline().process_item(item(f"{RECORD}&widok=2", FULL))
    assert "Miejsce" not in stored.metadata


# ---------------------------------------------------------------- crawled for real, parts in either order

def tabs(nr: int) -> str:
    return (f"<p class='tabs'><a href='/portal/rekord?nr={nr}&amp;widok=1'>Skrót i Metryka</a> | "
            f"<a href='/portal/rekord?nr={nr}&amp;widok=2'>Pełna prezentacja</a></p>")


def record(nr: int, view: int) -> str:
    """SUMMARY and FULL of one record, its tabs pointing to its own views."""
    return (SUMMARY if view == 1 else FULL).replace(TABS, tabs(nr)).replace(TITLE, f"{TITLE} numer {nr}")


TEXT_PAGES = (  # the three pages of a text, each page's own paragraphs
    ("Rada Seniorów zebrała się po raz pierwszy w nowej kadencji, by wybrać przewodniczącą i ustalić plan prac na rok.",
     "Na pierwszym posiedzeniu radni seniorzy omówili dostępność przychodni i połączenia autobusowe z sołectwami."),
    ("Drugą część obrad poświęcono opiece wytchnieniowej dla rodzin, które na co dzień opiekują się chorymi bliskimi.",
     "Kierowniczka ośrodka pomocy przedstawiła, ile godzin usług opiekuńczych gmina kupiła w ubiegłym roku."),
    ("Na koniec rada przyjęła stanowisko w sprawie klubów seniora i poprosiła burmistrza o lokal w każdej dzielnicy.",
     "Kolejne posiedzenie odbędzie się jesienią, a protokół będzie dostępny w sekretariacie urzędu."),
)


def text_page(nr: int, page: int) -> str:
    """Page `page` of text `nr`: the date on the first page, the author on the last one."""
    first = f"/portal/tekst/{nr}"
    numbers = " ".join(f"<b>{n}</b>" if n == page else f"<a href='{first}{f'?strona={n}' if n > 1 else ''}'>{n}</a>"
                       for n in range(1, len(TEXT_PAGES) + 1))
    date = "<p class='data'>Opublikowano: 5 maja 2023</p>" if page == 1 else ""
    author = "<p>Autor: Anna Kowalska</p>" if page == len(TEXT_PAGES) else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in TEXT_PAGES[page - 1])
    return (f"<html><head><title>Rada Seniorów {nr}</title></head><body><nav><a href='/portal/'>Start</a></nav>"
            f"<main><h1>Pierwsze posiedzenie Rady Seniorów {nr}</h1>{date}{paragraphs}{author}"
            f"<div class='pagination'>Strona: {numbers}</div></main></body></html>")


NEWS = ("Ośrodek pomocy społecznej zaprasza opiekunów osób starszych na bezpłatne warsztaty z pielęgnacji w domu.",
        "Zajęcia poprowadzą pielęgniarki środowiskowe, a zapisy przyjmuje sekretariat ośrodka do końca miesiąca.")


def news(printed: bool) -> str:
    """An article with a print button, and its print view, which prints itself as it loads."""
    paragraphs = "".join(f"<p>{p}</p>" for p in NEWS)
    head = "<title>Warsztaty dla opiekunów</title><script>function drukuj() { window.print(); }</script>"
    if printed:
        return (f"<html><head>{head}</head><body onload='window.print()'><h1>Warsztaty dla opiekunów</h1>"
                f"<p>Opublikowano: 2 czerwca 2023</p>{paragraphs}<p>Adres artykułu: /portal/artykul/7</p></body></html>")
    return (f"<html><head>{head}</head><body><nav><a href='/portal/'>Start</a></nav><main><h1>Warsztaty dla opiekunów</h1>"
            f"<p>Opublikowano: 2 czerwca 2023</p>{paragraphs}<p><a href='/portal/artykul/7/wersja-do-druku'>Wersja do druku</a> "
            f"<a href='#' onclick='drukuj()'>Drukuj</a></p></main></body></html>")


PORTAL = {  # the listing points to one part of each article; the other parts are found from it
    "/portal/": "<html><head><title>Portal</title></head><body><ul>"
                "<li><a href='/portal/rekord?nr=1&amp;widok=1'>Rekord pierwszy</a></li>"
                "<li><a href='/portal/rekord?nr=2&amp;widok=2'>Rekord drugi</a></li>"
                "<li><a href='/portal/tekst/3'>Tekst trzeci</a></li>"
                "<li><a href='/portal/tekst/4?strona=3'>Tekst czwarty</a></li>"
                "<li><a href='/portal/artykul/7/wersja-do-druku'>Warsztaty (do druku)</a></li>"
                "<li><a href='/portal/artykul/7'>Warsztaty</a></li></ul></body></html>",
    "/portal/artykul/7": news(printed=False), "/portal/artykul/7/wersja-do-druku": news(printed=True),
    **{f"/portal/rekord?nr={nr}&widok={view}": record(nr, view) for nr in (1, 2) for view in (1, 2)},
    **{f"/portal/tekst/{nr}{f'?strona={page}' if page > 1 else ''}": text_page(nr, page)
       for nr in (3, 4) for page in range(1, len(TEXT_PAGES) + 1)},
}


@pytest.fixture
def portal():
    with serving_pages(PORTAL) as url:
        yield url


def test_an_article_read_from_several_pages_is_stored_once_whole_whatever_part_comes_first(portal, tmp_path):
    db = tmp_path / "archive.db"
    crawl_to_end(f"{portal}/portal/", db)
    conn = sqlite3.connect(db)
    rows = {row[0].removeprefix(portal): row[1:] for row in
            conn.execute("select url, body, author, published, metadata from articles")}
    conn.close()
    assert sorted(rows) == ["/portal/artykul/7", "/portal/rekord?nr=1&widok=2", "/portal/rekord?nr=2&widok=2",
                            "/portal/tekst/3", "/portal/tekst/4"]  # the print view is not a second article
    for nr in (1, 2):  # summary tab read first, full presentation read first
        body, _, published, metadata = rows[f"/portal/rekord?nr={nr}&widok=2"]
        assert json.loads(metadata or "{}").get("Miejsce") == "Olszynka, gmina Przykładowo"
        assert published == "2019-04-03"
        assert "Strażacy udostępnili salę" in body
    for nr in (3, 4):  # first page read first, last page read first
        body, author, published, _ = rows[f"/portal/tekst/{nr}"]
        assert [p for p in body.split("\n\n")] == [p for page in TEXT_PAGES for p in page]
        assert (author, published) == ("Anna Kowalska", "2023-05-05")


def test_a_news_listings_second_page_stays_a_listing_and_a_first_page_is_the_article():
    teasers = "".join(f"<div class='wpis'><h2><a href='/portal/news/{n}'>Wiadomość numer {n} z życia gminy i sołectw</a></h2>"
                      f"<p>Krótki wstęp do wiadomości numer {n}, który zachęca do przeczytania całości tekstu.</p></div>"
                      for n in range(5))
    pager = "<div class='pagination'>Strona: <a href='/portal/news'>1</a> <b>2</b> <a href='/portal/news?strona=3'>3</a></div>"
    listing = extract(f"<html><body><h1>Aktualności</h1>{teasers}{pager}</body></html>", "http://gmina.pl/portal/news?strona=2")
    assert listing.reason.startswith("listing") and not listing.part_of
    first = extract(text_page(5, 1), "http://gmina.pl/portal/tekst/5")
    assert first.is_article and not first.part_of
    later = extract(text_page(5, 2), "http://gmina.pl/portal/tekst/5?strona=2")
    assert (later.is_article, later.part_of, later.part_rank) == (False, "http://gmina.pl/portal/tekst/5", 2)
