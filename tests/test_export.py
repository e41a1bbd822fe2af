"""`archiwum export`: streamed CSV/JSON of the archive, filtered like the Datasette UI."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import archiwum
from scraper.cli import main as cli
from scraper.archive import db as archive_db
from test_search import ARTICLES, FILLER_ROWS, article_row, build_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("export") / "archive.db")


def export_file(archive: Path, tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "out"
    assert cli.main(["export", "--db", str(archive), *args, "-o", str(out)]) == 0
    return out.read_bytes()


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_excel_csv_starts_with_a_bom_and_keeps_polish_letters(archive, tmp_path):
    data = export_file(archive, tmp_path, "--search", "lodz", "--excel")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert {row["id"] for row in rows} == {"lodz-seniorzy", "lodz-rewitalizacja"}
    assert {row["city"] for row in rows} == {"Łódź"}
    assert "Łódź kończy rewitalizację osiedla." in "".join(row["body"] for row in rows)


def test_plain_csv_has_no_bom(archive, tmp_path):
    assert export_file(archive, tmp_path, "--city", "Gdańsk").startswith(b"id,url,")


def test_json_is_an_array_with_topics_as_lists(archive, tmp_path):
    items = json.loads(export_file(archive, tmp_path, "--format", "json", "--search", "seniorzy"))
    assert {item["id"] for item in items} == {"lodz-seniorzy", "warszawa-payload"}
    assert all("seniorzy" in item["topics"] for item in items)
    assert items[0]["published"] >= items[1]["published"]


@pytest.mark.parametrize("args, expected", [
    (["--source", "gdansk-mops"], {"gdansk-budzet", "gdansk-bezdomnosc"}),
    (["--city", "Kraków", "--since", "2024-01-01"], {"krakow-budzet-panstwa"}),
    (["--search", "budzet", "--until", "2024-01-05"], {"krakow-budzet-panstwa"}),
    (["--search", '"budżet obywatelski"', "--since", "2024-01-01", "--until", "2024-12-31"],
     {"gdansk-budzet"}),
])
def test_filters_combine(archive, tmp_path, args, expected):
    assert {row["id"] for row in csv_rows(export_file(archive, tmp_path, *args))} == expected


def test_whole_archive_is_exported_not_the_first_thousand(archive, tmp_path):
    assert len(csv_rows(export_file(archive, tmp_path))) == len(ARTICLES) + FILLER_ROWS


def test_command_streams_to_stdout(archive):
    result = archiwum("export", "--db", str(archive), "--search", "bezdomnosc", check=True)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["title"] for row in rows] == ["Zima i bezdomność"]
    assert "1 articles exported" in result.stderr


def test_missing_archive_is_a_one_line_error(tmp_path):
    result = archiwum("export", "--db", str(tmp_path / "nowhere.db"))
    assert result.returncode != 0
    assert result.stderr.strip() == f"archiwum: error: {tmp_path / 'nowhere.db'} does not exist"


def test_since_keeps_an_article_dated_only_by_its_month(tmp_path):
    path = build_archive(tmp_path / "archive.db")
    db = archive_db.connect(path)
    with db.conn:
        db["articles"].upsert(article_row("krakow-maj", "Kraków", "krakow-mops", "2024-05", "Sprawozdanie za maj",
                                          "Sprawozdanie ośrodka pomocy społecznej za maj."), pk="id")
    db.conn.close()
    rows = csv_rows(export_file(path, tmp_path, "--since", "2024-05-10", "--until", "2024-05-31"))
    assert [row["id"] for row in rows] == ["krakow-maj"]
