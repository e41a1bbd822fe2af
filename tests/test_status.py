"""Per-portal health: a `crawl_sources` row per source per run, and `archiwum status` naming what needs a look."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from dataclasses import replace

import pytest

from scraper.archive.db import connect
from scraper.cli.demo import LOCAL_CRAWL_SETTINGS, demo_sources
from scraper.registry.sources import load_registry, to_toml
from tests.conftest import archiwum

LOCAL = [arg for name, value in LOCAL_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
SITES = ["gdansk", "bdp"]


def query(db, sql: str, *args) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, args)]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def nights(replicas, tmp_path_factory):
    """Two replica portals crawled twice; before the second night one of them moved its news away
    (its old news page answers 404, its feed is gone) — the redesign nobody announces."""
    folder = tmp_path_factory.mktemp("status")
    db, registry = folder / "archive.db", folder / "sources.toml"
    sources = demo_sources(replicas, SITES)
    runs = []
    for night in (1, 2):
        if night == 2:
            moved = sources[1]
            sources[1] = replace(moved, start_urls=[moved.start_urls[0].rstrip("/") + "/stare-aktualnosci/"],
                                 feeds=[], sitemaps=[])
        registry.write_text(to_toml(sources), encoding="utf-8")
        runs.append(archiwum("crawl", "--registry", str(registry), "--db", str(db), *LOCAL, check=True))
    return {"db": db, "registry": registry, "sources": [s.id for s in sources]}


def test_every_source_gets_a_row_per_run_with_its_own_figures(nights):
    db = nights["db"]
    first = {row["source"]: row for row in query(db, "select * from crawl_sources where crawl_id = 1")}
    assert set(first) == set(nights["sources"])
    stored = {row["source"]: row["n"] for row in query(db, "select source, count(*) n from articles group by source")}
    for source, row in first.items():
        assert row["articles_new"] == stored[source] > 0
        assert row["pages"] > row["articles_new"] and row["ended"] == "finished"
    [crawl] = query(db, "select pages_fetched, articles_new from crawls where id = 1")
    assert sum(row["articles_new"] for row in first.values()) == crawl["articles_new"]
    assert sum(row["pages"] for row in first.values()) <= crawl["pages_fetched"]  # robots.txt has no source


def test_the_portal_that_moved_its_news_has_errors_and_no_articles(nights):
    well, moved = nights["sources"]
    second = {row["source"]: row for row in query(nights["db"], "select * from crawl_sources where crawl_id = 2")}
    assert second[well]["articles_unchanged"] > 0 and second[well]["error_count"] == 0
    assert second[moved]["articles_new"] + second[moved]["articles_unchanged"] == 0
    assert json.loads(second[moved]["errors"]) == {"http_404": 1}


def test_status_names_the_portal_that_stopped_yielding_articles(nights):
    well, moved = nights["sources"]
    result = archiwum("status", "--db", str(nights["db"]), "--registry", str(nights["registry"]))
    assert result.returncode == 1, result.stdout + result.stderr
    looks = result.stdout.split("needs a look:")[1]
    assert moved in looks and well not in looks
    assert "last run #2: finished" in result.stdout
    assert f"{well} " in result.stdout.split("needs a look:")[0]  # the per-source table


def archive_of_runs(db_path, runs: list[dict[str, tuple[int, int, int]]]) -> None:
    """An archive whose crawls gave, per run, source -> (pages, new, errors)."""
    db = connect(db_path)
    with db.conn:
        for number, run in enumerate(runs, start=1):
            db["crawls"].insert({"id": number, "started_at": f"2026-11-{number:02d}T02:15:00+00:00",
                                 "status": "finished", "finish_reason": "finished", "exit_status": 0,
                                 "pages_fetched": 1, "articles_new": 0, "articles_changed": 0,
                                 "articles_unchanged": 0, "error_count": 0})
            for source, (pages, new, errors) in run.items():
                db["crawl_sources"].insert({"crawl_id": number, "source": source, "pages": pages,
                                            "articles_new": new, "articles_changed": 0,
                                            "articles_unchanged": 50, "errors": "{}",
                                            "error_count": errors, "robots_forbidden": 0,
                                            "budget_reached": 0, "ended": "finished"})
    db.conn.close()


def test_status_flags_quiet_sources_error_jumps_and_sources_never_crawled(tmp_path):
    db, registry = tmp_path / "archive.db", tmp_path / "sources.toml"
    quiet_nights = [{"lively": (100, 3, 1), "quiet": (100, 0, 1), "breaking": (100, 2, 1)}] * 7
    archive_of_runs(db, [{"lively": (100, 3, 1), "quiet": (100, 4, 1), "breaking": (100, 2, 1)}, *quiet_nights,
                         {"lively": (100, 3, 1), "quiet": (100, 0, 1), "breaking": (60, 1, 40)}])
    registry.write_text(to_toml([replace(s, id=name) for s, name in
                                 zip(demo_sources_offline(), ["lively", "quiet", "breaking", "forgotten"])]))
    result = archiwum("status", "--db", str(db), "--registry", str(registry))
    assert result.returncode == 1
    looks = dict(line.strip().split(": ", 1) for line in result.stdout.split("needs a look:\n")[1].splitlines())
    assert looks == {"quiet": "0 new articles in the last 8 runs",
                     "breaking": "error rate 40% (before: 1%)",
                     "forgotten": "never crawled"}
    relaxed = archiwum("status", "--db", str(db), "--registry", str(registry), "--quiet-runs", "9")
    assert "quiet:" not in relaxed.stdout


def test_status_of_a_healthy_archive_exits_0_and_of_no_archive_2(tmp_path):
    db, registry = tmp_path / "archive.db", tmp_path / "sources.toml"
    archive_of_runs(db, [{"lively": (10, 1, 0)}])
    registry.write_text(to_toml([replace(demo_sources_offline()[0], id="lively")]))
    result = archiwum("status", "--db", str(db), "--registry", str(registry), check=True)
    assert "all well" in result.stdout
    missing = archiwum("status", "--db", str(tmp_path / "typo.db"))
    assert missing.returncode == 2 and "no archive at" in missing.stderr
    assert not (tmp_path / "typo.db").exists()


def demo_sources_offline():
    """Registry entries to rename: the status command needs only their ids."""
    return list(load_registry().values())[:4]


def test_status_says_when_the_last_run_was_killed(tmp_path):
    db, registry = tmp_path / "archive.db", tmp_path / "sources.toml"
    archive_of_runs(db, [{"lively": (10, 1, 0)}])
    gone = subprocess.Popen(["true"])  # a process that has ended: its pid is no crawl's any more
    gone.wait()
    conn = connect(db)
    with conn.conn:
        conn["crawls"].insert({"id": 2, "started_at": "2026-11-02T02:15:00+00:00", "status": "running", "pid": gone.pid})
    conn.conn.close()
    registry.write_text(to_toml([replace(demo_sources_offline()[0], id="lively")]))
    result = archiwum("status", "--db", str(db), "--registry", str(registry))
    assert result.returncode == 1 and "killed before its end" in result.stdout
