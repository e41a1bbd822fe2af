"""`archiwum attachments`: read the text of the documents the crawls fetched and not yet read
(scraper/attachments/backlog.py); `archiwum crawl` does the same for its own at its end."""
from __future__ import annotations

import argparse
import sys

from scraper.archive.db import connect
from scraper.attachments import backlog
from scraper.crawl.runner import crawl_settings, writer_lock
from scraper.crawl.warc import warc_dir


def add_arguments(parser) -> None:
    from scraper.cli.main import add_db_argument

    add_db_argument(parser)
    parser.add_argument("--workers", type=positive, metavar="N",
                        help="documents read at once (default: ARCHIWUM_ATTACHMENT_WORKERS)")
    parser.add_argument("--retry-errors", action="store_true",
                        help="read again the documents that failed before")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], type=setting,
                        metavar="NAME=VALUE", help="override a setting, e.g. -s ARCHIWUM_OCR_DPI=200")


# Checked by argparse (exit 2, one line): this module's errors cannot be main's UserError, which
# is another class when main runs as `python -m scraper.cli.main`.
def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"takes a positive number, got {text!r}")
    return int(text)


def setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"takes NAME=VALUE, got {text!r}")
    return name.strip(), value


def run(args) -> int:
    connect(args.db).conn.close()  # a bad --db fails here, with a clear message
    with writer_lock(args.db):
        outcome = read_backlog(args.db, dict(args.settings), args.workers, args.retry_errors)
    print(outcome.summary())
    return 0


def read_backlog(db_path: str, overrides: dict[str, str], workers: int | None = None,
                 retry_errors: bool = False) -> backlog.Outcome:
    settings = crawl_settings(db_path, overrides)
    db = connect(db_path)
    try:
        return backlog.process(db, warc_dir(settings), backlog.limits_from(settings),
                               workers or settings.getint("ARCHIWUM_ATTACHMENT_WORKERS"),
                               retry_errors, report=lambda line: print(line, file=sys.stderr))
    finally:
        db.conn.close()


def after_crawl(db_path: str, overrides: dict[str, str]) -> str:
    """The attachments part of a crawl's summary, having read what the crawl fetched."""
    settings = crawl_settings(db_path, overrides)
    if not settings.getbool("ARCHIWUM_ATTACHMENTS") or not settings.getbool(
            "ARCHIWUM_ATTACHMENT_READ_AFTER_CRAWL"):
        return ""
    with writer_lock(db_path):
        outcome = read_backlog(db_path, overrides)
    return outcome.summary() if outcome.files or outcome.documents else ""  # no attachments: no line
