"""Extension: hand the memory the crawl process has freed back to the system, every few seconds.

Each page is parsed by lxml and decoded into strings too large for Python's small-object
allocator; glibc keeps the freed space in its heap, where it counts as the process's memory
until something asks for it back. On bench/crawl.py the crawl process held ~30 MB of such free
space (RSS 177 -> 144 MB after one malloc_trim). ARCHIWUM_MALLOC_TRIM_INTERVAL sets the seconds
between trims (0 turns them off); without glibc the extension does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def glibc_malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


class MallocTrim:
    def __init__(self, interval: float, trim):
        self.loop = task.LoopingCall(trim, 0)
        self.interval = interval

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("ARCHIWUM_MALLOC_TRIM_INTERVAL")
        trim = glibc_malloc_trim()
        if interval <= 0 or trim is None:
            raise NotConfigured
        extension = cls(interval, trim)
        crawler.signals.connect(extension.start, signals.spider_opened)
        crawler.signals.connect(extension.stop, signals.spider_closed)
        return extension

    def start(self) -> None:
        self.loop.start(self.interval, now=False)

    def stop(self) -> None:
        if self.loop.running:
            self.loop.stop()
