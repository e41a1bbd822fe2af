"""`archiwum status`: the last run, every source's last figures, and what needs a look.

Exit status 0 when all is well, 1 when something needs a look (so a cron mail or a monitor can
watch it), 2 when there is no archive to read.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from scraper.archive.db import connect
from scraper.archive.source_health import Health, concerns, read_health
from scraper.cli.common import UserError
from scraper.crawl.log import process_alive
from scraper.registry.sources import load_registry

QUIET_RUNS = 7
LAST_RUN_COLUMNS = ("id", "pid", "started_at", "finished_at", "status", "finish_reason", "exit_status",
                    "pages_fetched", "articles_new", "articles_changed", "articles_unchanged", "error_count")
HEADER = f"{'source':24} {'last crawled':25} {'pages':>6} {'new':>5} {'art.':>6} {'errors':>6}  ended"


def add_arguments(parser) -> None:
    parser.add_argument("--quiet-runs", type=int, default=QUIET_RUNS, metavar="N",
                        help=f"flag a source with no new article for N runs (default {QUIET_RUNS})")


def run(args) -> int:
    if not Path(args.db).is_file():
        raise UserError(f"no archive at {args.db}")
    if args.quiet_runs < 1:
        raise UserError("--quiet-runs takes a positive number")
    db = connect(args.db)
    try:
        last = last_run(db.conn)
        health = read_health(db.conn)
    finally:
        db.conn.close()
    crawled = {h.source for h in health}
    never = [never_crawled(source) for source in load_registry(args.registry) if source not in crawled]
    print(describe_run(last))
    if health:
        print(HEADER)
        for row in health:
            print(source_line(row))
    looks = run_concerns(last) + [f"{h.source}: {what}" for h in health + never
                                  for what in concerns(h, args.quiet_runs)]
    if looks:
        print("needs a look:")
        for line in looks:
            print(f"  {line}")
        return 1
    print("all well")
    return 0


def never_crawled(source_id: str) -> Health:
    return Health(source_id, None, None, None, None, None, None, 0, None, None)


def last_run(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute(f"select {', '.join(LAST_RUN_COLUMNS)} from crawls order by id desc limit 1").fetchone()
    return dict(zip(LAST_RUN_COLUMNS, row)) if row else None


def describe_run(run: dict | None) -> str:
    if run is None:
        return "last run: none yet"
    n = {key: run[key] or 0 for key in LAST_RUN_COLUMNS[-5:]}  # a row a killed run never completed
    articles = n["articles_new"] + n["articles_changed"] + n["articles_unchanged"]
    return (f"last run #{run['id']}: {run['status']} ({run['finish_reason'] or 'running'}), "
            f"{run['started_at']} → {run['finished_at'] or '…'}, {n['pages_fetched']} pages, "
            f"{n['articles_new']} new of {articles} articles, {n['error_count']} errors, "
            f"exit status {'—' if run['exit_status'] is None else run['exit_status']}")


def run_concerns(run: dict | None) -> list[str]:
    if run is None:
        return ["no crawl has run on this archive"]
    if run["status"] == "running":
        if run["pid"] and not process_alive(run["pid"]):
            return [f"the last run (#{run['id']}) was killed before its end (pid {run['pid']} is gone)"]
        return []  # tonight's crawl, still going: its figures come at the end
    if run["status"] != "finished" or run["exit_status"]:
        return [f"the last run (#{run['id']}) ended {run['status']} with exit status {run['exit_status']}"]
    return []


def source_line(h: Health) -> str:
    def n(value) -> str:
        return "—" if value is None else str(value)

    return (f"{h.source:24} {h.last_crawled or 'never':25} {n(h.last_pages):>6} {n(h.last_new):>5} "
            f"{n(h.last_articles):>6} {n(h.last_errors):>6}  {h.last_ended or ''}")
