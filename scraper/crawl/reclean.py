"""Re-clean: articles read before their portal's template was learned get a second reading.

A portal's first pages are cleaned while its SiteTemplate has seen too few pages to know every
block of chrome (scraper/extract/template.py: `settled`); chrome written in sentences (a "Masz pytania?"
paragraph, related-news teasers) stays in those bodies. The clean stage notes each such article
in the `early_pages` table of archive.db (the page as the spider passed it on), before the store
stage writes it, so a stored early article always has its note. When the clean stage closes (the
crawl's end), the noted pages of every source whose template is now settled go through clean ->
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

from pipelines.dates import DatesPipeline
from pipelines.dedupe import DedupePipeline
from pipelines.store import StorePipeline
from scraper.items import Page
from scraper.extract.template import SiteTemplate

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


def reclean_early_pages(clean, db) -> int:
    """Read the noted pages of settled sources again; returns how many stored readings were replaced.

    `clean` is the crawl's clean stage (its templates are the learned ones); its `reread` counts
    and notes nothing. Dedupe runs without the archive's near-duplicate index: the link an
    article got when it was first stored stays (scraper/archive/near_duplicates.py links later to earlier).
    """
    settled = [source for source, template in clean.templates.items() if template.settled]
    marks = ", ".join("?" * len(settled))
    notes = list(db.query(f"select url, page from early_pages where source in ({marks})", settled)) if settled else []
    if not notes:
        return 0
    dates, dedupe, store = DatesPipeline(), DedupePipeline(), StorePipeline(clean.db_path)
    store.open_spider()
    replaced = 0
    for note in notes:
        try:
            item = dedupe.process_item(dates.process_item(clean.reread(noted_page(note["page"]))))
            replaced += store.replace_reading(item)
        except DropItem as drop:  # no longer an article, or a copy already re-read: the stored reading stays
            logger.debug("early page not re-cleaned: %s", drop)
        with db.conn:
            db.execute("delete from early_pages where url = ?", [note["url"]])
    store.close_spider()
    logger.info("re-cleaned %d article(s) read before their portal's template was learned", replaced)
    return replaced
