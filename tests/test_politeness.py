"""Polite to small servers: robots.txt's Crawl-delay and a 429's Retry-After are obeyed."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import plaincrawl
from scraper.crawl.politeness import retry_after_seconds
from tests.replies import Replies

PAGES = 5


class PacingServer(ThreadingHTTPServer):
    """robots.txt with a Crawl-delay (or none), /page/<n> linking on, /busy a 429 the first time."""

    def __init__(self, robots: str):
        super().__init__(("127.0.0.1", 0), PacingHandler)
        self.robots = robots
        self.times: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class PacingHandler(Replies, BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server naming
        with self.server.lock:
            hits = self.server.times.setdefault(self.path, [])
            hits.append(time.monotonic())
        if self.path == "/robots.txt":
            return self.send_text(200, self.server.robots, "text/plain")
        if self.path == "/busy" and len(hits) == 1:
            return self.send_text(429, "<p>Zwolnij.</p>", headers={"Retry-After": "2"})
        links = "".join(f'<a href="/page/{n}">strona {n}</a>' for n in range(PAGES))
        self.send_text(200, f"<html><body><p>Strona {self.path}</p>{links}</body></html>")


# As fast as a local test can go, but for what the server asks; AutoThrottle on, as in production.
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "ROBOTSTXT_OBEY": True, "RETRY_TIMES": 2}


def page_request_times(server) -> list[float]:
    return sorted(t for path, times in server.times.items() if path.startswith("/page/") for t in times)


@pytest.mark.parametrize("robots, least_gap", [("User-agent: *\nCrawl-delay: 1\n", 0.95), ("User-agent: *\n", 0.0)])
def test_crawl_delay_spaces_the_requests_to_a_host(tmp_path, robots, least_gap):
    server = PacingServer(robots)
    try:
        _, stats = plaincrawl.run(tmp_path / "out", [server.url("/page/0")], **FAST)
    finally:
        server.shutdown()
    times = page_request_times(server)
    assert len(times) >= PAGES  # the start page is asked for twice: once as a start URL, once as a link
    gaps = [b - a for a, b in zip(times, times[1:])]
    if least_gap:
        assert min(gaps) >= least_gap and stats["politeness/crawl_delay_hosts"] == 1
    else:  # the measure is not blind: without a Crawl-delay, requests overlap
        assert min(gaps) < 0.5 and "politeness/crawl_delay_hosts" not in stats


def test_retry_after_holds_the_host_back(tmp_path):
    server = PacingServer("User-agent: *\n")
    try:
        pages, stats = plaincrawl.run(tmp_path / "out", [server.url("/busy")], **FAST)
    finally:
        server.shutdown()
    first, second = server.times["/busy"][:2]
    assert second - first >= 1.9
    assert stats["politeness/retry_after"] == 1
    assert any(page["url"].endswith("/busy") and page["status"] == 200 for page in pages)


@pytest.mark.parametrize("header, seconds", [(b"120", 120.0), (None, None), (b"soon", None),
                                             (b"Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_retry_after_is_read_as_seconds_or_a_date(header, seconds):
    assert retry_after_seconds(header) == seconds
