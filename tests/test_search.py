"""Polish search in the Datasette UI: a real archive.db served by a real Datasette process."""
from __future__ import annotations

import asyncio
import contextlib
import csv
import html
import io
import json
import re
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette

from conftest import free_port, wait_for_http
from scraper.cli import main as cli
from scraper.web import plugin as datasette_plugin
from scraper.archive import db as archive_db
from scraper.archive import facet_counts
from scraper.archive import topics
from scraper.web.serve import datasette_args
from scraper.web import dated, routes
from scraper.archive.selection import Selection

ARTICLES = [
    ("lodz-seniorzy", "Łódź", "lodz-uml", "2024-03-01", "Nowy klub seniora",
     "W Łodzi otwarto klub dla seniorów. Zajęcia z seniorami odbywają się w środy."),
    ("lodz-rewitalizacja", "Łódź", "lodz-uml", "2023-06-10", "Rewitalizacja Księżego Młyna",
     "Łódź kończy rewitalizację osiedla. Mieszkańcy wracają do wyremontowanych kamienic."),
    ("gdansk-budzet", "Gdańsk", "gdansk-mops", "2024-09-15", "Wyniki budżetu obywatelskiego",
     "Mieszkańcy Gdańska wybrali projekty budżetu obywatelskiego na przyszły rok."),
    ("gdansk-bezdomnosc", "Gdańsk", "gdansk-mops", "2022-12-01", "Zima i bezdomność",
     "Noclegownia przyjmuje osoby w kryzysie bezdomności przez całą dobę."),
    ("krakow-polityka", "Kraków", "krakow-mopr", "2021-05-20", "Polityka społeczna miasta",
     "Rada przyjęła strategię polityki społecznej. Pomoc społeczna obejmie więcej rodzin."),
    ("krakow-budzet-panstwa", "Kraków", "krakow-mopr", "2024-01-05", "Budżet miasta",
     "Budżet na rok 2024 przyjęty; rada obywatelska komentuje wydatki."),
    ("warszawa-payload", "Warszawa", "warszawa-um", "2024-04-04", "Spotkanie dla seniorów",
     "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> "
     "Zaproszenie na spotkanie seniorów w Warszawie."),
    ("krakow-wolontariat", "Kraków", "krakow-mopr", "2019-03-03", "Wolontariat w hospicjum",
     "Hospicjum zaprasza na wolontariat. Wolontariat to pomoc chorym w domu."),
    ("krakow-sprawozdanie", "Kraków", "krakow-mopr", "2023-11-11", "Sprawozdanie roczne",
     "Rok zamknięty. W sprawozdaniu opisano dyżury, szkolenia i wolontariat."),
]
FILLER_ROWS = 1_200


def article_row(id_, city, source, published, title, body) -> dict:
    """An articles row as pipelines/store.py writes it."""
    return {"id": id_, "url": f"https://{source}.example.pl/{id_}", "source": source,
            "title": title, "body": body, "published": published, "city": city,
            "voivodeship": {"Łódź": "łódzkie", "Gdańsk": "pomorskie", "Kraków": "małopolskie",
                            "Warszawa": "mazowieckie"}.get(city),
            "topics": json.dumps(topics.assign(title, body), ensure_ascii=False),
            "fetched_at": "2025-01-01T00:00:00Z", "content_hash": id_}


def filler_row(n: int) -> dict:
    return article_row(f"filler-{n}", "Poznań", "poznan-um", f"20{10 + n % 10}-01-01",
                       f"Komunikat {n}", f"Informacja numer {n} o godzinach pracy urzędu.")


def build_archive(path: Path) -> Path:
    db = archive_db.connect(path)
    with db.conn:
        db["articles"].upsert_all([article_row(*a) for a in ARTICLES]
                                  + [filler_row(n) for n in range(FILLER_ROWS)], pk="id")
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("search") / "archive.db")


