"""The crawl's memory upkeep: freed heap goes back to the system; garbage cycles are still collected."""
import gc
import weakref

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from tests.conftest import archiwum_settings
from scraper.crawl.memory import GC_YOUNG_THRESHOLD, MemoryUpkeep, glibc_malloc_trim, tune_gc
from spiders.portal import PortalSpider


def test_a_trim_returns_freed_heap_to_the_system():
    trim = glibc_malloc_trim()
    if trim is None:
        pytest.skip("not glibc")
    # Blocks too big for Python's small-object allocator and too small for their own mmap
    # (the size of a decoded page), half of them freed: glibc keeps the holes until asked to trim.
    blocks = [bytearray(16_000) for _ in range(8000)]
    del blocks[::2]
    before = resident_kb()
    trim(0)
    assert resident_kb() < before - 40_000  # of the 64 MB freed, at least 40 MB goes back


def test_the_interval_setting_turns_the_trims_off():
    assert MemoryUpkeep.from_crawler(get_crawler(settings_dict=archiwum_settings(ARCHIWUM_MALLOC_TRIM_INTERVAL=0))).loop is None
    assert MemoryUpkeep.from_crawler(get_crawler(settings_dict=archiwum_settings(ARCHIWUM_MALLOC_TRIM_INTERVAL=5))).loop


class Node:
    def __init__(self):
        self.me = self  # a cycle: only the garbage collector frees it


def test_after_tuning_garbage_cycles_are_still_collected_without_asking():
    defaults = gc.get_threshold()
    try:
        tune_gc()
        cycle = Node()
        gone = weakref.ref(cycle)
        del cycle
        keep = [[] for _ in range(3 * GC_YOUNG_THRESHOLD)]  # allocations that trigger collections
        assert gone() is None and keep
    finally:
        gc.unfreeze()
        gc.set_threshold(*defaults)


def resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def test_a_parsed_page_is_freed_as_soon_as_the_spider_is_done_with_it(tmp_path):
    url = "https://mops.example.pl/aktualnosci/1"
    crawler = get_crawler(PortalSpider, archiwum_settings(ARCHIWUM_DB=str(tmp_path / "archive.db")))
    crawler.spider = spider = PortalSpider.from_crawler(crawler, url="https://mops.example.pl/")
    body = '<html><body><h1>Dzień Seniora</h1><a href="/aktualnosci/2">Więcej</a></body></html>'
    page = HtmlResponse(url, body=body.encode(), encoding="utf-8",
                        request=Request(url, meta={"source": spider.sources[0].id, "depth": 1}))
    gc.disable()
    try:
        output = list(spider.parse_page(page))
        assert len(output) == 2  # the page item and the request for its link
        freed = weakref.ref(page)
        del page, output
        assert freed() is None  # by reference counting, not left for the cyclic garbage collector
    finally:
        gc.enable()
