"""From what the crawl fetched to searchable text: store the crawl's manifests of fetched files
in `attachment_files`, then read every document not read yet, each in a worker process under
its limits (scraper/attachments/isolate.py), a pool of `workers` at once, and store its pages
(the index follows through triggers: scraper/archive/attachment_index.py).

`archiwum attachments` runs this for the backlog; `archiwum crawl` runs it at its end when
`ARCHIWUM_ATTACHMENT_READ_AFTER_CRAWL` is on (a nightly crawl reads just what it fetched).
A document that cannot be read gets its one error in `attachment_documents.error` and is not
tried again (`--retry-errors` does).
"""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils
from scraper.archive import captures
from scraper.archive.db import write_transaction
from scraper.archive.attachment_index import FILE_COLUMNS
from scraper.attachments.fetch import MANIFEST_SUFFIX
from scraper.attachments.isolate import read_isolated
from scraper.attachments.result import Reading
from scraper.attachments.worker import Limits

PENDING_SQL = """select f.sha256, min(f.url) as url, min(f.warc_file) as warc_file, min(f.warc_offset) as warc_offset
  from attachment_files f left join attachment_documents d on d.sha256 = f.sha256
  where f.sha256 is not null and (d.sha256 is null or (:retry and d.error is not null))
  group by f.sha256 order by min(f.fetched_at)"""


@dataclass
class Outcome:
    """What a run did: files noted, documents read, pages (by OCR), errors (one per document)."""
    files: int = 0
    documents: int = 0
    pages: int = 0
    ocr_pages: int = 0
    errors: list[str] = field(default_factory=list)
    elsewhere: int = 0  # documents whose WARC file is not on this machine (a distributed crawl's)

    def summary(self) -> str:
        waiting = f", {self.elsewhere} waiting for their WARC files (on other machines)" if self.elsewhere else ""
        return (f"attachments: {self.files} files noted, {self.documents} documents read "
                f"({self.pages} pages, {self.ocr_pages} by OCR), {len(self.errors)} errors{waiting}")


def limits_from(settings) -> Limits:
    """The per-document limits from Archiwum's settings (a Scrapy Settings object)."""
    return Limits(seconds=settings.getfloat("ARCHIWUM_ATTACHMENT_TIMEOUT"),
                  memory_mb=settings.getint("ARCHIWUM_ATTACHMENT_MEMORY_MB"),
                  max_ocr_pages=settings.getint("ARCHIWUM_OCR_MAX_PAGES"),
                  dpi=settings.getint("ARCHIWUM_OCR_DPI"))


# ---------------------------------------------------------------- manifests → attachment_files

def store_manifests(db: sqlite_utils.Database, directory: Path) -> int:
    """Store every manifest line found beside the WARC files; a stored manifest is deleted."""
    count = 0
    for manifest in sorted(directory.glob(f"*{MANIFEST_SUFFIX}")):
        lines = [json.loads(line) for line in manifest.read_text("utf-8").splitlines()
                 if line.strip().endswith("}")]  # a killed crawl may leave half a line
        with write_transaction(db):
            for line in lines:
                store_file(db, line)
        manifest.unlink()
        count += len(lines)
    return count


def store_file(db: sqlite_utils.Database, line: dict) -> None:
    if line.get("not_modified"):
        db.execute("update attachment_files set fetched_at = ? where url = ?",
                   [line["fetched_at"], line["url"]])
        return
    if line.get("skipped"):  # a document link not fetched: noted, unless the URL was fetched once
        db.execute("insert into attachment_files (url, source, fetched_at, skipped) values (?, ?, ?, ?) "
                   "on conflict(url) do update set fetched_at = excluded.fetched_at, skipped = excluded.skipped "
                   "where attachment_files.sha256 is null",
                   [line["url"], line["source"], line["fetched_at"], line["skipped"]])
        return
    row = {key: line.get(key) for key in FILE_COLUMNS}
    columns = ", ".join(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "url")
    db.execute(f"insert into attachment_files ({columns}) values ({', '.join('?' * len(row))}) "
               f"on conflict(url) do update set {updates}", list(row.values()))


# ---------------------------------------------------------------- reading documents

def payload(db_path: str | Path, warc_file: str, offset: int) -> bytes:
    """The file as received: the body of the response record at `offset` of the WARC file the
    archive names (content and transfer encodings undone)."""
    return captures.read_record(captures.capture_path(db_path, warc_file), offset)[1]


def pending(db: sqlite_utils.Database, retry_errors: bool = False) -> list[dict]:
    return [dict(row) for row in db.query(PENDING_SQL, {"retry": retry_errors})]


def on_this_machine(db_path: str | Path, document: dict) -> bool:
    return captures.capture_path(db_path, document["warc_file"]).is_file()


def read_documents(todo: list[dict], db_path: str | Path, limits: Limits,
                   workers: int) -> Iterator[tuple[dict, Reading, float]]:
    """Each document's reading as it is done (worker processes, `workers` at a time)."""
    def read(document: dict) -> tuple[dict, Reading, float]:
        started = time.monotonic()
        try:
            data = payload(db_path, document["warc_file"], document["warc_offset"])
        except (OSError, StopIteration, ValueError) as error:
            return document, Reading("unknown", error=f"not readable from the WARC file ({error})"), 0.0
        return document, read_isolated(data, limits), time.monotonic() - started

    with ThreadPoolExecutor(max(1, workers)) as pool:
        yield from pool.map(read, todo)


def store_reading(db: sqlite_utils.Database, sha256: str, reading: Reading, seconds: float) -> None:
    methods = sorted({page.method for page in reading.pages})
    confidences = [p.confidence for p in reading.pages if p.confidence is not None]
    with write_transaction(db):
        db.execute("delete from attachment_pages where sha256 = ?", [sha256])
        db["attachment_documents"].upsert({
            "sha256": sha256, "kind": reading.kind, "pages": reading.page_count,
            "method": "+".join(methods) or None,
            "ocr_confidence": round(sum(confidences) / len(confidences), 1) if confidences else None,
            "error": reading.error, "seconds": round(seconds, 2),
            "read_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }, pk="sha256")
        db["attachment_pages"].insert_all(
            ({"sha256": sha256, "page": p.page, "text": p.text, "method": p.method,
              "confidence": p.confidence} for p in reading.pages), pk=("sha256", "page"))


def process(db: sqlite_utils.Database, db_path: str | Path, directory: Path, limits: Limits,
            workers: int = 1, retry_errors: bool = False,
            report: Callable[[str], None] | None = None) -> Outcome:
    """Store the manifests in `directory` (the WARC files'), then read every document of the
    archive at `db_path` not read yet."""
    outcome = Outcome(files=store_manifests(db, directory) if directory.is_dir() else 0)
    todo = pending(db, retry_errors)
    here = [document for document in todo if on_this_machine(db_path, document)]
    outcome.elsewhere = len(todo) - len(here)  # left unread, for a machine that has the file
    for document, reading, seconds in read_documents(here, db_path, limits, workers):
        store_reading(db, document["sha256"], reading, seconds)
        outcome.documents += 1
        outcome.pages += len(reading.pages)
        outcome.ocr_pages += sum(p.method == "ocr" for p in reading.pages)
        if reading.error:
            outcome.errors.append(f"{document['url']}: {reading.error}")
            if report:
                report(f"attachment {document['url']}: {reading.error}")
    return outcome
