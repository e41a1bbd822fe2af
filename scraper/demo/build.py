"""Render a replica into in-memory host trees (deterministic, no I/O besides reading content)."""
from __future__ import annotations

from .content import load_articles
from .page import HostTree
from .sites import REPLICAS

PLACEHOLDER_BASE = "http://{host}/"


def build_site(site_id: str, base_urls: dict[str, str] | None = None) -> dict[str, HostTree]:
    """host id -> HostTree. `base_urls` (host id -> 'http://127.0.0.1:PORT/') is only used for
    links between hosts of one replica (Starachowice); without it they point at the real host names."""
    replica = REPLICAS[site_id]
    urls = {h: PLACEHOLDER_BASE.format(host=h) for h in replica.hosts} | (base_urls or {})
    return replica.module.render(load_articles(replica.content), urls)
