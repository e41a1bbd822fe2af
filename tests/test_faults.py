"""The real crawler against a misbehaving server: it finishes, reports what failed, stores clean text."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import time

import pytest
from warcio.archiveiterator import ArchiveIterator

from faultserver import FaultServer
from plaincrawl import archiwum_crawl
from scraper.archive import captures
from scraper.crawl.encoding import MOJIBAKE
from scraper.traps import MAX_GENERATIONS
from tests.conftest import REPO

FAULT_SETTINGS = ["-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl from /fault/ (which also links the portal and an endless calendar)."""
    server = FaultServer()
    db = tmp_path_factory.mktemp("faults") / "archive.db"
    started = time.monotonic()
    result = subprocess.run(archiwum_crawl(server.url("/fault/"), db, *FAULT_SETTINGS),
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    hits = server.hits()
    server.close()
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield {"result": result, "seconds": seconds, "hits": hits, "db": db, "conn": conn,
           "crawl": dict(conn.execute("select * from crawls").fetchone())}
    conn.close()


def test_the_crawl_finishes_with_a_summary_line(crawled):
    result = crawled["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = result.stdout.strip().splitlines()
    assert line.startswith("crawl finished:") and "30 new" in line


def test_final_failures_are_reported_by_kind(crawled):
    errors = json.loads(crawled["crawl"]["errors"])
    assert errors["http_404"] >= 1  # /fault/missing (and the guessed /sitemap.xml)
    assert errors["DownloadTimeoutError"] == 2  # /fault/timeout and /fault/drip, not retried
    assert errors["DownloadCancelledError"] == 2  # /fault/huge, with and without a length
    assert "http_500" not in errors and "http_429" not in errors  # retried, then fine


def test_each_page_not_fetched_is_recorded_with_why(crawled):
    fates = {url.split("/fault/")[-1]: (fate, detail) for url, fate, detail in
             crawled["conn"].execute("select url, fate, detail from page_fates where url like '%/fault/%'")}
    assert fates["missing"] == ("not fetched", "http_404")
    assert fates["timeout"] == fates["drip"] == ("not fetched", "DownloadTimeoutError")
    assert fates["flaky/a"][0] == "not an article"  # fetched on its retry, then read


def test_retries_and_redirects_reach_the_pages(crawled):
    hits = crawled["hits"]
    assert hits["/fault/flaky/a"] == 2 and hits["/fault/429/a"] == 2
    assert [hits[f"/fault/redirect/{n}"] for n in range(4)] == [1, 1, 1, 1]
    assert hits["/fault/loop/a"] + hits["/fault/loop/b"] <= 12  # a loop ends


def test_a_page_that_does_not_come_in_time_is_asked_for_once(crawled):
    hits = crawled["hits"]
    assert hits["/fault/drip"] == 1 and hits["/fault/timeout"] == 1  # each held a slot for one timeout


def test_a_path_that_branches_for_ever_is_cut_short(crawled):
    branches = [path for path in crawled["hits"] if path.startswith("/branch/")]
    assert 100 < len(branches) < 2 ** (MAX_GENERATIONS + 1)  # not the 5,000-page budget
    stats = json.loads(crawled["crawl"]["stats"])
    assert stats["politeness/trap/branching"] > 0


def test_the_endless_calendar_is_cut_short(crawled):
    months = [path for path in crawled["hits"] if path.startswith("/calendar/")]
    assert 1 < len(months) <= 36  # at most this year ± 1
    stats = json.loads(crawled["crawl"]["stats"])
    assert stats["politeness/trap/future_date"] + stats["politeness/trap/calendar"] >= 2


def test_a_resorted_listing_and_a_log_in_form_are_not_fetched(crawled):
    assert not [path for path in crawled["hits"] if "sort=" in path or "login" in path]
    stats = json.loads(crawled["crawl"]["stats"])
    assert stats["politeness/trap/sort_order"] >= 1 and stats["politeness/trap/account"] >= 1


def test_every_article_is_stored_without_mojibake(crawled):
    rows = crawled["conn"].execute("select url, title, body from articles").fetchall()
    assert len(rows) == 30  # utf-8, undeclared windows-1250, iso-8859-2 under a wrong header
    for row in rows:
        assert "świetlicy przy ulicy Źródlanej" in row["body"], row["url"]
        assert not MOJIBAKE.search(row["title"] + row["body"]), row["url"]


def test_every_response_is_in_the_warc(crawled):
    [warc] = (crawled["db"].parent / "warc").iterdir()
    with warc.open("rb") as stream:
        responses = [(record.rec_headers.get_header("WARC-Target-URI"), record.http_headers.get_statuscode())
                     for record in ArchiveIterator(stream) if record.rec_type == "response"]
    flaky = [status for url, status in responses if url.endswith("/fault/flaky/a")]
    assert flaky == ["500", "200"]
    hits = crawled["hits"]
    unanswered = hits["/fault/timeout"] + hits["/fault/huge"] + hits["/fault/huge?stream=1"]
    unanswered += hits["/fault/drip"]
    assert len(responses) == sum(hits.values()) - unanswered


def test_every_article_points_at_its_raw_record(crawled):
    rows = crawled["conn"].execute("select url, body, warc_file, warc_offset from articles").fetchall()
    for row in rows:
        with captures.capture_path(crawled["db"], row["warc_file"]).open("rb") as stream:
            stream.seek(row["warc_offset"])
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
            raw = record.content_stream().read()
        assert b"wietlicy przy ulicy " in raw  # the legacy bytes of "świetlicy przy ulicy Źródlanej"


def can_mount_a_tmpfs() -> bool:
    """A user and mount namespace of its own (util-linux `unshare`), where a crawl may mount a tmpfs."""
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30).returncode == 0
    except OSError:
        return False


@pytest.mark.skipif(not can_mount_a_tmpfs(), reason="needs `unshare -rm` (user namespaces) to mount a tmpfs")
def test_a_full_disk_is_reported_and_the_articles_still_stored(tmp_path):
    """The WARC folder on a 16 KB file system fills up after a few pages: every response not written
    is an error of the crawl; the pages themselves go on to the archive (without a WARC pointer)."""
    server = FaultServer()
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    warc.mkdir()
    crawl = archiwum_crawl(server.url("/portal/"), db, "-s", f"ARCHIWUM_WARC_DIR={warc}")
    full_disk = 'mount -t tmpfs -o size=16k tmpfs "$0" && exec "$@"'
    try:
        result = subprocess.run(["unshare", "-rm", "sh", "-c", full_disk, str(warc), *crawl], cwd=REPO,
                                capture_output=True, text=True, timeout=300)
    finally:
        server.close()
    assert result.returncode == 1, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    [(errors, error_count, status, exit_status)] = conn.execute(
        "select errors, error_count, status, exit_status from crawls").fetchall()
    lost = json.loads(errors)["warc_write_error"]
    assert lost > 10 and error_count == lost and (status, exit_status) == ("finished", 1)
    [line] = result.stdout.strip().splitlines()
    assert line.startswith(f"crawl finished with {lost} errors:") and f"{lost} errors ({lost} warc_write_error)" in line
    assert "WARC write failed for " in result.stderr and "No space left on device" in result.stderr
    stored, with_record = conn.execute("select count(*), count(warc_file) from articles").fetchone()
    assert stored == server.articles and with_record < stored
    conn.close()
