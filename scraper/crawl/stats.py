"""What a crawl did, read from its Scrapy stats: shared by the summary line, the crawls table and
the exit status, so the three always agree. `crawl_outcome` is the one wording of how a crawl ended."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

# Fetch failures are the portals': every failed download (an HTTP status >= 400 or an exception)
# minus the attempts that were retried, those of robots.txt and the answers the crawler expected
# to be missing (a guessed /sitemap.xml). Each stats key prefix counts +1 or -1 towards a kind.
ERROR_COUNTS = {
    "downloader/response_status_count/": 1,
    "downloader/exception_type_count/": 1,
    "retry/reason_count/": -1,
    "robotstxt/response_status_count/": -1,
    "robotstxt/exception_count/": -1,
    "portal/expected_status_count/": -1,
    "attachments/over_budget_count/": -1,  # an attachment past its size budget (scraper/attachments/fetch.py)
}
# The crawl's own errors, each a page or a write lost: `errors/<kind>` (page_too_slow,
# item_error/<Exception>, warc_write_error) and Scrapy's `spider_exceptions/<Exception>` (its
# `spider_exceptions/count` counts the same exceptions again). Any of them: exit status 1.
OWN_ERRORS = "errors/"
SPIDER_ERRORS = "spider_exceptions/"
FIRST_ERROR_STATUS = 400
UNCHANGED_KEYS = ("store/unchanged", "incremental/skipped", "conditional/unchanged")  # the last: a 304
FAILED_STAGES = "stage_process/failed"  # why the item stages stopped (scraper/crawl/stage_process.py)
# Why a crawl stopped before it was done, for the summary line (Scrapy's finish reasons).
STOP_REASONS = {
    "shutdown": "interrupted (SIGINT or SIGTERM)",
    "closespider_timeout": "the crawl's time limit was reached (CLOSESPIDER_TIMEOUT)",
    "closespider_pagecount": "the page limit was reached (CLOSESPIDER_PAGECOUNT)",
    "closespider_itemcount": "the item limit was reached (CLOSESPIDER_ITEMCOUNT)",
    "closespider_errorcount": "the error limit was reached (CLOSESPIDER_ERRORCOUNT)",
    "memusage_exceeded": "the memory limit was reached (MEMUSAGE_LIMIT_MB)",
}


def error_kind(name: str) -> str | None:
    """`404`, `500 Internal Server Error` → http_404, http_500; `a.b.TimeoutError` → TimeoutError."""
    if name.endswith("IgnoreRequest"):  # robots.txt or a crawl bound said no: not a failure
        return None
    code = name.split(" ")[0]
    if code.isdigit():
        return f"http_{code}" if int(code) >= FIRST_ERROR_STATUS else None
    return name.rsplit(".", 1)[-1].removeprefix("<class '").removesuffix("'>")


def errors_by_kind(stats: dict) -> dict[str, int]:
    """Every error of the crawl by kind, each counted once: the portals' and the crawl's own."""
    errors: Counter[str] = Counter()
    for key, value in stats.items():
        if key.startswith(OWN_ERRORS):
            errors[key.removeprefix(OWN_ERRORS)] += value
            continue
        if key.startswith(SPIDER_ERRORS):
            if key != SPIDER_ERRORS + "count":
                errors[f"spider_{key.removeprefix(SPIDER_ERRORS)}"] += value
            continue
        prefix, _, name = key.rpartition("/")
        sign = ERROR_COUNTS.get(prefix + "/")
        kind = error_kind(name) if sign else None
        if kind:
            errors[kind] += sign * value
    return {kind: count for kind, count in sorted(errors.items()) if count > 0}


def is_own_error(kind: str) -> bool:
    """A page or write the crawl lost (not a page the portal failed to serve)."""
    return kind in ("page_too_slow", "warc_write_error") or kind.startswith(("item_error/", "spider_"))


def own_error_count(errors: dict[str, int]) -> int:
    return sum(n for kind, n in errors.items() if is_own_error(kind))


def unchanged_count(stats: dict) -> int:
    """Articles stored unchanged, or known and not fetched again."""
    return sum(stats.get(key, 0) for key in UNCHANGED_KEYS)


@dataclass(frozen=True)
class Outcome:
    status: str  # the crawls row's status: finished, stopped, interrupted, failed
    words: str  # the summary line's: "finished", "finished with 2 errors", "stopped: ...", "failed: ..."
    exit_status: int


def crawl_outcome(stats: dict) -> Outcome:
    """How a crawl ended, in one human wording; stats without a finish reason: it was cut short."""
    reason = stats.get("finish_reason")
    if stats.get(FAILED_STAGES):
        return Outcome("failed", f"failed: the item stages stopped ({stats[FAILED_STAGES]})", EXIT_ERRORS)
    if reason in (None, "shutdown"):
        return Outcome("interrupted", f"stopped: {STOP_REASONS['shutdown']}", EXIT_ERRORS)
    if reason != "finished":
        return Outcome("stopped", f"stopped: {STOP_REASONS.get(reason, reason.replace('_', ' '))}", EXIT_ERRORS)
    if not stats.get("response_received_count"):
        return Outcome("failed", "failed: no page could be fetched", EXIT_ERRORS)
    lost = own_error_count(errors_by_kind(stats))
    if lost:
        return Outcome("finished", f"finished with {lost} error{'s' if lost > 1 else ''}", EXIT_ERRORS)
    return Outcome("finished", "finished", EXIT_OK)
