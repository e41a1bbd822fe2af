"""`archiwum crawl --url` on portals the code has never seen: other CMSs, other templates."""
import json

import pytest

from scraper.demo.gold import gold_articles, non_articles
from scraper.demo.sites import HELD_OUT_SITES, REPLICAS
from scraper.cli.demo import LOCAL_CRAWL_SETTINGS
from tests.conftest import archiwum
from tests.gold_helpers import assert_archived_like_gold, local_path, stored_articles

# The demo's settings for a local server: no politeness delay.
LOCAL = [arg for name, value in LOCAL_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]


@pytest.fixture(scope="module")
def crawled(replicas, tmp_path_factory):
    """Each held-out portal crawled from its home page alone, into its own archive."""
    results = {}
    for site in HELD_OUT_SITES:
        db = tmp_path_factory.mktemp(site) / "archive.db"
        home = replicas.site_urls(site)[REPLICAS[site].hosts[0]]
        result = archiwum("crawl", "--url", home, "--db", str(db), *LOCAL, check=True)
        results[site] = (result, stored_articles(db))
    return results


@pytest.mark.parametrize("site", HELD_OUT_SITES)
def test_news_articles_are_stored_with_title_date_and_body(crawled, site):
    _result, rows = crawled[site]
    # `updated` too: the BIP replica shows it only on the change register ("Rejestr zmian").
    assert_archived_like_gold(rows, site, gold_articles(site))


def test_bip_metryczka_fields_are_kept_with_the_document(crawled):
    _result, rows = crawled["bip"]
    stored = {local_path(r["url"]): json.loads(r["metadata"]) for r in rows}
    for gold in gold_articles("bip"):
        metryczka = stored[gold["path"]]
        assert (metryczka["Wytworzył"], metryczka["Data publikacji"]) == (gold["author"], gold["published_text"])
        assert metryczka["Opublikował"]


@pytest.mark.parametrize("site", HELD_OUT_SITES)
def test_contact_listing_and_calendar_pages_are_not_stored(crawled, site):
    _result, rows = crawled[site]
    assert not {local_path(r["url"]) for r in rows} & set(non_articles(site))
    assert len(rows) == len(gold_articles(site))


@pytest.mark.parametrize("site", HELD_OUT_SITES)
def test_the_crawl_reports_what_it_did(crawled, site):
    result, rows = crawled[site]
    assert f"{len(rows)} new" in result.stdout


def test_the_page_budget_bounds_a_crawl(replicas, tmp_path):
    db = tmp_path / "archive.db"
    home = replicas.site_urls("mops_wp")[REPLICAS["mops_wp"].hosts[0]]
    result = archiwum("crawl", "--url", home, "--db", str(db), "--max-pages", "3", *LOCAL, check=True)
    fetched = int(result.stdout.split(" pages fetched")[0].split()[-1])
    # The budget counts followed links; start page, robots.txt, sitemap, feed and redirects come on top.
    assert fetched < 10
    assert len(stored_articles(db)) <= 3
