"""The crawl's memory upkeep: fewer full garbage-collector passes, and freed heap handed back.

Garbage collector. A crawl keeps ~100,000 container objects alive (Scrapy, Twisted, the stages'
state), and by default Python scans them all whenever enough young objects have outlived two
young collections; each page in flight leaves such objects (Deferreds, tasks), so on
bench/crawl.py the crawl process ran ~200 full passes of ~80 ms each (16 s of a 140 s crawl, in
stalls that also starved the stage process). `tune_gc` freezes what exists once the crawl is set
up (modules, settings: never garbage) and collects the young generation after GC_YOUNG_THRESHOLD
allocations instead of 700, so that objects of one page die before they are ever promoted:
4 full passes, 6 s of GC in all. Cycles are still collected.

Heap. Each page is parsed by lxml and decoded into strings too large for Python's small-object
allocator; glibc keeps the freed space in its heap, where it counts as the process's memory until
something asks for it back. The crawl process held ~30 MB of such free space (RSS 177 -> 144 MB
after one malloc_trim). ARCHIWUM_MALLOC_TRIM_INTERVAL sets the seconds between trims (0: none);
without glibc there are none.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc

from scrapy import signals
from twisted.internet import task

GC_YOUNG_THRESHOLD = 20_000
GC_OLDER_THRESHOLD = 10  # young collections per middle one, and middle ones per full pass


def tune_gc() -> None:
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, GC_OLDER_THRESHOLD, GC_OLDER_THRESHOLD)


def glibc_malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


class MemoryUpkeep:
    """Extension: tunes the GC when the spider opens, trims the heap every few seconds."""

    def __init__(self, trim_interval: float):
        trim = glibc_malloc_trim()
        self.loop = task.LoopingCall(trim, 0) if trim and trim_interval > 0 else None
        self.trim_interval = trim_interval

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler.settings.getfloat("ARCHIWUM_MALLOC_TRIM_INTERVAL"))
        crawler.signals.connect(extension.start, signals.spider_opened)
        crawler.signals.connect(extension.stop, signals.spider_closed)
        return extension

    def start(self) -> None:
        tune_gc()
        if self.loop:
            self.loop.start(self.trim_interval, now=False)

    def stop(self) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
