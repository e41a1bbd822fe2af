"""Clean stage: learn each source's template, extract the article, drop pages that are not articles.

Every page the spider yields (listings too) goes through scraper/extract/main_text.py with its source's
SiteTemplate (scraper/extract/template.py): the template observes the page, so blocks recurring across
the portal are known as chrome, then the extractor fills the item. Pages that come before the
template has seen enough of the portal are cleaned by the generic rules alone. Templates persist
in the `site_templates` table of archive.db (read at open, written every `save_every` pages and
at close), so a later crawl starts with what the first one learned. Non-articles that lead to no
articles (contact, galleries, static pages...) are remembered in `leaf_pages`, so the next nightly
crawl need not read them again. Every article is noted in `early_pages` with the template
verdicts it was read with, and read again when the stage chain closes where the learned template
judges its blocks otherwise or a part of it came after it (scraper/crawl/reclean.py), so what is
stored does not depend on the order the pages arrive in. Stats: `clean/article`,
`clean/not_article`, `reclean/articles`. Where the registry has an `article_pattern` for the
source, the spider's verdict (`item.link_rule`) decides what is an article instead of the page's
shape. The stage also gathers the page's date evidence (`item.date_evidence`,
scraper/extract/evidence.py), reading the change register the spider fetched with a document
(`item.change_register`, then dropped), so that the dates stage parses no HTML. The parts of an
article (a "Skrót i Metryka" tab beside its "Pełna prezentacja", page 2 of a text) lend it their
text, dates, metadata and files (scraper/extract/parts.py). A print view of an article read in this
crawl (or stored, where the print view points to it) is passed on as the article's alias
(`item.alias_of`); an article whose print view came first names it (`item.print_views`), so the
store stage keeps the article's address and records the print view's as its alias. Stat
`clean/print_view`.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem

from scraper.archive.db import connect, write_transaction
from scraper.extract import rules
from scraper.crawl import reclean
from scraper.extract.main_text import extract
from scraper.extract.parts import Parts, PrintViews
from scraper.extract.template import SiteTemplate
from scraper.text import one_line
from scraper.urls import addresses_on_the_web, canonicalize, is_web_url, site


class CleanPipeline:
    save_every = 500  # pages between saves of the templates, so a killed crawl keeps most of them

    def __init__(self, db_path: str | None = None, stats=None):
        self.db_path = db_path
        self.stats = stats
        self.templates: dict[str, SiteTemplate] = {}
        self.leaf_pages: list[dict] = []
        self.unsaved = 0
        self.db = None
        self.parts = Parts()  # parts of articles (summary tabs, later pages), for their article
        self.print_views = PrintViews()  # the articles' texts, to know a print view beside one

    @classmethod
    def from_context(cls, context):
        return cls(context.db_path, context.stats)

    def open_spider(self):
        if self.db_path:
            self.db = connect(self.db_path)
            self.templates = {row["source"]: SiteTemplate.from_json(row["data"])
                              for row in self.db["site_templates"].rows}
            reclean.observe_early_pages(self.templates, self.db)

    def close_spider(self):
        self.save_templates()
        if self.db is not None:
            self.db.conn.close()

    def save_templates(self):
        self.unsaved = 0
        if self.db is None:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with write_transaction(self.db):
            self.db["site_templates"].upsert_all(
                [{"source": source, "data": t.to_json(), "updated_at": now} for source, t in self.templates.items()],
                pk="source")
            self.db["leaf_pages"].upsert_all(self.leaf_pages, pk="url")
        self.leaf_pages = []

    def process_item(self, item):
        template = self.templates.setdefault(item.source, SiteTemplate())
        out = extract(item.html, item.url, template, item.change_register)  # observes the page in the template first
        self.unsaved += 1
        if self.unsaved >= self.save_every:
            self.save_templates()
        if not is_article(out, item.link_rule):
            self.count("clean/not_article")
            self.parts.remember(out, item.url)
            if out.reason.startswith(rules.LEAF_PAGE_REASONS):
                self.leaf_pages.append({"url": item.url, "source": item.source,
                                        "kind": out.reason, "last_seen": item.fetched_at})
            raise not_an_article(out, item)
        printed, article = self.print_views.match(item.source, item.url, out) or self.stored_article_printed(item, out)
        if printed == item.url:  # an alias of its article, no article of its own: not noted for a re-reading
            fill(item, out)
            item.alias_of = item.canonical_url = article
            self.count("clean/print_view")
            return item
        if self.db is not None:  # before the stage fills it: as the spider passed it on
            settled = template.settled  # before, the verdicts are still in the making: the page is read again anyway
            reclean.note_page(self.db, item, out.template_verdicts if settled else None,
                              out.template_blocks if settled else None)
        fill(item, self.parts.completed(out, item.url))
        if printed:
            item.print_views = [printed]
            self.count("clean/print_view")
        self.count("clean/article")
        return item

    def stored_article_printed(self, item, out) -> tuple[str | None, str | None]:
        """(this page, the stored article) when the page is the print view of an article stored
        before this crawl that it points to; else (None, None)."""
        back_to = out.print_marks.back_to
        if self.db is None or not back_to or not out.print_marks.chromeless:
            return None, None
        stored = self.db.execute(
            "select url, title, body from articles where url in (?, ?) union all "
            "select article.url, article.title, article.body from article_aliases alias "
            "join articles article on article.id = alias.article_id where alias.url in (?, ?) limit 1",
            [back_to, canonicalize(back_to)] * 2).fetchone()
        if stored and self.print_views.prints_stored(item.url, out, dict(zip(("url", "title", "body"), stored))):
            return item.url, stored[0]
        return None, None

    def reread(self, item):
        """The page read again with its source's learned template (which counts it once), nothing noted."""
        out = extract(item.html, item.url, self.templates[item.source], item.change_register)
        if not is_article(out, item.link_rule):
            raise not_an_article(out, item)
        fill(item, self.parts.completed(out, item.url))
        return item

    def count(self, key: str, n: int = 1) -> None:
        if self.stats:
            self.stats.inc_value(key, n)


def fill(item, out) -> None:
    """The item's fields from what the extractor read."""
    item.title, item.author = one_line(out.title), one_line(out.author)
    item.body, item.views, item.date_lines = out.body, out.views, out.date_lines
    item.attachments = [a | {"title": one_line(a.get("title"))} for a in out.attachments
                        if is_web_url(a["url"])]  # never a javascript: or data: address
    item.metadata, item.date_evidence = addresses_on_the_web(out.meta), out.date_evidence
    item.change_register = None  # read into the date evidence: not carried further
    if out.canonical_url and same_site(out.canonical_url, item.url):
        item.canonical_url = out.canonical_url


def not_an_article(out, item) -> DropItem:
    return DropItem(f"not an article ({out.reason or 'registry rule'}): {item.url}", log_level="DEBUG")


def is_article(out, link_rule: str | None) -> bool:
    """The registry's link rules, where a portal has them, outrank the page-shape heuristics."""
    if link_rule is None:
        return out.is_article
    return link_rule == "article" and bool(out.body)


def same_site(a: str, b: str) -> bool:
    """The page's canonical address may switch http/https and nothing else: the same host and
    port, and never another scheme (a `javascript://host/%0a…` canonical shares the host name)."""
    return site(a) is not None and site(a) == site(b)
