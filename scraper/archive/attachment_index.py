"""Attachments in the archive: the files the crawl fetched, the text read from them, and the
full-text index that lets the articles' search box find an article by its attachments.

- `attachment_files`: one row per fetched URL (as received: hash, media type, validators, WARC
  pointer), and per document link on another host not fetched (`skipped`: why). `attachments` (the article's links) joins it on `url`.
- `attachment_documents`: one row per distinct file (`sha256`): kind, pages, how the text was
  obtained, OCR confidence, the error if it could not be read. The same document attached to
  many articles, or under many URLs, is read and stored once.
- `attachment_pages`: its text, a row per page, and `attachment_pages_fts`, indexed exactly like
  `articles_fts` (scraper/archive/search_index.py: folded, lemmatised, one token per word).

Why an index of their own rather than the article's row in `articles_fts`: a page number stays
with every hit ("found in attachment X, page 3"), a document's text arrives after the article
(read outside the crawl) without re-indexing the article, one document attached to ten articles
is indexed once, and a 200-page report cannot outweigh the article's own words in its ranking.
"""
from __future__ import annotations

import sqlite_utils

from scraper.archive.search_index import INDEX_FUNCTION, MATCH_FUNCTION

FILE_COLUMNS = {
    "url": str, "source": str, "sha256": str, "media_type": str, "bytes": int, "etag": str,
    "last_modified": str, "fetched_at": str, "warc_file": str, "warc_offset": int, "skipped": str,
}
DOCUMENT_COLUMNS = {
    "sha256": str, "kind": str, "pages": int, "method": str, "ocr_confidence": float,
    "error": str, "seconds": float, "read_at": str,
}
PAGE_COLUMNS = {"sha256": str, "page": int, "text": str, "method": str, "confidence": float}

FTS_SQL = ("create virtual table if not exists attachment_pages_fts using fts5("
           "text, content='', tokenize='unicode61 remove_diacritics 0')")
TRIGGERS_SQL = f"""
create trigger if not exists attachment_pages_fts_insert after insert on attachment_pages begin
  insert into attachment_pages_fts(rowid, text) values (new.rowid, {INDEX_FUNCTION}(new.text));
end;
create trigger if not exists attachment_pages_fts_delete after delete on attachment_pages begin
  insert into attachment_pages_fts(attachment_pages_fts, rowid, text)
  values ('delete', old.rowid, {INDEX_FUNCTION}(old.text));
end;
"""

# A hit in an attachment counts half a hit in the article's own text (bm25 scores: lower is better).
ATTACHMENT_WEIGHT = 0.5
# Articles with an attachment page matching the query parameter `:{param}`, and the page's score.
ARTICLE_HITS_SQL = """select a.rowid as rowid, bm25(attachment_pages_fts) * {weight} as score
  from attachment_pages_fts
  join attachment_pages p on p.rowid = attachment_pages_fts.rowid
  join attachment_files f on f.sha256 = p.sha256
  join attachments t on t.url = f.url
  join articles a on a.id = t.article_id
  where attachment_pages_fts match {match}(:{param})"""
# An article's matching attachment pages, best first: where the hit is, and its text. Driven
# from the article's few pages (cross joins fix the order), each probed in the index by rowid:
# a broad word's hits elsewhere in the archive are never read.
HITS_SQL = f"""select t.title, t.url, p.sha256, p.page, p.method, p.text
  from attachments t cross join attachment_files f cross join attachment_pages p
  cross join attachment_pages_fts
  where t.article_id = :article_id and f.url = t.url and p.sha256 = f.sha256
    and attachment_pages_fts.rowid = p.rowid
    and attachment_pages_fts match {MATCH_FUNCTION}(:query)
  order by bm25(attachment_pages_fts), p.page limit :limit"""
# An article's attachments with what was read from them (the article page lists them).
ARTICLE_ATTACHMENTS_SQL = """select t.title, t.url, t.type, f.sha256, f.media_type, f.bytes,
  d.kind, d.pages, d.method, d.ocr_confidence, d.error
  from attachments t left join attachment_files f on f.url = t.url
  left join attachment_documents d on d.sha256 = f.sha256
  where t.article_id = :article_id order by t.rowid"""
PAGES_SQL = """select page, method, confidence, text from attachment_pages where sha256 = :sha256
  order by page"""


def article_hits_sql(param: str) -> str:
    """SQL for (rowid, score) of articles whose attachments match the query in `:param`, a row
    per matching page."""
    return ARTICLE_HITS_SQL.format(weight=ATTACHMENT_WEIGHT, match=MATCH_FUNCTION, param=param)


def article_rowids_sql(param: str) -> str:
    """SQL for the rowids of articles whose attachments match the query in `:param`."""
    return f"select rowid from ({article_hits_sql(param)})"


def ensure(db: sqlite_utils.Database) -> None:
    db["attachment_files"].create(FILE_COLUMNS, pk="url", if_not_exists=True)
    if "skipped" not in db["attachment_files"].columns_dict:  # an archive from before other hosts
        db["attachment_files"].add_column("skipped", str)
    db["attachment_files"].create_index(["sha256"], if_not_exists=True)
    db["attachment_documents"].create(DOCUMENT_COLUMNS, pk="sha256", if_not_exists=True)
    db["attachment_pages"].create(PAGE_COLUMNS, pk=("sha256", "page"), if_not_exists=True)
    db["attachments"].create_index(["url"], if_not_exists=True)
    db.execute(FTS_SQL)
    db.conn.executescript(TRIGGERS_SQL)
