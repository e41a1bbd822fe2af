"""The reference crawler: a plain Scrapy spider that follows every same-host link and yields url+title.

Run: scrapy runspider bench/bare_spider.py -a url=http://127.0.0.1:PORT/
"""
from __future__ import annotations

from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [url]
        self.host = urlsplit(url).netloc

    def parse(self, response):
        yield {"url": response.url, "title": response.css("title::text").get()}
        for href in response.css("a::attr(href)").getall():
            url = urlsplit(response.urljoin(href))
            if url.scheme in ("http", "https") and url.netloc == self.host:
                yield scrapy.Request(url.geturl())
