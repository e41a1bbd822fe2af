"""Crawl-job components benchmark: charset decisions and WARC capture on real Polish pages.

Each page of /work/shared/realworld-pl (or --pages DIR) is served as bytes in three encodings
(UTF-8; windows-1250 and iso-8859-2 still declaring UTF-8 in their <meta>, as legacy portals
re-encoded without care do) with no charset in the HTTP header. Reference, measured in the same
run: Scrapy's own decoding of the same responses, and gzip of the same bodies.

    uv run python bench/crawl_jobs.py [--pages DIR] [--repeat 5]
"""
from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import table  # noqa: E402
from scraper import settings  # noqa: E402
from scraper.crawl.encoding import EncodingMiddleware  # noqa: E402
from scraper.crawl.warc import WarcMiddleware  # noqa: E402

PAGES = Path("/work/shared/realworld-pl/pages")
ENCODINGS = ("utf-8", "cp1250", "iso8859-2")
TARGET_CORRECT = 1.0  # every page read right
TARGET_SLOWDOWN = 5.0  # per-page time at most this many times the reference
# Archiwum's own settings as scraper/settings.py declares them (get_crawler knows only Scrapy's).
ARCHIWUM_SETTINGS = {name: getattr(settings, name) for name in dir(settings) if name.startswith("ARCHIWUM_")}


def responses(pages: Path) -> list[tuple[HtmlResponse, str]]:
    """(response, the text a correct decoding gives) for every page in every encoding."""
    cases = []
    for path in sorted(pages.glob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for encoding in ENCODINGS:
            body = text.encode(encoding, errors="xmlcharrefreplace")
            response = HtmlResponse(f"http://127.0.0.1/{path.name}", body=body,
                                    headers={"Content-Type": "text/html"},
                                    request=Request(f"http://127.0.0.1/{path.name}"))
            cases.append((response, body.decode(encoding).removeprefix("\ufeff")))  # BOMs are dropped
    return cases


def timed(function, cases, repeat: int) -> tuple[float, list]:
    """Best per-page milliseconds over `repeat` passes, and the last pass's results."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        results = [function(response) for response, _ in cases]
        best = min(best, time.perf_counter() - started)
    return best * 1000 / len(cases), results


def fresh(response: HtmlResponse) -> HtmlResponse:
    return response.replace()  # no cached decoding carried over between passes


def encoding_rows(cases, repeat: int) -> list[dict]:
    crawler = get_crawler(settings_dict=ARCHIWUM_SETTINGS)
    crawler.stats.open_spider()
    middleware = EncodingMiddleware.from_crawler(crawler)
    scrapy_ms, scrapy_texts = timed(lambda r: fresh(r).text, cases, repeat)
    ours_ms, our_texts = timed(lambda r: middleware.process_response(r.request, fresh(r)).text, cases, repeat)
    expected = [text for _, text in cases]
    ours = sum(a == b for a, b in zip(our_texts, expected)) / len(cases)
    scrapy = sum(a == b for a, b in zip(scrapy_texts, expected)) / len(cases)
    return [
        table.row("pages decoded exactly (share)", ours, scrapy, None, f"= {TARGET_CORRECT:g}",
                  ours >= TARGET_CORRECT),
        table.row("decoding, ms/page", ours_ms, scrapy_ms, ours_ms / scrapy_ms,
                  f"≤ {TARGET_SLOWDOWN:g}× Scrapy", ours_ms <= TARGET_SLOWDOWN * scrapy_ms),
    ]


def warc_rows(cases, repeat: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as directory:
        crawler = get_crawler(settings_dict=ARCHIWUM_SETTINGS | {"ARCHIWUM_WARC_DIR": directory})
        crawler.stats.open_spider()
        middleware = WarcMiddleware.from_crawler(crawler)
        middleware.open()
        warc_ms, _ = timed(lambda r: middleware.process_response(r.request, r), cases, repeat)
        middleware.close()
        with open(Path(directory) / "gzip-reference", "wb") as sink:
            gzip_ms, _ = timed(lambda r: sink.write(gzip.compress(r.body)), cases, repeat)
    return [table.row("WARC record pair, ms/page", warc_ms, gzip_ms, warc_ms / gzip_ms,
                      f"≤ {TARGET_SLOWDOWN:g}× gzip", warc_ms <= TARGET_SLOWDOWN * gzip_ms)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases = responses(args.pages)
    print(f"{len(cases)} responses ({len(cases) // len(ENCODINGS)} pages × {len(ENCODINGS)} encodings)")
    print(table.render(encoding_rows(cases, args.repeat) + warc_rows(cases, args.repeat)))


if __name__ == "__main__":
    main()
