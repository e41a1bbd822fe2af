"""Page budgets for the whole distributed crawl, not per worker (ARCHIWUM_PAGE_BUDGET in workers).

Each worker's spider asks before it follows links new to it (scraper/crawl/budget.py); here the
answer comes from Redis, in one Lua script per page's links, so that two workers asking at the
same moment cannot both take the last page of a budget. A URL is charged once per crawl whichever
worker finds it first (NAME:budget:SOURCE holds an 8-byte digest of each charged URL, ~60 B in
Redis); a URL another worker was charged for is let through free, and the shared fingerprints
then drop it, or queue it if that worker died before it could. NAME:budget holds the pages
charged per source, for `archiwum status --redis`.
"""
from __future__ import annotations

import hashlib

import redis

from scraper.crawl.budget import PageBudget
from scraper.distributed.frontier import Keys
from scraper.registry.sources import Source

TAKE_PAGES = """
local taken = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local limit = tonumber(ARGV[2])
local answer = {}
for i = 3, #ARGV do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 1 then
    answer[#answer + 1] = 1
  elseif taken < limit then
    redis.call('SADD', KEYS[2], ARGV[i])
    taken = taken + 1
    answer[#answer + 1] = 1
  else
    answer[#answer + 1] = 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], taken)
return answer
"""


CHUNK = 1000  # URLs per script: a 50,000-URL sitemap does not hold Redis for long at once


def url_digest(url: str) -> bytes:
    return hashlib.blake2b(url.encode(), digest_size=8).digest()


class SharedPageBudget(PageBudget):
    def __init__(self, client: redis.Redis, keys: Keys, stats=None):
        super().__init__(stats)
        self.keys = keys
        self.take_pages = client.register_script(TAKE_PAGES)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(redis.Redis.from_url(settings["REDIS_URL"]), Keys(settings["ARCHIWUM_CRAWL"]), crawler.stats)

    def take(self, source: Source, urls: list[str]) -> list[str]:
        keys = [self.keys.budget, self.keys.budget_urls(source.id)]
        answers = [answer for start in range(0, len(urls), CHUNK)
                   for answer in self.take_pages(keys=keys, args=[source.id, source.max_pages,
                                                                  *map(url_digest, urls[start:start + CHUNK])])]
        admitted = [url for url, yes in zip(urls, answers) if yes]
        self.turned_away(source, len(urls) - len(admitted))
        return admitted
