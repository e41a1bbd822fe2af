"""What the crawl fetches of attachments, and what it notes of each file it fetched.

The spider asks `AttachmentFetcher.request()` about every link it does not follow as a page: a
link to a document (`ARCHIWUM_ATTACHMENT_TYPES`, by the path's extension), http or https, becomes
a request like any page's (robots.txt, delays, retries) when `where()` lets it come from its host:
- the portal's own hosts (`allowed_hosts`) and the hosts its registry entry lists in
  `attachment_hosts` (the BIP, a files host of the same office): wherever the portal links it;
- any other host: only when the text of an article links it (the clean stage's `attachments`,
  found after the chrome is set aside), so a menu or footer never sends the crawl elsewhere;
  not to a private network address unless the portal is on one, and not at all with
  `ARCHIWUM_ATTACHMENT_OTHER_HOSTS` off. Nothing on such a host is crawled: the file is fetched,
  never parsed for links, under that host's robots.txt and its own delays.
A document link on another host that is not fetched is noted with the reason (`skip()`: a
manifest line, `attachment_files.skipped`). Every request is at most
`ARCHIWUM_ATTACHMENT_MAX_BYTES` for the file and `ARCHIWUM_ATTACHMENT_PORTAL_BYTES` for all of a
portal's attachments in one crawl. A file already archived is not fetched again within
`ARCHIWUM_RECHECK_DAYS`; after that it is asked for with its validators (If-None-Match,
If-Modified-Since), and a 304 leaves it as it is. One URL is fetched once per crawl.

The response goes to the crawl's WARC file like every other (scraper/crawl/warc.py), and a line
for it (URL, SHA-256, media type as received, validators, WARC pointer) to a manifest beside the
WARC file, `<warc>.attachments.jsonl`: the crawl process writes no archive table, so the store
of these lines into `attachment_files` happens after the crawl (scraper/attachments/backlog.py),
and reading the documents' text after that, in worker processes, off the crawl's hot path.
Stats: `attachments/fetched`, `attachments/bytes`, `attachments/not_modified`,
`attachments/known`, `attachments/over_budget`, `attachments/other_hosts` (requested on another
host by the article-text rule), `attachments/skipped`.
"""
from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import socket
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.utils.python import global_object_name

from scraper.crawl.warc import warc_dir
from scraper.registry.sources import Source
from scraper.urls import is_web_url, site

MANIFEST_SUFFIX = ".attachments.jsonl"
ATTACHMENT_PRIORITY = -5  # after the pages: articles first, their documents when there is time
# A cancelled over-budget download is a decision, not an error: scraper/crawl/stats.py subtracts
# these counts from the downloader's exception counts, key by key.
OVER_BUDGET_PREFIX = "attachments/over_budget_count/"


def read_known_files(db_path: str, seen_since: str) -> dict[str, tuple[str | None, str | None, bool]]:
    """URL → (ETag, Last-Modified, fetched since `seen_since`) of the files already archived."""
    if not Path(db_path).is_file():
        return {}
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute("select url, etag, last_modified, fetched_at >= ? from attachment_files "
                            "where sha256 is not null",  # not the links skipped
                            [seen_since]).fetchall()
    except sqlite3.OperationalError:  # an archive from before attachments were fetched
        return {}
    finally:
        conn.close()
    return {url: (etag, modified, bool(fresh)) for url, etag, modified, fresh in rows}


def listed(url_site: str, hosts: list[str]) -> bool:
    """Is host[:port] among `hosts` (registry `attachment_hosts`: exact, or `*.domain`)?"""
    host = url_site.split(":")[0]
    return any(url_site == entry or entry.startswith("*.") and host.endswith(entry[1:])
               for entry in hosts)


