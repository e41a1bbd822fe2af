"""The crawl process hands freed heap back to the system while it crawls."""
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
import pytest

from scraper.memory import MallocTrim, glibc_malloc_trim


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
    with pytest.raises(NotConfigured):
        MallocTrim.from_crawler(get_crawler(settings_dict={"ARCHIWUM_MALLOC_TRIM_INTERVAL": 0}))


def resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
