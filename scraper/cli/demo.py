"""`archiwum demo`: the seed portals' replicas served on 127.0.0.1, crawled, then served.

The replicas (scraper/demo/) mirror registry sources; the demo crawls each through its real
registry entry with the real hosts swapped for the local servers.
"""
from __future__ import annotations

import subprocess
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from scraper.demo.server import ReplicaServer
from scraper.demo.sites import DEMO_SITES, REPLICAS
from scraper.cli.attachments import crawl_and_read
from scraper.registry.sources import Source, load_registry
from scraper.web.serve import datasette_args

# Fixed ports keep the replicas' URLs the same from one demo run to the next, so a second run
# is incremental like a nightly crawl of real portals.
FIRST_PORT = 18101
# Local servers answer at once: no politeness delay needed.
LOCAL_CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "WARNING",
}


def localised(source: Source, base_urls: dict[str, str]) -> Source:
    """The registry source with its real hosts replaced by the replica servers."""
    local_host = {host: urlsplit(url).netloc for host, url in base_urls.items()}

    def local(urls: list[str]) -> list[str]:
        parts = [urlsplit(u) for u in urls]
        return [urlunsplit(("http", local_host[p.netloc], p.path, p.query, ""))
                for p in parts if p.netloc in local_host]

    start_urls = local(source.start_urls) or list(base_urls.values())[:1]
    return replace(source, start_urls=start_urls, feeds=local(source.feeds),
                   sitemaps=local(source.sitemaps), allowed_hosts=sorted(local_host.values()))


def demo_sources(replicas: ReplicaServer, site_ids=DEMO_SITES) -> list[Source]:
    registry = load_registry()
    return [localised(registry[REPLICAS[site].mirrors], replicas.site_urls(site)) for site in site_ids]


def start_replicas() -> ReplicaServer:
    hosts = [host for site in DEMO_SITES for host in REPLICAS[site].hosts]
    try:
        return ReplicaServer(DEMO_SITES, ports={h: FIRST_PORT + i for i, h in enumerate(hosts)})
    except OSError:  # a fixed port is taken: any ports will do, the crawl is simply not incremental
        return ReplicaServer(DEMO_SITES)


def run_demo(db_path: str, serve_port: int | None) -> int:
    """Crawl the replicas, then serve the archive while the replicas keep answering, so every
    article's link leads to its (replica) source page."""
    with start_replicas() as replicas:
        print("replicas of the seed portals:")
        for host, url in replicas.base_urls.items():
            print(f"  {host:34} {url}")
        code = crawl_and_read(demo_sources(replicas), db_path, LOCAL_CRAWL_SETTINGS)
        if code or serve_port is None:
            return code
        print(f"Datasette: http://127.0.0.1:{serve_port}/ (Ctrl-C stops it)")
        return subprocess.run(datasette_args(db_path, port=serve_port)).returncode
