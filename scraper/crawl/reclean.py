"""Re-clean: what is stored does not depend on the order a portal's pages arrive in.

A page is read with its source's SiteTemplate as it stands when the page arrives
(scraper/extract/template.py): a portal's first pages are read before the template knows every
block of chrome, so chrome written in sentences (a "Masz pytania?" paragraph, related-news
teasers) stays in those bodies; and a block can still cross a threshold later (a box the portal
shows in a few articles only), so two crawls that met the pages in two orders would read some
article differently. The clean stage notes each article in the `early_pages` table of archive.db
(the page as the spider passed it on, the template's verdicts it was read with:
`SiteTemplate.verdicts`, and its blocks' fingerprints; none before the template was settled), before the store stage writes it,
so a stored article always has its note. When the stage chain closes (the crawl's end;
scraper/crawl/stages.py), every noted page of a source whose template is now settled is checked
against the learned template: where the verdicts differ (or were none) it goes through clean ->
dates -> dedupe again, the store stage replaces the stored reading in place (no new version: it
is the same fetch of the same page), and the notes are deleted. The check looks each noted block
up in the learned template (no page is parsed again but those read again): linear in the crawl. A crawl killed before that leaves the notes;
the next crawl of the archive learns from them at its start (a killed crawl's template lost what
it learned since its last save) and checks them at its end.
Stat: `reclean/articles` (articles whose stored text was replaced).
"""
from __future__ import annotations

import json
import logging
import zlib

from scrapy.exceptions import DropItem

from scraper.extract.template import SiteTemplate
from scraper.archive.db import write_transaction
from scraper.items import Page

logger = logging.getLogger(__name__)

# What the spider sets on a Page (scraper/items.py): enough to read the page again.
SPIDER_FIELDS = ("url", "source", "html", "fetched_at", "canonical_url", "article_key", "status", "warc",
                 "link_rule", "change_register")
NOTE_COMPRESSION = 1  # zlib's fastest level: most of the gain at a fraction of the cost
NOTES_PER_COMMIT = 500  # notes of unchanged readings deleted together (a kill only re-checks them)


def note_page(db, item: Page, verdicts: str | None, blocks: list | None = None) -> None:
    """Keep the page as the spider passed it on, with the template verdicts it was read with and
    its blocks' fingerprints (`template.block_keys`), so that the check at the end needs no parse."""
    page = {name: getattr(item, name) for name in SPIDER_FIELDS}
    # compressed: every article of a crawl waits here until its end (HTML shrinks five to ten times)
    note = zlib.compress(json.dumps(page, ensure_ascii=False).encode(), NOTE_COMPRESSION)
    keys = None if blocks is None else zlib.compress(json.dumps(blocks).encode(), NOTE_COMPRESSION)
    with write_transaction(db):  # plain SQL: sqlite-utils' upsert looks the table up again on every call
        db.conn.execute("insert or replace into early_pages (url, source, verdicts, page, blocks) values (?, ?, ?, ?, ?)",
                        [item.url, item.source, verdicts, note, keys])


def noted_page(note: str | bytes) -> Page:
    """The noted page; a note written before Page had typed fields keeps them in `meta`, one
    written before notes were compressed is JSON text."""
    fields = json.loads(zlib.decompress(note) if isinstance(note, bytes) else note)
    legacy = fields.pop("meta", None) or {}
    fields.setdefault("link_rule", legacy.get("link_rule"))
    fields.setdefault("change_register", legacy.get("change_register"))
    return Page(**fields)


def observe_early_pages(templates: dict, db) -> None:
    """The noted pages are pages of their portals: a template learns from them again at the start of
    a crawl, in case the crawl that read them was killed before saving what it learned (each page
    counts once)."""
    for note in db.query("select source, page from early_pages"):
        page = noted_page(note["page"])
        templates.setdefault(note["source"], SiteTemplate()).observe(page.url, page.html)




def forget(db, urls: list[str]) -> None:
    with write_transaction(db):
        db.conn.executemany("delete from early_pages where url = ?", [[url] for url in urls])


class Rereading:
    """The second reading of a chain's noted pages: its first stage reads each page again with the
    learned template (`reread`), fresh copies of the middle stages follow, and its last stage
    replaces the stored reading in place (`replace_reading`).

    The middle stages are fresh and never opened; the near-duplicate link an article got when it
    was first stored stays (the store stage links later to earlier, and `replace_reading` keeps it)."""

    def __init__(self, clean, middle: list, store):
        self.clean, self.middle, self.store = clean, middle, store

    @classmethod
    def of(cls, chain) -> "Rereading | None":
        """None for a chain that keeps no notes (no archive) or does not store (a distributed worker)."""
        if len(chain.stages) < 2:
            return None
        first, *middle, last = chain.stages
        if getattr(first, "db", None) is None or not hasattr(first, "reread") or not hasattr(last, "replace_reading"):
            return None
        return cls(first, chain.fresh(middle), last)

    def run(self) -> int:
        """Read again the noted pages of settled sources whose template verdicts changed since they
        were read, and every noted article that has parts (scraper/extract/parts.py: a part read
        after its article is joined now); returns how many stored readings were replaced. The
        notes of sources whose template is not settled yet stay for a later crawl."""
        self.clean.save_templates()  # what was learned is kept even if the crawl dies while re-reading
        db = self.clean.db
        settled = {source for source, template in self.clean.templates.items() if template.settled}
        # addresses first, each page then on its own: the notes of a big crawl would not fit in memory
        notes = [(url, source in settled) for url, source in db.execute("select url, source from early_pages")
                 if source in settled or self.clean.parts.has_parts(url)]
        replaced, done = 0, []
        for url, is_settled in notes:
            source, page, verdicts, blocks = db.execute(
                "select source, page, verdicts, blocks from early_pages where url = ?", [url]).fetchone()
            reread = self.read_otherwise(url, source, page, verdicts, blocks, is_settled)
            if reread:
                replaced += self.reread(noted_page(page))
            if is_settled:  # a source still learning its template keeps its notes for a later crawl
                done.append(url)
            if len(done) >= NOTES_PER_COMMIT or reread:  # a re-read page's note goes right after it
                forget(db, done)
                done = []
        forget(db, done)
        if notes:
            logger.info("re-cleaned %d of %d article(s) checked against their portal's learned template and parts",
                        replaced, len(notes))
        return replaced

    def read_otherwise(self, url: str, source: str, page: bytes, verdicts: str | None, blocks: bytes | None,
                       is_settled: bool) -> bool:
        """Would the page read otherwise now: parts of it came, or the learned template judges its
        blocks otherwise than when it was read (or it was read before the template was ready)?"""
        if self.clean.parts.has_parts(url):
            return True
        if not is_settled or verdicts is None:
            return is_settled
        template = self.clean.templates[source]
        if blocks is None:  # a note written before notes kept the blocks: the page is parsed again
            return template.verdicts_of(noted_page(page).html) != verdicts
        return template.verdicts_of_blocks(json.loads(zlib.decompress(blocks))) != verdicts

    def reread(self, item: Page) -> bool:
        try:
            item = self.clean.reread(item)
            for stage in self.middle:
                item = stage.process_item(item)
        except DropItem as drop:  # no longer an article, or a copy already re-read: the stored reading stays
            logger.debug("noted page not re-cleaned: %s", drop)
            return False
        return self.store.replace_reading(item)
