"""Load benchmark of the served archive: ordinary searches while some clients attack it.

    uv run python bench/load.py [--db archive.db] [--clients 4] [--seconds 120] [--hostile 0.1]
                                [--public] [--quick]

Serves the archive (default: the demo archive, crawled first from the replicas on ephemeral
ports) with scraper.web.serve.datasette_args, then runs two phases with `--clients` client
threads each: a reference phase of ordinary searches only (a quarter of `--seconds`), and the
mixed phase (`--seconds`) where a `--hostile` share of the requests are written to exhaust the
server (HOSTILE: over-long searches and query strings, SQL that builds huge values or calls the
index's functions on every row pair, the ranked-search canned query, POSTs). Ordinary searches
are the UI's search page for one to three words of the archive's titles, half of them typed
without Polish letters. Prints a table (ordinary-search p95 in each phase, their ratio, the
server's peak RSS, what the hostile requests got) and writes bench/results/load.json. Targets:
ordinary p95 < 1 s and server RSS < 500 MB under the mixed load. `--quick`: 4 × 20 s.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from bench.table import render, row  # noqa: E402
from scraper.archive.search_index import WORD, fold  # noqa: E402
from scraper.web.clients import UNLIMITED  # noqa: E402
from scraper.web.serve import datasette_args  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_P95_S = 1.0
TARGET_RSS = 500 * 1024 * 1024
BUILD_DEMO = """
import sys
from scraper.cli.demo import LOCAL_CRAWL_SETTINGS, demo_sources
from scraper.crawl.runner import crawl_and_report
from scraper.demo.server import ReplicaServer
from scraper.demo.sites import DEMO_SITES
with ReplicaServer(DEMO_SITES) as replicas:  # ephemeral ports
    sys.exit(crawl_and_report(demo_sources(replicas), sys.argv[1], LOCAL_CRAWL_SETTINGS))
"""


def demo_archive(directory: Path) -> Path:
    db = directory / "archive.db"
    done = subprocess.run([sys.executable, "-c", BUILD_DEMO, str(db)], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"load: crawling the demo replicas failed ({last}); give --db")
    return db


def title_words(db: Path) -> list[str]:
    titles = [r["title"] or "" for r in sqlite_utils.Database(db).query("select title from articles")]
    return sorted({w for title in titles for w in WORD.findall(title) if len(w) >= 5 and w.isalpha()})


def ordinary_search(words: list[str], rng: random.Random) -> tuple[str, str, bytes | None]:
    chosen = rng.sample(words, rng.randint(1, 3))
    query = " ".join(fold(w) if rng.random() < 0.5 else w for w in chosen)
    return "search", "/archive/articles?" + urllib.parse.urlencode({"_search": query}), None


def gibberish(rng: random.Random, n: int) -> str:
    """`n` distinct words of letters that each have a Polish variant: the most respellings."""
    return " ".join("".join(rng.choice("acelnosz") for _ in range(rng.randint(8, 12)))
                    for _ in range(n))


def sql(query: str) -> str:
    return "/archive.json?" + urllib.parse.urlencode({"sql": query})


HOSTILE = {
    "150-word search": lambda rng: "/archive/articles?" + urllib.parse.urlencode(
        {"_search": gibberish(rng, 150)}),
    "32-word search": lambda rng: "/archive/articles?" + urllib.parse.urlencode(
        {"_search": gibberish(rng, 32)}),
    "60 KB query string": lambda rng: "/archive/articles?city=" + "x" * 60_000,
    "printf 200 MB": lambda rng: sql("select printf('%.*c', 200000000, 'x')"),
    "snippet on row triples": lambda rng: sql(
        "select count(archiwum_snippet(a.body, 'seniorzy lodz')) "
        "from articles a, articles b, articles c"),
    "archiwum_match 150 words": lambda rng: sql(f"select archiwum_match('{gibberish(rng, 150)}')"),
    "ranked search": lambda rng: "/archive/search?" + urllib.parse.urlencode(
        {"q": rng.choice(["pomoc", "seniorzy", "miasto", "mieszkancow"]), "city": "",
         "since": "", "until": ""}),
    "POST": lambda rng: "POST",
}


def request(base: str, path: str, data: bytes | None) -> tuple[int, float]:
    started = time.perf_counter()
    target = base + ("/archive/articles" if path == "POST" else path)
    try:
        with urllib.request.urlopen(urllib.request.Request(
                target, data=b"x=1" if path == "POST" else data), timeout=120) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def run_phase(base: str, words: list[str], clients: int, seconds: float, hostile: float,
              seed: int) -> dict[str, list[tuple[int, float]]]:
    """Clients in threads until `seconds` pass; results by kind ("search" or a HOSTILE name)."""
    results: dict[str, list[tuple[int, float]]] = collections.defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int):
        rng = random.Random(seed * 100 + n)
        while time.monotonic() < deadline:
            if rng.random() < hostile:
                kind = rng.choice(sorted(HOSTILE))
                path, data = HOSTILE[kind](rng), None
            else:
                kind, path, data = ordinary_search(words, rng)
            outcome = request(base, path, data)
            with lock:
                results[kind].append(outcome)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class RssSampler(threading.Thread):
    """The server's resident set size every 0.1 s; `.peak` in bytes (and the kernel's VmHWM)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def field(self, name: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1]) * 1024
        return 0

    def run(self):
        while self.running:
            try:
                self.peak = max(self.peak, self.field("VmRSS:"), self.field("VmHWM:"))
            except OSError:
                return
            time.sleep(0.1)


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1] if len(seconds) >= 2 else max(seconds, default=0.0)


