"""Dedupe stage: one article under many URLs is one row; cross-posted news is linked, not lost."""
import sqlite3
import tracemalloc

import pytest
from scrapy.exceptions import DropItem

from pipelines.dedupe import DedupePipeline
from pipelines.store import StorePipeline
from scraper.items import Page
from scraper.urls import canonicalize

NEWS = ("Miejski Ośrodek Pomocy Społecznej zaprasza seniorów na bezpłatne warsztaty cyfrowe. "
        "Zajęcia odbędą się w Klubie Seniora przy ulicy Długiej we wtorki i czwartki. "
        "Uczestnicy nauczą się korzystać ze smartfonów, bankowości internetowej i e-usług urzędu. "
        "Zapisy przyjmują pracownicy socjalni pod numerem telefonu podanym w ogłoszeniu.")


def page(source: str, key: str, body: str, title: str = "Warsztaty cyfrowe dla seniorów") -> Page:
    return Page(url=f"http://{source}.example/{key}", source=source, html="", title=title,
                body=body, fetched_at="2026-11-23T02:00:00+00:00", article_key=f"{source}:{key}")


def test_the_same_article_under_two_urls_is_stored_once():
    dedupe = DedupePipeline()
    dedupe.process_item(page("mops", "aktualnosci/12", NEWS))
    with pytest.raises(DropItem):
        dedupe.process_item(page("mops", "aktualnosci/12", NEWS))


def test_news_cross_posted_by_a_city_hall_and_its_mops_is_linked(tmp_path):
    """The store stage links a near-duplicate to the earlier article, of this crawl or archived."""
    db_path = str(tmp_path / "archive.db")
    store = StorePipeline(db_path)
    store.open_spider()
    dedupe = DedupePipeline(db_path)
    original = store.process_item(dedupe.process_item(page("mops", "12", NEWS)))
    same_crawl = store.process_item(dedupe.process_item(page("urzad", "344", NEWS + " Zapraszamy.")))
    store.close_spider()
    assert original.duplicate_of is None and same_crawl.duplicate_of == original.id

    later_crawl = StorePipeline(db_path)  # a later crawl compares against what is archived
    later_crawl.open_spider()
    copy = later_crawl.process_item(DedupePipeline(db_path).process_item(
        page("urzad", "345", NEWS + " Serdecznie zapraszamy!", title="MOPS: warsztaty dla seniorów")))
    assert copy.duplicate_of == original.id
    assert copy.stored == "new"
    other = ("Rada Miasta przyjęła program rewitalizacji śródmieścia na lata 2024-2030. Program "
             "obejmuje remonty kamienic, nowe mieszkania komunalne i centrum aktywności lokalnej. "
             "Mieszkańcy zgłosili ponad dwieście uwag w konsultacjach społecznych prowadzonych "
             "przez urząd i organizacje pozarządowe działające w dzielnicy.")
    unrelated = later_crawl.process_item(
        DedupePipeline(db_path).process_item(page("urzad", "346", other, title="Program")))
    assert unrelated.duplicate_of is None
    later_crawl.close_spider()
    rows = dict(sqlite3.connect(db_path).execute("select id, duplicate_of from articles").fetchall())
    assert rows == {original.id: None, same_crawl.id: original.id, copy.id: original.id, unrelated.id: None}


def test_a_stage_chain_restarted_mid_crawl_remembers_what_the_crawl_stored(tmp_path):
    """After a page too slow for the stages, a new stage process opens the chain again
    (scraper/crawl/stage_process.py): a repeat of an article this crawl stored is still a repeat,
    one stored by an earlier crawl is not."""
    db_path = str(tmp_path / "archive.db")
    store = StorePipeline(db_path)
    store.open_spider()
    earlier = page("mops", "7", NEWS.replace("seniorów", "rodziców"))
    earlier.fetched_at = "2026-11-22T02:00:00+00:00"
    for item in (earlier, page("mops", "12", NEWS)):
        store.process_item(DedupePipeline().process_item(item))
    store.close_spider()

    restarted = DedupePipeline(db_path, restarted_since="2026-11-23T00:00:00+00:00")
    restarted.open_spider()
    with pytest.raises(DropItem, match=r"duplicate \(of article mops:12, stored in this crawl\)"):
        restarted.process_item(page("mops", "12", NEWS))
    # the same text under another URL goes on: the store stage records the URL as an alias, no row
    store = StorePipeline(db_path)
    store.open_spider()
    copy = store.process_item(restarted.process_item(page("mops", "12-kopia", NEWS)))
    store.close_spider()
    assert copy.stored == "repeat of article mops:12"
    restarted.process_item(page("mops", "7", NEWS.replace("seniorów", "rodziców")))  # an earlier crawl's


def test_a_later_fetch_of_an_unchanged_article_refreshes_when_and_where_it_was_seen(tmp_path):
    db_path = str(tmp_path / "archive.db")

    def crawl(item) -> str:
        store = StorePipeline(db_path)
        store.open_spider()
        outcome = store.process_item(DedupePipeline().process_item(item)).stored
        store.close_spider()
        return outcome

    first = page("mops", "12", NEWS)
    first.updated, first.views = "2026-11-20", 10
    assert crawl(first) == "new"
    again = page("mops", "12", NEWS)
    again.fetched_at, again.views, again.url = "2026-11-24T02:00:00+00:00", 31, "http://mops.example/12?x=1"
    assert crawl(again) == "unchanged"
    row = sqlite3.connect(db_path).execute(
        "select url, views, updated, first_seen, last_seen, fetched_at, topics, body from articles").fetchone()
    assert row == ("http://mops.example/12?x=1", 31, "2026-11-20", "2026-11-23T02:00:00+00:00",
                   "2026-11-24T02:00:00+00:00", "2026-11-24T02:00:00+00:00", '["seniorzy", "pomoc społeczna"]', NEWS)


def test_a_crawl_of_20000_articles_keeps_the_dedupe_memory_near_a_megabyte():
    """The stage remembers every article of the crawl (id, URL, text) as 8-byte fingerprints: a
    repeat of the first article is still dropped, and 20,000 articles cost well under the ~8 MB
    their strings took in Python sets."""
    dedupe = DedupePipeline()
    tracemalloc.start()
    try:
        for n in range(20_000):
            dedupe.process_item(page("mops", f"aktualnosci/{n}-nabór-wniosków-dla-seniorów", f"{NEWS} Numer {n}."))
        canonicalize.cache_clear()  # a bounded cache of the URLs most recently met, not the stage's
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 1_500_000
    with pytest.raises(DropItem):
        dedupe.process_item(page("mops", "aktualnosci/0-nabór-wniosków-dla-seniorów", f"{NEWS} Numer 0."))
    same_text_elsewhere = page("mops", "drukuj/7", f"{NEWS} Numer 7.")
    assert dedupe.process_item(same_text_elsewhere) is same_text_elsewhere  # an alias: on to the store stage
    assert dedupe.process_item(page("mops", "aktualnosci/20000", f"{NEWS} Numer 20000.")) is not None
