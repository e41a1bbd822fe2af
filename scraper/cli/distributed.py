"""The `archiwum worker` and `archiwum writer` commands' arguments (scraper/distributed/crawl.py runs them).

scraper/distributed/crawl.py is imported only when one of them runs, so that every other command
starts without importing Redis, scrapy-redis and the store stage (~0.5 s and ~20 MB in each crawl
process).
"""
from __future__ import annotations

import os

from scraper.cli.common import add_db_argument, add_registry_argument, add_settings_argument, parse_settings
from scraper import settings as project_settings

DEFAULT_REDIS = os.environ.get("ARCHIWUM_REDIS", "redis://127.0.0.1:6379/0")


def add_worker_arguments(parser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="registry ids (none: all)")
    add_registry_argument(parser)
    add_redis_arguments(parser)
    add_lease_argument(parser)
    parser.add_argument("--log-file", help="write the crawl log to this file")
    add_settings_argument(parser)


def add_lease_argument(parser) -> None:
    parser.add_argument("--lease-timeout", type=float, default=project_settings.ARCHIWUM_LEASE_TIMEOUT, metavar="SECONDS",
                        help="a worker silent this long is presumed dead; others retake its requests")


def add_redis_arguments(parser) -> None:
    parser.add_argument("--redis", default=DEFAULT_REDIS,
                        help=f"Redis URL (default: $ARCHIWUM_REDIS or {DEFAULT_REDIS})")
    parser.add_argument("--crawl", default=project_settings.ARCHIWUM_CRAWL,
                        help="crawl name: the prefix of its Redis keys (default: archiwum)")


def add_writer_arguments(parser) -> None:
    add_db_argument(parser)
    add_registry_argument(parser)
    add_redis_arguments(parser)
    add_lease_argument(parser)
    parser.add_argument("--idle-exit", type=float, metavar="SECONDS",
                        help="once workers or items have been seen, exit when none has been "
                             "for this long (default: run until stopped)")


def run_worker(args) -> int:
    from scraper.distributed.crawl import run_worker as run
    return run(args, parse_settings(args.settings))


def run_writer(args) -> int:
    from scraper.distributed.crawl import run_writer as run
    return run(args)