@contextlib.contextmanager
def served(path: Path):
    """Base URL of a Datasette subprocess started by scraper.web.serve on `path`."""
    port = free_port()
    process = subprocess.Popen(datasette_args(path, port=port), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/-/versions.json", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def datasette(archive):
    with served(archive) as base:
        yield base


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def search_ids(base: str, _search: str, **filters) -> set[str]:
    return set(ordered_ids(base, _search, **filters))


def ordered_ids(base: str, _search: str, **args) -> list[str]:
    query = urllib.parse.urlencode({"_search": _search, "_shape": "objects", "_size": "max",
                                    **args})
    return [row["id"] for row in json.loads(get(f"{base}/archive/articles.json?{query}"))["rows"]]


@pytest.mark.parametrize("query, expected", [
    ("lodz", {"lodz-seniorzy", "lodz-rewitalizacja"}),
    ("ŁÓDŹ", {"lodz-seniorzy", "lodz-rewitalizacja"}),
    ("spoleczna", {"krakow-polityka"}),
    ("seniorzy", {"lodz-seniorzy", "warszawa-payload"}),
    ("senior", {"lodz-seniorzy", "warszawa-payload"}),
    ("seniorow", {"lodz-seniorzy", "warszawa-payload"}),
    ("budzetu obywatelskiego", {"gdansk-budzet", "krakow-budzet-panstwa"}),
    ("budżet obywatelski", {"gdansk-budzet", "krakow-budzet-panstwa"}),
    ("bezdomnosc", {"gdansk-bezdomnosc"}),
    ("gdansku", {"gdansk-budzet"}),
])
def test_search_ignores_diacritics_and_inflection(datasette, query, expected):
    assert search_ids(datasette, query) == expected


@pytest.mark.parametrize("query, expected", [
    ('"budżet obywatelski"', {"gdansk-budzet"}),
    ('"obywatelski budżet"', set()),
    ("seniorzy NOT lodz", {"warszawa-payload"}),
    ("bezdomnosc OR rewitalizacja", {"gdansk-bezdomnosc", "lodz-rewitalizacja"}),
    ("(lodz OR gdansk) AND mieszkancy", {"lodz-rewitalizacja", "gdansk-budzet"}),
    ("senio*", {"lodz-seniorzy", "warszawa-payload"}),
    ('"niedomknięta fraza', set()),
    ("AND OR (", set()),
])
def test_phrases_and_boolean_operators_still_work(datasette, query, expected):
    assert search_ids(datasette, query) == expected


def test_search_combines_with_facet_filters(datasette):
    assert search_ids(datasette, "seniorzy", city="Łódź") == {"lodz-seniorzy"}


def test_results_page_highlights_the_matched_words(datasette):
    page = get(f"{datasette}/archive/articles?_search=lodz+seniorzy").decode()
    assert "<mark>Łodzi</mark>" in page
    assert "<mark>seniorów</mark>" in page
    assert "<strong>1</strong> artykuł." in page


def test_scraped_markup_is_shown_as_text_never_as_html(datasette):
    for path in ("/archive/articles?_search=script", "/archive/articles/warszawa-payload"):
        page = get(datasette + path).decode()
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.replace("<mark>", "")\
            .replace("</mark>", "")
        assert "<script>window.__pwned" not in page and "<img src=x" not in page


def test_facets_count_sources_cities_years_and_topics(datasette):
    facets = json.loads(get(f"{datasette}/archive/articles.json?_search=seniorzy"))["facet_results"]
    values = {name: {r["value"]: r["count"] for r in facet["results"]} for name, facet in facets.items()}
    assert values["city"] == {"Łódź": 1, "Warszawa": 1}
    assert values["voivodeship"] == {"łódzkie": 1, "mazowieckie": 1}
    assert values["published"] == {"2024": 2}
    assert values["topics"]["seniorzy"] == 2
    year = next(r for r in facets["published"]["results"] if r["value"] == "2024")
    clicked = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(year["toggle_url"]).query))
    assert clicked == {"_search": "seniorzy", "published__startswith": "2024", "_sort": "relevance"}
    assert search_ids(datasette, **clicked) == {"lodz-seniorzy", "warszawa-payload"}


def test_broad_search_skips_count_and_facets_but_says_how_many_match(datasette):
    page = html.unescape(get(f"{datasette}/archive/articles?_search=godzinach+pracy").decode())
    assert (f"<strong>{FILLER_ROWS:,}</strong> artykułów pasuje do wyszukiwania"
            .replace(",", "\u00a0") in page)
    assert 'id="facet-' not in page
    data = get(f"{datasette}/archive/articles.csv?_search=godzinach&_stream=on").decode()
    assert len(list(csv.DictReader(io.StringIO(data)))) == FILLER_ROWS


def test_search_puts_the_best_match_first_and_newest_first_is_one_click_away(datasette):
    assert ordered_ids(datasette, "wolontariat") == ["krakow-wolontariat", "krakow-sprawozdanie"]
    page = html.unescape(get(f"{datasette}/archive/articles?_search=wolontariat").decode())
    newest = re.search(r"Najlepiej dopasowane najpierw\s*· <a href=\"([^\"]+)\">najnowsze najpierw",
                       page)
    args = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(newest.group(1)).query))
    assert args == {"_search": "wolontariat", "_sort_desc": "published"}
    assert ordered_ids(datasette, **args) == ["krakow-sprawozdanie", "krakow-wolontariat"]


