"""Links a crawler does not follow (scraper/traps.py), and the spider asking before it spends its budget.

The crawls that meet the traps for real (an endless calendar, a path that branches for ever) are in
tests/test_faults.py."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from scraper.traps import MAX_GENERATIONS, RULES, generations, trap
from spiders.portal import PortalSpider
from tests.conftest import archiwum_settings

YEAR = 2026
FOLLOWED = [
    "https://mops.example.pl/aktualnosci/2016/04/rewitalizacja.html",
    "https://mops.example.pl/wydarzenia/2012/05/22/festyn.html",  # news filed under events
    "https://mops.example.pl/kalendarz/2025/01/",
    "https://bip.example.pl/index.php?dok_id=20281",  # digits, not a year
    "https://www.example.pl/aktualnosci/2028-nabor-do-rady-seniorow.html",  # an id in a slug
    "https://www.example.pl/strategia/Strategia-rozwoju-2021-2030,a,2011",  # a programme's years
    "https://www.example.pl/aktualnosci?strona=3&kategoria=seniorzy",  # pagination and a filter
    "https://www.example.pl/rejestracja-uczestnikow-warsztatow.html",  # an article about sign-ups
    "https://www.example.pl/blog/login-do-epuap-krok-po-kroku",  # an article about logging in
    "https://www.example.pl/uchwaly/porzadek-obrad.html",  # "order" inside a word
    "https://www.example.pl/a/b/c/d/e/f/g/h/i/j/k",  # deep, not repeating
]
BROKEN = [
    ("https://mops.example.pl/galeria/zdjecie.JPG", "file"),
    ("https://mops.example.pl/aktualnosci/1-a?tmpl=component&print=1", "print_view"),
    ("https://mops.example.pl/print/aktualnosci/1-a", "print_view"),
    ("https://mops.example.pl/wp-login.php?redirect_to=%2Faktualnosci%2F1-a", "account"),
    ("https://mops.example.pl/user/login", "account"),
    ("https://mops.example.pl/logowanie.html", "account"),
    ("https://mops.example.pl/index.php?option=com_users&view=login", "account"),
    ("https://mops.example.pl/konto?ReturnUrl=%2Fuchwaly", "account"),
    ("https://mops.example.pl/aktualnosci?sort=title&kierunek=desc", "sort_order"),
    ("https://bip.example.pl/rejestr?strona=2&orderby=data", "sort_order"),
    ("https://mops.example.pl/szukaj?q=" + "senior+" * 60, "long_url"),
    ("https://mops.example.pl/?" + "&".join(f"p{i}=1" for i in range(9)), "many_parameters"),
    ("https://mops.example.pl/a/b/a/b/a/b", "repeated_segment"),
    ("https://mops.example.pl/kalendarz/?miesiac=2028-01", "future_date"),
    ("https://mops.example.pl/aktualnosci/2031/05/", "future_date"),
    ("https://mops.example.pl/kalendarz/2024/12/", "calendar"),
    ("https://mops.example.pl/terminarz?rok=2019", "calendar"),
    ("https://mops.example.pl/kalendarz%2F2019%2F03", "calendar"),  # escaped slashes
]


@pytest.mark.parametrize("url", FOLLOWED)
def test_ordinary_pages_are_followed(url):
    assert trap(url, this_year=YEAR) is None


@pytest.mark.parametrize("url, rule", BROKEN)
def test_each_kind_of_trap_is_named_by_its_rule(url, rule):
    assert trap(url, this_year=YEAR) == rule


def test_every_rule_of_the_table_is_exercised():
    assert {rule.name for rule in RULES} == {name for _, name in BROKEN} | {"branching"}


def test_a_chain_of_ever_longer_paths_is_cut_after_its_bound():
    assert generations("https://x.pl/a/x", "https://x.pl/a", 3) == 4  # a child path
    assert generations("https://x.pl/ax", "https://x.pl/a", 3) == 4  # a longer sibling
    assert generations("https://x.pl/b", "https://x.pl/a/x", 3) == 0  # back up the tree: a new chain
    assert trap("https://x.pl/a", YEAR, chain=MAX_GENERATIONS) is None
    assert trap("https://x.pl/a", YEAR, chain=MAX_GENERATIONS + 1) == "branching"


def page_links(spider, url: str, hrefs: list[str], meta: dict | None = None):
    body = "".join(f'<a href="{href}">link</a>' for href in hrefs)
    response = HtmlResponse(url, body=f"<html><body><h1>Strona</h1>{body}</body></html>".encode(),
                            encoding="utf-8",
                            request=Request(url, meta={"source": spider.sources[0].id, "depth": 1, **(meta or {})}))
    return [r for r in spider.parse_page(response) if isinstance(r, Request)]


@pytest.fixture
def spider(tmp_path):
    settings = archiwum_settings(ARCHIWUM_DB=str(tmp_path / "archive.db"), ARCHIWUM_ATTACHMENTS=False)
    crawler = get_crawler(PortalSpider, settings)
    crawler.spider = spider = PortalSpider.from_crawler(crawler, url="https://mops.example.pl/")
    crawler.stats.open_spider()
    spider.sources[0].max_pages = 3
    return spider


def test_the_spider_drops_traps_before_they_spend_the_page_budget(spider):
    traps = [url for url, _ in BROKEN if "mops.example.pl" in url]
    pages = ["/aktualnosci/1", "/aktualnosci/2", "/kontakt"]
    requests = page_links(spider, "https://mops.example.pl/aktualnosci/", traps + pages)
    assert [r.url.removeprefix("https://mops.example.pl") for r in requests] == pages
    stats = spider.crawler.stats.get_stats()
    assert stats["politeness/trap/future_date"] == 2 and stats["politeness/trap/account"] == 5


def test_the_spider_cuts_a_branching_path_where_its_chain_is_too_long(spider):
    deep = {"path_generations": MAX_GENERATIONS}
    requests = page_links(spider, "https://mops.example.pl/a", ["/ax", "/a/x", "/b"], deep)
    assert [r.url for r in requests] == ["https://mops.example.pl/b"]
    assert requests[0].meta["path_generations"] == 0
    assert spider.crawler.stats.get_value("politeness/trap/branching") == 2


def test_the_spider_follows_the_feeds_a_page_names_on_its_portal(spider):
    url = "https://mops.example.pl/aktualnosci/"
    head = ('<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            '<link rel="alternate" type="application/atom+xml" href="https://inny.example.pl/atom.xml">'
            '<link rel="alternate" hreflang="en" href="/en/"><link rel="stylesheet" type="text/css" href="/rss.css">')
    body = f'<html><head>{head}</head><body><p><link rel="alternate" type="application/atom+xml" href="/atom.xml"></body></html>'
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8",
                            request=Request(url, meta={"source": spider.sources[0].id, "depth": 1}))
    feeds = [r.url for r in spider.parse_page(response) if isinstance(r, Request) and r.callback == spider.parse_feed]
    assert feeds == ["https://mops.example.pl/rss.xml", "https://mops.example.pl/atom.xml"]


def test_links_elsewhere_are_dropped_and_the_portal_is_known_in_any_spelling(spider):
    spider.sources[0].max_pages = 100
    hrefs = ["https://bip.example.pl/dokument/1", "https://mops.example.pl.example.com/a", "mailto:mops@example.pl",
             "HTTPS://MOPS.Example.PL:443/aktualnosci/3", "//mops.example.pl/aktualnosci/4", "/aktualnosci/5",
             "https://gosc@mops.example.pl/aktualnosci/6"]
    requests = page_links(spider, "https://mops.example.pl/aktualnosci/", hrefs)
    assert [r.url.removeprefix("https://mops.example.pl") for r in requests] == [
        "/aktualnosci/3", "/aktualnosci/4", "/aktualnosci/5", "/aktualnosci/6"]


def test_a_malformed_link_is_skipped_and_counted_and_the_page_keeps_its_other_links(spider):
    """A port of letters or over 65535, or a broken IPv6 literal, raises in any URL parser: it
    once ended the page's callback, and the links after it were lost."""
    spider.sources[0].max_pages = 100
    broken = ["http://mops.example.pl:99999/x", "http://mops.example.pl:abc/", "http://[zz/"]
    hrefs = ["/aktualnosci/1", *broken, "/aktualnosci/2"]
    body = "".join(f'<a href="{href}">link</a>' for href in hrefs) + '<link rel="alternate" type="application/rss+xml" href="http://[zz/rss">'
    url = "https://mops.example.pl/aktualnosci/"
    response = HtmlResponse(url, body=f"<html><body><h1>Strona</h1>{body}</body></html>".encode(), encoding="utf-8",
                            request=Request(url, meta={"source": spider.sources[0].id, "depth": 1}))
    outputs = list(spider.parse_page(response))
    requests = [r.url.removeprefix("https://mops.example.pl") for r in outputs if isinstance(r, Request)]
    assert requests[0] == "/aktualnosci/1" and "/aktualnosci/2" in requests
    assert spider.crawler.stats.get_value("links/malformed") == 4  # three links and the feed
    assert not isinstance(outputs[0], Request)  # the page itself
