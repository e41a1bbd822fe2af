"""Crawls for the crawl-job tests: a plain Scrapy crawl with the components, and the real CLI.

`archiwum_crawl(url, db)` is the command line of the real crawler, sped up for a local server.

`python tests/plaincrawl.py OUT_DIR URL... [-s NAME=JSON_VALUE ...]` follows every link under the
first start URL's folder and writes OUT_DIR/pages.jsonl (one line per page reaching the spider: url,
status, encoding, text, warc) and OUT_DIR/stats.json (the crawl's final stats).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper import settings as project  # noqa: E402

COMPONENT_SETTINGS = {
    **{name: getattr(project, name) for name in dir(project) if name.startswith("ARCHIWUM_")},
    "SPIDER_MIDDLEWARES": project.SPIDER_MIDDLEWARES,
    "DOWNLOADER_MIDDLEWARES": project.DOWNLOADER_MIDDLEWARES,
    "EXTENSIONS": project.EXTENSIONS,
    "ARCHIWUM_PROGRESS": False,
    "ARCHIWUM_CONDITIONAL": False,  # it keeps validators in an archive: tests/test_conditional.py
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": False,
    "RETRY_TIMES": 2,
    "DOWNLOAD_TIMEOUT": 5,
    "DOWNLOAD_MAXSIZE": 4 * 1024 * 1024,
}


class FollowSpider(scrapy.Spider):
    name = "follow"

    def __init__(self, start_urls, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = start_urls
        self.prefix = start_urls[0].rsplit("/", 1)[0] + "/"
        self.links = LinkExtractor()

    def parse(self, response):
        yield {
            "url": response.url,
            "status": response.status,
            "encoding": getattr(response, "encoding", None),
            "text": getattr(response, "text", ""),
            "warc": response.meta.get("warc"),
        }
        for link in self.links.extract_links(response):
            if link.url.startswith(self.prefix):
                yield response.follow(link.url, self.parse, errback=self.on_error)

    def on_error(self, failure):
        """Count final failures as the portal spider does."""
        self.crawler.stats.inc_value(f"portal/errors/{type(failure.value).__name__}")


def parse_setting(text: str) -> tuple[str, object]:
    name, _, value = text.partition("=")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]


def archiwum_crawl(url: str, db: Path, *options: str) -> list[str]:
    """`archiwum crawl --url URL --db DB` without the delays meant for real portals."""
    return [sys.executable, "-m", "scraper.cli.main", "crawl", "--url", url, "--db", str(db), *FAST, *options]


def crawl_to_end(url: str, db: Path, *options: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`archiwum_crawl` run to its end from the repository; the test fails with the end of its log
    unless it finished with exit status 0."""
    done = subprocess.run(archiwum_crawl(url, db, *options), cwd=Path(__file__).resolve().parents[1], capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def command(out_dir: Path, urls: list[str], **settings) -> list[str]:
    """The command line of a crawl writing into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "pages.jsonl").unlink(missing_ok=True)
    options = [f"-s{name}={json.dumps(value)}" for name, value in settings.items()]
    return [sys.executable, __file__, str(out_dir), *urls, *options]


def run(out_dir: Path, urls: list[str], timeout: float = 60, **settings) -> tuple[list[dict], dict]:
    """Crawl in a subprocess; returns the pages that reached the spider and the final stats."""
    done = subprocess.run(command(out_dir, urls, **settings), timeout=timeout,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"crawl failed ({done.returncode}):\n{done.stderr[-4000:]}")
    lines = (out_dir / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    stats = json.loads((out_dir / "stats.json").read_text())
    return [json.loads(line) for line in lines], stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("-s", dest="settings", action="append", default=[])
    args = parser.parse_args()
    settings = dict(COMPONENT_SETTINGS)
    settings.update(parse_setting(text) for text in args.settings)
    settings["FEEDS"] = {str(args.out_dir / "pages.jsonl"): {"format": "jsonlines", "encoding": "utf8"}}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(FollowSpider)

    def dump_stats(spider, reason):
        stats = crawler.stats.get_stats()
        (args.out_dir / "stats.json").write_text(json.dumps(stats, indent=1, default=str))

    crawler.signals.connect(dump_stats, signal=signals.spider_closed)
    process.crawl(crawler, start_urls=args.urls)
    process.start()


if __name__ == "__main__":
    main()
