"""Serve the replicas on 127.0.0.1, one ThreadingHTTPServer per host on an ephemeral port.

    with serve_sites(["gdansk"]) as replicas:
        replicas.base_urls["www.gdansk.pl"]   # 'http://127.0.0.1:PORT/'

`uv run python -m scraper.demo.server [site ...]` prints the addresses and serves until Ctrl-C
(demo sites only unless named).

Like most web servers with static files, every 200 answer carries an ETag and a Last-Modified
date, and a conditional request for an unchanged resource gets a bodiless 304.
`.bytes_sent` counts what the replicas wrote to their clients (a second night's cost, measured).
"""
from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Iterable
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .build import build_site
from .page import HostTree, Resource
from .sites import DEMO_SITES, REPLICAS

NOT_FOUND = Resource("<html><body><h1>404 Nie znaleziono strony</h1></body></html>".encode(),
                     status=404)
# The replicas' content is built at start and never changes: one Last-Modified date for all of it.
LAST_MODIFIED = formatdate(1_764_547_200, usegmt=True)  # 1 Dec 2025


def entity_tag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def not_modified(headers, etag: str) -> bool:
    """Whether a conditional request's copy is current (If-None-Match wins over If-Modified-Since)."""
    if headers.get("If-None-Match"):
        return etag in [tag.strip() for tag in headers["If-None-Match"].split(",")] or \
            headers["If-None-Match"].strip() == "*"
    since = headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        return parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
    except (TypeError, ValueError):
        return False


class CountingWriter:
    """The connection's output, counted into the server's `bytes_sent`."""

    def __init__(self, stream, server):
        self.stream = stream
        self.server = server

    def write(self, data: bytes) -> int:
        with self.server.count_lock:
            self.server.bytes_sent += len(data)
        return self.stream.write(data)

    def __getattr__(self, name):
        return getattr(self.stream, name)


class ReplicaHandler(BaseHTTPRequestHandler):
    def version_string(self) -> str:
        return "Apache"

    def do_GET(self) -> None:
        self._respond(include_body=True)

    def do_HEAD(self) -> None:
        self._respond(include_body=False)

    def setup(self) -> None:
        super().setup()
        if hasattr(self.server, "bytes_sent"):  # a ReplicaServer's (a test may serve a tree its own way)
            self.wfile = CountingWriter(self.wfile, self.server)

    def _respond(self, include_body: bool) -> None:
        tree: HostTree = self.server.tree
        resource = tree.resolve(self.path) or NOT_FOUND
        body = resource.payload
        etag = entity_tag(body) if resource.status == 200 else None
        if etag and not_modified(self.headers, etag):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
        if resource.location:
            self.send_header("Location", resource.location)
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


class ReplicaServer:
    """Running replicas: `.base_urls` host id -> base URL, `.sites` site id -> host ids."""

    def __init__(self, site_ids: Iterable[str], ports: dict[str, int] | None = None):
        """`ports`: host id -> fixed port (e.g. to keep URLs stable between runs); others ephemeral."""
        self.sites = {s: REPLICAS[s].hosts for s in site_ids}
        self._servers = {h: ThreadingHTTPServer(("127.0.0.1", (ports or {}).get(h, 0)), ReplicaHandler)
                         for hosts in self.sites.values() for h in hosts}
        for server in self._servers.values():
            server.daemon_threads = True
            server.bytes_sent = 0
            server.count_lock = threading.Lock()
        self.base_urls = {h: f"http://127.0.0.1:{s.server_address[1]}/"
                          for h, s in self._servers.items()}
        for site_id, hosts in self.sites.items():
            trees = build_site(site_id, {h: self.base_urls[h] for h in hosts})
            for host in hosts:
                self._servers[host].tree = trees[host]
        for server in self._servers.values():
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @property
    def bytes_sent(self) -> int:
        """Bytes written to clients by every replica host so far (status lines, headers, bodies)."""
        return sum(server.bytes_sent for server in self._servers.values())

    def site_urls(self, site_id: str) -> dict[str, str]:
        return {h: self.base_urls[h] for h in self.sites[site_id]}

    def close(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()

    def __enter__(self) -> "ReplicaServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve_sites(site_ids: Iterable[str] | None = None,
                ports: dict[str, int] | None = None) -> ReplicaServer:
    """Start the named replicas (default: every replica, held-out ones included)."""
    return ReplicaServer(site_ids if site_ids is not None else REPLICAS, ports)


def main(argv: list[str]) -> None:
    with serve_sites(argv or DEMO_SITES) as replicas:
        for site_id, hosts in replicas.sites.items():
            for host in hosts:
                print(f"{site_id:14} {host:32} {replicas.base_urls[host]}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main(sys.argv[1:])
