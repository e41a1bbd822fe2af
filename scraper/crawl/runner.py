"""Running a crawl: one Scrapy process, one writer per archive, a summary line at the end."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scraper.archive.db import connect
from scraper.crawl.stats import errors_by_kind, unchanged_count
from scraper.registry.sources import Source

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
STAGE_PROCESS = "scraper.crawl.stage_process.StageProcess"
SPIDER = "portal"  # spiders/portal.py, found through SPIDER_MODULES: the one generic spider


class CrawlLocked(Exception):
    """Another crawl is writing to the same archive."""


def crawl_settings(db_path: str, overrides: dict[str, str] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIWUM_DB", str(db_path), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    contact = settings.get("ARCHIWUM_CONTACT")
    settings.set("USER_AGENT", settings.get("USER_AGENT").format(contact=contact),
                 priority=settings.getpriority("USER_AGENT"))
    return settings


def lock_path(db_path: str | Path) -> Path:
    """The lock file of the archive file itself: beside the path with every symlink resolved,
    so a second crawl reaching the same archive through a symlink (or `..`) takes the same lock."""
    return Path(f"{Path(db_path).resolve()}.lock")


def lock_owner(db_path: str | Path) -> str:
    """The pid written by the process that last took the archive's writer lock, or ""."""
    path = lock_path(db_path)
    return path.read_text().strip() if path.is_file() else ""


@contextmanager
def writer_lock(db_path: str | Path):
    """Only one crawl writes to an archive at a time; Datasette may read meanwhile."""
    handle = open(lock_path(db_path), "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "another process"
        handle.close()
        raise CrawlLocked(f"another crawl (pid {owner}) is writing to {db_path}; "
                          "try again when it has finished") from None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        handle.close()


def run_crawl(sources: list[Source], db_path: str, overrides: dict[str, str] | None = None) -> dict:
    """Crawl the sources into db_path; returns the crawl's stats."""
    settings = crawl_settings(db_path, overrides)
    if settings.getbool("ARCHIWUM_STAGE_PROCESS"):
        settings.set("ITEM_PROCESSOR", STAGE_PROCESS, priority="cmdline")
    with writer_lock(db_path):
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(SPIDER)
        process.crawl(crawler, sources=sources)
        process.start()
    return crawler.stats.get_stats()


def crawl_and_report(sources: list[Source], db_path: str, overrides: dict[str, str]) -> int:
    """Crawl, print the summary line, return the exit status."""
    connect(db_path).conn.close()  # a bad --db fails here, with a clear message
    stats = run_crawl(sources, db_path, overrides)
    print(summary(stats, db_path))
    return exit_code(stats)


def summary(stats: dict, db_path: str) -> str:
    errors = errors_by_kind(stats)
    kinds = f" ({', '.join(f'{n} {kind}' for kind, n in errors.items())})" if errors else ""
    return (
        f"crawl {stats.get('finish_reason', 'unfinished')}: "
        f"{stats.get('response_received_count', 0)} pages fetched, "
        f"{stats.get('store/new', 0)} new, {stats.get('store/changed', 0)} changed, "
        f"{unchanged_count(stats)} unchanged articles, {recleaned(stats)}"
        f"{sum(errors.values())} errors{kinds} → {db_path}"
    )


def recleaned(stats: dict) -> str:
    """Articles read before their portal's template was learned, read again at the end (scraper/crawl/reclean.py)."""
    n = stats.get("reclean/articles", 0)
    return f"{n} re-cleaned, " if n else ""


def exit_code(stats: dict) -> int:
    """0: finished; 1: finished but nothing could be fetched, or stopped early, or the stages failed."""
    if stats.get("finish_reason") != "finished" or stats.get("stage_process/failed"):
        return EXIT_ERRORS
    if not stats.get("response_received_count"):
        return EXIT_ERRORS
    return EXIT_OK
