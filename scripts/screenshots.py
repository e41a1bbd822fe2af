"""Screenshots of the researcher's pages at 1280 px and 390 px (a phone), in headless Chromium.

    uv run python scripts/screenshots.py --db archive.db --out screenshots/

serves the archive with `archiwum serve`'s Datasette on a free 127.0.0.1 port (or uses --url of
one already running) and writes one PNG per page and width: home, results, zero hits, article,
archived copy, timeline. The search words are taken from the archive (its commonest topic).
"""
from __future__ import annotations

import argparse
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scraper.web.serve import datasette_args  # noqa: E402

WIDTHS = {"1280": (1280, 900), "390": (390, 844)}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"screenshots: {url} did not answer in {seconds:.0f} s")


def pages(db: Path) -> dict[str, str]:
    """Page name → path, chosen from what the archive holds."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    topic = conn.execute("select value from facet_counts where facet = 'topics' "
                         "order by count desc limit 1").fetchone()
    article = conn.execute("select id from articles where warc_file is not null "
                           "order by length(body) desc limit 1").fetchone()
    conn.close()
    name = db.stem
    query = urllib.parse.urlencode({"_search": topic[0] if topic else "miasto"})
    quoted = urllib.parse.quote(article[0], safe="") if article else ""
    return {
        "home": "/",
        "results": f"/{name}/articles?{query}",
        "zero-hits": f"/{name}/articles?_search=rewitalizajca",
        "article": f"/{name}/articles/{quoted}",
        "capture": f"/-/archiwum/capture/{quoted}",
        "timeline": f"/-/archiwum/timeline?{query}",
    }


def shoot(base: str, paths: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, (w, h) in WIDTHS.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for name, path in paths.items():
                page.goto(base + path)
                page.wait_for_load_state("load")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=False)
                written.append(target)
            page.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="archive.db", type=Path)
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument("--url", help="a running archiwum serve (default: start one)")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"screenshots: error: {args.db} does not exist", file=sys.stderr)
        return 2
    process = None
    base = args.url
    if not base:
        port = free_port()
        process = subprocess.Popen(datasette_args(args.db, port=port), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/-/versions.json")
        for path in shoot(base.rstrip("/"), pages(args.db), args.out):
            print(path)
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
