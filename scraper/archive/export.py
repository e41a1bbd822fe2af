"""`archiwum export`: articles as CSV or JSON, streamed, filtered like the Datasette UI."""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Iterator, TextIO

from scraper.archive import search_index
from scraper.archive.attachment_index import article_rowids_sql
from scraper.archive.db import ARTICLE_COLUMNS, ArchiveError

COLUMNS = list(ARTICLE_COLUMNS)
# option → SQL condition on articles; the search goes through the same index as the UI.
FILTERS = {
    "search": f"rowid in (select rowid from articles_fts where articles_fts "
              f"match {search_index.MATCH_FUNCTION}(:search))",
    "source": "source = :source",
    "city": "city = :city",
    # a date known only to the month ("2019-05") is on or after any day of that month
    "since": "published >= substr(:since, 1, length(published))",
    "until": "substr(published, 1, 10) <= :until",
}
FETCH_ROWS = 1_000
# --search also finds articles by the text of their attachments, unless --no-attachments.
SEARCH_WITH_ATTACHMENTS = (f"rowid in (select rowid from articles_fts where articles_fts "
                           f"match {search_index.MATCH_FUNCTION}(:search) "
                           f"union {article_rowids_sql('search')})")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", metavar="Q", help="full-text query, as in the search box")
    parser.add_argument("--source", metavar="S", help="only this source id")
    parser.add_argument("--city", metavar="C", help="only this city, e.g. Łódź")
    parser.add_argument("--since", metavar="D", help="published on or after D (YYYY-MM-DD)")
    parser.add_argument("--until", metavar="D", help="published on or before D (YYYY-MM-DD)")
    parser.add_argument("--no-attachments", action="store_true",
                        help="--search the articles' own text only, not their attachments")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--excel", action="store_true",
                        help="CSV for Excel: UTF-8 with a byte-order mark")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")


def open_readonly(path: str) -> sqlite3.Connection:
    if not Path(path).is_file():
        raise ArchiveError(f"{path} does not exist")
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    search_index.register_functions(conn)
    return conn


def select_sql(args: argparse.Namespace) -> tuple[str, dict]:
    params = {name: getattr(args, name) for name in FILTERS if getattr(args, name)}
    filters = FILTERS | ({} if getattr(args, "no_attachments", False) else {"search": SEARCH_WITH_ATTACHMENTS})
    where = " and ".join(filters[name] for name in params) or "1"
    return (f"select {', '.join(COLUMNS)} from articles where {where} "
            f"order by published desc, id", params)


def rows(conn: sqlite3.Connection, args: argparse.Namespace) -> Iterator[sqlite3.Row]:
    cursor = conn.execute(*select_sql(args))
    while batch := cursor.fetchmany(FETCH_ROWS):
        yield from batch


def write_csv(out: TextIO, records: Iterator[sqlite3.Row]) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for count, record in enumerate(records, 1):
        writer.writerow(record)
    return count


def as_json(record: sqlite3.Row) -> str:
    item = dict(record)
    item["topics"] = json.loads(item["topics"]) if item["topics"] else []
    return json.dumps(item, ensure_ascii=False)


def write_json(out: TextIO, records: Iterator[sqlite3.Row]) -> int:
    out.write("[")
    count = 0
    for count, record in enumerate(records, 1):
        out.write(("\n" if count == 1 else ",\n") + as_json(record))
    out.write("\n]\n")
    return count


def output(args: argparse.Namespace) -> contextlib.AbstractContextManager[TextIO]:
    encoding = "utf-8-sig" if args.excel and args.format == "csv" else "utf-8"
    if args.output:
        return open(args.output, "w", encoding=encoding, newline="")
    sys.stdout.reconfigure(encoding=encoding, newline="")
    return contextlib.nullcontext(sys.stdout)


def run(args: argparse.Namespace) -> int:
    conn = open_readonly(args.db)
    try:
        with output(args) as out:
            write = write_csv if args.format == "csv" else write_json
            count = write(out, rows(conn, args))
    except BrokenPipeError:  # the reader (head, less) has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        conn.close()
    print(f"{count} articles exported", file=sys.stderr)
    return 0