def test_best_match_order_pages_through_every_hit_once(datasette):
    url, seen = f"{datasette}/archive/articles.json?_search=komunikat&_size=100", []
    while url:
        data = json.loads(get(url))
        seen += [row[0] for row in data["rows"]]
        url = data["next_url"]
    assert data["human_description_en"].endswith("sorted by relevance")
    assert sorted(seen) == sorted(f"filler-{n}" for n in range(FILLER_ROWS))


def test_relevance_without_a_search_falls_back_to_the_table_order(datasette):
    rows = json.loads(get(f"{datasette}/archive/articles.json?_sort=relevance"))["rows"]
    assert rows[0][0] == max(ARTICLES, key=lambda article: article[3])[0]  # newest first


def test_whole_table_page_takes_its_count_and_facets_from_the_kept_counts(datasette, archive):
    page = html.unescape(get(f"{datasette}/archive/articles").decode())
    assert f"<strong>{len(ARTICLES) + FILLER_ROWS:,}</strong> artykułów".replace(",", "\u00a0") in page
    facets = json.loads(get(f"{datasette}/archive/articles.json"))["facet_results"]
    db = archive_db.connect(archive)
    expected = dict(db.execute("select city, count(*) from articles group by city"))
    db.conn.close()
    assert {r["value"]: r["count"] for r in facets["city"]["results"]} == expected
    next_page = json.loads(get(f"{datasette}/archive/articles.json"))["next_url"]
    on_next_page = json.loads(get(next_page))["facet_results"]["city"]["results"]
    assert {r["value"]: r["count"] for r in on_next_page} == expected
    clicked = next(r for r in facets["city"]["results"] if r["value"] == "Gdańsk")["toggle_url"]
    assert {row["id"] for row in json.loads(get(clicked.replace("/articles?", "/articles.json?")
                                                 + "&_shape=objects"))["rows"]} == {
        "gdansk-budzet", "gdansk-bezdomnosc"}


def test_a_facet_the_archive_keeps_no_counts_for_is_counted_from_the_rows(datasette):
    facets = json.loads(get(f"{datasette}/archive/articles.json?_facet_value=published"))
    dates = next(facet for facet in facets["facet_results"].values()
                 if facet["type"] == "value" and facet["name"] == "published")
    assert {r["value"]: r["count"] for r in dates["results"]}["2024-09-15"] == 1


def test_csv_for_excel_has_a_bom_semicolons_and_polish_letters(datasette):
    data = get(f"{datasette}/-/archiwum/export.csv?_search=lodz")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert {row["city"] for row in rows} == {"Łódź"}
    assert any(row["body"].startswith("W Łodzi otwarto klub dla seniorów.") for row in rows)
    assert not get(f"{datasette}/archive/articles.csv?_search=lodz").startswith(b"\xef\xbb\xbf")


def test_excel_csv_of_a_broad_search_holds_every_hit_in_the_page_order(datasette):
    data = get(f"{datasette}/-/archiwum/export.csv?_search=godzinach&_order=newest").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data), delimiter=";"))
    assert len(rows) == FILLER_ROWS
    assert [row["published"] for row in rows] == sorted((row["published"] for row in rows),
                                                        reverse=True)


def test_streamed_csv_holds_every_row_not_the_first_thousand(datasette):
    data = get(f"{datasette}/archive/articles.csv?_stream=on&_size=max").decode()
    assert len(list(csv.DictReader(io.StringIO(data)))) == len(ARTICLES) + FILLER_ROWS


def test_ranked_search_query_puts_title_matches_first_with_snippets(datasette):
    args = urllib.parse.urlencode({"q": "bezdomnosc", "city": "", "since": "", "until": "",
                                   "_shape": "objects"})
    rows = json.loads(get(f"{datasette}/archive/search.json?{args}"))["rows"]
    assert [row["id"] for row in rows] == ["gdansk-bezdomnosc"]
    assert "\ue000bezdomności\ue001" in rows[0]["snippet"]
    page = get(f"{datasette}/archive/search?{args}").decode()
    assert "<mark>bezdomności</mark>" in page


