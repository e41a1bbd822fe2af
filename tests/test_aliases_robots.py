"""One article under two URLs is one row across nights; robots.txt binds every request, also those
that waited for it. The distributed side of both is in tests/test_distributed.py."""
from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import pytest

import plaincrawl
from scraper.registry.sources import to_toml
from tests.aliasportal import AliasPortal
from tests.conftest import archiwum

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO"]


@pytest.fixture
def portal():
    served = AliasPortal()
    yield served
    served.close()


def rows(db) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    found = [dict(r) for r in conn.execute("select id, url, title, content_hash from articles")]
    conn.close()
    return found


def crawl(portal: AliasPortal, tmp_path, night: int) -> str:
    portal.reset(night)
    registry = tmp_path / "sources.toml"
    registry.write_text(to_toml([portal.source()]), encoding="utf-8")
    result = archiwum("crawl", "--registry", str(registry), "--db", str(tmp_path / "archive.db"), *FAST,
                      "--log-file", str(tmp_path / f"night{night}.log"), check=True)
    return result.stdout


def test_waiting_requests_are_checked_against_robots_txt(portal, tmp_path):
    """Six start requests to one host wait together for its robots.txt (Scrapy 2.19 let four
    of them through unchecked: docs/scaling.md, "robots.txt")."""
    starts = [f"{portal.base}/", f"{portal.base}/aktualnosci",
              *(f"{portal.base}/admin/{name}-{n}" for name in ("szkic", "projekt") for n in (1, 2))]
    pages, stats = plaincrawl.run(tmp_path / "out", starts, ROBOTSTXT_OBEY=True)
    assert portal.fetched("/admin/") == []
    assert stats["robotstxt/forbidden"] >= 4
    assert {urlsplit(p["url"]).path for p in pages} >= {"/", "/aktualnosci"}


def test_an_article_under_two_urls_is_one_row_across_nights(portal, tmp_path):
    first = crawl(portal, tmp_path, night=1)
    assert portal.fetched("/admin/") == []  # linked from the home page, disallowed by robots.txt
    stored = rows(tmp_path / "archive.db")
    assert sorted(urlsplit(r["url"]).path for r in stored) == sorted(portal.article_paths()), first
    assert len({r["content_hash"] for r in stored}) == len(stored)

    second = crawl(portal, tmp_path, night=2)
    stored_then = rows(tmp_path / "archive.db")
    assert sorted(urlsplit(r["url"]).path for r in stored_then) == sorted(portal.article_paths()), second
    assert " 1 new, 0 changed, " in second
    old = [(n, slug) for n, slug, _ in portal.articles()[:-1]]
    refetched = set(portal.fetched()) & {p for n, slug in old for p in (f"/node/{n}", f"/aktualnosci/{slug}")}
    assert not refetched, "known articles and their aliases are not fetched again"
    assert portal.fetched("/admin/") == []
