"""The item stages in their own process (scraper/crawl/stage_process.py): same archive, clean failures, no orphans."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from faultserver import FaultServer
from plaincrawl import archiwum_crawl
from scraper.cli.demo import LOCAL_CRAWL_SETTINGS, demo_sources
from scraper.demo.pathological import PAGES as PATHOLOGICAL
from scraper.registry.sources import to_toml
from tests.conftest import REPO, archiwum

LOCAL = [arg for name, value in LOCAL_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
SLOW = ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS=1"]
# What the stages decide, and what the crawls table reports of it.
ARTICLE_COLUMNS = ("id", "source", "title", "published", "updated", "author", "body", "content_hash",
                   "views", "duplicate_of", "topics", "city")
STAGE_STATS = ("clean/", "dates/", "dedupe/", "store/", "item_")


@pytest.fixture(scope="module")
def server():
    server = FaultServer()
    yield server
    server.close()


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def demo_crawl(replicas, tmp_path: Path, stage_process: bool) -> Path:
    """The four seed portals' replicas crawled as `archiwum demo` does, stages in or out of process."""
    registry = tmp_path / "sources.toml"
    registry.write_text(to_toml(demo_sources(replicas)), encoding="utf-8")
    db = tmp_path / f"stage-process-{stage_process}.db"
    archiwum("crawl", "--registry", str(registry), "--db", str(db), *LOCAL,
             "-s", f"ARCHIWUM_STAGE_PROCESS={stage_process}", check=True)
    return db


def stage_stats(db: Path) -> dict:
    stats = json.loads(query(db, "select stats from crawls")[0][0])
    return {key: value for key, value in stats.items() if key.startswith(STAGE_STATS)}


def test_the_archive_is_the_same_with_the_stages_in_their_own_process(replicas, tmp_path):
    inside, outside = (demo_crawl(replicas, tmp_path, mode) for mode in (False, True))
    # The url column is left out: an article copied on two Starachowice subdomains is stored under
    # the copy fetched first, which depends on the order the servers answer in, not on the stages.
    rows = f"select {', '.join(ARTICLE_COLUMNS)} from articles order by id"
    assert query(outside, rows) == query(inside, rows)
    assert len(query(outside, rows)) > 40
    counters = "select status, exit_status, pages_fetched, articles_new, error_count from crawls"
    assert query(outside, counters) == query(inside, counters)
    assert stage_stats(outside) == stage_stats(inside)
    assert stage_stats(outside)["clean/not_article"] > 0
    assert learned_templates(outside) == learned_templates(inside)


def learned_templates(db: Path) -> dict:
    """Each source's template as what it has seen (the crawl order lists its pages differently)."""
    templates = {source: json.loads(data) for source, data in query(db, "select source, data from site_templates")}
    return {source: (t["pages_seen"], sorted(t["pages"]), t["blocks"]) for source, t in templates.items()}


