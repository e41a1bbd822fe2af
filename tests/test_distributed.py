"""Workers sharing a Redis frontier and one writer: every article stored once, none lost to a crash.

A real redis-server runs on 127.0.0.1 for the module; workers and the writer are real processes
(`archiwum worker`, `archiwum writer`); portals are the replicas.
"""
from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import redis

from scraper.demo.gold import gold_articles
from scraper.demo.server import ReplicaServer
from scraper.demo.sites import DEMO_SITES
from scraper.cli.demo import demo_sources
from scraper.distributed.crawl import Frontier, Keys, Tally, Writer, item_from_json, item_json, store_chain
from scraper.items import Page
from scraper.registry.sources import to_toml
from tests.conftest import REPO, free_port
from tests.gold_helpers import by_path, find_stored, stored_articles

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


def start_worker(registry, redis_url: str, crawl: str, tmp_path, name: str) -> subprocess.Popen:
    settings = [arg for name_value in WORKER_SETTINGS.items()
                for arg in ("-s", "=".join(name_value))]
    return start("worker", "--registry", str(registry), "--redis", redis_url, "--crawl", crawl,
                 "--lease-timeout", LEASE_TIMEOUT_S, "--log-file", str(tmp_path / f"{name}.log"),
                 *settings)


def start_writer(registry, redis_url: str, crawl: str, db) -> subprocess.Popen:
    return start("writer", "--db", str(db), "--registry", str(registry), "--redis", redis_url,
                 "--crawl", crawl, "--idle-exit", "1")


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=PROCESS_TIMEOUT_S)
    assert process.returncode == 0, output[-3000:]
    return output


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
    assert redis.Redis.from_url(redis_url).keys("two:*") == []  # the next crawl starts afresh


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
    first.store.process(item_from_json(data))
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


def test_an_unreachable_redis_is_one_clear_line(registry):
    worker = start("worker", "--registry", str(registry), "--redis", f"redis://127.0.0.1:{free_port()}/0")
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 2
    assert output.startswith("archiwum: error: cannot reach Redis at")
    assert len(output.strip().splitlines()) == 1
