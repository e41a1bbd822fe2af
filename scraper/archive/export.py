"""`archiwum export` and the web UI's downloads: the articles of a Selection as CSV, JSON or
.xlsx, streamed, in the order the results page shows them.

For spreadsheets (`--excel`, `--format xlsx`, the UI's "CSV dla Excela" and .xlsx links) the
file opens right in Excel with Polish regional settings: `;` between cells and a byte-order
mark, a real date in `published_date`, no cell past Excel's 32,767 characters, and no cell that
Excel would run as a formula (a value starting with = + - @, a tab or a carriage return).
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from scraper.archive import search_index
from scraper.archive.db import ARTICLE_COLUMNS, ArchiveError
from scraper.archive.selection import (ORDERS, Selection, SelectionError, checked, source_names,
                                       year_range)

RANK_COLUMN = "relevance"
# What a journalist reads first; `--all-columns` adds every other column of the archive.
FIRST_COLUMNS = ["published_date", "title", "source_name", "city", "voivodeship", "url",
                 "author", "topics", "body", "published", "updated", "id"]
ALL_COLUMNS = FIRST_COLUMNS + [c for c in ARTICLE_COLUMNS if c not in FIRST_COLUMNS]
ORDER_SQL = {"newest": "articles.published desc, articles.id",
             "oldest": "articles.published, articles.id",
             "relevance": "coalesce(own.score, 0), articles.id"}
# The articles' own bm25 score; an article found by its attachments alone scores 0 (last).
OWN_SCORES = (f"left join (select rowid, bm25(articles_fts, 5.0, 1.0) as score from articles_fts "
              f"where articles_fts match {search_index.MATCH_FUNCTION}(:search)) as own "
              f"on own.rowid = articles.rowid")
EXCEL_CELL_MAX = 32_767
CUT_MARK = " […] (tekst skrócony: komórka Excela mieści 32 767 znaków)"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FETCH_ROWS = 1_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", metavar="Q", help="full-text query, as in the search box")
    parser.add_argument("--source", metavar="S", help="only this source (its id or name)")
    parser.add_argument("--city", metavar="C", help="only this city, e.g. Łódź (or lodz)")
    parser.add_argument("--voivodeship", metavar="V", help="only this voivodeship, e.g. łódzkie")
    parser.add_argument("--topic", metavar="T", help="only this topic, e.g. seniorzy")
    parser.add_argument("--year", metavar="YYYY", help="published in this year")
    parser.add_argument("--since", metavar="D",
                        help="published on or after D (2021, 03.2021, 15.03.2021, 2021-03-15)")
    parser.add_argument("--until", metavar="D",
                        help="published on or before D; a year or month means to its end")
    parser.add_argument("--order", choices=ORDERS,
                        help="default: relevance with --search (a relevance column), else newest")
    parser.add_argument("--no-attachments", action="store_true",
                        help="--search the articles' own text only, not their attachments")
    parser.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    parser.add_argument("--excel", action="store_true",
                        help="CSV for Excel: ';' separated, with a byte-order mark")
    parser.add_argument("--all-columns", action="store_true",
                        help="every column of the archive, not only the ones read first")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write here (default: stdout; xlsx needs a file)")


def open_readonly(path: str) -> sqlite3.Connection:
    if not Path(path).is_file():
        raise ArchiveError(f"{path} does not exist")
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    search_index.register_functions(conn)
    return conn


def selection_from_args(args: argparse.Namespace) -> Selection:
    since, until = args.since or "", args.until or ""
    if args.year:
        if since or until:
            raise SelectionError("give --year or --since/--until, not both",
                                 "Podaj rok albo zakres dat, nie oba.")
        since, until = year_range(args.year)
    return Selection(search=(args.search or "").strip(), source=args.source or "",
                     city=args.city or "", voivodeship=args.voivodeship or "",
                     topic=args.topic or "", since=since, until=until, order=args.order or "",
                     attachments=not getattr(args, "no_attachments", False))


def columns_for(selection: Selection, all_columns: bool) -> list[str]:
    columns = ALL_COLUMNS if all_columns else FIRST_COLUMNS
    return [RANK_COLUMN, *columns] if selection.ranked else list(columns)


def select_sql(selection: Selection) -> tuple[str, dict]:
    """Every article of the selection, in its order; relevance (higher is better) when ranked."""
    where, params = selection.where()
    if selection.ranked:
        return (f"select articles.*, round(-coalesce(own.score, 0), 3) as {RANK_COLUMN} "
                f"from articles {OWN_SCORES} where {where} order by {ORDER_SQL['relevance']}",
                params)
    return (f"select articles.* from articles where {where} "
            f"order by {ORDER_SQL[selection.resolved_order]}", params)


def rows(conn: sqlite3.Connection, selection: Selection) -> Iterator[sqlite3.Row]:
    cursor = conn.execute(*select_sql(selection))
    while batch := cursor.fetchmany(FETCH_ROWS):
        yield from batch


def published_date(published: str | None) -> date | None:
    """The day of an ISO date or date-time; None when only the month or year is known."""
    try:
        return date.fromisoformat(published[:10]) if published and len(published) >= 10 else None
    except ValueError:
        return None


def topic_list(value: str | None) -> list[str]:
    try:
        topics = json.loads(value) if value else []
    except ValueError:
        return []
    return topics if isinstance(topics, list) else []


class Records:
    """Rows of the selection as dicts of the export's columns (the stored text: highlight marks
    are added only by the web page's snippets, never here)."""

    def __init__(self, conn: sqlite3.Connection, selection: Selection, all_columns: bool = False):
        self.conn, self.selection = conn, selection
        self.columns = columns_for(selection, all_columns)
        self.names = source_names(conn)

    def __iter__(self) -> Iterator[dict]:
        for row in rows(self.conn, self.selection):
            record = dict(row)
            record["published_date"] = published_date(record["published"])
            record["source_name"] = self.names.get(record["source"], record["source"])
            record["topics"] = topic_list(record["topics"])
            yield {column: record.get(column) for column in self.columns}


