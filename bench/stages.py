"""CPU per page of the spider's page parsing and of each item stage, without network or Scrapy's engine.

Every page of the generated benchmark portal (bench/portal.py) goes through
`PortalSpider.parse_page` and then the stages of the stage chain (ARCHIWUM_STAGES) in their order, with a fresh
archive; the CPU time of each step is summed (`time.process_time`) and printed per page fetched.
Pages come in crawl order (home and listings first), so the template learns as in a crawl.

Then the real pages of ../shared/realworld-pl and ../shared/extraction-dev (200 news and blog
pages, many languages) go through the clean and dates stages alone (no archive, no template): the
dates stage's cost on real pages, where it once parsed the page again (target: at most 2 ms per
page). A page the clean stage drops never reaches the dates stage; its CPU is divided by the pages
that reached it.

    uv run python bench/stages.py [--pages 2000] [--profile CleanPipeline|spider|...] [--real-only]
"""
from __future__ import annotations

import argparse
import cProfile
import gzip
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

sys.path.insert(0, str(Path(__file__).parent))

import portal  # noqa: E402
from scraper.crawl.stages import StageChain, StageContext  # noqa: E402
from scraper import settings  # noqa: E402
from spiders.portal import PortalSpider  # noqa: E402

BASE_URL = "http://127.0.0.1:8999/"  # never fetched: responses are built from the files
SPIDER = "spider"
SHARED = next((path for path in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared"))
               if path.exists()), None)
REAL_STAGES = ("CleanPipeline", "DatesPipeline")


def crawl_order(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"), key=lambda f: (f.name != "index.html", not f.name.startswith("aktualnosci"),
                                                     str(f)))


def response(root: Path, file: Path, source_id: str) -> HtmlResponse:
    url = BASE_URL + str(file.relative_to(root)).removesuffix("index.html")
    request = Request(url, meta={"source": source_id, "depth": 1, "warc": {"file": "bench.warc.gz", "offset": 0}})
    return HtmlResponse(url, body=file.read_bytes(), encoding="utf-8", request=request)


def measure(root: Path, db: Path, profiled: str | None, sort: str = "cumulative") -> tuple[dict[str, float], int]:
    crawler = get_crawler(PortalSpider, {"ARCHIWUM_DB": str(db), "ARCHIWUM_STAGES": settings.ARCHIWUM_STAGES})
    crawler.spider = spider = PortalSpider.from_crawler(crawler, url=BASE_URL)
    chain = StageChain.build(StageContext(crawler.settings, crawler.stats, spider.sources)).open()
    cpu: dict[str, float] = defaultdict(float)
    profile = cProfile.Profile()
    pages = crawl_order(root)
    for file in pages:
        page = response(root, file, spider.sources[0].id)
        # the page item, then the requests for its links
        item = timed(cpu, SPIDER, profile if profiled == SPIDER else None, lambda: list(spider.parse_page(page))[0])
        for stage in chain.stages:
            name = type(stage).__name__
            item = timed(cpu, name, profile if profiled == name else None, lambda: stage.process_item(item))
            if item is None:
                break
    chain.close()
    if profiled:
        pstats.Stats(profile).sort_stats(sort).print_stats(30)
    return cpu, len(pages)


def timed(cpu: dict, name: str, profile: cProfile.Profile | None, step):
    start = time.process_time()
    if profile:
        profile.enable()
    try:
        return step()
    except DropItem:
        return None
    finally:
        if profile:
            profile.disable()
        cpu[name] += time.process_time() - start


def real_pages() -> list[tuple[str, str]]:
    """(url, decoded html) of the shared real pages; bytes decoded as the crawl's fallback does."""
    if SHARED is None:
        return []
    files = sorted((SHARED / "realworld-pl" / "pages").glob("*.html"))
    files += sorted((SHARED / "extraction-dev" / "aeb" / "html").glob("*.html.gz"))
    pages = []
    for file in files:
        body = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
        pages.append((f"https://real.example/{file.name.split('.')[0]}", body.decode("utf-8", "replace")))
    return pages


def measure_real(pages: list[tuple[str, str]], profiled: str | None) -> tuple[dict[str, float], dict[str, int]]:
    """CPU seconds of the clean and dates stages over the real pages, and how many pages each read."""
    from scraper.items import Page  # noqa: PLC0415 (after sys.path is set)

    crawler = get_crawler(PortalSpider, {"ARCHIWUM_STAGES": settings.ARCHIWUM_STAGES})
    chain = StageChain.build(StageContext(crawler.settings, crawler.stats))
    stages = [stage for stage in chain.stages if type(stage).__name__ in REAL_STAGES]
    cpu: dict[str, float] = defaultdict(float)
    reached: dict[str, int] = defaultdict(int)
    profile = cProfile.Profile()
    for url, html in pages:
        item = Page(url=url, source="real", html=html, fetched_at="2026-01-01T00:00:00+00:00")
        for stage in stages:
            name = type(stage).__name__
            reached[name] += 1
            item = timed(cpu, name, profile if profiled == name else None, lambda: stage.process_item(item))
            if item is None:
                break
    if profiled in REAL_STAGES:
        pstats.Stats(profile).sort_stats(sort).print_stats(30)
    return cpu, reached


def print_real(pages: list[tuple[str, str]], profiled: str | None, sort: str = "cumulative") -> None:
    if not pages:
        print("\nReal pages: ../shared not found, skipped")
        return
    measure_real(pages, None)  # warm-up: imports, regex compilation, lxml's first parse
    cpu, reached = measure_real(pages, profiled)
    print(f"\nCPU ms per page over {len(pages)} real pages (shared/realworld-pl, shared/extraction-dev), "
          "clean and dates stages only:")
    for name in REAL_STAGES:
        print(f"  {name:<16} {cpu[name] / max(reached[name], 1) * 1000:6.2f}   ({reached[name]} pages reached it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages in the portal (default 2,000)")
    parser.add_argument("--profile", help=f"cProfile one step ({SPIDER} or a pipeline class name)")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (cumulative, tottime, ...)")
    parser.add_argument("--real-only", action="store_true", help="only the real pages, not the generated portal")
    args = parser.parse_args()
    if not args.real_only:
        measure_portal(args.pages, args.profile, args.sort)
    print_real(real_pages(), args.profile, args.sort)


def measure_portal(article_pages: int, profiled: str | None, sort: str = "cumulative") -> None:
    with tempfile.TemporaryDirectory(prefix="archiwum-stages-") as tmp:
        site = portal.write_portal(Path(tmp) / "site", article_pages)
        cpu, pages = measure(site.root, Path(tmp) / "archive.db", profiled, sort)
    print(f"CPU ms per page over {pages:,} pages ({site.articles:,} articles):")
    for name, seconds in cpu.items():
        print(f"  {name:<16} {seconds / pages * 1000:6.2f}")
    item_stages = sum(seconds for name, seconds in cpu.items() if name != SPIDER)
    print(f"  {'item stages':<16} {item_stages / pages * 1000:6.2f}")


if __name__ == "__main__":
    main()
