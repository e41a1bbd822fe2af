"""Incremental crawls: known articles are not fetched again, listings always are, --full fetches all."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

import plaincrawl
from faultserver import FaultServer, fault_server  # noqa: F401
from scraper.archive.db import connect
from scraper.urls import canonicalize

INCREMENTAL_ONLY = {
    "SPIDER_MIDDLEWARES": {"scraper.crawl.incremental.IncrementalMiddleware": 810},
    "DOWNLOADER_MIDDLEWARES": {}, "EXTENSIONS": {},
}
LISTINGS = {"/portal/", "/portal/?page=2", "/portal/?page=3"}


def article_path(number: int) -> str:
    return f"/portal/artykul/{number}.html"


def archive_with(db_path, server, numbers, days_ago: float = 0):
    """An archive holding the given portal articles, last seen `days_ago`."""
    seen = (datetime.now(timezone.utc) - timedelta(days=days_ago)).isoformat(timespec="seconds")
    db = connect(db_path)
    with db.conn:
        db["articles"].insert_all(
            {"id": f"a{n}", "url": canonicalize(server.url(article_path(n))), "source": "test",
             "first_seen": seen, "last_seen": seen} for n in numbers)
    db.conn.close()
    return db_path


@pytest.fixture
def crawl(fault_server, tmp_path):  # noqa: F811
    """Crawl the portal against an archive; returns the server's hits and the crawl's stats."""
    def run(db_path, start="/portal/", **settings):
        fault_server.reset()
        _, stats = plaincrawl.run(tmp_path / "out", [fault_server.url(start)],
                                  **INCREMENTAL_ONLY, ARCHIWUM_DB=str(db_path), **settings)
        return fault_server.hits(), stats
    return run


def test_known_articles_are_not_fetched_but_listings_are(crawl, fault_server, tmp_path):  # noqa: F811
    db = archive_with(tmp_path / "a.db", fault_server, range(30))
    hits, stats = crawl(db)
    assert set(hits) == LISTINGS
    assert stats["incremental/skipped"] == 30


def test_new_articles_are_found_through_the_listings(crawl, fault_server, tmp_path):  # noqa: F811
    db = archive_with(tmp_path / "a.db", fault_server, range(20))
    hits, _ = crawl(db)
    assert set(hits) - LISTINGS == {article_path(n) for n in range(20, 30)}


def test_articles_not_seen_for_long_are_checked_again(crawl, fault_server, tmp_path):  # noqa: F811
    db = archive_with(tmp_path / "a.db", fault_server, range(10), days_ago=45)
    archive_with(db, fault_server, range(10, 30))
    hits, stats = crawl(db, ARCHIWUM_RECHECK_DAYS=30)
    assert set(hits) - LISTINGS == {article_path(n) for n in range(10)}
    assert stats["incremental/rechecked"] == 10


def test_full_fetches_everything(crawl, fault_server, tmp_path):  # noqa: F811
    db = archive_with(tmp_path / "a.db", fault_server, range(30))
    hits, stats = crawl(db, ARCHIWUM_FULL=True)
    assert set(hits) - LISTINGS == {article_path(n) for n in range(30)}
    assert "incremental/skipped" not in stats


def test_a_start_url_is_fetched_even_when_known(crawl, fault_server, tmp_path):  # noqa: F811
    db = archive_with(tmp_path / "a.db", fault_server, range(30))
    hits, _ = crawl(db, start=article_path(3))
    assert hits == {article_path(3): 1}


def test_pagination_is_read_even_if_stored_as_an_article(crawl, fault_server, tmp_path):  # noqa: F811
    db = archive_with(tmp_path / "a.db", fault_server, range(30))
    db_conn = connect(db)
    with db_conn.conn:
        db_conn["articles"].insert({"id": "listing", "url": fault_server.url("/portal/?page=2"),
                                    "last_seen": "2099-01-01"})
    hits, _ = crawl(db)
    assert set(hits) == LISTINGS


# --- the real crawler, night after night ------------------------------------------------------

@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """`archiwum crawl` of a 60-article portal twice, then after an edit with --full."""
    server = FaultServer(articles=60, per_page=20)
    db = tmp_path_factory.mktemp("nights") / "archive.db"
    pages = []
    for edit, options in ((None, []), (None, []), (7, ["--full"])):
        if edit is not None:
            server.control(f"edit/{edit}")
        server.reset()
        plaincrawl.crawl_to_end(server.url("/portal/"), db, *options, timeout=600)
        pages.append(sum(server.hits().values()))
    server.close()
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    crawls = [dict(row) for row in conn.execute("select * from crawls order by id")]
    yield {"pages": pages, "crawls": crawls, "conn": conn}
    conn.close()


def test_a_second_crawl_of_an_unchanged_portal_fetches_at_most_a_tenth(nights):
    first, second, _ = nights["pages"]
    assert second <= 0.1 * first
    row = nights["crawls"][1]
    assert (row["articles_new"], row["articles_changed"], row["articles_unchanged"]) == (0, 0, 60)


def test_full_catches_an_edit_and_keeps_the_earlier_version(nights):
    row = nights["crawls"][2]
    assert (row["articles_new"], row["articles_changed"], row["articles_unchanged"]) == (0, 1, 59)
    conn = nights["conn"]
    [article] = conn.execute("select id, body from articles where body like '%Aktualizacja 1%'")
    [version] = conn.execute("select body from article_versions where article_id = ?", [article["id"]])
    assert "Aktualizacja" not in version["body"]
    assert version["body"] in article["body"].replace("Aktualizacja 1: zmieniono godziny dyżurów.", "")
