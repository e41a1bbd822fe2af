"""`archiwum attachments`: read the text of the documents the crawls fetched and not yet read
(scraper/attachments/backlog.py); `archiwum crawl` and `archiwum demo` do the same for theirs at
their end (`crawl_and_read`)."""
from __future__ import annotations

import sys

from scraper.archive.db import connect
from scraper.attachments import backlog
from scraper.cli.common import UserError, add_db_argument, add_settings_argument, parse_settings
from scraper.crawl.runner import crawl_and_report, crawl_settings, writer_lock
from scraper.crawl.warc import warc_dir


def add_arguments(parser) -> None:
    add_db_argument(parser)
    parser.add_argument("--workers", type=int, metavar="N",
                        help="documents read at once (default: ARCHIWUM_ATTACHMENT_WORKERS)")
    parser.add_argument("--retry-errors", action="store_true",
                        help="read again the documents that failed before")
    add_settings_argument(parser)


def run(args) -> int:
    if args.workers is not None and args.workers < 1:
        raise UserError("--workers takes a positive number")
    overrides = parse_settings(args.settings)
    connect(args.db).conn.close()  # a bad --db fails here, with a clear message
    with writer_lock(args.db):
        outcome = read_backlog(args.db, overrides, args.workers, args.retry_errors)
    print(outcome.summary())
    return 0


def read_backlog(db_path: str, overrides: dict[str, str], workers: int | None = None,
                 retry_errors: bool = False) -> backlog.Outcome:
    settings = crawl_settings(db_path, overrides)
    db = connect(db_path)
    try:
        return backlog.process(db, db_path, warc_dir(settings), backlog.limits_from(settings),
                               workers or settings.getint("ARCHIWUM_ATTACHMENT_WORKERS"),
                               retry_errors, report=lambda line: print(line, file=sys.stderr))
    finally:
        db.conn.close()


def crawl_and_read(sources, db_path: str, overrides: dict[str, str]) -> int:
    """Crawl and print its summary, then read the documents it fetched (a second line, when
    there were any); the crawl's exit status."""
    code = crawl_and_report(sources, db_path, overrides)
    settings = crawl_settings(db_path, overrides)
    if settings.getbool("ARCHIWUM_ATTACHMENTS") and settings.getbool("ARCHIWUM_ATTACHMENT_READ_AFTER_CRAWL"):
        with writer_lock(db_path):
            outcome = read_backlog(db_path, overrides)
        if outcome.files or outcome.documents:  # no attachments: nothing to say
            print(outcome.summary())
    return code
