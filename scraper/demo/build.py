"""Render a replica into in-memory host trees (deterministic, no I/O besides reading content).

`uv run python -m scraper.demo.build` renders every replica and prints pages and milliseconds
per site against the 1 s budget for all of them.
"""
from __future__ import annotations

import time

from .content import load_articles
from .page import HostTree
from .sites import REPLICAS

PLACEHOLDER_BASE = "http://{host}/"
RENDER_BUDGET_SECONDS = 1.0


def build_site(site_id: str, base_urls: dict[str, str] | None = None) -> dict[str, HostTree]:
    """host id -> HostTree. `base_urls` (host id -> 'http://127.0.0.1:PORT/') is only used for
    absolute links (between Starachowice hosts, in feeds and sitemaps); without it they use the
    real host names."""
    replica = REPLICAS[site_id]
    urls = {h: PLACEHOLDER_BASE.format(host=h) for h in replica.hosts} | (base_urls or {})
    return replica.module.render(load_articles(replica.content), urls)


def main() -> None:
    for site_id in REPLICAS:  # content is cached: load (and parse the TOML) outside the timing
        load_articles(REPLICAS[site_id].content)
    total = 0.0
    print(f"{'site':14} {'pages':>6} {'ms':>8}")
    for site_id in REPLICAS:
        started = time.perf_counter()
        trees = build_site(site_id)
        elapsed = time.perf_counter() - started
        total += elapsed
        print(f"{site_id:14} {sum(len(t.pages) for t in trees.values()):6} {elapsed * 1000:8.1f}")
    verdict = "PASS" if total < RENDER_BUDGET_SECONDS else "FAIL"
    print(f"{'all':14} {'':6} {total * 1000:8.1f}  budget {RENDER_BUDGET_SECONDS * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
