"""Comparing what landed in archive.db with the replicas' gold labels."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def stored_articles(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("select * from articles")]
    conn.close()
    return rows


def by_path(rows: list[dict]) -> dict[str, dict]:
    return {local_path(r["url"]): r for r in rows}


def gold_paths(gold: dict) -> set[str]:
    return {gold["path"], *(path for _host, path in gold["duplicates"])}


def find_stored(gold: dict, rows_by_path: dict[str, dict]) -> dict | None:
    return next((rows_by_path[p] for p in gold_paths(gold) if p in rows_by_path), None)


def leaked_text(body: str, gold: dict) -> str:
    """What the stored body says beyond the gold paragraphs: chrome that leaked in."""
    rest = normalise(body)
    for paragraph in sorted(gold["body"], key=len, reverse=True):  # a heading may be quoted in a paragraph
        rest = rest.replace(normalise(paragraph), " ")
    return normalise(rest)


def schema_date(value: str | None) -> str | None:
    """A gold date in the archive's form: local times carry their Europe/Warsaw offset."""
    if not value or "T" not in value or value[-6] in "+-":
        return value
    moment = datetime.fromisoformat(value).replace(tzinfo=WARSAW)
    return moment.isoformat(timespec="seconds")


def assert_archived_like_gold(rows: list[dict], site: str, gold_records: list[dict]) -> None:
    """Every gold article is in the archive with its title, dates, author, view counter and every
    paragraph."""
    stored = by_path(rows)
    for gold in gold_records:
        row = find_stored(gold, stored)
        assert row, f"{site}: {gold['path']} ({gold['title']}) was not archived"
        assert normalise(row["title"]) == normalise(gold["title"]), gold["path"]
        assert row["published"] == schema_date(gold["published"]), gold["path"]
        assert row["updated"] == schema_date(gold["updated"]), gold["path"]
        assert row["created"] == schema_date(gold["created"]), gold["path"]
        assert (row["author"], row["views"]) == (gold["author"], gold["views"]), gold["path"]
        for paragraph in gold["body"]:
            assert normalise(paragraph) in normalise(row["body"]), (gold["path"], paragraph[:60])
