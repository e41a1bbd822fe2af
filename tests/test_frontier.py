"""Waiting requests are kept pickled and come back as the same requests, in Scrapy's order."""
import scrapy

from scraper.crawl.frontier import CompactLifoQueue
from scraper.items import Page


class Spider(scrapy.Spider):
    name = "frontier"

    def parse_page(self, response, page=None):
        pass


def test_a_waiting_request_comes_back_whole_and_last_in_first_out():
    spider = Spider()
    queue = CompactLifoQueue(spider)
    page = Page(url="https://mops.example.pl/aktualnosci/1", source="mops", html="<p>Zażółć gęślą jaźń</p>",
                fetched_at="2026-11-23T05:00:00+00:00")
    first = scrapy.Request("https://mops.example.pl/aktualnosci?page=2", callback=spider.parse_page,
                           priority=3, meta={"source": "mops", "depth": 2}, headers={"Referer": "https://mops.example.pl/"})
    second = scrapy.Request("https://mops.example.pl/rejestr-zmian/1", callback=spider.parse_page,
                            cb_kwargs={"page": page}, dont_filter=True)
    queue.push(first)
    queue.push(second)
    assert len(queue) == 2 and all(isinstance(entry, bytes) for entry in queue.waiting)

    back = queue.pop()
    assert back.url == second.url and back.callback == spider.parse_page and back.dont_filter
    assert back.cb_kwargs["page"].html == "<p>Zażółć gęślą jaźń</p>"
    back = queue.pop()
    assert (back.url, back.priority, back.meta) == (first.url, 3, {"source": "mops", "depth": 2})
    assert back.headers["Referer"] == b"https://mops.example.pl/"
    assert queue.pop() is None and len(queue) == 0


def test_a_request_that_cannot_be_pickled_waits_as_it_is():
    queue = CompactLifoQueue(Spider())
    request = scrapy.Request("https://mops.example.pl/", callback=lambda response: None)
    queue.push(request)
    assert queue.peek() is request and queue.pop() is request
