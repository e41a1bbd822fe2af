"""Downloader middleware: redirects and meta refreshes stay on the portal that sent them.

Scrapy follows a `Location:` or `<meta http-equiv="refresh">` to any http(s) address, and its
offsite check compares host names only, so a portal could send the crawler to another port of
its own host (or of 127.0.0.1) and have a local service fetched and archived. A redirected
request (Scrapy marks it with `redirect_urls`) is let through only to the scheme, host and port
of one of its source's `allowed_hosts` (scraper/urls.py `site`: the port written unless it is
its scheme's default), with the same scheme or http → https (portals move to TLS). It runs before the
robots.txt middleware, which would otherwise fetch the target's /robots.txt first. Refusals are
counted in `portal/redirect_off_portal`. A document fetched on another host
(scraper/attachments/fetch.py) may also be redirected within that host.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from scraper.urls import site


class PortalRedirectMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if not request.meta.get("redirect_urls"):
            return None
        owners = getattr(self.crawler.spider, "host_owner", None)
        if owners is None:  # not the portal spider: nothing to hold it to
            return None
        owner = owners.get(site(request.url) or "")
        if self.on_attachment_host(request) and not self.downgraded(request):
            return None
        if owner is None or owner.id != request.meta.get("source") or self.downgraded(request):
            self.crawler.stats.inc_value("portal/redirect_off_portal")
            raise IgnoreRequest(f"redirect off the portal: {request.meta['redirect_urls'][-1]} → "
                                f"{request.url}")
        return None

    @staticmethod
    def on_attachment_host(request) -> bool:
        """An attachment request redirected within the host it was asked of."""
        first = request.meta.get("attachment_url")
        return bool(first) and site(first) == site(request.url)

    @staticmethod
    def downgraded(request) -> bool:
        """The scheme may go from http to https (portals move to TLS), never back or elsewhere."""
        before = urlsplit(request.meta["redirect_urls"][-1]).scheme
        return urlsplit(request.url).scheme not in (before, "https")
