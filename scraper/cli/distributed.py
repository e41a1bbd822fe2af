"""The `archiwum worker` and `archiwum writer` commands' arguments (scraper/distributed/crawl.py runs them).

Kept apart so that every other command starts without importing Redis, scrapy-redis and the
store stage (~0.5 s and ~20 MB in each crawl process).
"""
from __future__ import annotations

import os

DEFAULT_REDIS = os.environ.get("ARCHIWUM_REDIS", "redis://127.0.0.1:6379/0")
DEFAULT_CRAWL = "archiwum"
LEASE_TIMEOUT_S = 30.0


def add_worker_arguments(parser) -> None:
    from scraper.cli.main import add_registry_argument

    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="registry ids (none: all)")
    add_registry_argument(parser)
    add_redis_arguments(parser)
    parser.add_argument("--lease-timeout", type=float, default=LEASE_TIMEOUT_S, metavar="SECONDS",
                        help="a worker silent this long is presumed dead; others retake its requests")
    parser.add_argument("--log-file", help="write the crawl log to this file")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="override a Scrapy setting")


def add_redis_arguments(parser) -> None:
    parser.add_argument("--redis", default=DEFAULT_REDIS,
                        help=f"Redis URL (default: $ARCHIWUM_REDIS or {DEFAULT_REDIS})")
    parser.add_argument("--crawl", default=DEFAULT_CRAWL,
                        help="crawl name: the prefix of its Redis keys (default: archiwum)")


def add_writer_arguments(parser) -> None:
    from scraper.cli.main import add_db_argument, add_registry_argument

    add_db_argument(parser)
    add_registry_argument(parser)
    add_redis_arguments(parser)
    parser.add_argument("--idle-exit", type=float, metavar="SECONDS",
                        help="once workers or items have been seen, exit when none has been "
                             "for this long (default: run until stopped)")


def run_worker(args) -> int:
    from scraper.distributed.crawl import run_worker as run
    return run(args)


def run_writer(args) -> int:
    from scraper.distributed.crawl import run_writer as run
    return run(args)
