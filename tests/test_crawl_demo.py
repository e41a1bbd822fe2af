"""`archiwum demo` crawls the four seed portals' replicas over HTTP into SQLite."""
import sqlite3
import unicodedata

import pytest

from scraper.archive import captures
from scraper.demo.gold import gold_articles, non_articles
from scraper.demo.sites import DEMO_SITES
from tests.conftest import archiwum
from tests.gold_helpers import (assert_archived_like_gold, by_path, find_stored, leaked_text,
                                local_path, stored_articles)


@pytest.fixture(scope="module")
def rows(demo_archive):
    return stored_articles(demo_archive)


@pytest.mark.parametrize("site", DEMO_SITES)
def test_every_article_is_stored_once_with_title_date_and_body(rows, site):
    assert_archived_like_gold(rows, site, gold_articles(site))


@pytest.mark.parametrize("site", DEMO_SITES)
def test_bodies_carry_no_site_chrome(rows, site):
    stored = by_path(rows)
    for gold in gold_articles(site):
        row = find_stored(gold, stored)
        assert row and not leaked_text(row["body"], gold), (gold["path"], leaked_text(row["body"], gold))


@pytest.mark.parametrize("site", DEMO_SITES)
def test_listings_contact_and_calendar_pages_are_not_articles(rows, site):
    stored_paths = {local_path(r["url"]) for r in rows}
    assert not stored_paths & set(non_articles(site))


def test_one_article_under_many_urls_is_one_row(rows):
    expected = sum(len(gold_articles(site)) for site in DEMO_SITES)
    assert len(rows) == expected
    assert len({r["id"] for r in rows}) == len(rows)


def test_polish_text_is_nfc_without_mojibake(rows):
    text = " ".join(f"{r['title']} {r['body']}" for r in rows)
    assert unicodedata.is_normalized("NFC", text)
    for mojibake in ("Ä…", "Å‚", "Ã³", "Ĺ‚", "\ufffd", "³ó"):
        assert mojibake not in text
    assert "ą" in text and "ł" in text and "ż" in text


def test_articles_carry_their_portal_metadata(rows):
    gdansk = [r for r in rows if r["source"] == "gdansk"]
    assert gdansk and all(r["city"] == "Gdańsk" and r["gmina"] == "Gdańsk" and r["voivodeship"] == "pomorskie"
                          and r["teryt"] == "2261011" for r in gdansk)


def test_a_second_crawl_adds_no_rows(demo_archive, tmp_path):
    before = stored_articles(demo_archive)
    result = archiwum("demo", "--no-serve", "--db", str(demo_archive), check=True)
    after = stored_articles(demo_archive)
    assert len(after) == len(before)
    assert f" 0 new, 0 changed, {len(before)} unchanged articles, 0 errors" in result.stdout
    conn = sqlite3.connect(demo_archive)
    first, second = conn.execute("select pages_fetched from crawls order by id").fetchall()[-2:]
    contact_pages = conn.execute("select count(*) from leaf_pages where kind = 'contact'").fetchone()
    conn.close()
    assert second[0] < first[0]  # known articles, contact pages and galleries are not fetched again
    assert contact_pages[0] > 0


def test_every_article_points_at_its_raw_capture(demo_archive, rows):
    from warcio.archiveiterator import ArchiveIterator

    for row in rows:
        with open(captures.capture_path(demo_archive, row["warc_file"]), "rb") as warc:
            warc.seek(row["warc_offset"])
            record = next(iter(ArchiveIterator(warc)))
            assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
            assert record.content_stream().read(), row["url"]
