"""Serve the replicas on 127.0.0.1, one ThreadingHTTPServer per host on an ephemeral port.

    with serve_sites(["gdansk"]) as replicas:
        replicas.base_urls["www.gdansk.pl"]   # 'http://127.0.0.1:PORT/'

`uv run python -m scraper.demo.server [site ...]` prints the addresses and serves until Ctrl-C
(demo sites only unless named).
"""
from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .build import build_site
from .page import HostTree, Resource
from .sites import DEMO_SITES, REPLICAS

NOT_FOUND = Resource("<html><body><h1>404 Nie znaleziono strony</h1></body></html>".encode(),
                     status=404)


class ReplicaHandler(BaseHTTPRequestHandler):
    def version_string(self) -> str:
        return "Apache"

    def do_GET(self) -> None:
        self._respond(include_body=True)

    def do_HEAD(self) -> None:
        self._respond(include_body=False)

    def _respond(self, include_body: bool) -> None:
        tree: HostTree = self.server.tree
        resource = tree.resolve(self.path) or NOT_FOUND
        body = resource.payload
        etag = f'"{hashlib.sha1(body).hexdigest()}"' if callable(resource.body) else None
        if etag and self.headers.get("If-None-Match") == etag:  # a document asked for again
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
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
        self.base_urls = {h: f"http://127.0.0.1:{s.server_address[1]}/"
                          for h, s in self._servers.items()}
        for site_id, hosts in self.sites.items():
            trees = build_site(site_id, {h: self.base_urls[h] for h in hosts})
            for host in hosts:
                self._servers[host].tree = trees[host]
        for server in self._servers.values():
            threading.Thread(target=server.serve_forever, daemon=True).start()

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
