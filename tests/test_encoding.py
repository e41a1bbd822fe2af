"""The encoding middleware: every Polish page reads right, whatever its declaration says."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

import plaincrawl
from faultserver import CHARSET_CASES, PANGRAM, charset_body, fault_server  # noqa: F401
from tests.conftest import archiwum_settings
from scraper.crawl.encoding import EncodingMiddleware, best_encoding


def fetched(case: str) -> HtmlResponse:
    body, content_type = charset_body(case)
    return HtmlResponse(f"http://127.0.0.1/charset/{case}", body=body,
                        headers={"Content-Type": content_type})


def middleware() -> EncodingMiddleware:
    crawler = get_crawler(settings_dict=archiwum_settings())
    crawler.stats.open_spider()
    return EncodingMiddleware.from_crawler(crawler)


def test_scrapy_alone_garbles_some_cases():
    """The cases are hard: without the middleware Scrapy misreads several of them."""
    garbled = [case for case in CHARSET_CASES if PANGRAM not in fetched(case).text]
    assert {"missing-iso", "wrong-header-cp1250-as-iso", "wrong-meta-utf8-as-gbk"} <= set(garbled)


@pytest.mark.parametrize("case", CHARSET_CASES)
def test_every_case_reads_as_polish(case):
    response = fetched(case)
    fixed = middleware().process_response(response.request, response)
    assert PANGRAM in fixed.text
    assert "\ufffd" not in fixed.text


@pytest.mark.parametrize("letter", "ąśźĄŚŹ")
def test_letters_that_differ_between_the_legacy_charsets_decide(letter):
    """One of the six letters is enough to tell windows-1250 from iso-8859-2."""
    text = f"<p>Urząd Miasta, {letter}</p>"
    assert best_encoding(text.encode("cp1250"), None) == "cp1250"
    assert best_encoding(text.encode("iso-8859-2"), None) == "iso8859-2"


def test_a_correct_declaration_is_kept():
    response = fetched("iso-header")
    assert middleware().process_response(response.request, response) is response


def test_plain_ascii_is_left_to_scrapy():
    assert best_encoding(b"<p>Urzad Miasta</p>", "cp1250") is None


def test_a_real_crawl_stores_no_mojibake(fault_server, tmp_path):  # noqa: F811
    pages, stats = plaincrawl.run(
        tmp_path, [fault_server.url("/charset/")],
        DOWNLOADER_MIDDLEWARES={"scraper.crawl.encoding.EncodingMiddleware": 585}, EXTENSIONS={},
    )
    cases = {page["url"].rsplit("/", 1)[1]: page["text"] for page in pages}
    assert set(CHARSET_CASES) <= set(cases)
    assert [case for case in CHARSET_CASES if PANGRAM not in cases[case]] == []
    assert stats["encoding/detected"] >= 2 and stats["encoding/overridden"] >= 3


def test_a_utf8_page_with_one_broken_byte_stays_utf8():
    """Seen on a real Polish page: declared UTF-8, one invalid byte deep inside."""
    from scraper.crawl.encoding import best_encoding

    text = "Miejski Ośrodek Pomocy Społecznej w Łodzi zaprasza seniorów. " * 30
    body = text.encode("utf-8")
    body = body[:500] + b"\xb3" + body[500:]
    assert best_encoding(body, "utf-8") == "utf-8"
    assert best_encoding(text.encode("cp1250"), "utf-8") == "cp1250"


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1250", b""),
                                              ("utf-16", b"")])
def test_the_spider_reads_the_links_and_register_of_a_page_in_any_encoding(tmp_path, encoding, prefix):
    from scrapy.http import Request
    from spiders.portal import PortalSpider

    crawler = get_crawler(PortalSpider, archiwum_settings(ARCHIWUM_DB=str(tmp_path / "archive.db")))
    crawler.spider = spider = PortalSpider.from_crawler(crawler, url="https://mops.example.pl/")
    crawler.stats.open_spider()
    html = ('<html><head><title>Żłobek</title></head><body><p>Zażółć gęślą jaźń\x00</p>'
            '<a href="/aktualności/żłobek">Więcej</a> <a href="/rejestr/1">Rejestr zmian</a></body></html>')
    url = "https://mops.example.pl/aktualnosci/1"
    page = HtmlResponse(url, body=prefix + html.encode(encoding), encoding=encoding,
                        request=Request(url, meta={"source": spider.sources[0].id, "depth": 1}))
    out = list(spider.parse_page(page))
    assert out[0].url == "https://mops.example.pl/rejestr/1"  # the page waits for its change register
    assert "https://mops.example.pl/aktualno%C5%9Bci/%C5%BC%C5%82obek" in [r.url for r in out[1:]]
