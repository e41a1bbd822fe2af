"""Re-clean: articles read before their portal's template was learned get a second reading.

A portal's first pages are cleaned while its SiteTemplate has seen too few pages to know every
block of chrome (scraper/extract/template.py: `settled`); chrome written in sentences (a "Masz pytania?"
paragraph, related-news teasers) stays in those bodies. The clean stage notes each such article
in the `early_pages` table of archive.db (the page as the spider passed it on), before the store
stage writes it, so a stored early article always has its note. When the stage chain closes (the
crawl's end; scraper/crawl/stages.py), the noted pages of every source whose template is now settled go through clean ->
dates -> dedupe again with the learned template, the store stage replaces the stored reading in
place (no new version: it is the same fetch of the same page), and the notes are deleted. A crawl
killed before that leaves the notes; the next crawl of the archive learns from them at its start
(a killed crawl's template lost what it learned since its last save) and re-cleans them at its end.
Stat: `reclean/articles` (articles whose stored text was replaced).
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict

from scrapy.exceptions import DropItem

from scraper.extract.template import SiteTemplate
from scraper.items import Page

logger = logging.getLogger(__name__)

# What the spider sets on a Page (scraper/items.py): enough to read the page again.
SPIDER_FIELDS = ("url", "source", "html", "fetched_at", "canonical_url", "article_key", "status", "warc",
                 "link_rule", "change_register")


def note_early_page(db, item: Page) -> None:
    """Keep the page as the spider passed it on, until its source's template is settled."""
    page = {name: value for name, value in asdict(item).items() if name in SPIDER_FIELDS}
    with db.conn:
        db["early_pages"].upsert({"url": item.url, "source": item.source,
                                  "page": json.dumps(page, ensure_ascii=False)}, pk="url")


def noted_page(note: str) -> Page:
    """The noted page; a note written before Page had typed fields keeps them in `meta`."""
    fields = json.loads(note)
    legacy = fields.pop("meta", None) or {}
    fields.setdefault("link_rule", legacy.get("link_rule"))
    fields.setdefault("change_register", legacy.get("change_register"))
    return Page(**fields)


def observe_early_pages(templates: dict, db) -> None:
    """The noted pages are pages of their portals: a template learns from them again at the start of
    a crawl, in case the crawl that read them was killed before saving what it learned (each page
    counts once)."""
    for note in db.query("select source, page from early_pages"):
        page = json.loads(note["page"])
        templates.setdefault(note["source"], SiteTemplate()).observe(page["url"], page["html"])


class Rereading:
    """The second reading of a chain's noted pages: its first stage reads each page again with the
    learned template (`reread`), fresh copies of the middle stages follow, and its last stage
    replaces the stored reading in place (`replace_reading`).

    The middle stages are fresh and never opened, so dedupe runs without the archive's
    near-duplicate index: the link an article got when it was first stored stays
    (scraper/archive/near_duplicates.py links later to earlier)."""

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
        """Read the noted pages of settled sources again; returns how many stored readings were replaced."""
        self.clean.save_templates()  # what was learned is kept even if the crawl dies while re-reading
        db = self.clean.db
        settled = [source for source, template in self.clean.templates.items() if template.settled]
        marks = ", ".join("?" * len(settled))
        notes = list(db.query(f"select url, page from early_pages where source in ({marks})", settled)) if settled else []
        replaced = 0
        for note in notes:
            replaced += self.reread(noted_page(note["page"]))
            with db.conn:
                db.execute("delete from early_pages where url = ?", [note["url"]])
        if notes:
            logger.info("re-cleaned %d article(s) read before their portal's template was learned", replaced)
        return replaced

    def reread(self, item: Page) -> bool:
        try:
            item = self.clean.reread(item)
            for stage in self.middle:
                item = stage.process_item(item)
        except DropItem as drop:  # no longer an article, or a copy already re-read: the stored reading stays
            logger.debug("early page not re-cleaned: %s", drop)
            return False
        return self.store.replace_reading(item)
