"""Crawl benchmark: `archiwum crawl` against the bare Scrapy spider on one generated portal served by nginx.

Both crawlers run one after the other in the same run with the same settings; pages/s is pages
fetched (Scrapy's `response_received_count`) over wall time from start to exit, and over the
crawl's CPU time. The RSS of each crawl's process tree is sampled every RSS_INTERVAL_S seconds.

    uv run python bench/crawl.py [--pages 20000] [--profile] [--keep DIR] [-s NAME=VALUE ...]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import nginx  # noqa: E402
import portal  # noqa: E402
import table  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
ARCHIWUM = VENV_BIN / "archiwum"
BARE_SPIDER = REPO / "bench" / "bare_spider.py"

# The same for both crawlers: no politeness delay, one local host, concurrency as measured in MEASUREMENTS.md.
SHARED_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": "False",
}
RSS_INTERVAL_S = 0.5
RSS_CHECKPOINTS = (0.25, 0.5, 0.75, 1.0)
PAGES_STAT = re.compile(r"'response_received_count': (\d+)")
ERRORS_STAT = re.compile(r"'downloader/exception_count': (\d+)")
STAGE_CPU_STAT = re.compile(r"'stage_process/cpu_seconds': ([\d.]+)")
TARGET_SPEED_RATIO = 0.8
TARGET_PEAK_RSS_MB = 300
# "Flat": RSS at the end of the crawl at most this much above RSS at a quarter of it.
FLAT_RSS_GROWTH = 0.10
FULL_PAGES = 20_000
PROFILE_PAGES = 3000
# `archiwum crawl --url` stops at the registry's default page budget (5,000), less than the portal.
BENCH_SOURCE = "bench-portal"
PAGE_BUDGET_MARGIN = 100
REGISTRY_TEMPLATE = """[bench-portal]
name = "Miasto Przykładowo — MOPS (benchmark portal)"
kind = "welfare_centre"
city = "Przykładowo"
voivodeship = "mazowieckie"
start_urls = ["{url}"]
max_pages = {max_pages}
"""
LOG_TAIL_CHARS = 2000


@dataclass
class CrawlRun:
    name: str
    seconds: float
    pages: int
    exit_code: int
    cpu_seconds: float
    download_errors: int
    rss_samples: list[tuple[float, float]] = field(repr=False)  # (seconds since start, MB)
    stage_cpu_seconds: float = 0.0  # the part of cpu_seconds spent in the stage process
    articles: int | None = None

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def pages_per_cpu_s(self) -> float:
        return self.pages / self.cpu_seconds if self.cpu_seconds else 0.0

    def cpu_ms_per_page(self) -> str:
        """`crawl process + stage process` when the stages ran in their own process."""
        ms = [(self.cpu_seconds - self.stage_cpu_seconds) * 1000 / self.pages]
        if self.stage_cpu_seconds:
            ms.append(self.stage_cpu_seconds * 1000 / self.pages)
        return " + ".join(f"{part:.1f}" for part in ms) if self.pages else "—"

    @property
    def peak_rss_mb(self) -> float:
        return max((mb for _, mb in self.rss_samples), default=0.0)

    def peak_rss_until(self, fraction: float) -> float:
        """The peak so far: a sample taken while the process frees memory at exit says nothing."""
        moment = self.seconds * fraction
        return max((mb for at, mb in self.rss_samples if at <= moment), default=0.0)

    @property
    def rss_checkpoints_mb(self) -> list[float]:
        return [round(self.peak_rss_until(f), 1) for f in RSS_CHECKPOINTS]

    @property
    def rss_growth(self) -> float:
        first, *_, last = self.rss_checkpoints_mb
        return last / first - 1 if first else 0.0

    def summary(self) -> dict:
        data = asdict(self)
        del data["rss_samples"]
        return data | {
            "pages_per_s": round(self.pages_per_s, 1),
            "pages_per_cpu_s": round(self.pages_per_cpu_s, 1),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "rss_checkpoints_mb": self.rss_checkpoints_mb,
            "rss_growth": round(self.rss_growth, 3),
        }


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def tree_rss_mb(root: int) -> float:
    tree, pending, total = children_of(), [root], 0
    while pending:
        pid = pending.pop()
        total += rss_kb(pid)
        pending.extend(tree.get(pid, ()))
    return total / 1024


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_sampled(name: str, command: list[str], log: Path, cwd: Path = REPO) -> CrawlRun:
    """Run a crawl command to completion, sampling the RSS of its process tree."""
    samples: list[tuple[float, float]] = []
    cpu_before = children_cpu_seconds()
    with log.open("w") as log_file:
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, cwd=cwd)
        while process.poll() is None:
            samples.append((time.monotonic() - start, tree_rss_mb(process.pid)))
            time.sleep(RSS_INTERVAL_S)
        seconds = time.monotonic() - start
    text = log.read_text(errors="replace")
    if process.returncode:
        print(f"{name} crawl exited with {process.returncode}:\n{text[-LOG_TAIL_CHARS:]}", file=sys.stderr)
    cpu_seconds = children_cpu_seconds() - cpu_before
    return CrawlRun(name, seconds, last_stat(PAGES_STAT, text), process.returncode, cpu_seconds,
                    last_stat(ERRORS_STAT, text), samples, last_stat(STAGE_CPU_STAT, text, float))


def last_stat(pattern: re.Pattern, log_text: str, kind: type = int):
    """A figure from the stats Scrapy dumps at the end of its log (0 when absent)."""
    values = pattern.findall(log_text)
    return kind(values[-1]) if values else kind(0)


def setting_args(settings: dict[str, str]) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def bare_command(url: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "runspider", str(BARE_SPIDER), "-a", f"url={url}",
            *setting_args(SHARED_SETTINGS)]


def bench_registry(url: str, pages: int, path: Path) -> Path:
    """A one-source registry for the portal: like `--url`, but with a page budget that fits it."""
    path.write_text(REGISTRY_TEMPLATE.format(url=url, max_pages=pages + PAGE_BUDGET_MARGIN), encoding="utf-8")
    return path


def archiwum_command(url: str, pages: int, work: Path, settings: dict[str, str] | None = None) -> list[str]:
    registry = bench_registry(url, pages, work / "sources.toml")
    return [str(ARCHIWUM), "crawl", BENCH_SOURCE, "--registry", str(registry), "--db", str(work / "archive.db"),
            *setting_args(SHARED_SETTINGS | (settings or {}))]


def count_articles(db: Path) -> int | None:
    if not db.exists():
        return None
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from articles").fetchone()[0]


def crawl_archiwum(url: str, site: portal.Portal, work: Path, settings: dict[str, str]) -> CrawlRun:
    run = run_sampled("archiwum", archiwum_command(url, site.pages, work, settings), work / "archiwum.log")
    run.articles = count_articles(work / "archive.db")
    return run


def speed_rows(ours: CrawlRun, bare: CrawlRun) -> list[dict]:
    return [speed_row("crawl pages/s (wall clock)", ours.pages_per_s, bare.pages_per_s),
            # On a busy machine wall time depends on the neighbours; CPU time much less.
            speed_row("crawl pages per CPU-second", ours.pages_per_cpu_s, bare.pages_per_cpu_s),
            # Fetching and the stages overlap on two cores: the busier process bounds pages/s.
            table.row("CPU ms per page (crawl process + stage process)", ours.cpu_ms_per_page(),
                      bare.cpu_ms_per_page())]


def speed_row(metric: str, ours: float, bare: float) -> dict:
    ratio = ours / bare if bare else 0.0
    return table.row(metric, round(ours, 1), round(bare, 1), round(ratio, 2), f"≥ {TARGET_SPEED_RATIO} × bare",
                     ratio >= TARGET_SPEED_RATIO)


def coverage_rows(ours: CrawlRun, bare: CrawlRun, site: portal.Portal) -> list[dict]:
    return [
        table.row("pages fetched", ours.pages, bare.pages, target=f"{site.pages:,} in portal",
                  passed=min(ours.pages, bare.pages) >= site.pages),
        table.row("articles stored", ours.articles, site.articles, target="all", passed=ours.articles == site.articles),
        table.row("download errors (timeouts, refused)", ours.download_errors, bare.download_errors, target="0",
                  passed=ours.download_errors == bare.download_errors == 0),
    ]


def checkpoints(run: CrawlRun) -> str:
    return " / ".join(f"{mb:.0f}" for mb in run.rss_checkpoints_mb)


def memory_rows(ours: CrawlRun, bare: CrawlRun) -> list[dict]:
    return [
        table.row("peak RSS MB", round(ours.peak_rss_mb, 1), round(bare.peak_rss_mb, 1),
                  target=f"< {TARGET_PEAK_RSS_MB}", passed=ours.peak_rss_mb < TARGET_PEAK_RSS_MB),
        table.row("peak RSS MB by 25/50/75/100 % of the crawl", checkpoints(ours), checkpoints(bare),
                  round(1 + ours.rss_growth, 2), f"flat (≤ +{FLAT_RSS_GROWTH:.0%})",
                  ours.rss_growth <= FLAT_RSS_GROWTH),
    ]


def benchmark(article_count: int, work: Path, settings: dict[str, str]) -> dict:
    site = portal.write_portal(work / "site", article_count)
    with nginx.serve(site.root, work / "nginx") as url:
        # Outside the repository, so that its scrapy.cfg (the project's settings) does not apply.
        bare = run_sampled("bare", bare_command(url), work / "bare.log", cwd=work)
        ours = crawl_archiwum(url, site, work, settings)
    rows = speed_rows(ours, bare) + coverage_rows(ours, bare, site) + memory_rows(ours, bare)
    return {
        "name": "crawl",
        "portal": {"pages": site.pages, "articles": site.articles, "other_pages": site.other_pages},
        "settings": SHARED_SETTINGS,
        "archiwum_settings": settings,
        "runs": [ours.summary(), bare.summary()],
        "rows": rows,
    }


def profile(article_count: int, work: Path, output: Path, settings: dict[str, str]) -> None:
    """Run `archiwum crawl` under pyinstrument on a smaller portal; write the text report.

    The stages run in the crawl process, so that the profile shows them beside the fetching."""
    site = portal.write_portal(work / "site", article_count)
    with nginx.serve(site.root, work / "nginx") as url:
        in_process = {"ARCHIWUM_STAGE_PROCESS": "False"} | settings
        command = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(output), "--show-all",
                   *archiwum_command(url, site.pages, work, in_process)]
        subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    print(f"profile of {site.pages} pages written to {output}")


@contextlib.contextmanager
def workdir(keep: Path | None) -> Iterator[Path]:
    if keep:
        keep.mkdir(parents=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="archiwum-bench-") as tmp:
        yield Path(tmp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, help=f"article pages in the portal (default {FULL_PAGES:,}, "
                        f"with --profile {PROFILE_PAGES:,})")
    parser.add_argument("--results", type=Path, default=RESULTS, help="directory for crawl.json")
    parser.add_argument("--profile", action="store_true",
                        help="profile archiwum crawl with pyinstrument instead; writes profile.txt")
    parser.add_argument("--keep", type=Path, help="work in this new directory and keep it (portal, logs, archive)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the archiwum crawl only, e.g. ARCHIWUM_STAGE_PROCESS=False")
    args = parser.parse_args()
    settings = dict(pair.split("=", 1) for pair in args.settings)
    args.results.mkdir(parents=True, exist_ok=True)
    with workdir(args.keep) as work:
        if args.profile:
            profile(args.pages or PROFILE_PAGES, work, args.results / "profile.txt", settings)
            return
        result = benchmark(args.pages or FULL_PAGES, work, settings)
    (args.results / "crawl.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(table.render(result["rows"]))


if __name__ == "__main__":
    main()