def test_ranked_search_filters_by_city_and_dates(datasette):
    args = {"q": "seniorzy", "city": "", "since": "2024-04-01", "until": "2024-12-31",
            "_shape": "objects"}
    url = f"{datasette}/archive/search.json?{urllib.parse.urlencode(args)}"
    assert [row["id"] for row in json.loads(get(url))["rows"]] == ["warszawa-payload"]


def test_timeline_of_a_city_has_a_bar_for_every_month_between_its_articles(datasette):
    page = get(f"{datasette}/-/archiwum/timeline?city=gdansk").decode()
    bars = re.findall(r'data-period="([^"]+)" data-articles="(\d+)"', page)
    assert len(bars) == 22  # 2022-12 … 2024-09
    assert bars[0] == ("2022-12", "1") and bars[-1] == ("2024-09", "1")
    assert {count for _, count in bars[1:-1]} == {"0"}
    assert "2 datowanych artykułów" in page


def test_article_page_links_the_original(datasette):
    page = get(f"{datasette}/archive/articles/gdansk-budzet").decode()
    assert 'class="original" href="https://gdansk-mops.example.pl/gdansk-budzet"' in page


def test_nothing_in_the_ui_writes(datasette, archive):
    sql = urllib.parse.quote("delete from articles")
    with pytest.raises(urllib.error.HTTPError):
        get(f"{datasette}/archive.json?sql={sql}")
    db = archive_db.connect(archive)
    assert db["articles"].count == len(ARTICLES) + FILLER_ROWS
    db.conn.close()


def test_upserts_while_serving_keep_the_index_current(datasette, archive):
    db = archive_db.connect(archive)
    with db.conn:
        db["articles"].upsert(article_row("gdansk-bezdomnosc", "Gdańsk", "gdansk-mops", "2022-12-01",
                                          "Zima", "Ogrzewalnia otwarta dla potrzebujących."), pk="id")
    try:
        assert search_ids(datasette, "ogrzewalni") == {"gdansk-bezdomnosc"}
        assert search_ids(datasette, "bezdomnosc") == set()
    finally:
        with db.conn:
            db["articles"].upsert(article_row(*ARTICLES[3]), pk="id")
        db.conn.close()
    assert search_ids(datasette, "bezdomnosc") == {"gdansk-bezdomnosc"}


@pytest.mark.parametrize("query", ["lodz", "seniorzy NOT lodz", '"budżet obywatelski"', "senio*"])
def test_export_finds_what_the_ui_finds(datasette, archive, tmp_path, query):
    out = tmp_path / "export.json"
    cli.main(["export", "--db", str(archive), "--search", query, "--format", "json", "-o", str(out)])
    assert {item["id"] for item in json.loads(out.read_text())} == search_ids(datasette, query)


def test_a_broad_search_count_is_exact_up_to_the_cap_and_an_estimate_past_it(archive):
    async def count(query: str, most: int):
        database = Datasette([str(archive)]).get_database("archive")
        return await datasette_plugin.count_hits(database, query, most)
    exact = asyncio.run(count("godzinach", 10_000))
    assert (exact.count, exact.exact) == (FILLER_ROWS, True)
    estimate = asyncio.run(count("godzinach", 100))
    assert not estimate.exact and abs(estimate.count - FILLER_ROWS) / FILLER_ROWS < 0.1


def test_timeline_counts_from_the_indexes_and_a_broad_search_from_a_sample(archive,
                                                                              monkeypatch):
    monkeypatch.setattr(routes, "TIMELINE_EXACT_MAX", 10)

    async def timeline(selection):
        database = Datasette([str(archive)]).get_database("archive")
        return await routes.counts_per_period(database, selection, "rok")
    exact, estimated = asyncio.run(timeline(Selection(search="seniorzy")))
    assert (exact, estimated) == ({"2024": 2}, False)
    sampled, estimated = asyncio.run(timeline(Selection(search="godzinach")))
    assert estimated and set(sampled) <= {str(year) for year in range(2010, 2020)}
    assert abs(sum(sampled.values()) - FILLER_ROWS) / FILLER_ROWS < 0.15
    by_city, estimated = asyncio.run(timeline(Selection(city="Poznań", until="2012-12-31")))
    assert (by_city, estimated) == ({"2010": 120, "2011": 120, "2012": 120}, False)
    months, _ = asyncio.run(timeline(Selection(search="seniorzy OR wolontariat")))
    assert months == {"2024": 2, "2023": 1, "2019": 1}