def stage_process_of(pid: int) -> int | None:
    """The pid of the crawl's stage process, once it runs."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if parent == pid and b"scraper.crawl.stage_process" in command:
            return int(stat.parent.name)
    return None


def start_slow_crawl(server, db: Path) -> tuple[subprocess.Popen, int]:
    """A crawl of the test portal at ten pages a second, and its stage process once it has stored one article."""
    crawl = subprocess.Popen(archiwum_crawl(server.url("/portal/"), db, *SLOW), cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and crawl.poll() is None:
        child = stage_process_of(crawl.pid)
        if child and db.exists() and query(db, "select count(*) from articles")[0][0]:
            return crawl, child
        time.sleep(0.1)
    crawl.kill()
    raise AssertionError(f"no article stored: {crawl.communicate()[1][-2000:]}")


def gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or "State:\tZ" in Path(f"/proc/{pid}/status").read_text():
            return True
        time.sleep(0.05)
    return False


def test_a_dead_stage_process_stops_the_crawl_with_one_clear_line(server, tmp_path):
    db = tmp_path / "archive.db"
    crawl, child = start_slow_crawl(server, db)
    os.kill(child, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == 1
    assert "the item stages stopped (the stage process was killed by signal 9)" in err
    assert "Traceback" not in err
    assert out.startswith("crawl failed: the item stages stopped (the stage process was killed by signal 9):")
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select status, exit_status from crawls") == [("failed", 1)]
    stored = query(db, "select count(*) from articles where title != '' and body != '' and published")[0][0]
    assert 0 < stored == query(db, "select count(*) from articles")[0][0] < server.articles
    archiwum("crawl", "--url", server.url("/portal/"), "--db", str(db), *LOCAL, check=True)
    assert query(db, "select count(*) from articles") == [(server.articles,)]


def test_a_crawl_killed_with_kill_9_leaves_no_stage_process_behind(server, tmp_path):
    crawl, child = start_slow_crawl(server, tmp_path / "archive.db")
    crawl.kill()
    crawl.communicate()
    assert gone(child, seconds=10), "the stage process outlived its crawl"
    assert query(tmp_path / "archive.db", "pragma integrity_check") == [("ok",)]


# --- pages that make a stage raise or stall (tests/trouble_stages.py) ---------------------------

RAISES, STALLS, LAST = 3, 7, 29  # article numbers
TROUBLE_STAGES = ",".join(["pipelines.clean.CleanPipeline", "pipelines.dates.DatesPipeline",
                           "tests.trouble_stages.Trouble", "pipelines.dedupe.DedupePipeline",
                           "pipelines.store.StorePipeline"])


@pytest.fixture(scope="module")
def troubled_server():
    server = FaultServer(trouble={RAISES: "raise", STALLS: "stall"})
    yield server
    server.close()


@pytest.fixture(scope="module")
def stalling_server():
    server = FaultServer(trouble={LAST: "stall"})  # on the last listing page: others are stored first
    yield server
    server.close()


def trouble_crawl(server, db: Path, *options: str) -> list[str]:
    return archiwum_crawl(server.url("/portal/"), db, "-s", f"ARCHIWUM_STAGES={TROUBLE_STAGES}", *options)


@pytest.mark.timeout(240)
def test_a_page_that_raises_or_stalls_costs_that_page_only(troubled_server, tmp_path):
    db = tmp_path / "archive.db"
    result = subprocess.run(trouble_crawl(troubled_server, db, "-s", "ARCHIWUM_PAGE_TIME_LIMIT=3"),
                            cwd=REPO, capture_output=True, text=True, timeout=200)
    assert result.returncode == 1, result.stderr[-3000:]
    [line] = result.stdout.strip().splitlines()
    assert line.startswith("crawl finished with 2 errors:")
    assert "2 errors (1 item_error/OverflowError, 1 page_too_slow)" in line
    slow = troubled_server.url(f"/portal/artykul/{STALLS}.html")
    assert f"page too slow: {slow} took over 3 s in the item stages" in result.stderr
    # every other article is stored: the pages queued behind the slow one went to a new stage process
    assert query(db, "select count(*) from articles") == [(troubled_server.articles - 2,)]
    [(status, exit_status, errors, error_count)] = query(db, "select status, exit_status, errors, error_count from crawls")
    assert (status, exit_status, error_count) == ("finished", 1, 2)
    assert json.loads(errors) == {"item_error/OverflowError": 1, "page_too_slow": 1}
    fates = dict(query(db, "select url, fate || ': ' || detail from page_fates"))
    assert fates[slow] == "too slow: page_too_slow"
    assert fates[troubled_server.url(f"/portal/artykul/{RAISES}.html")] == "failed: item_error/OverflowError"
    assert fates[troubled_server.url("/portal/artykul/8.html")] == "stored: new"
    assert sum(fate.startswith("stored") for fate in fates.values()) == troubled_server.articles - 2
    explained = archiwum("explain", slow, "--db", str(db), check=True).stdout
    assert "by crawl 1 (started " in explained and "finished): too slow (page_too_slow)" in explained
    unknown = archiwum("explain", troubled_server.url("/portal/nowhere.html"), "--db", str(db))
    assert unknown.returncode == 1 and "not known to this archive" in unknown.stdout


def start_stalled_crawl(server, db: Path, flag: Path) -> tuple[subprocess.Popen, int]:
    """A crawl whose stage process is busy on a page that takes an hour."""
    crawl = subprocess.Popen(trouble_crawl(server, db, "-s", f"TROUBLE_STALL_FLAG={flag}"), cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and crawl.poll() is None and not flag.exists():
        time.sleep(0.1)
    child = stage_process_of(crawl.pid)
    if not flag.exists() or child is None:
        crawl.kill()
        raise AssertionError(f"the stage process never reached the slow page: {crawl.communicate()[1][-2000:]}")
    return crawl, child


@pytest.mark.timeout(180)
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGTERM to the process group"])
def test_a_signal_ends_the_crawl_within_10_s_whatever_the_stages_do(stalling_server, tmp_path, how):
    """`timeout`, systemd, Ctrl-C (SIGINT to the group; the stage process leaves it to the crawl) and
    a SIGTERM to every process of the crawl: each ends it within 10 s, as interrupted."""
    db = tmp_path / "archive.db"
    crawl, child = start_stalled_crawl(stalling_server, db, tmp_path / "stalled")
    stored = query(db, "select count(*) from articles")
    signalled = time.monotonic()
    if how.endswith("group"):
        os.killpg(crawl.pid, signal.SIGTERM)
    else:
        crawl.send_signal(getattr(signal, how))
    out, err = crawl.communicate(timeout=30)
    assert time.monotonic() - signalled < 10, err[-2000:]
    assert gone(child, seconds=5), "the stage process outlived its crawl"
    assert crawl.returncode == 1
    assert out.startswith("crawl stopped: interrupted (SIGINT or SIGTERM):")
    assert out.rstrip().endswith(f"pages not processed → {db}")  # those queued behind the slow page
    assert "Traceback" not in err
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select status, exit_status from crawls") == [("interrupted", 1)]
    assert query(db, "select count(*) from articles") == stored > [(0,)]  # what was stored stays


@pytest.mark.timeout(180)
def test_kill_9_of_the_crawl_alone_leaves_no_busy_stage_process(stalling_server, tmp_path):
    crawl, child = start_stalled_crawl(stalling_server, tmp_path / "archive.db", tmp_path / "stalled")
    crawl.kill()
    crawl.communicate()
    assert gone(child, seconds=5), "the stage process outlived its crawl"


@pytest.mark.timeout(600)
def test_a_portal_of_pathological_pages_is_crawled_to_the_end(tmp_path):
    """Pages of up to 5 MB that once froze a crawl for minutes (scraper/demo/pathological.py): every
    one ends with a recorded fate, in time or not, and the portal's articles behind them are stored."""
    server = FaultServer()
    db = tmp_path / "archive.db"
    try:
        result = subprocess.run(archiwum_crawl(server.url("/patho/"), db, "-s", "ARCHIWUM_PAGE_TIME_LIMIT=10"),
                                cwd=REPO, capture_output=True, text=True, timeout=540)
    finally:
        server.close()
    [line] = result.stdout.strip().splitlines()
    assert line.startswith("crawl finished"), result.stderr[-3000:]
    assert result.returncode == (0 if line.startswith("crawl finished:") else 1)
    assert query(db, "select status, exit_status from crawls") == [("finished", result.returncode)]
    portal = query(db, "select count(*) from articles where url like '%/portal/artykul/%'")
    assert portal == [(server.articles,)]
    fates = dict(query(db, "select url, fate from page_fates where url like '%/patho/_%'"))
    assert sorted(url.rsplit("/", 1)[1] for url in fates) == sorted(PATHOLOGICAL)
    print({url.rsplit("/", 1)[1]: fate for url, fate in fates.items()})  # what the stages make of each today


@pytest.mark.timeout(120)
def test_a_download_in_flight_does_not_hold_a_stopping_crawl(tmp_path):
    """Scrapy's graceful shutdown waits for the downloads under way: a page dripped at one byte a
    second would hold it for DOWNLOAD_TIMEOUT (30 s)."""
    server = FaultServer()
    db = tmp_path / "archive.db"
    try:
        crawl = subprocess.Popen(archiwum_crawl(server.url("/fault/drip"), db), cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not server.hits().get("/fault/drip"):
            time.sleep(0.1)
        time.sleep(1)
        signalled = time.monotonic()
        crawl.send_signal(signal.SIGTERM)
        out, err = crawl.communicate(timeout=60)
    finally:
        server.close()
    assert time.monotonic() - signalled < 10, err[-2000:]
    assert out.startswith("crawl stopped: interrupted (SIGINT or SIGTERM):")
    assert query(db, "select status, exit_status from crawls") == [("interrupted", 1)]
