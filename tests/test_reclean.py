"""A portal's first crawl stores no chrome, even in the articles read before its template was learned.

The held-out `cus` replica writes its chrome in sentences (a "Masz pytania?" paragraph and
"Inne wiadomości" teasers inside every article): only the site template can tell it, and the
template needs a dozen pages of the portal first. Real crawls (`archiwum crawl`) over HTTP.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer

import pytest

from scraper.archive.db import connect
from scraper.crawl.reclean import noted_page
from scraper.demo.build import build_site
from scraper.demo.gold import gold_articles
from scraper.demo.server import ReplicaHandler
from scraper.demo.sites import REPLICAS
from scraper.cli.demo import LOCAL_CRAWL_SETTINGS
from tests.conftest import REPO, archiwum
from tests.gold_helpers import by_path, find_stored, leaked_text, stored_articles

LOCAL = [arg for name, value in LOCAL_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
HOST = REPLICAS["cus"].hosts[0]
CHROME_PHRASES = ('"Masz pytania"', '"Inne wiadomości"', '"Punktu Informacyjnego"')


def leaks(db) -> dict[str, str]:
    """Gold article path -> the chrome its stored body holds (every gold article must be stored)."""
    stored = by_path(stored_articles(db))
    found = {}
    for gold in gold_articles("cus"):
        row = find_stored(gold, stored)
        assert row, f"{gold['path']} was not archived"
        if leaked_text(row["body"], gold):
            found[gold["path"]] = leaked_text(row["body"], gold)
    return found


def query(db_path, sql: str) -> list:
    """Read-only, as Datasette reads while a crawl writes."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def stored_count(db_path) -> int:
    try:
        return query(db_path, "select count(*) from articles")[0][0]
    except sqlite3.OperationalError:  # no archive, or no table yet
        return 0


def search_hits(db_path, phrase: str) -> int:
    db = connect(db_path)  # with the search function
    try:
        return db.execute("select count(*) from articles_fts where articles_fts match archiwum_match(?)",
                          [phrase]).fetchone()[0]
    finally:
        db.conn.close()


@pytest.mark.parametrize("stage_process", ["True", "False"])
def test_the_first_crawl_stores_no_chrome_sentence(replicas, tmp_path, stage_process):
    db = tmp_path / "archive.db"
    result = archiwum("crawl", "--url", replicas.site_urls("cus")[HOST], "--db", str(db), *LOCAL,
                      "-s", f"ARCHIWUM_STAGE_PROCESS={stage_process}", check=True)
    assert leaks(db) == {}
    assert [search_hits(db, phrase) for phrase in CHROME_PHRASES] == [0, 0, 0]
    assert " re-cleaned, " in result.stdout
    assert query(db, "select count(*) from early_pages") == [(0,)]
    assert query(db, "select count(*) from article_versions") == [(0,)]  # a better reading, not a new version


class GatedReplica:
    """The cus replica, answering only its first `open_articles` article pages until `release()`."""

    def __init__(self, open_articles: int):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), ReplicaHandler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.tree = build_site("cus", {HOST: self.base})[HOST]
        self.server.tree = self
        self.gate, self.lock, self.open_articles = threading.Event(), threading.Lock(), open_articles
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def resolve(self, path: str):
        if path.startswith("/aktualnosci/"):
            with self.lock:
                self.open_articles -= 1
                held = self.open_articles < 0
            if held:
                self.gate.wait()
        return self.tree.resolve(path)

    def release(self) -> None:
        self.gate.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gated_replica():
    replica = GatedReplica(open_articles=3)
    yield replica
    replica.close()


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_early_articles_of_a_crawl_killed_with_kill_9_are_re_cleaned_by_the_next_crawl(gated_replica, tmp_path):
    db = tmp_path / "archive.db"
    args = [sys.executable, "-m", "scraper.cli.main", "crawl", "--url", gated_replica.base, "--db", str(db), *LOCAL]
    crawl = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        wait_for(lambda: stored_count(db) >= 3)
    finally:
        os.killpg(crawl.pid, signal.SIGKILL)  # the crawl and its stage process
        crawl.wait()
    early = {row["id"]: row for row in stored_articles(db)}
    assert any("Masz pytania" in row["body"] for row in early.values())  # stored before the template knew it
    assert query(db, "select count(*) from early_pages")[0][0] >= 3

    gated_replica.release()
    result = archiwum("crawl", "--url", gated_replica.base, "--db", str(db), *LOCAL, check=True)
    assert f"{len(early)} unchanged articles" in result.stdout  # a nightly crawl does not fetch them again
    assert leaks(db) == {}
    assert query(db, "select count(*) from early_pages") == [(0,)]
    after = {row["id"]: row for row in stored_articles(db)}
    for article_id, before in early.items():  # the same fetch, read better: updated in place
        kept = ("url", "first_seen", "fetched_at", "warc_file", "warc_offset", "published")
        assert {k: after[article_id][k] for k in kept} == {k: before[k] for k in kept}
    assert query(db, "select count(*) from article_versions") == [(0,)]
    assert search_hits(db, '"Masz pytania"') == 0


def test_a_note_written_before_the_typed_page_fields_is_read():
    note = ('{"url": "https://mops.example.pl/a", "source": "mops", "html": "<p>x</p>", "fetched_at": "2026-01-01",'
            ' "meta": {"link_rule": "article", "change_register": "<table></table>"}}')
    page = noted_page(note)
    assert (page.link_rule, page.change_register) == ("article", "<table></table>")
