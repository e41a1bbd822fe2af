"""What a crawl did, read from its Scrapy stats: shared by the summary line and the crawls table."""
from __future__ import annotations

from collections import Counter

# Errors are what finally failed: every failed download (an HTTP status >= 400 or an
# exception) minus the attempts that were retried, those of robots.txt and the answers the
# crawler expected to be missing (a guessed /sitemap.xml). Each stats key prefix counts +1 or -1
# towards an error kind.
ERROR_COUNTS = {
    "downloader/response_status_count/": 1,
    "downloader/exception_type_count/": 1,
    "retry/reason_count/": -1,
    "robotstxt/response_status_count/": -1,
    "robotstxt/exception_count/": -1,
    "portal/expected_status_count/": -1,
    "attachments/over_budget_count/": -1,  # an attachment past its size budget (scraper/attachments/fetch.py)
}
FIRST_ERROR_STATUS = 400
UNCHANGED_KEYS = ("store/unchanged", "incremental/skipped", "conditional/unchanged")  # the last: a 304


def error_kind(name: str) -> str | None:
    """`404`, `500 Internal Server Error` → http_404, http_500; `a.b.TimeoutError` → TimeoutError."""
    if name.endswith("IgnoreRequest"):  # robots.txt or a crawl bound said no: not a failure
        return None
    code = name.split(" ")[0]
    if code.isdigit():
        return f"http_{code}" if int(code) >= FIRST_ERROR_STATUS else None
    return name.rsplit(".", 1)[-1].removeprefix("<class '").removesuffix("'>")


def errors_by_kind(stats: dict) -> dict[str, int]:
    errors: Counter[str] = Counter()
    for key, value in stats.items():
        prefix, _, name = key.rpartition("/")
        sign = ERROR_COUNTS.get(prefix + "/")
        kind = error_kind(name) if sign else None
        if kind:
            errors[kind] += sign * value
        elif prefix == "spider_exceptions":
            errors[f"spider_{name}"] += value
    return {kind: count for kind, count in sorted(errors.items()) if count > 0}


def unchanged_count(stats: dict) -> int:
    """Articles stored unchanged, or known and not fetched again."""
    return sum(stats.get(key, 0) for key in UNCHANGED_KEYS)
