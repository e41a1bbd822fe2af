"""Raw capture: every response of a crawl lands in the run's WARC file, and pages point to it."""
from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

import plaincrawl
from scraper.archive import captures
from faultserver import fault_server  # noqa: F401

WARC_ONLY = {"DOWNLOADER_MIDDLEWARES": {"scraper.crawl.warc.WarcMiddleware": 890}, "EXTENSIONS": {}}


def records(path: Path) -> list:
    with path.open("rb") as stream:
        return [
            (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
             record.http_headers and record.http_headers.get_statuscode())
            for record in ArchiveIterator(stream, check_digests="raise")
        ]


def record_at(path: Path, offset: int):
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read()


def crawl(tmp_path, server, *paths, **settings):
    urls = [server.url(path) for path in paths]
    return plaincrawl.run(tmp_path / "out", urls, **{**WARC_ONLY, **settings})


def test_each_page_points_at_its_own_record(fault_server, tmp_path):  # noqa: F811
    pages, _ = crawl(tmp_path, fault_server, "/portal/", ARCHIWUM_WARC_DIR=str(tmp_path / "w"))
    [warc] = (tmp_path / "w").iterdir()
    assert len(pages) > fault_server.articles
    for page in pages:
        assert page["warc"]["file"] == str(warc)  # outside the archive's folder: the absolute path
        url, body = record_at(warc, page["warc"]["offset"])
        assert url == page["url"]
        assert body.decode(page["encoding"]) == page["text"]


def test_every_response_is_captured_with_its_request(fault_server, tmp_path):  # noqa: F811
    _, stats = crawl(tmp_path, fault_server, "/fault/redirect/3", "/fault/missing", "/fault/flaky/warc",
                     ARCHIWUM_WARC_DIR=str(tmp_path / "w"))
    [warc] = (tmp_path / "w").iterdir()
    found = records(warc)
    responses = [(url.split("/fault/")[1], status) for kind, url, status in found if kind == "response"]
    assert sorted(responses) == sorted([
        ("redirect/3", "302"), ("redirect/2", "302"), ("redirect/1", "302"), ("redirect/0", "200"),
        ("missing", "404"), ("flaky/warc", "500"), ("flaky/warc", "200"),
    ])
    assert len(responses) == stats["downloader/response_count"] == stats["warc/records"]
    assert [kind for kind, *_ in found].count("request") == len(responses)
    assert found[0][0] == "warcinfo"


def test_one_file_per_run_next_to_the_database(fault_server, tmp_path):  # noqa: F811
    db = tmp_path / "archive.db"
    for _ in range(2):
        crawl(tmp_path, fault_server, "/fault/missing", ARCHIWUM_DB=str(db))
    files = sorted((tmp_path / "warc").iterdir())
    assert len(files) == 2 and all(f.name.endswith(".warc.gz") for f in files)


def test_the_archive_finds_a_capture_wherever_the_crawl_put_it(tmp_path):
    db = tmp_path / "data" / "archive.db"
    beside, elsewhere = db.parent / "warc" / "run.warc.gz", tmp_path / "captures" / "run.warc.gz"
    assert captures.recorded_name(db, beside) == "warc/run.warc.gz"
    assert captures.recorded_name(db, elsewhere) == str(elsewhere)
    for path in (beside, elsewhere):
        assert captures.capture_path(db, captures.recorded_name(db, path)) == path
    assert captures.capture_path(db, "run.warc.gz") == beside  # rows written before paths were recorded
