"""One generic spider for every portal: start pages, feeds and sitemaps, then links.

Site knowledge comes from the registry (scraper/registry/sources.toml); the spider knows no city. It yields
a Page for every HTML page it fetches — listings too, so the clean stage can learn each portal's
template — and the clean stage decides what is an article. A page linking to its own change
register (BIP "Rejestr zmian", scraper/dates/change_register.py) waits for that page: the request for it
carries the item (`meta["carries_page"]`) and yields it with the register, or without it if the
fetch fails; the register's links are followed like any page's. A link to a document (PDF, DOCX,
ODT, ...) on the portal's hosts (or its registry `attachment_hosts`) is fetched as an attachment,
within its size budgets, and noted beside the WARC file for the archive
(scraper/attachments/fetch.py). A document link on another host waits for its page's reading:
fetched when the article's text links it, else noted as skipped with the reason. A page that is
a part of an article (page 2 of a text, a summary tab) asks for its article again
(`meta["whole_article"]`), even where an incremental crawl skipped it as known, so a part that
comes a night later joins it (scraper/extract/parts.py). A link is followed unless
scraper/traps.py names a rule it breaks (a crawler trap, a print view, a file ...), asked before
the link spends the portal's page budget.
"""
from __future__ import annotations

import codecs
from datetime import datetime, timezone
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.selector import Selector
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap

from scraper.attachments.fetch import AttachmentFetcher
from scraper.crawl.fates import page_not_fetched
from scraper.crawl.health import count
from scraper.dates.change_register import RegisterOwners, register_links
from scraper.extract.parts import whole_article_of
from scraper.items import Page
from scraper.registry.sources import Source, adhoc_source, load_registry, select
from scraper.traps import generations, trap
from scraper.urls import canonicalize, identity, joiner, netloc_hostname, site

LINKS = "descendant-or-self::a/@href"  # what response.css("a::attr(href)") asks lxml for
FEED_ITEM_LINKS = (
    '//*[local-name()="item"]/*[local-name()="link"]/text()'
    ' | //*[local-name()="entry"]/*[local-name()="link"]/@href'
)


def feed_links(root) -> list[str]:
    """The hrefs of <link rel="alternate"> to an RSS or Atom feed, in page order. lxml's `iter`
    skips the walk when the page has no <link> at all; an XPath `//link` walks every element
    (~25 ms on a table of 250,000 cells)."""
    return [link.get("href") for link in root.iter("link")
            if link.get("rel") == "alternate" and link.get("href") is not None
            and any(kind in link.get("type", "") for kind in ("rss", "atom"))]


def own_selector(response) -> Selector:
    """The page parsed for its links, not through `response.selector`: that selector and its
    response point at each other, so every page (and its lxml tree) would wait for Python's cyclic
    garbage collector, whose full passes then stalled the crawl for ~100 ms about once a second.
    A UTF-8 page goes to lxml as fetched: its text would be stripped and encoded back to the same
    bytes first (a quarter of the parse on a 3 MB page)."""
    utf8 = codecs.lookup(response.encoding).name == "utf-8"
    return Selector(body=response.body if utf8 else response.text.encode(), encoding="utf-8", type="html")


