"""Issue #14 class 10: a print view beside an article, with no print address (print=1, /druk/) and no
print call as it loads, is no second article: it is known by its text and its marks, and stored as
the article's alias, whichever of the two is read first."""
from __future__ import annotations

import sqlite3

import pytest

from pipelines.clean import CleanPipeline
from pipelines.dates import DatesPipeline
from pipelines.dedupe import DedupePipeline
from pipelines.store import StorePipeline
from scraper.items import Page
from tests.plaincrawl import crawl_to_end
from tests.replies import serving_pages

SITE = "http://gmina.example.pl"
CHROME = ("<header><a href='/'>Gmina Przykładowo</a></header><nav><ul>" +
          "".join(f"<li><a href='/dzial/{n}'>Dział {n}</a></li>" for n in range(6)) + "</ul></nav>")
FOOTER = "<footer>Urząd Gminy Przykładowo, ul. Polna 1</footer>"
STORIES = {  # article number -> headline, paragraphs
    21: ("Dzienny dom seniora otwarty w Olszynce",
         ("Od poniedziałku seniorzy z całej gminy mogą korzystać z dziennego domu w dawnej szkole w Olszynce.",
          "Na miejscu czekają posiłki, zajęcia ruchowe, pracownia komputerowa i opieka pielęgniarki.",
          "Zapisy prowadzi ośrodek pomocy społecznej, a dowóz zapewnia gminny bus dwa razy dziennie.")),
    22: ("Bezpłatne porady prawne dla mieszkańców",
         ("W każdy wtorek w urzędzie dyżuruje radca prawny, który bezpłatnie doradza mieszkańcom gminy.",
          "Porady dotyczą spraw rodzinnych, mieszkaniowych i długów, a na wizytę trzeba się umówić telefonicznie.")),
    23: ("Zbiórka żywności dla rodzin w potrzebie",
         ("Szkoły i parafie zbierają w tym tygodniu żywność o długim terminie ważności dla rodzin w potrzebie.",
          "Paczki rozwiezie ośrodek pomocy społecznej przed świętami, a wolontariusze pomogą je przygotować.")),
}


def article(nr: int, print_url: str) -> str:
    """The article on the portal: the site's chrome, a date, and a link to its print view."""
    title, paragraphs = STORIES[nr]
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title} - Gmina Przykładowo</title><link rel='stylesheet' href='/style.css'></head>"
            f"<body>{CHROME}<main><h1>{title}</h1><p class='data'>Opublikowano: 4 marca 2024</p>{text}"
            f"<p><a href='{print_url}'>Wersja do druku</a> <a href='#' onclick='window.print()'>Drukuj</a></p>"
            f"</main>{FOOTER}</body></html>")


def print_view(nr: int, kind: str, article_url: str) -> str:
    """Its print view, which does not print itself as it loads: the same text without the site.
    "canonical": rel=canonical to the article and a close button; "stylesheet": a print stylesheet
    only and a print button; "bare": only the headline and the text (the article links to it)."""
    title, paragraphs = STORIES[nr]
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    head = {"canonical": f"<link rel='canonical' href='{article_url}'>",
            "stylesheet": "<link rel='stylesheet' media='print' href='/druk.css'>", "bare": ""}[kind]
    controls = {"canonical": "<p><a href='javascript:window.close()'>Zamknij okno</a></p>",
                "stylesheet": "<p><button onclick='window.print()'>Drukuj</button></p>", "bare": ""}[kind]
    return (f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1>"
            f"<p>Opublikowano: 4 marca 2024</p>{text}{controls}</body></html>")


KINDS = {21: "canonical", 22: "stylesheet", 23: "bare"}
ARTICLE = {nr: f"/aktualnosci/{nr}" for nr in KINDS}
PRINTED = {nr: f"/pokaz.php?id={nr}&tryb=w" for nr in KINDS}


def page(path: str, nr: int) -> Page:
    html = article(nr, PRINTED[nr]) if path == ARTICLE[nr] else print_view(nr, KINDS[nr], SITE + ARTICLE[nr])
    return Page(url=SITE + path, source="gmina", html=html, fetched_at="2024-03-05T00:00:00+00:00")


@pytest.mark.parametrize("nr", sorted(KINDS))
def test_a_print_view_read_after_its_article_is_its_alias(nr):
    stage = CleanPipeline()
    stored = stage.process_item(page(ARTICLE[nr], nr))
    assert stored.alias_of is None and stored.print_views == []
    printed = stage.process_item(page(PRINTED[nr], nr))
    assert printed.alias_of == SITE + ARTICLE[nr]


@pytest.mark.parametrize("nr", sorted(KINDS))
def test_an_article_read_after_its_print_view_names_it(nr):
    stage = CleanPipeline()
    stage.process_item(page(PRINTED[nr], nr))  # nothing tells it yet: read as an article
    stored = stage.process_item(page(ARTICLE[nr], nr))
    assert (stored.alias_of, stored.print_views) == (None, [SITE + PRINTED[nr]])


def test_two_articles_of_the_portal_are_no_print_views_of_each_other():
    stage = CleanPipeline()
    for nr in KINDS:
        assert stage.process_item(page(ARTICLE[nr], nr)).alias_of is None
    other = article(22, PRINTED[22]).replace("/aktualnosci/22", "/aktualnosci/220")  # the same text, with the site
    assert stage.process_item(Page(url=SITE + "/archiwum/22", source="gmina", html=other,
                                   fetched_at="2024-03-05T00:00:00+00:00")).alias_of is None


