"""The dates stage on Page items, with real Scrapy crawler stats: the clean stage gathers each page's
date evidence, the dates stage reads it."""
from __future__ import annotations

from scrapy import Spider
from scrapy.utils.test import get_crawler

from pipelines.clean import CleanPipeline
from pipelines.dates import DatesPipeline
from scraper.crawl.stages import StageContext
from scraper.items import DateEvidence, Page
from tests.conftest import archiwum_settings

STARACHOWICE = """<html><body><h2>Realizowane projekty i programy</h2>
<dl class="article-info"><dd class="published">Opublikowano: wtorek, 03, marzec 2020 14:55</dd></dl>
<p>2 marca w Urzędzie Miejskim w Starachowicach odbyły się spotkania.</p></body></html>"""
GDANSK = """<html><body><h1>Integracja społeczna</h1><p>Ostatnia aktualizacja: 01 lipca 2018 r.</p></body></html>"""


def page(html, date_lines, **fields):
    return Page(url="https://example.pl/a", source="test", html=html,
                fetched_at="2025-06-10T08:00:00+00:00", date_evidence=DateEvidence(lines=date_lines), **fields)


def cleaned(html, **fields):
    """The page as the clean stage hands it on (no archive: no template kept)."""
    item = Page(url="https://example.pl/aktualnosci/1", source="test", html=html,
                fetched_at="2025-06-10T08:00:00+00:00", **fields)
    return CleanPipeline().process_item(item)


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


METRYCZKA = """<html><body><h1>Ogłoszenie o konsultacjach</h1>
<p>Burmistrz ogłasza konsultacje społeczne projektu programu współpracy z organizacjami pozarządowymi.</p>
<table class="metryczka"><tr><td>Data wytworzenia:</td><td>2021-02-03</td></tr>
<tr><td>Data publikacji:</td><td>2021-02-04 12:00</td></tr><tr><td>Miejscowość:</td><td>Kraków 2020-01-01</td></tr>
</table></body></html>"""


def test_pipeline_reads_metryczka_fields_and_works_without_a_crawler():
    item = DatesPipeline().process_item(cleaned(METRYCZKA))
    assert (item.published, item.created, item.updated) == ("2021-02-04T12:00:00+01:00", "2021-02-03", None)
    assert item.metadata["Miejscowość"] == "Kraków 2020-01-01"


def test_the_change_register_the_spider_fetched_gives_the_update_and_is_not_carried_further():
    register = ("<html><body><table><tr><td>26 lip 2021 10:51</td><td>Utworzenie dokumentu</td></tr>"
                "<tr><td>10 wrz 2021 14:12</td><td>Aktualizacja treści</td></tr></table></body></html>")
    item = cleaned(METRYCZKA.replace("2021-02-04 12:00", "26 lip 2021, godz. 10:51"), change_register=register)
    DatesPipeline().process_item(item)
    assert (item.published, item.updated) == ("2021-07-26T10:51:00+02:00", "2021-09-10T14:12:00+02:00")
    assert item.change_register is None
