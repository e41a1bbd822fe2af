"""Workers sharing a Redis frontier and one writer: every article stored once, none lost to a crash.

A real redis-server runs on 127.0.0.1 for the module; workers and the writer are real processes
(`archiwum worker`, `archiwum writer`); portals are the replicas.
"""
from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from scraper.demo import documents
from scraper.demo.gold import gold_articles
from scraper.demo.server import ReplicaServer
from scraper.demo.sites import DEMO_SITES
from scraper.cli.demo import demo_sources
from scraper.distributed.budget import SharedPageBudget
from scraper.distributed.frontier import Frontier, Keys
from scraper.distributed.items import item_from_json, item_json
from scraper.distributed.writer import Tally, Writer, store_chain
from scraper.items import Page
from scraper.registry.sources import Source, to_toml
from tests.aliasportal import AliasPortal
from tests.conftest import REPO, archiwum, free_port
from tests.faultserver import FaultServer
from tests.filehosts import ARTICLE, FileHost
from tests.gold_helpers import by_path, find_stored, local_path, stored_articles
from tests.smallportals import ListingPortal, PressPortals
from tests.test_stage_process import TROUBLE_STAGES, query

# Slow enough that a worker always holds leased requests when it is killed.
WORKER_SETTINGS = {"DOWNLOAD_DELAY": "0.1", "AUTOTHROTTLE_ENABLED": "False",
                   "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "LOG_LEVEL": "INFO"}
LEASE_TIMEOUT_S = "2"
PROCESS_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def redis_url():
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for_redis(url, server)
    yield url
    server.terminate()
    server.wait(timeout=10)


def wait_for_redis(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert server.poll() is None, "redis-server exited"
        try:
            redis.Redis.from_url(url).ping()
            return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise AssertionError("redis-server did not answer")


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """A registry file whose sources point at the replicas (workers are separate processes)."""
    with ReplicaServer(DEMO_SITES) as replicas:
        path = tmp_path_factory.mktemp("registry") / "sources.toml"
        path.write_text(to_toml(demo_sources(replicas)), encoding="utf-8")
        yield path


def start(command: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scraper.cli.main", command, *args],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def setting_args(settings: dict) -> list[str]:
    return [arg for name_value in settings.items() for arg in ("-s", "=".join(name_value))]


def start_worker(registry, redis_url: str, crawl: str, tmp_path, name: str,
                 settings: dict | None = None) -> subprocess.Popen:
    return start("worker", "--registry", str(registry), "--redis", redis_url, "--crawl", crawl,
                 "--lease-timeout", LEASE_TIMEOUT_S, "--log-file", str(tmp_path / f"{name}.log"), "--wait", "60",
                 "--state", str(tmp_path / "worker-state"),
                 *setting_args(WORKER_SETTINGS | {"ARCHIWUM_WARC_DIR": str(tmp_path / "warc")} | (settings or {})))


def start_writer(registry, redis_url: str, crawl: str, db) -> subprocess.Popen:
    return start("writer", "--db", str(db), "--registry", str(registry), "--redis", redis_url,
                 "--crawl", crawl, "--idle-exit", "1", "--lease-timeout", LEASE_TIMEOUT_S)


def finish(process: subprocess.Popen, status: int = 0) -> str:
    output, _ = process.communicate(timeout=PROCESS_TIMEOUT_S)
    assert process.returncode == status, output[-3000:]
    return output


def write_registry(tmp_path, sources) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(to_toml(sources), encoding="utf-8")
    return path


def pages_fetched(worker_output: str) -> int:
    return int(re.search(r"(\d+) pages fetched", worker_output).group(1))


def assert_every_article_stored_once(db) -> None:
    rows = stored_articles(db)
    stored = by_path(rows)
    golds = [gold for site in DEMO_SITES for gold in gold_articles(site)]
    missing = [gold["path"] for gold in golds if not find_stored(gold, stored)]
    assert not missing, f"not archived: {missing}"
    assert len(rows) == len(golds)
    assert len({r["id"] for r in rows}) == len(rows)


def wait_until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_two_workers_store_every_article_exactly_once(registry, redis_url, tmp_path):
    db = tmp_path / "archive.db"
    workers = [start_worker(registry, redis_url, "two", tmp_path, f"w{i}") for i in (1, 2)]
    writer = start_writer(registry, redis_url, "two", db)
    outputs = [finish(worker) for worker in workers]
    assert "0 recovered" in finish(writer)
    assert all(pages_fetched(output) > 0 for output in outputs), outputs  # both did share the work
    assert_every_article_stored_once(db)
    client = redis.Redis.from_url(redis_url)
    assert client.hget("two:plan", "status") == b"finished"
    assert {k.decode() for k in client.keys("two:*")} <= {"two:plan", "two:progress", "two:stats"}  # work keys gone


def test_a_worker_killed_mid_crawl_leaves_no_article_missing(registry, redis_url, tmp_path):
    db = tmp_path / "archive.db"
    client = redis.Redis.from_url(redis_url)
    keys = Keys("kill")
    victim = start_worker(registry, redis_url, "kill", tmp_path, "victim")
    survivor = start_worker(registry, redis_url, "kill", tmp_path, "survivor")
    writer = start_writer(registry, redis_url, "kill", db)
    victim_lease = keys.lease(f"{socket.gethostname()}:{victim.pid}")
    # mid-crawl: links found on fetched pages, and the victim holding requests
    wait_until(lambda: client.scard(keys.dupefilter) >= 20 and client.hlen(victim_lease) > 0, seconds=60)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    assert client.hlen(victim_lease) > 0  # requests in flight when it died
    finish(survivor)
    finish(writer)
    assert_every_article_stored_once(db)
    assert "scheduler/reclaimed/redis" in (tmp_path / "survivor.log").read_text()
    assert not client.exists(victim_lease)


def test_a_restarted_writer_stores_its_unacknowledged_item_once(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    keys = Keys("restart")
    page = Page(url="http://mops.example.pl/aktualnosci/1-dzien-seniora", source="mops",
                html="", fetched_at="2026-11-23T01:00:00+00:00", id="mops:1",
                title="Dzień Seniora w Klubie „Złota Jesień”", body="Zapraszamy seniorów na spotkanie.",
                content_hash="h1")
    client.lpush(keys.items, item_json(page))

    def writer(tally: Tally) -> Writer:
        return Writer(client, keys, store_chain(str(tmp_path / "archive.db"), [], tally), lease_timeout=30)

    first = writer(Tally())
    data = client.blmove(keys.items, keys.processing, 1, "RIGHT", "LEFT")
    first.store.process(item_from_json(data)[0])
    first.store.close()  # committed, then the writer died before acknowledging

    tally = Tally()
    second = writer(tally)
    assert second.recover() == 1
    second.store.close()
    rows = stored_articles(tmp_path / "archive.db")
    assert [(r["id"], r["title"]) for r in rows] == [("mops:1", "Dzień Seniora w Klubie „Złota Jesień”")]
    assert {key: n for key, n in tally.counts.items() if key.startswith("store/")} == {"store/unchanged": 1}
    assert client.llen(keys.processing) == 0


def test_a_silent_workers_requests_go_back_to_the_frontier(redis_url):
    frontier = Frontier(redis.Redis.from_url(redis_url), Keys("reclaim"))
    for n in range(3):
        assert frontier.push(f"request {n}".encode(), score=n, fingerprint=f"fp{n}")
    assert not frontier.push(b"request 0 again", score=0, fingerprint="fp0")
    frontier.heartbeat("dead")
    taken = [frontier.take("dead"), frontier.take("dead")]
    assert taken == [b"request 0", b"request 1"] and frontier.queued() == 1 and frontier.busy()
    assert frontier.reclaim(timeout=60) == 0  # still within its lease
    time.sleep(0.01)
    assert frontier.reclaim(timeout=0) == 2
    assert frontier.queued() == 3 and frontier.leased() == 0
    assert frontier.take("alive") == b"request 0"


def test_a_second_writer_of_a_crawl_is_refused_with_one_line(registry, redis_url, tmp_path):
    first = start_writer(registry, redis_url, "busy", tmp_path / "a.db")
    client = redis.Redis.from_url(redis_url)
    wait_until(lambda: client.hget("busy:plan", "status") == b"running")
    second = start("writer", "--db", str(tmp_path / "b.db"), "--registry", str(registry), "--redis", redis_url,
                   "--crawl", "busy")
    output, _ = second.communicate(timeout=60)
    assert second.returncode == 3
    assert output.startswith("archiwum: error: crawl 'busy' already has a writer (")
    assert len(output.strip().splitlines()) == 1
    first.send_signal(signal.SIGTERM)  # stopped before any worker came: the crawls row says so
    output, _ = first.communicate(timeout=60)
    assert first.returncode == 1 and output.startswith("writer shutdown"), output
    status = sqlite3.connect(tmp_path / "a.db").execute("select status from crawls").fetchall()
    assert status == [("stopped",)]


def test_a_worker_whose_registry_lacks_a_source_of_the_crawl_says_so(registry, redis_url):
    redis.Redis.from_url(redis_url).hset("other:plan", mapping={"status": "running", "sources": "gdansk,nie-ma"})
    worker = start("worker", "--registry", str(registry), "--redis", redis_url, "--crawl", "other")
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 2
    assert output.strip() == ("archiwum: error: crawl 'other' has sources this worker's registry lacks: nie-ma "
                              "(give every worker the writer's --registry)")


def test_status_of_a_crawl_never_opened_says_so(redis_url):
    result = archiwum("status", "--redis", redis_url, "--crawl", "never")
    assert (result.returncode, result.stdout) == (1, "crawl 'never': never started here (no writer has opened it)\n")


def test_an_unreachable_redis_is_one_clear_line(registry):
    worker = start("worker", "--registry", str(registry), "--redis", f"redis://127.0.0.1:{free_port()}/0")
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 2
    assert output.startswith("archiwum: error: cannot reach Redis at")
    assert len(output.strip().splitlines()) == 1


# --- what one process does across the crawl: page budgets, errors, near-duplicates ----------------

BUDGET = 12


def test_a_page_budget_holds_for_the_whole_crawl_not_per_worker(redis_url, tmp_path):
    """Six listings of eight articles each, a budget of 12 pages: the two workers together follow
    12 pages, and the crawl's rows say the budget was reached."""
    portal = ListingPortal(listings=6, per_listing=8, listing_s=0.5)  # slow listings: both workers read some
    registry = write_registry(tmp_path, [portal.source("gmina-listy", max_pages=BUDGET)])
    db = tmp_path / "archive.db"
    try:
        workers = [start_worker(registry, redis_url, "budget", tmp_path, f"w{i}", {"CONCURRENT_REQUESTS": "1"})
                   for i in (1, 2)]
        writer = start_writer(registry, redis_url, "budget", db)
        outputs = [finish(worker) for worker in workers]
        finish(writer)
    finally:
        portal.close()
    assert all(pages_fetched(output) > 1 for output in outputs), outputs  # both read listings
    followed = [path for path in portal.fetched() if path not in ("/", "/robots.txt")]
    assert len(followed) == len(set(followed)) == BUDGET, sorted(followed)
    [(budget_reached, ended, pages)] = query(db, "select budget_reached, ended, pages from crawl_sources")
    assert (budget_reached, ended, pages) == (1, "page budget reached", BUDGET + 1)  # and the start page
    [(stats,)] = query(db, "select stats from crawls")
    assert json.loads(stats)["portal/page_budget_reached"] > 0
    status = archiwum("status", "--redis", redis_url, "--crawl", "budget").stdout
    assert re.search(r"gmina-listy .* page budget reached", status), status


def test_workers_budgets_are_one_count_and_charge_a_url_once(redis_url):
    """Two workers' budgets (one each) draw on one count; a URL one was charged for is free to the
    other (the shared fingerprints then drop it); over the budget, nothing more, and it is noted."""
    client = redis.Redis.from_url(redis_url)
    first, second = (SharedPageBudget(client, Keys("budgets"), MemoryStatsCollector(get_crawler())) for _ in "12")
    source = Source(id="bip", name="BIP", kind="bip", city="Testowo", voivodeship="mazowieckie",
                    start_urls=["http://bip.example.pl/"], max_pages=5)
    urls = [f"http://bip.example.pl/dokument/{n}" for n in range(8)]
    assert first.take(source, urls[:3]) == urls[:3]
    assert second.take(source, urls[1:6]) == urls[1:5]  # 1 and 2 free, 3 and 4 fill the budget
    assert first.take(source, [urls[0], urls[5], urls[6]]) == [urls[0]]
    assert client.hget(Keys("budgets").budget, "bip") == b"5"
    assert second.stats.get_value("source/bip/budget_reached") == 1 and first.stats.get_value(
        "portal/page_budget_reached") == 2


def test_errors_a_worker_meets_are_the_crawls_as_in_one_process(redis_url, tmp_path):
    """An item stage raising on one article in a worker: the writer's crawls row, crawl_sources,
    page_fates, summary line and exit status say so, worded as `archiwum crawl` words them."""
    server = FaultServer(trouble={3: "raise"})
    source = Source(id="testowo", name="Urząd Miasta Testowo", kind="city_hall", city="Testowo",
                    voivodeship="mazowieckie", start_urls=[server.url("/portal/")])
    registry = write_registry(tmp_path, [source])
    db = tmp_path / "archive.db"
    stages = {"ARCHIWUM_STAGES": TROUBLE_STAGES}
    try:
        workers = [start_worker(registry, redis_url, "errors", tmp_path, f"w{i}", stages) for i in (1, 2)]
        writer = start_writer(registry, redis_url, "errors", db)
        outputs = [worker.communicate(timeout=PROCESS_TIMEOUT_S)[0] for worker in workers]
        summary = finish(writer, status=1)
    finally:
        server.close()
    assert sorted(worker.returncode for worker in workers) == [0, 1], outputs  # the one that met it
    assert any(output.startswith("worker finished with 1 error:") for output in outputs), outputs
    assert summary.startswith("writer finished with 1 error:"), summary
    assert "1 errors (1 item_error/OverflowError)" in summary
    [(status, exit_status, errors, error_count)] = query(
        db, "select status, exit_status, errors, error_count from crawls")
    assert (status, exit_status, json.loads(errors), error_count) == ("finished", 1, {"item_error/OverflowError": 1}, 1)
    [(source_errors, ended)] = query(db, "select errors, ended from crawl_sources where source = 'testowo'")
    assert json.loads(source_errors) == {"item_error/OverflowError": 1} and ended == "finished"
    fates = dict(query(db, "select url, fate || ': ' || detail from page_fates"))
    assert fates[server.url("/portal/artykul/3.html")] == "failed: item_error/OverflowError"
    assert fates[server.url("/portal/artykul/8.html")].startswith("stored: new")  # maybe a near-duplicate too
    assert sum(fate.startswith("stored") for fate in fates.values()) == server.articles - 1
    assert query(db, "select distinct crawl_id from page_fates") == [(1,)]
    status = archiwum("status", "--redis", redis_url, "--crawl", "errors").stdout
    assert "crawl 'errors': finished with 1 error at " in status, status
    assert "errors: 1 errors (1 item_error/OverflowError)" in status
    assert re.search(r"testowo( +\d+){7} +1\n", status), status  # its errors column


def test_two_workers_copies_of_one_press_release_are_linked_as_one_process_links_them(redis_url, tmp_path):
    """The city hall's copy read by one worker, the welfare centre's by the other: the second
    stored is a near-duplicate of the first."""
    portals = PressPortals(slow_s=12)
    registry = write_registry(tmp_path, [portals.source("127.0.0.1", "urzad"), portals.source("localhost", "mops")])
    db = tmp_path / "archive.db"
    one_at_a_time = {"CONCURRENT_REQUESTS": "1"}
    try:
        writer = start_writer(registry, redis_url, "near", db)
        first = start_worker(registry, redis_url, "near", tmp_path, "w1", one_at_a_time)
        wait_until(lambda: any(path.startswith("/aktualnosci/") for path in portals.fetched()), 60)
        second = start_worker(registry, redis_url, "near", tmp_path, "w2", one_at_a_time)  # while w1 reads one copy
        outputs = [finish(first), finish(second)]
        finish(writer)
    finally:
        portals.close()
    assert all("1 items sent" in output for output in outputs), outputs  # one copy each
    links = dict(query(db, "select id, duplicate_of from articles"))
    [(copy, original)] = [(article_id, of) for article_id, of in links.items() if of]
    assert len(links) == 2 and original in links and links[original] is None, links


# --- two nights: the distributed crawl against the single-process one ---------------------------

# One download slot for all replicas (127.0.0.1), one for the alias portal (localhost), slower, so
# its request gaps are measured well above the test process's scheduling noise.
ALIAS_DELAY_S = 0.3
NIGHT_SETTINGS = {"DOWNLOAD_DELAY": "0.05", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
                  "DOWNLOAD_SLOTS": json.dumps({"localhost": {"delay": ALIAS_DELAY_S}})}


@pytest.fixture(scope="module")
def portals(tmp_path_factory):
    """The replicas plus a portal with URL aliases and a robots-disallowed area (tests/aliasportal.py)."""
    aliases = AliasPortal(host="localhost")
    with ReplicaServer(DEMO_SITES) as replicas:
        path = tmp_path_factory.mktemp("nights") / "sources.toml"
        path.write_text(to_toml([*demo_sources(replicas), aliases.source()]), encoding="utf-8")
        yield path, aliases
    aliases.close()


def single_process_night(registry, portal: AliasPortal, db, night: int) -> tuple[int, list[float]]:
    """`archiwum crawl`: the pages it fetched and when the alias portal got its requests."""
    portal.reset(night)
    result = archiwum("crawl", "--registry", str(registry), "--db", str(db), "--log-file", f"{db}.{night}.log",
                      *setting_args(NIGHT_SETTINGS | {"ARCHIWUM_WARC_DIR": f"{db}.warc"}), check=True)
    return int(re.search(r"(\d+) pages fetched", result.stdout).group(1)), [t for t, _ in portal.hits]


def distributed_night(registry, portal: AliasPortal, redis_url: str, db, tmp_path, night: int,
                      kill_one: bool = False) -> tuple[int, list[float], str]:
    """A writer and two workers (one killed and replaced midway if `kill_one`): pages fetched
    (the crawls row), arrival times at the alias portal, `archiwum status` while it ran."""
    portal.reset(night)
    crawl, client = "nights", redis.Redis.from_url(redis_url)
    writer = start("writer", "--db", str(db), "--registry", str(registry), "--redis", redis_url,
                   "--crawl", crawl, "--idle-exit", "1", "--lease-timeout", LEASE_TIMEOUT_S)
    settings = WORKER_SETTINGS | NIGHT_SETTINGS | {"ARCHIWUM_WARC_DIR": str(tmp_path / "warc")}

    def worker(name: str) -> subprocess.Popen:
        return start("worker", "--registry", str(registry), "--redis", redis_url, "--crawl", crawl,
                     "--lease-timeout", LEASE_TIMEOUT_S, "--log-file", str(tmp_path / f"{name}-{night}.log"),
                     "--wait", "60", "--state", str(tmp_path / "worker-state"), *setting_args(settings))

    keys = Keys(crawl)
    # the night before finished a moment ago: workers would take it that they came too late
    wait_until(lambda: client.hget(keys.plan, "status") == b"running", 60)
    workers = [worker("w1"), worker("w2")]
    victim_lease = keys.lease(f"{socket.gethostname()}:{workers[0].pid}")
    wait_until(lambda: client.hget(keys.plan, "status") == b"running" and client.zcard(keys.workers) > 0, 60)
    status = archiwum("status", "--redis", redis_url, "--crawl", crawl).stdout
    if kill_one:
        wait_until(lambda: client.scard(keys.dupefilter) >= 15 and client.hlen(victim_lease) > 0, 90)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        workers[0] = worker("w1-restarted")
    for process in workers:
        finish(process)
    finish(writer)
    pages = sqlite3.connect(db).execute("select pages_fetched from crawls order by id desc limit 1").fetchone()[0]
    return pages, [t for t, _ in portal.hits], status


def articles(db) -> dict[str, tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute("select id, source, url, title, body, published from articles").fetchall()
    conn.close()
    assert len({(source, body) for _, source, _, _, body, _ in rows}) == len(rows), "a duplicate row"
    # an article on two hosts of one portal (starachowice) is stored under the one fetched first
    return {article_id: (source, local_path(url), *rest) for article_id, source, url, *rest in rows}


def peak_rate(arrivals: list[float], window: float = 1.0) -> int:
    """The most requests that arrived within any `window` seconds."""
    arrivals = sorted(arrivals)
    return max((sum(1 for t in arrivals[i:] if t - start < window) for i, start in enumerate(arrivals)), default=0)


def least_gap(arrivals: list[float]) -> float:
    arrivals = sorted(arrivals)
    return min((b - a for a, b in zip(arrivals, arrivals[1:])), default=float("inf"))


def test_two_nights_distributed_store_what_one_process_stores(portals, redis_url, tmp_path):
    registry, portal = portals
    single, shared = tmp_path / "single.db", tmp_path / "shared.db"
    single_pages, single_arrivals = zip(*(single_process_night(registry, portal, single, night)
                                          for night in (1, 2)))
    assert portal.fetched("/admin/") == []
    first, first_arrivals, status = distributed_night(registry, portal, redis_url, shared, tmp_path, 1, kill_one=True)
    assert portal.fetched("/admin/") == []
    second, second_arrivals, _ = distributed_night(registry, portal, redis_url, shared, tmp_path, 2)
    assert portal.fetched("/admin/") == []

    single_articles, shared_articles = articles(single), articles(shared)
    assert {k: v for k, v in shared_articles.items() if single_articles.get(k) != v} == {}, single_articles
    assert shared_articles == single_articles
    assert second <= single_pages[1], (first, second, single_pages)
    # One process may start two requests to a portal half its delay apart (Scrapy's jitter); the
    # workers together never closer than that. (Arrival times carry the test process's scheduling
    # noise, tens of ms under load: hence the portal's own, larger delay.)
    gaps = [least_gap(a) for a in (*single_arrivals, first_arrivals, second_arrivals)]
    assert min(gaps[2:]) >= 0.5 * ALIAS_DELAY_S, gaps
    rates = [peak_rate(a) for a in (*single_arrivals, first_arrivals, second_arrivals)]
    assert "running since" in status and "workers: " in status and "ops-aliasy" in status
    after = archiwum("status", "--redis", redis_url, "--crawl", "nights").stdout
    assert "finished at" in after
    conn = sqlite3.connect(shared)
    crawls = conn.execute("select status, pages_fetched, stats from crawls order by id").fetchall()
    assert [row[0] for row in crawls] == ["finished", "finished"]
    portals_of_night_two = json.loads(crawls[1][2])["portals"]
    assert portals_of_night_two["ops-aliasy"]["new"] == 1
    assert any("scheduler/reclaimed/redis" in log.read_text() for log in tmp_path.glob("*-1.log"))
    hosts = conn.execute("select distinct host from warc_files").fetchall()
    assert hosts == [(socket.gethostname(),)]  # where the workers' captures lie
    warc_files = {row[0] for row in conn.execute("select warc_file from articles")}
    assert all(Path(name).is_file() for name in warc_files), warc_files
    print(f"pages: single {single_pages}, distributed ({first}, {second}); peak requests/s at the alias portal: "
          f"single {rates[:2]}, distributed {rates[2:]}; least gap (s): {[round(g, 3) for g in gaps]}")


BIP_TEXT = ["Zarządzenie Burmistrza w sprawie regulaminu świetlicy środowiskowej „Przystań”",
            "Świetlica przyjmuje dzieci z rodzin objętych wsparciem w godzinach popołudniowych."]
PORTAL_TEXT = ["Gminny program wspierania rodziny na lata 2024-2026 przyjęty przez Radę Gminy",
               "Program przewiduje zatrudnienie drugiego asystenta rodziny od września."]


def test_workers_fetch_the_attachments_of_the_articles_they_read_and_the_writer_stores_them(redis_url, tmp_path):
    """An article linking a document on its portal and one on the office's BIP (another host):
    the worker fetches both, the writer stores them and reads their text, the search finds the
    article by each; the next night's crawl does not fetch a known file again."""
    bip = FileHost("127.0.0.2", {"/robots.txt": (b"User-agent: *\nDisallow:\n", "text/plain"),
                                 "/pliki/zarzadzenie.pdf": (documents.text_pdf(BIP_TEXT),
                                                            "application/pdf")})
    links = (f'<li><a href="/pliki/program.pdf">Program</a></li>'
             f'<li><a href="{bip.url}pliki/zarzadzenie.pdf">Zarządzenie (BIP)</a></li>')
    portal = FileHost("127.0.0.1", {
        "/": (b'<html><body><a href="/a1.html">Program</a> <a href="/pliki/program.pdf">Program (PDF)</a>'
              b'</body></html>', "text/html; charset=utf-8"),
        "/a1.html": (ARTICLE.format(title="Program wspierania rodziny", date="03.04.2024", links=links).encode(),
                     "text/html; charset=utf-8"),
        "/pliki/program.pdf": (documents.text_pdf(PORTAL_TEXT),
                               "application/pdf")})
    registry = write_registry(tmp_path, [Source(id="gmina-docs", name="Gmina", kind="city_hall", city="Testowo",
                                                voivodeship="lubelskie", start_urls=[portal.url])])
    db = tmp_path / "archive.db"
    try:
        for night in (1, 2):
            writer = start_writer(registry, redis_url, "docs", db)
            # the night before finished a moment ago: a worker would take it that it came too late
            wait_until(lambda: redis.Redis.from_url(redis_url).hget(Keys("docs").plan, "status") == b"running", 60)
            worker = start_worker(registry, redis_url, "docs", tmp_path, f"w{night}")
            finish(worker)
            output = finish(writer)
            if night == 1:
                assert "attachments: 2 files noted, 2 documents read (2 pages, 0 by OCR), 0 errors" in output
    finally:
        portal.close()
        bip.close()
    for word in ("asystent rodziny", "swietlicy przystan"):
        found = archiwum("export", "--db", str(db), "--search", word, "--format", "json", check=True)
        assert [a["title"] for a in json.loads(found.stdout)] == ["Program wspierania rodziny"], word
    [(warc_file,)] = query(db, "select distinct warc_file from attachment_files")
    assert query(db, f"select count(*) from warc_files where file = '{warc_file}'") == [(1,)]  # which machine
    assert portal.asked.count("/pliki/program.pdf") == 1 and bip.asked.count("/pliki/zarzadzenie.pdf") == 1
    assert archiwum("attachments", "--db", str(db), check=True).stdout.startswith(
        "attachments: 0 files noted, 0 documents read")
