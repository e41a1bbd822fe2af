"""The crawl frontier kept compact: waiting requests are held pickled, not as Request objects.

Breadth-first crawling (DEPTH_PRIORITY) discovers a portal's articles long before it fetches them:
on bench/crawl.py's portal ~20,000 requests wait at once. A live scrapy.Request with its Referer
Headers, meta, cached URL parse and fingerprint costs ~3 KB; its pickled `to_dict()` ~0.4 KB.
Set as SCHEDULER_MEMORY_QUEUE: the same last-in-first-out order as Scrapy's LifoMemoryQueue within a
priority, and a request that cannot be pickled (a callback that is not a spider method) waits as is.
"""
from __future__ import annotations

import pickle

from scrapy.utils.request import request_from_dict


class CompactLifoQueue:
    def __init__(self, spider):
        self.spider = spider
        self.waiting: list = []

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        return cls(crawler.spider)

    def push(self, request) -> None:
        try:
            self.waiting.append(pickle.dumps(request.to_dict(spider=self.spider), protocol=pickle.HIGHEST_PROTOCOL))
        except (ValueError, TypeError, AttributeError, pickle.PicklingError):
            self.waiting.append(request)

    def pop(self):
        return self.revive(self.waiting.pop()) if self.waiting else None

    def peek(self):
        return self.revive(self.waiting[-1]) if self.waiting else None

    def revive(self, entry):
        return request_from_dict(pickle.loads(entry), spider=self.spider) if isinstance(entry, bytes) else entry

    def close(self) -> None:
        self.waiting.clear()

    def __len__(self) -> int:
        return len(self.waiting)
