"""`archiwum explain URL`: what the archive knows of one page, and why it was (not) stored.

The first thing an operator needs when an article is missing. It reads the page's last fate
(`page_fates`, written by the crawl: scraper/crawl/fates.py) with the crawl it came from, the
article stored from it, and the crawler's notes (`leaf_pages`, `early_pages`).
"""
from __future__ import annotations

from scraper.archive.db import connect
from scraper.urls import canonicalize


def explain(db_path: str, url: str) -> tuple[list[str], bool]:
    """The lines to print, and whether the archive knows the page at all."""
    db = connect(db_path)
    try:
        urls = list(dict.fromkeys([url, canonicalize(url)]))
        lines = [*fate_lines(db, urls), *article_lines(db, urls), *note_lines(db, urls)]
    finally:
        db.conn.close()
    if not lines:
        return [f"{url}: not known to this archive — no crawl has fetched it since page fates are kept "
                "(is it linked from the portal, within its hosts, max_depth and max_pages?)"], False
    return [url, *lines], True


def placeholders(urls: list[str]) -> str:
    return ", ".join("?" * len(urls))


def fate_lines(db, urls: list[str]) -> list[str]:
    rows = db.execute(
        "select f.fate, f.detail, f.fetched_at, f.crawl_id, c.started_at, c.status from page_fates f "
        f"left join crawls c on c.id = f.crawl_id where f.url in ({placeholders(urls)})", urls).fetchall()
    lines = []
    for fate, detail, fetched_at, crawl_id, started_at, status in rows:
        crawl = f"crawl {crawl_id} (started {started_at}, {status})" if crawl_id else "a crawl"
        lines.append(f"  last fetched {fetched_at} by {crawl}: {fate}{f' ({detail})' if detail else ''}")
    return lines


def article_lines(db, urls: list[str]) -> list[str]:
    rows = db.execute(
        "select id, source, title, published, first_seen, last_seen, duplicate_of, warc_file, warc_offset "
        f"from articles where url in ({placeholders(urls)})", urls).fetchall()
    lines = []
    for article_id, source, title, published, first_seen, last_seen, duplicate_of, warc_file, warc_offset in rows:
        lines.append(f"  stored as article {article_id} of {source}: {title!r}, published {published or 'unknown'}, "
                     f"first seen {first_seen}, last seen {last_seen}")
        if duplicate_of:
            lines.append(f"  a near-duplicate of article {duplicate_of}")
        if warc_file:
            lines.append(f"  raw page: {warc_file} at offset {warc_offset}")
    return lines


def note_lines(db, urls: list[str]) -> list[str]:
    lines = []
    for kind, last_seen in db.execute(
            f"select kind, last_seen from leaf_pages where url in ({placeholders(urls)})", urls).fetchall():
        lines.append(f"  a leaf page ({kind}), last seen {last_seen}: nightly crawls skip it for "
                     "ARCHIWUM_RECHECK_DAYS")
    if db.execute(f"select count(*) from early_pages where url in ({placeholders(urls)})", urls).fetchone()[0]:
        lines.append("  noted for the re-clean: read again with the learned template at the end of the crawl "
                     "(of the next one, if that crawl stopped first)")
    return lines
