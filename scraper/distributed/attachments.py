"""Attachments in a distributed crawl: workers fetch the documents of the articles they read, the
writer stores them.

A worker's spider uses `SharedAttachmentFetcher` (ARCHIWUM_ATTACHMENT_FETCHER, set by `archiwum
worker`): the same rules, budgets and requests as in one process (scraper/attachments/fetch.py),
but what one process keeps to itself is the crawl's, in Redis:
- NAME:attachments   the manifest lines (a file fetched, not modified, or a link skipped and why),
                     with the worker's host name: the writer stores them in `attachment_files`
                     and notes which machine holds each WARC file (`warc_files`);
- NAME:attachment_bytes  each portal's attachment bytes in this crawl, for its budget;
- NAME:known_files   the files the archive holds (URL → validators, fetched recently), which the
                     writer publishes when it opens the crawl: a file archived before is not
                     fetched again, whichever worker meets its link.
One URL is fetched once per crawl through the shared request fingerprints (the frontier's).
The writer reads the new documents' text when the crawl is over (as `archiwum crawl` does, under
ARCHIWUM_ATTACHMENT_READ_AFTER_CRAWL); a document whose WARC file lies on another machine waits
for `archiwum attachments` on a machine that has it.
"""
from __future__ import annotations

import json
import socket

import redis

from scraper.attachments.fetch import AttachmentFetcher, read_known_files
from scraper.distributed.frontier import Keys

PUBLISH_CHUNK = 10_000


class SharedAttachmentFetcher(AttachmentFetcher):
    def __init__(self, settings, stats):
        self.redis = redis.Redis.from_url(settings["REDIS_URL"])
        self.keys = Keys(settings["ARCHIWUM_CRAWL"])
        self.host = socket.gethostname()
        super().__init__(settings, stats)

    def read_known(self, settings, seen_since: str) -> dict[str, tuple[str | None, str | None, bool]]:
        return {url.decode(): tuple(json.loads(value))
                for url, value in self.redis.hscan_iter(self.keys.known_files, count=10_000)}

    def spent_by(self, source_id: str) -> int:
        return int(self.redis.hget(self.keys.attachment_bytes, source_id) or 0)

    def spend(self, source_id: str, size: int) -> None:
        self.redis.hincrby(self.keys.attachment_bytes, source_id, size)

    def write_line(self, line: dict, warc_file: str) -> None:
        line = line | {"warc_host": self.host}
        self.redis.lpush(self.keys.attachments, json.dumps(line, ensure_ascii=False))


def publish_known_files(client: redis.Redis, keys: Keys, db_path: str, seen_since: str) -> int:
    """The archive's files for the workers' fetchers (NAME:known_files)."""
    known = list(read_known_files(db_path, seen_since).items())
    for start in range(0, len(known), PUBLISH_CHUNK):
        chunk = known[start:start + PUBLISH_CHUNK]
        client.hset(keys.known_files, mapping={url: json.dumps(value) for url, value in chunk})
    return len(known)

