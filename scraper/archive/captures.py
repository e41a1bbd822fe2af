"""Where an article's raw capture is: the one place that turns `articles.warc_file` into a file.

The crawl records each WARC file by its path relative to the archive's folder (`warc/<run>.warc.gz`
with the default `ARCHIWUM_WARC_DIR`), or by its absolute path when the WARC directory lies
elsewhere, so the web UI finds the capture wherever the crawl put it. Rows written before this
rule hold a bare file name, which meant `warc/<name>` next to the archive.
"""
from __future__ import annotations

import os
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

DEFAULT_FOLDER = "warc"


def recorded_name(db_path: str | Path | None, warc_path: Path) -> str:
    """How the archive at db_path records the WARC file at warc_path."""
    warc_path = Path(os.path.abspath(warc_path))
    if db_path:
        folder = Path(os.path.abspath(db_path)).parent
        if warc_path.is_relative_to(folder):
            return warc_path.relative_to(folder).as_posix()
    return str(warc_path)


def capture_path(db_path: str | Path, warc_file: str) -> Path:
    """The WARC file an article row names, as recorded by `recorded_name`."""
    if "/" not in warc_file and os.sep not in warc_file:
        warc_file = f"{DEFAULT_FOLDER}/{warc_file}"
    return Path(db_path).parent / warc_file


def read_record(path: Path, offset: int):
    """(the HTTP response's headers, its payload) of the WARC response record at offset."""
    _, http_headers, body = read_response(path, offset)
    return http_headers, body


def read_response(path: Path, offset: int):
    """(the WARC record's headers, the HTTP response's headers, its payload) at offset."""
    with open(path, "rb") as warc:
        warc.seek(offset)
        record = next(iter(ArchiveIterator(warc)))
        return record.rec_headers, record.http_headers, record.content_stream().read()
