"""Pathological pages through the spider and every item stage: ms and MB per page per stage.

Each page is generated (scraper/demo/pathological.py; nothing is committed), up to ~5 MB
(DOWNLOAD_MAXSIZE is 8 MB): the kinds of page that BIP registers, visitor statistics and careless
CMSes serve. Each runs in a
fresh process (after one ordinary article, so imports and tables are loaded), through
`PortalSpider.parse_page` (every link it yields made a request) and then the stages of ARCHIWUM_STAGES in order, with a
fresh archive; wall time per step, and the peak RSS above the process's RSS before the page
(sampled every 5 ms). A step that takes longer than --timeout seconds on a page is stopped and
reported.
The reference is lxml parsing the same page once (what any HTML tool pays for it).

Target: each page through all steps in ≤ 2 s and ≤ 150 MB above the baseline.

    uv run python bench/pathological.py [--only table_50k,...] [--timeout 60]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import table  # noqa: E402
from scraper.demo.pathological import BASE_URL, ORDINARY, PAGES  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_MB = 150.0
SPIDER = "spider"


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """The highest RSS seen since `reset`, sampled by a thread (a step may allocate and free)."""

    def __init__(self):
        self.peak = rss_mb()
        self.running = True
        threading.Thread(target=self.sample, daemon=True).start()

    def sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.005)

    def reset(self) -> float:
        self.peak = rss_mb()
        return self.peak


def spider_item(outputs):
    """The page's item, after every link the spider yields is made a request (what a crawl pays)."""
    from scrapy.http import Request
    return next(output for output in list(outputs) if not isinstance(output, Request))


def run_page(name: str, html: str, results) -> None:
    """In a fresh process: the spider and each stage on one ordinary page, then on this one."""
    from lxml import html as lxml_html
    from scrapy.exceptions import DropItem
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from scraper import settings
    from scraper.crawl.memory import tune_gc
    from scraper.crawl.stages import StageChain, StageContext
    from spiders.portal import PortalSpider

    with tempfile.TemporaryDirectory(prefix="archiwum-pathological-") as tmp:
        crawler = get_crawler(PortalSpider, {"ARCHIWUM_DB": f"{tmp}/archive.db", "ARCHIWUM_STAGES": settings.ARCHIWUM_STAGES})
        crawler.spider = spider = PortalSpider.from_crawler(crawler, url=BASE_URL)
        chain = StageChain.build(StageContext(crawler.settings, crawler.stats, spider.sources)).open()
        tune_gc()  # as the crawl process and the stage process run (scraper/crawl/memory.py)

        def response(url: str, text: str) -> HtmlResponse:
            request = Request(url, meta={"source": spider.sources[0].id, "depth": 1})
            return HtmlResponse(url, body=text.encode(), encoding="utf-8", request=request)

        def through(url: str, text: str, record: dict | None) -> None:
            steps = [(SPIDER, lambda _: spider_item(spider.parse_page(response(url, text))))]
            steps += [(type(stage).__name__, stage.process_item) for stage in chain.stages]
            item = None
            for step, run in steps:
                if record is not None:
                    results.put(("step", step))
                start = time.perf_counter()
                try:
                    item = run(item)
                except DropItem as drop:
                    item = None
                    if record is not None:
                        record["outcome"] = f"dropped: {str(drop)[:60]}"
                except Exception as problem:  # noqa: BLE001 — what the benchmark reports
                    item = None
                    if record is not None:
                        record["outcome"] = f"raised {type(problem).__name__} in {step}"
                if record is not None:
                    record["ms"][step] = (time.perf_counter() - start) * 1000
                    record["mb"] = max(record["mb"], meter.peak - baseline)
                if item is None:
                    return

        for n in range(3):  # imports, the lemma table, a template that has seen the portal
            through(f"{BASE_URL}zwykly/{n}", ORDINARY, None)
        meter = PeakRss()
        start = time.perf_counter()
        lxml_html.document_fromstring(html)
        reference_ms = (time.perf_counter() - start) * 1000
        baseline = meter.reset()
        record = {"ms": {}, "mb": 0.0, "outcome": "stored", "reference_ms": reference_ms}
        through(f"{BASE_URL}statystyki/{name}", html, record)
        time.sleep(0.01)
        record["mb"] = max(record["mb"], meter.peak - baseline)
        meter.running = False
        results.put(("done", record))


def measure(name: str, timeout: float) -> dict:
    html = PAGES[name]()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=run_page, args=(name, html, results))
    process.start()
    record, step, deadline = None, "warm-up", time.monotonic() + 30
    while record is None:
        try:
            kind, value = results.get(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:  # noqa: BLE001 — queue.Empty: too slow
            record = {"ms": {}, "mb": None, "outcome": f"stopped after {timeout:g} s in {step}", "reference_ms": None}
            break
        if kind == "step":
            step, deadline = value, time.monotonic() + timeout
        else:
            record = value
    process.kill()
    process.join()
    record["name"], record["bytes"] = name, len(html.encode())
    return record


def report(records: list[dict]) -> tuple[str, list[dict], bool]:
    steps = list(dict.fromkeys(step for r in records for step in r["ms"]))
    header = ["page", "MB", *steps, "total ms", "lxml ms", "MB above", "outcome", "pass"]
    lines, rows, passed_all = [header], [], True
    for r in records:
        total = sum(r["ms"].values()) if r["ms"] else None
        passed = (total is not None and total <= TARGET_SECONDS * 1000 and r["mb"] is not None
                  and r["mb"] <= TARGET_MB and not r["outcome"].startswith(("raised", "stopped")))
        passed_all &= passed
        lines.append([r["name"], f"{r['bytes'] / 2**20:.1f}", *(f"{r['ms'].get(s, 0):.0f}" for s in steps),
                      "—" if total is None else f"{total:.0f}",
                      "—" if r["reference_ms"] is None else f"{r['reference_ms']:.0f}",
                      "—" if r["mb"] is None else f"{r['mb']:.0f}", r["outcome"], "PASS" if passed else "FAIL"])
        rows.append(table.row(f"pathological page {r['name']}: ms through all stages", total, r["reference_ms"],
                              total / r["reference_ms"] if total and r["reference_ms"] else None,
                              f"≤ {TARGET_SECONDS * 1000:.0f} ms, ≤ {TARGET_MB:.0f} MB", passed))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    text = "\n".join(" | ".join(str(v).ljust(w) for v, w in zip(line, widths)) for line in lines)
    return text, rows, passed_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated page names: " + ", ".join(PAGES))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a step may take on a page (default 60)")
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results",
                        help="where pathological.json goes")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(PAGES)
    records = []
    for name in names:
        records.append(measure(name, args.timeout))
        print(f"{name}: {records[-1]['outcome']}, {sum(records[-1]['ms'].values()):.0f} ms", file=sys.stderr, flush=True)
    text, rows, passed = report(records)
    print(f"Pathological pages: wall ms per step, peak MB above the baseline; target ≤ {TARGET_SECONDS:g} s "
          f"and ≤ {TARGET_MB:g} MB per page\n{text}")
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "pathological.json").write_text(json.dumps({"records": records, "rows": rows}, indent=1))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
