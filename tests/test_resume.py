"""Killed at any moment, resumed by the next run: the archive ends exactly as after one clean crawl.

Each kill lands at a random point of what is left to do (after a random number of pages, plus
a random part of a page delay), so every kill interrupts a running crawl. The issue asks for 20
kills; the default of 3 keeps the suite short. Soak with
`ARCHIWUM_RESUME_KILLS=20 uv run pytest tests/test_resume.py -k kill_9 -s`
(`ARCHIWUM_RESUME_SEED` replays the same kill points).
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from faultserver import FaultServer
from plaincrawl import archiwum_crawl
from scraper.archive.db import connect
from tests.conftest import REPO

KILLS = int(os.environ.get("ARCHIWUM_RESUME_KILLS", "3"))
SEED = int(os.environ.get("ARCHIWUM_RESUME_SEED", str(time.time_ns() % 10**6)))
PAGE_DELAY = 0.1
SLOW = ["-s", f"DOWNLOAD_DELAY={PAGE_DELAY}", "-s", "CONCURRENT_REQUESTS=1"]
# A crawl that cannot finish before a second process has started, however busy the machine.
STALLED = ["-s", "DOWNLOAD_DELAY=2", "-s", "CONCURRENT_REQUESTS=1"]
LISTING_PAGES = 5  # robots.txt, sitemap.xml and three listing pages


@pytest.fixture(scope="module")
def server():
    server = FaultServer()
    yield server
    server.close()


def query(db, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def articles(db) -> dict[str, str]:
    return dict(query(db, "select id, content_hash from articles"))


def crawl(server, db, *options) -> subprocess.Popen:
    return subprocess.Popen(archiwum_crawl(server.url("/portal/"), db, *options), cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> None:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-3000:]


@pytest.mark.timeout(180 + 60 * KILLS)
def test_kill_9_at_random_moments_then_a_normal_run(server, tmp_path):
    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"
    finish(crawl(server, reference))
    rng = random.Random(SEED)
    moments = []
    for _ in range(KILLS):
        # a random point of what is left to do: after `pages` more pages, then up to one page delay
        left = LISTING_PAGES + server.articles - (len(articles(killed)) if killed.exists() else 0)
        moments.append((rng.randint(0, left - 1), rng.uniform(0, PAGE_DELAY)))
        served = total_hits(server)
        process = crawl(server, killed, *SLOW)
        assert kill_after(server, process, served + moments[-1][0], moments[-1][1]), "finished first"
        assert query(killed, "pragma integrity_check") == [("ok",)]
    print(f"seed {SEED}: killed after (pages, seconds) {[(p, round(t, 2)) for p, t in moments]}")
    finish(crawl(server, killed))
    assert len(articles(reference)) == server.articles
    assert articles(killed) == articles(reference)
    assert query(killed, "pragma integrity_check") == [("ok",)]
    assert query(killed, "select count(*) - count(distinct url) from articles") == [(0,)]
    statuses = [status for (status,) in query(killed, "select status from crawls order by id")]
    assert statuses[-1] == "finished" and set(statuses[:-1]) <= {"interrupted"}


def total_hits(server) -> int:
    return sum(server.hits().values())


def kill_after(server, process: subprocess.Popen, served: int, delay: float) -> bool:
    """SIGKILL `delay` s after the server has answered `served` requests; was the crawl running?"""
    while process.poll() is None and total_hits(server) < served:
        time.sleep(0.02)
    time.sleep(delay)
    running = process.poll() is None
    process.kill()
    process.communicate()
    return running


def test_a_second_crawl_on_the_same_archive_is_refused(server, tmp_path):
    db = tmp_path / "archive.db"
    first = crawl(server, db, *STALLED)
    try:
        wait_until_running(db)
        second = subprocess.run(archiwum_crawl(server.url("/portal/"), db), cwd=REPO,
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 3
        assert f"another crawl (pid {first.pid}) is writing to {db}" in second.stderr
        assert "Traceback" not in second.stderr
        assert first.poll() is None  # the running crawl goes on
    finally:
        first.kill()
        first.communicate()


def test_datasette_answers_during_a_crawl(server, tmp_path, serve_archive):
    db = tmp_path / "archive.db"
    connect(db).conn.close()
    base = serve_archive(db)
    first = crawl(server, db, *SLOW, "-s", "ARCHIWUM_CRAWL_LOG_INTERVAL=0.5")
    try:
        seen = []
        while first.poll() is None:
            seen += [(row["status"], row["pages_fetched"]) for row in crawl_rows(base)]
            time.sleep(0.5)
        assert first.returncode == 0
        running = [pages for status, pages in seen if status == "running"]
        assert len(running) >= 2 and running[-1] > running[0]  # it watched the crawl progress
        assert crawl_rows(base)[0]["status"] == "finished"
    finally:
        first.kill()
        first.communicate()


def crawl_rows(base: str) -> list[dict]:
    """The crawls table through Datasette (none before the crawl creates it)."""
    try:
        with urllib.request.urlopen(f"{base}/archive/crawls.json?_shape=array", timeout=10) as page:
            return json.load(page)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return []
        raise


def wait_until_running(db, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if query(db, "select count(*) from crawls where status = 'running'") == [(1,)]:
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.1)
    raise AssertionError("the crawl did not start")
