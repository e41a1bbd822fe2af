"""The `archiwum worker`, `archiwum writer` and `archiwum status --redis` arguments (scraper/distributed/ runs them).

scraper/distributed/ is imported only when one of them runs, so that every other command starts
without importing Redis, scrapy-redis and the store stage (~0.5 s and ~20 MB in each crawl
process).
"""
from __future__ import annotations

import os

from scraper.cli.common import add_db_argument, add_registry_argument, add_settings_argument, parse_settings
from scraper import settings as project_settings

DEFAULT_REDIS = os.environ.get("ARCHIWUM_REDIS", "redis://127.0.0.1:6379/0")
DEFAULT_WAIT_S = 300.0
DEFAULT_IDLE_EXIT_S = 5.0


def add_worker_arguments(parser) -> None:
    add_registry_argument(parser)
    add_redis_arguments(parser)
    add_lease_argument(parser)
    parser.add_argument("--wait", type=float, default=DEFAULT_WAIT_S, metavar="SECONDS",
                        help=f"how long to wait for a writer to open the crawl (default {DEFAULT_WAIT_S:g})")
    parser.add_argument("--log-file", help="write the crawl log to this file")
    parser.add_argument("--state", metavar="DIR",
                        help="where this machine's workers keep site templates and pages to re-read "
                             "(default: a folder per crawl name in the temporary directory)")
    add_settings_argument(parser)


def add_lease_argument(parser) -> None:
    parser.add_argument("--lease-timeout", type=float, default=project_settings.ARCHIWUM_LEASE_TIMEOUT, metavar="SECONDS",
                        help="a worker silent this long is presumed dead; others retake its requests")


def add_redis_arguments(parser, default: str | None = DEFAULT_REDIS) -> None:
    parser.add_argument("--redis", default=default,
                        help=f"Redis URL (default: $ARCHIWUM_REDIS or {DEFAULT_REDIS})" if default else
                        "the Redis URL of a distributed crawl")
    parser.add_argument("--crawl", default=project_settings.ARCHIWUM_CRAWL,
                        help="crawl name: the prefix of its Redis keys (default: archiwum)")


def add_writer_arguments(parser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="registry ids the crawl covers (none: all)")
    add_db_argument(parser)
    add_registry_argument(parser)
    add_redis_arguments(parser)
    add_lease_argument(parser)
    parser.add_argument("--full", action="store_true", help="fetch known articles again, not only new ones")
    add_settings_argument(parser)  # e.g. -s ARCHIWUM_ATTACHMENT_READ_AFTER_CRAWL=False
    parser.add_argument("--idle-exit", type=float, default=DEFAULT_IDLE_EXIT_S, metavar="SECONDS",
                        help="close the crawl once it has been over (nothing queued or in flight, no "
                             f"worker alive) for this long (default {DEFAULT_IDLE_EXIT_S:g})")


def add_status_arguments(parser) -> None:
    """`archiwum status --redis URL [--crawl NAME]` (beside the single-process status's own)."""
    add_redis_arguments(parser, default=None)
    add_lease_argument(parser)


def run_worker(args) -> int:
    from scraper.distributed.worker import run_worker as run
    return run(args, parse_settings(args.settings))


def run_writer(args) -> int:
    from scraper.distributed.writer import run_writer as run
    return run(args, parse_settings(args.settings))


def run_status(args) -> int:
    from scraper.distributed.status import run_status as run
    return run(args)