def test_dates_for_the_timeline_are_read_again_for_added_articles_only(tmp_path):
    path = build_archive(tmp_path / "archive.db")
    db = archive_db.connect(path)
    before = dated.read_dates(db.conn)
    with db.conn:
        db["articles"].upsert(article_row("nowy", "Kraków", "krakow-mopr", "2025-07", "Nowy",
                                          "Tekst."), pk="id")
    added = dated.read_dates(db.conn, before)
    assert added == dated.read_dates(db.conn)
    assert added[-1] == 20250700 and len(added) == len(before) + 1
    db.conn.close()


def kept_and_actual_counts(db) -> tuple[dict, dict]:
    kept = {(facet, value): count for facet, value, count in db.execute(
        f"select * from {facet_counts.TABLE} where count > 0")}
    actual = {}
    for row in db.execute("select source, city, voivodeship, substr(published, 1, 4), topics "
                          "from articles"):
        values = list(zip(("source", "city", "voivodeship", "published"), row[:4]))
        values += [("topics", topic) for topic in json.loads(row[4] or "[]")]
        for key in values:
            if key[1] is not None:
                actual[key] = actual.get(key, 0) + 1
    return kept, actual


def test_kept_facet_counts_follow_inserts_updates_replacements_and_deletes(tmp_path):
    db = archive_db.connect(tmp_path / "archive.db")
    with db.conn:
        db["articles"].insert_all([article_row(*a) for a in ARTICLES], pk="id")
        db["articles"].upsert(article_row("lodz-seniorzy", "Gdańsk", "gdansk-mops", "2020-01-01",
                                          "Klub", "Zajęcia dla seniorów i bezdomnych."), pk="id")
        db.execute("insert or replace into articles (id, title, body, city) values (?, ?, ?, ?)",
                   ["gdansk-budzet", "Budżet", "Bez daty.", "Sopot"])
        db["articles"].delete("krakow-polityka")
    kept, actual = kept_and_actual_counts(db)
    assert kept == actual and kept[("city", "Gdańsk")] == 2 and ("published", "2021") not in kept
    assert db.execute("select count from _counts where [table] = 'articles'").fetchone()[0] == 8
    db.conn.close()


def test_an_archive_made_before_the_kept_counts_gets_them_on_open(tmp_path):
    db = archive_db.connect(build_archive(tmp_path / "archive.db"))
    for trigger in ("articles_facets_insert", "articles_facets_delete", "articles_facets_update",
                    "articles_counts_insert", "articles_counts_delete"):
        db.execute(f"drop trigger {trigger}")
    db.execute(f"drop table {facet_counts.TABLE}")
    db.execute("drop table _counts")
    db.conn.close()
    db = archive_db.connect(tmp_path / "archive.db")
    kept, actual = kept_and_actual_counts(db)
    assert kept == actual and kept[("city", "Poznań")] == FILLER_ROWS
    db.conn.close()


def index_hits(db, query: str) -> list[str]:
    return [row[0] for row in db.execute(
        "select a.id from articles_fts f join articles a on a.rowid = f.rowid "
        "where articles_fts match archiwum_match(?) order by a.id", [query])]


def test_an_archive_indexed_by_the_first_schema_is_reindexed_on_open(tmp_path):
    old = sqlite_utils.Database(tmp_path / "archive.db")
    old["articles"].insert(article_row(*ARTICLES[0]), pk="id")
    old["articles"].enable_fts(["title", "body"], tokenize="unicode61 remove_diacritics 2",
                               create_triggers=True)
    old.conn.close()
    db = archive_db.connect(tmp_path / "archive.db")
    assert index_hits(db, "lodz") == ["lodz-seniorzy"]
    db.conn.close()


def test_replacing_or_deleting_an_article_leaves_no_stale_index_entry(tmp_path):
    db = archive_db.connect(tmp_path / "archive.db")
    with db.conn:
        db["articles"].insert_all([article_row(*a) for a in ARTICLES[:2]], pk="id")
        db.execute("insert or replace into articles (id, title, body) values (?, ?, ?)",
                   ["lodz-seniorzy", "Klub zamknięty", "Remont potrwa do jesieni."])
        db["articles"].delete("lodz-rewitalizacja")
    indexed = "select count(*) from articles_fts where articles_fts match archiwum_match(?)"
    assert [db.execute(indexed, [word]).fetchone()[0]
            for word in ("seniorzy", "rewitalizacja", "remont")] == [0, 0, 1]
    assert index_hits(db, "remont") == ["lodz-seniorzy"]
    db.conn.close()
