"""What a distributed crawl costs besides fetching: Redis memory per entry, the writer's store loop, the politeness gate.

    uv run python bench/redis_costs.py [--entries 200000] [--articles 2000]

Starts its own redis-server (no persistence) and prints one table: memory per million entries of the
fingerprint set, the frontier, the known-article hash and a page budget's URL set (`used_memory` before and after filling
each with URLs of ~80 characters, requests pickled as scrapy-redis does); articles per
CPU-second and per second of the writer's store loop (synthetic 600-word articles pushed to
Redis, then `Writer.store_next` until empty, into a fresh archive); microseconds per request of
the politeness gate and its release. No reference: these are capacity figures for docs/scaling.md.
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
from scrapy import Request
from scrapy_redis import picklecompat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import table  # noqa: E402
from pipelines.dedupe import content_hash  # noqa: E402
from scraper.distributed.budget import url_digest  # noqa: E402
from scraper.distributed.frontier import Keys  # noqa: E402
from scraper.distributed.items import item_json  # noqa: E402
from scraper.distributed.politeness import GATE  # noqa: E402
from scraper.distributed.worker import encode_known  # noqa: E402
from scraper.distributed.writer import Tally, Writer, store_chain  # noqa: E402
from scraper.items import Page  # noqa: E402
from tests.conftest import free_port  # noqa: E402

BATCH = 10_000
GATE_CALLS = 5_000
PARAGRAPH = "Miejski Ośrodek Pomocy Społecznej zaprasza seniorów na bezpłatne warsztaty cyfrowe w Klubie Seniora. " * 6


def url(n: int) -> str:
    return f"https://www.gmina-przykladowa.pl/aktualnosci/{n}-komunikat-osrodka-pomocy-spolecznej"


def fill(client: redis.Redis, count: int, add) -> float:
    """Bytes of Redis memory per entry that `add(pipeline, n)` adds."""
    before = client.info("memory")["used_memory"]
    pipeline = client.pipeline(transaction=False)
    for n in range(count):
        add(pipeline, n)
        if n % BATCH == BATCH - 1:
            pipeline.execute()
    pipeline.execute()
    return (client.info("memory")["used_memory"] - before) / count


def memory_rows(client: redis.Redis, count: int) -> list[dict]:
    fingerprint = lambda n: hashlib.sha1(url(n).encode()).hexdigest()  # noqa: E731
    request = lambda n: picklecompat.dumps(Request(url(n), meta={"source": "g1234567-portal", "depth": 3}).to_dict())  # noqa: E731
    per_entry = {
        "fingerprints (NAME:dupefilter)": fill(client, count, lambda p, n: p.sadd("m:dupefilter", fingerprint(n))),
        "frontier (NAME:requests)": fill(client, count, lambda p, n: p.zadd("m:requests", {request(n): 0})),
        "known articles (NAME:known)": fill(client, count, lambda p, n: p.hset("m:known", url(n),
                                                                               encode_known(fingerprint(n)[:16], True))),
        "page budget (NAME:budget:SOURCE)": fill(client, count, lambda p, n: p.sadd("m:budget:s", url_digest(url(n)))),
    }
    return [table.row(f"Redis MB per million entries, {name}", round(size * 1e6 / 2**20))
            for name, size in per_entry.items()]


def writer_rows(client: redis.Redis, articles: int) -> list[dict]:
    keys = Keys("bench")
    for n in range(articles):
        title, body = f"Warsztaty {n}", f"Komunikat nr {n}. " + "\n\n".join([PARAGRAPH] * 4)
        client.lpush(keys.items, item_json(Page(
            url=f"http://mops.example.pl/aktualnosci/{n}", source="mops", html="", title=title, body=body,
            fetched_at="2026-12-03T01:00:00+00:00", canonical_url=f"http://mops.example.pl/aktualnosci/{n}",
            id=f"mops:{n}", content_hash=content_hash(title, body))))
    with tempfile.TemporaryDirectory() as tmp:
        store = store_chain(str(Path(tmp) / "archive.db"), [], Tally())
        writer = Writer(client, keys, store, lease_timeout=30)
        wall, cpu = time.perf_counter(), time.process_time()
        while writer.store_next(timeout=0.1):
            pass
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        store.close()
    return [table.row("writer store loop, articles per CPU-second", round(articles / cpu)),
            table.row("writer store loop, articles per second (wall)", round(articles / wall))]


def gate_rows(client: redis.Redis) -> list[dict]:
    gate = client.register_script(GATE)
    start = time.perf_counter()
    for n in range(GATE_CALLS):
        gate(keys=["g:polite:h", "g:inflight:h"], args=[0, 1_000, f"t{n}", 40_000])
        client.zrem("g:inflight:h", f"t{n}")
    return [table.row("politeness gate + release, µs per request", round((time.perf_counter() - start) / GATE_CALLS * 1e6))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--articles", type=int, default=2_000)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        rows = memory_rows(client, args.entries) + writer_rows(client, args.articles) + gate_rows(client)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(table.render(rows))


if __name__ == "__main__":
    main()