GENERATIONS = "path_generations"  # request.meta: the chain of ever-longer paths to a page (scraper/traps.py)
REGISTER_PRIORITY = 20  # a waiting item holds its page in memory: fetch its register soon
PAGE_BUDGET = "scraper.crawl.budget.PageBudget"  # when ARCHIWUM_PAGE_BUDGET is not set (bench/, tests)
ATTACHMENT_FETCHER = "scraper.attachments.fetch.AttachmentFetcher"  # likewise, ARCHIWUM_ATTACHMENT_FETCHER


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, sources: list[Source] | str | None = None, url: str | None = None,
                 source_name: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.sources = self._resolve(sources, url, source_name)
        self.allowed_domains = sorted({h.split(":")[0] for s in self.sources for h in s.allowed_hosts})
        self.host_owner = {host: s for s in self.sources for host in s.allowed_hosts}
        self.hostnames = {urlsplit(f"//{host}").hostname for host in self.host_owner}
        self.seen: set[str] = set()
        self.registers = RegisterOwners()
        self.this_year = datetime.now(timezone.utc).year  # what a date in a URL is weighed against
        # page URL → its document links on other hosts, until the page's reading says which are
        # the article's own (its item's fate: scraped, dropped or failed)
        self.elsewhere: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.article_read, signal=signals.item_scraped)
        crawler.signals.connect(spider.page_not_article, signal=signals.item_dropped)
        crawler.signals.connect(spider.page_not_article, signal=signals.item_error)
        return spider

    @staticmethod
    def _resolve(sources, url, source_name) -> list[Source]:
        if url:
            return [adhoc_source(url, source_name)]
        if isinstance(sources, str) or sources is None:  # `scrapy crawl portal -a sources=a,b`
            ids = [i for i in (sources or "").split(",") if i]
            return select(load_registry(), ids)
        return list(sources)

    async def start(self):
        for source in self.sources:
            for start_url in source.start_urls:
                yield self.page_request(start_url, source, priority=10)
            for feed in source.feeds:
                yield self.request(feed, source, self.parse_feed, priority=10)
            for sitemap in source.sitemaps:
                yield self.request(sitemap, source, self.parse_sitemap, priority=5)
            for sitemap in self.guessed_sitemaps(source):
                request = self.request(sitemap, source, self.parse_sitemap, priority=5,
                                       errback=self.ignore_error)
                request.meta["handle_httpstatus_list"] = [404, 410]
                yield request

    def guessed_sitemaps(self, source: Source) -> list[str]:
        """A portal of unknown shape may still publish /sitemap.xml; asking costs one request."""
        roots = {urljoin(u, "/sitemap.xml") for u in source.start_urls}
        return sorted(roots) if source.kind == "adhoc" else []

    # --- requests -------------------------------------------------------------------------------

    def request(self, url: str, source: Source, callback, priority: int = 0,
                errback=None) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=errback or self.on_error,
                              priority=priority, meta={"source": source.id})

    def page_request(self, url: str, source: Source, priority: int = 0, chain: int = 0) -> scrapy.Request:
        url = canonicalize(url)
        self.seen.add(url)
        request = self.request(url, source, self.parse_page, priority)
        request.meta[GENERATIONS] = chain
        return request

    def follow_all(self, urls: list[str], source: Source, depth: int, found_on=None):
        """Requests for the links that lead somewhere Archiwum should go, within the source's page
        budget (asked once for all of them: a distributed worker's budget is a Redis round trip).
        `found_on`: the page that links them (none for a feed's or a sitemap's)."""
        if depth >= source.max_depth:
            return
        chains = self.chains_to_follow(urls, source, found_on)
        wanted = [url for url, chain in chains.items() if chain is not None]
        for url in self.budget.take(source, wanted) if wanted else ():
            is_article = source.matches("article_pattern", url)
            yield self.page_request(url, source, priority=0 if is_article else 1, chain=chains[url])

    def chains_to_follow(self, urls: list[str], source: Source, found_on) -> dict[str, int | None]:
        """Each link's canonical URL (once, in page order) → its `chain_to_follow`, None for one
        seen before. Each link is judged whole before the next: urllib remembers its last 128
        parses, so the canonical URL (mostly the link as written) is not parsed again."""
        chains: dict[str, int | None] = {}
        for link in urls:
            if self.may_be_on_a_portal(link) and (url := canonicalize(link)) not in chains:
                chains[url] = None if url in self.seen else self.chain_to_follow(url, source, found_on)
        return chains

    @cached_property
    def budget(self):
        """The page budgets of this crawl (scraper/crawl/budget.py; ARCHIWUM_PAGE_BUDGET)."""
        return build_from_crawler(load_object(self.settings.get("ARCHIWUM_PAGE_BUDGET") or PAGE_BUDGET), self.crawler)

    def may_be_on_a_portal(self, url: str) -> bool:
        """False for a link to a host of no portal, told from one look at its host before the link
        is canonicalized (a page may link 20,000 documents elsewhere: ~10 µs each saved)."""
        try:
            return netloc_hostname(urlsplit(url.strip()).netloc) in self.hostnames
        except ValueError:  # a malformed port or IPv6 literal: as the full checks say
            return True

    def on_portal(self, url: str, source: Source) -> bool:
        """An http(s) address on one of the source's hosts and ports."""
        return self.host_owner.get(site(url) or "") is source

    def may_follow(self, url: str, source: Source, found_on=None) -> bool:
        """On the portal, not denied by its registry entry, and no trap (scraper/traps.py, counted)
        for a link on the page `found_on`."""
        return self.chain_to_follow(url, source, found_on) is not None

    def chain_to_follow(self, url: str, source: Source, found_on=None) -> int | None:
        """The link's `chain()` where the spider may follow it (`may_follow`), else None: worked out
        once for both the trap rules and the request."""
        if not self.on_portal(url, source) or source.matches("deny_pattern", url):
            return None
        chain = self.chain(url, found_on)
        rule = trap(url, self.this_year, chain)
        if rule:
            self.crawler.stats.inc_value(f"politeness/trap/{rule}")
            return None
        return chain

    @staticmethod
    def chain(url: str, found_on) -> int:
        """How many generations of ever-longer paths lead to `url` from the page `found_on`."""
        return generations(url, found_on.url, found_on.meta.get(GENERATIONS, 0)) if found_on else 0

    # --- attachments (scraper/attachments/fetch.py) ---------------------------------------------

    @cached_property
    def attachments(self) -> AttachmentFetcher:
        fetcher = load_object(self.settings.get("ARCHIWUM_ATTACHMENT_FETCHER") or ATTACHMENT_FETCHER)
        return fetcher.from_crawler(self.crawler)

    def attachment_request(self, url: str, source: Source, page_url: str):
        """A request for a document this page links on the portal's hosts, within the budgets; a
        document on another host waits for the page's reading (`article_read`)."""
        if not self.attachments.may_be_document(url):
            return None
        if self.attachments.where(url, source, in_article=False) is None:
            return self.attachments.request(url, source.id, self.parse_attachment, self.attachment_failed)
        if self.attachments.is_attachment(url):
            self.elsewhere.setdefault(page_url, []).append(url)
        return None

    def article_read(self, item, *_args, **_kwargs):
        """An article's text is known: fetch the documents it links on other hosts (where the
        rules let it), note the page's other document links elsewhere as skipped."""
        source = self.source_by_id(getattr(item, "source", None))
        if source is None:
            return
        in_text = list(dict.fromkeys(a["url"].split("#")[0] for a in getattr(item, "attachments", None) or ()))
        for url in in_text:
            reason = self.attachments.where(url, source, in_article=True)
            if reason:
                self.attachments.skip(url, source.id, reason, warc_file(item))
            elif (request := self.attachments.request(url, source.id, self.parse_attachment,
                                                      self.attachment_failed)):
                self.crawler.stats.inc_value("attachments/other_hosts")
                self.crawler.engine.crawl(request)
        self.skip_elsewhere(item, source, exclude=set(in_text))

    def page_not_article(self, item, *_args, **_kwargs):
        source = self.source_by_id(getattr(item, "source", None))
        if source is not None:
            self.skip_elsewhere(item, source, exclude=set())

    def skip_elsewhere(self, item, source: Source, exclude: set[str]) -> None:
        for url in self.elsewhere.pop(getattr(item, "url", None), ()):
            if url.split("#")[0] not in exclude:
                self.attachments.skip(url, source.id, self.attachments.where(url, source, in_article=False),
                                      warc_file(item))

    def source_by_id(self, source_id) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def parse_attachment(self, response):
        self.attachments.record(response)
        return ()

    def attachment_failed(self, failure):
        if not self.attachments.over_budget(failure):
            self.on_error(failure)

    def ignore_error(self, failure):
        """For requests that may well fail, such as a guessed /sitemap.xml."""

    def on_error(self, failure):
        source_id = failure.request.meta.get("source")
        if failure.check(HttpError):  # an answer >= 400 (counted by Scrapy's downloader stats)
            count(self.crawler.stats, source_id, f"errors/http_{failure.value.response.status}")
            self.not_fetched(failure, f"http_{failure.value.response.status}")
            return
        if failure.check(IgnoreRequest):  # robots.txt said no, or a bound was reached
            self.crawler.stats.inc_value("portal/ignored")
            if "robots.txt" in str(failure.value):
                count(self.crawler.stats, source_id, "robots_forbidden")
            return
        kind = type(failure.value).__name__
        self.crawler.stats.inc_value(f"portal/errors/{kind}")
        count(self.crawler.stats, source_id, f"errors/{kind}")
        self.logger.info("failed %s: %s", failure.request.url, failure.getErrorMessage())
        self.not_fetched(failure, kind)

    def not_fetched(self, failure, kind: str) -> None:
        """The page's fate in the archive (scraper/crawl/fates.py): `archiwum explain` tells why it is missing."""
        self.crawler.signals.send_catch_log(page_not_fetched, url=failure.request.url,
                                            source=failure.request.meta.get("source", ""), kind=kind)

    # --- responses ------------------------------------------------------------------------------

    def source_of(self, response) -> Source:
        return next(s for s in self.sources if s.id == response.meta["source"])

    def parse_page(self, response):
        if not isinstance(response, HtmlResponse):
            return
        source = self.source_of(response)
        url = canonicalize(response.url)
        if not self.on_portal(url, source):
            return  # redirected off the portal
        parsed = own_selector(response)
        yield self.with_change_register(response, parsed, source, self.page_item(response, source, url))
        yield from self.links(response, parsed, source, url)
        whole = self.whole_article_request(parsed, source, url)
        if whole:
            yield whole

    def whole_article_request(self, parsed: Selector, source: Source, url: str):
        """A request for the article this page is a part of, past the incremental filter and the
        conditional request; only for an address the links asked for (within the budget): the
        scheduler's duplicate filter drops it where that request was fetched."""
        if not self.crawler.stats.get_value("incremental/known"):
            return None  # nothing is skipped as known (a first or full crawl): the article is fetched anyway
        article = whole_article_of(parsed.root, url)
        article = canonicalize(article) if article else None
        if article is None or article not in self.seen or article in map(canonicalize, source.start_urls):
            return None  # a start page (a listing's page 1) is read every night, and never filtered as seen
        return scrapy.Request(article, callback=self.parse_page, errback=self.on_error,
                              meta={"source": source.id, "whole_article": True})

    def links(self, response, parsed: Selector, source: Source, page_url: str):
        pages, join = [], joiner(get_base_url(response))  # the base response.urljoin would look up for every link
        for href in parsed.root.xpath(LINKS, smart_strings=False):  # plain strings, not a Selector per link
            url = join(href.strip())
            request = self.attachment_request(url, source, page_url)
            if request:
                yield request
            else:
                pages.append(url)
        yield from self.follow_all(pages, source, response.meta.get("depth", 0) + 1, found_on=response)
        for feed in feed_links(parsed.root):
            url = response.urljoin(feed.strip())
            if self.on_portal(url, source):  # a feed elsewhere (or on another port) is not the portal's
                yield self.request(url, source, self.parse_feed, priority=5)

    def page_item(self, response, source: Source, url: str) -> Page:
        article_id = source.article_id(url)
        return Page(
            url=url,
            source=source.id,
            html=response.text,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            canonical_url=url,
            article_key=f"{source.id}:{article_id or identity(url)}",
            status=response.status,
            warc=response.meta.get("warc"),
            link_rule=self.link_rule(source, url),
        )

    def with_change_register(self, response, parsed: Selector, source: Source, page: Page):
        """The item, or a request for its own change register that carries it (within the budget)."""
        for href in register_links(response, parsed):
            url = canonicalize(response.urljoin(href.strip()))
            if not self.registers.claim(url, page.article_key) or not self.may_follow(url, source, response):
                continue
            if not self.budget.take(source, [url]):
                return page
            self.seen.add(url)
            return scrapy.Request(url, callback=self.parse_change_register, errback=self.change_register_failed,
                                  priority=REGISTER_PRIORITY, dont_filter=True,
                                  cb_kwargs={"page": page, "register": url},
                                  meta={"source": source.id, "carries_page": True,
                                        GENERATIONS: self.chain(url, response)})
        return page

    def parse_change_register(self, response, page: Page, register: str):
        if isinstance(response, HtmlResponse):
            if self.registers.owns(register):
                page.change_register = response.text
            yield from self.links(response, own_selector(response), self.source_of(response), page.url)
        yield page

    def change_register_failed(self, failure):
        self.on_error(failure)
        yield failure.request.cb_kwargs["page"]

    @staticmethod
    def link_rule(source: Source, url: str) -> str | None:
        """What the registry says of this URL: "article", "not_article" or nothing."""
        if "article_pattern" not in source.rules:
            return None
        return "article" if source.matches("article_pattern", url) else "not_article"

    def parse_feed(self, response):
        links = [response.urljoin(link.strip()) for link in response.xpath(FEED_ITEM_LINKS).getall()]
        yield from self.follow_all(links, self.source_of(response), depth=1)

    def parse_sitemap(self, response):
        if response.status >= 400:  # a guessed sitemap that is not there: expected, no error
            self.crawler.stats.inc_value(f"portal/expected_status_count/{response.status}")
            return
        source = self.source_of(response)
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # noqa: BLE001 — a broken sitemap is just no sitemap
            self.crawler.stats.inc_value("portal/bad_sitemap")
            return
        pages = []
        for entry in sitemap:
            loc = response.urljoin(entry["loc"])
            if sitemap.type != "sitemapindex":
                pages.append(loc)
            elif self.on_portal(loc, source):
                yield self.request(loc, source, self.parse_sitemap, priority=5)
        yield from self.follow_all(pages, source, depth=1)


def warc_file(item) -> str | None:
    """The WARC file holding the page (its manifest notes what the page linked)."""
    warc = getattr(item, "warc", None)
    return warc.get("file") if warc else None