def test_a_print_views_alias_points_to_the_address_its_article_is_stored_under():
    stage = CleanPipeline()
    html = article(22, PRINTED[22]).replace("</title>", f"</title><link rel='canonical' href='{ARTICLE[22]}'>")
    stored = stage.process_item(Page(url=SITE + "/index.php?art=22", source="gmina", html=html,
                                     fetched_at="2024-03-05T00:00:00+00:00"))
    assert stored.canonical_url == SITE + ARTICLE[22]
    assert stage.process_item(page(PRINTED[22], 22)).alias_of == SITE + ARTICLE[22]


def test_a_print_view_of_another_text_is_an_article_of_its_own():
    stage = CleanPipeline()
    stage.process_item(page(ARTICLE[21], 21))
    assert stage.process_item(page(PRINTED[22], 22)).alias_of is None  # 22's print view, 22 not read


def run_stages(db, pages: list[Page]) -> list[Page]:
    """The pages through clean, dates, dedupe and store on the archive at db, as one crawl."""
    stages = [CleanPipeline(str(db)), DatesPipeline(), DedupePipeline(str(db)), StorePipeline(str(db))]
    for stage in stages:
        getattr(stage, "open_spider", lambda: None)()
    done = []
    for item in pages:
        for stage in stages:
            item = stage.process_item(item)
        done.append(item)
    for stage in stages:
        getattr(stage, "close_spider", lambda: None)()
    return done


def test_a_print_view_found_a_night_after_its_article_points_to_is_its_alias(tmp_path):
    db = tmp_path / "archive.db"
    run_stages(db, [page(ARTICLE[nr], nr) for nr in KINDS])
    printed = run_stages(db, [page(PRINTED[21], 21)])[0]  # names its article as canonical
    assert printed.stored.startswith("repeat of article")
    conn = sqlite3.connect(db)
    assert [url for (url,) in conn.execute("select url from articles order by url")] == [SITE + ARTICLE[nr] for nr in KINDS]
    assert conn.execute("select a.url from article_aliases al join articles a on a.id = al.article_id"
                        " where al.url = ?", [SITE + PRINTED[21]]).fetchone() == (SITE + ARTICLE[21],)
    conn.close()


def test_a_copy_of_the_text_after_both_views_links_to_the_article_not_to_the_print_view(tmp_path):
    db = tmp_path / "archive.db"
    long_story = tuple(f"{p} Zdanie {word} dopowiada szczegóły o godzinach otwarcia i o dowozie seniorów."
                       for p in STORIES[21][1] for word in ("pierwsze", "drugie"))
    STORIES[31] = (STORIES[21][0], long_story)  # long enough to be a near-duplicate
    KINDS[31], ARTICLE[31], PRINTED[31] = "stylesheet", "/aktualnosci/31", "/pokaz.php?id=31&tryb=w"
    try:
        copy = article(31, "/inny").replace("</main>", "<p>Informację przekazała sekretarka gminy.</p></main>")
        stored = run_stages(db, [page(PRINTED[31], 31), page(ARTICLE[31], 31),
                                 Page(url=SITE + "/mops/31", source="gmina", html=copy, fetched_at="2024-03-05T00:00:00+00:00")])
    finally:
        for table in (STORIES, KINDS, ARTICLE, PRINTED):
            del table[31]
    assert stored[1].print_views == [SITE + "/pokaz.php?id=31&tryb=w"]
    assert stored[2].duplicate_of == stored[1].id


# ---------------------------------------------------------------- crawled for real, either view first

LISTING = ("<html><head><title>Aktualności</title></head><body><h1>Aktualności</h1><ul>"
           "<li><a href='/pokaz.php?id=21&amp;tryb=w'>Dom seniora (wydruk)</a></li>"
           "<li><a href='/aktualnosci/21'>Dom seniora</a></li>"
           "<li><a href='/pokaz.php?id=22&amp;tryb=w'>Porady prawne (wydruk)</a></li>"
           "<li><a href='/strona-2'>Starsze</a></li></ul></body></html>")
OLDER = "<html><head><title>Starsze</title></head><body><ul><li><a href='/aktualnosci/22'>Porady prawne</a></li>" \
        "<li><a href='/aktualnosci/23'>Zbiórka</a></li></ul></body></html>"


def portal_pages(base: str) -> dict[str, str]:
    return {"/": LISTING, "/strona-2": OLDER,
            **{ARTICLE[nr]: article(nr, PRINTED[nr]) for nr in KINDS},
            **{PRINTED[nr]: print_view(nr, KINDS[nr], base + ARTICLE[nr]) for nr in KINDS}}


@pytest.fixture
def portal():
    with serving_pages(portal_pages) as url:
        yield url


def test_a_print_view_is_stored_as_its_articles_alias_whichever_comes_first(portal, tmp_path):
    db = tmp_path / "archive.db"
    crawl_to_end(f"{portal}/", db)
    conn = sqlite3.connect(db)
    articles = {url.removeprefix(portal): (article_id, body) for article_id, url, body in
                conn.execute("select id, url, body from articles")}
    aliases = dict(conn.execute("select url, article_id from article_aliases"))
    conn.close()
    assert sorted(articles) == sorted(ARTICLE.values())  # the article's address, one row each
    for nr in KINDS:
        article_id, body = articles[ARTICLE[nr]]
        assert body.split("\n\n")[-len(STORIES[nr][1]):] == list(STORIES[nr][1])
        assert aliases.get(portal + PRINTED[nr]) == article_id
