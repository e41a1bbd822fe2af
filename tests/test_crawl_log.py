"""The crawls table: one row per run, what it fetched and what went wrong; live progress on a tty."""
from __future__ import annotations

import json
import os
import pty
import re
import sqlite3
import subprocess
import time

import plaincrawl
from scraper.crawl.runner import summary
from scraper.crawl.stats import Outcome, crawl_outcome, errors_by_kind
from faultserver import fault_server  # noqa: F401

LOG_ONLY = {"DOWNLOADER_MIDDLEWARES": {}, "SPIDER_MIDDLEWARES": {},
            "EXTENSIONS": {"scraper.crawl.log.CrawlLog": 500}}
QUICK_FAULTS = {"DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1}


def crawls(db_path) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute("select * from crawls order by id")]
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        conn.close()


def test_a_run_leaves_one_complete_row(fault_server, tmp_path):  # noqa: F811
    db = tmp_path / "archive.db"
    faults = ["missing", "timeout", "flaky/log", "429/log", "huge", "redirect/2"]
    _, stats = plaincrawl.run(tmp_path / "out", [fault_server.url(f"/fault/{f}") for f in faults],
                              **LOG_ONLY, **QUICK_FAULTS, ARCHIWUM_DB=str(db))
    [row] = crawls(db)
    assert row["status"] == "finished" and row["finish_reason"] == "finished"
    assert row["exit_status"] == 0
    assert row["started_at"] <= row["finished_at"]
    assert json.loads(row["sources"]) == ["follow"]
    assert row["pages_fetched"] == stats["response_received_count"] == 4  # final responses
    # retried with success: the 500 and the 429; redirects are no errors
    assert json.loads(row["errors"]) == {"http_404": 1, "DownloadTimeoutError": 1,
                                         "DownloadCancelledError": 1}
    assert row["error_count"] == 3


def test_a_killed_run_is_marked_interrupted_by_the_next(fault_server, tmp_path):  # noqa: F811
    db = tmp_path / "archive.db"
    slow = {**LOG_ONLY, "ARCHIWUM_DB": str(db), "ARCHIWUM_CRAWL_LOG_INTERVAL": 0.2,
            "DOWNLOAD_DELAY": 0.2, "CONCURRENT_REQUESTS": 1}
    crawl = subprocess.Popen(plaincrawl.command(tmp_path / "out", [fault_server.url("/portal/")], **slow),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: db.exists() and any(r["pages_fetched"] >= 3 for r in crawls(db)))
    crawl.kill()
    crawl.wait()
    [killed] = crawls(db)
    assert killed["status"] == "running" and killed["finished_at"] is None
    plaincrawl.run(tmp_path / "out", [fault_server.url("/fault/missing")], **LOG_ONLY, ARCHIWUM_DB=str(db))
    killed, after = crawls(db)
    assert killed["status"] == "interrupted" and killed["pages_fetched"] >= 3
    assert after["status"] == "finished"
    conn = sqlite3.connect(db)
    per_source = conn.execute("select crawl_id, ended from crawl_sources where source = 'follow' "
                              "order by crawl_id").fetchall()
    conn.close()
    assert per_source[0] == (killed["id"], "interrupted")  # its per-source rows were kept while it ran
    assert per_source[1][0] == after["id"] and per_source[1][1] not in ("running", "interrupted")


def test_progress_line_on_a_terminal_only(fault_server, tmp_path):  # noqa: F811
    settings = {**LOG_ONLY, "ARCHIWUM_DB": str(tmp_path / "a.db"), "ARCHIWUM_PROGRESS": "auto",
                "DOWNLOAD_DELAY": 0.1, "CONCURRENT_REQUESTS": 1}
    urls = [fault_server.url("/portal/")]
    on_tty = run_on_terminal(plaincrawl.command(tmp_path / "out", urls, **settings))
    assert re.search(r"\r\x1b\[K\d\d pages · 0 articles .* · 0 errors · [\d.]+ pages/s\r\n", on_tty)
    assert on_tty.count("pages/s") >= 3  # redrawn while it ran
    assert not re.search(r"pages/s[^\r\n]", on_tty)  # log lines do not run into it
    piped = subprocess.run(plaincrawl.command(tmp_path / "out", urls, **settings),
                           capture_output=True, text=True, timeout=60)
    assert "pages/s" not in piped.stderr


def run_on_terminal(command: list[str]) -> str:
    """Run with stderr on a pseudo-terminal; returns what was drawn there."""
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def wait_until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_each_error_is_counted_once_and_named_in_one_wording():
    stats = {"finish_reason": "finished", "response_received_count": 40,
             "spider_exceptions/count": 2, "spider_exceptions/KeyError": 2,
             "errors/item_error/OverflowError": 1, "errors/page_too_slow": 1, "errors/warc_write_error": 3,
             "downloader/response_status_count/404": 2}
    assert errors_by_kind(stats) == {"http_404": 2, "item_error/OverflowError": 1, "page_too_slow": 1,
                                     "spider_KeyError": 2, "warc_write_error": 3}
    assert crawl_outcome(stats) == Outcome("finished", "finished with 7 errors", 1)
    assert summary(stats, "a.db").startswith("crawl finished with 7 errors: 40 pages fetched, ")
    assert summary(stats, "a.db").endswith(
        "7 errors (1 item_error/OverflowError, 1 page_too_slow, 2 spider_KeyError, 3 warc_write_error), "
        "2 pages not fetched (2 http_404) → a.db")
    portal_failures_only = {"finish_reason": "finished", "response_received_count": 40,
                            "downloader/response_status_count/404": 2}
    assert crawl_outcome(portal_failures_only) == Outcome("finished", "finished", 0)
    assert crawl_outcome({"finish_reason": "closespider_timeout", "response_received_count": 9}) == Outcome(
        "stopped", "stopped: the crawl's time limit was reached (CLOSESPIDER_TIMEOUT)", 1)
    assert crawl_outcome({"response_received_count": 9}).words == "stopped: interrupted (SIGINT or SIGTERM)"
    assert crawl_outcome({"finish_reason": "finished"}).words == "failed: no page could be fetched"
