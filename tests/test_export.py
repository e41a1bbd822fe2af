"""`archiwum export`: streamed CSV/JSON of the archive, filtered like the Datasette UI."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
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
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.startswith("published_date;") or text.startswith("relevance;") else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_excel_csv_starts_with_a_bom_and_keeps_polish_letters(archive, tmp_path):
    data = export_file(archive, tmp_path, "--search", "lodz", "--excel")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert {row["id"] for row in rows} == {"lodz-seniorzy", "lodz-rewitalizacja"}
    assert {row["city"] for row in rows} == {"Łódź"}
    assert "Łódź kończy rewitalizację osiedla." in "".join(row["body"] for row in rows)


def test_plain_csv_has_no_bom(archive, tmp_path):
    assert export_file(archive, tmp_path, "--city", "Gdańsk").startswith(b"published_date,title,")


def test_json_is_an_array_with_topics_as_lists(archive, tmp_path):
    items = json.loads(export_file(archive, tmp_path, "--format", "json", "--search", "seniorzy",
                                    "--order", "newest"))
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


def test_excel_csv_is_semicolon_separated_with_the_journalist_columns_first(archive, tmp_path):
    data = export_file(archive, tmp_path, "--city", "Łódź", "--excel")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("published_date;title;source_name;city;voivodeship;url;")
    rows = csv_rows(data)
    assert [(row["published_date"], row["title"]) for row in rows] == [
        ("2024-03-01", "Nowy klub seniora"), ("2023-06-10", "Rewitalizacja Księżego Młyna")]


def test_ranked_export_has_a_relevance_column_and_the_best_match_first(archive, tmp_path):
    rows = csv_rows(export_file(archive, tmp_path, "--search", "wolontariat", "--excel"))
    assert [row["id"] for row in rows] == ["krakow-wolontariat", "krakow-sprawozdanie"]
    assert float(rows[0]["relevance"]) > float(rows[1]["relevance"]) > 0
    newest = csv_rows(export_file(archive, tmp_path, "--search", "wolontariat", "--order", "newest"))
    assert [row["id"] for row in newest] == ["krakow-sprawozdanie", "krakow-wolontariat"]
    assert "relevance" not in newest[0]


@pytest.mark.parametrize("args, expected", [
    (["--city", "gdansk"], {"gdansk-budzet", "gdansk-bezdomnosc"}),
    (["--city", "KRAKÓW", "--year", "2024"], {"krakow-budzet-panstwa"}),
    (["--voivodeship", "Pomorskie", "--until", "2022"], {"gdansk-bezdomnosc"}),
    (["--city", "Kraków", "--until", "2021"], {"krakow-polityka", "krakow-wolontariat"}),
    (["--city", "Kraków", "--since", "01.01.2023"], {"krakow-sprawozdanie", "krakow-budzet-panstwa"}),
    (["--city", "Kraków", "--since", "05.2021", "--until", "20.05.2021"], {"krakow-polityka"}),
    (["--topic", "bezdomnosc"], {"gdansk-bezdomnosc"}),
])
def test_filters_read_dates_as_typed_and_values_without_diacritics(archive, tmp_path, args,
                                                                   expected):
    assert {row["id"] for row in csv_rows(export_file(archive, tmp_path, *args))} == expected


@pytest.mark.parametrize("args, message", [
    (["--source", "nosuch"], "archiwum: error: no article has source 'nosuch'"),
    (["--city", "Gdansko"], "archiwum: error: no article has city 'Gdansko' (did you mean 'Gdańsk'?)"),
    (["--since", "32.01.2021"], "archiwum: error: cannot read the date '32.01.2021'"),
    (["--since", "2024", "--until", "2023"], "archiwum: error: --since 2024-01-01 is after --until 2023-12-31"),
    (["--year", "24"], "archiwum: error: --year takes four digits"),
    (["--format", "xlsx"], "archiwum: error: --format xlsx writes a file"),
])
def test_unknown_values_are_refused_in_one_line(archive, args, message):
    result = archiwum("export", "--db", str(archive), *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_formulas_are_text_in_every_spreadsheet_export(tmp_path):
    path = build_archive(tmp_path / "archive.db")
    db = archive_db.connect(path)
    formulas = ["=HYPERLINK(\"http://x.example\")", "+48 123", "-1+2", "@SUM(A1)", "\tx", "\rx"]
    with db.conn:
        db["articles"].upsert_all([article_row(f"formula-{n}", "Kraków", "krakow-mopr",
                                               "2025-02-02", text, "Treść. " + "ż" * 40_000)
                                   for n, text in enumerate(formulas)], pk="id")
    db.conn.close()
    rows = csv_rows(export_file(path, tmp_path, "--since", "2025-02-02", "--excel"))
    assert sorted(row["title"] for row in rows) == sorted("'" + text for text in formulas)
    assert all(len(row["body"]) <= 32_767 and row["body"].endswith("32 767 znaków)") for row in rows)
    plain = csv_rows(export_file(path, tmp_path, "--since", "2025-02-02"))
    assert sorted(row["title"] for row in plain) == sorted(formulas)  # CSV for programs: as is
    out = tmp_path / "out.xlsx"
    assert cli.main(["export", "--db", str(path), "--since", "2025-02-02", "--format", "xlsx",
                     "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    titles = [sheet.cell(row, 2) for row in range(2, sheet.max_row + 1)]
    assert sorted(cell.value for cell in titles) == sorted(formulas)
    assert all(cell.data_type == "s" for cell in titles)
    assert all(cell.quotePrefix for cell in titles)


def test_xlsx_reads_back_with_polish_letters_and_real_dates(archive, tmp_path):
    out = tmp_path / "lodz.xlsx"
    assert cli.main(["export", "--db", str(archive), "--city", "lodz", "--format", "xlsx",
                     "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("published_date", "title", "source_name", "city")
    assert [row[:2] for row in rows[1:]] == [
        (datetime(2024, 3, 1), "Nowy klub seniora"),
        (datetime(2023, 6, 10), "Rewitalizacja Księżego Młyna")]
    assert {row[3] for row in rows[1:]} == {"Łódź"}
    assert sheet.cell(2, 1).is_date
