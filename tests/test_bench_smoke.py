"""The benchmark harness end to end on a small portal: nginx up, both crawls run, a table printed.

Not timed: speed targets live in bench/, this only proves the one command works.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 60


def test_bench_run_crawls_the_portal_and_prints_one_table(tmp_path):
    command = [sys.executable, str(REPO / "bench" / "run.py"), "--only", "crawl", "--pages", str(ARTICLES),
               "--results", str(tmp_path)]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=240)

    assert "metric" in run.stdout and "pass/fail" in run.stdout, run.stdout + run.stderr
    crawl = json.loads((tmp_path / "crawl.json").read_text(encoding="utf-8"))
    portal_pages = crawl["portal"]["pages"]
    assert crawl["portal"]["articles"] == ARTICLES and portal_pages > ARTICLES
    for crawler in crawl["runs"]:
        assert crawler["exit_code"] == 0, (crawler, run.stderr[-3000:])
        assert crawler["pages"] >= portal_pages, crawler
        assert crawler["peak_rss_mb"] > 0
    assert [c["name"] for c in crawl["runs"]] == ["archiwum", "bare"]
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    speed = next(r for r in summary["rows"] if r["metric"].startswith("crawl pages/s"))
    assert speed["reference"] > 0
    assert speed["metric"] in run.stdout