def spreadsheet_text(value: str) -> str:
    """Text a spreadsheet shows as typed: never run as a formula, never past a cell's limit."""
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    if len(value) > EXCEL_CELL_MAX:
        value = value[:EXCEL_CELL_MAX - len(CUT_MARK)] + CUT_MARK
    return value


def csv_cell(value, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(value)
    elif isinstance(value, date):
        value = value.isoformat()
    elif not isinstance(value, str):
        return str(value)
    return spreadsheet_text(value) if excel else value


def csv_lines(records: Records, excel: bool) -> Iterator[str]:
    """The CSV text in pieces of FETCH_ROWS rows (for a file or an HTTP stream)."""
    buffer = _Buffer()
    writer = csv.writer(buffer, delimiter=";" if excel else ",")
    writer.writerow(records.columns)
    for count, record in enumerate(records, 1):
        writer.writerow([csv_cell(record[column], excel) for column in records.columns])
        if count % FETCH_ROWS == 0:
            yield buffer.take()
    yield buffer.take()


class _Buffer:
    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def as_json(record: dict) -> str:
    record = {k: v.isoformat() if isinstance(v, date) else v for k, v in record.items()}
    return json.dumps(record, ensure_ascii=False)


def write_json(out: TextIO, records: Iterable[dict]) -> int:
    out.write("[")
    count = 0
    for count, record in enumerate(records, 1):
        out.write(("\n" if count == 1 else ",\n") + as_json(record))
    out.write("\n]\n")
    return count


def write_xlsx(path: str | Path, records: Records) -> int:
    """A workbook of one sheet: dates as dates, text as text (never formulas), frozen header."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("artykuly")
    sheet.freeze_panes = "A2"
    header = []
    for column in records.columns:
        cell = WriteOnlyCell(sheet, column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for count, record in enumerate(records, 1):
        sheet.append([_xlsx_cell(sheet, WriteOnlyCell, record[c]) for c in records.columns])
    workbook.save(path)
    return count


def _xlsx_cell(sheet, make_cell: Callable, value):
    if isinstance(value, list):
        value = ", ".join(value)
    if isinstance(value, date):
        cell = make_cell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if not isinstance(value, str):
        return value
    cell = make_cell(sheet, None)
    # A string cell is never a formula; quotePrefix keeps Excel from reading it as one on edit.
    cell.value, cell.data_type = _within_cell(value), "s"
    cell.quotePrefix = value.startswith(FORMULA_STARTS)
    return cell


def _within_cell(value: str) -> str:
    if len(value) > EXCEL_CELL_MAX:
        return value[:EXCEL_CELL_MAX - len(CUT_MARK)] + CUT_MARK
    return value


def output(args: argparse.Namespace) -> contextlib.AbstractContextManager[TextIO]:
    encoding = "utf-8-sig" if args.excel and args.format == "csv" else "utf-8"
    if args.output:
        return open(args.output, "w", encoding=encoding, newline="")
    sys.stdout.reconfigure(encoding=encoding, newline="")
    return contextlib.nullcontext(sys.stdout)


class _Counted:
    """Records that count themselves as they are read."""

    def __init__(self, records: Records):
        self.records, self.count = records, 0
        self.columns = records.columns

    def __iter__(self):
        for self.count, record in enumerate(self.records, 1):
            yield record


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise SelectionError("--format xlsx writes a file: give -o FILE.xlsx",
                             "Plik .xlsx trzeba zapisać do pliku.")
    conn = open_readonly(args.db)
    try:
        selection = checked(conn, selection_from_args(args))
        records = _Counted(Records(conn, selection, args.all_columns))
        if args.format == "xlsx":
            write_xlsx(args.output, records)
        else:
            with output(args) as out:
                if args.format == "csv":
                    for piece in csv_lines(records, args.excel):
                        out.write(piece)
                else:
                    write_json(out, records)
    except BrokenPipeError:  # the reader (head, less) has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        conn.close()
    print(f"{records.count} articles exported", file=sys.stderr)
    return 0