def private_host(netloc: str) -> bool:
    """localhost or an address no public server has (loopback, private, link-local, reserved);
    `netloc` as in a URL: host, host:port, [IPv6]:port."""
    host = (urlsplit(f"//{netloc}").hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    try:  # the shorthands the resolver also takes: 127.1, 2130706433, 0x7f000001
        return not ipaddress.ip_address(socket.inet_aton(host)).is_global
    except OSError:
        return False


class AttachmentFetcher:
    def __init__(self, settings, stats):
        self.enabled = settings.getbool("ARCHIWUM_ATTACHMENTS")
        types = "|".join(re.escape(t.strip().lower()) for t in settings.getlist("ARCHIWUM_ATTACHMENT_TYPES"))
        self.extension = re.compile(rf"\.({types})$", re.IGNORECASE)
        # the first, cheap test of every link the spider sees: a document's extension anywhere
        self.link_pattern = re.compile(rf"\.({types})(?:[?#]|$)", re.IGNORECASE)
        self.max_bytes = settings.getint("ARCHIWUM_ATTACHMENT_MAX_BYTES")
        self.portal_bytes = settings.getint("ARCHIWUM_ATTACHMENT_PORTAL_BYTES")
        self.full = settings.getbool("ARCHIWUM_FULL")
        self.stats = stats
        self.directory = warc_dir(settings)
        self.other_hosts = settings.getbool("ARCHIWUM_ATTACHMENT_OTHER_HOSTS")
        self.spent: dict[str, int] = {}
        self.requested: set[str] = set()  # and skipped: one decision per URL per crawl
        self.manifests: dict[str, object] = {}
        since = datetime.now(timezone.utc) - timedelta(days=settings.getfloat("ARCHIWUM_RECHECK_DAYS"))
        self.known = {} if self.full or not self.enabled else self.read_known(
            settings, since.isoformat(timespec="seconds"))

    def read_known(self, settings, seen_since: str) -> dict[str, tuple[str | None, str | None, bool]]:
        return read_known_files(settings.get("ARCHIWUM_DB"), seen_since)

    @classmethod
    def from_crawler(cls, crawler) -> "AttachmentFetcher":
        fetcher = cls(crawler.settings, crawler.stats)
        crawler.signals.connect(fetcher.close, signal=scrapy.signals.spider_closed)
        return fetcher

    def may_be_document(self, url: str) -> bool:
        return self.enabled and bool(self.link_pattern.search(url))

    def is_attachment(self, url: str) -> bool:
        return is_web_url(url) and bool(self.extension.search(urlsplit(url).path))

    def where(self, url: str, source: Source, in_article: bool) -> str | None:
        """Why a document link may not be fetched from its host (None: it may). `in_article`: the
        text of an article links it (not only the page's menus, footer or a listing)."""
        url_site = site(url) or ""
        if url_site in source.allowed_hosts or listed(url_site, source.attachment_hosts):
            return None
        if not in_article:
            return f"on another host ({url_site}), linked outside an article's text"
        if not self.other_hosts:
            return f"on another host ({url_site}), not in the source's attachment_hosts"
        if private_host(urlsplit(url).netloc) and not any(map(private_host, source.allowed_hosts)):
            return f"a private network address ({url_site}), and the portal is not on one"
        return None

    def request(self, url: str, source_id: str, callback, errback) -> scrapy.Request | None:
        """A request for a linked document, or None (not a document, fetched, known, no budget)."""
        url = url.split("#")[0]
        if not self.enabled or url in self.requested or not self.is_attachment(url):
            return None
        self.requested.add(url)
        left = self.portal_bytes - self.spent_by(source_id)
        if left <= 0:
            self.stats.inc_value("attachments/over_budget")
            return None
        headers = self.validators(url)
        if headers is None:
            return None
        return scrapy.Request(url, callback=callback, errback=errback, priority=ATTACHMENT_PRIORITY,
                              headers=headers, meta={
                                  "source": source_id, "attachment_url": url,
                                  "download_maxsize": min(self.max_bytes, left),
                                  "download_warnsize": 0, "handle_httpstatus_list": [304],
                                  "allow_offsite": True})  # the spider chose its host (where())

    def skip(self, url: str, source_id: str, reason: str, warc_file: str | None) -> None:
        """Note a document link not fetched, and why (once per URL per crawl)."""
        url = url.split("#")[0]
        if not self.enabled or url in self.requested or not self.is_attachment(url):
            return
        self.requested.add(url)
        self.stats.inc_value("attachments/skipped")
        if warc_file:  # the manifest of the WARC file that holds the page linking it
            self.write_line({"url": url, "source": source_id, "skipped": reason,
                             "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}, warc_file)

    def spent_by(self, source_id: str) -> int:
        return self.spent.get(source_id, 0)

    def spend(self, source_id: str, size: int) -> None:
        self.spent[source_id] = self.spent.get(source_id, 0) + size

    def validators(self, url: str) -> dict | None:
        """Conditional headers for a file archived before; None when it is too fresh to ask."""
        if url not in self.known:
            return {}
        etag, modified, fresh = self.known[url]
        if fresh:
            self.stats.inc_value("attachments/known")
            return None
        return {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}

    def record(self, response) -> None:
        """Note a fetched file in the manifest beside the WARC file that holds it."""
        meta = response.meta
        source = meta["source"]
        self.spend(source, len(response.body))
        warc = meta.get("warc")
        if not warc:  # WARC writing off: nothing to read the document back from later
            self.stats.inc_value("attachments/not_archived")
            return
        line = {"url": meta["attachment_url"], "source": source,
                "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        if response.status == 304:
            self.stats.inc_value("attachments/not_modified")
            line["not_modified"] = True
        else:
            self.stats.inc_value("attachments/fetched")
            self.stats.inc_value("attachments/bytes", len(response.body))
            line |= {"sha256": hashlib.sha256(response.body).hexdigest(), "bytes": len(response.body),
                     "media_type": header(response, b"Content-Type"), "etag": header(response, b"ETag"),
                     "last_modified": header(response, b"Last-Modified"),
                     "warc_file": warc["file"], "warc_offset": warc["offset"]}
        self.write_line(line, warc["file"])

    def write_line(self, line: dict, warc_file: str) -> None:
        self.manifest(warc_file).write(json.dumps(line, ensure_ascii=False) + "\n")

    def over_budget(self, failure) -> bool:
        """Was this failure a download cancelled at its size budget? (counted, no error)"""
        if "download max size" in failure.getErrorMessage():
            self.stats.inc_value("attachments/over_budget")
            self.stats.inc_value(OVER_BUDGET_PREFIX + global_object_name(failure.type))
            return True
        return False

    def manifest(self, warc_file: str):
        if warc_file not in self.manifests:
            # line-buffered: a killed crawl keeps every line written before
            name = f"{Path(warc_file).name}{MANIFEST_SUFFIX}"  # beside the WARC file it describes
            self.manifests[warc_file] = open(self.directory / name, "a",
                                             encoding="utf-8", buffering=1)
        return self.manifests[warc_file]

    def close(self) -> None:
        for manifest in self.manifests.values():
            manifest.close()
        self.manifests.clear()


def header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
