"""The clean stage on replica portals served over HTTP, with templates kept in a real archive.db."""
from __future__ import annotations

import urllib.request

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from bench.extraction import decode
from tests.conftest import archiwum_settings
from scraper.crawl.stages import StageContext
from pipelines.clean import CleanPipeline
from scraper.archive.db import connect
from scraper.demo.gold import gold_articles, non_articles
from scraper.items import Page
from scraper.extract.template import SiteTemplate

SITES = ("nowysacz-wirp", "gdansk")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return decode(response.read(), response.headers.get("Content-Type", ""))


def crawl_order(replicas, site: str) -> list[tuple[str, dict | None]]:
    """(url, gold or None) as the spider yields them: home and listings first, then articles."""
    bases = replicas.site_urls(site)
    first_host = next(iter(bases))
    pages = [(bases[first_host] + path.lstrip("/"), None) for path in non_articles(site)]
    return pages + [(bases[g["host"]] + g["path"].lstrip("/"), g) for g in gold_articles(site)]


def run(pipeline: CleanPipeline, site: str, pages) -> tuple[list[Page], list[str]]:
    kept, dropped = [], []
    for url, _ in pages:
        item = Page(url=url, source=site, html=fetch(url), fetched_at="2024-01-01T00:00:00+00:00")
        try:
            kept.append(pipeline.process_item(item))
        except DropItem:
            dropped.append(url)
    return kept, dropped


@pytest.fixture(scope="module")
def first_crawl(replicas, tmp_path_factory):
    db = tmp_path_factory.mktemp("clean") / "archive.db"
    crawler = get_crawler(Spider, archiwum_settings(ARCHIWUM_DB=str(db)))
    pipeline = CleanPipeline.from_context(StageContext(crawler.settings, crawler.stats))
    pipeline.open_spider()
    results = {site: (crawl_order(replicas, site), *run(pipeline, site, crawl_order(replicas, site))) for site in SITES}
    pipeline.close_spider()
    return db, crawler.stats, results


@pytest.mark.parametrize("site", SITES)
def test_articles_come_out_clean_and_everything_else_is_dropped(first_crawl, site):
    _, _, results = first_crawl
    pages, kept, dropped = results[site]
    golds = {url: gold for url, gold in pages if gold}
    assert sorted(item.url for item in kept) == sorted(golds)
    assert sorted(dropped) == sorted(url for url, gold in pages if not gold)
    for item in kept:
        gold = golds[item.url]
        assert item.title == gold["title"]
        assert item.body == "\n\n".join(gold["body"])
        assert item.author == gold["author"]
        if gold["published_text"]:
            assert any(gold["published_text"] in line for line in item.date_lines)


def test_drops_and_articles_are_counted_in_stats(first_crawl):
    _, stats, results = first_crawl
    assert stats.get_value("clean/not_article") == sum(len(r[2]) for r in results.values())
    assert stats.get_value("clean/article") == sum(len(r[1]) for r in results.values())


def test_templates_persist_and_a_later_crawl_starts_with_them(first_crawl, replicas):
    db_path, _, _ = first_crawl
    rows = {row["source"]: row for row in connect(db_path)["site_templates"].rows}
    assert set(rows) == set(SITES) and all(row["updated_at"] for row in rows.values())
    later = CleanPipeline(str(db_path))
    later.open_spider()
    assert later.templates["gdansk"].ready
    url, gold = next((u, g) for u, g in crawl_order(replicas, "gdansk") if g)
    kept, _ = run(later, "gdansk", [(url, gold)])
    assert kept[0].body == "\n\n".join(gold["body"])


def test_canonical_url_is_taken_only_from_the_same_host(tmp_path):
    pipeline = CleanPipeline(str(tmp_path / "archive.db"))
    pipeline.open_spider()
    html = ("<html><head><link rel='canonical' href='{}'></head><body><article><h1>Nowy klub seniora</h1>"
            "<p>12.05.2021</p><p>Przy ulicy Lipowej otwarto nowy klub seniora z salą komputerową i kawiarenką.</p>"
            "</article></body></html>")
    same = pipeline.process_item(Page("https://mops.example.pl/a?czcionka=duza", "mops",
                                      html.format("/a"), "2024-01-01T00:00:00+00:00"))
    other = pipeline.process_item(Page("https://mops.example.pl/b", "mops", html.format("https://agregator.example/x"),
                                       "2024-01-01T00:00:00+00:00", canonical_url="https://mops.example.pl/b"))
    assert same.canonical_url == "https://mops.example.pl/a"
    assert other.canonical_url == "https://mops.example.pl/b"


def test_templates_are_saved_during_a_crawl_not_only_at_its_end(tmp_path, replicas):
    db_path = tmp_path / "archive.db"
    pipeline = CleanPipeline(str(db_path))
    pipeline.save_every = 3
    pipeline.open_spider()
    run(pipeline, "gdansk", crawl_order(replicas, "gdansk")[:4])  # killed before close_spider
    row = next(connect(db_path)["site_templates"].rows_where("source = ?", ["gdansk"]))
    assert SiteTemplate.from_json(row["data"]).pages_seen == 3


ARTICLE_LIKE = ("<html><head><title>Nabór do Rady Seniorów</title></head><body><h1>Nabór do Rady "
                "Seniorów</h1><p>" + "Prezydent ogłasza nabór kandydatów do Rady Seniorów. " * 12
                + "</p></body></html>")


def page(link_rule: str | None) -> Page:
    return Page(url="http://127.0.0.1:1/art/1", source="s", html=ARTICLE_LIKE,
                fetched_at="2026-01-01T00:00:00+00:00", link_rule=link_rule)


def test_the_registrys_link_rules_outrank_the_page_shape():
    pipeline = CleanPipeline()
    assert pipeline.process_item(page(None)).title == "Nabór do Rady Seniorów"
    assert pipeline.process_item(page("article")).title == "Nabór do Rady Seniorów"
    with pytest.raises(DropItem):
        pipeline.process_item(page("not_article"))