def serve(db: Path, public: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # The clients all come from 127.0.0.1: the per-client limit (scraper/web/clients.py) is off,
    # as this measures what the requests cost, not how one address is held back.
    process = subprocess.Popen(datasette_args(db, port=port, public=public, web_settings=UNLIMITED), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if request(base, "/-/versions.json", None)[0] == 200:
            return process, base
        time.sleep(0.1)
    raise SystemExit("Datasette did not start")


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def table(reference: dict, mixed: dict, rss: int, args) -> tuple[list[dict], bool]:
    ordinary = [s for _, s in mixed["search"]]
    base = [s for _, s in reference["search"]]
    mixed_p95, base_p95 = p95(ordinary), p95(base)
    failed = sum(status != 200 for status, _ in mixed["search"])
    rows = [
        row(f"ordinary search p95 s ({len(ordinary)} under {args.hostile:.0%} hostile, "
            f"{failed} not 200)", mixed_p95, base_p95, mixed_p95 / base_p95 if base_p95 else None,
            f"< {TARGET_P95_S:g} s", mixed_p95 < TARGET_P95_S and not failed),
        row("ordinary search max s", max(ordinary, default=0.0), max(base, default=0.0)),
        row("server peak RSS MB", rss / 2**20, None, None, f"< {TARGET_RSS // 2**20} MB",
            rss < TARGET_RSS),
    ]
    for kind in sorted(HOSTILE):
        outcomes = mixed.get(kind, [])
        statuses = ",".join(f"{s}×{n}" for s, n in sorted(collections.Counter(s for s, _ in outcomes).items()))
        rows.append(row(f"hostile: {kind} (status×n: {statuses or 'none sent'}) median s",
                        statistics.median([s for _, s in outcomes]) if outcomes else None))
    return rows, all(r["pass"] is not False for r in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the archive (default: crawl the demo replicas)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--hostile", type=float, default=0.1, help="share of hostile requests")
    parser.add_argument("--public", action="store_true", help="serve as `archiwum serve --public`")
    parser.add_argument("--quick", action="store_true", help="20 s instead of --seconds")
    args = parser.parse_args()
    seconds = 20 if args.quick else args.seconds
    with tempfile.TemporaryDirectory() as directory:
        db = args.db or demo_archive(Path(directory))
        words = title_words(db)
        process, base = serve(db, args.public)
        sampler = RssSampler(process.pid)
        sampler.start()
        try:
            reference = run_phase(base, words, args.clients, seconds / 4, 0.0, seed=1)
            mixed = run_phase(base, words, args.clients, seconds, args.hostile, seed=2)
        finally:
            sampler.running = False
            sampler.join()
            process.terminate()
            process.wait(timeout=10)
    rows, passed = table(reference, mixed, sampler.peak, args)
    print(f"{args.clients} clients × {seconds:g} s ({seconds / 4:g} s reference without hostile "
          f"requests), {len(words)} title words, {'public' if args.public else 'SQL allowed'}")
    print(render(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps({"rows": rows}, indent=1, ensure_ascii=False))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
