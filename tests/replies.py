"""What the test servers' request handlers share: a whole answer, sent with its length, and no
log line per request.

Mixed into each `BaseHTTPRequestHandler` (`class Handler(Replies, BaseHTTPRequestHandler)`), whether
the server is a module of its own (tests/faultserver.py, run as a script too) or a class built in a
test (tests/test_politeness.py, tests/smallportals.py, tests/aliasportal.py)."""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"


class Replies:
    def log_message(self, format, *args):  # noqa: A002 - http.server's name
        pass

    def send_bytes(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_text(self, status: int, text: str, content_type: str = HTML, headers: dict | None = None) -> None:
        """`text` as UTF-8 (`content_type` names the charset)."""
        self.send_bytes(status, text.encode("utf-8"), content_type, headers)

    def send_page(self, html: str | None) -> None:
        """A portal's page, or a 404 page where it has none."""
        self.send_text(200 if html else 404, html or "<html><body>brak</body></html>")


@contextlib.contextmanager
def serving(handler) -> Iterator[str]:
    """A handler class served on a free port of 127.0.0.1 while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serving_pages(pages) -> Iterator[str]:
    """A portal of these pages (path → HTML, or a function of the portal's base URL that gives
    them) on 127.0.0.1, a 404 page for any other path, while the block runs; yields the base URL."""
    class Portal(Replies, BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server naming
            site = pages(f"http://{self.headers['Host']}") if callable(pages) else pages
            self.send_page(site.get(self.path))

    with serving(Portal) as url:
        yield url
