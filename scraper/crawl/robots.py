"""Downloader middleware: robots.txt obeyed by every request, also those that waited for it.

Scrapy 2.19's RobotsTxtMiddleware keeps one Deferred per host while robots.txt downloads, and
every request that arrives meanwhile awaits that same Deferred. The first awaiter's callback
swallows the parsed rules (it returns None), so every other waiting request is told "no
robots.txt" and is fetched unchecked: a bare spider with six start requests to one host fetched
four disallowed URLs (docs/scaling.md, "robots.txt"). A portal starts with a start page, a feed
and a sitemap, and a distributed worker joining a busy crawl takes dozens of requests to one host
at once, so the bug is hit in ordinary crawls.

Here each waiting request gets a Deferred of its own, fed from the shared one by a callback that
passes the rules on. Replace this by Scrapy's middleware once it is fixed upstream.

`RobotsTxtOffsite` is Scrapy's offsite filter letting the robots.txt of any host through: a
document on another host (scraper/attachments/fetch.py, `allow_offsite`) is checked against that
host's robots.txt first, and Scrapy's filter would refuse that file, which then counts as missing
(everything allowed).
"""
from __future__ import annotations

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class EveryWaiterRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):  # parsed already, or this request fetches it
            return await super().robot_parser(request)
        own: Deferred = Deferred()

        def pass_on(parser):
            own.callback(parser)
            return parser  # the next waiter gets the rules too

        pending.addBoth(pass_on)
        return await maybe_deferred_to_future(own)

    def crawl_delay(self, netloc: str) -> float | None:
        """The Crawl-delay this host's robots.txt asks of us, once it is parsed (else None)."""
        parser = self._parsers.get(netloc)
        if parser is None or isinstance(parser, Deferred) or not hasattr(parser, "crawl_delay"):
            return None
        settings = self.crawler.settings
        return parser.crawl_delay(settings["ROBOTSTXT_USER_AGENT"] or settings["USER_AGENT"])


class RobotsTxtOffsite(OffsiteMiddleware):
    def should_follow(self, request, spider) -> bool:
        robots = request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == "/robots.txt"
        return bool(robots) or super().should_follow(request, spider)
