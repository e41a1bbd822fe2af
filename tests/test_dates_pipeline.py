"""The dates stage on Page items, with real Scrapy crawler stats."""
from __future__ import annotations

from scrapy import Spider
from scrapy.utils.test import get_crawler

from tests.conftest import archiwum_settings
from scraper.crawl.stages import StageContext
from pipelines.dates import DatesPipeline
from scraper.items import Page

STARACHOWICE = """<html><body><h2>Realizowane projekty i programy</h2>
<dl class="article-info"><dd class="published">Opublikowano: wtorek, 03, marzec 2020 14:55</dd></dl>
<p>2 marca w Urzędzie Miejskim w Starachowicach odbyły się spotkania.</p></body></html>"""
GDANSK = """<html><body><h1>Integracja społeczna</h1><p>Ostatnia aktualizacja: 01 lipca 2018 r.</p></body></html>"""


def page(html, date_lines, **fields):
    return Page(url="https://example.pl/a", source="test", html=html,
                fetched_at="2025-06-10T08:00:00+00:00", date_lines=date_lines, **fields)


def test_pipeline_fills_dates_and_counts_them_in_crawler_stats():
    crawler = get_crawler(Spider, archiwum_settings())
    pipeline = DatesPipeline.from_context(StageContext(crawler.settings, crawler.stats))
    items = [
        page(STARACHOWICE, ["Opublikowano: wtorek, 03, marzec 2020 14:55"]),
        page(GDANSK, ["Ostatnia aktualizacja: 01 lipca 2018 r."]),
        page("<html><body><p>Kontakt</p></body></html>", []),
        page("<html><body><p>Nowość</p></body></html>", ["Dodano: wczoraj, 14:30"]),
    ]
    done = [pipeline.process_item(item) for item in items]

    assert done[0].published == "2020-03-03T14:55:00+01:00"
    assert (done[1].published, done[1].updated) == (None, "2018-07-01")
    assert (done[2].published, done[2].updated, done[2].created) == (None, None, None)
    assert done[3].published == "2025-06-09T14:30:00+02:00"  # counted from fetched_at
    stats = crawler.stats.get_stats()
    assert stats["dates/published"] == 2
    assert stats["dates/updated_only"] == 1
    assert stats["dates/missing"] == 1


def test_pipeline_reads_metryczka_fields_from_meta_and_works_without_a_crawler():
    item = page("<html><body><p>Ogłoszenie</p></body></html>", [],
                meta={"og:title": "Ogłoszenie", "Data wytworzenia": "2021-02-03",
                      "Data publikacji": "2021-02-04 12:00", "Miejscowość": "Kraków 2020-01-01"})
    DatesPipeline().process_item(item)
    assert (item.published, item.created, item.updated) == ("2021-02-04T12:00:00+01:00", "2021-02-03", None)


def test_the_change_register_the_spider_fetched_gives_the_update_and_is_not_carried_further():
    register = ("<html><body><table><tr><td>26 lip 2021 10:51</td><td>Utworzenie dokumentu</td></tr>"
                "<tr><td>10 wrz 2021 14:12</td><td>Aktualizacja treści</td></tr></table></body></html>")
    item = page("<html><body><p>Ogłoszenie</p></body></html>", [],
                meta={"Data publikacji": "26 lip 2021, godz. 10:51", "change_register": register})
    DatesPipeline().process_item(item)
    assert (item.published, item.updated) == ("2021-07-26T10:51:00+02:00", "2021-09-10T14:12:00+02:00")
    assert "change_register" not in item.meta
