"""Downloader middleware: every response of a crawl, as received, into one WARC file per run.

Records are gzip members (a response record, then its request), each flushed at once, so a
killed crawl leaves every earlier record readable. `response.meta["warc"]` gets
`{"file": <path>, "offset": <byte offset of the response record>}`: where a researcher finds the
page an article was extracted from (`warcio extract FILE OFFSET`); the path as the archive records
it (scraper/archive/captures.py).

Settings: `ARCHIWUM_WARC_DIR` (default `warc/` next to `ARCHIWUM_DB`, else `./warc`),
`ARCHIWUM_WARC_ENABLED` (default True). Stats: `warc/records`, `warc/bytes`, and
`errors/warc_write_error` for each response that could not be written (a full disk): an error of
the crawl, so it exits 1 and says "finished with N errors" (scraper/crawl/stats.py).
"""
from __future__ import annotations

import contextlib
import logging
import os
from datetime import datetime, timezone
from importlib.metadata import version
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http.response import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.archive import captures

logger = logging.getLogger(__name__)

# Headers that describe the connection, not the stored payload (Scrapy has already undone them).
HOP_HEADERS = {"transfer-encoding", "connection", "keep-alive"}
# A 304 to a conditional request (scraper/crawl/conditional.py): the page is the one captured before.
NOT_MODIFIED = 304
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def warc_dir(settings) -> Path:
    if settings.get("ARCHIWUM_WARC_DIR"):
        return Path(settings["ARCHIWUM_WARC_DIR"])
    db = settings.get("ARCHIWUM_DB")
    return Path(db).parent / captures.DEFAULT_FOLDER if db else Path(captures.DEFAULT_FOLDER)


def run_file_name(started: datetime) -> str:
    """Unique per process, also when several crawl workers share the directory."""
    return f"archiwum-{started:%Y%m%dT%H%M%S%fZ}-{os.getpid()}.warc.gz"


def header_pairs(headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        if name.decode("latin-1").lower() not in HOP_HEADERS
        for value in values
    ]


def response_headers(response: Response) -> StatusAndHeaders:
    pairs = [(n, v) for n, v in header_pairs(response.headers) if n.lower() != "content-length"]
    pairs.append(("Content-Length", str(len(response.body))))
    status = f"{response.status} {reason_phrase(response.status)}"
    return StatusAndHeaders(status, pairs, protocol="HTTP/1.1")


def request_headers(request) -> StatusAndHeaders:
    url = urlsplit(request.url)
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    pairs = [("Host", url.netloc), *header_pairs(request.headers)]
    return StatusAndHeaders(f"{request.method} {target}", pairs, protocol="HTTP/1.1", is_http_request=True)


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcMiddleware:
    """Write each response (and its request) to the run's WARC file; remember where."""

    def __init__(self, directory: Path, stats, db_path: str | None = None):
        self.directory = directory
        self.stats = stats
        self.db_path = db_path
        self.file = None
        self.writer = None
        self.name = ""
        self.recorded_as = ""  # the file as articles.warc_file names it
        self.broken = False  # the file could not be reopened after a failed write

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIWUM_WARC_ENABLED"):
            raise NotConfigured
        middleware = cls(warc_dir(crawler.settings), crawler.stats, crawler.settings.get("ARCHIWUM_DB"))
        crawler.signals.connect(middleware.open, signal=signals.spider_opened)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def open(self) -> None:
        self.name = run_file_name(datetime.now(timezone.utc))
        self.recorded_as = captures.recorded_name(self.db_path, self.directory / self.name)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.file = open(self.directory / self.name, "xb")
            self.writer = WARCWriter(self.file, gzip=True)
            info = {"software": f"Archiwum {version('archiwum')} (Scrapy)", "format": "WARC File Format 1.1"}
            self.writer.write_record(self.writer.create_warcinfo_record(self.name, info))
            self.file.flush()
        except OSError as problem:  # no room, no permission: every response is counted as not written
            logger.error("cannot write the WARC file %s: %s", self.directory / self.name, problem.strerror or problem)
            self.file, self.writer, self.broken = None, None, True
            return
        self.stats.set_value("warc/file", self.name)

    def close(self) -> None:
        if self.file:
            with contextlib.suppress(OSError):
                self.file.close()
            self.file = None

    def process_response(self, request, response):
        if self.broken:
            self.stats.inc_value("errors/warc_write_error")
            return response
        if self.writer is None:
            return response
        offset = self.file.tell()
        try:
            self.writer.write_request_response_pair(
                self.record(request, "request", request_headers(request), request.body or b""),
                self.revisit(request, response) if response.status == NOT_MODIFIED else
                self.record(request, "response", response_headers(response), response.body, response.url),
            )
            self.file.flush()
        except OSError as problem:  # a full disk: the page goes on, without its raw record
            self.write_failed(response.url, problem, offset)
            return response
        self.stats.inc_value("warc/records")
        self.stats.inc_value("warc/bytes", self.file.tell() - offset)
        request.meta["warc"] = {"file": self.recorded_as, "offset": offset}
        return response

    def write_failed(self, url: str, problem: OSError, offset: int) -> None:
        """Counted as an error of the crawl (`warc_write_error`); the file is cut back to its last
        whole record, so the records written later (once there is room again) stay readable."""
        self.stats.inc_value("errors/warc_write_error")
        logger.error("WARC write failed for %s: %s", url, problem.strerror or problem)
        with contextlib.suppress(OSError):
            self.file.close()  # what the buffer still holds of the broken record is dropped
        try:
            self.file = open(self.directory / self.name, "r+b")
            self.file.truncate(offset)
            self.file.seek(offset)
            self.writer = WARCWriter(self.file, gzip=True)
        except OSError:
            self.file = self.writer = None  # nothing more can be written: each later page is counted
            self.broken = True

    def revisit(self, request, response):
        """The server said the page has not changed since the copy an earlier run captured."""
        self.stats.inc_value("warc/revisits")
        return self.writer.create_warc_record(
            response.url, "revisit", payload=BytesIO(b""), http_headers=response_headers(response),
            warc_headers_dict={"WARC-Profile": REVISIT_PROFILE, "WARC-Refers-To-Target-URI": response.url},
        )

    def record(self, request, kind: str, headers: StatusAndHeaders, body: bytes, url: str = ""):
        return self.writer.create_warc_record(
            url or request.url, kind, payload=BytesIO(body), http_headers=headers,
        )
