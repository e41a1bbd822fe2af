"""Several processes write archive.db at once: no article is lost to "database is locked".

The crawl process writes its `crawls` row and page fates while the stage process stores articles.
Another process changing the schema (a new sqlite-utils connection's first upsert creates and drops a
table to see whether SQLite has upserts; a newer version adding a column) makes the store's next
INSERT be prepared again, and FTS5 then reads its config table inside the transaction: a transaction
that began by reading cannot wait for the write lock, and SQLite refused the article at once when the
other process held it. `scraper.archive.db.write_transaction` takes the lock first.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from faultserver import FaultServer
from pipelines.store import StorePipeline
from plaincrawl import archiwum_crawl
from scraper.archive.db import connect
from scraper.items import Page
from tests.conftest import REPO

# The other writer: in each round, for HOLD seconds, one short transaction after the other, each
# changing the schema (as a new sqlite-utils connection's first upsert does, or an archive opened by a
# newer version adding its columns): another connection hardly ever finds the write lock free.
OTHER_WRITER = """
import sqlite3, sys, time
rounds, hold, gap = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
conn.execute("create table if not exists other_writer (round integer)")
for round in range(rounds):
    time.sleep(gap)
    end, said = time.monotonic() + hold, False
    while time.monotonic() < end:
        conn.execute("begin immediate")
        conn.execute("create table probe (id integer primary key)")
        conn.execute("drop table probe")
        conn.execute("insert into other_writer values (?)", [round])
        if not said:
            print("holding", flush=True)
            said = True
        time.sleep(0.03)
        conn.execute("commit")
"""
HOLD = 1.0


NEWS = ("Miejski Ośrodek Pomocy Społecznej zaprasza seniorów na bezpłatne warsztaty cyfrowe numer {n}. "
        "Zajęcia odbędą się w Klubie Seniora przy ulicy Długiej we wtorki i czwartki.")


def other_writer(db: Path, rounds: int, gap: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", OTHER_WRITER, str(db), str(rounds), str(HOLD), str(gap)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def article(n: int, reading: str = "") -> Page:
    item = Page(url=f"http://mops.example/aktualnosci/{n}", source="mops", html="",
                fetched_at="2026-11-23T02:00:00+00:00", title=f"Warsztaty cyfrowe dla seniorów {n}",
                body=NEWS.format(n=n) + reading, article_key=f"mops:{n}")
    item.id, item.content_hash = f"artykul-{n}", f"hash-{n}{reading}"
    return item


@pytest.mark.timeout(120)
def test_the_store_waits_for_another_writer_that_changed_the_schema(tmp_path):
    """An article stored, and its second reading (the re-clean's) stored in its place, each while
    the other writer holds the lock right after changing the schema: both wait for it."""
    db = tmp_path / "archive.db"
    connect(db).conn.close()
    store = StorePipeline(str(db))
    store.open_spider()
    # its statements prepared, as in mid-crawl
    assert store.process_item(article(0)).stored == "new" and store.replace_reading(article(0, " Drugie."))
    writer = other_writer(db, rounds=4, gap=0.2)
    try:
        for n in (1, 2):
            assert writer.stdout.readline() == "holding\n", writer.stderr.read()
            assert store.process_item(article(n)).stored == "new"
            assert writer.stdout.readline() == "holding\n", writer.stderr.read()
            assert store.replace_reading(article(n, " Drugie odczytanie."))
    finally:
        writer.wait(timeout=60)
        store.close_spider()
    bodies = sqlite3.connect(db).execute("select body from articles order by id").fetchall()
    assert [body.endswith(" Drugie.") or body.endswith(" Drugie odczytanie.") for (body,) in bodies] == [True] * 3


@pytest.fixture(scope="module")
def portal():
    server = FaultServer(articles=60)
    yield server
    server.close()


@pytest.mark.timeout(240)
def test_a_crawl_beside_another_writer_loses_no_page(portal, tmp_path):
    """Every page the crawl fetched has its fate, none failed, while another process changes the
    schema and holds the write lock again and again (the crawl's own two processes write too)."""
    db = tmp_path / "archive.db"
    connect(db).conn.close()
    portal.reset()
    writer = other_writer(db, rounds=1000, gap=0.3)  # until the crawl is over
    try:
        done = subprocess.run(archiwum_crawl(portal.url("/portal/"), db, "-s", "ARCHIWUM_CRAWL_LOG_INTERVAL=0.5"),
                              cwd=REPO, capture_output=True, text=True, timeout=200)
    finally:
        writer.kill()
        writer.wait()
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.startswith("crawl finished:") and ", 0 errors" in done.stdout
    conn = sqlite3.connect(db)
    [(errors,)] = conn.execute("select errors from crawls")
    assert json.loads(errors) == {}
    fates = dict(conn.execute("select url, fate || ': ' || detail from page_fates"))
    served = {portal.url(path) for path in portal.hits() if path.startswith("/portal/")}
    assert served and served == set(fates), served ^ set(fates)
    assert sum(fate.startswith("stored: new") for fate in fates.values()) == portal.articles, Counter(fates.values())
    assert conn.execute("select count(*) from articles").fetchone() == (portal.articles,)
