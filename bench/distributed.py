"""Distributed crawl benchmark: `archiwum worker` ×1 and ×2 with `archiwum writer`, against references.

The references: `archiwum crawl` (Scrapy's in-memory scheduler) and one worker on plain
scrapy-redis (destructive pops, no leases: what reliability costs). All four runs crawl the same
generated portal (bench/portal.py) served by nginx, one after the other in the same run, with
the same settings (bench/crawl.py SHARED_SETTINGS). Pages/s is pages fetched (sum of the workers'
`response_received_count`) over wall time from start until the last worker exits; CPU time is
that of every process of the crawl (workers and writer). The capacity rows derive nightly hours
for all Polish gminas from these figures and the assumptions below.

    uv run python bench/distributed.py [--pages 3000]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import redis

from scraper.registry.gminas import read_gminas

sys.path.insert(0, str(Path(__file__).parent))

import crawl as crawl_bench  # noqa: E402
import nginx  # noqa: E402
import portal  # noqa: E402
import table  # noqa: E402

REPO = crawl_bench.REPO
RESULTS = REPO / "bench" / "results"
GMINAS_SAMPLE = REPO / "tests" / "data" / "gminas_sample.csv"
DRAIN_TIMEOUT_S = 600
LOG_TAIL_CHARS = 3000
# scrapy-redis alone measured ~30 % below the in-memory scheduler (MEASUREMENTS.md: 108 vs 158).
TARGET_ONE_WORKER_RATIO = 0.6
TARGET_TWO_WORKER_SCALING = 1.3
TARGET_LEASE_COST = 0.9  # leases may cost at most 10 % of plain scrapy-redis's pages per CPU-second
PLAIN_SCHEDULER = "scrapy_redis.scheduler.Scheduler"

# Capacity assumptions (not measured here): the size of the job and what politeness allows.
GMINAS = 2477
NEW_PAGES_PER_SOURCE_NIGHT = 30    # listings re-read plus new articles, an incremental night
FIRST_CRAWL_PAGES_PER_SOURCE = 1500
POLITE_SECONDS_PER_PAGE = 1.0      # settings.py DOWNLOAD_DELAY, one request at a time per portal
PORTAL_LATENCY_S = 0.5             # a small municipal server answering over the internet
CONCURRENT_REQUESTS = 16           # settings.py, per worker
NIGHT_HOURS = 8
CORES = os.cpu_count() or 1


@dataclass
class Run(crawl_bench.CrawlRun):
    """A crawl run, with what this benchmark adds: the archive's size and the writer's CPU time."""
    db_bytes: int | None = None
    writer_cpu_seconds: float | None = None


@contextlib.contextmanager
def redis_server(work: Path):
    port = nginx.free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(work)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for(lambda: ping(url))
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def ping(url: str) -> bool:
    try:
        return redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        return False


def wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(0.05)


def archiwum(*args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(crawl_bench.ARCHIWUM), *args], cwd=REPO,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)


def db_size(db: Path) -> int | None:
    if not db.exists():
        return None
    with sqlite3.connect(db) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    return db.stat().st_size


def single_machine(url: str, site: portal.Portal, work: Path) -> Run:
    run = crawl_bench.run_sampled("archiwum crawl", crawl_bench.archiwum_command(url, site.pages, work),
                                  work / "crawl.log")
    db = work / "archive.db"
    return Run(**vars(run) | {"articles": crawl_bench.count_articles(db)}, db_bytes=db_size(db))


def distributed(url: str, site: portal.Portal, work: Path, redis_url: str, workers: int,
                scheduler: str | None = None) -> Run:
    """Workers and a writer on a fresh crawl; `scheduler` replaces the leased one (for reference)."""
    name = f"{workers}w" + ("-plain" if scheduler else "")
    settings = crawl_bench.SHARED_SETTINGS | ({"SCHEDULER": scheduler} if scheduler else {})
    registry = crawl_bench.bench_registry(url, site.pages, work / f"{name}.toml")
    db = work / f"{name}.db"
    common = ["--registry", str(registry), "--redis", redis_url, "--crawl", name]
    cpu_before = crawl_bench.children_cpu_seconds()
    start = time.monotonic()
    logs = [work / f"{name}-worker{i}.log" for i in range(workers)]
    crawlers = [archiwum("worker", *common,
                         *crawl_bench.setting_args(settings), log=log) for log in logs]
    writer_log = work / f"{name}-writer.log"
    writer = archiwum("writer", crawl_bench.BENCH_SOURCE, "--db", str(db), *common, "--idle-exit", "1",
                      log=writer_log)
    for process in crawlers:
        process.wait()
    seconds = time.monotonic() - start
    cpu_workers = crawl_bench.children_cpu_seconds()
    writer.wait(timeout=DRAIN_TIMEOUT_S)  # it closes the crawl once stored and no worker is left
    cpu_after = crawl_bench.children_cpu_seconds()
    for process, log in zip([*crawlers, writer], [*logs, writer_log]):
        if process.returncode:
            print(f"{log.name} exited with {process.returncode}:\n{log.read_text()[-LOG_TAIL_CHARS:]}",
                  file=sys.stderr)
    texts = [log.read_text() for log in logs]
    return Run(f"archiwum worker ×{workers} + writer" + (f" ({scheduler})" if scheduler else ""),
               seconds, sum(crawl_bench.last_stat(crawl_bench.PAGES_STAT, text) for text in texts),
               max(p.returncode for p in [*crawlers, writer]), cpu_after - cpu_before,
               sum(crawl_bench.last_stat(crawl_bench.ERRORS_STAT, text) for text in texts), rss_samples=[],
               articles=crawl_bench.count_articles(db), db_bytes=db_size(db),
               writer_cpu_seconds=cpu_after - cpu_workers)


def sources_per_gmina() -> float:
    sources = read_gminas(GMINAS_SAMPLE)
    return len(sources) / len({s.teryt for s in sources})


def speed_rows(reference: Run, plain: Run, one: Run, two: Run) -> list[dict]:
    one_ratio, scaling = one.pages_per_s / reference.pages_per_s, two.pages_per_s / one.pages_per_s
    lease_cost = one.pages_per_cpu_s / plain.pages_per_cpu_s
    return [
        table.row("pages per CPU-second, 1 worker, leased (vs plain scrapy-redis)", round(one.pages_per_cpu_s, 1),
                  round(plain.pages_per_cpu_s, 1), round(lease_cost, 2), f"≥ {TARGET_LEASE_COST} ×",
                  lease_cost >= TARGET_LEASE_COST),
        table.row("pages/s, 1 worker (vs archiwum crawl)", round(one.pages_per_s, 1),
                  round(reference.pages_per_s, 1), round(one_ratio, 2), f"≥ {TARGET_ONE_WORKER_RATIO} ×",
                  one_ratio >= TARGET_ONE_WORKER_RATIO),
        table.row("pages/s, 2 workers (vs 1 worker)", round(two.pages_per_s, 1), round(one.pages_per_s, 1),
                  round(scaling, 2), f"≥ {TARGET_TWO_WORKER_SCALING} × ({CORES} cores)",
                  scaling >= TARGET_TWO_WORKER_SCALING),
        table.row("pages per CPU-second, 1 worker + writer (vs crawl)", round(one.pages_per_cpu_s, 1),
                  round(reference.pages_per_cpu_s, 1), round(one.pages_per_cpu_s / reference.pages_per_cpu_s, 2)),
        table.row("pages per CPU-second, 2 workers + writer (vs 1 worker)", round(two.pages_per_cpu_s, 1),
                  round(one.pages_per_cpu_s, 1), round(two.pages_per_cpu_s / one.pages_per_cpu_s, 2)),
        table.row("articles stored, 1 / 2 workers (vs crawl)", f"{one.articles} / {two.articles}",
                  reference.articles, target="all, once",
                  passed=one.articles == two.articles == reference.articles),
    ]


def capacity_rows(one: Run, per_gmina: float) -> list[dict]:
    """Nightly hours for every gmina on one machine of CORES workers: the slowest of three bounds."""
    sources = GMINAS * per_gmina
    per_core = one.pages_per_cpu_s
    writer_per_core = one.articles / one.writer_cpu_seconds
    mb_per_1000 = one.db_bytes / one.articles * 1000 / 2**20
    rows = [
        table.row("pages/s per core (1 worker + writer, CPU time)", round(per_core, 1)),
        table.row("articles stored per writer CPU-second (one writer for all)", round(writer_per_core, 1)),
        table.row("archive.db MB per 1,000 articles (with FTS)", round(mb_per_1000, 2)),
        table.row(f"sources for {GMINAS:,} gminas ({per_gmina:.2f} per gmina in the sample)", round(sources)),
    ]
    for label, pages_per_source in (("incremental night", NEW_PAGES_PER_SOURCE_NIGHT),
                                    ("first full crawl", FIRST_CRAWL_PAGES_PER_SOURCE)):
        pages = sources * pages_per_source
        bounds = {
            "CPU": pages / (per_core * CORES) / 3600,
            "network": pages / (CONCURRENT_REQUESTS * CORES / PORTAL_LATENCY_S) / 3600,
            "politeness": pages_per_source * POLITE_SECONDS_PER_PAGE / 3600,
            "writer": pages * one.articles / one.pages / writer_per_core / 3600,
        }
        hours = max(bounds.values())
        detail = ", ".join(f"{name} {value:.2f} h" for name, value in bounds.items())
        rows.append(table.row(f"hours, {label}, {pages_per_source} pages/source ({detail})",
                              round(hours, 2), target=f"≤ {NIGHT_HOURS} h", passed=hours <= NIGHT_HOURS))
    return rows


def benchmark(article_count: int, work: Path) -> dict:
    site = portal.write_portal(work / "site", article_count)
    with nginx.serve(site.root, work / "nginx") as url, redis_server(work) as redis_url:
        reference = single_machine(url, site, work)
        plain = distributed(url, site, work, redis_url, workers=1, scheduler=PLAIN_SCHEDULER)
        one = distributed(url, site, work, redis_url, workers=1)
        two = distributed(url, site, work, redis_url, workers=2)
    rows = speed_rows(reference, plain, one, two) + capacity_rows(one, sources_per_gmina())
    return {
        "name": "distributed",
        "portal": {"pages": site.pages, "articles": site.articles},
        "settings": crawl_bench.SHARED_SETTINGS,
        "runs": [{k: v for k, v in asdict(run).items() if k != "rss_samples"}
                 | {"pages_per_s": round(run.pages_per_s, 1), "pages_per_cpu_s": round(run.pages_per_cpu_s, 1)}
                 for run in (reference, plain, one, two)],
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3000, help="article pages in the portal")
    parser.add_argument("--results", type=Path, default=RESULTS, help="directory for distributed.json")
    args = parser.parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="archiwum-bench-distributed-") as tmp:
        result = benchmark(args.pages, Path(tmp))
    (args.results / "distributed.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(table.render(result["rows"]))


if __name__ == "__main__":
    main()
